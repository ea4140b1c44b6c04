"""The ``gantheory`` command: check the article's claims, draw its figures, train a GAN, compute JS.

Each subcommand is a thin layer over the library. A user's mistake (a malformed density, an
unknown figure, a folder that cannot be written) ends with a one-line message on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from gantheory.distributions import describe, parse_density

__all__ = ["main"]

DENSITY_HELP = (
    "a density written as in code: any scipy.stats continuous family with numeric arguments, "
    "such as 'norm(0, 1)', 'laplace(1, 1)', 't(3, loc=0, scale=2)', 'uniform(0, 1)', or a "
    "weighted sum (weights summing to 1) such as '0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5)'. "
    "Quote it for the shell."
)

EPILOG_DIVERGENCE = """examples:
  gantheory {name} 'norm(0, 1)' 'norm(2, 1)'
  gantheory {name} 'norm(0, 1)' 'laplace(1, 1)' --base 2
  gantheory {name} '0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5)' 'norm(0, 1)'
"""




def _report_sections() -> tuple[str, ...]:
    """The report's section names (importing the registry, not the sections and sympy)."""
    from gantheory.report import SECTIONS

    return tuple(SECTIONS)


class UsageError(Exception):
    """A mistake in the command line, reported as one line and exit status 2."""


def _densities(args: argparse.Namespace) -> tuple:
    try:
        return parse_density(args.p, "P"), parse_density(args.q, "Q")
    except (TypeError, ValueError) as error:
        raise UsageError(str(error)) from None


def _base(args: argparse.Namespace) -> float | None:
    if args.base is not None and not (np.isfinite(args.base) and args.base > 0 and args.base != 1):
        raise UsageError(f"--base must be a positive number other than 1, got {args.base!r}.")
    return args.base


def _unit(base: float | None) -> str:
    return "nats" if base is None else "bits" if base == 2 else f"log-base-{base:g} units"


def _cmd_js(args: argparse.Namespace) -> int:
    from gantheory.divergences import js_divergence, virtual_criterion

    p, q = _densities(args)
    base = _base(args)
    js = js_divergence(p, q, base=base)
    print(f"JS({describe(p)} || {describe(q)}) = {js:.15g} {_unit(base)}")
    if args.criterion:
        c = virtual_criterion(p, q)
        print(f"C(G) = V(D*, G) = {c:.15g} nats  (eq. 9: 2*JS - 2*log 2 with JS in nats)")
    return 0


def _cmd_kl(args: argparse.Namespace) -> int:
    from gantheory.divergences import kl_divergence

    p, q = _densities(args)
    base = _base(args)
    print(f"KL({describe(p)} || {describe(q)}) = {kl_divergence(p, q, base=base):.15g} {_unit(base)}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from gantheory import report

    unknown = [name for name in args.section or () if name not in report.SECTIONS]
    if unknown:
        raise UsageError(f"unknown section {unknown[0]!r}; choose from {', '.join(report.SECTIONS)}.")
    if args.falsify:
        results = report.falsify(args.section or None)
        text = report.render_falsified(results, args.format)
        ok = all(r.caught for r in results)
        summary = f"{sum(r.caught for r in results)} of {len(results)} claims fail under their defect"
    else:
        rows = report.verify(args.section or None)
        text = report.render(rows, args.format)
        counted = [r for r in rows if r.counted]
        ok = all(r.passed for r in counted)
        summary = f"{sum(r.passed for r in counted)} of {len(counted)} claims verified"
    if args.out is None:
        print(text)
    else:
        _write_text(args.out, text)
        print(f"wrote {args.out}: {summary}")
    return 0 if ok else 1


def _folder(path: str) -> Path:
    """Create the output folder ``path`` if needed, or raise UsageError saying why it cannot be used."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"cannot use {path} as the output folder: it is a file, not a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the folder {path}: {error.strerror or error}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write to the folder {path}: permission denied.")
    return folder


def _cmd_figures(args: argparse.Namespace) -> int:
    from gantheory import figures

    if args.list:
        width = max(len(name) for name in figures.FIGURES)
        for job in figures.FIGURES.values():
            print(f"{job.name:<{width}}  {job.description}")
        return 0
    names = args.only or list(figures.FIGURES)
    unknown = [name for name in names if name not in figures.FIGURES]
    if unknown:
        raise UsageError(f"unknown figure {unknown[0]!r}; the figures are: {', '.join(figures.FIGURES)}.")
    out = _folder(args.out)
    for name in names:
        for key, value in figures.FIGURES[name].make(out, seed=args.seed, quick=args.quick).items():
            print(f"{key}: {value}")
        print(f"wrote {out / name}.png and .svg")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from gantheory import gan, plotting

    try:
        target = parse_density(args.target, "TARGET")
    except (TypeError, ValueError) as error:
        raise UsageError(str(error)) from None
    out = Path(args.out)
    _folder(str(out.parent))
    try:
        result = gan.train(
            target, generator=args.generator, discriminator=args.discriminator, loss=args.loss, k=args.k,
            batch_size=args.batch_size, steps=args.steps, lr=args.lr, momentum=args.momentum,
            optimizer=args.optimizer, ensemble=args.ensemble, seed=args.seed, hidden=args.hidden,
            progress=not args.quiet and None,
        )
    except (TypeError, ValueError) as error:
        raise UsageError(str(error)) from None
    history = result.history
    exact = history.js is not None
    js = history.js if exact else history.js_estimate
    final = result.js() if exact else result.js_estimate()
    label = "exact JS" if exact else "JS estimate (histogram)"
    print(f"target {describe(target)}; {args.generator} generator, {args.discriminator} discriminator, "
          f"{args.loss} loss, {args.steps} iterations, {args.ensemble} member(s), seed {args.seed}")
    print(f"final {label}(p_g || p_data), nats: median {np.median(final):.3g}, "
          f"min {np.min(final):.3g}, max {np.max(final):.3g}")
    if args.generator == "affine":
        mu, sigma = result.theta[:, 0], np.abs(result.theta[:, 1])
        print(f"generator N(mu, sigma^2): mu = {mu.mean():.4f} +- {mu.std():.4f}, "
              f"sigma = {sigma.mean():.4f} +- {sigma.std():.4f}")
    print(f"diverged members: {int(result.diverged.sum())} of {result.ensemble}")
    try:
        result.save(out.with_suffix(".npz"))
        fig = plotting.training_history(
            history.step, js, history.d_loss, history.g_loss, history.d_real, history.d_fake,
            js_exact=exact, loss=args.loss,
            title=f"{describe(target)}: {args.generator} G, {args.discriminator} D, {args.loss}, "
                  f"E = {args.ensemble}, seed {args.seed}")
        plotting.save_figure(fig, out.with_suffix(""))
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}.") from None
    print(f"wrote {out.with_suffix('.npz')} (history) and {out.with_suffix('.png')} (figure)")
    return 0


def _write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically, or raise UsageError saying why it cannot be written."""
    from gantheory.files import write_text

    try:
        write_text(path, text)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}.") from None


def _divergence_parser(sub: argparse._SubParsersAction, name: str, summary: str,
                       handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name, help=summary, description=summary, epilog=EPILOG_DIVERGENCE.format(name=name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("p", metavar="P", help=f"the first density: {DENSITY_HELP}")
    parser.add_argument("q", metavar="Q", help="the second density, written the same way")
    parser.add_argument("--base", type=float, default=None,
                        help="logarithm base: 2 for bits (default: natural log, nats)")
    parser.set_defaults(handler=handler)
    return parser


def _dynamics_params(args: argparse.Namespace, method: str) -> dict:
    """The parameters given on the command line that ``method`` takes."""
    from gantheory.dynamics import PARAMETERS

    given = {name: getattr(args, name) for name in ("gamma", "sigma", "clip", "eta", "target_norm")
             if getattr(args, name) is not None}
    return {name: value for name, value in given.items() if name in PARAMETERS[method]}


def _cmd_dynamics(args: argparse.Namespace) -> int:
    from gantheory import dynamics
    from gantheory.dynamics.trajectories import label

    methods = args.methods or list(dynamics.METHODS)
    try:
        methods = [dynamics.dirac.check_method(m) for m in methods]
    except ValueError as error:
        raise UsageError(str(error)) from None
    given = [n for n in ("gamma", "sigma", "clip", "eta", "target_norm") if getattr(args, n) is not None]
    for name in given:
        if not any(name in dynamics.PARAMETERS.get(m, ()) for m in methods):
            raise UsageError(f"--{name.replace('_', '-')} is taken by none of the methods {', '.join(methods)}.")
    try:
        starts = [tuple(float(v) for v in text.split(",")) for text in (args.start or ["1,1"])]
    except ValueError:
        raise UsageError(f"--start must be THETA,PSI such as 1,1; got {args.start!r}.") from None
    panels, rows = [], []
    try:
        for method in methods:
            params = _dynamics_params(args, method)
            path = dynamics.simulate(method, start=starts, h=args.h, steps=args.steps, schedule=args.schedule,
                                     n_d=args.n_d, **params)
            full = {**dynamics.DEFAULTS[method], **params}
            try:
                lam = dynamics.eigenvalues(method, **params)
                eig = " ".join(f"{z.real:+.4f}{z.imag:+.4f}i" for z in lam)
                radius = f"{dynamics.spectral_radius(method, args.h, args.schedule, n_d=args.n_d, **params):.6f}"
                bound = f"{dynamics.max_step(method, **params):.4g}"
            except ValueError:
                eig, radius, bound = "no Jacobian at (0, 0)", "-", "-"
            finals = path.norm()[:, -1]
            status = ", ".join("diverged" if d else f"{n:.4g}" for n, d in zip(finals, path.diverged))
            rows.append((label(method, full), eig, radius, bound, status))
            if args.out:
                import numpy as np

                axis = np.linspace(-2.0, 2.0, 15)
                theta, psi = np.meshgrid(axis, axis)
                v_theta, v_psi = dynamics.vector_field(method, theta, psi, **params)
                panels.append({"title": label(method, full), "v_theta": v_theta, "v_psi": v_psi,
                               "trajectory": path.states[0], "clip": full.get("clip")})
    except (TypeError, ValueError) as error:
        raise UsageError(str(error)) from None
    header = ("method", "eigenvalues at (0, 0)", f"spectral radius (h={args.h:g})", "h bound",
              f"||(theta, psi)|| after {args.steps} steps")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    if args.out:
        from gantheory import plotting

        out = Path(args.out)
        _folder(str(out.parent) if str(out.parent) else ".")
        try:
            fig = plotting.dirac_vector_fields(axis, axis, panels, columns=min(3, len(panels)))
            written = plotting.save_figure(fig, out.with_suffix(""))
        except OSError as error:
            raise UsageError(f"cannot write {out}: {error.strerror or error}.") from None
        print("wrote " + " and ".join(str(p) for p in written))
    return 0


def _dynamics_parser(sub: argparse._SubParsersAction) -> None:
    from gantheory.dynamics.dirac import METHODS

    dyn = sub.add_parser(
        "dynamics", help="Dirac-GAN training dynamics: eigenvalues, step-size bounds, trajectories",
        description="Simulate gradient steps on the Dirac-GAN of Mescheder et al. (2018) for each "
        "method, and print the eigenvalues of its Jacobian at the equilibrium, the spectral radius of "
        "one iteration, the step-size bound of Mescheder et al. (2017) and the distance to the "
        "equilibrium at the end. Parameters apply to the methods that take them.",
        epilog="examples:\n  gantheory dynamics\n  gantheory dynamics r1 r2 --gamma 1 --h 0.1\n"
        "  gantheory dynamics gan nsgan --schedule alternating --n-d 5 --start 1,1 --start 0.5,-1\n"
        "  gantheory dynamics --out figs/dirac",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dyn.add_argument("methods", nargs="*", metavar="METHOD",
                     help="methods (default: all): " + ", ".join(METHODS))
    dyn.add_argument("--h", type=float, default=0.2, help="step size (default 0.2)")
    dyn.add_argument("--steps", type=int, default=500, help="iterations (default 500)")
    dyn.add_argument("--start", action="append", metavar="THETA,PSI",
                     help="a start (repeatable; default 1,1)")
    dyn.add_argument("--schedule", choices=("simultaneous", "alternating"), default="simultaneous",
                     help="both players at once, or n_d discriminator steps then one generator step")
    dyn.add_argument("--n-d", type=int, default=1, help="discriminator steps per generator step (alternating)")
    for name, meaning in (("gamma", "penalty weight of r1, r2, consensus, wgan-gp"),
                          ("sigma", "instance noise scale"), ("clip", "WGAN weight clipping"),
                          ("eta", "gradient penalty of Nagarajan & Kolter"),
                          ("target_norm", "WGAN-GP's target gradient norm")):
        dyn.add_argument(f"--{name.replace('_', '-')}", type=float, default=None, dest=name, help=meaning)
    dyn.add_argument("--out", metavar="STEM", help="also draw each method's field and trajectory to STEM.png/.svg")
    dyn.set_defaults(handler=_cmd_dynamics)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gantheory`` command, with one subparser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="gantheory",
        description="Verify the mathematics of the original GAN exactly, and show it.",
        epilog="Run 'gantheory COMMAND --help' for the options and examples of each command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    js = _divergence_parser(sub, "js", "Jensen-Shannon divergence JS(P || Q) by quadrature.", _cmd_js)
    js.add_argument("--criterion", action="store_true",
                    help="also print C(G) = V(D*, G) with P as p_data and Q as p_g, integrated from D*")
    _divergence_parser(sub, "kl", "Kullback-Leibler divergence KL(P || Q) by quadrature.", _cmd_kl)

    verify = sub.add_parser(
        "verify", help="check every claim of the article and print the evidence",
        description="Check every claim of the article (equations, figures, theorems, errata): one "
        "row each with its source, where its reference comes from, the reference value, the computed "
        "value, error, tolerance, the defect that would flip it, and the verdict. Exit status 1 if "
        "any claim fails. With --falsify, run every claim again with its defect injected into the "
        "computation, and exit 1 if a defect leaves a claim passing.",
        epilog="examples:\n  gantheory verify\n  gantheory verify --format markdown --out verification.md\n"
        "  gantheory verify --section symbolic --section curves --format json\n"
        "  gantheory verify --falsify",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="output format (default: text)")
    verify.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    verify.add_argument("--section", action="append", metavar="NAME",
                        help="only this section (repeatable): " + ", ".join(_report_sections()))
    verify.add_argument("--falsify", action="store_true",
                        help="inject each claim's defect and check that the claim then fails")
    verify.set_defaults(handler=_cmd_verify)

    figures = sub.add_parser(
        "figures", help="draw the figures (PNG and SVG)",
        description="Draw the toolkit's figures as PNG and SVG: the article's Figures 3 and 4, the "
        "generator gradients, D*, the identity of eq. (9), and the NumPy GAN's experiments.",
        epilog="examples:\n  gantheory figures --list\n  gantheory figures --out figs\n"
        "  gantheory figures --only figure3_training_progress figure4_js_curve --out figs",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    figures.add_argument("--out", default="figures", metavar="DIR",
                         help="output folder, created if needed (default: ./figures)")
    figures.add_argument("--only", nargs="+", metavar="NAME", help="only these figures (see --list)")
    figures.add_argument("--seed", type=int, default=0, help="seed of the random parts (default 0)")
    figures.add_argument("--quick", action="store_true",
                         help="small GAN experiments (seconds instead of half a minute), for a quick look")
    figures.add_argument("--list", action="store_true", help="list the figures and exit")
    figures.set_defaults(handler=_cmd_figures)

    train = sub.add_parser(
        "train", help="train an ensemble of NumPy GANs on a 1-D target (Algorithm 1)",
        description="Train an ensemble of GANs with Algorithm 1 of Goodfellow et al. (2014) on a "
        "one-dimensional target; print the final JS, save the history to OUT.npz and a figure to "
        "OUT.png and OUT.svg. JS is exact (quadrature) for the affine generator and a histogram "
        "estimate for the MLP generator.",
        epilog="examples:\n  gantheory train 'norm(4, 1.25)'\n"
        "  gantheory train 'norm(4, 1.25)' --ensemble 64 --loss minimax --out runs/minimax\n"
        "  gantheory train '0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5)' --generator mlp --discriminator mlp "
        "--steps 3000 --ensemble 16",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument("target", metavar="TARGET", help=f"p_data: {DENSITY_HELP}")
    train.add_argument("--generator", choices=("affine", "mlp"), default="affine",
                       help="affine: x = mu + sigma z (exact JS); mlp: 1-H-1 tanh network (default affine)")
    train.add_argument("--discriminator", choices=("quadratic", "mlp"), default="quadratic",
                       help="quadratic logit (contains D* of two Gaussians) or 1-H-1 tanh network")
    train.add_argument("--loss", choices=("non-saturating", "minimax"), default="non-saturating",
                       help="generator loss: eq. (10) or Algorithm 1's minimax (default non-saturating)")
    train.add_argument("-k", type=int, default=1, help="discriminator steps per iteration (default 1)")
    train.add_argument("--steps", type=int, default=10_000, help="iterations (default 10000)")
    train.add_argument("--batch-size", type=int, default=128, help="minibatch size m (default 128)")
    train.add_argument("--lr", type=float, default=0.005, help="learning rate (default 0.005)")
    train.add_argument("--momentum", type=float, default=0.9, help="SGD momentum (default 0.9)")
    train.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd", help="default sgd")
    train.add_argument("--hidden", type=int, default=16, help="hidden units of the MLPs (default 16)")
    train.add_argument("--ensemble", type=int, default=1, help="members trained at once (default 1)")
    train.add_argument("--seed", type=int, default=0, help="seed; member i is reproducible from (seed, i)")
    train.add_argument("--out", default="gan_run", metavar="OUT",
                       help="path stem of OUT.npz, OUT.png and OUT.svg (default: gan_run)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(handler=_cmd_train)
    _dynamics_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 1 a failed check, 2 a usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"gantheory {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover - `python -m gantheory.cli`
    sys.exit(main())
