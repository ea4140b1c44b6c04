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
from scipy import special

from gantheory.distributions import Density, breakpoints, check_array, check_distribution
from gantheory.divergences import js_integrand, kl_integrand, optimal_discriminator, support_breaks
from gantheory.quadrature import integrate

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
        quadrature then splits the line at the crossings.
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


# --- finiteness from the tails, kinks where the densities cross -----------------------------------

# Sample points approaching each end: one per doubling of the distance, out to 2**96 widths beyond
# an infinite end, in to 2**-96 of the first interval's width at a finite end.
_TAIL_STEPS = 2.0 ** np.arange(0, 97)  # (J,)
_TAIL_LAST = 4  # the decision reads the last 4 samples where both log-densities are finite
# A per-step change of h above -_TAIL_SLOPE (1 + |h|) counts as "not decaying". 1e-9 is far above
# the rounding of h (|h| up to ~1e3 for power laws, ~1e-13 absolute) and corresponds to a power
# x^-(1+a) with a ~ 3e-9: an integral that large would not be finite in floating point anyway.
_TAIL_SLOPE = 1e-9


def _finite_extent(breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The outermost finite breakpoints of each row of ``breaks`` (B, P), and a width scale."""
    finite = np.where(np.isfinite(breaks), breaks, np.nan)
    first, last = np.nanmin(finite, axis=1), np.nanmax(finite, axis=1)
    width = np.maximum(last - first, np.maximum(np.abs(first), np.abs(last)))
    return first, last, np.where(width > 0, width, 1.0)


def _tail_points(breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample points approaching each end of each row of ``breaks`` (B, P), and their distances.

    Returns ``x`` and ``delta`` of shape (B, 2, J): towards an infinite end ``x`` moves away from
    the outermost finite breakpoint and ``delta`` is the distance travelled; towards a finite end
    ``delta`` is the distance left. Points that round onto the end are NaN.
    """
    lo, hi = breaks[:, 0], breaks[:, -1]
    first, last, width = _finite_extent(breaks)
    above_lo = np.where(breaks > lo[:, None], breaks, np.inf).min(axis=1)
    below_hi = np.where(breaks < hi[:, None], breaks, -np.inf).max(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        w_lo = np.where(np.isfinite(above_lo - lo), above_lo - lo, width)[:, None]
        w_hi = np.where(np.isfinite(hi - below_hi), hi - below_hi, width)[:, None]
        inf_lo, inf_hi = np.isinf(lo)[:, None], np.isinf(hi)[:, None]
        left = np.where(inf_lo, first[:, None] - width[:, None] * _TAIL_STEPS, lo[:, None] + w_lo / _TAIL_STEPS)
        right = np.where(inf_hi, last[:, None] + width[:, None] * _TAIL_STEPS, hi[:, None] - w_hi / _TAIL_STEPS)
        d_left = np.where(inf_lo, first[:, None] - left, left - lo[:, None])
        d_right = np.where(inf_hi, right - last[:, None], hi[:, None] - right)
    x = np.stack([left, right], axis=1)
    delta = np.stack([d_left, d_right], axis=1)
    bad = ~(delta > 0) | ~np.isfinite(x)
    return np.where(bad, np.nan, x), np.where(bad, np.nan, delta)


def _divergent_ends(log_magnitude: np.ndarray, delta: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Whether an integral diverges at either end, per row, from samples approaching each end.

    ``log_magnitude``, ``delta`` and ``usable`` have shape (B, 2, J): the log of the integrand's
    magnitude at points approaching each end, their distance ``delta`` (travelled towards an
    infinite end, left to a finite end), and where the sample is meaningful (both densities
    positive and finite in floating point). With geometric steps the integral over an end
    behaves like :math:`\\sum_j \\exp(h_j)`, :math:`h = \\log|g| + \\log\\delta`: it is finite when
    :math:`h` keeps decreasing (to :math:`-\\infty`) and infinite when it does not. The last
    :data:`_TAIL_LAST` usable samples decide; an end with fewer is left to the quadrature.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        h = log_magnitude + np.log(delta)
    usable = usable & ~np.isnan(h)
    order = np.arange(h.shape[-1])
    # Indices of the last _TAIL_LAST usable samples, in increasing order (-1 marks "none").
    ranked = np.sort(np.where(usable, order, -1), axis=-1)[..., -_TAIL_LAST:]
    enough = ranked[..., 0] >= 0
    picked = np.take_along_axis(h, np.maximum(ranked, 0), axis=-1)
    decayed = picked[..., -1] == -np.inf  # the integrand is exactly 0 out there
    with np.errstate(invalid="ignore"):
        steps = np.diff(picked, axis=-1)
        tolerance = _TAIL_SLOPE * (1.0 + np.abs(picked[..., 1:]))
        growing = np.any(~(steps < -tolerance), axis=-1)
    diverges = enough & ~decayed & (growing | (picked[..., -1] == np.inf))
    return diverges.any(axis=-1)


def _infinite_by_tails(row: FDivergence, p: Density, q: Density, shifts: np.ndarray,
                       breaks: np.ndarray) -> np.ndarray:
    """Per shift ``d``: whether :math:`D_f(p \\| q(\\cdot - d))` is infinite, decided from the tails."""
    if row.tail is None:
        return np.zeros(shifts.shape, dtype=bool)
    x, delta = _tail_points(breaks)  # (B, 2, J)
    with np.errstate(over="ignore", invalid="ignore"):
        log_p = p.logpdf(np.nan_to_num(x))
        log_q = q.logpdf(np.nan_to_num(x) - shifts[:, None, None])
    usable = np.isfinite(x) & np.isfinite(log_p) & np.isfinite(log_q)
    log_p, log_q = np.where(usable, log_p, 0.0), np.where(usable, log_q, 0.0)
    return _divergent_ends(row.tail(log_p, log_q), delta, usable)


_PROBES_PER_INTERVAL = 4  # interior probes per finite interval when looking for sign changes
# Crossings are located to 1e-10 of the probe spacing: a kink that far inside a quadrature panel
# costs an error of order (1e-10)^2 of the panel's contribution, far below the tolerance.
_CROSSING_TOLERANCE = 1e-10
_ZOOM = np.array([-1.0, -1.0 / 16, -1.0 / 256, 1.0 / 256, 1.0 / 16, 1.0])
_TAIL_PROBES = 2.0 ** np.arange(0, 40)  # probes beyond the outermost breakpoints, in widths


def _probe_grid(breaks: np.ndarray) -> np.ndarray:
    """Ascending finite probe points per row of ``breaks`` (B, P): the breakpoints, points inside
    every interval, and points far into infinite ends; NaN where a row has none to place."""
    first, last, width = _finite_extent(breaks)
    pts = np.where(np.isfinite(breaks), breaks, np.nan)
    a, b = pts[:, :-1, None], pts[:, 1:, None]
    k = np.arange(1, _PROBES_PER_INTERVAL + 1) / (_PROBES_PER_INTERVAL + 1)
    with np.errstate(invalid="ignore"):
        inside = (a + (b - a) * k).reshape(breaks.shape[0], -1)
    left = np.where(np.isinf(breaks[:, :1]), first[:, None] - width[:, None] * _TAIL_PROBES, np.nan)
    right = np.where(np.isinf(breaks[:, -1:]), last[:, None] + width[:, None] * _TAIL_PROBES, np.nan)
    grid = np.concatenate([left, pts, inside, right], axis=1)
    grid = np.where(np.isfinite(grid), grid, np.nan)
    return np.sort(grid, axis=1)  # NaN last


def _crossings(g: Callable[[np.ndarray, np.ndarray], np.ndarray], breaks: np.ndarray,
               *, iterations: int = 80) -> np.ndarray:
    """Points where ``g(x, owner)`` changes sign, per row of ``breaks`` (B, P); NaN-padded (B, K).

    ``g`` takes points of shape (n, m) and the row (n,) each belongs to. Sign changes between
    consecutive probes of :func:`_probe_grid` where ``g`` is finite and non-zero are refined by
    the Illinois variant of regula falsi until the estimate stops moving (to ~1e-14 of the probe
    spacing). Two crossings closer than
    the probe spacing can be missed; for the quadrature that only costs time (the kink is then
    resolved by subdivision).
    """
    grid = _probe_grid(breaks)
    n_rows = grid.shape[0]
    rows = np.broadcast_to(np.arange(n_rows)[:, None], grid.shape)
    valid = ~np.isnan(grid)
    values = np.full(grid.shape, np.nan)
    values[valid] = g(grid[valid][:, None], rows[valid])[:, 0]
    # Sign changes between consecutive probes where g is finite and non-zero (zeros in between,
    # such as both densities or CDFs underflowing together, are skipped over).
    r_all, j_all = np.nonzero(np.isfinite(values) & (values != 0))
    same_row = r_all[1:] == r_all[:-1]
    first, second = (r_all[:-1], j_all[:-1]), (r_all[1:], j_all[1:])
    change = same_row & (np.sign(values[first]) != np.sign(values[second]))
    r = r_all[:-1][change]
    a, b = grid[first][change], grid[second][change]
    fa, fb = values[first][change], values[second][change]
    # Each round evaluates g at the secant point c of the bracket and at c -+ h, h/16, h/256, h
    # twice the last move of c, so that the bracket shrinks to h/128 or less when the secant is
    # close (it converges superlinearly) and by a fixed fraction otherwise: 7 points per bracket
    # per call of g, whose overhead dominates.
    spacing = b - a
    last = np.full(a.size, np.nan)
    for _ in range(iterations):
        active = (b - a) > _CROSSING_TOLERANCE * spacing
        if not active.any():
            break
        i = np.flatnonzero(active)
        ai, bi, fai, fbi = a[i], b[i], fa[i], fb[i]
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            c = bi - fbi * (bi - ai) / (fbi - fai)
        c = np.where((c > ai) & (c < bi), c, 0.5 * (ai + bi))
        moved = np.abs(c - last[i])
        h = np.where(np.isnan(moved), 0.25 * (bi - ai), np.minimum(2.0 * moved, 0.25 * (bi - ai)))
        h = np.maximum(h, 4.0 * np.spacing(np.abs(c)))
        last[i] = c
        # c, and c -+ h, h/16, h/256: brackets of widths h/8 .. 2h around c, for one call of g.
        offsets = (h[:, None] * _ZOOM)  # (n, 6)
        inner = np.clip(c[:, None] + offsets, ai[:, None], bi[:, None])
        pts = np.sort(np.concatenate([ai[:, None], inner, c[:, None], bi[:, None]], axis=1), axis=1)
        vals = np.empty_like(pts)
        vals[:, 0], vals[:, -1] = fai, fbi
        vals[:, 1:-1] = g(pts[:, 1:-1], r[i])
        # The first sign change from the left among the points is the new bracket.
        flips = np.sign(vals[:, :-1]) * np.sign(vals[:, 1:]) <= 0
        k = np.argmax(flips, axis=1)
        rows_i = np.arange(i.size)
        new_a, new_b = pts[rows_i, k], pts[rows_i, k + 1]
        a[i], b[i], fa[i], fb[i] = new_a, new_b, vals[rows_i, k], vals[rows_i, k + 1]
        exact = fa[i] == 0
        b[i] = np.where(exact, a[i], b[i])
        exact = fb[i] == 0
        a[i] = np.where(exact, b[i], a[i])
    with np.errstate(invalid="ignore", divide="ignore"):
        where = np.where(fb != fa, b - fb * (b - a) / (fb - fa), 0.5 * (a + b))
    found, where = r, np.where((where >= a) & (where <= b), where, 0.5 * (a + b))
    count = np.bincount(found, minlength=n_rows)
    out = np.full((n_rows, max(int(count.max(initial=0)), 1)), np.nan)
    order = np.argsort(found, kind="stable")
    slot = np.arange(found.size) - np.repeat(np.cumsum(count) - count, count)
    out[found[order], slot] = where[order]
    return out


def _with_crossings(breaks: np.ndarray, crossings: np.ndarray) -> np.ndarray:
    """``breaks`` (B, P) with the crossing points added, sorted; rows padded by repeating a finite point."""
    lo, hi = breaks[:, :1], breaks[:, -1:]
    _, last, _ = _finite_extent(breaks)
    extra = np.where(np.isnan(crossings), last[:, None], np.clip(crossings, lo, hi))
    return np.sort(np.concatenate([breaks, extra], axis=1), axis=1)


# --- f_divergence ----------------------------------------------------------------------------------


def _shifted_breaks(p: Density, q: Density, shifts: np.ndarray) -> np.ndarray:
    """Breakpoints over the union of the supports of p and q(. - d), one row per shift, (B, P)."""
    bp, bq = breakpoints(p), breakpoints(q)
    (lo_p, hi_p), (lo_q, hi_q) = p.support(), q.support()
    d = shifts[:, None]
    with np.errstate(invalid="ignore"):
        lo = np.minimum(lo_p, lo_q + d)
        hi = np.maximum(hi_p, hi_q + d)
    inner = np.concatenate([np.broadcast_to(bp, (shifts.size, bp.size)), bq + d], axis=1)
    inner = np.sort(np.clip(inner, lo, hi), axis=1)
    return np.concatenate([lo, inner, hi], axis=1)


def _finish(row: FDivergence, integral: np.ndarray) -> np.ndarray:
    value = row.offset + integral
    lower, upper = row.bounds
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(value), value, np.clip(value, lower, upper))


def _log_ratio(p: Density, q: Density, shifts: np.ndarray) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """``(x, owner) -> log p(x) - log q(x - shift[owner])``, whose sign changes are where p = q."""
    def log_ratio(x: np.ndarray, owner: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            return p.logpdf(x) - q.logpdf(x - shifts[owner][:, None])

    return log_ratio


def _divergence_rows(row: FDivergence, p: Density, q: Density, shifts: np.ndarray,
                     breaks: np.ndarray) -> np.ndarray:
    """:math:`D_f(p \\| q(\\cdot - d))` for each shift, given each row's breakpoints (B, P)."""
    out = np.full(shifts.shape, math.inf)
    todo = np.flatnonzero(~_infinite_by_tails(row, p, q, shifts, breaks))
    if not todo.size:
        return out
    moved, breaks = shifts[todo], breaks[todo]

    def logs(x: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(over="ignore"):  # x**2 -> inf far out gives the right log-density, -inf
            return p.logpdf(x), q.logpdf(x - moved[owner][:, None])

    if row.kinks:
        breaks = _with_crossings(breaks, _crossings(_log_ratio(p, q, moved), breaks))
    value, _ = integrate(lambda x, owner: row.integrand(*logs(x, owner)), breaks)
    out[todo] = _finish(row, np.atleast_1d(value))
    return out


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
    The integrand is formed from log-densities (``row.integrand``), so densities that underflow
    in the tails give the right contributions, and the integral runs over the union of the
    supports split at both densities' breakpoints, as for :func:`gantheory.js_divergence` (and,
    for total variation, whose integrand has a kink wherever p = q, at those crossings too).
    Before integrating, the row's tail rule looks at the integrand's magnitude on points
    approaching each end of the domain, out to :math:`2^{96}` widths: if it does not decay
    faster than :math:`1/|x|` (or, at a finite end, than :math:`1/\\delta`), the result is
    ``inf`` at once, whatever finite number a quadrature would return there. Neyman's
    :math:`\\chi^2` of N(0, 1) against N(1, 1.5²) is such a case: :math:`\\log(q^2/p)` grows
    like :math:`x^2/18`.

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
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    if row is FDIVERGENCES["js"]:
        # JS goes through gantheory.integrals, the pipeline of gantheory.js_divergence: the same
        # integrand over the same frames, so the two agree (support edges, far locations too).
        from gantheory.integrals import PairIntegrand, Plan

        integrand = PairIntegrand(lambda log_p, log_q, s, x: row.integrand(log_p, log_q), bounded=True, name="JS")
        return float(_finish(row, Plan(p, q).integrate(integrand))[0])
    return float(_divergence_rows(row, p, q, np.zeros(1), support_breaks(p, q)[None, :])[0])


def f_divergence_curve(p: Density, q: Density, distances: npt.ArrayLike, name: str | FDivergence) -> np.ndarray:
    """:math:`D_f(P \\| Q_d)` for every distance ``d``, where :math:`Q_d` is Q shifted by ``d``.

    All distances are integrated in one batched adaptive quadrature (one NumPy call per round for
    the whole curve), so a 400-point curve costs little more than a few single divergences.

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
    return _shift_curve(lambda *args: _divergence_rows(row, *args), p, q, distances)


def _shift_curve(rows: Callable[..., np.ndarray], p: Density, q: Density, distances: npt.ArrayLike) -> np.ndarray:
    """``rows(p, q, shifts, breaks)`` for the checked densities and distances, shaped like ``distances``."""
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    d = check_array(distances, "distances")
    if d.size == 0:
        return np.zeros(d.shape)
    shifts = d.ravel()
    out = rows(p, q, shifts, _shifted_breaks(p, q, shifts)).reshape(d.shape)
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

    def pointwise(x: np.ndarray, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if callable(pre):
                v = _values(pre, x, "T.pre_activation")
                t = np.asarray(row.activation(v, NUMPY), dtype=np.float64)
                conj = np.asarray(row.conjugate_activation(v, NUMPY), dtype=np.float64)
            else:
                v = None
                t = _values(T, x, "T")
                conj = np.asarray(row.conjugate(t, NUMPY), dtype=np.float64)
        _check_critic(row, x, t, conj, log_p, log_q, v)
        out = _bound_integrand(row, t, conj, v, log_p, log_q)
        if np.isnan(out).any():
            i = tuple(np.argwhere(np.isnan(out))[0])
            raise ValueError(
                f"the bound's integrand p T - q f*(T) for {row.name!r} is not representable at x = {float(x[i])!r}: "
                f"T = {float(t[i])!r}, f*(T) = {float(conj[i])!r}, log p = {float(log_p[i])!r}, "
                f"log q = {float(log_q[i])!r} (infinite terms of opposite signs; the divergence is then "
                "infinite or astronomically large).")
        return out

    breaks = support_breaks(p, q)[None, :]
    if row.kinks:  # T* jumps where p = q (TV): split there, as f_divergence does
        breaks = _with_crossings(breaks, _crossings(_log_ratio(p, q, np.zeros(1)), breaks))

    def integrand(x: np.ndarray, owner: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return pointwise(x, p.logpdf(x), q.logpdf(x))

    value, _ = integrate(integrand, breaks[0])
    return float(value)


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
