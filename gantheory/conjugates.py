"""The f-GAN table derived by sympy: each convex conjugate as a supremum, each optimal critic, proved.

For every row of :data:`gantheory.fdivergences.FDIVERGENCES`, :func:`derivation` starts from the
generator :math:`f` alone and computes, with sympy,

- the convex conjugate :math:`f^*(t) = \\sup_{u > 0} [t u - f(u)]`, by the subdifferential: on
  each smooth piece of :math:`f` the supremum is attained where :math:`f'(u) = t` (``sympy.solve``),
  at a kink :math:`c` for :math:`t` between the one-sided slopes (value :math:`t c - f(c)`), as
  :math:`u \\to 0^+` for :math:`t \\le f'(0^+)` (value :math:`-f(0^+)`), and it is :math:`+\\infty`
  beyond :math:`f'(\\infty)` (at :math:`t = f'(\\infty)` itself, a limit decides). This gives
  :math:`f^*` and its domain, with no formula typed in;
- the optimal critic from the pointwise maximization of :math:`T u - f^*(T)` over :math:`T`, as
  eq. (7) is derived from that of :math:`a \\log y + b \\log(1 - y)`: the maximizer is the
  :math:`T` with :math:`u \\in \\partial f^*(T)` (``sympy.solve`` of :math:`u = f^{*\\prime}(T)`);

and then proves, by simplifying differences to 0 on every region (each region of :math:`t`
parametrized by a positive symbol, so that sympy knows the signs), that the table's entries are
these: :math:`f^*` and its domain, :math:`T^* = f'(e^s)`, the activation :math:`g_f` mapping the
real line into the domain, :math:`f^*(g_f(v))`, the pre-activation :math:`V^*`, the log-forms
used against overflow, the range :math:`[f(1), f(0^+) + f'(\\infty)]`, and the Fenchel–Young
equality :math:`f^*(f'(u)) = u f'(u) - f(u)`.

:func:`nowozin_js_factor` settles the factor of the JS row of Nowozin et al. (2016): the paper's
generator gives twice the divergence of its own definition column.

This module imports sympy, so ``import gantheory`` does not import it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import sympy as sp

from gantheory.fdivergences import FDIVERGENCES, NOWOZIN_JS, FDivergence, fdivergence
from gantheory.symbolic import Check, Derivation, Step

__all__ = [
    "SYMPY",
    "Conjugate",
    "all_derivations",
    "conjugate",
    "derivation",
    "nowozin_js_derivation",
    "nowozin_js_factor",
    "s",
    "t",
    "u",
    "v",
]

#: The sympy backend for the table's expressions (the names of :data:`gantheory.fdivergences.NUMPY`).
SYMPY = SimpleNamespace(
    log=sp.log,
    exp=sp.exp,
    sqrt=sp.sqrt,
    expm1=lambda x: sp.exp(x) - 1,
    log1p=lambda x: sp.log(1 + x),
    softplus=lambda x: sp.log(1 + sp.exp(x)),
    tanh=sp.tanh,
    sign=sp.sign,
    abs=sp.Abs,
    maximum=sp.Max,
    where=lambda condition, a, b: sp.Piecewise((a, condition), (b, True)),
    LOG2=sp.log(2),
    inf=sp.oo,
)

u = sp.Symbol("u", positive=True)  # the ratio p/q at a point
t = sp.Symbol("t", real=True)  # the argument of f*, a critic's value
v = sp.Symbol("v", real=True)  # a critic's value before the activation
s = sp.Symbol("s", real=True)  # the log-ratio log p - log q
_w = sp.Symbol("w", positive=True)  # parametrizes an interval, so that sympy knows the signs
_F_STAR, _T_STAR = sp.Function("f^*"), sp.Symbol("T^*")


@dataclass(frozen=True)
class Conjugate:
    """:math:`f^*` derived from :math:`f`: its regions, its domain, and the optimal critic.

    Attributes
    ----------
    f : sympy expression in ``u``
    regions : tuple of (sympy Interval in ``t``, sympy expression in ``t``)
        :math:`f^*` on each region, ascending; together they make the domain.
    domain : sympy Set
        Where :math:`f^*` is finite.
    expr : sympy Piecewise
        :math:`f^*(t)`, ``oo`` outside the domain.
    critic : tuple of (sympy Set in ``u``, sympy expression in ``u``)
        The maximizer :math:`T^*(u)` of :math:`T u - f^*(T)` on each set of ratios.
    """

    f: sp.Expr
    regions: tuple[tuple[sp.Interval, sp.Expr], ...]
    domain: sp.Set
    expr: sp.Expr
    critic: tuple[tuple[sp.Set, sp.Expr], ...]


# --- helpers -------------------------------------------------------------------------------------


_y = sp.Symbol("y", positive=True)


def _zero(expr: sp.Expr) -> bool:
    """Whether sympy reduces ``expr`` to exactly 0.

    Tries simplification with the logs expanded and combined; where ``expr`` depends on the
    interval parameter ``w > 0``, also with :math:`w = \\log(1 + y)`, :math:`y > 0`, which lets
    sympy see that :math:`1 - e^{-w} = y/(1+y)` is positive.
    """
    expr = sp.piecewise_fold(expr)
    if _try_zero(expr):
        return True
    return expr.has(_w) and _try_zero(sp.simplify(expr.subs(_w, sp.log(1 + _y))))


def _try_zero(expr: sp.Expr) -> bool:
    for attempt in (
        lambda e: sp.simplify(e),
        lambda e: sp.simplify(sp.expand_log(sp.expand(e))),
        lambda e: sp.simplify(sp.logcombine(sp.expand_log(e), force=False)),
        lambda e: sp.simplify(e.rewrite(sp.exp)),
    ):
        if attempt(expr) == 0:
            return True
    return False


def _inside(interval: sp.Interval, symbol: sp.Symbol) -> sp.Expr:
    """A point of the open interval, as an expression of the positive symbol ``w``."""
    lo, hi = interval.start, interval.end
    if lo == -sp.oo and hi == sp.oo:
        return symbol
    if lo == -sp.oo:
        return hi - _w
    if hi == sp.oo:
        return lo + _w
    return lo + (hi - lo) * _w / (1 + _w)


def _equal_on(a: sp.Expr, b: sp.Expr, interval: sp.Set, symbol: sp.Symbol) -> bool:
    """Whether ``a == b`` on ``interval`` (an Interval or a point set), proved by simplification."""
    if isinstance(interval, sp.FiniteSet):
        return all(_zero((a - b).subs(symbol, point)) for point in interval)
    if interval.measure == 0:
        return _zero((a - b).subs(symbol, interval.start))
    ok = _zero((a - b).subs(symbol, _inside(interval, symbol)))
    for end, open_ in ((interval.start, interval.left_open), (interval.end, interval.right_open)):
        if not open_ and end.is_finite:
            ok = ok and _zero((a - b).subs(symbol, end))
    return ok


def _pieces(f: sp.Expr) -> list[tuple[sp.Expr, sp.Interval]]:
    """The smooth pieces of ``f`` on u > 0, ascending: (expression, open interval)."""
    folded = sp.piecewise_fold(f.rewrite(sp.Piecewise)) if f.has(sp.Abs) else f
    if not isinstance(folded, sp.Piecewise):
        return [(f, sp.Interval.open(0, sp.oo))]
    remaining: sp.Set = sp.Interval.open(0, sp.oo)
    out = []
    for expr, condition in folded.args:
        region = remaining if condition is sp.true else condition.as_set().intersect(remaining)
        remaining = remaining - region
        for part in region.args if isinstance(region, sp.Union) else (region,):
            out.append((expr, sp.Interval.open(part.start, part.end)))
    return sorted(out, key=lambda piece: piece[1].start)


def _text(region: sp.Set) -> str:
    """A region as a reader writes it: (0, 1), (-oo, 1/2], {1}."""
    if isinstance(region, sp.FiniteSet):
        return "{" + ", ".join(sp.sstr(x) for x in region) + "}"
    if isinstance(region, sp.Union):
        return " U ".join(_text(part) for part in region.args)
    if region == sp.Reals:
        return "(-oo, oo)"
    left = "(" if region.left_open or region.inf == -sp.oo else "["
    right = ")" if region.right_open or region.sup == sp.oo else "]"
    return f"{left}{sp.sstr(region.inf)}, {sp.sstr(region.sup)}{right}"


def _slope(expr: sp.Expr, point: sp.Expr, direction: str) -> sp.Expr:
    return sp.limit(sp.diff(expr, u), u, point, direction)


def _sample(lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    """A number strictly inside (lo, hi)."""
    if lo == -sp.oo and hi == sp.oo:
        return sp.Integer(0)
    if lo == -sp.oo:
        return hi - 1
    if hi == sp.oo:
        return lo + 1
    return (lo + hi) / 2


# --- the derivation ------------------------------------------------------------------------------


def conjugate(name: str | FDivergence) -> Conjugate:
    """:math:`f^*` of the row ``name``, derived from its generator as a supremum (see the module).

    Examples
    --------
    >>> c = conjugate("pearson")
    >>> c.expr
    Piecewise((-1, t <= -2), (t*(t + 4)/4, True))
    >>> c.domain
    Interval(-oo, oo)
    """
    return _conjugate(fdivergence(name))


@functools.lru_cache(maxsize=None)
def _conjugate(row: FDivergence) -> Conjugate:
    """Cached by the row itself, so that a changed table (a defect under test) is derived anew."""
    f = row.f(u, SYMPY)  # as the table writes it: simplify would fold the logs together
    pieces = _pieces(f)
    regions: list[tuple[sp.Interval, sp.Expr]] = []
    # u -> 0+: for t <= f'(0+) the supremum is approached at u = 0, where t u - f(u) -> -f(0+).
    first_slope = _slope(pieces[0][0], 0, "+")
    if first_slope.is_finite:
        regions.append((sp.Interval(-sp.oo, first_slope, True, False), -sp.limit(pieces[0][0], u, 0, "+")))
    for k, (expr, interval) in enumerate(pieces):
        derivative = sp.simplify(sp.diff(expr, u))
        lo_slope = _slope(expr, interval.start, "+")
        hi_slope = _slope(expr, interval.end, "-")
        if derivative.free_symbols:  # strictly convex: the supremum is where f'(u) = t
            inside = _sample(lo_slope, hi_slope)
            roots = [r for r in sp.solve(sp.Eq(derivative, t), u) if _in(r.subs(t, inside), interval)]
            if len(roots) != 1:
                raise ArithmeticError(f"{row.name}: sympy found {len(roots)} stationary points, not 1")
            region = sp.Interval.open(lo_slope, hi_slope)
            regions.append((region, _on_region(roots[0], expr, region)))
        if k + 1 < len(pieces):  # a kink at c: for t between the one-sided slopes, the sup is at c
            c = interval.end
            right = _slope(pieces[k + 1][0], c, "+")
            regions.append((sp.Interval(hi_slope, right), sp.simplify(t * c - expr.subs(u, c))))
    # t = f'(oo): the supremum is a limit, finite or not; beyond it, +oo.
    last_expr = pieces[-1][0]
    top = _slope(last_expr, sp.oo, "-")
    if top.is_finite:
        at_top = sp.limit(top * u - last_expr, u, sp.oo)
        if at_top.is_finite:
            regions.append((sp.FiniteSet(top), at_top))
    regions = _merge(regions)
    domain = sp.Union(*[interval for interval, _ in regions])
    expr = sp.Piecewise(*[(value, interval.as_relational(t)) for interval, value in regions], (sp.oo, True))
    return Conjugate(f, tuple(regions), domain, sp.piecewise_fold(expr), _critic(regions))


def _on_region(root: sp.Expr, expr: sp.Expr, region: sp.Interval) -> sp.Expr:
    """:math:`t u(t) - f(u(t))` simplified with t in ``region``: t is replaced by a parametrization
    with a positive symbol (so that sympy knows the signs inside the logs), the stationary point
    simplified, the value simplified, and t substituted back."""
    point = _inside(region, t)
    if point == t:
        return sp.simplify(t * root - expr.subs(u, root))
    at = sp.simplify(root.subs(t, point))
    simpler = sp.simplify(sp.expand_log(point * at - expr.subs(u, at)))
    back = sp.solve(sp.Eq(point, t), _w)
    return sp.simplify(simpler.subs(_w, back[0]))


def _in(value: sp.Expr, interval: sp.Interval) -> bool:
    number = complex(value.evalf())
    return abs(number.imag) < 1e-12 and interval.contains(sp.Float(number.real)) is sp.true


def _merge(regions: list[tuple[sp.Set, sp.Expr]]) -> list[tuple[sp.Set, sp.Expr]]:
    """Drop empty regions and join a point onto the neighbour whose formula it continues."""
    out: list[tuple[sp.Set, sp.Expr]] = []
    for interval, value in sorted((r for r in regions if r[0] is not sp.S.EmptySet),
                                  key=lambda r: (r[0].inf, r[0].sup)):
        if out:
            previous, formula = out[-1]
            at = formula.subs(t, interval.inf)
            if (previous.sup == interval.inf and at.is_finite and _zero(at - value.subs(t, interval.inf))
                    and (isinstance(interval, sp.FiniteSet) or _zero(formula - value))):
                out[-1] = (sp.Union(previous, interval), formula)
                continue
        out.append((interval, value))
    return out


def _critic(regions: list[tuple[sp.Set, sp.Expr]]) -> tuple[tuple[sp.Set, sp.Expr], ...]:
    """The maximizer of T u - f*(T) over T: the T with u in the subdifferential of f* at T.

    Inside a region where f* is strictly convex, sympy solves u = f*'(T). At a boundary point c
    of the regions the subdifferential is [left slope, right slope] (right slope +oo at a closed
    end of the domain), and T = c for the ratios u in it.
    """
    out = []
    slopes: dict[sp.Expr, list[sp.Expr]] = {}  # point -> [left slope, right slope]
    for interval, value in regions:
        if isinstance(interval, sp.FiniteSet) or interval.measure == 0:
            continue
        slope = sp.simplify(sp.diff(value, t))
        lo = sp.limit(slope, t, interval.inf, "+") if interval.inf.is_finite else sp.limit(slope, t, -sp.oo)
        hi = sp.limit(slope, t, interval.sup, "-") if interval.sup.is_finite else sp.limit(slope, t, sp.oo)
        if interval.inf.is_finite:
            slopes.setdefault(interval.inf, [None, None])[1] = lo
        if interval.sup.is_finite:
            slopes.setdefault(interval.sup, [None, None])[0] = hi
        if slope.free_symbols:  # strictly convex piece
            ratios = sp.Interval.open(lo, hi).intersect(sp.Interval.open(0, sp.oo))
            roots = [r for r in sp.solve(sp.Eq(slope, u), t)
                     if _in(r.subs(u, _sample(ratios.inf, ratios.sup)), sp.Interval.open(interval.inf, interval.sup))]
            if len(roots) != 1:
                raise ArithmeticError(f"sympy found {len(roots)} maximizers of T u - f*(T), not 1")
            out.append((ratios, sp.simplify(roots[0])))
    domain = sp.Union(*[interval for interval, _ in regions])
    for point, (left, right) in slopes.items():
        if right is None:  # the closed end of the domain: f* jumps to +oo beyond it
            right = sp.oo if domain.contains(point) is sp.true else None
        if left is None or right is None or not left < right:
            continue
        ratios = sp.Interval(left, right, False, right == sp.oo).intersect(sp.Interval.open(0, sp.oo))
        if ratios is not sp.S.EmptySet:
            out.append((ratios, point))
    return tuple(sorted(out, key=lambda item: (item[0].inf, item[0].sup)))


# --- the checks ----------------------------------------------------------------------------------


def _table(row: FDivergence, field: str, symbol: sp.Symbol) -> sp.Expr:
    return sp.piecewise_fold(getattr(row, field)(symbol, SYMPY))


def _close(a: Any, b: float) -> bool:
    """A sympy number and a float from the table agree (both infinite with one sign, or to 1e-15)."""
    a = float(a)
    if a in (float("inf"), float("-inf")) or b in (float("inf"), float("-inf")):
        return a == b
    return abs(a - b) <= 1e-15 * max(1.0, abs(b))


def _open(interval: sp.Interval) -> sp.Interval:
    return sp.Interval.open(interval.inf, interval.sup)


def _preimage(g: sp.Expr, region: sp.Set, ends: tuple[sp.Expr, sp.Expr]) -> sp.Interval | None:
    """The v with g(v) in ``region`` for an increasing g with limits ``ends`` (None if empty)."""
    def solve(value: sp.Expr, side: sp.Expr) -> sp.Expr | None:
        if value == side or (value < ends[0]) == True or value == ends[0]:  # noqa: E712 - sympy truth
            return -sp.oo if side == -sp.oo else None
        if (value > ends[1]) == True or value == ends[1]:  # noqa: E712
            return sp.oo if side == sp.oo else None
        roots = [r for r in sp.solve(sp.Eq(g, value), v) if r.is_real is not False]
        return roots[0] if len(roots) == 1 else None

    lo = -sp.oo if region.inf == -sp.oo or (region.inf <= ends[0]) == True else solve(region.inf, -sp.oo)  # noqa: E712
    hi = sp.oo if region.sup == sp.oo or (region.sup >= ends[1]) == True else solve(region.sup, sp.oo)  # noqa: E712
    if lo is None or hi is None or not lo < hi:
        return None
    return sp.Interval.open(lo, hi)


def _checks(row: FDivergence, c: Conjugate) -> list[Check]:
    checks = []
    pieces = _pieces(c.f)
    convex = all(sp.simplify(sp.diff(e, u, 2)).is_nonnegative for e, _ in pieces)
    convex = convex and all(_slope(pieces[k][0], pieces[k][1].end, "-") <= _slope(pieces[k + 1][0], pieces[k][1].end, "+")
                            for k in range(len(pieces) - 1))
    checks.append(Check("f is convex on u > 0 (f'' >= 0 on each piece, slopes increase at kinks)", bool(convex)))
    lower, upper = row.bounds
    f1 = sp.simplify(c.f.subs(u, 1))
    disjoint = sp.simplify(sp.limit(c.f, u, 0, "+") + sp.limit(c.f / u, u, sp.oo))
    checks.append(Check(f"range: f(1) = {sp.sstr(f1)}, the table's lower bound", _close(f1, lower)))
    checks.append(Check(f"range: f(0+) + lim f(u)/u = {sp.sstr(disjoint)} (disjoint supports), the table's upper bound",
                        _close(disjoint, upper)))
    table_conj = _table(row, "conjugate", t)
    checks.append(Check("f*(t) derived as the supremum equals the table's f* on every region of the domain",
                        all(_equal_on(value, table_conj, interval, t) for interval, value in c.regions)))
    d = c.domain
    same_domain = (isinstance(d, sp.Interval) and _close(d.inf, row.domain.lo) and _close(d.sup, row.domain.hi)
                   and d.left_open != row.domain.lo_closed and d.right_open != row.domain.hi_closed)
    checks.append(Check(f"the domain of f* is {_text(d)}, as in the table: {row.domain}", bool(same_domain)))
    fenchel = True
    for expr, interval in pieces:
        slope = sp.diff(expr, u)
        if not slope.free_symbols:
            continue
        probe = slope.subs(u, _sample(interval.start, interval.end if interval.end.is_finite else interval.start + 2))
        at = [value for region, value in c.regions if region.measure > 0 and _in(probe, _open(region))]
        fenchel = fenchel and len(at) == 1 and _equal_on(at[0].subs(t, slope), u * slope - expr, interval, u)
    checks.append(Check("Fenchel-Young equality f*(f'(u)) = u f'(u) - f(u) on every smooth piece", bool(fenchel)))
    critic = _table(row, "critic", s).subs(s, sp.log(u))
    attains = True
    for ratios, value in c.critic:
        if ratios.measure > 0:
            attains = attains and _equal_on(value, critic, _open(ratios), u)
    # Where two maximizers meet (u = 1 for total variation), the table's value must attain the same sup.
    for (first, value), (second, other) in zip(c.critic, c.critic[1:]):
        for point in (first.intersect(second)).boundary if first.intersect(second) is not sp.S.EmptySet else ():
            phi = lambda T, at=point: at * T - c.expr.subs(t, T)  # noqa: E731
            attains = attains and _zero(phi(critic.subs(u, point)) - phi(value))
    checks.append(Check("T* = argmax_T [T u - f*(T)] (from the subdifferential of f*) equals the table's critic "
                        "f'(e^s), s = log u", bool(attains)))
    g = _table(row, "activation", v)
    ends = (sp.limit(g, v, -sp.oo), sp.limit(g, v, sp.oo))
    inside = (bool(sp.simplify(sp.diff(g, v)).is_positive) and float(ends[0]) >= row.domain.lo - 1e-15
              and float(ends[1]) <= row.domain.hi + 1e-15)
    checks.append(Check(f"g_f is increasing and maps the real line into the domain (onto {_text(sp.Interval.open(*ends))})",
                        inside))
    table_conj_act = _table(row, "conjugate_activation", v)
    composed = True
    for region, value in c.regions:
        if region.measure == 0:
            continue
        pre = _preimage(g, region, ends)
        if pre is not None:
            composed = composed and _equal_on(value.subs(t, g), table_conj_act, pre, v)
    checks.append(Check("f*(g_f(v)) equals the table's conjugate_activation for every real v", bool(composed)))
    pre_activation = g.subs(v, _table(row, "pre_activation", s))
    table_critic = _table(row, "critic", s)
    checks.append(Check("g_f(V*(s)) = T*(s) for s > 0 and s < 0: the table's pre_activation is the critic's pre-image",
                        _equal_on(pre_activation, table_critic, sp.Interval.open(0, sp.oo), s)
                        and _equal_on(pre_activation, table_critic, sp.Interval.open(-sp.oo, 0), s)))
    halves = (sp.Interval.open(0, sp.oo), sp.Interval.open(-sp.oo, 0))
    if row.log_conjugate is not None:
        checks.append(Check("exp(2 log_conjugate(t)) = f*(t)^2 on the domain",
                            all(_equal_on(sp.exp(2 * _table(row, "log_conjugate", t)), value**2, region, t)
                                for region, value in c.regions)))
    if row.log_conjugate_activation is not None:
        checks.append(Check("exp(2 log_conjugate_activation(v)) = f*(g_f(v))^2",
                            all(_equal_on(sp.exp(2 * _table(row, "log_conjugate_activation", v)), table_conj_act**2,
                                          half, v) for half in halves)))
    if row.log_activation is not None:
        checks.append(Check("exp(2 log_activation(v)) = g_f(v)^2",
                            all(_equal_on(sp.exp(2 * _table(row, "log_activation", v)), g**2, half, v)
                                for half in halves)))
    return checks


def derivation(name: str | FDivergence) -> Derivation:
    """The derivation of row ``name``'s conjugate and optimal critic, with sympy's checks.

    Examples
    --------
    >>> d = derivation("gan")
    >>> d.statement
    Eq(f^*(t), Piecewise((log(1/(1 - exp(t))), t < 0), (oo, True)))
    >>> d.verified
    True
    """
    return _derivation(fdivergence(name))


@functools.lru_cache(maxsize=None)
def _derivation(row: FDivergence) -> Derivation:
    c = _conjugate(row)
    pieces = _pieces(c.f)
    steps = [Step(f"the generator of {row.title}, D_f = {row.definition}", sp.Eq(sp.Function("f")(u), c.f,
                                                                                  evaluate=False))]
    for expr, interval in pieces:
        slope = sp.simplify(sp.diff(expr, u))
        where = "" if len(pieces) == 1 else f" on u in {_text(interval)}"
        steps.append(Step(f"its slope{where}: from {sp.sstr(_slope(expr, interval.start, '+'))} as u -> "
                          f"{sp.sstr(interval.start)}+ to {sp.sstr(_slope(expr, interval.end, '-'))} as u -> "
                          f"{sp.sstr(interval.end)}-; f'' = {sp.sstr(sp.simplify(sp.diff(expr, u, 2)))} >= 0",
                          sp.Eq(sp.Symbol("f'(u)"), slope, evaluate=False)))
    for interval, value in c.regions:
        steps.append(Step(f"sup over u > 0 of t u - f(u) for t in {_text(interval)}",
                          sp.Eq(_F_STAR(t), value, evaluate=False)))
    for ratios, value in c.critic:
        steps.append(Step(f"maximizer of T u - f*(T) for u in {_text(ratios)} (u in the subdifferential of f* at T)",
                          sp.Eq(_T_STAR, value, evaluate=False)))
    return Derivation(
        name=f"conjugate_{row.name.replace('-', '_')}",
        title=f"{row.title[0].upper()}{row.title[1:]}: f*, its domain and T*",
        source="Nowozin, Cseke & Tomioka 2016, Tables 1-2",
        statement=sp.Eq(_F_STAR(t), c.expr, evaluate=False),
        steps=tuple(steps),
        checks=tuple(_checks(row, c)),
        notes="Symbolic throughout: sympy solves f'(u) = t on each smooth piece of f, takes the one-sided "
              "limits at u -> 0+, at kinks and at u -> oo, and proves each table entry equal to what it "
              "derived by simplifying the difference to 0 on every region, parametrized by a positive "
              "symbol so that the signs are known. The supremum is attained at the stationary point "
              "because f is convex (checked).",
    )


@functools.lru_cache(maxsize=None)
def nowozin_js_factor() -> sp.Expr:
    """The ratio of the divergence of f-GAN's printed JS generator to the JS of its definition column.

    Pointwise, :math:`q\\, f_{paper}(p/q) = p \\log\\frac{2p}{p+q} + q \\log\\frac{2q}{p+q}`, the
    integrand of the definition column *without* its ½, so the ratio is 2.

    Examples
    --------
    >>> nowozin_js_factor()
    2
    """
    p, q = sp.symbols("p q", positive=True)
    paper = q * NOWOZIN_JS.f(p / q, SYMPY)
    definition = sp.Rational(1, 2) * (p * sp.log(2 * p / (p + q)) + q * sp.log(2 * q / (p + q)))
    ratio = sp.simplify(sp.expand_log(paper, force=False) / sp.expand_log(definition))
    if ratio.free_symbols:
        ratio = sp.simplify(sp.expand_log(sp.expand(paper)) / sp.expand_log(sp.expand(definition)))
    return ratio


@functools.lru_cache(maxsize=None)
def nowozin_js_derivation() -> Derivation:
    """f-GAN's Table 1, JS row: its generator gives 2 JS, not the JS of its definition column."""
    p, q = sp.symbols("p q", positive=True)
    paper = q * NOWOZIN_JS.f(p / q, SYMPY)
    ours = q * FDIVERGENCES["js"].f(p / q, SYMPY)
    integrand = p * sp.log(2 * p / (p + q)) + q * sp.log(2 * q / (p + q))
    factor = nowozin_js_factor()
    checks = (
        Check("q f_paper(p/q) = p log(2p/(p+q)) + q log(2q/(p+q)), without the 1/2",
              _zero(sp.expand_log(paper - integrand))),
        Check("the toolkit's generator (half the paper's) gives the definition with the 1/2: JS",
              _zero(sp.expand_log(ours - integrand / 2))),
        Check("so the paper's generator gives 2 JS: the ratio is 2", factor == 2),
    )
    paper_symbol = sp.Symbol(r"q\, f_{\mathrm{paper}}(p/q)")
    d_paper = sp.Symbol(r"D_{f_{\mathrm{paper}}}")
    return Derivation(
        name="nowozin_js",
        title="f-GAN's JS row: the generator gives 2 JS",
        source="Nowozin, Cseke & Tomioka 2016, Table 1 (erratum)",
        statement=sp.Eq(d_paper, factor * sp.Symbol("JS"), evaluate=False),
        steps=(Step("the generator printed in the JS row", sp.Eq(sp.Function(r"f_{\mathrm{paper}}")(u),
                                                                 NOWOZIN_JS.f(u, SYMPY), evaluate=False)),
               Step("the definition column's integrand, with its 1/2",
                    sp.Eq(sp.Symbol(r"\mathrm{JS}\ \mathrm{integrand}"), integrand / 2, evaluate=False)),
               Step("pointwise, q f_paper(p/q) minus the definition's integrand without the 1/2, simplified",
                    sp.Eq(paper_symbol - integrand, sp.simplify(sp.expand_log(paper - integrand)), evaluate=False)),
               Step("so the paper's D_f over the JS of its own definition column is", sp.Eq(
                   d_paper / sp.Symbol("JS"), factor, evaluate=False))),
        checks=checks,
        notes="Symbolic: the integrands agree pointwise up to the factor, so the integrals do for every "
              "pair of densities. The toolkit's 'js' row halves the generator (and with it f*, g_f and T*); "
              "'gan' keeps the paper's GAN row, 2 JS - log 4, which is consistent as printed.",
    )


def all_derivations() -> tuple[Derivation, ...]:
    """Every row's derivation, in the table's order, and the JS factor."""
    return tuple(derivation(name) for name in FDIVERGENCES) + (nowozin_js_derivation(),)


def numeric(expr: sp.Expr, symbol: sp.Symbol) -> Callable[[Any], Any]:
    """``expr`` as a NumPy function of ``symbol`` (for plotting a derived conjugate)."""
    return sp.lambdify(symbol, expr, modules="numpy")
