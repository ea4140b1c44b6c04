"""The f-divergence family and its variational bound (Nowozin, Cseke & Tomioka 2016, "f-GAN").

For a convex generator :math:`f` on :math:`(0, \\infty)` with :math:`f(1) = 0`,

.. math:: D_f(P \\| Q) = \\int q(x)\\, f\\!\\left(\\frac{p(x)}{q(x)}\\right) dx,

and with the convex conjugate :math:`f^*(t) = \\sup_{u > 0}\\, [t u - f(u)]`, every critic
:math:`T` whose values lie in the domain of :math:`f^*` gives a lower bound

.. math:: D_f(P \\| Q) \\ge E_P[T(x)] - E_Q[f^*(T(x))],

with equality at :math:`T^*(x) = f'(p(x)/q(x))`. For the ``"gan"`` row, :math:`T = \\log D`
turns the bound into the value function of eq. (6) and :math:`T^* = \\log D^*` is eq. (7): the
f-GAN bound generalizes eq. (9).

The table :data:`FDIVERGENCES` is data: one :class:`FDivergence` per divergence, holding
:math:`f`, :math:`f^*`, the output activation :math:`g_f`, the optimal critic :math:`T^*` and the
domain of :math:`f^*`, each written once as an expression over a backend of elementary functions
(``m.log``, ``m.expm1``, ``m.where`` ...), so that the same text is evaluated here with NumPy and,
in :mod:`gantheory.conjugates`, with sympy, where :math:`f^*` is *derived* from :math:`f` as a
supremum and proved equal to the entry (the test suite and ``gantheory verify`` check it). Each
row also carries its integrand :math:`q f(p/q)` written from log-densities, and the rule that
decides whether the integral is finite from its tails.

Conventions: :math:`D_f(P\\|Q) = \\int q f(p/q)`; ``"js"`` is the Jensen–Shannon divergence as
defined before eq. (9) of the article (with the ½), equal to :func:`gantheory.js_divergence`;
``"gan"`` is :math:`2\\,\\mathrm{JS} - \\log 4`, the virtual training criterion :math:`C(G)`.
Nowozin et al.'s Table 1 pairs the ½ of its JS definition with a generator twice as large; the
toolkit halves the generator (and with it :math:`f^*`, :math:`g_f`, :math:`T^*`), and
:data:`NOWOZIN_JS` keeps the paper's row so that the factor can be computed (see
``docs/coursework.md`` and the report).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType, SimpleNamespace
from typing import Any

import numpy as np
import numpy.typing as npt

from gantheory.distributions import Density, check_array, check_distribution
from gantheory.divergences import _FramePoints, js_integrand, kl_integrand, optimal_discriminator
from gantheory.integrals import PairIntegrand, Plan

__all__ = [
    "FDIVERGENCES",
    "NOWOZIN_JS",
    "NUMPY",
    "Domain",
    "FDivergence",
    "OptimalCritic",
    "f_divergence",
    "f_divergence_curve",
    "fdivergence",
    "optimal_critic",
    "pair_integrand",
    "shift_curve",
    "variational_bound",
]

LOG2 = math.log(2.0)

# --- the backend the table's expressions are written over ----------------------------------------

#: NumPy implementations of the elementary functions the table's expressions use. The sympy
#: backend (:data:`gantheory.conjugates.SYMPY`) provides the same names.
NUMPY = SimpleNamespace(
    log=np.log,
    exp=np.exp,
    sqrt=np.sqrt,
    expm1=np.expm1,
    log1p=np.log1p,
    softplus=lambda x: np.logaddexp(0.0, x),
    tanh=np.tanh,
    sign=np.sign,
    abs=np.abs,
    maximum=np.maximum,
    where=np.where,
    LOG2=LOG2,
    inf=np.inf,
)


@dataclass(frozen=True)
class Domain:
    """An interval of the real line, the domain of a convex conjugate: ``(lo, hi]`` and the like.

    Examples
    --------
    >>> d = Domain(-np.inf, 1.0, hi_closed=True)
    >>> str(d), d.contains(np.array([-1e300, 1.0, 1.5])).tolist()
    ('(-inf, 1]', [True, True, False])
    """

    lo: float
    hi: float
    lo_closed: bool = False
    hi_closed: bool = False

    def contains(self, t: npt.ArrayLike) -> np.ndarray:
        """Elementwise ``t`` in the interval (infinite ends are never attained)."""
        t = np.asarray(t, dtype=np.float64)
        above = (t >= self.lo) if self.lo_closed else (t > self.lo)
        below = (t <= self.hi) if self.hi_closed else (t < self.hi)
        return above & below & np.isfinite(t)

    def closure_contains(self, t: npt.ArrayLike) -> np.ndarray:
        """Elementwise ``t`` in the closed interval ``[lo, hi]`` of the extended real line."""
        t = np.asarray(t, dtype=np.float64)
        return (t >= self.lo) & (t <= self.hi)

    def __str__(self) -> str:
        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        return f"{left}{_number(self.lo)}, {_number(self.hi)}{right}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    if value == 0.5 * LOG2:
        return "log(2)/2"
    if value == LOG2:
        return "log(2)"
    return f"{value:g}"


Expression = Callable[[Any, Any], Any]
LogIntegrand = Callable[[np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class FDivergence:
    """One row of the f-divergence table (Nowozin et al. 2016, Tables 1 and 2).

    The expressions take their variable and a backend ``m`` of elementary functions
    (:data:`NUMPY`, or sympy's in :mod:`gantheory.conjugates`).

    Attributes
    ----------
    name, title : str
        The key of :data:`FDIVERGENCES` (``"kl"``) and a human name.
    definition : str
        :math:`D_f(P \\| Q)` written from its textbook definition.
    f : expression ``(u, m)``
        The generator, convex on :math:`u > 0` with :math:`f(1) = 0` (``"gan"``:
        :math:`f(1) = -\\log 4`).
    conjugate : expression ``(t, m)``
        :math:`f^*(t) = \\sup_{u > 0} [t u - f(u)]` on :attr:`domain`; derived by sympy from
        :attr:`f` in :mod:`gantheory.conjugates` and proved equal to this entry.
    domain : Domain
        Where :math:`f^*` is finite.
    activation : expression ``(v, m)``
        The output activation :math:`g_f`: maps any real :math:`v` into the domain, so that a
        critic is :math:`T = g_f(V)` with :math:`V` unconstrained.
    conjugate_activation : expression ``(v, m)``
        :math:`f^*(g_f(v))`, written so that it keeps its digits where :math:`g_f(v)` rounds onto
        the end of an open domain (for ``"gan"``: :math:`\\operatorname{softplus}(v)`).
    critic : expression ``(s, m)``
        The optimal critic :math:`T^* = f'(e^s)` as a function of the log-ratio
        :math:`s = \\log p(x) - \\log q(x)`; correct at :math:`s = \\pm\\infty` as limits.
    pre_activation : expression ``(s, m)``
        :math:`V^*` with :math:`g_f(V^*) = T^*`, as a function of the log-ratio.
    integrand : callable ``(log_p, log_q) -> array``
        The pointwise integrand from log-densities, so that :math:`D_f` is ``offset`` plus its
        integral; 0 where both densities are 0.
    offset : float
        The constant added to the integral (``"js"``: :math:`\\log 2` minus the overlap deficit).
    bounds : (float, float)
        The range of :math:`D_f`: :math:`f(1)` and :math:`f(0^+) + \\lim_{u\\to\\infty} f(u)/u`
        (the value for disjoint supports); results are clipped to it.
    tail : callable ``(log_p, log_q) -> array`` or None
        The logarithm of the integrand's magnitude, whose decay in the tails decides whether the
        integral is finite; ``None`` where the integrand is bounded by ``p + q`` (always finite).
    kinks : bool
        Whether the integrand has a kink where p = q (total variation's :math:`|p - q|`): the
        pipeline then splits each piece at the crossings (:meth:`gantheory.integrals.Plan.crossings`).
    log_conjugate : expression ``(t, m)`` or None
        :math:`\\log f^*(t)`, for a conjugate that overflows where its product with a density
        that underflows is not negligible (KL: :math:`q f^*(T^*) = p`).
    log_activation : expression ``(v, m)`` or None
        :math:`\\log|g_f(v)|`, for an activation that overflows where its product with a density
        that underflows is not negligible (reverse KL: :math:`p\\, g_f(V^*) = -q`).
    log_conjugate_activation : expression ``(v, m)`` or None
        :math:`\\log|f^*(g_f(v))|`, likewise (KL: :math:`q f^*(g_f(V^*)) = p`).
    """

    name: str
    title: str
    definition: str
    f: Expression
    conjugate: Expression
    domain: Domain
    activation: Expression
    conjugate_activation: Expression
    critic: Expression
    pre_activation: Expression
    integrand: LogIntegrand = field(repr=False)
    offset: float = 0.0
    bounds: tuple[float, float] = (0.0, math.inf)
    tail: LogIntegrand | None = field(default=None, repr=False)
    kinks: bool = False
    log_conjugate: Expression | None = None
    log_activation: Expression | None = None
    log_conjugate_activation: Expression | None = None

    def __str__(self) -> str:
        return f"{self.name}: {self.title}, D_f = {self.definition}"


# --- integrands from log-densities ----------------------------------------------------------------


def _log_abs_diff(log_a: np.ndarray, log_b: np.ndarray) -> np.ndarray:
    """:math:`\\log|a - b|` from :math:`\\log a, \\log b` (``-inf`` where a = b, including 0 = 0)."""
    hi, lo = np.maximum(log_a, log_b), np.minimum(log_a, log_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = lo - hi  # <= 0; nan where both are -inf
        log1mexp = np.where(d > -LOG2, np.log(-np.expm1(np.minimum(d, 0.0))), np.log1p(-np.exp(d)))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = hi + log1mexp
    return np.where(hi == -np.inf, -np.inf, out)


def _both_zero(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    return (log_p == -np.inf) & (log_q == -np.inf)


def _chi2_integrand(log_num: np.ndarray, log_den: np.ndarray) -> np.ndarray:
    """:math:`(a - b)^2 / b` from log a, log b; ``inf`` where b = 0 < a, 0 where both are 0.

    As for :func:`gantheory.divergences.kl_integrand`, "0" is zero in floating point: where b is
    0 and a underflows (a < 1e-308), the term is 0, not inf.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.exp(2.0 * _log_abs_diff(log_num, log_den) - log_den)
    zero = _both_zero(log_num, log_den) | ((log_den == -np.inf) & (np.exp(log_num) == 0))
    return np.where(zero, 0.0, out)


def _log_chi2(log_num: np.ndarray, log_den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return 2.0 * _log_abs_diff(log_num, log_den) - log_den


def _log_kl(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """:math:`\\log|p \\log(p/q)|`."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return log_p + np.log(np.abs(log_p - log_q))


def _hellinger_integrand(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """:math:`(\\sqrt p - \\sqrt q)^2`."""
    return (np.exp(0.5 * log_p) - np.exp(0.5 * log_q)) ** 2


def _tv_integrand(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """:math:`|p - q| / 2`."""
    return 0.5 * np.exp(_log_abs_diff(log_p, log_q))


# --- the table -------------------------------------------------------------------------------------

FDIVERGENCES: Mapping[str, FDivergence] = MappingProxyType({
    row.name: row
    for row in (
        FDivergence(
            "kl", "Kullback-Leibler", "int p log(p/q)",
            f=lambda u, m: u * m.log(u),
            conjugate=lambda t, m: m.exp(t - 1),
            domain=Domain(-math.inf, math.inf),
            activation=lambda v, m: v,
            conjugate_activation=lambda v, m: m.exp(v - 1),
            critic=lambda s, m: 1 + s,
            pre_activation=lambda s, m: 1 + s,
            integrand=kl_integrand,
            tail=_log_kl,
            log_conjugate=lambda t, m: t - 1,
            log_conjugate_activation=lambda v, m: v - 1,
        ),
        FDivergence(
            "reverse-kl", "reverse Kullback-Leibler", "int q log(q/p)",
            f=lambda u, m: -m.log(u),
            conjugate=lambda t, m: -1 - m.log(-t),
            domain=Domain(-math.inf, 0.0),
            activation=lambda v, m: -m.exp(-v),
            conjugate_activation=lambda v, m: v - 1,
            critic=lambda s, m: -m.exp(-s),
            pre_activation=lambda s, m: s,
            integrand=lambda log_p, log_q: kl_integrand(log_q, log_p),
            tail=lambda log_p, log_q: _log_kl(log_q, log_p),
            log_activation=lambda v, m: -v,
        ),
        FDivergence(
            "pearson", "Pearson chi-squared", "int (p - q)^2 / q",
            f=lambda u, m: (u - 1) ** 2,
            conjugate=lambda t, m: m.where(t >= -2, t + t**2 / 4, -1),
            domain=Domain(-math.inf, math.inf),
            activation=lambda v, m: v,
            conjugate_activation=lambda v, m: m.where(v >= -2, v + v**2 / 4, -1),
            critic=lambda s, m: 2 * m.expm1(s),
            pre_activation=lambda s, m: 2 * m.expm1(s),
            integrand=_chi2_integrand,
            tail=_log_chi2,
            # f*(t) = t (1 + t/4) overflows for |t| > ~1e154 although q f*(T) need not (uniform
            # against triang(0.3) at T* near the vanishing edge of q): its log keeps the term.
            log_conjugate=lambda t, m: m.where(t >= -2, m.log(m.abs(t)) + m.log(m.abs(1 + t / 4)), 0.0),
            log_conjugate_activation=lambda v, m: m.where(v >= -2, m.log(m.abs(v)) + m.log(m.abs(1 + v / 4)), 0.0),
        ),
        FDivergence(
            "neyman", "Neyman chi-squared", "int (p - q)^2 / p",
            f=lambda u, m: (1 - u) ** 2 / u,
            conjugate=lambda t, m: 2 - 2 * m.sqrt(1 - t),
            domain=Domain(-math.inf, 1.0, hi_closed=True),
            activation=lambda v, m: -m.expm1(-v),
            conjugate_activation=lambda v, m: 2 - 2 * m.exp(-v / 2),
            critic=lambda s, m: -m.expm1(-2 * s),
            pre_activation=lambda s, m: 2 * s,
            integrand=lambda log_p, log_q: _chi2_integrand(log_q, log_p),
            tail=lambda log_p, log_q: _log_chi2(log_q, log_p),
            log_activation=lambda v, m: _log_abs_expm1(-v, m),
        ),
        FDivergence(
            "squared-hellinger", "squared Hellinger", "int (sqrt(p) - sqrt(q))^2",
            f=lambda u, m: (m.sqrt(u) - 1) ** 2,
            conjugate=lambda t, m: 1 / (1 - t) - 1,
            domain=Domain(-math.inf, 1.0),
            activation=lambda v, m: -m.expm1(-v),
            conjugate_activation=lambda v, m: m.expm1(v),
            critic=lambda s, m: -m.expm1(-s / 2),
            pre_activation=lambda s, m: s / 2,
            integrand=_hellinger_integrand,
            bounds=(0.0, 2.0),
            log_activation=lambda v, m: _log_abs_expm1(-v, m),
            log_conjugate_activation=lambda v, m: _log_abs_expm1(v, m),
        ),
        FDivergence(
            "js", "Jensen-Shannon", "1/2 int p log(2p/(p+q)) + q log(2q/(p+q))",
            f=lambda u, m: (u * m.log(u) - (u + 1) * m.log((u + 1) / 2)) / 2,
            conjugate=lambda t, m: -(m.LOG2 + m.log(-m.expm1(2 * t - m.LOG2))) / 2,
            domain=Domain(-math.inf, 0.5 * LOG2),
            activation=lambda v, m: (m.LOG2 - m.softplus(-v)) / 2,
            conjugate_activation=lambda v, m: (m.softplus(v) - m.LOG2) / 2,
            critic=lambda s, m: (m.LOG2 - m.softplus(-s)) / 2,
            pre_activation=lambda s, m: s,
            integrand=lambda log_p, log_q: -js_integrand(log_p, log_q),
            offset=LOG2,
            bounds=(0.0, LOG2),
        ),
        FDivergence(
            "gan", "GAN (2 JS - log 4, eq. 9)", "int p log(2p/(p+q)) + q log(2q/(p+q)) - log 4",
            f=lambda u, m: u * m.log(u) - (u + 1) * m.log(u + 1),
            conjugate=lambda t, m: -m.log(-m.expm1(t)),
            domain=Domain(-math.inf, 0.0),
            activation=lambda v, m: -m.softplus(-v),
            conjugate_activation=lambda v, m: m.softplus(v),
            critic=lambda s, m: -m.softplus(-s),
            pre_activation=lambda s, m: s,
            integrand=lambda log_p, log_q: -2.0 * js_integrand(log_p, log_q),
            bounds=(-2 * LOG2, 0.0),
        ),
        FDivergence(
            "tv", "total variation", "1/2 int |p - q|",
            f=lambda u, m: m.abs(u - 1) / 2,
            conjugate=lambda t, m: m.maximum(t, -0.5),
            domain=Domain(-math.inf, 0.5, hi_closed=True),
            activation=lambda v, m: m.tanh(v) / 2,
            conjugate_activation=lambda v, m: m.tanh(v) / 2,
            critic=lambda s, m: m.sign(s) / 2,
            pre_activation=lambda s, m: m.where(s > 0, m.inf, m.where(s < 0, -m.inf, 0)),
            integrand=_tv_integrand,
            bounds=(0.0, 1.0),
            kinks=True,
        ),
    )
})

#: The Jensen-Shannon row exactly as printed in Nowozin et al. (2016), Tables 1 and 2: its
#: generator is twice the toolkit's, so its D_f is 2 JS, although the definition column carries
#: the 1/2. Kept to compute the factor (it is not in :data:`FDIVERGENCES`).
NOWOZIN_JS = FDivergence(
    "js (Nowozin et al. 2016, Table 1)", "Jensen-Shannon as printed in f-GAN's Table 1",
    "as printed: 1/2 int p log(2p/(p+q)) + q log(2q/(p+q)); the generator gives twice that",
    f=lambda u, m: u * m.log(u) - (u + 1) * m.log((u + 1) / 2),
    conjugate=lambda t, m: -m.log(2 - m.exp(t)),
    domain=Domain(-math.inf, LOG2),
    activation=lambda v, m: m.LOG2 - m.log(1 + m.exp(-v)),
    conjugate_activation=lambda v, m: m.softplus(v) - m.LOG2,
    critic=lambda s, m: m.LOG2 - m.softplus(-s),
    pre_activation=lambda s, m: s,
    integrand=lambda log_p, log_q: -2.0 * js_integrand(log_p, log_q),
    offset=2 * LOG2,
    bounds=(0.0, 2 * LOG2),
)


def fdivergence(name: str | FDivergence) -> FDivergence:
    """The row of :data:`FDIVERGENCES` called ``name`` (an :class:`FDivergence` is returned as is).

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.

    Examples
    --------
    >>> fdivergence("neyman").domain.hi
    1.0
    >>> fdivergence("chi2")
    Traceback (most recent call last):
    ...
    ValueError: `name` must be one of 'kl', 'reverse-kl', 'pearson', 'neyman', 'squared-hellinger', 'js', 'gan', 'tv'; got 'chi2' (type str).
    """
    if isinstance(name, FDivergence):
        return name
    if isinstance(name, str) and name in FDIVERGENCES:
        return FDIVERGENCES[name]
    listed = ", ".join(repr(k) for k in FDIVERGENCES)
    shown = repr(name)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    raise ValueError(f"`name` must be one of {listed}; got {shown} (type {type(name).__name__}).")


# --- through the integration pipeline ---------------------------------------------------------------


def _finish(row: FDivergence, integral: np.ndarray) -> np.ndarray:
    value = row.offset + integral
    lower, upper = row.bounds
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(value), value, np.clip(value, lower, upper))


def pair_integrand(row: FDivergence) -> PairIntegrand:
    """The row's integrand :math:`q f(p/q)` as a :class:`~gantheory.integrals.PairIntegrand`.

    Bounded by :math:`C(p + q)` where the row has no tail rule (squared Hellinger, JS, GAN, TV);
    otherwise the pipeline decides finiteness from the tails of ``row.tail``, the log of its
    magnitude. ``row.kinks`` asks the pipeline to split where p = q.
    """
    tail = row.tail
    return PairIntegrand(lambda log_p, log_q, s, x: row.integrand(log_p, log_q),
                         None if tail is None else (lambda log_p, log_q, s, x: tail(log_p, log_q)),
                         bounded=tail is None, name=f"D_f[{row.name}]", kinks=row.kinks)


def f_divergence(p: Density, q: Density, name: str | FDivergence) -> float:
    """The f-divergence :math:`D_f(P \\| Q) = \\int q\\, f(p/q)` named ``name``, by quadrature.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    name : {'kl', 'reverse-kl', 'pearson', 'neyman', 'squared-hellinger', 'js', 'gan', 'tv'} or FDivergence
        A row of :data:`FDIVERGENCES`, or a row of your own.

    Returns
    -------
    float
        In the row's ``bounds``; ``inf`` where the divergence is infinite.

    Notes
    -----
    The integrand :math:`q f(p/q)` is formed from log-densities (``row.integrand``) and goes
    through the pipeline of :mod:`gantheory.integrals` (:func:`pair_integrand`), as KL and JS do,
    so every name gets its guarantees: each piece integrated in a frame at its densities
    (N(1e16, 1) against N(1e16, 2) is as exact as at 0), closed-form log-densities where scipy's
    underflow (Laplace at 40 scales), the tanh-sinh rule at support edges (shared edges, and
    integrable singularities such as beta(1/2, 1/2)'s), degenerate scales refused, a time and
    evaluation budget (:class:`~gantheory.quadrature.BudgetExceeded`), and an
    :class:`~gantheory.quadrature.AccuracyWarning` where digits are truly lost. For total
    variation, whose integrand has a kink wherever p = q, the pipeline splits at those
    crossings. Before integrating, the tails (and singular edges) of ``row.tail``, the log of
    the integrand's magnitude, get a verdict (:func:`gantheory.integrals.tail_verdict`): if the
    integral diverges there the result is ``inf`` at once, whatever finite number a quadrature
    would return. Neyman's :math:`\\chi^2` of N(0, 1) against N(1, 1.5²) is such a case:
    :math:`\\log(q^2/p)` grows like :math:`x^2/18`; Pearson's of uniform(0, 1) against
    beta(1/2, 1/2) another: :math:`(p - q)^2/q \\sim 1/(\\pi^2 x)` at the edges.

    Examples
    --------
    ``"js"`` is :func:`gantheory.js_divergence`, ``"gan"`` is :math:`2\\,\\mathrm{JS} - \\log 4`
    (eq. 9), and KL has its Gaussian closed form:

    >>> from scipy import stats
    >>> import gantheory as gt
    >>> p, q = stats.norm(0, 1), stats.norm(2, 1)
    >>> f_divergence(p, q, "js") == gt.js_divergence(p, q)
    True
    >>> bool(np.isclose(f_divergence(p, q, "gan"), 2 * gt.js_divergence(p, q) - np.log(4), rtol=0, atol=1e-15))
    True
    >>> f_divergence(p, q, "kl")   # (mu1 - mu2)^2 / 2
    2.0
    >>> f_divergence(stats.norm(0, 1), stats.norm(1, 1.5), "neyman")
    inf
    """
    row = fdivergence(name)
    plan = Plan(check_distribution(p, "p"), check_distribution(q, "q"))
    return float(_finish(row, plan.integrate(pair_integrand(row)))[0])


def f_divergence_curve(p: Density, q: Density, distances: npt.ArrayLike, name: str | FDivergence) -> np.ndarray:
    """:math:`D_f(P \\| Q_d)` for every distance ``d``, where :math:`Q_d` is Q shifted by ``d``.

    All distances are integrated as one batch of the pipeline (:meth:`gantheory.integrals.Plan.shifted`:
    one NumPy call per round for the whole curve), so a 400-point curve costs little more than a
    few single divergences; each distance is planned on its own, so its value does not depend on
    the batch it is in.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    distances : array_like, any shape
        Finite shifts: :math:`q_d(x) = q(x - d)`.
    name : str or FDivergence
        As for :func:`f_divergence`.

    Returns
    -------
    ndarray, shaped like ``distances``
        Each entry equals ``f_divergence(p, q_shifted, name)`` to the quadrature's tolerance.

    Examples
    --------
    WGAN's Example 1 in one dimension: total variation between U[0, 1] and U[d, 1 + d] is
    min(|d|, 1), and JS is min(|d|, 1) log 2:

    >>> from scipy import stats
    >>> u = stats.uniform(0, 1)
    >>> f_divergence_curve(u, u, [0.0, 0.25, 0.5, 2.0], "tv").round(15).tolist()
    [0.0, 0.25, 0.5, 1.0]
    >>> bool(np.allclose(f_divergence_curve(u, u, [0.25, 3.0], "js"), [0.25 * np.log(2), np.log(2)], atol=1e-15))
    True
    """
    row = fdivergence(name)
    return shift_curve(lambda plan: _finish(row, plan.integrate(pair_integrand(row))), p, q, distances)


def shift_curve(integral: Callable[[Plan], np.ndarray], p: Density, q: Density, distances: npt.ArrayLike) -> np.ndarray:
    """``integral(plan)`` over the batch plan of p against q shifted by each distance, shaped like it.

    The batch (:meth:`gantheory.integrals.Plan.shifted`) plans each shift on its own, so each
    entry is what the same shift gives in a batch of any size.
    """
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    d = check_array(distances, "distances")
    if d.size == 0:
        return np.zeros(d.shape)
    out = np.asarray(integral(Plan.shifted(p, q, d.ravel())), dtype=np.float64).reshape(d.shape)
    return out[()] if out.ndim == 0 else out


# --- the optimal critic and the variational bound --------------------------------------------------


class OptimalCritic:
    """The optimal f-GAN critic :math:`T^*(x) = f'(p(x)/q(x))` (Nowozin et al. 2016, eq. 5).

    Evaluated from the log-ratio :math:`s = \\log p - \\log q` (``row.critic``), so it is exact
    where the densities underflow, and takes its limits where one density is 0:
    :math:`f'(\\infty)` where only p is positive and :math:`f'(0^+)` where only q is. Outside both
    supports :math:`s = 0` by convention (as for :class:`gantheory.divergences.OptimalDiscriminator`).
    For ``"gan"``, :math:`T^* = \\log D^*`: eq. (7).

    :meth:`pre_activation` gives :math:`V^*` with :math:`T^* = g_f(V^*)`;
    :func:`variational_bound` uses it, as a network's output before its activation, so that
    :math:`f^*(T^*)` keeps its digits where :math:`T^*` rounds onto the end of the domain.
    """

    def __init__(self, p: Density, q: Density, name: str | FDivergence) -> None:
        self.divergence = fdivergence(name)
        self._d_star = optimal_discriminator(p, q)
        self.p, self.q = self._d_star.p_data, self._d_star.p_g

    def __repr__(self) -> str:
        return f"OptimalCritic(p={self.p!r}, q={self.q!r}, name={self.divergence.name!r})"

    def logit(self, x: npt.ArrayLike) -> np.ndarray:
        """The log-ratio :math:`\\log p(x) - \\log q(x)` (``+-inf`` outside one support, 0 outside both)."""
        return self._d_star.logit(x)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`T^*(x)`."""
        with np.errstate(over="ignore"):
            return np.asarray(self.divergence.critic(self.logit(x), NUMPY), dtype=np.float64)

    def pre_activation(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`V^*(x)`, with :math:`T^*(x) = g_f(V^*(x))`."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(self.divergence.pre_activation(self.logit(x), NUMPY), dtype=np.float64)


def optimal_critic(p: Density, q: Density, name: str | FDivergence) -> OptimalCritic:
    """The critic that attains the variational bound: :math:`T^*(x) = f'(p(x)/q(x))`.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    name : str or FDivergence

    Returns
    -------
    OptimalCritic
        A vectorized callable ``x -> T*(x)``, with ``pre_activation(x)`` for :math:`V^*`.

    Examples
    --------
    For the GAN row the optimal critic is :math:`\\log D^*` (eq. 7):

    >>> from scipy import stats
    >>> import gantheory as gt
    >>> p, q = stats.norm(0, 1), stats.norm(2, 1)
    >>> x = np.linspace(-3, 5, 9)
    >>> bool(np.allclose(optimal_critic(p, q, "gan")(x), np.log(gt.optimal_discriminator(p, q)(x)), rtol=1e-15))
    True
    """
    return OptimalCritic(p, q, name)


def _values(function: Callable[[np.ndarray], npt.ArrayLike], x: np.ndarray, name: str) -> np.ndarray:
    t = np.asarray(function(x), dtype=np.float64)
    if t.shape != x.shape:
        try:
            t = np.broadcast_to(t, x.shape)
        except ValueError:
            raise ValueError(
                f"`{name}` must return one value per input, got shape {t.shape} for inputs of shape {x.shape}."
            ) from None
    return t


def variational_bound(T: Callable[[np.ndarray], npt.ArrayLike], p: Density, q: Density,
                      name: str | FDivergence) -> float:
    """The f-GAN lower bound :math:`E_P[T] - E_Q[f^*(T)] \\le D_f(P \\| Q)`, by quadrature.

    Parameters
    ----------
    T : callable
        Vectorized critic ``x -> T(x)`` (any array shape in, same shape out), with values in the
        domain of :math:`f^*` wherever q is positive, and in its closure elsewhere. If ``T``
        has a method ``pre_activation`` (as :class:`OptimalCritic` has), ``T(x)`` is taken to be
        :math:`g_f(V(x))` with :math:`V` = ``T.pre_activation(x)``, and both :math:`T` and
        :math:`f^*(T)` are computed from :math:`V` (``row.activation``,
        ``row.conjugate_activation``), which keeps their digits where :math:`T` saturates.
    p, q : frozen scipy.stats continuous distribution or Mixture
    name : str or FDivergence

    Returns
    -------
    float
        At most :func:`f_divergence` ``(p, q, name)``, with equality at :func:`optimal_critic`.

    Raises
    ------
    ValueError
        If ``T`` returns a value outside the domain of :math:`f^*` (or NaN), naming the
        divergence, the domain, the point and the value.

    Notes
    -----
    Nowozin, Cseke & Tomioka (2016), eq. (4): from :math:`f(u) = \\sup_t [t u - f^*(t)]`,
    pointwise :math:`q f(p/q) \\ge p T - q f^*(T)`. A term weighted by a density that is 0 in
    floating point is 0, whatever ``T`` is there (as in :func:`gantheory.value_function`). For
    ``"gan"`` and :math:`T = \\log D` the bound is the value function :math:`V(D, G)` of eq. (6).

    Examples
    --------
    >>> from scipy import stats
    >>> import gantheory as gt
    >>> p, q = stats.norm(0, 1), stats.laplace(1, 1)
    >>> T = optimal_critic(p, q, "pearson")
    >>> bool(np.isclose(variational_bound(T, p, q, "pearson"), f_divergence(p, q, "pearson"), rtol=0, atol=1e-13))
    True
    >>> D = lambda x: 0.5 + 0 * x   # the GAN bound at T = log D is V(D, G) of eq. (6): -log 4 here
    >>> bool(np.isclose(variational_bound(lambda x: np.log(D(x)), p, q, "gan"), -np.log(4), rtol=0, atol=1e-14))
    True
    >>> variational_bound(lambda x: 0.1 + 0 * x, p, q, "reverse-kl")
    Traceback (most recent call last):
    ...
    ValueError: `T` must return values in the domain of f* for 'reverse-kl', (-inf, 0), wherever q > 0; T(...) = 0.1.
    """
    if not callable(T):
        raise TypeError(f"`T` must be a callable x -> T(x), got {T!r} (type {type(T).__name__}).")
    row = fdivergence(name)
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    pre = getattr(T, "pre_activation", None)
    plan = Plan(p, q)
    # The optimal critic of this very pair reads the pipeline's exact log-ratio at each node.
    own = isinstance(T, OptimalCritic) and T.p is p and T.q is q

    def pointwise(log_p: np.ndarray, log_q: np.ndarray, s: np.ndarray, x: np.ndarray) -> np.ndarray:
        out = np.zeros(x.shape)
        # T is asked only where a density is positive (its log finite, however small): elsewhere
        # both terms are 0 whatever T is.
        needed = (log_p > -np.inf) | (log_q > -np.inf)
        if not needed.any():
            return out
        xs, lp, lq, sn = x[needed], log_p[needed], log_q[needed], s[needed]
        points = _FramePoints.of(xs, sn) if own else xs
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if callable(pre):
                v = _values(pre, points, "T.pre_activation")
                t = np.asarray(row.activation(v, NUMPY), dtype=np.float64)
                conj = np.asarray(row.conjugate_activation(v, NUMPY), dtype=np.float64)
            else:
                v = None
                t = _values(T, points, "T")
                conj = np.asarray(row.conjugate(t, NUMPY), dtype=np.float64)
        _check_critic(row, xs, t, conj, lp, lq, v)
        values = _bound_integrand(row, t, conj, v, lp, lq)
        if np.isnan(values).any():
            i = int(np.flatnonzero(np.isnan(values))[0])
            raise ValueError(
                f"the bound's integrand p T - q f*(T) for {row.name!r} is not representable at x = {float(xs[i])!r}: "
                f"T = {float(t[i])!r}, f*(T) = {float(conj[i])!r}, log p = {float(lp[i])!r}, "
                f"log q = {float(lq[i])!r} (infinite terms of opposite signs; the divergence is then "
                "infinite or astronomically large).")
        out[needed] = values
        return out

    # T* jumps where p = q for TV: the pipeline splits there (row.kinks), as for f_divergence.
    integrand = PairIntegrand(pointwise, name=f"bound[{row.name}]", uses_x=True, kinks=row.kinks)
    return float(plan.integrate(integrand)[0])


def _log_abs_expm1(y: Any, m: Any) -> Any:
    """:math:`\\log|e^y - 1|` without overflow (``y > 0``: :math:`y + \\log(1 - e^{-y})`)."""
    return m.where(y > 0, y + m.log(-m.expm1(-m.abs(y))), m.log(-m.expm1(-m.abs(y))))


def _bound_integrand(row: FDivergence, t: np.ndarray, conj: np.ndarray, v: np.ndarray | None,
                     log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """Pointwise :math:`p T - q f^*(T)`, from logs, in the frame of the larger density.

    Each product is :math:`\\pm\\exp(\\log \\text{density} + \\log|\\text{factor}|)`, so a density that
    underflows times a factor that overflows keeps its value (for reverse KL at :math:`T^*`,
    :math:`p T^* = -q` however small p is); the logs come from the row's ``log_activation`` and
    ``log_conjugate`` where a factor has overflowed. With :math:`s = \\log p - \\log q`, the
    log-ratio is folded into the factor before the density's log is added (for KL at
    :math:`T^* = 1 + s`, :math:`\\log f^*(T^*) - s = 0` exactly however large s is). A term whose
    density is 0 is 0, and so is the integrand where both densities are 0 in floating point.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        log_t, log_c = np.log(np.abs(t)), np.log(np.abs(conj))
        if row.log_activation is not None and v is not None:
            log_t = np.where(np.isinf(t), row.log_activation(v, NUMPY), log_t)
        if row.log_conjugate_activation is not None and v is not None:
            log_c = np.where(np.isinf(conj), row.log_conjugate_activation(v, NUMPY), log_c)
        elif row.log_conjugate is not None:
            log_c = np.where(np.isinf(conj) & np.isfinite(t), row.log_conjugate(t, NUMPY), log_c)
        s = log_p - log_q
        p_frame = s >= 0
        term_p = np.sign(t) * np.exp(np.where(p_frame, log_p, log_q) + np.where(p_frame, log_t, log_t + s))
        term_q = np.sign(conj) * np.exp(np.where(p_frame, log_p, log_q) + np.where(p_frame, log_c - s, log_c))
    term_p = np.where(log_p == -np.inf, 0.0, term_p)
    term_q = np.where(log_q == -np.inf, 0.0, term_q)
    with np.errstate(invalid="ignore"):
        out = term_p - term_q
    # Where both densities are 0 in floating point the integrand is 0 (as for the divergences).
    return np.where(np.exp(np.maximum(log_p, log_q)) == 0, 0.0, out)


def _check_critic(row: FDivergence, x: np.ndarray, t: np.ndarray, conj: np.ndarray, log_p: np.ndarray,
                  log_q: np.ndarray, v: np.ndarray | None) -> None:
    """Raise ValueError where the bound's integrand is not defined.

    For values of T: outside the domain of f* where q > 0 (outside its closure where q = 0);
    ``T = -inf`` is allowed where p = 0 < q, the limit :math:`f'(0^+)` of :math:`T^*`. With a
    pre-activation ``v``, :math:`T = g_f(v)` lies in the domain by construction (a value that
    rounds onto an open end is harmless: :math:`f^*(g_f(v))` is computed from ``v``), so only NaN
    is an error.
    """
    if v is not None:
        if np.isnan(v).any():
            i = tuple(np.argwhere(np.isnan(v))[0])
            raise ValueError(f"`T.pre_activation` must return numbers; V({float(x[i])!r}) = nan.")
        return
    q_positive = log_q > -np.inf
    inside = row.domain.contains(t)
    limit = (t == -np.inf) & (row.domain.lo == -np.inf) & (log_p == -np.inf)
    bad = np.where(q_positive, ~(inside | limit), ~row.domain.closure_contains(t))
    if bad.any():
        first = bad & q_positive if (bad & q_positive).any() else bad  # report a point where q > 0 first
        i = tuple(np.argwhere(first)[0])
        where = "wherever q > 0" if q_positive[i] else "(its closure where q = 0)"
        hint = ""
        if q_positive[i] and t[i] == row.domain.hi and not row.domain.hi_closed:
            hint = (" T rounds onto the open end of the domain: give T a method pre_activation(x) returning V "
                    "with T = g_f(V), as optimal_critic does, to keep its digits.")
        raise ValueError(
            f"`T` must return values in the domain of f* for {row.name!r}, {row.domain}, {where}; "
            f"T({float(x[i])!r}) = {float(t[i])!r}.{hint}"
        )
