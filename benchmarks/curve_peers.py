"""What a user would otherwise write for the JS curve of two unit Gaussians and its slope.

Each peer takes the array of distances ``d`` and returns ``(js, djs)`` for p = N(0, 1), q = N(d, 1),
in nats. They are written the way a careful user would write them with SciPy, not as straw men:

- :func:`quad_loop`: one ``scipy.integrate.quad`` per distance for JS and a second for dJS/dd,
  with integrands in log space (``scipy.special.log_expit``) so nothing underflows or cancels
  badly, the line split at the points where the integrands change, and tight tolerances.
- :func:`quad_vec`: ``scipy.integrate.quad_vec`` integrating the vector of all 2 x n integrands at
  once, same integrands, same tolerances.
- :func:`grid`: densities sampled on a fixed grid, ``scipy.spatial.distance.jensenshannon(p, q)**2``
  (scipy returns the distance, the square root of the divergence), and the slope by
  ``numpy.gradient`` over the distances, as one would for a plot.
- :func:`monte_carlo`: 10**5 draws from each density (the same draws for every distance), JS as the
  sample mean of the log-ratios and dJS/dd by the same estimator of the derivative integral.

The integrands. With y = x - d for the q-terms and the logit of D* written out,
log(p/m) = log 2 + log_expit(d^2/2 - d x), so

    JS(d)  = ∫ φ(x) [log 2 + log_expit(d²/2 − d x)] dx            (the two KL halves are equal)
    dJS/dd = 1/2 ∫ φ(y) y [log 2 + log_expit(d y + d²/2)] dy

where φ is the standard normal density. Both integrands are bounded and smooth; the first changes
regime at x = d/2 and the second at y = −d/2.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, special, stats
from scipy.spatial.distance import jensenshannon

LOG2 = float(np.log(2.0))
_LOG_SQRT_2PI = 0.5 * float(np.log(2.0 * np.pi))

# Tolerances that ask for the accuracy of the target (1e-13): what a careful user would pass.
EPSABS = 1e-14
EPSREL = 1e-13
# Beyond 40 standard deviations from either mean the densities are below 1e-300.
REACH = 40.0


def _phi(x):
    return np.exp(-0.5 * x * x - _LOG_SQRT_2PI)


def _js_integrand(x, d):
    return _phi(x) * (LOG2 + special.log_expit(0.5 * d * d - d * x))


def _slope_integrand(y, d):
    return 0.5 * _phi(y) * y * (LOG2 + special.log_expit(d * y + 0.5 * d * d))


def _quad_split(f, d, center):
    """∫ f over the real line, split at the regime change ``center`` and at ±8 around the mass."""
    lo, hi = min(-8.0, center - 8.0), max(8.0, center + 8.0)
    kw = {"epsabs": EPSABS, "epsrel": EPSREL, "limit": 200}
    left = integrate.quad(f, -np.inf, lo, args=(d,), **kw)[0]
    middle = integrate.quad(f, lo, hi, args=(d,), points=[center, 0.0], **kw)[0]
    right = integrate.quad(f, hi, np.inf, args=(d,), **kw)[0]
    return left + middle + right


def quad_loop(distances):
    d = np.asarray(distances, dtype=np.float64)
    js = np.empty_like(d)
    djs = np.empty_like(d)
    for i, di in enumerate(d):
        di = float(di)
        js[i] = _quad_split(_js_integrand, di, 0.5 * di)
        djs[i] = _quad_split(_slope_integrand, di, -0.5 * di)
    return js, djs


def quad_vec(distances):
    d = np.asarray(distances, dtype=np.float64)
    n = d.size

    def f(x):
        out = np.empty(2 * n)
        # Each integrand in its own variable (x for JS, y for the slope), over the same line.
        out[:n] = _js_integrand(x, d)
        out[n:] = _slope_integrand(x, d)
        return out

    top = float(d.max(initial=0.0))
    points = sorted({-0.5 * top, 0.0, 0.5 * top})
    kw = {"epsabs": EPSABS, "epsrel": EPSREL, "norm": "max", "limit": 10_000}
    lo, hi = -REACH, REACH + top
    total = integrate.quad_vec(f, lo, hi, points=points, **kw)[0]
    return total[:n].copy(), total[n:].copy()


# A plot-quality grid: 4001 points from 12 standard deviations left of p to 12 right of q.
GRID_POINTS = 4001


def grid(distances):
    d = np.asarray(distances, dtype=np.float64)
    x = np.linspace(-12.0, float(d.max(initial=0.0)) + 12.0, GRID_POINTS)
    p = stats.norm.pdf(x)
    q = stats.norm.pdf(x[None, :], loc=d[:, None])  # (n, grid)
    js = jensenshannon(np.broadcast_to(p, q.shape), q, axis=1) ** 2
    djs = np.gradient(js, d)
    return js, djs


MC_SAMPLES = 100_000


def monte_carlo(distances, seed: int = 0, chunk: int = 25):
    """JS and its slope from 10**5 draws of each density (common random numbers over d).

    JS = 1/2 E_p[log 2 + log_expit(l)] + 1/2 E_q[log 2 + log_expit(−l)] with l = log p − log q,
    and dJS/dd = 1/2 E_{y~φ}[y (log 2 + log_expit(d y + d²/2))].
    """
    d = np.asarray(distances, dtype=np.float64)
    rng = np.random.default_rng(seed)
    zp = rng.standard_normal(MC_SAMPLES)  # draws of p
    zq = rng.standard_normal(MC_SAMPLES)  # draws of q − d
    js = np.empty_like(d)
    djs = np.empty_like(d)
    for start in range(0, d.size, chunk):  # chunks keep the (chunk, samples) arrays in cache
        dd = d[start:start + chunk, None]
        logit_p = 0.5 * dd * dd - dd * zp          # log p − log q at x = zp
        logit_q = -(0.5 * dd * dd + dd * zq)       # log p − log q at x = d + zq
        js[start:start + chunk] = 0.5 * (
            np.mean(LOG2 + special.log_expit(logit_p), axis=1)
            + np.mean(LOG2 + special.log_expit(-logit_q), axis=1))
        djs[start:start + chunk] = 0.5 * np.mean(zq * (LOG2 + special.log_expit(-logit_q)), axis=1)
    return js, djs


PEERS = {
    "scipy quad loop": quad_loop,
    "scipy quad_vec": quad_vec,
    "grid + jensenshannon**2 + np.gradient": grid,
    "Monte Carlo, 1e5 samples": monte_carlo,
}
