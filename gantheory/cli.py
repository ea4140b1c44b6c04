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


def _noisy(args: argparse.Namespace) -> tuple:
    """P and Q, convolved with N(0, eps^2) when --noise is given (instance noise)."""
    p, q = args.p, args.q
    if args.noise is None:
        return p, q
    from gantheory.noise import instance_noise

    return instance_noise(p, args.noise), instance_noise(q, args.noise)


def _cmd_div(args: argparse.Namespace) -> int:
    from gantheory import fdivergences

    names = list(fdivergences.FDIVERGENCES)
    if args.name != "all" and args.name not in names:
        raise UsageError(f"unknown divergence {args.name!r}; choose from {', '.join(names)}, or all.")
    p, q = _noisy(args)
    shown = f"{describe(p)} || {describe(q)}"
    for name in names if args.name == "all" else [args.name]:
        value = fdivergences.f_divergence(p, q, name)
        unit = " nats" if name in ("kl", "reverse-kl", "js", "gan") else ""
        line = f"D_{name}({shown}) = {value:.15g}{unit}"
        if args.bound and np.isfinite(value):
            critic = fdivergences.optimal_critic(p, q, name)
            line += f"  (bound at T*: {fdivergences.variational_bound(critic, p, q, name):.15g})"
        print(line)
    return 0


def _cmd_w1(args: argparse.Namespace) -> int:
    from gantheory.wasserstein import wasserstein1, wasserstein1_critic

    p, q = _noisy(args)
    value = wasserstein1(p, q)
    print(f"W1({describe(p)} || {describe(q)}) = {value:.15g}")
    if args.critic and np.isfinite(value):
        f = wasserstein1_critic(p, q)
        knots = ", ".join(f"{c:.10g}" for c in f.crossings) or "none"
        print(f"optimal critic: slope sign(F_Q - F_P), {f.slopes[0]:+g} left of the first crossing; "
              f"crossings (F_P = F_Q): {knots}")
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
    with usage_errors():  # the checks between options (a --gamma needs a --penalty) are the Config's
        config = gan.Config(
            generator=args.generator, discriminator=args.discriminator, loss=args.loss, k=args.k,
            batch_size=args.batch_size, steps=args.steps, lr=args.lr, momentum=args.momentum,
            optimizer=args.optimizer, ensemble=args.ensemble, seed=args.seed, hidden=args.hidden,
            penalty=args.penalty, gamma=args.gamma, noise=args.noise, clip=args.clip,
        )
    # Printed (and flushed) before the run, so that a long run says what it is doing.
    print(f"target {_label(target)}; {args.generator} generator, {args.discriminator} discriminator, "
          f"{args.loss} loss{_regularizers(config)}, {args.steps} iterations, {args.ensemble} member(s), "
          f"seed {args.seed}", flush=True)
    result = gan.train(target, config, progress=not args.quiet and None)
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


def _regularizers(config: Any) -> str:
    """", R1 penalty gamma = 3, ..." for the regularizers a training config sets, "" if none."""
    parts = []
    if config.penalty is not None:
        parts.append(f"{config.penalty.upper() if config.penalty != 'gp' else 'WGAN-GP'} penalty gamma = {config.gamma:g}")
    if config.noise > 0:
        parts.append(f"instance noise {config.noise:g}")
    if config.clip is not None:
        parts.append(f"weight clipping {config.clip:g}")
    return "".join(f", {part}" for part in parts)


def _setting_value(text: str) -> object:
    """A setting's value from the command line: an integer, a number, true/false, none, or text."""
    lowered = text.strip().lower()
    if lowered in ("none", "null"):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip()


def _sweep_grid(items: Sequence[str] | None, option: str = "--grid") -> dict:
    """``['lr=0.001,0.005', 'loss=minimax,non-saturating']`` -> ``{'lr': [0.001, 0.005], ...}``."""
    grid: dict = {}
    for item in items or ():
        name, sep, values = item.partition("=")
        name = name.strip()
        if not sep or not name or not values.strip():
            raise UsageError(f"{option} must be SETTING=VALUE[,VALUE...], such as 'lr=0.001,0.005', got {item!r}.")
        if name in grid:
            raise UsageError(f"{option} {name} is given twice; list all its values in one {option}.")
        grid[name] = [_setting_value(v) for v in values.split(",")]
    return grid


def _sweep_config(items: Sequence[str] | None) -> object:
    from gantheory.gan import Config

    fields = {name: values[0] for name, values in _sweep_grid(items, "--set").items()}
    if any(len(values) != 1 for values in _sweep_grid(items, "--set").values()):
        raise UsageError("--set takes one value per setting; use --grid for several.")
    try:
        return Config(**fields)
    except (TypeError, ValueError) as error:
        raise UsageError(str(error)) from None


def _sweep_executor(address: str | None) -> object:
    """A Dask cluster's executor for ``--scheduler ADDRESS``, or None (the local cores)."""
    if address is None:
        return None
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'gantheory[dask]'.") from None
    try:
        return Client(address, timeout=10).get_executor()
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {error}.") from None


def _sweep_summary(folder: str, js_tolerance: float) -> int:
    from gantheory.gan.sweep import read_study, summarize

    try:
        table, total = read_study(folder)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if not len(table):
        raise UsageError(f"{folder} holds no finished runs yet; run the sweep command to start them.")
    summary = summarize(table, js_tolerance=js_tolerance)
    rates = [name for name in ("converged", "collapsed", "diverged") if name in summary]
    keys = [k for k in summary if k not in ("cell", "runs") and not k.startswith(tuple(rates) + ("covered", "js_"))]
    print(f"{folder}: {len(table)} of {total} runs" + ("" if len(table) == total else " (unfinished: rerun the sweep to finish)"))
    print(f"rates with 95 % Wilson intervals; converged: final JS below {js_tolerance:g} nats; mean JS with a t interval")
    header = keys + ["runs"] + rates + ["mean JS"]
    lines = []
    for row in range(len(summary)):
        cells = [str(summary[k][row]) for k in keys] + [str(summary["runs"][row])]
        cells += [f"{summary[r][row]:.3f} [{summary[r + '_low'][row]:.3f}, {summary[r + '_high'][row]:.3f}]" for r in rates]
        cells.append(f"{summary['js_mean'][row]:.4f} [{summary['js_low'][row]:.4f}, {summary['js_high'][row]:.4f}]")
        lines.append(cells)
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    for line in [header, *lines]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())
    return 0


def _cmd_sweep(args: argparse.Namespace) -> int:
    from gantheory import gan
    from gantheory.gan.sweep import validate

    if args.summary:
        return _sweep_summary(args.target, args.js_tolerance)
    with usage_errors():
        target = parse_density(args.target, "TARGET")
    grid, config = _sweep_grid(args.grid), _sweep_config(args.set)
    if not grid:
        raise UsageError("give at least one --grid SETTING=VALUE[,VALUE...], such as --grid 'lr=0.001,0.005'.")
    if args.out is None:
        raise UsageError("--out DIR is needed: the folder that keeps the runs, so that the same command resumes them.")
    with usage_errors():
        runs = validate(target, grid, args.seeds, config=config, out=args.out, shard_size=args.shard_size)
    executor = _sweep_executor(args.scheduler)
    _folder(args.out)
    print(f"sweep of {runs} runs on {describe(target)} into {args.out} (rerun this command to resume it)")
    gan.sweep(target, grid, args.seeds, config=config, out=args.out, shard_size=args.shard_size,
              executor=executor, progress=not args.quiet and None)
    print(f"wrote {Path(args.out) / 'runs.csv'}" + (" and runs.parquet" if (Path(args.out) / "runs.parquet").exists() else ""))
    return _sweep_summary(args.out, args.js_tolerance)


def _sweep_parser(sub: argparse._SubParsersAction) -> None:
    sweep = sub.add_parser(
        "sweep", help="train thousands of GANs over a grid of settings, resumably",
        description="Train SEEDS GANs for every combination of the --grid settings (a cell), sharded into "
        "vectorized ensembles on the local cores or a Dask cluster. Each finished shard is written to "
        "DIR/shards; running the same command again resumes the sweep. The table, one row per run, goes to "
        "DIR/runs.csv (and DIR/runs.parquet where pyarrow is installed). With --summary, print the rates "
        "per cell of the sweep in DIR, with 95 % confidence intervals.",
        epilog="examples:\n"
        "  gantheory sweep 'norm(4, 1.25)' --grid 'lr=0.001,0.005,0.02' --grid 'loss=minimax,non-saturating' "
        "--seeds 1000 --out study\n"
        "  gantheory sweep '0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5)' --set generator=mlp --set discriminator=mlp "
        "--set steps=1500 --grid 'lr=0.002,0.01' --seeds 200 --out collapse\n"
        "  gantheory sweep study --summary\n"
        "  gantheory sweep 'norm(4, 1.25)' --grid 'lr=0.001,0.01' --seeds 10000 --out big --scheduler tcp://host:8786",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sweep.add_argument("target", metavar="TARGET", help=f"p_data: {DENSITY_HELP} With --summary: the folder DIR.")
    sweep.add_argument("--grid", action="append", metavar="SETTING=V1,V2", help="a setting of gan.Config and its "
                       "values (repeatable; the cells are all combinations)")
    sweep.add_argument("--set", action="append", metavar="SETTING=V", help="a setting for every cell (repeatable), "
                       "such as steps=2000 or generator=mlp")
    sweep.add_argument("--seeds", type=count, default=100, help="runs per cell (default 100)")
    sweep.add_argument("--out", metavar="DIR", type=output_folder, help="folder of the study; the same command resumes it")
    sweep.add_argument("--shard-size", type=count, default=None, help="runs per shard, from cells that differ only in "
                       "per-member settings (default: 2 or more shards per core, 256 to 1024 runs each)")
    sweep.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, such as tcp://10.0.0.1:8786 "
                       "(needs gantheory[dask]); default: the local cores")
    sweep.add_argument("--summary", action="store_true", help="print the summary of the sweep in DIR (TARGET)")
    sweep.add_argument("--js-tolerance", type=real(above=0), default=0.05,
                       help="a run converged if its final JS is below this (nats; default 0.05)")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.set_defaults(handler=_cmd_sweep)


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


def _add_fgan_parsers(sub: argparse._SubParsersAction) -> None:
    """``gantheory div NAME P Q`` (f-divergences) and ``gantheory w1 P Q`` (Wasserstein-1)."""
    from gantheory.fdivergences import FDIVERGENCES  # no sympy, no quadrature: only the table

    names = ", ".join(FDIVERGENCES)
    div = sub.add_parser(
        "div", help="an f-divergence D_f(P || Q) by quadrature (f-GAN's table)",
        description=f"The f-divergence D_f(P || Q) = int q f(p/q) named NAME ({names}; or all), by quadrature in "
        "log space; inf where the divergence is infinite (decided from the tails). 'js' is the JS divergence "
        "of the article (with the 1/2), 'gan' is 2 JS - log 4.",
        epilog="examples:\n  gantheory div pearson 'norm(0, 1)' 'norm(1, 1.5)'\n"
        "  gantheory div all 'uniform(0, 1)' 'uniform(0.5, 1)'\n"
        "  gantheory div js 'uniform(0, 1)' 'uniform(3, 1)' --noise 0.3\n"
        "  gantheory div kl 'norm(0, 1)' 'laplace(1, 1)' --bound",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    div.add_argument("name", metavar="NAME", help=f"one of {names}, or all")
    div.add_argument("p", metavar="P", type=density, help=f"the first density: {DENSITY_HELP}")
    div.add_argument("q", metavar="Q", type=density, help="the second density, written the same way")
    div.add_argument("--noise", type=real(at_least=0), default=None, metavar="EPS",
                     help="instance noise: convolve both densities with N(0, EPS^2) first")
    div.add_argument("--bound", action="store_true",
                     help="also print the f-GAN bound E_P T* - E_Q f*(T*) at the optimal critic")
    div.set_defaults(handler=_cmd_div)

    w1 = sub.add_parser(
        "w1", help="the Wasserstein-1 distance W1(P, Q) (WGAN)",
        description="The Wasserstein-1 distance int |F_P - F_Q| dx by quadrature, from distribution and "
        "survival functions; inf where a density has no mean.",
        epilog="examples:\n  gantheory w1 'norm(0, 1)' 'norm(3, 2)'\n"
        "  gantheory w1 'uniform(0, 1)' 'uniform(5, 1)' --critic\n  gantheory w1 'cauchy()' 'norm(0, 1)'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    w1.add_argument("p", metavar="P", type=density, help=f"the first density: {DENSITY_HELP}")
    w1.add_argument("q", metavar="Q", type=density, help="the second density, written the same way")
    w1.add_argument("--noise", type=real(at_least=0), default=None, metavar="EPS",
                    help="instance noise: convolve both densities with N(0, EPS^2) first")
    w1.add_argument("--critic", action="store_true", help="also describe the optimal 1-Lipschitz critic")
    w1.set_defaults(handler=_cmd_w1)


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
        from gantheory import files, plotting

        fig = plotting.dirac_vector_fields(axis, axis, panels, columns=min(3, len(panels)))
        with files.staged():  # both formats, or neither
            _folder(args.out.parent)
            written = plotting.save_figure(fig, args.out)
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
    dyn.add_argument("--h", type=real(above=0), default=0.2, help="step size (default 0.2)")
    dyn.add_argument("--steps", type=count, default=500, help="iterations (default 500)")
    dyn.add_argument("--start", action="append", metavar="THETA,PSI",
                     help="a start (repeatable; default 1,1)")
    dyn.add_argument("--schedule", choices=("simultaneous", "alternating"), default="simultaneous",
                     help="both players at once, or n_d discriminator steps then one generator step")
    dyn.add_argument("--n-d", type=count, default=1, help="discriminator steps per generator step (alternating)")
    for name, meaning in (("gamma", "penalty weight of r1, r2, consensus, wgan-gp"),
                          ("sigma", "instance noise scale"), ("clip", "WGAN weight clipping"),
                          ("eta", "gradient penalty of Nagarajan & Kolter"),
                          ("target_norm", "WGAN-GP's target gradient norm")):
        dyn.add_argument(f"--{name.replace('_', '-')}", type=real(), default=None, dest=name, help=meaning)
    dyn.add_argument("--out", metavar="STEM", type=output_stem(".png", ".svg"), help="also draw each method's field and trajectory to STEM.png/.svg")
    dyn.set_defaults(handler=_cmd_dynamics)


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
    _add_fgan_parsers(sub)

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
        "--steps 3000 --ensemble 16\n"
        "  gantheory train 'norm(4, 1.25)' --generator mlp --discriminator mlp --lr 0.01 --steps 20000 "
        "--penalty r1 --gamma 3 --ensemble 8\n"
        "  gantheory train 'norm(0, 1)' --loss wgan --penalty gp --gamma 2 --ensemble 8",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument("target", metavar="TARGET", type=density, help=f"p_data: {DENSITY_HELP}")
    train.add_argument("--generator", choices=("affine", "mlp"), default="affine",
                       help="affine: x = mu + sigma z (exact JS); mlp: 1-H-1 tanh network (default affine)")
    train.add_argument("--discriminator", choices=("quadratic", "mlp"), default="quadratic",
                       help="quadratic logit (contains D* of two Gaussians) or 1-H-1 tanh network")
    train.add_argument("--loss", choices=("non-saturating", "minimax", "wgan"), default="non-saturating",
                       help="generator loss: eq. (10), Algorithm 1's minimax, or wgan (the Wasserstein GAN's "
                       "critic and generator losses) (default non-saturating)")
    train.add_argument("--penalty", choices=("r1", "r2", "gp"), default=None,
                       help="gradient penalty gamma/2 (|dD/dx| - t)^2 on the discriminator: r1 at the data, r2 at "
                       "the generated samples (t = 0), gp at interpolates (t = 1, WGAN-GP) (default none)")
    train.add_argument("--gamma", type=real(at_least=0), default=0.0,
                       help="the penalty's weight gamma >= 0; WGAN-GP's lambda = 10 is --gamma 20 (default 0)")
    train.add_argument("--noise", type=real(at_least=0), default=0.0,
                       help="instance noise: std of the Gaussian noise added to every sample the discriminator "
                       "sees (default 0)")
    train.add_argument("--clip", type=real(above=0), default=None,
                       help="clip every discriminator weight to [-CLIP, CLIP] after each step (WGAN) (default none)")
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
    _dynamics_parser(sub)
    _sweep_parser(sub)
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
