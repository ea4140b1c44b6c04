"""Instance noise: densities convolved with a Gaussian (Arjovsky & Bottou 2017, sec. 3; Sønderby et al. 2016).

Adding independent noise :math:`\\varepsilon Z`, :math:`Z \\sim N(0, 1)`, to both the data and the
generator's samples replaces each density by its convolution with :math:`N(0, \\varepsilon^2)`.
The convolved densities overlap everywhere, so JS no longer sticks at :math:`\\log 2` when the
supports are disjoint and the optimal discriminator's gradient carries information again.

:func:`instance_noise` returns the convolved density as an object that goes anywhere a density
goes in gantheory and in scipy (``pdf``, ``logpdf``, ``cdf``, ``sf``, ``ppf``, ``isf``,
``rvs(size, random_state)``, ``support``, ``mean``, ``var``, and the rest of a frozen
:class:`scipy.stats.rv_continuous`):

- a Gaussian stays a Gaussian: :math:`N(\\mu, \\sigma^2) * N(0, \\varepsilon^2) = N(\\mu, \\sigma^2
  + \\varepsilon^2)`;
- a uniform becomes :data:`uniformnorm`, a scipy family written here in closed form:
  :math:`U(0, 1) + sZ` has density :math:`\\Phi(x/s) - \\Phi((x - 1)/s)` and distribution
  function :math:`s\\,[G(x/s) - G((x - 1)/s)]` with :math:`G(z) = z\\Phi(z) + \\varphi(z)`, both
  evaluated in log space (tails keep their digits far past where they underflow);
- a :class:`~gantheory.Mixture` becomes the mixture of its convolved components (exact, by
  linearity);
- any other density becomes :class:`GaussianConvolution`, which integrates
  :math:`\\int p(y)\\,\\varphi_\\varepsilon(x - y)\\,dy` by the adaptive quadrature of
  :mod:`gantheory.quadrature`, one problem per point, in one batched call.

:func:`score` gives :math:`\\partial_x \\log p(x)` for these densities, and
:func:`shift_gradients` the generator's gradients under the (noisy) optimal discriminator for a
generator that shifts its density, the quantity section 3 of Arjovsky & Bottou is about.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.polynomial.legendre import leggauss
from scipy import special, stats

from gantheory import logdensity
from gantheory.distributions import Density, Mixture, breakpoints, check_array, check_distribution, check_real
from gantheory.quadrature import integrate

__all__ = [
    "GaussianConvolution",
    "instance_noise",
    "score",
    "shift_gradients",
    "uniformnorm",
]

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_SQRT_HALF_PI = math.sqrt(0.5 * math.pi)
_GL_NODES, _GL_WEIGHTS = leggauss(20)
_LOG_GL_WEIGHTS = np.log(_GL_WEIGHTS)
# Below this gap between the logs of the two antiderivative values, the difference is formed by a
# 20-point Gauss-Legendre rule on a positive integrand instead of by subtraction: subtraction then
# loses at most 0.4 digits, and over such a short stretch the integrand changes by less than
# e^1, which 20 nodes integrate to double precision.
_GAP = 0.5


def _log1mexp(d: np.ndarray) -> np.ndarray:
    """:math:`\\log(1 - e^d)` for d <= 0, accurate for every d (Mächler 2012)."""
    with np.errstate(divide="ignore"):
        return np.where(d > -math.log(2.0), np.log(-np.expm1(d)), np.log1p(-np.exp(d)))


# Terms of the continued fraction for h(t) that reach double precision on each range of t
# (measured against mpmath at 40 digits: 100 terms at t = 2, 50 at 3, 25 at 5, 12 at 10).
_CF_DEPTHS = ((2.0, 3.0, 100), (3.0, 5.0, 50), (5.0, 10.0, 25), (10.0, np.inf, 12))


def _log_g(z: np.ndarray) -> np.ndarray:
    """:math:`\\log G(z)`, :math:`G(z) = \\int_{-\\infty}^z \\Phi = z\\Phi(z) + \\varphi(z)`.

    For :math:`z = -t \\le -2`, :math:`G(-t) = \\varphi(t)\\, h(t)\\, R(t)` with the Mills ratio
    :math:`R(t) = \\sqrt{\\pi/2}\\,\\mathrm{erfcx}(t/\\sqrt 2)` and :math:`h(t) = 1/(t + 2/(t +
    3/(t + \\dots)))` (Laplace's continued fraction, :math:`1/R = t + h`), so that nothing cancels
    (:data:`_CF_DEPTHS` terms). Elsewhere the direct formula loses less than one digit, and
    :math:`G(z) = z + G(-z)` for z > 0.
    """
    z = np.asarray(z, dtype=np.float64)
    t = np.abs(z)
    out = np.empty_like(z)
    far = (z <= -2.0)
    for lo, hi, depth in _CF_DEPTHS:
        group = far & (t >= lo) & (t < hi)
        if not group.any():
            continue
        tf = t[group]
        tail = np.zeros_like(tf)
        for k in range(depth, 1, -1):
            tail = k / (tf + tail)
        h = 1.0 / (tf + tail)
        out[group] = -0.5 * tf * tf - _LOG_SQRT_2PI + np.log(h) + np.log(_SQRT_HALF_PI * special.erfcx(tf / math.sqrt(2.0)))
    near = ~far
    if near.any():
        zn = z[near]
        g_neg = np.exp(-0.5 * zn * zn - _LOG_SQRT_2PI) - np.abs(zn) * special.ndtr(-np.abs(zn))  # G(-|z|)
        out[near] = np.log(np.where(zn > 0, zn + g_neg, g_neg))
    return out


def _log_phi(z: np.ndarray) -> np.ndarray:
    return -0.5 * z * z - _LOG_SQRT_2PI


def _log_difference(a: np.ndarray, b: np.ndarray, width: np.ndarray, log_anti: Any, log_integrand: Any) -> np.ndarray:
    """:math:`\\log \\int_b^a g` for b < a from the antiderivative's log (or a Gauss-Legendre rule).

    ``log_anti`` is the log of an increasing antiderivative of ``g`` (log_ndtr for the Gaussian
    density, :func:`_log_g` for its distribution function); ``width`` is a - b, passed exactly
    (far out, a and b round to the same number while a - b = 1/s does not).
    """
    la, lb = log_anti(a), log_anti(b)
    with np.errstate(invalid="ignore"):  # both -inf only if log_anti underflowed: NaN, not a warning
        gap = la - lb
    out = np.empty_like(a)
    wide = gap >= _GAP
    out[wide] = la[wide] + _log1mexp(-gap[wide])
    narrow = ~wide
    if narrow.any():
        an, bn = a[narrow], b[narrow]
        half = 0.5 * width[narrow]
        nodes = (an - half)[:, None] + half[:, None] * _GL_NODES
        out[narrow] = np.log(half) + special.logsumexp(_LOG_GL_WEIGHTS + log_integrand(nodes), axis=1)
    return out


class uniformnorm_gen(stats.rv_continuous):
    """A uniform plus independent Gaussian noise: :math:`U(0, 1) + sZ` in standard form.

    ``uniformnorm(s, loc=a, scale=w)`` is :math:`U(a, a + w) + N(0, (s w)^2)`: instance noise of
    standard deviation :math:`\\varepsilon = s w` on a uniform of width w. Closed forms:

    .. math:: f(x) = \\Phi(x/s) - \\Phi((x-1)/s), \\qquad
              F(x) = s\\,[G(x/s) - G((x-1)/s)], \\quad G(z) = z\\Phi(z) + \\varphi(z),

    symmetric about 1/2 (:math:`F(x) = 1 - F(1 - x)`, so ``isf`` is ``1 - ppf``), mean 1/2,
    variance :math:`1/12 + s^2`, excess kurtosis :math:`-\\tfrac{1}{120} / (1/12 + s^2)^2`.
    ``logpdf``, ``logcdf`` and ``logsf`` are computed in log space from ``log_ndtr`` and a
    continued fraction for G, so they stay exact where the values underflow; ``ppf`` is Newton's
    method on ``logcdf``, bracketed by :math:`[s\\Phi^{-1}(q), 1 + s\\Phi^{-1}(q)]`.

    Examples
    --------
    >>> d = uniformnorm(0.1, loc=0, scale=1)
    >>> float(d.mean()), round(float(d.var()), 15), bool(np.isclose(d.cdf(0.5), 0.5, rtol=0, atol=2.3e-16))
    (0.5, 0.093333333333333, True)
    >>> float(d.logpdf(-30.0))   # the density is ~1e-19546 there: its log is still exact
    -45006.6227321...
    """

    def _argcheck(self, s: np.ndarray) -> np.ndarray:
        return (s > 0) & np.isfinite(s)

    def _shape_info(self) -> list:
        from scipy.stats._distn_infrastructure import _ShapeInfo

        return [_ShapeInfo("s", False, (0, np.inf), (False, False))]

    def _logpdf(self, x: np.ndarray, s: np.ndarray) -> np.ndarray:
        x, s = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(s, dtype=np.float64))
        y = np.minimum(x, 1.0 - x)  # symmetric about 1/2: work on the left half
        a, b = (y / s).ravel(), ((y - 1.0) / s).ravel()
        out = _log_difference(a, b, (1.0 / s).ravel(), special.log_ndtr, _log_phi)
        return out.reshape(x.shape)

    def _pdf(self, x: np.ndarray, s: np.ndarray) -> np.ndarray:
        return np.exp(self._logpdf(x, s))

    def _logcdf(self, x: np.ndarray, s: np.ndarray) -> np.ndarray:
        x, s = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(s, dtype=np.float64))
        y = np.minimum(x, 1.0 - x)
        a, b = (y / s).ravel(), ((y - 1.0) / s).ravel()
        log_left = (np.log(s).ravel() + _log_difference(a, b, (1.0 / s).ravel(), _log_g, special.log_ndtr)).reshape(x.shape)
        # Right of 1/2, F(x) = 1 - F(1 - x).
        return np.where(x <= 0.5, log_left, np.log1p(-np.exp(np.minimum(log_left, 0.0))))

    def _logsf(self, x: np.ndarray, s: np.ndarray) -> np.ndarray:
        return self._logcdf(1.0 - np.asarray(x, dtype=np.float64), s)

    def _cdf(self, x: np.ndarray, s: np.ndarray) -> np.ndarray:
        return np.exp(self._logcdf(x, s))

    def _sf(self, x: np.ndarray, s: np.ndarray) -> np.ndarray:
        return np.exp(self._logsf(x, s))

    def _ppf(self, q: np.ndarray, s: np.ndarray) -> np.ndarray:
        q, s = np.broadcast_arrays(np.asarray(q, dtype=np.float64), np.asarray(s, dtype=np.float64))
        lower = q <= 0.5
        # Solve F(x) = r for r <= 1/2 (r = q, or 1 - q by symmetry: ppf(q) = 1 - ppf(1 - q)).
        r = np.where(lower, q, 1.0 - q)
        x = self._solve_left(r.ravel(), s.ravel()).reshape(q.shape)
        return np.where(lower, x, 1.0 - x)

    def _isf(self, q: np.ndarray, s: np.ndarray) -> np.ndarray:
        return 1.0 - self._ppf(q, s)

    def _solve_left(self, r: np.ndarray, s: np.ndarray) -> np.ndarray:
        """x with F(x) = r for 0 < r <= 1/2: Newton on log F, kept inside the bracket."""
        z = special.ndtri(r)
        lo, hi = s * z, np.minimum(1.0 + s * z, 0.5)  # Phi((x-1)/s) <= F(x) <= Phi(x/s)
        log_r = np.log(r)
        x = 0.5 * (lo + hi)
        for _ in range(60):
            log_f = self._logcdf(x, s)
            above = log_f > log_r
            hi = np.where(above, x, hi)
            lo = np.where(above, lo, x)
            # Newton step on log F: d log F / dx = f / F.
            with np.errstate(over="ignore", invalid="ignore"):
                step = (log_f - log_r) / np.exp(self._logpdf(x, s) - log_f)
            new = x - step
            new = np.where((new >= lo) & (new <= hi) & np.isfinite(new), new, 0.5 * (lo + hi))
            if np.all(np.abs(new - x) <= 4 * np.spacing(np.maximum(np.abs(x), 1.0))):
                x = new
                break
            x = new
        return x

    def _rvs(self, s: np.ndarray, size: Any = None, random_state: Any = None) -> np.ndarray:
        return random_state.uniform(size=size) + s * random_state.standard_normal(size=size)

    def _stats(self, s: np.ndarray) -> tuple:
        var = 1.0 / 12.0 + s**2
        return 0.5, var, 0.0, (-1.0 / 120.0) / var**2


#: U(loc, loc + scale) + N(0, (s scale)^2): a scipy.stats continuous family (see uniformnorm_gen).
uniformnorm = uniformnorm_gen(name="uniformnorm", shapes="s")


class GaussianConvolution(stats.rv_continuous):
    """Any density convolved with :math:`N(0, \\varepsilon^2)`, by quadrature: the general fallback.

    :math:`p_\\varepsilon(x) = \\int p(y)\\, \\varphi_\\varepsilon(x - y)\\, dy` and
    :math:`F_\\varepsilon(x) = \\int p(y)\\, \\Phi((x - y)/\\varepsilon)\\, dy`, each point one
    problem of the batched adaptive quadrature of :mod:`gantheory.quadrature`, split at the base
    density's breakpoints and at :math:`x + k\\varepsilon` for k in (-40, ..., 40); the density in
    log space, from the base's exact log-density (:func:`gantheory.logdensity.logpdf`, finite where
    scipy's underflows), scaled by the integrand's largest value at those points.
    :func:`instance_noise` builds it on the standardized base and moves the result, so that a base
    far from the origin keeps the digits of the noise. Every evaluation is a
    quadrature, so this is orders of magnitude slower than the closed forms of
    :func:`instance_noise`; ``tests/test_noise.py`` measures its accuracy against them.

    Build it with ``GaussianConvolution(base, epsilon)()``, or through :func:`instance_noise`.
    """

    _OFFSETS = np.array([-40.0, -20.0, -10.0, -5.0, -2.0, -1.0, 0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 40.0])

    def __init__(self, base: Density | None = None, epsilon: float = 1.0, **kwargs: Any) -> None:
        self.base = check_distribution(base, "base")
        self.epsilon = check_real(epsilon, "epsilon", positive=True)
        kwargs.setdefault("name", "gaussian_convolution")
        super().__init__(**kwargs)
        self._base_breaks = breakpoints(self.base)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            singular = self._base_breaks[np.isposinf(logdensity.logpdf(self.base, self._base_breaks))]
        if singular.size:
            # The quadrature below scales by the integrand at the breakpoints and is not built for
            # an integrable singularity there: it returned inf for beta(1/2, 1/2)'s pdf and cdf.
            raise ValueError(
                f"instance noise on a base whose density is infinite at {float(singular[0])!r} (a singular "
                "edge) is not supported by the quadrature fallback GaussianConvolution.")

    def _updated_ctor_param(self) -> dict:
        params = super()._updated_ctor_param()
        params.update(base=self.base, epsilon=self.epsilon)
        return params

    def _problems(self, x: np.ndarray) -> np.ndarray:
        """Breakpoints (n, P) in y for each point x: the base's, and x + k epsilon, in its support."""
        lo, hi = self.base.support()
        around = x[:, None] + self.epsilon * self._OFFSETS
        pts = np.concatenate([np.broadcast_to(self._base_breaks, (x.size, self._base_breaks.size)), around], axis=1)
        pts = np.sort(np.clip(pts, lo, hi), axis=1)
        return np.concatenate([np.full((x.size, 1), lo), pts, np.full((x.size, 1), hi)], axis=1)

    def _log_integral(self, x: np.ndarray, log_kernel: Any) -> np.ndarray:
        """:math:`\\log \\int p(y) k(x - y) dy` per point, the kernel given by its log."""
        x = np.asarray(x, dtype=np.float64).ravel()
        breaks = self._problems(x)
        # Scale each problem by the largest value of its integrand at its finite breakpoints.
        finite = np.where(np.isfinite(breaks), breaks, x[:, None])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            at = logdensity.logpdf(self.base, finite) + log_kernel((x[:, None] - finite) / self.epsilon)
        shift = np.max(np.where(np.isnan(at), -np.inf, at), axis=1)
        shift = np.where(np.isfinite(shift), shift, 0.0)

        def integrand(y: np.ndarray, owner: np.ndarray) -> np.ndarray:
            with np.errstate(over="ignore", under="ignore"):
                return np.exp(logdensity.logpdf(self.base, y) + log_kernel((x[owner][:, None] - y) / self.epsilon)
                              - shift[owner][:, None])

        value, _ = integrate(integrand, breaks, rtol=1e-14)
        with np.errstate(divide="ignore"):
            return np.log(np.atleast_1d(value)) + shift

    def _logpdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return (self._log_integral(x, _log_phi) - math.log(self.epsilon)).reshape(x.shape)

    def _pdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self._logpdf(x))

    def _logcdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return self._log_integral(x, special.log_ndtr).reshape(x.shape)

    def _logsf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return self._log_integral(x, lambda z: special.log_ndtr(-z)).reshape(x.shape)

    def _cdf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self._logcdf(x))

    def _sf(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self._logsf(x))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        q = np.asarray(q, dtype=np.float64)
        lower = q <= 0.5
        r = np.where(lower, q, 1.0 - q)
        # X = Y + eps Z: F_X(x) <= F_Y(x + a) + Phi(-a/eps) and >= F_Y(x - a) - Phi(-a/eps), a > 0.
        z_lo, z_hi = special.ndtri(r / 2), special.ndtri((1 + r) / 2)
        left_lo = self.base.ppf(r / 2) + self.epsilon * z_lo
        left_hi = self.base.ppf((1 + r) / 2) + self.epsilon * z_hi
        right_lo = self.base.isf((1 + r) / 2) - self.epsilon * z_hi
        right_hi = self.base.isf(r / 2) - self.epsilon * z_lo
        lo = np.where(lower, left_lo, right_lo)
        hi = np.where(lower, left_hi, right_hi)
        log_r = np.log(r)
        for _ in range(200):  # bisection on log F (or log S): robust, and this is the slow path
            mid = 0.5 * (lo + hi)
            if np.all((mid == lo) | (mid == hi)):
                break
            value = np.where(lower, self._logcdf(mid), self._logsf(mid))
            below = np.where(lower, value < log_r, value > log_r)
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        return 0.5 * (lo + hi)

    def _rvs(self, size: Any = None, random_state: Any = None) -> np.ndarray:
        y = self.base.rvs(size=size, random_state=random_state)
        return y + self.epsilon * random_state.standard_normal(size=size)

    def _stats(self) -> tuple:
        return float(self.base.mean()), float(self.base.var()) + self.epsilon**2, None, None


def instance_noise(p: Density, epsilon: float) -> Density:
    """The density of :math:`X + \\varepsilon Z`, :math:`X \\sim p`, :math:`Z \\sim N(0, 1)` independent.

    Parameters
    ----------
    p : frozen scipy.stats continuous distribution or Mixture
    epsilon : float
        The noise's standard deviation, >= 0 (0 returns ``p`` itself).

    Returns
    -------
    density
        ``stats.norm`` for a Gaussian, :data:`uniformnorm` for a uniform, a Mixture of the
        convolved components for a Mixture (all exact), and a :class:`GaussianConvolution`
        (quadrature) for anything else. Each is a frozen scipy distribution or a Mixture, so it goes
        anywhere a density goes.

    Notes
    -----
    Arjovsky & Bottou (2017), section 3, and Sønderby et al. (2016): with noise, JS between the
    noisy densities is finite-slope in the distance even for disjoint supports, and tends to the
    :math:`\\log 2` step as :math:`\\varepsilon \\to 0`.

    Examples
    --------
    >>> from scipy import stats
    >>> import gantheory as gt
    >>> float(instance_noise(stats.norm(1, 3), 4).std())
    5.0
    >>> u = instance_noise(stats.uniform(0, 1), 0.1)
    >>> u.dist.name, u.args, u.kwds
    ('uniformnorm', (0.1,), {'loc': 0.0, 'scale': 1.0})
    >>> noisy = [instance_noise(stats.uniform(a, 1), 1.0) for a in (0, 3)]   # disjoint supports, noise 1
    >>> bool(gt.js_divergence(stats.uniform(0, 1), stats.uniform(3, 1)) == np.log(2)), gt.js_divergence(*noisy) < 0.6
    (True, True)
    """
    p = check_distribution(p, "p")
    eps = check_real(epsilon, "epsilon", nonnegative=True)
    if eps == 0.0:
        return p
    if isinstance(p, Mixture):
        return Mixture([instance_noise(c, eps) for c in p.components], p.weights)
    family = p.dist.name
    loc, scale = _loc_scale(p)
    if family == "norm":
        return stats.norm(loc, math.hypot(scale, eps))
    if family == "uniform":
        return uniformnorm(eps / scale, loc=loc, scale=scale)
    if family == "uniformnorm":
        (s,) = p.dist._parse_args(*p.args, **p.kwds)[0]
        return uniformnorm(math.hypot(float(s) * scale, eps) / scale, loc=loc, scale=scale)
    # Convolution commutes with a location-scale map: convolve the standardized base with
    # N(0, (eps/scale)^2) and move the result, so that a base at 1e12 is integrated near 0.
    shapes = p.dist._parse_args(*p.args, **p.kwds)[0]
    return GaussianConvolution(p.dist(*shapes), eps / scale)(loc=loc, scale=scale)


def _loc_scale(p: Any) -> tuple[float, float]:
    _, loc, scale = p.dist._parse_args(*p.args, **p.kwds)
    return float(loc), float(scale)


# --- the score and the generator's gradients -----------------------------------------------------


def score(p: Density, x: npt.ArrayLike) -> np.ndarray:
    """The score :math:`\\partial_x \\log p(x)`, for the densities :func:`instance_noise` returns.

    Gaussians, :data:`uniformnorm`, Mixtures of these (weighted by each component's share of the
    density at x) and :class:`GaussianConvolution` (by quadrature of :math:`p * \\varphi'`).

    Raises
    ------
    TypeError
        For another family, naming it.

    Examples
    --------
    >>> from scipy import stats
    >>> score(stats.norm(1, 2), [3.0]).tolist()   # -(x - mu) / sigma^2
    [-0.5]
    """
    p = check_distribution(p, "p")
    x = np.asarray(x, dtype=np.float64)
    if isinstance(p, Mixture):
        log_parts = np.stack([np.log(w) + c.logpdf(x) for c, w in zip(p.components, p.weights)])
        share = np.exp(log_parts - special.logsumexp(log_parts, axis=0))
        return np.sum(share * np.stack([score(c, x) for c in p.components]), axis=0)
    family = p.dist
    loc, scale = _loc_scale(p)
    z = (x - loc) / scale
    if family.name == "norm":
        return -z / scale
    if family.name == "uniformnorm":
        (s,) = family._parse_args(*p.args, **p.kwds)[0]
        s = float(s)
        log_f = family._logpdf(z, s)
        # f'(z) = [phi(z/s) - phi((z-1)/s)] / s in standard form.
        ratio = np.exp(_log_phi(z / s) - log_f) - np.exp(_log_phi((z - 1.0) / s) - log_f)
        return ratio / (s * scale)
    if isinstance(family, GaussianConvolution):
        eps = family.epsilon
        xs = z.ravel()
        # p_eps'(x) = int p(y) phi_eps'(x - y) dy = -(1/eps) int p(y) ((x-y)/eps) phi((x-y)/eps) dy / eps:
        # split into the parts where x - y > 0 and < 0, each a positive integral in log space.
        pos = family._log_integral(xs, lambda u: np.where(u > 0, np.log(np.where(u > 0, u, 1.0)), -np.inf) + _log_phi(u))
        neg = family._log_integral(xs, lambda u: np.where(u < 0, np.log(np.where(u < 0, -u, 1.0)), -np.inf) + _log_phi(u))
        log_f = family._log_integral(xs, _log_phi)
        return ((np.exp(neg - log_f) - np.exp(pos - log_f)) / eps).reshape(x.shape) / scale
    raise TypeError(f"`p` must be a Gaussian, uniformnorm, GaussianConvolution or a Mixture of them for the score; "
                    f"got the family {family.name}.")


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


def shift_gradients(p_data: Density, p_g: Density, distances: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The generator's gradients under the optimal discriminator, for a generator that shifts p_g.

    With :math:`G(z) = z + \\theta` (p_g moved by :math:`\\theta`) and :math:`D^*` of eq. (7)
    held fixed, the saturating gradient :math:`\\partial_\\theta E \\log(1 - D^*(G))` is
    :math:`-E_{p_g}[D^*\\, \\partial_x s]` and the non-saturating one
    :math:`\\partial_\\theta E[-\\log D^*(G)]` is :math:`-E_{p_g}[(1 - D^*)\\, \\partial_x s]`, with
    :math:`s = \\log p_{data} - \\log p_g` and :math:`\\partial_x s` from :func:`score`. The first
    equals :math:`2\\, d\\mathrm{JS}/d\\theta` (Goodfellow et al. 2014), the second
    :math:`d[\\mathrm{KL}(p_g \\| p_{data}) - 2\\,\\mathrm{JS}]/d\\theta` (Arjovsky & Bottou 2017,
    Thm 2.5). For instance noise pass noisy densities (:func:`instance_noise`).

    Parameters
    ----------
    p_data, p_g : densities supported by :func:`score`
    distances : array_like
        Shifts :math:`\\theta` of p_g.

    Returns
    -------
    saturating, non_saturating : ndarray shaped like ``distances``
        To 1e-11 relative (1e-14 absolute): the scores of noisy densities far in their tails are
        differences of exponentials of large logs, good to about 1e-12 relative.

    Examples
    --------
    For N(0, 1) against N(theta, 1) the saturating gradient is 2 dJS/dtheta (:func:`gantheory.js_curve`):

    >>> from scipy import stats
    >>> import gantheory as gt
    >>> sat, _ = shift_gradients(stats.norm(0, 1), stats.norm(0, 1), [2.0])
    >>> bool(np.isclose(sat[0], 2 * gt.js_curve(2.0)[1], rtol=0, atol=1e-13))
    True
    """
    p_data = check_distribution(p_data, "p_data")
    p_g = check_distribution(p_g, "p_g")
    d = check_array(distances, "distances")
    shifts = d.ravel()
    breaks = _shifted_breaks(p_data, p_g, shifts)

    def parts(x: np.ndarray, owner: np.ndarray) -> np.ndarray:
        moved = x - shifts[owner][:, None]
        with np.errstate(over="ignore"):
            log_p, log_g = p_data.logpdf(x), p_g.logpdf(moved)
        with np.errstate(invalid="ignore"):
            s = np.where((log_p == -np.inf) & (log_g == -np.inf), 0.0, log_p - log_g)
        ds = score(p_data, x) - score(p_g, moved)
        weight = np.exp(log_g)
        return weight, special.expit(s), special.expit(-s), ds

    def saturating(x: np.ndarray, owner: np.ndarray) -> np.ndarray:
        weight, d_star, _, ds = parts(x, owner)
        return np.where(weight > 0, -weight * d_star * ds, 0.0)

    def non_saturating(x: np.ndarray, owner: np.ndarray) -> np.ndarray:
        weight, _, one_minus, ds = parts(x, owner)
        return np.where(weight > 0, -weight * one_minus * ds, 0.0)

    # The score of a noisy density far in its tails is a difference of two exponentials of large
    # logs, good to ~1e-12 relative, so the quadrature is asked for 1e-11 relative (1e-14 absolute).
    sat, _ = integrate(saturating, breaks, rtol=1e-11)
    non, _ = integrate(non_saturating, breaks, rtol=1e-11)
    return np.atleast_1d(sat).reshape(d.shape), np.atleast_1d(non).reshape(d.shape)
