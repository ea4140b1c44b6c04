r"""KL and JS divergences, the optimal discriminator and the GAN value function, by quadrature.

Every quantity is an integral over the union of the two supports of a pointwise function of the
two log-densities, computed by the pipeline of :mod:`gantheory.integrals`: in a well-conditioned
frame (a density at 1e16 is integrated at offsets of order one from its centre), with the
tanh-sinh rule at support edges (no node on an edge; endpoint singularities such as the arcsine
law's), closed-form log-densities where scipy's underflow, finiteness decided from the tails (KL
of a heavy tail against a Gaussian one is ``inf`` at once) and a time budget. Integrands are formed
from log-densities: with :math:`s = \log p - \log q` the logit of the optimal discriminator,
nothing is divided by a density that has underflowed.

Accuracy: absolute 1e-14 on values of order one (the quadrature's tolerance). Small values keep
their *relative* accuracy: JS below 1e-3 is integrated from the non-negative
:math:`\tfrac12 m\,J(s)` and KL below 1e-3 from the non-negative :math:`q\,h(p/q)`,
:math:`h(r) = r \log r - r + 1`, both evaluated by series where their terms would cancel; the
relative error is then about 1e-13 for two Gaussians (whose :math:`s` is an exact quadratic) and
about :math:`\epsilon |\log p| / |s|` otherwise (the rounding of two log-densities that nearly
cancel), which the tests state.

The pointwise integrands (:func:`kl_integrand`, :func:`js_integrand`, :func:`value_integrand`, ...)
are public so that batched callers (the NumPy GAN's exact JS over an ensemble) integrate the very
same expressions; :data:`KL`, :data:`JS_DEFICIT` and friends are their
:class:`~gantheory.integrals.PairIntegrand` forms.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from gantheory import logdensity
from gantheory.distributions import Density, breakpoints, check_base, check_distribution
from gantheory.integrals import PairIntegrand, Plan

__all__ = [
    "JS_DEFICIT",
    "JS_DIRECT",
    "KL",
    "KL_EXCESS",
    "OptimalDiscriminator",
    "js_direct_integrand",
    "js_divergence",
    "js_integrand",
    "kl_divergence",
    "kl_excess_integrand",
    "kl_integrand",
    "optimal_discriminator",
    "support_breaks",
    "value_function",
    "value_integrand",
    "virtual_criterion",
]

LOG2 = float(np.log(2.0))
_EPS = float(np.finfo(float).eps)
# Below this, JS and KL are recomputed from integrands that keep their relative accuracy.
_SMALL = 1e-3


def support_breaks(*densities: Density) -> np.ndarray:
    """Breakpoints for integrating over the union of the supports of ``densities``.

    Returns the ascending array ``[lo, ..., hi]``: the ends of the union of the supports (possibly
    infinite) with every finite breakpoint of every density strictly between them.

    Examples
    --------
    >>> breaks = support_breaks(stats.uniform(0, 1), stats.uniform(3, 1))
    >>> float(breaks[0]), float(breaks[-1]), bool(np.any(breaks == 3.0))
    (0.0, 4.0, True)
    """
    lo = min(d.support()[0] for d in densities)
    hi = max(d.support()[1] for d in densities)
    inner = np.unique(np.concatenate([breakpoints(d) for d in densities]))
    inner = inner[(inner > lo) & (inner < hi)]
    return np.concatenate([[lo], inner, [hi]])


def _finalize(value: float, base: float | None) -> float:
    return float(value) if base is None else float(value) / float(np.log(base))


def _ratio(log_p: np.ndarray, log_q: np.ndarray, log_ratio: np.ndarray | None) -> np.ndarray:
    if log_ratio is not None:
        return np.asarray(log_ratio, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        s = log_p - log_q
    return np.where(np.isnan(s), 0.0, s)


def kl_integrand(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """Pointwise :math:`p(x) \\log(p(x)/q(x))` from log-densities.

    Zero where ``p`` is zero in floating point (the convention :math:`0 \\log 0 = 0`), ``+inf``
    where ``p`` is positive and ``q`` is zero.
    """
    s = _ratio(log_p, log_q, None)
    p = np.exp(log_p)
    with np.errstate(invalid="ignore", over="ignore"):
        out = np.where(p > 0, p * s, 0.0)
    return np.where((p > 0) & (log_q == -np.inf), np.inf, out)


def _excess_series(s: np.ndarray) -> np.ndarray:
    """:math:`h(e^s) = e^s (s - 1) + 1 = \\sum_{k \\ge 2} (k - 1) s^k / k!`, for |s| <= 0.1."""
    term, out = s * s / 2.0, s * s / 2.0
    for k in range(3, 14):
        term = term * s / k
        out = out + (k - 1) * term
    return out


def kl_excess_integrand(log_p: np.ndarray, log_q: np.ndarray, log_ratio: np.ndarray | None = None) -> np.ndarray:
    """Pointwise :math:`q\\,h(p/q) = p \\log(p/q) - p + q \\ge 0`, with :math:`h(r) = r\\log r - r + 1`.

    It integrates to KL too (the added :math:`q - p` integrates to 0), but has no cancellation
    between points: where :math:`s = \\log(p/q)` is small it is :math:`q s^2/2 + \\dots`, computed
    by its series, so KL keeps its relative accuracy however small it is.
    """
    s = _ratio(log_p, log_q, log_ratio)
    p, q = np.exp(log_p), np.exp(log_q)
    small = np.abs(s) <= 0.1
    with np.errstate(invalid="ignore", over="ignore"):
        far = np.where(p > 0, p * (s - 1.0), 0.0) + q
        near = q * _excess_series(np.where(small, s, 0.0))
    out = np.where(small, near, far)
    return np.where((p > 0) & (log_q == -np.inf), np.inf, out)


def js_integrand(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """Pointwise deficit :math:`\\log 2 \\cdot m(x) - \\tfrac12[p \\log(p/m) + q \\log(q/m)]`.

    With :math:`m = (p+q)/2`, :math:`\\log(p/m) = \\log 2 - \\operatorname{softplus}(\\log q - \\log
    p)`, so the integrand is :math:`\\tfrac12[p\\,\\operatorname{softplus}(\\log q - \\log
    p) + q\\,\\operatorname{softplus}(\\log p - \\log q)]`, non-negative, and
    :math:`\\mathrm{JS} = \\log 2 - \\int` (it). Where the densities do not overlap it is exactly
    0, so disjoint supports give JS = log 2 exactly.
    """
    s = _ratio(log_p, log_q, None)
    with np.errstate(invalid="ignore", over="ignore"):
        term_p = np.exp(log_p) * np.logaddexp(0.0, -s)
        term_q = np.exp(log_q) * np.logaddexp(0.0, s)
    term_p = np.where(log_p == -np.inf, 0.0, term_p)
    term_q = np.where(log_q == -np.inf, 0.0, term_q)
    return 0.5 * (term_p + term_q)


def _js_kernel(s: np.ndarray) -> np.ndarray:
    """:math:`J(s) = s \\tanh(s/2) - 2 \\log\\cosh(s/2) \\in [0, 2\\log 2]`, without cancellation.

    For |s| <= 2 both terms are evaluated accurately (:math:`\\log\\cosh x =
    \\log(1 + 2\\sinh^2(x/2))`) and cancel by at most a factor 2; beyond, the closed form
    :math:`2\\log 2 - 2\\log(1 + e^{-|s|}) - 2|s|\\,\\mathrm{expit}(-|s|)` has no cancellation.
    """
    a = np.abs(s)
    with np.errstate(over="ignore", invalid="ignore"):
        near = a * np.tanh(a / 2) - 2.0 * np.log1p(2.0 * np.sinh(a / 4) ** 2)
        tail = np.where(np.isinf(a), 0.0, a * special.expit(-a))
        far = 2.0 * LOG2 - 2.0 * np.log1p(np.exp(-a)) - 2.0 * tail
    return np.where(a <= 2.0, near, far)


def js_direct_integrand(log_p: np.ndarray, log_q: np.ndarray, log_ratio: np.ndarray | None = None) -> np.ndarray:
    """Pointwise :math:`\\tfrac12[p \\log(p/m) + q \\log(q/m)] = \\tfrac12 m\\,J(s) \\ge 0`.

    The JS integrand itself, in the form :math:`\\tfrac12 m J(\\log p - \\log q)` with
    :math:`J(s) = s \\tanh(s/2) - 2 \\log\\cosh(s/2)`: the two terms of the definition cancel to
    :math:`q s^2/8` where :math:`p \\approx q`, while this form is non-negative term by term, so a
    JS of 1e-17 keeps its digits. (:func:`js_integrand`, the deficit, keeps them near log 2.)
    """
    s = _ratio(log_p, log_q, log_ratio)
    log_m = np.logaddexp(log_p, log_q) - LOG2
    with np.errstate(under="ignore"):
        return 0.5 * np.exp(log_m) * _js_kernel(s)


def _js_direct_log_abs(log_p, log_q, s, x):
    with np.errstate(divide="ignore"):
        return np.logaddexp(log_p, log_q) - 2 * LOG2 + np.log(_js_kernel(s))


def _kl_log_abs(log_p, log_q, s, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        out = log_p + np.log(np.abs(s))
    return np.where(np.isnan(out), -np.inf, out)


def _kl_excess_log_abs(log_p, log_q, s, x):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        small = np.abs(s) <= 0.1
        near = log_q + np.log(_excess_series(np.where(small, s, 0.1)))
        up = log_p + np.log(s - 1.0 + np.exp(-np.where(s > 0, s, 1.0)))      # s > 0.1
        down = log_q + np.log1p(np.exp(np.where(s < 0, s, -1.0)) * (s - 1.0))  # s < -0.1
        out = np.where(small, near, np.where(s > 0, up, down))
    return np.where(np.isnan(out), -np.inf, out)


#: :math:`p \log(p/q)`: KL(p || q).
KL = PairIntegrand(lambda lp, lq, s, x: kl_integrand(lp, lq), _kl_log_abs, name="KL", weight="p")
#: :math:`p \log(p/q) - p + q \ge 0`: KL(p || q) with relative accuracy near 0.
KL_EXCESS = PairIntegrand(lambda lp, lq, s, x: kl_excess_integrand(lp, lq, s), _kl_excess_log_abs, name="KL")
#: :math:`\log 2 \cdot m - \text{(JS integrand)}`: log 2 minus JS, exact for disjoint supports.
JS_DEFICIT = PairIntegrand(lambda lp, lq, s, x: js_integrand(lp, lq), bounded=True, name="JS")
#: :math:`\tfrac12 m J(s)`: JS with relative accuracy near 0.
JS_DIRECT = PairIntegrand(lambda lp, lq, s, x: js_direct_integrand(lp, lq, s), _js_direct_log_abs,
                          bounded=True, name="JS")


def value_integrand(
    log_p: np.ndarray, log_q: np.ndarray, log_d: np.ndarray, log_1m_d: np.ndarray
) -> np.ndarray:
    """Pointwise :math:`p_{data}(x) \\log D(x) + p_g(x) \\log(1 - D(x))`, the integrand of eq. (6).

    A term whose density is zero in floating point (outside the support, or underflowed below
    1e-308) is zero, whatever ``D`` is there; ``D = 0`` where ``p_data`` is positive gives ``-inf``.
    """
    p, q = np.exp(log_p), np.exp(log_q)
    with np.errstate(invalid="ignore"):
        term_p = np.where(p > 0, p * log_d, 0.0)
        term_q = np.where(q > 0, q * log_1m_d, 0.0)
    return term_p + term_q


def kl_divergence(p: Density, q: Density, *, base: float | None = None) -> float:
    """Kullback–Leibler divergence :math:`\\mathrm{KL}(p \\| q) = E_p \\log(p/q)`.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    base : float, optional
        Logarithm base, a number > 1; ``None`` (default) gives nats, ``2`` gives bits.

    Returns
    -------
    float
        Non-negative; ``inf`` where ``p`` has mass that ``q`` lacks, or where the integral
        diverges in a tail (decided from the tails' power laws, at once). Absolute accuracy
        1e-14 on values of order one; below 1e-3, relative accuracy (see the module docstring).

    Raises
    ------
    gantheory.quadrature.BudgetExceeded
        If the densities are too slow to evaluate for the 10 s budget (``levy_stable``).

    Notes
    -----
    The definition used in section 5 of the article, before eq. (9).

    Examples
    --------
    Against the Gaussian closed form
    :math:`\\log\\frac{\\sigma_2}{\\sigma_1} + \\frac{\\sigma_1^2 + (\\mu_1-\\mu_2)^2}{2\\sigma_2^2}
    - \\frac12`:

    >>> kl = kl_divergence(stats.norm(0, 1), stats.norm(1, 2))
    >>> bool(np.isclose(kl, np.log(2) + 2 / 8 - 0.5, rtol=0, atol=1e-14))
    True
    >>> kl_divergence(stats.norm(0, 1), stats.uniform(-1, 2))
    inf
    >>> kl_divergence(stats.t(1.5), stats.norm(0, 1))   # a tail heavier than a Gaussian's
    inf
    """
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    base = check_base(base)
    plan = Plan(p, q)
    value = float(plan.integrate(KL)[0])
    if np.isfinite(value) and abs(value) < _SMALL:
        value = float(plan.integrate(KL_EXCESS)[0])
    return _finalize(max(value, 0.0), base)


def js_divergence(p: Density, q: Density, *, base: float | None = None) -> float:
    """Jensen–Shannon divergence :math:`\\tfrac12 \\mathrm{KL}(p\\|m) + \\tfrac12 \\mathrm{KL}(q\\|m)`.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    base : float, optional
        Logarithm base, a number > 1; ``None`` (default) gives nats, in [0, log 2]; ``2`` gives
        bits, in [0, 1].

    Returns
    -------
    float
        Absolute accuracy 1e-14; below 1e-3, relative accuracy (1e-13 for two Gaussians).

    Notes
    -----
    The definition before eq. (9) of the article, with :math:`m = (p+q)/2`. Computed as
    :math:`\\log 2` minus the integral of :func:`js_integrand`, which is exact for disjoint
    supports and keeps its digits when JS is close to log 2, and, when that gives less than
    1e-3, directly from :func:`js_direct_integrand`. This is the divergence, not the
    distance :math:`\\sqrt{\\mathrm{JS}}` that ``scipy.spatial.distance.jensenshannon`` returns.

    Examples
    --------
    The value printed (as 0.336) in the article's Figure 3, at distance 2:

    >>> round(js_divergence(stats.norm(0, 1), stats.norm(2, 1)), 5)
    0.33683
    >>> js_divergence(stats.uniform(0, 1), stats.uniform(3, 1)) == LOG2   # disjoint: exactly log 2
    True
    >>> js_divergence(stats.norm(0, 1), stats.norm(1e-8, 1))   # d^2/8 for a tiny shift d
    1.25e-17
    """
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    base = check_base(base)
    plan = Plan(p, q)
    js = LOG2 - float(plan.integrate(JS_DEFICIT)[0])
    if js < _SMALL:
        js = float(plan.integrate(JS_DIRECT)[0])
    return _finalize(min(max(js, 0.0), LOG2), base)


class OptimalDiscriminator:
    """The optimal discriminator :math:`D^*(x) = p_{data}(x) / (p_{data}(x) + p_g(x))`, eq. (7).

    Call it for probabilities; :meth:`logit` gives :math:`\\log p_{data}(x) - \\log p_g(x)`, which
    stays finite and exact where :math:`D^*` rounds to 0 or 1. Outside both supports every value
    of D is optimal; the convention here is :math:`D^* = 1/2` (logit 0).

    Parameters
    ----------
    p_data, p_g : frozen scipy.stats continuous distribution or Mixture
    """

    def __init__(self, p_data: Density, p_g: Density) -> None:
        self.p_data = check_distribution(p_data, "p_data")
        self.p_g = check_distribution(p_g, "p_g")

    def __repr__(self) -> str:
        return f"OptimalDiscriminator(p_data={self.p_data!r}, p_g={self.p_g!r})"

    def logit(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`\\log p_{data}(x) - \\log p_g(x)`, ``+-inf`` outside one support, 0 outside both.

        Exact for two Gaussians (a quadratic in x, evaluated as a product of two differences, so
        that it stays finite at x = 1e200); otherwise from the exact log-densities of
        :func:`gantheory.logdensity.logpdf`. Where both densities underflow below the smallest
        representable log inside a support, the logit is the limit of its sign (``+-inf``).
        """
        frame_ratio = getattr(x, "log_ratio", None)
        if frame_ratio is not None:  # nodes of the pipeline's frame: its exact log-ratio there
            return np.array(frame_ratio, dtype=np.float64)
        x = np.asarray(x, dtype=np.float64)
        p_atoms, q_atoms = logdensity.atoms(self.p_data), logdensity.atoms(self.p_g)
        if (len(p_atoms) == 1 and len(q_atoms) == 1 and type(p_atoms[0].family) is type(stats.norm)
                and type(q_atoms[0].family) is type(stats.norm)):
            return _gaussian_logit(x, p_atoms[0], q_atoms[0])
        log_p, log_q = logdensity.logpdf(self.p_data, x), logdensity.logpdf(self.p_g, x)
        with np.errstate(invalid="ignore"):
            s = log_p - log_q
        both = (log_p == -np.inf) & (log_q == -np.inf)
        if both.any():
            lo = min(self.p_data.support()[0], self.p_g.support()[0])
            hi = max(self.p_data.support()[1], self.p_g.support()[1])
            inside = both & (x > lo) & (x < hi)
            s = np.where(both, 0.0, s)
            if inside.any():
                s = np.where(inside, self._limit(x, p_atoms[0].loc[0], q_atoms[0].loc[0]), s)
        return s

    def _limit(self, x: np.ndarray, loc_p: float, loc_q: float) -> np.ndarray:
        """The logit's sign far out, where both densities underflow: walk back towards the centre
        (halving the distance) to the first point where both are representable."""
        centre = 0.5 * loc_p + 0.5 * loc_q
        out = np.zeros(x.shape)
        todo = np.ones(x.shape, dtype=bool)
        for k in range(1, 1100):
            t = centre + (x - centre) * 0.5**k
            lp, lq = logdensity.logpdf(self.p_data, t), logdensity.logpdf(self.p_g, t)
            ready = todo & ((lp > -np.inf) | (lq > -np.inf))
            if ready.any():
                with np.errstate(invalid="ignore"):
                    out = np.where(ready, np.sign(lp - lq) * np.inf, out)
                todo &= ~ready
            if not todo.any():
                break
        return np.where(np.isnan(out), 0.0, out)

    def __call__(self, x: npt.ArrayLike) -> np.ndarray:
        """:math:`D^*(x)`, as ``expit(logit(x))``."""
        return special.expit(self.logit(x))


def optimal_discriminator(p_data: Density, p_g: Density) -> OptimalDiscriminator:
    """The optimal discriminator for a fixed generator, eq. (7).

    .. math:: D^*_G(x) = \\frac{p_{data}(x)}{p_{data}(x) + p_g(x)}

    the pointwise maximizer of :math:`a \\log y + b \\log(1-y)` at :math:`y = a/(a+b)` (derived in
    :mod:`gantheory.symbolic`).

    Parameters
    ----------
    p_data, p_g : frozen scipy.stats continuous distribution or Mixture

    Returns
    -------
    OptimalDiscriminator
        A vectorized callable ``x -> D*(x)``, with ``.logit(x)`` for the log-density ratio.

    Examples
    --------
    >>> from scipy import stats
    >>> d_star = optimal_discriminator(stats.norm(0, 1), stats.norm(2, 1))
    >>> d_star(np.array([1.0]))      # halfway, the densities are equal
    array([0.5])
    >>> float(d_star.logit(-40.0))   # exact where D* rounds to 1: log p - log q = 2*40 + 2
    82.0
    """
    return OptimalDiscriminator(p_data, p_g)


def _gaussian_logit(x: np.ndarray, p, q) -> np.ndarray:
    """log N(x; mu_p, s_p^2) - log N(x; mu_q, s_q^2) as log(s_q/s_p) + (u_q - u_p)(u_q + u_p)/2."""
    mp, sp, mq, sq = p.loc[0], p.scale[0], q.loc[0], q.scale[0]
    with np.errstate(all="ignore"):
        if sp == sq:
            diff = (mp - mq) / sp * np.ones_like(x)
        else:
            diff = x * ((sp - sq) / (sp * sq)) + (mp / sp - mq / sq)
        total = (x - mq) / sq + (x - mp) / sp
        s = (np.log(sq) - np.log(sp)) + 0.5 * diff * total
    return np.where(np.isnan(s), np.where(np.sign(diff) * np.sign(total) > 0, np.inf, -np.inf), s)


def _discriminator_values(f: Callable[[np.ndarray], npt.ArrayLike], name: str, x: np.ndarray) -> np.ndarray:
    """``f(x)`` as a float64 array; an error inside ``f``, or values that are not real numbers,
    become a TypeError naming the user's argument."""
    try:
        values = np.asarray(f(x))
    except Exception as error:
        raise TypeError(
            f"{name} raised {type(error).__name__} ({error}) when called on an array of points of "
            f"shape {x.shape}; it must take an array and return one value per point."
        ) from error
    if values.dtype.kind not in "iuf":
        raise TypeError(f"{name} must return real numbers, got an array of dtype {values.dtype}.")
    return values.astype(np.float64)


def _discriminator_logs(D: Callable[[np.ndarray], npt.ArrayLike], x: np.ndarray):
    """log D(x) and log(1 - D(x)), from the logit where D provides one."""
    logit = getattr(D, "logit", None)
    if callable(logit):
        s = _discriminator_values(logit, "`D.logit`", x)
        return special.log_expit(s), special.log_expit(-s)
    d = _discriminator_values(D, "`D`", x)
    if d.shape != x.shape:
        try:
            d = np.broadcast_to(d, x.shape)
        except ValueError:
            raise ValueError(
                f"`D` must return one probability per input, got shape {d.shape} for inputs of "
                f"shape {x.shape}."
            ) from None
    bad = ~((d >= 0) & (d <= 1))
    if bad.any():
        i = tuple(np.argwhere(bad)[0])
        raise ValueError(f"`D` must return probabilities in [0, 1]; D({float(x[i])!r}) = {float(d[i])!r}.")
    with np.errstate(divide="ignore"):
        return np.log(d), np.log1p(-d)


class _FramePoints(np.ndarray):
    """Abscissae of the pipeline's frame that carry its exact log-ratio log p - log q there.

    The pipeline evaluates the densities at exact offsets from their own centres, but the x it
    hands to a discriminator is rounded (1e16 + y to a multiple of 2). D* of the very pair being
    integrated reads the log-ratio carried here instead of recomputing it at the rounded x.
    """

    log_ratio: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, log_ratio: np.ndarray) -> _FramePoints:
        points = np.asarray(x, dtype=np.float64).view(cls)
        points.log_ratio = np.asarray(log_ratio, dtype=np.float64)
        return points


def value_function(D: Callable[[np.ndarray], npt.ArrayLike], p_data: Density, p_g: Density) -> float:
    """The GAN value function, eq. (6), for a discriminator ``D`` and the generator's density ``p_g``.

    .. math:: V(D, G) = E_{x \\sim p_{data}} \\log D(x) + E_{x \\sim p_g} \\log(1 - D(x))

    Parameters
    ----------
    D : callable
        Vectorized ``x -> D(x)`` with values in [0, 1] (any array shape in, same shape out). If it
        has a ``logit`` method (as :class:`OptimalDiscriminator` does), the logs are taken from the
        logit, so that saturated discriminators keep their digits. The optimal discriminator of
        this very pair is evaluated through the pipeline's exact log-ratio, in its frame.
    p_data, p_g : frozen scipy.stats continuous distribution or Mixture

    Returns
    -------
    float
        At most :func:`virtual_criterion` ``(p_data, p_g)``; ``-inf`` if D is 0 where p_data has
        mass (or 1 where p_g has).

    Examples
    --------
    The constant discriminator D = 1/2 scores exactly -log 4, which no generator can push D* below:

    >>> p, q = stats.norm(0, 1), stats.norm(2, 1)
    >>> bool(np.isclose(value_function(lambda x: 0.5 + 0 * x, p, q), -np.log(4), rtol=0, atol=1e-14))
    True
    >>> value_function(optimal_discriminator(p, q), p, q) >= value_function(lambda x: 0.5 + 0 * x, p, q)
    True
    """
    if not callable(D):
        raise TypeError(f"`D` must be a callable x -> D(x) in [0, 1], got {D!r} (type {type(D).__name__}).")
    p_data = check_distribution(p_data, "p_data")
    p_g = check_distribution(p_g, "p_g")
    plan = Plan(p_data, p_g)
    # D* of this very pair reads the pipeline's exact log-ratio at each node (see _FramePoints).
    own_d_star = isinstance(D, OptimalDiscriminator) and D.p_data is p_data and D.p_g is p_g
    cache: dict = {}

    def logs_of_d(x: np.ndarray, log_p: np.ndarray, log_q: np.ndarray, s: np.ndarray):
        # D is asked only where a density is positive: elsewhere the integrand is 0 whatever D is
        # (the tails' ladders reach x = 1e300, where a user's formula may give NaN).
        if cache.get("x") is not x:
            needed = (np.exp(log_p) > 0) | (np.exp(log_q) > 0)  # as floats: below 5e-324 is 0
            log_d, log_1m_d = np.zeros(x.shape), np.zeros(x.shape)
            if needed.any():
                points = _FramePoints.of(x[needed], s[needed]) if own_d_star else x[needed]
                log_d[needed], log_1m_d[needed] = _discriminator_logs(D, points)
            cache["x"], cache["logs"] = x, (log_d, log_1m_d)
        return cache["logs"]

    def pointwise(log_p: np.ndarray, log_q: np.ndarray, s: np.ndarray, x: np.ndarray) -> np.ndarray:
        return value_integrand(log_p, log_q, *logs_of_d(x, log_p, log_q, s))

    def rounding(log_p: np.ndarray, log_q: np.ndarray, s: np.ndarray, x: np.ndarray) -> np.ndarray:
        # A probability d is known to eps, so log d to eps / d and log(1 - d) to eps / (1 - d):
        # where D rounds towards 1 (or 0) its logs have few digits left, whatever the quadrature.
        log_d, log_1m_d = logs_of_d(x, log_p, log_q, s)
        with np.errstate(all="ignore"):
            noise = _EPS * (np.exp(log_p) * (1 + np.exp(log_1m_d - log_d)) + np.exp(log_q) * (1 + np.exp(log_d - log_1m_d)))
        return np.where(np.isfinite(noise), noise, 0.0)

    noisy = not callable(getattr(D, "logit", None))
    integrand = PairIntegrand(pointwise, name="C" if own_d_star else "V", uses_x=True, bounded=own_d_star,
                              noise=rounding if noisy else None)
    return float(plan.integrate(integrand)[0])


def virtual_criterion(p_data: Density, p_g: Density) -> float:
    """The virtual training criterion :math:`C(G) = V(D^*_G, G)`, eq. (8), integrated from D* itself.

    Parameters
    ----------
    p_data, p_g : frozen scipy.stats continuous distribution or Mixture

    Returns
    -------
    float
        In [-log 4, 0]: -log 4 exactly when p_g = p_data (Theorem 1), 0 for disjoint supports.

    Notes
    -----
    Computed as :func:`value_function` of :func:`optimal_discriminator`, not from
    :func:`js_divergence`, so that eq. (9), :math:`C(G) = 2\\,\\mathrm{JS}(p_{data} \\| p_g) -
    2 \\log 2`, is a checked identity rather than a definition.

    Examples
    --------
    >>> p, q = stats.norm(0, 1), stats.laplace(1, 2)
    >>> bool(np.isclose(virtual_criterion(p, q), 2 * js_divergence(p, q) - 2 * np.log(2), rtol=0, atol=1e-12))
    True
    """
    d_star = optimal_discriminator(p_data, p_g)
    c = value_function(d_star, d_star.p_data, d_star.p_g)
    return min(max(c, -2 * LOG2), 0.0)
