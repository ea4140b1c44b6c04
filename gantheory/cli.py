"""The ``gantheory`` command: check the article's claims, draw its figures, train a GAN, compute JS.

Each subcommand is a thin layer over the library. A user's mistake (a malformed density, an
unknown figure, a folder that cannot be written) ends with a one-line message on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

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
    rows = report.verify(args.section or None)
    text = report.render(rows, args.format)
    if args.out is None:
        print(text)
    else:
        _write_text(args.out, text)
        print(f"wrote {args.out}: {sum(r.passed for r in rows)} of {len(rows)} claims verified")
    return 0 if all(r.passed for r in rows) else 1


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
        "row each with its source, reference value, computed value, error, tolerance and verdict. "
        "Exit status 1 if any claim fails.",
        epilog="examples:\n  gantheory verify\n  gantheory verify --format markdown --out verification.md\n"
        "  gantheory verify --section symbolic --section curves --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                        help="output format (default: text)")
    verify.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    verify.add_argument("--section", action="append", metavar="NAME",
                        help="only this section (repeatable): symbolic, value function, curves, gan, errata")
    verify.set_defaults(handler=_cmd_verify)
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
