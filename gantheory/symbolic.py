"""The article's results derived by sympy: eq. (7), eq. (8) -> (9), Theorem 1, Gaussian closed forms.

Nothing here is typed in and then admired: each result is *computed* by sympy (``solve``,
``diff``, ``integrate``, ``simplify``, ``Poly``) from the definitions, and every claim a
derivation makes is re-checked by sympy and recorded with its verdict in
:attr:`Derivation.checks`. What sympy cannot derive is said so: Theorem 1 rests on one lemma of
integration theory (a non-negative integrand has a non-negative integral, zero only if the
integrand vanishes almost everywhere), which its derivation lists in
:attr:`Derivation.assumptions` rather than proves.

Each derivation function returns a :class:`Derivation`: its ``statement`` (a sympy ``Eq`` or
inequality), its ``steps`` (one-line explanation, sympy expression) in the order a reader would
follow them, its ``checks`` and its ``assumptions``. ``Derivation.latex()`` and ``Step.latex()``
give LaTeX. Derivations are computed once per process (sympy is slow) and cached;
:func:`cache_clear` forgets them.

The definitions the derivations start from are small functions of this module, so that each
enters in one place: :func:`pointwise_value` (the integrand of eq. (6) at one point),
:func:`mixture` (m of eq. (8)), :func:`gibbs` (Gibbs' function) and :func:`gaussian_density`.

- :func:`optimal_discriminator`: eq. (7), :math:`D^*_G = p_{data} / (p_{data} + p_g)`;
- :func:`virtual_criterion`: eq. (8) -> (9), :math:`C(G) = 2\\,\\mathrm{JS} - 2 \\log 2`;
- :func:`theorem_1`: :math:`C(G) \\ge -\\log 4`, with equality at :math:`p_g = p_{data}`, its
  pointwise steps derived and its integration lemma assumed;
- :func:`gaussian_kl_derivation`: KL between two Gaussians, by integration;
- :func:`gaussian_logit_derivation`: :math:`\\operatorname{logit} D^*` for two Gaussians as
  :math:`a x^2 + b x + c`.

:func:`gaussian_kl` and :func:`gaussian_logit_coefficients` return the bare sympy expressions;
:func:`gaussian_kl_numeric` and :func:`gaussian_logit_coefficients_numeric` evaluate them as
floats (lambdified once). :func:`all_derivations` lists every derivation in the article's order.

The symbols are module attributes, so results can be substituted and lambdified:
``p_data``, ``p_g``, ``m`` (density values at one point, positive), ``D`` (a discriminator's value
at that point), ``a``, ``b``, ``y`` (the pointwise problem of eq. (7)), ``t`` (the ratio in Gibbs'
inequality), ``x`` (the point on the real line), and ``mu1``, ``sigma1``, ``mu2``, ``sigma2``
(two Gaussians; in the logit, 1 is the data and 2 the generator).

This module imports sympy, so ``import gantheory`` does not import it: write
``from gantheory import symbolic``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import sympy as sp
from sympy.calculus.util import minimum

from gantheory.distributions import check_real

__all__ = [
    "Check",
    "D",
    "Derivation",
    "JS",
    "KL",
    "Normal",
    "Step",
    "a",
    "all_derivations",
    "b",
    "cache_clear",
    "gaussian_density",
    "gaussian_kl",
    "gaussian_kl_derivation",
    "gaussian_kl_numeric",
    "gaussian_logit_coefficients",
    "gaussian_logit_coefficients_numeric",
    "gaussian_logit_derivation",
    "gibbs",
    "m",
    "mixture",
    "mu1",
    "mu2",
    "optimal_discriminator",
    "p_data",
    "p_g",
    "pointwise_value",
    "sigma1",
    "sigma2",
    "t",
    "theorem_1",
    "virtual_criterion",
    "x",
    "y",
]

# --- symbols ---------------------------------------------------------------------------------
# Positivity is what lets sympy split log(p/q) into log p - log q and decide signs; the values of
# densities where the identities are used are positive (elsewhere both sides are 0 by convention).

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", positive=True)
a, b = sp.symbols("a b", positive=True)
t = sp.Symbol("t", positive=True)
p_data, p_g, m = sp.symbols("p_data p_g m", positive=True)
D = sp.Symbol("D", positive=True)
mu1, mu2 = sp.symbols("mu1 mu2", real=True)
sigma1, sigma2 = sp.symbols("sigma1 sigma2", positive=True)

# Display-only names: the left-hand sides of the statements.
_C = sp.Symbol("C(G)")
_D_STAR = sp.Symbol("D^*_G")
_Y_STAR = sp.Symbol("y^*")
_LOGIT = sp.Function("logit")
# Densities as functions of x, for the integrals.
_P_DATA, _P_G, _M = (sp.Function(name)(x) for name in ("p_data", "p_g", "m"))
_REAL_LINE = (x, -sp.oo, sp.oo)


class _Divergence(sp.Function):
    """A named divergence between two densities, printed as ``NAME(p || q)`` in LaTeX."""

    nargs = 2

    def _latex(self, printer: Any, exp: Any = None) -> str:
        left, right = (printer._print(arg) for arg in self.args)
        tex = rf"\mathrm{{{type(self).__name__}}}\left({left} \,\middle\|\, {right}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


class KL(_Divergence):
    """The Kullback-Leibler divergence as an unevaluated sympy function, ``KL(p, q)``."""


class JS(_Divergence):
    """The Jensen-Shannon divergence as an unevaluated sympy function, ``JS(p, q)``."""


class Normal(sp.Function):
    """The Gaussian :math:`\\mathcal{N}(\\mu, \\sigma^2)` as an unevaluated label, ``Normal(mu, var)``."""

    nargs = 2

    def _latex(self, printer: Any, exp: Any = None) -> str:
        mean, var = (printer._print(arg) for arg in self.args)
        tex = rf"\mathcal{{N}}\left({mean}, {var}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


# --- result types ----------------------------------------------------------------------------


class Step(NamedTuple):
    """One step of a derivation: a one-line explanation and the sympy expression it produces."""

    explanation: str
    expr: sp.Basic

    def latex(self) -> str:
        """The step's expression in LaTeX."""
        return sp.latex(self.expr)


class Check(NamedTuple):
    """A claim of a derivation and whether sympy confirmed it (``holds``)."""

    claim: str
    holds: bool


@dataclass(frozen=True)
class Derivation:
    """A result derived by sympy, with the steps that lead to it and the checks sympy made.

    Attributes
    ----------
    name : str
        The name of the function that builds it, such as ``"optimal_discriminator"``.
    title : str
        A short human title.
    source : str
        Where the result stands: ``"eq. (7)"``, ``"Theorem 1 (Goodfellow et al. 2014)"``.
    statement : sympy relational
        The result, usually an ``Eq`` whose right-hand side is the derived expression.
    steps : tuple of Step
        ``(explanation, expr)`` pairs in reading order; each ``expr`` is an equation,
        inequality or expression that sympy produced.
    checks : tuple of Check
        Each claim the derivation relies on, with the verdict sympy returned.
    notes : str
        Which steps are symbolic and which are not.
    assumptions : tuple of str
        Lemmas the derivation takes as given rather than derives (empty when every step is
        symbolic). A derivation with assumptions is derived by sympy only up to them.

    Examples
    --------
    >>> d = optimal_discriminator()
    >>> print(d.latex())
    D^{*}_{G} = \\frac{p_{data}}{p_{data} + p_{g}}
    >>> explanation, expr = d.steps[2]
    >>> explanation, expr.rhs
    ('sympy.solve of derivative = 0: the only stationary point', a/(a + b))
    """

    name: str
    title: str
    source: str
    statement: sp.Basic
    steps: tuple[Step, ...]
    checks: tuple[Check, ...]
    notes: str = ""
    assumptions: tuple[str, ...] = ()

    @property
    def verified(self) -> bool:
        """True when every check held (the :attr:`assumptions`, if any, are not checked)."""
        return all(check.holds for check in self.checks)

    def latex(self) -> str:
        """The statement in LaTeX (use ``step.latex()`` for the steps)."""
        return sp.latex(self.statement)

    def __str__(self) -> str:
        lines = [f"{self.title} [{self.source}]", f"  {self.statement}"]
        lines += [f"  {i}. {s.explanation}: {s.expr}" for i, s in enumerate(self.steps, 1)]
        lines += [f"  [{'ok' if c.holds else 'FAILED'}] {c.claim}" for c in self.checks]
        lines += [f"  [assumed] {assumption}" for assumption in self.assumptions]
        return "\n".join(lines)


# --- helpers ---------------------------------------------------------------------------------


def _eq(lhs: sp.Basic, rhs: sp.Basic) -> sp.Eq:
    """An equation left as written: sympy must not collapse a step to ``True``."""
    return sp.Eq(lhs, rhs, evaluate=False)


def _is_zero(expr: sp.Expr) -> bool:
    """Whether sympy simplifies ``expr`` to exactly 0 (logs expanded with the symbols' signs)."""
    return sp.simplify(sp.expand_log(sp.expand(expr))) == 0


def _integrate_over_line(integrand: sp.Expr) -> sp.Expr:
    """The integral of ``integrand`` over the real line, split into terms by linearity.

    Each additive term ``c * f(x)`` becomes ``c * Integral(f(x))``, with ``c`` free of ``x``.
    Logs are not expanded, so ``p log(p/m)`` stays one integrand that the KL definition matches.
    """
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(integrand, log=False)):
        const, dependent = term.as_independent(x, as_Add=False)
        total += const * sp.Integral(dependent, _REAL_LINE)
    return total


def _normalize(expr: sp.Expr, *densities: sp.Expr) -> sp.Expr:
    """Replace the integral of each density over the real line by 1."""
    return expr.subs({sp.Integral(density, _REAL_LINE): 1 for density in densities})


def _kl_integral(p: sp.Expr, q: sp.Expr) -> sp.Integral:
    """The defining integral of KL(p || q) for densities given as functions of x."""
    return sp.Integral(p * sp.log(p / q), _REAL_LINE)


# --- the definitions the derivations start from ---------------------------------------------------


def pointwise_value(p: sp.Expr, q: sp.Expr, d: sp.Expr) -> sp.Expr:
    """The integrand of V(D, G) of eq. (6) at one point: :math:`p \\log d + q \\log(1 - d)`.

    ``p`` and ``q`` are the values of :math:`p_{data}` and :math:`p_g` there, ``d`` that of D.

    Examples
    --------
    >>> pointwise_value(a, b, y)
    a*log(y) + b*log(1 - y)
    """
    return p * sp.log(d) + q * sp.log(1 - d)


def mixture(p: sp.Expr, q: sp.Expr) -> sp.Expr:
    """The mixture :math:`m = (p + q)/2` of eq. (8) and of the definition of JS.

    Examples
    --------
    >>> mixture(p_data, p_g)
    p_data/2 + p_g/2
    """
    return (p + q) / 2


def gibbs(u: sp.Expr) -> sp.Expr:
    """Gibbs' function :math:`f(t) = t \\log t - t + 1`, whose non-negativity gives KL >= 0.

    Examples
    --------
    >>> gibbs(t)
    t*log(t) - t + 1
    """
    return u * sp.log(u) - u + 1


def gaussian_density(mean: sp.Expr, std: sp.Expr) -> sp.Expr:
    """The density of :math:`N(\\mathrm{mean}, \\mathrm{std}^2)` at :data:`x`.

    Examples
    --------
    >>> gaussian_density(0, 1)
    sqrt(2)*exp(-x**2/2)/(2*sqrt(pi))
    """
    return sp.exp(-((x - mean) ** 2) / (2 * std**2)) / (std * sp.sqrt(2 * sp.pi))


def cache_clear() -> None:
    """Forget every cached derivation and numerical function, so that the next call recomputes it.

    The report's defects patch a definition above (a wrong sign, a dropped factor) and call this
    before and after, so that the derivations are redone with the defect and then without it.
    """
    for value in list(globals().values()):
        if callable(getattr(value, "cache_clear", None)) and value is not cache_clear:
            value.cache_clear()


def _together_in_logs(expr: sp.Expr) -> sp.Expr:
    """Write the argument of every log as one fraction: log(1 - p/(p+q)) -> log(q/(p+q))."""
    return expr.replace(sp.log, lambda arg: sp.log(sp.together(arg)))


# --- eq. (7) ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def optimal_discriminator() -> Derivation:
    """Eq. (7): the optimal discriminator :math:`D^*_G = p_{data} / (p_{data} + p_g)`, derived.

    Returns
    -------
    Derivation
        ``statement`` is ``Eq(D^*_G, p_data/(p_data + p_g))`` in the symbols :data:`p_data` and
        :data:`p_g` (the two densities' values at one point x).

    Notes
    -----
    At each x, V(D, G) of eq. (6) integrates :math:`a \\log y + b \\log(1 - y)` with
    :math:`a = p_{data}(x)`, :math:`b = p_g(x)`, :math:`y = D(x)`, so D can be maximized pointwise.
    sympy differentiates in y and ``solve`` returns the single stationary point
    :math:`a/(a+b)`, which lies in (0, 1). The second derivative there,
    :math:`-(a+b)^3/(ab)`, is negative for positive a, b, and it is negative on all of (0, 1)
    (sympy decides its sign after the substitution :math:`y = u/(1+u)`, u > 0, which maps
    :math:`(0, \\infty)` onto (0, 1)), so the objective is concave and the point is its global
    maximum. Substituting :math:`a = p_{data}`, :math:`b = p_g` gives eq. (7) of the article
    (Proposition 1 of Goodfellow et al. 2014).

    Examples
    --------
    >>> d = optimal_discriminator()
    >>> d.statement
    Eq(D^*_G, p_data/(p_data + p_g))
    >>> d.statement.rhs.subs({p_data: 1, p_g: 1})     # equal densities: D* = 1/2
    1/2
    >>> d.verified
    True
    """
    objective = pointwise_value(a, b, y)
    first = sp.diff(objective, y)
    stationary = sp.solve(_eq(first, 0), y)
    (y_star,) = stationary  # internal invariant: exactly one solution (checked below too)
    second = sp.diff(objective, y, 2)
    second_at_max = sp.factor(sp.simplify(second.subs(y, y_star)))
    u = sp.Symbol("u", positive=True)
    second_anywhere = sp.factor(sp.simplify(second.subs(y, u / (1 + u))))
    d_star = y_star.subs({a: p_data, b: p_g}, simultaneous=True)

    steps = (
        Step(
            "the integrand of V(D, G) at one point x, with a = p_data(x), b = p_g(x), y = D(x)",
            objective,
        ),
        Step("its derivative in y", _eq(sp.Derivative(objective, y), first)),
        Step("sympy.solve of derivative = 0: the only stationary point", _eq(_Y_STAR, y_star)),
        Step("the second derivative in y", _eq(sp.Derivative(objective, (y, 2)), second)),
        Step(
            "at the stationary point it is negative for a, b > 0: a maximum",
            sp.Lt(second_at_max, 0, evaluate=False),
        ),
        Step(
            "with y = u/(1+u), u > 0 (all of (0, 1)) it is negative everywhere: the maximum is global",
            sp.Lt(second_anywhere, 0, evaluate=False),
        ),
        Step("put a = p_data(x), b = p_g(x): eq. (7)", _eq(_D_STAR, d_star)),
    )
    checks = (
        Check("solve finds exactly one stationary point", len(stationary) == 1),
        Check(
            "the stationary point lies in (0, 1)",
            bool(y_star.is_positive) and bool(sp.simplify(1 - y_star).is_positive),
        ),
        Check("the derivative vanishes there", sp.simplify(first.subs(y, y_star)) == 0),
        Check("the second derivative is negative there for a, b > 0", second_at_max.is_negative is True),
        Check("the second derivative is negative on all of (0, 1)", second_anywhere.is_negative is True),
    )
    return Derivation(
        name="optimal_discriminator",
        title="The optimal discriminator",
        source="eq. (7)",
        statement=_eq(_D_STAR, d_star),
        steps=steps,
        checks=checks,
        notes="Symbolic throughout; a, b > 0 are the two densities' values at a point where both are positive.",
    )


# --- eq. (8) -> (9) --------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _value_at_optimum() -> tuple[sp.Expr, sp.Expr]:
    """The pointwise integrand of V before and after substituting D* of eq. (7)."""
    integrand = pointwise_value(p_data, p_g, D)
    at_optimum = _together_in_logs(integrand.subs(D, optimal_discriminator().statement.rhs))
    return integrand, at_optimum


@functools.lru_cache(maxsize=None)
def virtual_criterion() -> Derivation:
    """Eq. (8) -> (9): the virtual criterion :math:`C(G) = 2\\,\\mathrm{JS}(p_{data} \\| p_g) - 2\\log 2`.

    Returns
    -------
    Derivation
        ``statement`` is ``Eq(C(G), 2*JS(p_data, p_g) - 2*log(2))``.

    Notes
    -----
    Pointwise, the integrand of V (eq. (6)) with D replaced by D* (eq. (7)),
    :math:`p \\log D^* + q \\log(1 - D^*)`, equals
    :math:`p \\log(p/m) + q \\log(q/m) - (p + q) \\log 2` with :math:`m = (p+q)/2` exactly: sympy
    simplifies the difference to 0 for positive p, q. Integrating over x (linearity, with
    :math:`\\int p = \\int q = 1`) gives eq. (8), and the definitions of KL and JS give eq. (9).
    The result holds for every pair of densities; where one of them vanishes the pointwise
    terms are 0 by the convention :math:`0 \\log 0 = 0`, which the numerical
    :func:`gantheory.virtual_criterion` follows.

    Examples
    --------
    >>> d = virtual_criterion()
    >>> d.statement
    Eq(C(G), 2*JS(p_data, p_g) - 2*log(2))
    >>> d.verified
    True
    """
    integrand, at_optimum = _value_at_optimum()
    eq8_pointwise = p_data * sp.log(p_data / m) + p_g * sp.log(p_g / m) - (p_data + p_g) * sp.log(2)
    difference = at_optimum - eq8_pointwise.subs(m, mixture(p_data, p_g))

    as_functions = {p_data: _P_DATA, p_g: _P_G, m: _M}
    split = _integrate_over_line(eq8_pointwise.subs(as_functions))
    eq8 = _normalize(split, _P_DATA, _P_G)
    kl_form = eq8.subs(
        {_kl_integral(_P_DATA, _M): KL(p_data, m), _kl_integral(_P_G, _M): KL(p_g, m)}
    )
    js_definition = (KL(p_data, m) + KL(p_g, m)) / 2
    eq9 = 2 * JS(p_data, p_g) - 2 * sp.log(2)

    steps = (
        Step("the integrand of V(D, G), eq. (6), at one point x", integrand),
        Step("substitute D = D*_G of eq. (7)", at_optimum),
        Step(
            "sympy: the difference from the integrand of eq. (8), m = (p_data + p_g)/2, simplifies to 0",
            _eq(at_optimum, eq8_pointwise),
        ),
        Step("integrate over x and split the integral by linearity", _eq(_C, split)),
        Step("each density integrates to 1: eq. (8)", _eq(_C, eq8)),
        Step("the definition of KL", _eq(_C, kl_form)),
        Step(
            "the definition JS(p_data || p_g) = (KL(p_data || m) + KL(p_g || m))/2: eq. (9)",
            _eq(_C, eq9),
        ),
    )
    checks = (
        Check("the pointwise difference from eq. (8)'s integrand simplifies to 0", _is_zero(difference)),
        Check("after integration only KL terms and -2 log 2 remain", not kl_form.has(sp.Integral)),
        Check(
            "KL(p_data || m) + KL(p_g || m) - 2 log 2 = 2 JS - 2 log 2",
            sp.expand(kl_form - eq9.subs(JS(p_data, p_g), js_definition)) == 0,
        ),
    )
    return Derivation(
        name="virtual_criterion",
        title="The virtual training criterion is 2 JS - 2 log 2",
        source="eq. (8) -> (9)",
        statement=_eq(_C, eq9),
        steps=steps,
        checks=checks,
        notes=(
            "The pointwise identity is symbolic (p_data, p_g > 0). The integration step uses only "
            "linearity and that each density integrates to 1."
        ),
    )


# --- Theorem 1 -------------------------------------------------------------------------------


LEMMA = (
    "the integral of a non-negative function is non-negative, and it is 0 only if the function "
    "vanishes almost everywhere (integration theory; not derived by sympy)"
)


@functools.lru_cache(maxsize=None)
def theorem_1() -> Derivation:
    """Theorem 1 of Goodfellow et al.: :math:`C(G) \\ge -\\log 4`, with equality at :math:`p_g = p_{data}`.

    Returns
    -------
    Derivation
        ``statement`` is ``C(G) >= -log(4)``; ``assumptions`` holds the one lemma it rests on.

    Notes
    -----
    What sympy derives (symbolic):

    1. With :math:`p_g = p_{data}` the integrand of C(G) simplifies to
       :math:`-2 p_{data} \\log 2`, so (with :math:`\\int p_{data} = 1`) :math:`C(G) = -\\log 4`.
    2. Gibbs' inequality pointwise: :math:`f(t) = t \\log t - t + 1 \\ge 0` for t > 0. sympy
       finds :math:`f'(t) = \\log t`, whose only zero is t = 1, :math:`f(1) = 0` and
       :math:`f''(t) = 1/t > 0` (f strictly convex), so t = 1 is the unique global minimum; sympy's
       ``minimum`` of f over :math:`(0, \\infty)` confirms the value 0.
    3. :math:`q\\, f(p/q) = p \\log(p/q) - p + q` (the difference simplifies to 0), so after
       integration, by linearity and :math:`\\int p = \\int q = 1`,
       :math:`\\mathrm{KL}(p \\| q) = \\int q\\, f(p/q)\\, dx`.

    The decisive step is *assumed*, not derived (:data:`LEMMA`, in ``assumptions``): the integral
    of a non-negative function is non-negative, and 0 only if the function vanishes almost
    everywhere. With it, :math:`\\mathrm{KL} \\ge 0`, so :math:`\\mathrm{JS} = \\tfrac12
    \\mathrm{KL}(p_{data} \\| m) + \\tfrac12 \\mathrm{KL}(p_g \\| m) \\ge 0` and, by eq. (9) as
    derived in :func:`virtual_criterion`, :math:`C(G) = 2\\,\\mathrm{JS} - 2\\log 2 \\ge -\\log 4`,
    with equality only if :math:`p_{data} = m = p_g` almost everywhere (f vanishes only at t = 1).
    So the theorem is derived by sympy *given the lemma*; numerical checks of JS >= 0 on chosen
    densities (the report's Theorem 1 rows) illustrate it and prove nothing more.

    Examples
    --------
    >>> d = theorem_1()
    >>> d.statement
    C(G) >= -log(4)
    >>> d.verified, len(d.assumptions)
    (True, 1)
    """
    _, at_optimum = _value_at_optimum()
    at_equal = at_optimum.subs(p_g, p_data)
    at_equal_simplified = sp.simplify(at_equal)
    c_at_equal = _normalize(_integrate_over_line(at_equal_simplified.subs(p_data, _P_DATA)), _P_DATA)

    f_t = gibbs(t)
    f_first = sp.diff(f_t, t)
    f_zeros = sp.solve(_eq(f_first, 0), t)
    f_second = sp.diff(f_t, t, 2)
    f_min = minimum(f_t, t, sp.Interval.open(0, sp.oo))

    # KL(p || q) = integral of q f(p/q): the pointwise identity, then integration.
    p, q = p_data, p_g
    f_of_ratio = q * f_t.subs(t, p / q)
    expanded = p * sp.log(p / q) - p + q
    as_functions = {p: _P_DATA, q: _P_G}
    integrated = _normalize(_integrate_over_line(expanded.subs(as_functions)), _P_DATA, _P_G)
    kl_as_gibbs = integrated.subs(_kl_integral(_P_DATA, _P_G), KL(p, q))

    # With eq. (9) as derived (not retyped): C(G) + log 4 is 2 JS.
    eq9 = virtual_criterion().statement.rhs
    excess = sp.simplify(eq9 + sp.log(4))
    f = sp.Function("f")
    steps = (
        Step(
            "put p_g = p_data in the integrand of C(G) (eq. (7) substituted into eq. (6))",
            _eq(sp.Subs(at_optimum, p_g, p_data), at_equal_simplified),
        ),
        Step("integrate; p_data integrates to 1", _eq(_C, c_at_equal)),
        Step("which is -log 4", _eq(c_at_equal, -sp.log(4))),
        Step("Gibbs' function, for t > 0", _eq(f(t), f_t)),
        Step("its derivative vanishes only at t = 1", _eq(sp.Derivative(f_t, t), f_first)),
        Step(
            "its second derivative is positive, so t = 1 is the unique global minimum, f(1) = 0",
            _eq(sp.Derivative(f_t, (t, 2)), f_second),
        ),
        Step("hence, pointwise", sp.Ge(f_t, 0, evaluate=False)),
        Step(
            "for densities p, q > 0, sympy simplifies q f(p/q) - (p log(p/q) - p + q) to 0",
            _eq(q * f(p / q), expanded),
        ),
        Step(
            "integrate (each density integrates to 1): KL is the integral of q f(p/q)",
            _eq(sp.Integral(_P_G * f(_P_DATA / _P_G), _REAL_LINE), kl_as_gibbs),
        ),
        Step(
            "ASSUMED, not derived: a non-negative integrand has a non-negative integral",
            sp.Ge(KL(p, q), 0, evaluate=False),
        ),
        Step(
            "so JS, a sum of two KL divergences, is non-negative (given the assumed lemma)",
            sp.Ge(JS(p_data, p_g), 0, evaluate=False),
        ),
        Step(
            "with eq. (9) as derived, C(G) + log 4 is 2 JS",
            _eq(_C + sp.log(4), excess),
        ),
        Step(
            "so C(G) >= -log 4; equality needs JS = 0, so p_g = p_data almost everywhere (f = 0 only "
            "at t = 1; the assumed lemma again)",
            sp.Ge(_C, -sp.log(4), evaluate=False),
        ),
    )
    checks = (
        Check("at p_g = p_data the integrand of C(G) is -2 p_data log 2", _is_zero(at_equal + 2 * p_data * sp.log(2))),
        Check("at p_g = p_data, C(G) = -log 4", sp.simplify(c_at_equal + sp.log(4)) == 0),
        Check("f'(t) = 0 only at t = 1", f_zeros == [1]),
        Check("f(1) = 0", f_t.subs(t, 1) == 0),
        Check("f''(t) > 0 for t > 0", f_second.is_positive is True),
        Check("the minimum of f over (0, oo) is 0", f_min == 0),
        Check("q f(p/q) = p log(p/q) - p + q", _is_zero(f_of_ratio - expanded)),
        Check("the integral of q f(p/q) is KL(p || q)", kl_as_gibbs == KL(p, q)),
    )
    return Derivation(
        name="theorem_1",
        title="The global minimum of the virtual criterion is -log 4, at p_g = p_data (given one lemma)",
        source="Theorem 1 (Goodfellow et al. 2014); eq. (9)",
        statement=sp.Ge(_C, -sp.log(4), evaluate=False),
        steps=steps,
        checks=checks,
        notes=(
            "Symbolic: C(G) = -log 4 at p_g = p_data; f(t) = t log t - t + 1 >= 0 with equality only "
            "at t = 1; q f(p/q) = p log(p/q) - p + q; the linear algebra to KL. With eq. (9), "
            "C(G) + log 4 = 2 JS is arithmetic (log 4 = 2 log 2), shown as a step and not counted as "
            "a check. Assumed, not derived: a non-negative integrand has a non-negative integral, zero "
            "only if the integrand vanishes almost everywhere. So the theorem follows from sympy's "
            "steps given that lemma; it is not derived by sympy alone."
        ),
        assumptions=(LEMMA,),
    )


# --- Gaussian closed forms -------------------------------------------------------------------


def _tidy_gaussian_kl(raw: sp.Expr) -> sp.Expr:
    """Rewrite the integrated Gaussian KL as log(s2/s1) + (s1^2 + (mu1 - mu2)^2)/(2 s2^2) - 1/2.

    The log terms are combined; the rest is expanded in the difference of the means and put
    over one denominator. Checked equal to ``raw`` by the caller.
    """
    logs = sp.Add(*(term for term in sp.Add.make_args(raw) if term.has(sp.log)))
    rest = sp.expand((raw - logs).subs(mu1, mu2 + x))  # x stands for mu1 - mu2 here
    constant, varying = rest.as_independent(x, sigma1, sigma2, as_Add=True)
    varying = sp.together(varying).subs(x, mu1 - mu2)
    return sp.logcombine(logs) + varying + constant


@functools.lru_cache(maxsize=None)
def gaussian_kl_derivation() -> Derivation:
    """:math:`\\mathrm{KL}(\\mathcal{N}(\\mu_1, \\sigma_1^2) \\| \\mathcal{N}(\\mu_2, \\sigma_2^2))` by sympy integration.

    Returns
    -------
    Derivation
        ``statement.rhs`` is :math:`\\log(\\sigma_2/\\sigma_1) + (\\sigma_1^2 + (\\mu_1 -
        \\mu_2)^2) / (2\\sigma_2^2) - 1/2`, computed, not typed in.

    Notes
    -----
    The log-ratio of two Gaussian densities, with the logs expanded (:math:`\\sigma_1, \\sigma_2
    > 0`), is a quadratic in x; ``sympy.integrate`` of the first density times it over the real
    line gives the closed form, which is then written with the logs combined and the means'
    difference collected (a rewriting that sympy checks is equal to the integral). This is the
    definition of KL before eq. (9) of the article, applied to two Gaussians.

    Examples
    --------
    >>> d = gaussian_kl_derivation()
    >>> d.statement.lhs
    KL(Normal(mu1, sigma1**2), Normal(mu2, sigma2**2))
    >>> d.verified
    True
    """
    density_1, density_2 = gaussian_density(mu1, sigma1), gaussian_density(mu2, sigma2)
    log_ratio = sp.expand(sp.expand_log(sp.log(density_1) - sp.log(density_2)))
    integral = sp.Integral(density_1 * log_ratio, _REAL_LINE)
    raw = sp.integrate(density_1 * log_ratio, _REAL_LINE)
    tidy = _tidy_gaussian_kl(raw)
    lhs = KL(Normal(mu1, sigma1**2), Normal(mu2, sigma2**2))
    p_1, p_2 = sp.Function("p_1")(x), sp.Function("p_2")(x)

    steps = (
        Step("the first Gaussian density", _eq(p_1, density_1)),
        Step("the second Gaussian density", _eq(p_2, density_2)),
        Step(
            "their log-ratio, logs expanded for sigma1, sigma2 > 0: a quadratic in x",
            _eq(sp.log(p_1 / p_2), log_ratio),
        ),
        Step("KL is the integral of the first density times the log-ratio", _eq(lhs, integral)),
        Step("sympy.integrate over the real line", _eq(lhs, raw)),
        Step("logs combined, the means' difference collected", _eq(lhs, tidy)),
    )
    checks = (
        Check("the log-ratio is a polynomial of degree 2 in x", sp.Poly(log_ratio, x).degree() == 2),
        Check("the integral evaluated in closed form", not raw.has(sp.Integral)),
        Check("the tidy form equals the integral", _is_zero(raw - tidy)),
        Check("KL of a Gaussian with itself is 0", sp.simplify(tidy.subs({mu2: mu1, sigma2: sigma1})) == 0),
    )
    return Derivation(
        name="gaussian_kl",
        title="KL divergence between two Gaussians",
        source="definition of KL before eq. (9), for Gaussians",
        statement=_eq(lhs, tidy),
        steps=steps,
        checks=checks,
        notes="Symbolic throughout: sympy integrates over the real line.",
    )


@functools.lru_cache(maxsize=None)
def gaussian_logit_derivation() -> Derivation:
    """:math:`\\operatorname{logit} D^*(x)` for two Gaussians, as an explicit quadratic :math:`a x^2 + b x + c`.

    Returns
    -------
    Derivation
        ``statement`` is ``Eq(logit(D^*_G), A*x**2 + B*x + C)`` with coefficients in
        :data:`mu1`, :data:`sigma1` (the data, :math:`p_{data} = \\mathcal{N}(\\mu_1,
        \\sigma_1^2)`) and :data:`mu2`, :data:`sigma2` (the generator, :math:`p_g`).

    Notes
    -----
    sympy first derives :math:`\\operatorname{logit} D^* = \\log(D^*/(1 - D^*)) = \\log p_{data}
    - \\log p_g` from eq. (7), then substitutes the Gaussian densities and reads the coefficients
    of :math:`x^2, x, 1` off ``sympy.Poly``. So a logistic discriminator on the features
    :math:`(x^2, x, 1)` contains D* exactly; with equal variances the quadratic term vanishes and
    D* is an ordinary logistic regression in x.

    Examples
    --------
    >>> d = gaussian_logit_derivation()
    >>> d.statement.lhs
    logit(D^*_G)
    >>> d.verified
    True
    """
    d_star = optimal_discriminator().statement.rhs
    lhs = _LOGIT(_D_STAR)
    definition = sp.log(_D_STAR / (1 - _D_STAR))
    substituted = _together_in_logs(definition.subs(_D_STAR, d_star))
    logit = sp.expand_log(substituted)
    gaussians = {p_data: gaussian_density(mu1, sigma1), p_g: gaussian_density(mu2, sigma2)}
    expanded = sp.expand(sp.expand_log(logit.subs(gaussians)))
    poly = sp.Poly(expanded, x)
    coef_a, coef_b, coef_c = (poly.coeff_monomial(x**k) for k in (2, 1, 0))
    coef_c = sp.logcombine(coef_c)
    # Left unevaluated so that it reads a x^2 + b x + c, with c kept in one piece.
    quadratic = sp.Add(coef_a * x**2, coef_b * x, coef_c, evaluate=False)
    A, B, C = sp.symbols("A B C")

    steps = (
        Step("the definition of the logit", _eq(lhs, definition)),
        Step("with D*_G = p_data/(p_data + p_g) from eq. (7)", _eq(lhs, substituted)),
        Step("the log of a ratio, for p_data, p_g > 0", _eq(lhs, logit)),
        Step(
            "with p_data = N(mu1, sigma1^2) and p_g = N(mu2, sigma2^2), logs expanded",
            _eq(lhs, expanded),
        ),
        Step("the coefficient A of x^2, read off sympy.Poly", _eq(A, coef_a)),
        Step("the coefficient B of x", _eq(B, coef_b)),
        Step("the constant C, logs combined", _eq(C, coef_c)),
        Step("so logit D* is a quadratic in x", _eq(lhs, quadratic)),
    )
    checks = (
        Check("logit D* = log p_data - log p_g", logit == sp.log(p_data) - sp.log(p_g)),
        Check("the logit is a polynomial of degree at most 2 in x", poly.degree() <= 2),
        Check("A x^2 + B x + C reproduces the logit", _is_zero(quadratic - expanded)),
        Check("equal variances make the x^2 term vanish", sp.simplify(coef_a.subs(sigma2, sigma1)) == 0),
        Check(
            "identical Gaussians give logit 0 (D* = 1/2)",
            all(
                sp.simplify(c.subs({mu2: mu1, sigma2: sigma1})) == 0
                for c in (coef_a, coef_b, coef_c)
            ),
        ),
    )
    return Derivation(
        name="gaussian_logit",
        title="The optimal discriminator's logit for two Gaussians is a quadratic",
        source="eq. (7), for Gaussians",
        statement=_eq(lhs, quadratic),
        steps=steps,
        checks=checks,
        notes="Symbolic throughout. Index 1 is the data distribution, index 2 the generator's.",
    )


def gaussian_kl() -> sp.Expr:
    """:math:`\\mathrm{KL}(\\mathcal{N}(\\mu_1, \\sigma_1^2) \\| \\mathcal{N}(\\mu_2, \\sigma_2^2))` as a sympy expression.

    Returns
    -------
    sympy.Expr
        In the symbols :data:`mu1`, :data:`sigma1`, :data:`mu2`, :data:`sigma2`; derived by
        :func:`gaussian_kl_derivation`.

    Examples
    --------
    >>> gaussian_kl().subs({mu1: 0, sigma1: 1, mu2: 1, sigma2: 2})
    -1/4 + log(2)
    """
    return gaussian_kl_derivation().statement.rhs


@functools.lru_cache(maxsize=None)
def gaussian_logit_coefficients() -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """The coefficients (a, b, c) of :math:`\\operatorname{logit} D^*(x) = a x^2 + b x + c` for two Gaussians.

    Returns
    -------
    tuple of 3 sympy.Expr
        In :data:`mu1`, :data:`sigma1` (the data) and :data:`mu2`, :data:`sigma2` (the
        generator); derived by :func:`gaussian_logit_derivation`.

    Examples
    --------
    Equal variances leave a linear logit:

    >>> coef_a, coef_b, coef_c = gaussian_logit_coefficients()
    >>> coef_a.subs(sigma2, sigma1)
    0
    """
    poly = sp.Poly(gaussian_logit_derivation().statement.rhs, x)
    coef_a, coef_b, coef_c = (poly.coeff_monomial(x**k) for k in (2, 1, 0))
    return coef_a, coef_b, sp.logcombine(coef_c)


# --- numerical evaluation --------------------------------------------------------------------


def _check_gaussians(*params: tuple[Any, str, bool]) -> list[float]:
    return [check_real(value, name, positive=positive) for value, name, positive in params]


@functools.lru_cache(maxsize=None)
def _gaussian_kl_function() -> Callable[..., float]:
    return sp.lambdify((mu1, sigma1, mu2, sigma2), gaussian_kl(), modules="math")


@functools.lru_cache(maxsize=None)
def _gaussian_logit_function() -> Callable[..., tuple[float, float, float]]:
    return sp.lambdify((mu1, sigma1, mu2, sigma2), gaussian_logit_coefficients(), modules="math")


def gaussian_kl_numeric(mu1: float, sigma1: float, mu2: float, sigma2: float) -> float:
    """:func:`gaussian_kl` evaluated at numbers, in nats.

    Parameters
    ----------
    mu1, sigma1 : float
        Mean and standard deviation (> 0) of the first Gaussian.
    mu2, sigma2 : float
        Mean and standard deviation (> 0) of the second Gaussian.

    Returns
    -------
    float
        :math:`\\mathrm{KL}(\\mathcal{N}(\\mu_1, \\sigma_1^2) \\| \\mathcal{N}(\\mu_2, \\sigma_2^2))`.

    Examples
    --------
    >>> import numpy as np
    >>> bool(np.isclose(gaussian_kl_numeric(0, 1, 1, 2), np.log(2) - 0.25, rtol=0, atol=1e-15))
    True
    """
    args = _check_gaussians(
        (mu1, "mu1", False), (sigma1, "sigma1", True), (mu2, "mu2", False), (sigma2, "sigma2", True)
    )
    return float(_gaussian_kl_function()(*args))


def gaussian_logit_coefficients_numeric(
    mu_data: float, sigma_data: float, mu_g: float, sigma_g: float
) -> tuple[float, float, float]:
    """The coefficients (a, b, c) of :math:`\\operatorname{logit} D^*(x) = a x^2 + b x + c`, as floats.

    Parameters
    ----------
    mu_data, sigma_data : float
        Mean and standard deviation (> 0) of :math:`p_{data}`.
    mu_g, sigma_g : float
        Mean and standard deviation (> 0) of :math:`p_g`.

    Returns
    -------
    (a, b, c) : tuple of float
        So that :math:`D^*(x) = \\operatorname{expit}(a x^2 + b x + c)`, eq. (7); the weights a
        logistic discriminator on the features :math:`(x^2, x, 1)` reaches at the optimum.

    Examples
    --------
    :math:`\\log \\mathcal{N}(x; 0, 1) - \\log \\mathcal{N}(x; 2, 1) = -2x + 2`:

    >>> gaussian_logit_coefficients_numeric(0, 1, 2, 1)
    (0.0, -2.0, 2.0)
    """
    args = _check_gaussians(
        (mu_data, "mu_data", False),
        (sigma_data, "sigma_data", True),
        (mu_g, "mu_g", False),
        (sigma_g, "sigma_g", True),
    )
    return tuple(float(c) for c in _gaussian_logit_function()(*args))  # type: ignore[return-value]


def all_derivations() -> tuple[Derivation, ...]:
    """Every derivation of this module, in the article's order.

    Examples
    --------
    >>> [d.source for d in all_derivations()][:3]
    ['eq. (7)', 'eq. (8) -> (9)', 'Theorem 1 (Goodfellow et al. 2014); eq. (9)']
    >>> all(d.verified for d in all_derivations())
    True
    """
    return (
        optimal_discriminator(),
        virtual_criterion(),
        theorem_1(),
        gaussian_kl_derivation(),
        gaussian_logit_derivation(),
    )
