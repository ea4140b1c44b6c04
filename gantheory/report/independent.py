"""Reference values along paths that share no code with the code under test: tanh-sinh quadrature.

The report compares what gantheory computes with the values computed here. Nothing here calls
:mod:`gantheory.quadrature`, :mod:`gantheory.divergences` or :mod:`gantheory.curves`: every
quantity is written from its textbook definition, each expectation is its own integral by
``scipy.integrate.tanhsinh`` (double-exponential quadrature, a different rule and a different
code base from gantheory's adaptive Gauss–Kronrod), and the densities enter only through their
own ``logpdf`` (or, for the Gaussians of Figures 3 and 4, through the Gaussian log-density typed
in below).

- :func:`expectation`, :func:`kl`, :func:`js` and :func:`criterion`: for any two densities,
  :math:`E_p[f]`, :math:`\\mathrm{KL}(p \\| q)`, :math:`\\mathrm{JS} = \\tfrac12 \\mathrm{KL}(p \\|
  m) + \\tfrac12 \\mathrm{KL}(q \\| m)` with the mixture :math:`m = (p+q)/2` formed explicitly,
  and :math:`C(G) = E_{p_{data}}[\\log D^*] + E_{p_g}[\\log(1 - D^*)]` with
  :math:`D^* = p_{data}/(p_{data} + p_g)` (eq. 7 and 8), each expectation its own integral.
- :func:`gaussian_js`, :func:`gaussian_js_deficit`, :func:`gaussian_js_slope` and
  :func:`gaussian_js_curvature`: JS between :math:`N(0, s^2)` and :math:`N(d, s^2)`, the overlap
  deficit :math:`\\log 2 - \\mathrm{JS}` (with full relative accuracy, where JS itself rounds to
  log 2) and the first two derivatives in d, each differentiated under the integral sign;
  :func:`gaussian_js_gradient` and :func:`gaussian_pair_js` for Gaussians of any scales, and
  :func:`normal_expectation`, :math:`E_{z \\sim N(0,1)}[f(z)]`, for the NumPy GAN's generators.

Integrals are split at landmarks of each density (quantiles, support ends, and the midpoints
between the medians, where the optimal discriminator switches from 1 to 0) and stop where every
density has less than 1e-17 of its mass left (:func:`split_points`); the Gaussians of Figures 3
and 4 are integrated over the whole line, tanh-sinh mapping the tails to a finite interval. A piece that
does not converge raises rather than return a doubtful reference. ``tests/test_report_independent.py`` holds
these functions to 30-digit mpmath integrals and to closed forms.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import integrate, stats

__all__ = [
    "criterion",
    "expectation",
    "gaussian_js",
    "gaussian_js_curvature",
    "gaussian_js_deficit",
    "gaussian_js_gradient",
    "gaussian_js_slope",
    "gaussian_logit_coefficients",
    "gaussian_pair_js",
    "js",
    "kl",
    "normal_expectation",
    "split_points",
]

LOG2 = math.log(2.0)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
# Split points: quantiles of each density, ever closer to 0 and 1 in the tails, so that each piece
# spans at most a few orders of magnitude even for a Cauchy density.
_TAIL = 1e-17  # the integrals stop where each density has this much mass left on either side
_QUANTILES = np.array([1e-15, 1e-12, 1e-9, 1e-6, 1e-3, 0.05, 0.25, 0.5])
_QUANTILES = np.concatenate([[_TAIL], _QUANTILES, 1 - _QUANTILES[::-1][1:], [1 - _TAIL]])
# Absolute and relative accuracy asked of each piece: values of order 1 to about 1e-15.
_EPSABS, _EPSREL = 1e-16, 4e-16


def _components(density) -> list:
    parts = getattr(density, "components", None)
    return [density] if parts is None else [c for part in parts for c in _components(part)]


def split_points(*densities) -> tuple[float, float, np.ndarray]:
    """Where to integrate over the union of the supports: ``(lo, hi, inner points)``.

    ``lo`` and ``hi`` bound the union of the supports, cut where every density (every component
    of a mixture) has less than 1e-17 of its mass left beyond them: an expectation of a function
    of size ``g`` loses at most about ``1e-17 g`` there, far below the accuracy asked of the quadrature.
    The inner points are each density's finite support ends and quantiles (ever closer to 0 and
    1 in the tails), and the midpoints between consecutive medians, where the optimal
    discriminator switches between the densities.

    Examples
    --------
    >>> from scipy import stats
    >>> lo, hi, inner = split_points(stats.uniform(0, 1), stats.uniform(3, 1))
    >>> float(lo), float(hi), bool(2.0 in inner)   # the supports' ends and the medians' midpoint
    (0.0, 4.0, True)
    """
    parts = [c for d in densities for c in _components(d)]
    quantiles = np.array([np.asarray(c.ppf(_QUANTILES), dtype=float) for c in parts])  # (K, Q)
    lo, hi = float(quantiles[:, 0].min()), float(quantiles[:, -1].max())
    ends = np.array([c.support() for c in parts], dtype=float)
    lo, hi = max(lo, float(ends[:, 0].min())), min(hi, float(ends[:, 1].max()))
    medians = np.sort(quantiles[:, _QUANTILES.size // 2])
    kinks = ends[np.isfinite(ends)]
    points = np.concatenate([quantiles.ravel(), 0.5 * (medians[1:] + medians[:-1])])
    # A piece narrower than a few thousand ulps has nothing to integrate and only costs
    # complain: quantiles that close to a support end (a kink) or to each other are dropped.
    gap = 1e-12 * np.maximum(1.0, np.abs(points))
    edges = np.append(kinks, [v for v in (lo, hi) if np.isfinite(v)])
    near_kink = (np.abs(points[:, None] - edges[None, :]) <= gap[:, None]).any(axis=1)
    points = np.sort(np.concatenate([points[~near_kink], kinks]))
    points = points[np.isfinite(points) & (points > lo) & (points < hi)]
    return lo, hi, _distinct(points)


def _distinct(points: np.ndarray) -> np.ndarray:
    """Sorted ``points`` without those within 1e-12 (relative, at least absolute) of the previous one."""
    points = np.sort(points)
    keep = np.ones(points.size, dtype=bool)
    keep[1:] = np.diff(points) > 1e-12 * np.maximum(1.0, np.abs(points[1:]))
    return points[keep]


def _integral(f: Callable[..., np.ndarray], edges: np.ndarray, *, args: tuple = (), atol: float = _EPSABS,
              rtol: float = _EPSREL) -> float | np.ndarray:
    """The integral of the vectorized ``f`` from ``edges[..., 0]`` to ``edges[..., -1]``, each piece its own tanh-sinh.

    ``edges`` has shape (P,) or (B, P) for B problems at once (repeated points make empty pieces);
    ``args`` are arrays broadcastable with (B, 1), passed on to ``f``.
    """
    a, b = edges[..., :-1], edges[..., 1:]
    with np.errstate(over="ignore", under="ignore"):
        result = integrate.tanhsinh(f, a, b, args=args, atol=atol, rtol=rtol)
    if not np.all(result.success):
        bad = np.unravel_index(int(np.argmin(result.success)), a.shape)
        raise ArithmeticError(
            f"tanh-sinh did not converge on [{a[bad]!r}, {b[bad]!r}] (status {int(result.status[bad])}, "
            f"error estimate {float(result.error[bad]):.3g}): the reference value would be doubtful."
        )
    total = np.sum(result.integral, axis=-1)
    return float(total) if total.ndim == 0 else total


def _weighted(log_density: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``density * value`` from the log-density, 0 where the density is 0 (0 log 0 = 0)."""
    with np.errstate(invalid="ignore"):
        return np.where(log_density == -np.inf, 0.0, np.exp(log_density) * value)


def expectation(p, f: Callable[[float, float, float], float], *others) -> float:
    """:math:`E_p[f]`, where ``f(x, log p(x), log q(x))`` may use the log-density of one other density.

    Parameters
    ----------
    p : frozen scipy.stats distribution or Mixture
    f : callable ``(x, log_p, log_q) -> ndarray``
        Vectorized; ``log_q`` is the log-density of ``others[0]`` at x (``nan`` if none is given).
    others : at most one density, whose landmarks also split the integral

    Examples
    --------
    >>> from scipy import stats
    >>> round(expectation(stats.norm(1, 2), lambda x, lp, lq: x * x), 12)   # E[x^2] = 1 + 4
    5.0
    """
    lo, hi, inner = split_points(p, *others)
    q = others[0] if others else None

    def integrand(x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            lp = np.asarray(p.logpdf(x), dtype=float)
            lq = np.asarray(q.logpdf(x), dtype=float) if q is not None else np.full_like(lp, np.nan)
        with np.errstate(invalid="ignore"):
            return _weighted(lp, f(x, lp, lq))

    return _integral(integrand, np.array([lo, *inner, hi]))


def _log_mixture(lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
    """log m = log((p + q)/2), formed from the two densities."""
    return np.logaddexp(lp, lq) - LOG2


def kl(p, q) -> float:
    """:math:`\\mathrm{KL}(p \\| q) = E_p[\\log p - \\log q]`, one integral; ``inf`` if p's support leaves q's.

    Examples
    --------
    >>> from scipy import stats
    >>> value = kl(stats.norm(0, 1), stats.norm(1, 2))
    >>> bool(abs(value - (np.log(2) + 2 / 8 - 0.5)) < 1e-13)
    True
    """
    (p_lo, p_hi), (q_lo, q_hi) = p.support(), q.support()
    if p_lo < q_lo or p_hi > q_hi:
        return math.inf
    return expectation(p, lambda x, lp, lq: lp - lq, q)


def js(p, q) -> float:
    """:math:`\\tfrac12 \\mathrm{KL}(p \\| m) + \\tfrac12 \\mathrm{KL}(q \\| m)`, m = (p + q)/2 formed explicitly.

    Each KL divergence is its own integral against its own density; nothing is folded together.

    Examples
    --------
    >>> from scipy import stats
    >>> bool(abs(js(stats.uniform(0, 1), stats.uniform(3, 1)) - LOG2) < 1e-14)   # disjoint: log 2
    True
    """
    kl_p = expectation(p, lambda x, lp, lq: lp - _log_mixture(lp, lq), q)
    kl_q = expectation(q, lambda x, lq, lp: lq - _log_mixture(lp, lq), p)
    return 0.5 * kl_p + 0.5 * kl_q


def criterion(p_data, p_g) -> float:
    """:math:`C(G) = E_{p_{data}}[\\log D^*] + E_{p_g}[\\log(1 - D^*)]`, eq. (8), two integrals.

    :math:`D^* = p_{data} / (p_{data} + p_g)` (eq. 7) is formed from the two densities:
    :math:`\\log D^* = \\log p_{data} - \\log(p_{data} + p_g)`.

    Examples
    --------
    >>> from scipy import stats
    >>> p = stats.laplace(0, 1)
    >>> bool(abs(criterion(p, p) + np.log(4)) < 1e-13)   # Theorem 1: -log 4 at p_g = p_data
    True
    """
    log_d = expectation(p_data, lambda x, lp, lq: lp - np.logaddexp(lp, lq), p_g)
    log_one_minus_d = expectation(p_g, lambda x, lq, lp: lq - np.logaddexp(lp, lq), p_data)
    return log_d + log_one_minus_d


# --- the Gaussians of Figures 3 and 4: N(0, s^2) and N(d, s^2) ------------------------------------


def _gauss(x: np.ndarray, mean: npt.ArrayLike, s: npt.ArrayLike) -> np.ndarray:
    """log N(x; mean, s^2), the textbook formula."""
    z = (x - mean) / s
    return -0.5 * z * z - np.log(s) - _LOG_SQRT_2PI


def _gaussian_edges(d: float, s: float) -> np.ndarray:
    """Pieces of the real line for N(0, s^2) and N(d, s^2): around each mean and the midpoint."""
    ladder = [0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 40.0]
    points = {d / 2}
    for mean in (0.0, d):
        points.update(mean + sign * k * s for k in ladder for sign in (-1.0, 1.0))
    # The optimal discriminator switches over a width s^2/|d| around the midpoint.
    if d != 0:
        width = s * s / abs(d)
        points.update(d / 2 + sign * k * width for k in (1.0, 4.0, 16.0) for sign in (-1.0, 1.0))
    return np.concatenate([[-np.inf], _distinct(np.array(sorted(points))), [np.inf]])


def _softplus(t: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, t)


def gaussian_js(d: float, s: float = 1.0) -> float:
    """:func:`js` of N(0, s²) and N(d, s²) with the Gaussian log-density typed in here.

    Examples
    --------
    >>> round(gaussian_js(2.0), 10)   # Figure 3's right panel; the article prints 0.336
    0.3368308203
    """

    def half(mean: float, other: float) -> Callable[[np.ndarray], np.ndarray]:
        def f(x: np.ndarray) -> np.ndarray:
            lp, lq = _gauss(x, mean, s), _gauss(x, other, s)
            return _weighted(lp, lp - _log_mixture(lp, lq))
        return f

    edges = _gaussian_edges(d, s)
    return 0.5 * _integral(half(0.0, d), edges) + 0.5 * _integral(half(d, 0.0), edges)


def gaussian_js_deficit(d: float, s: float = 1.0) -> float:
    """:math:`\\log 2 - \\mathrm{JS}` for N(0, s²) and N(d, s²), to about 10 significant digits however small.

    From the definition, :math:`\\tfrac12\\mathrm{KL}(p \\| m) = \\tfrac12 \\log 2 - \\tfrac12 E_p[\\log(1
    + q/p)]`, so the deficit is :math:`\\tfrac12 E_p[\\log(1 + q/p)] + \\tfrac12 E_q[\\log(1 + p/q)]`:
    two integrals of non-negative integrands, each to a relative accuracy of 1e-12, so that the
    deficit keeps its digits where JS itself equals log 2 in double precision.

    Examples
    --------
    >>> bool(abs(gaussian_js_deficit(2.0) - (np.log(2) - gaussian_js(2.0))) < 1e-14)
    True
    """

    def half(mean: float, other: float) -> Callable[[np.ndarray], np.ndarray]:
        def f(x: np.ndarray) -> np.ndarray:
            lp, lq = _gauss(x, mean, s), _gauss(x, other, s)
            return _weighted(lp, _softplus(lq - lp))
        return f

    edges = _gaussian_edges(d, s)
    halves = [_integral(half(a, b), edges, atol=1e-300, rtol=1e-12) for a, b in ((0.0, d), (d, 0.0))]
    return 0.5 * halves[0] + 0.5 * halves[1]


def gaussian_js_slope(d: float, s: float = 1.0) -> float:
    """:math:`d\\,\\mathrm{JS}/dd` for N(0, s²) and N(d, s²), differentiated under the integral sign.

    With :math:`q = N(d, s^2)`, :math:`m = (p + q)/2` and :math:`\\partial_d q = (x - d)\\, q / s^2`,
    the terms in :math:`\\partial_d m` cancel and :math:`\\int \\partial_d q = 0`, leaving
    :math:`\\tfrac12 \\int \\partial_d q \\log(q/m) = -\\tfrac12 \\int \\partial_d q\\,
    \\operatorname{softplus}(\\log p - \\log q)`, one integral whose integrand keeps its relative
    accuracy however far apart the densities are.

    Examples
    --------
    >>> round(gaussian_js_slope(5.0), 6)   # Figure 4(b) at d = 5
    0.02369
    """

    def f(x: np.ndarray) -> np.ndarray:
        lp, lq = _gauss(x, 0.0, s), _gauss(x, d, s)
        return _weighted(lq, (x - d) / (s * s) * _softplus(lp - lq))

    return -0.5 * _integral(f, _gaussian_edges(d, s), atol=1e-300, rtol=1e-12)


def gaussian_js_curvature(d: float, s: float = 1.0) -> float:
    """:math:`d^2\\mathrm{JS}/dd^2` for N(0, s²) and N(d, s²), differentiated twice under the integral.

    Differentiating :math:`\\tfrac12\\int \\partial_d q \\log(q/m)` once more gives
    :math:`\\tfrac12 \\int q \\,[w^2 \\sigma(\\ell) - (w^2 - s^{-2}) \\operatorname{softplus}(\\ell)]`
    with :math:`w = (x - d)/s^2` and :math:`\\ell = \\log p - \\log q`.

    Examples
    --------
    >>> from scipy import optimize
    >>> round(optimize.brentq(gaussian_js_curvature, 1.0, 3.0), 6)   # the peak of Figure 4(b)
    1.636256
    """

    def f(x: np.ndarray) -> np.ndarray:
        lp, lq = _gauss(x, 0.0, s), _gauss(x, d, s)
        w = (x - d) / (s * s)
        ell = lp - lq
        sigma = np.exp(-_softplus(-ell))
        return _weighted(lq, w * w * sigma - (w * w - 1.0 / (s * s)) * _softplus(ell))

    return 0.5 * _integral(f, _gaussian_edges(d, s))


def gaussian_js_gradient(mu: float, sigma: float) -> tuple[float, float]:
    """:math:`(\\partial_\\mu, \\partial_\\sigma)\\, \\mathrm{JS}(N(0, 1) \\| N(\\mu, \\sigma^2))`, under the integral sign.

    As in :func:`gaussian_js_slope`, :math:`\\partial_\\theta \\mathrm{JS} = -\\tfrac12 \\int
    \\partial_\\theta q\\, \\operatorname{softplus}(\\log p - \\log q)` for any parameter of q, with
    :math:`\\partial_\\mu q = q\\,(x - \\mu)/\\sigma^2` and :math:`\\partial_\\sigma q = q\\,((x -
    \\mu)^2/\\sigma^3 - 1/\\sigma)`.

    Examples
    --------
    >>> d_mu, d_sigma = gaussian_js_gradient(2.0, 1.0)
    >>> bool(abs(d_mu - gaussian_js_slope(2.0)) < 1e-15)
    True
    """
    edges = _pair_edges(0.0, 1.0, mu, sigma)

    def part(weight: Callable[[np.ndarray], np.ndarray]) -> float:
        def f(x: np.ndarray) -> np.ndarray:
            lp, lq = _gauss(x, 0.0, 1.0), _gauss(x, mu, sigma)
            return _weighted(lq, weight(x) * _softplus(lp - lq))
        return -0.5 * _integral(f, edges, atol=1e-300, rtol=1e-12)

    return (part(lambda x: (x - mu) / sigma**2),
            part(lambda x: (x - mu) ** 2 / sigma**3 - 1.0 / sigma))


def _pair_edges(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray) -> np.ndarray:
    """Pieces for pairs of Gaussians of any scales, shape (..., P): ladders around each mean and the midpoint."""
    ladder = np.array([0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 40.0])
    ladder = np.concatenate([-ladder[:0:-1], ladder])
    mu1, s1, mu2, s2 = np.broadcast_arrays(*(np.asarray(v, dtype=float)[..., None] for v in (mu1, s1, mu2, s2)))
    points = np.concatenate([(mu1 + mu2) / 2, mu1 + s1 * ladder, mu2 + s2 * ladder], axis=-1)
    points = np.sort(points, axis=-1)
    infinite = np.full(points.shape[:-1] + (1,), np.inf)
    return np.concatenate([-infinite, points, infinite], axis=-1)


def gaussian_pair_js(mu1: npt.ArrayLike, s1: npt.ArrayLike, mu2: npt.ArrayLike, s2: npt.ArrayLike) -> float | np.ndarray:
    """:func:`js` of N(mu1, s1²) and N(mu2, s2²), the Gaussian log-density typed in here; vectorized.

    Each half, :math:`\\tfrac12 \\mathrm{KL}(p \\| m) = \\tfrac12 E_p[\\log p - \\log m]`, is integrated in
    p's standardized variable :math:`z = (x - \\mu_p)/s_p`, so that a very narrow density is resolved
    as well as a wide one. The parameters broadcast against each other; all pairs are integrated
    in one tanh-sinh call per half, each piece to 1e-14 absolute or 1e-13 relative.

    Examples
    --------
    >>> bool(abs(gaussian_pair_js(0.0, 1.0, 2.0, 1.0) - gaussian_js(2.0)) < 1e-15)
    True
    >>> gaussian_pair_js([0.0, 1.0], 1.0, 0.0, 1.0)
    array([0.        , 0.11142148])
    """
    m1, t1, m2, t2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (mu1, s1, mu2, s2)))

    def half(mean: np.ndarray, s: np.ndarray, other: np.ndarray, s_other: np.ndarray) -> float | np.ndarray:
        ladder = np.array([0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 40.0])
        ladder = np.concatenate([-ladder[:0:-1], ladder])
        # In z = (x - mean)/s: p's own ladder, the other density's ladder and the midpoint.
        with np.errstate(over="ignore", divide="ignore"):
            theirs = (other[..., None] + s_other[..., None] * ladder - mean[..., None]) / s[..., None]
            middle = ((other - mean) / (2 * s))[..., None]
        points = np.clip(np.concatenate([np.broadcast_to(ladder, theirs.shape), theirs, middle], axis=-1), -60, 60)
        infinite = np.full(points.shape[:-1] + (1,), np.inf)
        edges = np.concatenate([-infinite, np.sort(points, axis=-1), infinite], axis=-1)
        shape = edges.shape[:-1] + (1,)
        args = tuple(np.broadcast_to(v[..., None], shape) for v in (mean, s, other, s_other))

        def f(z: np.ndarray, mean: np.ndarray, s: np.ndarray, other: np.ndarray, s_other: np.ndarray) -> np.ndarray:
            log_phi = -0.5 * z * z - _LOG_SQRT_2PI
            x = mean + s * z
            lp, lq = log_phi - np.log(s), _gauss(x, other, s_other)
            return np.exp(log_phi) * (lp - _log_mixture(lp, lq))

        return _integral(f, edges, args=args, atol=1e-14, rtol=1e-13)

    return 0.5 * half(m1, t1, m2, t2) + 0.5 * half(m2, t2, m1, t1)


def normal_expectation(f: Callable[[np.ndarray], np.ndarray], points: tuple[float, ...] = ()) -> float:
    """:math:`E_{z \\sim N(0, 1)}[f(z)]` for a vectorized ``f``, split at ``points`` and a ladder of z.

    Examples
    --------
    >>> round(normal_expectation(lambda z: z**4), 12)
    3.0
    """
    ladder = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    inner = _distinct(np.array(sorted({*(s * k for k in ladder for s in (-1.0, 1.0)), *points})))
    edges = np.concatenate([[-np.inf], inner, [np.inf]])
    return _integral(lambda z: np.exp(_gauss(z, 0.0, 1.0)) * f(z), edges)


def gaussian_logit_coefficients(mu1: float, s1: float, mu2: float, s2: float) -> np.ndarray:
    """(a, b, c) of :math:`\\log N(x; \\mu_1, s_1^2) - \\log N(x; \\mu_2, s_2^2) = a x^2 + b x + c`.

    The quadratic through the values of scipy's log-densities at x = -1, 0, 1: the logit of the
    optimal discriminator for two Gaussians (eq. 7), without sympy.

    Examples
    --------
    >>> coefficients = gaussian_logit_coefficients(0.0, 1.0, 2.0, 1.0)   # logit D* = 2 - 2x
    >>> bool(np.allclose(coefficients, [0.0, -2.0, 2.0], rtol=0, atol=1e-15))
    True
    """
    x = np.array([-1.0, 0.0, 1.0])
    values = stats.norm.logpdf(x, mu1, s1) - stats.norm.logpdf(x, mu2, s2)
    return np.array([(values[0] + values[2]) / 2 - values[1], (values[2] - values[0]) / 2, values[1]])
