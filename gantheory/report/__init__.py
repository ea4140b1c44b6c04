"""The verification report: every claim, where its reference comes from, and the defect that breaks it.

A :class:`Claim` names its source (an equation or figure of the article, or a paper and theorem),
states what it claims, says where its reference value comes from (a closed form, mpmath at 30
digits, sympy on separate expressions, an independent integrator: never the code under test),
and carries a ``check`` that computes the reference and the value under test and compares them.
Its :class:`Defect` is a realistic bug (a dropped factor 2, log 3 for log 2, a flipped sign in a
hand-derived gradient, a dropped quadrature node) that ``inject`` patches into the *computation*,
not into the reference; under it the claim must fail. A check that no realistic defect can flip
is not a claim but a :class:`Claim` with ``defect=None``: it is printed as a note and not counted.

- :func:`verify` computes every row; :func:`render` prints them as text, Markdown or JSON;
  ``gantheory verify`` runs both and exits 1 if a claim fails.
- :func:`falsify` runs every check again under its defect; ``gantheory verify --falsify`` prints,
  for each claim, that it fails as it should, and exits 1 if a defect leaves a claim passing.

Sections are registered in :data:`SECTIONS` by name, each the dotted path of a function in a
module of this package that returns its claims; they are imported only when run, so that
``gantheory verify --help`` stays fast. The article's sections are
:mod:`~gantheory.report.symbolic` (the sympy derivations), :mod:`~gantheory.report.value_function`
(eq. (6)-(9) and Theorem 1 over a battery of densities), :mod:`~gantheory.report.curves`
(Figures 3 and 4, section 6.1), :mod:`~gantheory.report.gan` (the NumPy GAN) and
:mod:`~gantheory.report.errata`; their references come from :mod:`~gantheory.report.independent`
(tanh-sinh integrals of the definitions) and their bugs from :mod:`~gantheory.report.defects`.
A statistical claim also states the smallest error it catches (:meth:`Outcome.with_sensitivity`). Checks that share an expensive computation (one GAN run
behind several claims) wrap it in :func:`shared`, whose results are forgotten whenever a defect
is injected or removed, so that a falsified check never reads a result computed without its
defect.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, ContextManager

__all__ = [
    "Claim",
    "Defect",
    "Falsified",
    "Outcome",
    "Row",
    "SECTIONS",
    "claims",
    "falsify",
    "render",
    "render_falsified",
    "shared",
    "verify",
]


# --- what a check computes ---------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The result of a check: the reference, the computed value, the error, the tolerance, the verdict.

    ``reference`` and ``computed`` are numbers, or strings for symbolic results and bounds (then
    ``error`` is 0 when the claim holds). Build one with :meth:`numeric`, :meth:`bound` or
    :meth:`exact`. A statistical check also says, in ``detects``, the smallest error it catches,
    measured by injecting errors of growing size into its data (see :meth:`with_sensitivity`).
    """

    reference: float | str
    computed: float | str
    error: float
    tolerance: float
    passed: bool
    detects: str = ""

    @classmethod
    def numeric(cls, reference: float, computed: float, tolerance: float) -> Outcome:
        """Passes when ``|computed - reference| <= tolerance`` (equal infinities have error 0).

        Examples
        --------
        >>> Outcome.numeric(1.0, 1.0 + 1e-9, 1e-8).passed, Outcome.numeric(1.0, float("nan"), 1.0).passed
        (True, False)
        """
        reference, computed = float(reference), float(computed)
        error = 0.0 if reference == computed else abs(computed - reference)
        if math.isnan(error):
            error = math.inf
        return cls(reference, computed, error, float(tolerance), bool(error <= tolerance))

    @classmethod
    def bound(cls, limit: float, computed: float, *, below: bool = True) -> Outcome:
        """Checks ``computed <= limit`` (or ``>=`` with ``below=False``); the error is the violation."""
        limit, computed = float(limit), float(computed)
        violation = computed - limit if below else limit - computed
        violation = math.inf if math.isnan(violation) else max(0.0, violation)
        sign = "<=" if below else ">="
        return cls(f"{sign} {limit:.6g}", computed, violation, 0.0, violation == 0.0)

    @classmethod
    def exact(cls, reference: str, computed: str, holds: bool) -> Outcome:
        """A symbolic identity proved (or not) by sympy: error 0 if it holds, inf if not."""
        return cls(reference, computed, 0.0 if holds else math.inf, 0.0, bool(holds))

    def with_sensitivity(self, sizes: Iterable[float], fails: Callable[[float], bool], describe: str) -> Outcome:
        """This outcome, with ``detects`` set to the smallest of ``sizes`` at which ``fails`` is true.

        ``fails(size)`` re-applies the check's criterion to its data with an error of that size
        injected (a shifted reference, a scaled estimate); ``sizes`` grow. ``describe`` formats a
        size, such as ``"a mean shifted by {:g} sigma"``.

        Examples
        --------
        >>> out = Outcome.bound(4.0, 1.5).with_sensitivity([0.5, 1, 2, 4], lambda e: 1.5 + e > 4.0, "{:g} more")
        >>> out.detects
        '4 more (2 passes)'
        """
        sizes = [float(s) for s in sizes]
        for i, size in enumerate(sizes):
            if fails(size):
                passes = f"{sizes[i - 1]:g} passes" if i else "the smallest size tried"
                return dataclasses.replace(self, detects=f"{describe.format(size)} ({passes})")
        return dataclasses.replace(self, detects=f"not even {describe.format(sizes[-1])}")


@dataclass(frozen=True)
class Defect:
    """A realistic bug, injected into the code under test by the context manager ``inject()``.

    Parameters
    ----------
    name : str
        What the bug is, as a reviewer would describe it: "log 3 for log 2 in the JS integrand".
    inject : callable
        Returns a context manager (typically :func:`unittest.mock.patch`) inside which the
        computation behind the claim carries the bug.
    """

    name: str
    inject: Callable[[], ContextManager[Any]]


@dataclass(frozen=True)
class Claim:
    """One checked statement: its source, what it says, where its reference comes from, its check.

    Parameters
    ----------
    source : str
        The equation, figure, theorem or erratum: "eq. (9)", "Arjovsky & Bottou 2017, Thm 2.5".
    statement : str
        The claim in words, with the quantity compared.
    reference : str
        Where the reference value comes from, independently of the code under test.
    check : callable ``() -> Outcome``
    defect : Defect or None
        The bug under which ``check`` must fail. ``None`` makes the claim a note: printed, not
        counted.
    """

    source: str
    statement: str
    reference: str
    check: Callable[[], Outcome]
    defect: Defect | None

    @property
    def counted(self) -> bool:
        """Whether the claim counts as verified when it passes (it has a defect that can flip it)."""
        return self.defect is not None


@dataclass(frozen=True)
class Row:
    """A claim with its outcome, as the report prints it."""

    source: str
    claim: str
    reference_source: str
    falsifier: str
    reference: float | str
    computed: float | str
    error: float
    tolerance: float
    passed: bool
    counted: bool
    detects: str = ""

    @classmethod
    def of(cls, claim: Claim, outcome: Outcome) -> Row:
        """The row of ``claim`` with the ``outcome`` of its check."""
        falsifier = claim.defect.name if claim.defect is not None else ""
        return cls(claim.source, claim.statement, claim.reference, falsifier, outcome.reference,
                   outcome.computed, outcome.error, outcome.tolerance, outcome.passed, claim.counted,
                   outcome.detects)


@dataclass(frozen=True)
class Falsified:
    """A claim checked under its defect: ``caught`` when the defect made it fail (or raise)."""

    source: str
    claim: str
    falsifier: str
    computed: float | str
    error: float
    caught: bool
    raised: str = ""


# --- shared computations --------------------------------------------------------------------------

_MEMO: dict[tuple, Any] = {}


def shared(function: Callable[..., Any]) -> Callable[..., Any]:
    """Compute ``function(*args)`` once per verification pass, for the claims that share it.

    The memory is cleared at the start of :func:`verify` and around every injected defect, so a
    result computed without a defect is never reused under one (or the other way round).
    """

    @functools.wraps(function)
    def wrapper(*args: Any) -> Any:
        key = (function.__module__, function.__qualname__, args)
        if key not in _MEMO:
            _MEMO[key] = function(*args)
        return _MEMO[key]

    return wrapper


@contextlib.contextmanager
def _injected(defect: Defect) -> Iterator[None]:
    _MEMO.clear()
    try:
        with defect.inject():
            yield
    finally:
        _MEMO.clear()


# --- sections -----------------------------------------------------------------------------------

#: Section name -> "module:function" returning that section's claims, in the order printed.
SECTIONS: dict[str, str] = {
    "symbolic": "gantheory.report.symbolic:claims",
    "value function": "gantheory.report.value_function:claims",
    "curves": "gantheory.report.curves:claims",
    "gan": "gantheory.report.gan:claims",
    "errata": "gantheory.report.errata:claims",
    "f-GAN": "gantheory.report.fgan:fgan",
    "WGAN": "gantheory.report.fgan:wgan",
    "instance noise": "gantheory.report.fgan:instance_noise",
    "dirac-gan": "gantheory.report.dynamics:dirac",
    "gaussian dynamics": "gantheory.report.dynamics:gaussian",
    "regularized dynamics": "gantheory.report.regularized:dynamics",
    "methods from afar": "gantheory.report.regularized:methods",
    "MLP pair": "gantheory.report.regularized:mlp",
}


def _section(name: str) -> Callable[[], list[Claim]]:
    target = SECTIONS[name]
    if callable(target):
        return target
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def claims(sections: Iterable[str] | None = None) -> list[Claim]:
    """The claims of every section (or of the named ``sections``), without running their checks."""
    names = list(SECTIONS) if sections is None else list(sections)
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section {unknown[0]!r}; the sections are {', '.join(SECTIONS)}.")
    return [claim for name in names for claim in _section(name)()]


def verify(sections: Iterable[str] | None = None) -> list[Row]:
    """Run the check of every claim (or those of the named ``sections``) and return the rows."""
    _MEMO.clear()
    try:
        return [Row.of(claim, claim.check()) for claim in claims(sections)]
    finally:
        _MEMO.clear()


def falsify(sections: Iterable[str] | None = None) -> list[Falsified]:
    """Run every counted claim's check under its defect; each must fail (or raise) to be caught.

    An exception raised under the defect counts as caught (the defect broke the computation
    loudly); its type and message are recorded in ``raised``. Consecutive claims that carry the
    same :class:`Defect` object are checked under one injection, so that a computation they
    share (:func:`shared`) is redone once under the defect, not once per claim.
    """
    counted = [claim for claim in claims(sections) if claim.defect is not None]
    groups: list[list[Claim]] = []
    for claim in counted:
        if groups and groups[-1][0].defect is claim.defect:
            groups[-1].append(claim)
        else:
            groups.append([claim])
    out = []
    for group in groups:
        with _injected(group[0].defect):
            out += [_falsified(claim) for claim in group]
    return out


def _falsified(claim: Claim) -> Falsified:
    """``claim``'s check run once, inside an injected defect."""
    name = claim.defect.name if claim.defect is not None else ""
    try:
        outcome = claim.check()
    except Exception as error:  # noqa: BLE001 - a defect that crashes the check is caught
        return Falsified(claim.source, claim.statement, name, "", math.inf, True, f"{type(error).__name__}: {error}")
    return Falsified(claim.source, claim.statement, name, outcome.computed, outcome.error, not outcome.passed)


# --- output -------------------------------------------------------------------------------------


def _fmt(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    return f"{value:.12g}" if 1e-4 <= abs(value) < 1e6 else f"{value:.3e}"


def _table(header: tuple[str, ...], body: list[tuple[str, ...]], fmt: str, widths: dict[int, int]) -> list[str]:
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
    size = [max([len(h)] + [len(row[i]) for row in body]) for i, h in enumerate(header)]
    for i, w in widths.items():
        size[i] = min(size[i], w)
    out = []
    for row in [header, *body]:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, size)]
        out.append("  ".join(c.ljust(w) for c, w in zip(cells, size)).rstrip())
    return out


def render(rows: list[Row], fmt: str = "text") -> str:
    """The rows as ``text`` (a table for the terminal), ``markdown`` or ``json``.

    Counted claims come first with a summary line; notes (checks without a defect) after them.
    """
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], indent=2, allow_nan=True)
    counted = [r for r in rows if r.counted]
    notes = [r for r in rows if not r.counted]
    header = ("source", "claim", "reference from", "reference", "computed", "error", "tolerance",
              "smallest error caught", "falsifier", "verdict")
    body = [(r.source, r.claim, r.reference_source, _fmt(r.reference), _fmt(r.computed), _fmt(r.error),
             _fmt(r.tolerance), r.detects or "—", r.falsifier, "pass" if r.passed else "FAIL") for r in counted]
    widths = {1: 60, 2: 28, 3: 18, 4: 18, 7: 30, 8: 36}
    passed = sum(r.passed for r in counted)
    summary = f"{passed} of {len(counted)} claims verified"
    if passed != len(counted):
        summary += f"; {len(counted) - passed} FAILED"
    bold = "**" if fmt == "markdown" else ""
    lines = _table(header, body, fmt, widths) + ["", f"{bold}{summary}.{bold}"]
    if notes:
        lines += ["", f"Notes: {len(notes)} checks that no realistic defect can flip, so not counted as claims:", ""]
        note_header = ("source", "note", "reference", "computed", "verdict")
        note_body = [(r.source, r.claim, _fmt(r.reference), _fmt(r.computed), "holds" if r.passed else "FAILS")
                     for r in notes]
        lines += _table(note_header, note_body, fmt, {1: 72, 2: 22, 3: 22})
    return "\n".join(lines + ([""] if fmt == "markdown" else []))


def render_falsified(results: list[Falsified], fmt: str = "text") -> str:
    """What ``gantheory verify --falsify`` prints: each claim, its defect, and whether it was caught."""
    if fmt == "json":
        return json.dumps([asdict(r) for r in results], indent=2, allow_nan=True)
    header = ("source", "claim", "injected defect", "computed under it", "verdict")
    body = [(r.source, r.claim, r.falsifier, r.raised or _fmt(r.computed),
             "fails, as it should" if r.caught else "STILL PASSES") for r in results]
    caught = sum(r.caught for r in results)
    summary = f"{caught} of {len(results)} claims fail under their defect"
    if caught != len(results):
        summary += f"; {len(results) - caught} NOT FALSIFIED"
    bold = "**" if fmt == "markdown" else ""
    return "\n".join(_table(header, body, fmt, {1: 56, 2: 40, 3: 30}) + ["", f"{bold}{summary}.{bold}"])
