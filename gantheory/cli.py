"""The ``gantheory`` command: check the article's claims, draw its figures, train a GAN, compute JS.

Each subcommand is a thin layer over the library. Whatever the user types, the command answers
with its output or with one line on stderr, never a traceback:

====  ==========================================================================================
exit  meaning
====  ==========================================================================================
0     success
1     a claim failed (``verify``), or a computation stopped with an error (the line says which)
2     a usage error: a malformed density, an option out of range, a file that cannot be written,
      found before any work starts
130   interrupted by Ctrl-C: the work stops, no file is left half-written
141   the reader of the output went away (``gantheory verify | head``)
====  ==========================================================================================

Set ``GANTHEORY_TRACEBACK=1`` to see the traceback of an unexpected error (exit status 1).

Adding a subcommand
-------------------
:func:`main` is the one place where errors become messages, and every parser made through
:func:`build_parser`'s ``sub.add_parser`` inherits it. A subcommand does four things:

1. **Validate while parsing.** Give every argument a ``type=`` from this module: :func:`density`
   (a density written as in code), :func:`seed`, :func:`count` (an integer >= 1),
   :func:`integer`, :func:`real` (finite, with bounds), :func:`log_base`, :func:`output_file`,
   :func:`output_stem` and :func:`output_folder` (a file, files or folder that can be written,
   checked without creating anything), or ``choices=``. Each raises
   :class:`argparse.ArgumentTypeError`, which becomes ``gantheory NAME: error: argument --steps:
   must be an integer >= 1, got '0'`` with exit status 2 before the handler runs.
2. **Check the rest before any work.** Conditions between arguments, or the library's own
   checks of a configuration, go at the top of the handler: raise :class:`UsageError`, or wrap
   the library call in ``with usage_errors():`` to turn its ``ValueError``/``TypeError`` into one.
   A ``ValueError`` raised later, during the work, is reported with exit status 1.
3. **Write files with** :mod:`gantheory.files`, inside ``with files.staged():`` when a command
   writes several files, so that Ctrl-C or an error leaves all of them or none; create output
   folders there (``_folder(path)``), not while validating.
4. **Catch nothing else.** ``KeyboardInterrupt``, ``BrokenPipeError`` and unexpected errors are
   handled by :func:`main`; a handler returns its exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gantheory.distributions import describe, parse_density

__all__ = [
    "UsageError", "build_parser", "count", "density", "integer", "log_base", "main", "output_file",
    "output_folder", "output_stem", "real", "seed", "usage_errors",
]

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


# ------------------------------------------------------------------ errors and the parser class


class UsageError(Exception):
    """A mistake in the command line, reported by :func:`main` as one line and exit status 2.

    Parameters
    ----------
    message : str
        What is wrong and what would be right, naming the option.
    prog : str, optional
        The command it belongs to (``gantheory train``); :func:`main` fills it in otherwise.
    """

    def __init__(self, message: str, prog: str | None = None) -> None:
        super().__init__(message)
        self.prog = prog


@contextlib.contextmanager
def usage_errors() -> Iterator[None]:
    """Turn a ``ValueError`` or ``TypeError`` of the block (a library's check) into a :class:`UsageError`.

    For the checks at the top of a handler, before any work; not around the work itself, where
    such an error is not the user's mistake.
    """
    try:
        yield
    except (TypeError, ValueError) as error:
        raise UsageError(str(error)) from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors, and arguments starting with ``-`` that are not options."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, prog=self.prog)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> argparse.Namespace:
        # argparse reports a subcommand's unknown options under the top-level name; name the
        # subcommand instead, and suggest the option that was probably meant.
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = getattr(parsed, "command", None)
            known = [o for a in self._subcommand(command)._actions for o in a.option_strings]
            guess = difflib.get_close_matches(extras[0].split("=", 1)[0], known, n=1)
            hint = f" (did you mean {guess[0]}?)" if guess and extras[0].startswith("-") else ""
            prog = f"{self.prog} {command}" if command else self.prog
            raise UsageError(f"unrecognized arguments: {' '.join(extras)}{hint}", prog=prog)
        return parsed

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        # Python 3.11's argparse strips the "--" of `--steps=--` and gives the option an empty list,
        # bypassing its type; refuse it as it refuses `--steps --`.
        if arg_strings == ["--"] and action.option_strings and action.nargs is None:
            raise argparse.ArgumentError(action, "expected one argument")
        return super()._get_values(action, arg_strings)

    def _subcommand(self, command: str | None) -> argparse.ArgumentParser:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and command in action.choices:
                return action.choices[command]
        return self

    def _parse_optional(self, arg_string: str) -> Any:
        # No option contains "(" before an "=", and none looks like a number: so a density such
        # as '-0.5*norm(0, 1) + 1.5*norm(1, 1)' or a value such as -1e-3 is an argument (argparse
        # itself only recognizes plain negative numbers like -1 or -.5).
        if arg_string[:1] == "-" and ("(" in arg_string.split("=", 1)[0] or _is_number(arg_string)):
            return None
        return super()._parse_optional(arg_string)


# ------------------------------------------------------------------ validators (argparse types)


def _received(text: str) -> str:
    return repr(text if len(text) <= 40 else f"{text[:37]}...")


def density(text: str) -> Any:
    """argparse type: a density written as in code, read by :func:`gantheory.distributions.parse_density`."""
    try:
        return parse_density(text, None)
    except (TypeError, ValueError) as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def integer(minimum: int | None = None) -> Callable[[str], int]:
    """argparse type factory: an integer, at least ``minimum``."""
    what = "an integer" if minimum is None else f"an integer >= {minimum}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or (minimum is not None and value < minimum):
            raise argparse.ArgumentTypeError(f"must be {what}, got {_received(text)}")
        return value

    parse.__name__ = what
    return parse


#: argparse type: a count of things (iterations, members, units), an integer >= 1.
count = integer(1)
#: argparse type: a random seed, an integer >= 0 (numpy's SeedSequence takes any of them).
seed = integer(0)


def real(*, above: float | None = None, at_least: float | None = None,
         below: float | None = None) -> Callable[[str], float]:
    """argparse type factory: a finite number, ``> above`` or ``>= at_least``, and ``< below`` if given."""
    bounds = [f"{sign} {bound:g}" for sign, bound in ((">", above), (">=", at_least), ("<", below))
              if bound is not None]
    what = "a finite number" + (" " + " and ".join(bounds) if bounds else "")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        ok = math.isfinite(value) and (above is None or value > above)
        if not (ok and (at_least is None or value >= at_least) and (below is None or value < below)):
            raise argparse.ArgumentTypeError(f"must be {what}, got {_received(text)}")
        return value

    parse.__name__ = what
    return parse


def log_base(text: str) -> float:
    """argparse type: the base of a logarithm, a positive number other than 1 (2 for bits)."""
    from gantheory.distributions import check_base

    value = real(above=0)(text)
    if value == 1:
        raise argparse.ArgumentTypeError(f"must be a positive number other than 1, got {_received(text)}")
    try:
        return check_base(value)  # whatever else the library refuses, refused here too
    except (TypeError, ValueError) as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def output_file(text: str) -> Path:
    """argparse type: a file the command may write: a regular file or a new name, in a folder
    that exists and accepts new files, or that can be created. Nothing is created."""
    from gantheory.files import check_writable

    if not text:
        raise argparse.ArgumentTypeError("must be a file name, got ''")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"must not contain a null character, got {_received(text)}")
    try:
        check_writable(text, make_folders=True)
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot write {text}: {error.strerror or error}") from None
    return Path(text)


def output_stem(*suffixes: str) -> Callable[[str], Path]:
    """argparse type factory: the path stem of files ``STEM + suffix`` (``runs/gan`` for
    ``runs/gan.npz`` and ``runs/gan.png``), each checked as :func:`output_file`.

    A text ending in one of ``suffixes`` loses it (``--out runs/gan.npz`` means the stem
    ``runs/gan``); any other dot is kept (``runs/lr0.01`` gives ``runs/lr0.01.npz``).
    """

    def parse(text: str) -> Path:
        if not text or text.endswith(("/", os.sep)) or Path(text).name in (".", ".."):
            raise argparse.ArgumentTypeError(
                f"must be a path stem such as runs/gan (for runs/gan{suffixes[0]}), got {_received(text)}")
        stem = next((text[: -len(s)] for s in suffixes if text.endswith(s) and len(text) > len(s)), text)
        for suffix in suffixes:
            output_file(stem + suffix)
        return Path(stem)

    parse.__name__ = "path stem"
    return parse


def output_folder(text: str) -> Path:
    """argparse type: a folder the command may write files into: an existing folder that accepts
    new files, or a new one whose nearest existing ancestor accepts a new folder. Nothing is created."""
    from gantheory.files import check_writable

    if not text:
        raise argparse.ArgumentTypeError("must be a folder name, got ''")
    try:
        check_writable(Path(text) / ".gantheory-new-file", make_folders=True)
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot use {text} as the output folder: {error.strerror}") from None
    return Path(text)


def _folder(path: str | os.PathLike) -> Path:
    """Create the output folder ``path`` if needed (after the checks of :func:`output_folder`), or
    raise :class:`UsageError` saying why it cannot be used. Call it when the work is done and its
    files are about to be written."""
    try:
        folder = output_folder(os.fspath(path))
    except argparse.ArgumentTypeError as error:
        raise UsageError(str(error)) from None
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ------------------------------------------------------------------ subcommands


def _report_sections() -> tuple[str, ...]:
    """The report's section names (importing the registry, not the sections and sympy)."""
    from gantheory.report import SECTIONS

    return tuple(SECTIONS)


def _label(dist: Any) -> str:
    """The density as written in code, shortened past 120 characters (a mixture of 1000 terms)."""
    text = describe(dist)
    if len(text) <= 120:
        return text
    terms = text.split(" + ")
    shown = next(k for k in range(len(terms), -1, -1) if len(" + ".join(terms[:k])) <= 100)
    if shown == 0:
        return f"{text[:100]}..."
    return f"{' + '.join(terms[:shown])} + ... ({len(terms)} terms)"


def _unit(base: float | None) -> str:
    return "nats" if base is None else "bits" if base == 2 else f"log-base-{base:g} units"


def _cmd_js(args: argparse.Namespace) -> int:
    from gantheory.divergences import js_divergence, virtual_criterion

    js = js_divergence(args.p, args.q, base=args.base)
    print(f"JS({_label(args.p)} || {_label(args.q)}) = {js:.15g} {_unit(args.base)}")
    if args.criterion:
        c = virtual_criterion(args.p, args.q)
        print(f"C(G) = V(D*, G) = {c:.15g} nats  (eq. 9: 2*JS - 2*log 2 with JS in nats)")
    return 0


def _cmd_kl(args: argparse.Namespace) -> int:
    from gantheory.divergences import kl_divergence

    kl = kl_divergence(args.p, args.q, base=args.base)
    print(f"KL({_label(args.p)} || {_label(args.q)}) = {kl:.15g} {_unit(args.base)}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from gantheory import report
    from gantheory.files import write_text

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
        _folder(args.out.parent)
        write_text(args.out, text)
        print(f"wrote {args.out}: {summary}")
    return 0 if ok else 1


def _cmd_figures(args: argparse.Namespace) -> int:
    from gantheory import figures, files

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
        with files.staged():  # the PNG and the SVG of a figure, or neither
            summary = figures.FIGURES[name].make(out, seed=args.seed, quick=args.quick)
        for key, value in summary.items():
            print(f"{key}: {value}")
        print(f"wrote {out / name}.png and .svg")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from gantheory import files, gan, plotting

    target, stem = args.target, args.out
    # Printed (and flushed) before the run, so that a long run says what it is doing.
    print(f"target {_label(target)}; {args.generator} generator, {args.discriminator} discriminator, "
          f"{args.loss} loss, {args.steps} iterations, {args.ensemble} member(s), seed {args.seed}",
          flush=True)
    result = gan.train(
        target, generator=args.generator, discriminator=args.discriminator, loss=args.loss, k=args.k,
        batch_size=args.batch_size, steps=args.steps, lr=args.lr, momentum=args.momentum,
        optimizer=args.optimizer, ensemble=args.ensemble, seed=args.seed, hidden=args.hidden,
        progress=not args.quiet and None,
    )
    history = result.history
    exact = history.js is not None
    js = history.js if exact else history.js_estimate
    # The summary is over the members that did not diverge: a diverged member's parameters are
    # its last finite ones, whose statistics mean nothing (and overflow).
    kept = ~result.diverged
    if kept.any():
        final = (result.js() if exact else result.js_estimate())[kept]
        label = "exact JS" if exact else "JS estimate (histogram)"
        print(f"final {label}(p_g || p_data), nats: median {np.median(final):.3g}, "
              f"min {np.min(final):.3g}, max {np.max(final):.3g}")
        if args.generator == "affine":
            mu, sigma = result.theta[kept, 0], np.abs(result.theta[kept, 1])
            print(f"generator N(mu, sigma^2): mu = {mu.mean():.4f} +- {mu.std():.4f}, "
                  f"sigma = {sigma.mean():.4f} +- {sigma.std():.4f}")
    print(f"diverged members: {int(result.diverged.sum())} of {result.ensemble}"
          + ("" if kept.any() else f" (a smaller --lr than {args.lr:g} may help)"))
    fig = plotting.training_history(
        history.step, js, history.d_loss, history.g_loss, history.d_real, history.d_fake,
        js_exact=exact, loss=args.loss,
        title=f"{_label(target)}: {args.generator} G, {args.discriminator} D, {args.loss}, "
              f"E = {args.ensemble}, seed {args.seed}")
    npz = Path(f"{stem}.npz")
    with files.staged():  # the history and the figure, or nothing
        _folder(stem.parent)
        result.save(npz)
        plotting.save_figure(fig, stem)
    print(f"wrote {npz} (history) and {stem}.png, {stem}.svg (figure)")
    return 0


def _divergence_parser(sub: argparse._SubParsersAction, name: str, summary: str,
                       handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name, help=summary, description=summary, epilog=EPILOG_DIVERGENCE.format(name=name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("p", metavar="P", type=density, help=f"the first density: {DENSITY_HELP}")
    parser.add_argument("q", metavar="Q", type=density, help="the second density, written the same way")
    parser.add_argument("--base", type=log_base, default=None,
                        help="logarithm base: 2 for bits (default: natural log, nats)")
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gantheory`` command, with one subparser per subcommand.

    Its errors raise :class:`UsageError` (reported by :func:`main`) instead of exiting, and the
    subparsers made with ``add_parser`` inherit that.
    """
    from gantheory import __version__

    parser = _Parser(
        prog="gantheory",
        description="Verify the mathematics of the original GAN exactly, and show it.",
        epilog="Run 'gantheory COMMAND --help' for the options and examples of each command.",
    )
    parser.add_argument("--version", action="version", version=f"gantheory {__version__}")
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
    verify.add_argument("--out", metavar="FILE", type=output_file,
                        help="write to FILE (its folder is created if needed) instead of printing")
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
    figures.add_argument("--out", default="figures", metavar="DIR", type=output_folder,
                         help="output folder, created if needed (default: ./figures)")
    figures.add_argument("--only", nargs="+", metavar="NAME", help="only these figures (see --list)")
    figures.add_argument("--seed", type=seed, default=0, help="seed of the random parts, >= 0 (default 0)")
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
    train.add_argument("target", metavar="TARGET", type=density, help=f"p_data: {DENSITY_HELP}")
    train.add_argument("--generator", choices=("affine", "mlp"), default="affine",
                       help="affine: x = mu + sigma z (exact JS); mlp: 1-H-1 tanh network (default affine)")
    train.add_argument("--discriminator", choices=("quadratic", "mlp"), default="quadratic",
                       help="quadratic logit (contains D* of two Gaussians) or 1-H-1 tanh network")
    train.add_argument("--loss", choices=("non-saturating", "minimax"), default="non-saturating",
                       help="generator loss: eq. (10) or Algorithm 1's minimax (default non-saturating)")
    train.add_argument("-k", type=count, default=1, help="discriminator steps per iteration (default 1)")
    train.add_argument("--steps", type=count, default=10_000, help="iterations (default 10000)")
    train.add_argument("--batch-size", type=count, default=128, help="minibatch size m (default 128)")
    train.add_argument("--lr", type=real(above=0), default=0.005, help="learning rate (default 0.005)")
    train.add_argument("--momentum", type=real(at_least=0, below=1), default=0.9,
                       help="SGD momentum in [0, 1) (default 0.9)")
    train.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd", help="default sgd")
    train.add_argument("--hidden", type=count, default=16, help="hidden units of the MLPs (default 16)")
    train.add_argument("--ensemble", type=count, default=1, help="members trained at once (default 1)")
    train.add_argument("--seed", type=seed, default=0,
                       help="seed, >= 0; member i is reproducible from (seed, i) (default 0)")
    train.add_argument("--out", default="gan_run", metavar="OUT", type=output_stem(".npz", ".png", ".svg"),
                       help="path stem of OUT.npz, OUT.png and OUT.svg; its folder is created if "
                       "needed (default: gan_run)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.set_defaults(handler=_cmd_train)
    return parser


# ------------------------------------------------------------------ main


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _explain(error: BaseException) -> str:
    """One line for an error that escaped a handler: what failed, without a traceback."""
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.filename}: {error.strerror}"
    if isinstance(error, (ValueError, TypeError)) and str(error):
        return str(error)
    hint = " (set GANTHEORY_TRACEBACK=1 to see where)"
    return f"{type(error).__name__}: {error}{hint}" if str(error) else f"{type(error).__name__}{hint}"


def _say(prog: str, text: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr closed: nothing more can be said
        print(f"{prog}: {_one_line(text)}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see the module's table).

    Parsing validates every argument (the ``type=`` validators); then the subcommand's handler
    runs. A :class:`UsageError` becomes one line and status 2, Ctrl-C one line and status 130, and
    any other error one line and status 1 (``GANTHEORY_TRACEBACK=1`` re-raises it instead).
    ``--help`` and ``--version`` print and raise ``SystemExit(0)`` as argparse does.
    """
    prog = "gantheory"

    def show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
        # A warning meant for the user (an accuracy warning) as one line, without file and source.
        _say(prog, f"warning: {message}")

    with warnings.catch_warnings():
        warnings.showwarning = show_warning
        try:
            args = build_parser().parse_args(argv)
            prog = f"gantheory {args.command}"
            status = args.handler(args)
            sys.stdout.flush()  # a closed pipe is reported here, not at exit
            return status
        except UsageError as error:
            _say(error.prog or prog, f"error: {error}")
            return 2
        except KeyboardInterrupt:
            _say(prog, "interrupted")
            return 130
        except BrokenPipeError:
            with contextlib.suppress(OSError, ValueError):  # no second error when Python flushes at exit
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141
        except Exception as error:
            if os.environ.get("GANTHEORY_TRACEBACK"):
                raise
            _say(prog, f"error: {_explain(error)}")
            return 1


if __name__ == "__main__":  # pragma: no cover - `python -m gantheory.cli`
    sys.exit(main())
