"""Log-densities of scipy's continuous families: exact far out, and in any affine frame.

Every continuous :mod:`scipy.stats` family is a location–scale family: a frozen
``family(*shapes, loc=L, scale=S)`` has the density :math:`f((x - L)/S)/S` for a *standardized*
density :math:`f`. This module takes densities apart into such pieces (:class:`Atom`: a family,
its shapes, L, S and a mixture weight) so that the integration pipeline
(:mod:`gantheory.integrals`) can evaluate them in a frame of its choosing, ``x = c + h y``, by
moving L and S instead of x: a density centred at 1e16 is then evaluated at offsets of order one
from its centre, with all their digits, instead of at ``1e16 + y`` rounded to a multiple of 2.

Three facts about scipy are handled here:

* Where scipy computes ``log(pdf)`` its log-density underflows to ``-inf`` once the pdf is below
  1e-308, and loses digits before that (``laplace(40, 1).logpdf(-700)`` is -740.702, not
  -740.693); its Student-t log-density is ``-inf`` beyond 1e154. :func:`standard_logpdf` uses a
  closed form for those families (the list is :data:`CLOSED_FORMS`), exact out to the largest
  floats.
* Near a finite *right* edge ``b`` a density can only be evaluated at ``b - d`` for ``d`` above
  the spacing of floats near ``b``, which loses the mass of a density that diverges there (the
  arcsine law puts 6e-9 of its mass within 1e-16 of 1). For families whose mirror image is a
  family (:data:`MIRRORS`: ``beta(a, b)`` reflected is ``beta(b, a)``), the pipeline evaluates
  the right edge in a reflected frame where it sits at 0.
* scipy's generic methods cost tens of microseconds per call in argument checks; the pipeline
  calls the standardized ``_logpdf`` directly, once per round for every node at once, after
  :func:`gantheory.distributions.check_distribution` has validated the parameters.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special, stats

__all__ = [
    "Atom",
    "CLOSED_FORMS",
    "KINKS",
    "MIRRORS",
    "atoms",
    "cost_per_point",
    "logpdf",
    "mirror",
    "quantile_breaks",
    "singular_edges",
    "standard_logpdf",
    "support",
    "width",
]

_HALF_LOG_2PI = 0.5 * float(np.log(2.0 * np.pi))
_LOG_PI = float(np.log(np.pi))

# Probabilities at which a density's quantiles split the line: the bulk, the shoulders and the
# tails down to 1e-30, so that all but 2e-30 of each density's mass lies inside its own breakpoints.
# On a side where the support ends at a finite edge, quantiles below 1e-3 are dropped: there the
# tanh-sinh rule of the edge interval resolves everything down to the edge.
_LOWER = np.array([1e-30, 1e-20, 1e-16, 1e-12, 1e-8, 1e-4, 1e-3, 1e-2, 0.1, 0.25, 0.5])
_UPPER = np.array([0.25, 0.1, 1e-2, 1e-3, 1e-4, 1e-8, 1e-12, 1e-16, 1e-20, 1e-30])
_EDGE_SIDE_MIN = 1e-3


@dataclass(frozen=True)
class Atom:
    """One location–scale component of a density, for a batch of B problems.

    Attributes
    ----------
    family : scipy.stats.rv_continuous
        The family (its standardized ``_logpdf`` is what gets evaluated).
    shapes : tuple of float
        Its shape parameters, the same for the whole batch.
    loc, scale, log_weight : ndarray, shape (B,)
        Location, scale and log mixture weight in each problem.
    label : str
        How the component is written, for messages (``norm(0, 1)``).
    """

    family: stats.rv_continuous
    shapes: tuple[float, ...]
    loc: np.ndarray
    scale: np.ndarray
    log_weight: np.ndarray
    label: str


def atoms(density: object) -> tuple[Atom, ...]:
    """The location–scale components of a (checked) density, each with batch size 1.

    A frozen scipy distribution is one atom of weight 1; a :class:`~gantheory.Mixture` is the
    atoms of its components, nested mixtures flattened, with the products of the weights.
    Components of weight 0 are dropped.

    Examples
    --------
    >>> from gantheory import Mixture
    >>> mix = Mixture([stats.norm(-3, 0.5), stats.t(3, loc=2)], [0.25, 0.75])
    >>> [(a.label, float(a.loc[0]), float(np.exp(a.log_weight[0]))) for a in atoms(mix)]
    [('norm(-3, 0.5)', -3.0, 0.25), ('t(3, loc=2)', 2.0, 0.75)]
    """
    from gantheory.distributions import Mixture, describe

    if isinstance(density, Mixture):
        out = []
        for component, w in zip(density.components, density.weights):
            if w > 0:
                for a in atoms(component):
                    out.append(Atom(a.family, a.shapes, a.loc, a.scale, a.log_weight + np.log(w), a.label))
        return tuple(out)
    family = density.dist
    shapes, loc, scale = family._parse_args(*density.args, **density.kwds)
    return (Atom(family, tuple(float(s) for s in shapes), np.array([float(loc)]),
                 np.array([float(scale)]), np.zeros(1), describe(density)),)


# --- closed forms ----------------------------------------------------------------------------------

def _log1p_square(u: np.ndarray) -> np.ndarray:
    """log(1 + u^2) without overflow: softplus(2 log|u|)."""
    with np.errstate(divide="ignore"):
        return np.logaddexp(0.0, 2.0 * np.log(np.abs(u)))


def _log(u: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(u)


def _laplace(u):
    return -np.abs(u) - np.log(2.0)


def _t(u, df):
    if np.isinf(df):
        return -0.5 * u * u - _HALF_LOG_2PI
    const = special.gammaln((df + 1) / 2) - special.gammaln(df / 2) - 0.5 * np.log(df * np.pi)
    with np.errstate(divide="ignore"):
        z = 2.0 * np.log(np.abs(u)) - np.log(df)  # log(u^2 / df)
    return const - (df + 1) / 2 * np.logaddexp(0.0, z)


def _halfcauchy(u):
    return np.log(2.0) - _LOG_PI - _log1p_square(u)


def _foldcauchy(u, c):
    return -_LOG_PI + np.logaddexp(-_log1p_square(u - c), -_log1p_square(u + c))


def _skewcauchy(u, a):
    return -_LOG_PI - _log1p_square(u / (a * np.sign(u) + 1))


def _hypsecant(u):
    au = np.abs(u)
    return -_LOG_PI - au + np.log(2.0) - np.log1p(np.exp(-2.0 * au))


def _pareto(u, b):
    return np.log(b) - (b + 1) * _log(u)


def _levy(u):
    with np.errstate(divide="ignore"):
        return -_HALF_LOG_2PI - 1.5 * _log(u) - 0.5 / u


def _loglaplace(u, c):
    lu = _log(u)
    return np.log(c / 2) + np.where(lu < 0, (c - 1) * lu, -(c + 1) * lu)


def _fisk(u, c):
    lu = _log(u)
    return np.log(c) + (c - 1) * lu - 2.0 * np.logaddexp(0.0, c * lu)


def _burr(u, c, d):
    lu = _log(u)
    return np.log(c * d) - (c + 1) * lu - (d + 1) * np.logaddexp(0.0, -c * lu)


def _burr12(u, c, d):
    lu = _log(u)
    return np.log(c * d) + (c - 1) * lu - (d + 1) * np.logaddexp(0.0, c * lu)


def _mielke(u, k, s):
    lu = _log(u)
    return np.log(k) + (k - 1) * lu - (1 + k / s) * np.logaddexp(0.0, s * lu)


def _kappa3(u, a):
    return np.log(a) - (a + 1) / a * np.logaddexp(np.log(a), a * _log(u))


def _invweibull(u, c):
    lu = _log(u)
    with np.errstate(over="ignore"):
        return np.log(c) - (c + 1) * lu - np.exp(-c * lu)


def _johnsonsu(u, a, b):
    z = a + b * np.arcsinh(u)
    return np.log(b) - 0.5 * _log1p_square(u) - _HALF_LOG_2PI - 0.5 * z * z


def _norminvgauss(u, a, b):
    r = np.hypot(1.0, u)
    gamma = np.sqrt(a * a - b * b)
    return np.log(a) - _LOG_PI + _log(special.kve(1, a * r)) - a * r - np.log(r) + gamma + b * u


def _foldnorm(u, c):
    return np.logaddexp(-0.5 * (u - c) ** 2, -0.5 * (u + c) ** 2) - _HALF_LOG_2PI


def _rice(u, b):
    return _log(u) - 0.5 * (u - b) ** 2 + _log(special.i0e(u * b))


def _moyal(u):
    with np.errstate(over="ignore"):
        return -0.5 * (u + np.exp(-u)) - _HALF_LOG_2PI


#: Families whose standardized log-density is computed here in closed form rather than by scipy
#: (which underflows to -inf, or loses digits, in their tails), keyed by the family's class.
CLOSED_FORMS: dict[type, Callable[..., np.ndarray]] = {
    type(stats.laplace): _laplace,
    type(stats.t): _t,
    type(stats.halfcauchy): _halfcauchy,
    type(stats.foldcauchy): _foldcauchy,
    type(stats.skewcauchy): _skewcauchy,
    type(stats.hypsecant): _hypsecant,
    type(stats.pareto): _pareto,
    type(stats.levy): _levy,
    type(stats.loglaplace): _loglaplace,
    type(stats.fisk): _fisk,
    type(stats.burr): _burr,
    type(stats.burr12): _burr12,
    type(stats.mielke): _mielke,
    type(stats.kappa3): _kappa3,
    type(stats.invweibull): _invweibull,
    type(stats.johnsonsu): _johnsonsu,
    type(stats.norminvgauss): _norminvgauss,
    type(stats.foldnorm): _foldnorm,
    type(stats.rice): _rice,
    type(stats.moyal): _moyal,
}


def standard_logpdf(family: stats.rv_continuous, u: np.ndarray, shapes: tuple[float, ...]) -> np.ndarray:
    """The standardized log-density :math:`\\log f(u)` (``loc = 0``, ``scale = 1``) at ``u``.

    From :data:`CLOSED_FORMS` where the family has one (scipy's value where the closed form is
    NaN, as at a support edge), otherwise from scipy's ``_logpdf``; ``-inf`` outside the support.
    No warning escapes: the log of 0 is ``-inf`` by design.

    Examples
    --------
    scipy's Laplace log-density underflows at 745 scales from its centre; this one does not:

    >>> float(stats.laplace.logpdf(800.0)), float(standard_logpdf(stats.laplace, np.array(800.0), ()))
    (-inf, -800.6931471805599)
    """
    return _standard_logpdf(family, np.asarray(u, dtype=np.float64), shapes, *support(family, shapes))


def _standard_logpdf(family, u: np.ndarray, shapes: tuple[float, ...], a: float, b: float) -> np.ndarray:
    closed = CLOSED_FORMS.get(type(family))
    if a == -np.inf and b == np.inf:  # the whole line: no support to mask (u is never NaN here)
        with np.errstate(all="ignore"):
            out = closed(u, *shapes) if closed is not None else _scipy_logpdf(family, u, shapes)
        out = np.asarray(out, dtype=np.float64)
        if out.shape != u.shape:
            out = np.broadcast_to(out, u.shape)
        if closed is not None and np.isnan(out).any():
            out = np.where(np.isnan(out) & ~np.isnan(u), _scipy_logpdf(family, u, shapes), out)
        return np.where(np.isfinite(u), out, -np.inf)
    # NaN (a point the caller has placed outside the support) is outside; so is an infinite u
    # (the standardized coordinate overflowed: the density is 0 there, as in every tail).
    inside = (u >= a) & (u <= b) & np.isfinite(u)
    with np.errstate(all="ignore"):
        if closed is not None:
            out = np.asarray(closed(u, *shapes), dtype=np.float64)
            nan = np.isnan(out) & inside
            if nan.any():
                out = np.where(nan, _scipy_logpdf(family, u, shapes), out)
        else:
            out = _scipy_logpdf(family, u, shapes)
    if out.shape != u.shape:
        out = np.broadcast_to(out, u.shape)
    return np.where(inside, out, -np.inf)


def _scipy_logpdf(family: stats.rv_continuous, u: np.ndarray, shapes: tuple[float, ...]) -> np.ndarray:
    # On a flat array: some families (levy_stable) only accept one dimension.
    flat = np.asarray(family._logpdf(u.ravel(), *shapes), dtype=np.float64)
    return np.broadcast_to(flat, u.size).reshape(u.shape)


# --- mirror images ------------------------------------------------------------------------------------

def _same(*shapes):
    return shapes


#: Families whose mirror image is a family: ``f(u; shapes) = f_m(a - u; shapes_m)``, keyed by the
#: family's class, with values ``(f_m, shapes -> shapes_m, a)``.
MIRRORS: dict[type, tuple[stats.rv_continuous, Callable[..., tuple], float]] = {
    type(stats.beta): (stats.beta, lambda a, b: (b, a), 1.0),
    type(stats.uniform): (stats.uniform, _same, 1.0),
    type(stats.arcsine): (stats.arcsine, _same, 1.0),
    type(stats.triang): (stats.triang, lambda c: (1.0 - c,), 1.0),
    type(stats.trapezoid): (stats.trapezoid, lambda c, d: (1.0 - d, 1.0 - c), 1.0),
    type(stats.truncnorm): (stats.truncnorm, lambda a, b: (-b, -a), 0.0),
    type(stats.rdist): (stats.rdist, _same, 0.0),
    type(stats.semicircular): (stats.semicircular, _same, 0.0),
    type(stats.cosine): (stats.cosine, _same, 0.0),
    type(stats.anglit): (stats.anglit, _same, 0.0),
    type(stats.norm): (stats.norm, _same, 0.0),
    type(stats.laplace): (stats.laplace, _same, 0.0),
    type(stats.t): (stats.t, _same, 0.0),
    type(stats.cauchy): (stats.cauchy, _same, 0.0),
    type(stats.logistic): (stats.logistic, _same, 0.0),
    type(stats.hypsecant): (stats.hypsecant, _same, 0.0),
    type(stats.gennorm): (stats.gennorm, _same, 0.0),
    type(stats.dweibull): (stats.dweibull, _same, 0.0),
    type(stats.dgamma): (stats.dgamma, _same, 0.0),
    type(stats.gumbel_r): (stats.gumbel_l, _same, 0.0),
    type(stats.gumbel_l): (stats.gumbel_r, _same, 0.0),
    type(stats.weibull_min): (stats.weibull_max, _same, 0.0),
    type(stats.weibull_max): (stats.weibull_min, _same, 0.0),
    type(stats.levy): (stats.levy_l, _same, 0.0),
    type(stats.levy_l): (stats.levy, _same, 0.0),
    type(stats.skewnorm): (stats.skewnorm, lambda a: (-a,), 0.0),
    type(stats.skewcauchy): (stats.skewcauchy, lambda a: (-a,), 0.0),
    type(stats.johnsonsu): (stats.johnsonsu, lambda a, b: (-a, b), 0.0),
    type(stats.norminvgauss): (stats.norminvgauss, lambda a, b: (a, -b), 0.0),
}


def mirror(family: stats.rv_continuous, shapes: tuple[float, ...]):
    """``(family_m, shapes_m, a)`` with :math:`f(u) = f_m(a - u)`, or None if not registered.

    Examples
    --------
    >>> fam, shapes, a = mirror(stats.beta, (0.5, 2.0))
    >>> fam.name, shapes, a
    ('beta', (2.0, 0.5), 1.0)
    """
    entry = MIRRORS.get(type(family))
    if entry is None:
        return None
    fam, reflect, a = entry
    return fam, tuple(float(s) for s in reflect(*shapes)), a


# --- support, quantiles and width, cached per family and shapes ---------------------------------------

#: Points where a family's density has a kink or a jump inside its support (beyond its edges), as
#: functions of its shapes: they become breakpoints, since no quadrature rule converges across them.
KINKS: dict[type, Callable[..., tuple]] = {
    type(stats.triang): lambda c: (c,),
    type(stats.trapezoid): lambda c, d: (c, d),
    type(stats.laplace): lambda: (0.0,),
    type(stats.laplace_asymmetric): lambda kappa: (0.0,),
    type(stats.loglaplace): lambda c: (1.0,),
    type(stats.dweibull): lambda c: (0.0,),
    type(stats.dgamma): lambda a: (0.0,),
    type(stats.gennorm): lambda beta: (0.0,),
}


def _cacheable(family: stats.rv_continuous) -> bool:
    # scipy's own families are determined by class and shapes; a user's subclass or an
    # rv_histogram instance carries data of its own, so it is not cached.
    return type(family).__module__.startswith("scipy.stats.") and not isinstance(family, stats.rv_histogram)


_FACTS: dict[tuple, tuple] = {}


def _facts(family: stats.rv_continuous, shapes: tuple[float, ...]) -> tuple:
    """``(a, b, z, edges, iqr, singular, cost)`` of a family at its shapes, cached for scipy's."""
    key = (type(family), shapes)
    cacheable = _cacheable(family)
    if cacheable and key in _FACTS:
        return _FACTS[key]
    a, b = (float(e) for e in family._get_support(*shapes))
    cost = _cost(family, shapes, a, b)
    lower = _LOWER if np.isinf(a) else _LOWER[_LOWER >= _EDGE_SIDE_MIN]
    upper = _UPPER if np.isinf(b) else _UPPER[_UPPER >= _EDGE_SIDE_MIN]
    if cost > _SLOW:
        # A density scipy evaluates numerically (levy_stable) has a quantile function that is a
        # root search over a numerical integral: a few quantiles only, so planning stays quick.
        lower, upper = lower[lower >= 1e-4], upper[upper >= 1e-4]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # scipy's root finders warn in the far tails of some families
        z = np.concatenate([np.atleast_1d(family.ppf(lower, *shapes)),
                            np.atleast_1d(family.isf(upper, *shapes))]).astype(np.float64)
        quartiles = np.atleast_1d(family.ppf(np.array([0.25, 0.75]), *shapes)).astype(np.float64)
    kinks = KINKS.get(type(family))
    if kinks is not None:
        z = np.concatenate([z, np.asarray(kinks(*shapes), dtype=np.float64)])
    z = np.unique(z[np.isfinite(z) & (z > a) & (z < b)])
    edges = np.array([e for e in (a, b) if np.isfinite(e)], dtype=np.float64)
    iqr = float(quartiles[1] - quartiles[0])
    iqr = iqr if np.isfinite(iqr) and iqr > 0 else 1.0
    for arr in (z, edges):
        arr.setflags(write=False)
    singular = (_singular_at(family, shapes, a, 1.0, iqr), _singular_at(family, shapes, b, -1.0, iqr))
    facts = (a, b, z, edges, iqr, singular, cost)
    if cacheable:
        if len(_FACTS) > 4096:
            _FACTS.clear()
        _FACTS[key] = facts
    return facts


def _singular_at(family, shapes, edge: float, inward: float, iqr: float) -> bool:
    """Whether the log-density is unbounded at a finite edge (it vanishes or diverges there).

    A density that is finite and non-zero at its edge (the uniform's, pareto's) has a smooth
    log-density there, whose change over the five decades from 1e-15 to 1e-10 scales inside the
    edge is 1e-5 times its change from 1e-10 to 1e-5; one that behaves like a power (beta) changes
    by the same amount per decade, and one that vanishes faster (levy) by more.
    """
    if not np.isfinite(edge):
        return False
    u = edge + inward * iqr * np.array([1e-15, 1e-10, 1e-5])
    if np.any(u == edge):
        u = np.nextafter(edge, edge + inward) + inward * np.abs(u - edge)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = _standard_logpdf(family, u, shapes, *(float(e) for e in family._get_support(*shapes)))
    if not np.all(np.isfinite(values)):
        return True
    near, far = abs(values[1] - values[0]), abs(values[2] - values[1])
    return bool(near > 1e-3 * far + 1e-12)


def singular_edges(family: stats.rv_continuous, shapes: tuple[float, ...]) -> tuple[bool, bool]:
    """Whether the standardized log-density is unbounded at its lower and at its upper edge.

    Examples
    --------
    >>> singular_edges(stats.uniform, ()), singular_edges(stats.beta, (2.0, 1.0))
    ((False, False), (True, False))
    """
    return _facts(family, shapes)[5]


#: Seconds per point above which a log-density counts as slow (scipy's own closed forms take
#: well under a microsecond per point; levy_stable's numerical integral about a millisecond).
_SLOW = 2e-5


def _cost(family, shapes: tuple[float, ...], a: float, b: float) -> float:
    """Seconds per point of the standardized log-density in a vectorized call: from one call on
    32 points if that is slow (a numerical integral per point), else on 4096 points (so that the
    call's fixed overhead, a few microseconds, is not counted as the cost of each point)."""
    lo = a if np.isfinite(a) else min(b, 0.0) - 4.0
    hi = b if np.isfinite(b) else max(a, 0.0) + 4.0
    for n in (32, 4096):
        probe = np.linspace(lo, hi, n + 2)[1:-1]
        started = time.perf_counter()
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _standard_logpdf(family, probe, shapes, a, b)
        cost = (time.perf_counter() - started) / probe.size
        if cost * probe.size > 5e-3:  # slow already: no need for the larger probe
            break
    return cost


def cost_per_point(family: stats.rv_continuous, shapes: tuple[float, ...]) -> float:
    """Seconds per point of the family's standardized log-density, measured once (cached)."""
    return _facts(family, shapes)[6]


def support(family: stats.rv_continuous, shapes: tuple[float, ...]) -> tuple[float, float]:
    """The standardized support ``(a, b)`` of ``family`` at ``shapes``."""
    a, b, *_ = _facts(family, shapes)
    return a, b


def quantile_breaks(family: stats.rv_continuous, shapes: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Standardized quantiles at which to split the line for this family, and its finite edges.

    Returns ``(z, edges)``: ``z`` the sorted finite quantiles at the probabilities of the module
    (from 1e-30 through the median to 1 - 1e-30, but not below 1e-3 on a side where the support
    is bounded) and ``edges`` the finite ends of the support.

    Examples
    --------
    >>> z, edges = quantile_breaks(stats.beta, (0.5, 0.5))
    >>> edges.tolist(), bool(z.min() > 0), bool(z.max() < 1)
    ([0.0, 1.0], True, True)
    """
    _, _, z, edges, *_ = _facts(family, shapes)
    return z, edges


def width(family: stats.rv_continuous, shapes: tuple[float, ...]) -> float:
    """The standardized interquartile range of the family (1 where it is 0 or not finite)."""
    return _facts(family, shapes)[4]


# --- the log-density of a whole density, exact ------------------------------------------------------

def logpdf(density: object, x: npt.ArrayLike) -> np.ndarray:
    """The log-density of a frozen scipy distribution or Mixture at ``x``, exact in the far tails.

    The same values as ``density.logpdf(x)`` in the bulk; beyond, the closed forms of
    :data:`CLOSED_FORMS` where scipy underflows, and for a Mixture a ``logsumexp`` over them.

    Examples
    --------
    >>> float(logpdf(stats.laplace(40, 1), -800.0))   # scipy: -inf
    -840.6931471805599
    """
    x = np.asarray(x, dtype=np.float64)
    parts = []
    for a in atoms(density):
        with np.errstate(all="ignore"):
            u = (x - a.loc[0]) / a.scale[0]
        parts.append(standard_logpdf(a.family, u, a.shapes) - np.log(a.scale[0]) + a.log_weight[0])
    if len(parts) == 1:
        return parts[0]
    return special.logsumexp(np.stack(parts), axis=0)
