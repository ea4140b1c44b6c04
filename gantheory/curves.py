"""The JS divergence and the generator's gradients as functions of the distance between two Gaussians.

Section 6.1 of the article and its Figures 3 and 4 follow one pair of densities,
:math:`p_{data} = N(0, s^2)` and :math:`p_g = N(d, s^2)`, as the distance ``d`` between their means
shrinks. This module computes that curve exactly, vectorized over any array of distances:

- :func:`js_curve`: :math:`\\mathrm{JS}(d)` and its derivative :math:`d\\,\\mathrm{JS}/dd`
  (Figure 4 (a) and (b));
- :func:`generator_gradients`: the gradient the generator receives from the saturating loss of
  eq. (6) and from the non-saturating loss of eq. (10), under the optimal discriminator;
- :func:`steepest_distance`, :func:`distance_for_js` and :func:`first_distance`: the landmarks
  the figures and the reproduction note quote (the steepest point of the curve, the first float
  distance at which JS reaches a value or a printed form), computed rather than typed in;
- :func:`discretized_js` and :func:`histogram_js`: the naive estimates (a truncated grid, a
  histogram of samples) that explain the numbers printed in the article's figures.

How the integrals are computed
------------------------------
JS depends on ``d`` and ``s`` only through :math:`u = d/s`. In units of ``s`` and with the origin
halfway between the means (:math:`y = x/s - u/2`), the two densities are
:math:`\\varphi(y \\pm u/2) = \\varphi(y)\\, e^{-u^2/8}\\, e^{\\mp uy/2}` and the logit of the
optimal discriminator (eq. 7) is :math:`\\log p_{data} - \\log p_g = -uy`. Every integrand is then
:math:`\\varphi(y)` or :math:`\\varphi(y \\mp u/2)` times a function of :math:`uy`, which switches
from one regime to the other across :math:`|y| \\lesssim 1/u`: for large distances a sharp
transition at the midpoint. A single fixed rule cannot resolve width-:math:`1/u` features for every
``u``, so each distance gets its own composite Gauss–Legendre rule on :math:`y \\ge 0` (integrands
are folded onto the half line by symmetry) with panel ends

- geometric, :math:`2^k \\cdot 0.5/u`, resolving the transition at its own width: the nearest
  complex singularity of the logistic function, at :math:`\\pm i\\pi/u`, lies at least 1.5 panel
  widths from each panel's centre, so 12 nodes per panel reach double precision;
- uniform, every 1.25 up to 10 (the Gaussian factor; its mass beyond 10 is below 1e-22);
- for the generator gradients, which weigh by :math:`p_g` itself, a second region around the mean
  of :math:`p_g` (:math:`y = u/2`), with nodes in :math:`\\xi = y - u/2` so that they keep their
  digits however large ``u`` is, and panels every 1.25 within 10 of it.

The rules of all distances are stacked into ``(n_distances, n_nodes)`` arrays (in blocks of 8k
nodes, see :func:`_chunked`), so a 400-point curve with its slope costs a few dozen NumPy calls,
about 2 ms, against 200-400 ms for a loop of ``scipy.integrate.quad``. ``tests/test_curves.py``
checks the results against 30-digit mpmath integrals of the textbook definitions for distances 0
to 50 and scales 0.1 to 10; the largest error measured is below 4e-16.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from numpy.polynomial.legendre import leggauss
from scipy import optimize, stats
from scipy.spatial.distance import jensenshannon

from gantheory.distributions import check_array, check_int, check_real

__all__ = [
    "discretized_js",
    "distance_for_js",
    "first_distance",
    "generator_gradients",
    "histogram_js",
    "js_curve",
    "steepest_distance",
]

LOG2 = float(np.log(2.0))
_LOG_SQRT_2PI = 0.5 * float(np.log(2.0 * np.pi))

# The rule (see the module docstring). 12 Gauss-Legendre nodes per panel: with the nearest
# singularity 1.5 half-widths away the error per panel is ~ (3 + 8**0.5)**-24 ~ 1e-18.
_NODES, _WEIGHTS = leggauss(12)
_FIRST_END = 0.5  # first geometric panel end, in units of 1/u
_STEP = 1.25  # uniform panel width where the Gaussian factor sets the scale
_REACH = 10.0  # half-width of the Gaussian factor's domain, in units of s
_N_STEPS = 8  # uniform panels of width _STEP up to _REACH
# Beyond this |u| every transition term is below exp(-u**2/8) = 1e-347, zero in double precision,
# so the geometric ladder need not grow further.
_U_SATURATED = 80.0
# Below this |u| JS is integrated from a non-negative integrand (full relative accuracy near
# d = 0); above it, as log 2 minus the overlap deficit (exact log 2 once the deficit underflows).
_U_SMALL = 1.0
_Z_CAP = 700.0  # e^{-700} = 1e-304, still a normal double
# Panel counts at most: the ladder (geometric and uniform ends) plus the domain's two ends; the
# gradient rule has a second region with the ladder and 2 * _N_STEPS + 1 ends around the mean.
_MAX_GEOMETRIC = int(np.ceil(np.log2(_STEP * _U_SATURATED / _FIRST_END))) + 1
_JS_PANELS = _MAX_GEOMETRIC + _N_STEPS + 1
_GRADIENT_PANELS = 2 * _JS_PANELS + 2 * _N_STEPS + 1
_BLOCK_NODES = 8_192  # nodes per block of distances (see _chunked)


def _distance_ratio(
    distances: npt.ArrayLike, scale: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Checked ``(d, u, s)``: distances, distances in units of the scale, and the scale."""
    d = check_array(distances, "distances")
    s = check_real(scale, "scale", positive=True)
    with np.errstate(over="ignore"):
        u = d / s
    # Past 1e300 scale units nothing changes (JS = log 2 and the saturating gradient is 0 in
    # double precision); the cap keeps d/s finite so that no inf * 0 arises.
    return d, np.clip(u, -1e300, 1e300), s


def _transition_ends(u: np.ndarray) -> np.ndarray:
    """Panel ends in y resolving the transition at y = 0 for each ``u >= 0``, shape (n, K + 8).

    Geometric ends ``0.5 * 2**k / u`` (``inf`` where ``u = 0``) for the width-1/u transition, and
    uniform ends every 1.25 up to 10 for the Gaussian factor. Unsorted and unclipped.
    """
    u_top = float(np.minimum(u.max(initial=0.0), _U_SATURATED))
    n_geometric = int(np.ceil(np.log2(max(_STEP * u_top / _FIRST_END, 1.0)))) + 1
    with np.errstate(divide="ignore", over="ignore"):  # inf for u = 0 or subnormal u
        geometric = _FIRST_END * 2.0 ** np.arange(n_geometric) / u[:, None]
    uniform = np.broadcast_to(_STEP * np.arange(1, _N_STEPS + 1), (u.size, _N_STEPS))
    return np.concatenate([geometric, uniform], axis=1)


def _panel_rule(ends: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss–Legendre nodes and weights, shape (n, 12 * panels), on [lo, hi] per row.

    ``ends`` (n, P) are clipped to [lo, hi] and sorted; repeated ends make empty panels, whose
    nodes get weight 0, so that rows with fewer distinct ends share the array shape.
    """
    lo, hi = lo[:, None], hi[:, None]
    ends = np.sort(np.concatenate([lo, np.clip(ends, lo, hi), hi], axis=1), axis=1)
    half = 0.5 * np.diff(ends, axis=1)[:, :, None]  # (n, panels, 1)
    mid = 0.5 * (ends[:, 1:] + ends[:, :-1])[:, :, None]
    nodes = (mid + half * _NODES).reshape(ends.shape[0], -1)
    weights = (half * _WEIGHTS).reshape(ends.shape[0], -1)
    return nodes, weights


def _log_phi(y: np.ndarray) -> np.ndarray:
    return -0.5 * y * y - _LOG_SQRT_2PI


def _js_parts(u: np.ndarray, *, second: bool = False) -> tuple[np.ndarray, ...]:
    """JS(u), dJS/du and (optionally) d2JS/du2 for ``u >= 0`` finite, in units of the scale."""
    y, w = _panel_rule(_transition_ends(u), np.zeros_like(u), np.full_like(u, _REACH))
    uu = u[:, None]
    # u*y >= 0, capped where e^{-z} would leave the normal floating-point range: the terms it
    # scales are then below 1e-150 of the integrals, and subnormal arithmetic is 10x slower.
    z = np.minimum(uu * y, _Z_CAP)
    wphi = w * np.exp(_log_phi(y))
    h = np.exp(-0.5 * z)
    e = h * h  # e^{-z}
    envelope = np.exp(-np.minimum(u, 1e3) ** 2 / 8)  # e^{-u^2/8}; u^2 would overflow past 1e154
    # dJS/du = (u/2) e^{-u^2/8} A,  A = int_0^inf phi(y) sech(uy/2) dy,  sech(z/2) = 2h / (1 + e).
    sech = 2.0 * h / (1.0 + e)
    djs = 0.5 * u * envelope * np.sum(wphi * sech, axis=1)
    # JS = log 2 - 2 e^{-u^2/8} int_0^inf phi(y) k(uy) dy, the overlap deficit, with
    # k(z) = [e^{-z/2} softplus(z) + e^{z/2} softplus(-z)] / 2 = h (z + l + l/e) / 2, l = log1p(e),
    # written so that nothing overflows (l/e -> 1 as e -> 0).
    log1p_e = np.log1p(e)
    log1p_ratio = np.divide(log1p_e, e, out=np.ones_like(e), where=e > 0)
    k = 0.5 * h * (z + log1p_e + log1p_ratio)
    js = LOG2 - 2.0 * envelope * np.sum(wphi * k, axis=1)
    small = u < _U_SMALL
    if small.any():
        # JS = 2 e^{-u^2/8} int_0^inf phi(y) cosh(c) g(2c) dy, c = uy/2, with the pointwise
        # log 2 - H(D*) = g = c tanh c - log cosh c >= 0; no cancellation against log 2.
        c = 0.5 * z[small]
        g = c * np.tanh(c) - np.log1p(2.0 * np.sinh(0.5 * c) ** 2)
        js[small] = 2.0 * envelope[small] * np.sum(wphi[small] * np.cosh(c) * g, axis=1)
    js = np.clip(js, 0.0, LOG2)
    if not second:
        return js, djs
    # d2JS/du2 = e^{-u^2/8} [(1/2 - u^2/8) A + (u/2) A'],  A = int phi sech(uy/2),
    # A' = -int phi (y/2) sech(uy/2) tanh(uy/2).
    a = np.sum(wphi * sech, axis=1)
    a_prime = -np.sum(wphi * 0.5 * y * sech * np.tanh(0.5 * z), axis=1)
    d2js = envelope * ((0.5 - u**2 / 8) * a + 0.5 * u * a_prime)
    return js, djs, d2js


def _as_output(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = values.reshape(shape)
    return out[()] if out.ndim == 0 else out


def _chunked(parts, u: np.ndarray, panels: int) -> tuple[np.ndarray, ...]:
    """Apply ``parts`` to blocks of ``u`` (rules of at most ``panels`` panels) and join the results.

    A block holds at most 8k nodes (64 kB per temporary array). The integrands are cheap, so
    with larger blocks the time goes to page faults: the allocator hands big temporaries fresh
    pages (``mmap``, or heap it has just trimmed), and touching them costs more than the
    arithmetic. Measured on the 400-point curve: 1.7 ms with 8k-node blocks, 4.3 ms with 16k,
    4.6 ms unblocked.
    """
    if u.size == 0:
        return np.zeros(0), np.zeros(0)
    rows = max(1, _BLOCK_NODES // (_NODES.size * panels))
    blocks = [parts(u[i : i + rows]) for i in range(0, u.size, rows)]
    return tuple(np.concatenate(columns) for columns in zip(*blocks))


def js_curve(distances: npt.ArrayLike, *, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """JS divergence between N(0, s²) and N(d, s²), and its derivative in d, for many distances at once.

    Parameters
    ----------
    distances : array_like, any shape
        Distances ``d`` between the means (finite; negative values allowed).
    scale : float, default 1.0
        The common standard deviation ``s`` of the two Gaussians (finite, > 0).

    Returns
    -------
    js : ndarray, shape of ``distances``
        :math:`\\mathrm{JS}(N(0,s^2) \\| N(d,s^2))` in nats, in [0, log 2]; even in ``d``,
        exactly 0 at ``d = 0`` and exactly log 2 once the overlap drops below double precision
        (from ``|d| = 16.851 s`` on: :func:`first_distance`).
    djs : ndarray, shape of ``distances``
        :math:`d\\,\\mathrm{JS}/dd`, in nats per unit of distance; odd in ``d``, exactly 0 at 0.

    Scalars in give NumPy scalars out.

    Raises
    ------
    ValueError
        If a distance is not finite, or ``scale`` is not a finite positive number.

    Notes
    -----
    The curves of Figure 4 (a) and (b) of the article (section 6.1), where the generator's loss
    under the optimal discriminator is :math:`C(G) = 2\\,\\mathrm{JS} - 2 \\log 2`, eq. (9). With
    :math:`u = d/s`, :math:`m = (p_{data} + p_g)/2` and :math:`\\varphi` the standard normal
    density, differentiating under the integral sign (the terms in :math:`\\partial m` cancel),

    .. math::

        \\frac{d\\,\\mathrm{JS}}{dd} = \\frac12 \\int \\partial_d p_g(x)\\,
        \\log\\frac{p_g(x)}{m(x)}\\, dx
        = \\frac{1}{s} \\frac{u}{2}\\, e^{-u^2/8} \\int_0^\\infty
          \\varphi(y)\\,\\operatorname{sech}(uy/2)\\, dy ,

    the second form by one integration by parts in x (Stein's identity), which turns the signed
    integrand into a positive one; equivalently :math:`\\frac{u}{2s} E_{p_g}[D^*]`. The value is
    :math:`\\log 2` minus a positive overlap integral, or for ``|d| < s`` the integral of the
    pointwise :math:`\\log 2 - H(D^*(x)) \\ge 0` against m, so that JS keeps its relative accuracy
    as :math:`d \\to 0`, where :math:`\\mathrm{JS} \\approx d^2/(8s^2)`. The quadrature is described
    in the module docstring; its error against 30-digit references is below 4e-16.

    Examples
    --------
    At distance 2 the divergence the article prints (as 0.336) in Figure 3, equal to the general
    integral of :func:`gantheory.js_divergence`:

    >>> import gantheory as gt
    >>> from scipy import stats
    >>> js, djs = js_curve([0.0, 2.0, -2.0, 50.0])
    >>> js
    array([0.        , 0.33683082, 0.33683082, 0.69314718])
    >>> bool(np.isclose(js[1], gt.js_divergence(stats.norm(0, 1), stats.norm(2, 1)), rtol=0, atol=1e-13))
    True
    >>> bool(djs[1] == -djs[2] and js[3] == np.log(2))   # odd slope; log 2 exactly when far apart
    True

    Only d/s matters:

    >>> bool(np.isclose(js_curve(6.0, scale=3.0)[0], js[1], rtol=0, atol=1e-15))
    True
    """
    _, u, s = _distance_ratio(distances, scale)
    shape = u.shape
    au = np.abs(u).ravel()
    js, djs = _chunked(_js_parts, au, _JS_PANELS)
    djs = np.sign(u.ravel()) * djs / s
    return _as_output(js, shape), _as_output(djs, shape)


def generator_gradients(
    distances: npt.ArrayLike, *, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """The generator's gradient from the saturating and the non-saturating loss, against the optimal D.

    Setting: :math:`p_{data} = N(0, s^2)`, generator :math:`G(z) = \\theta + s z` with
    :math:`z \\sim N(0, 1)`, so :math:`p_g = N(\\theta, s^2)`, and the discriminator frozen at its
    optimum :math:`D^*` for the current :math:`\\theta` (eq. 7). ``distances`` are the values of
    :math:`\\theta`.

    Parameters
    ----------
    distances : array_like, any shape
        Generator positions :math:`\\theta` (finite; negative values allowed).
    scale : float, default 1.0
        The common standard deviation ``s`` (finite, > 0).

    Returns
    -------
    saturating : ndarray, shape of ``distances``
        :math:`\\partial_\\theta E_z \\log(1 - D^*(G(z)))`, the gradient of the generator's term
        of eq. (6). Odd in :math:`\\theta`; it vanishes like :math:`e^{-\\theta^2/8s^2}`.
    non_saturating : ndarray, shape of ``distances``
        :math:`E_z[-\\partial_\\theta \\log D^*(G(z))]`, the gradient of the loss
        :math:`-E_z \\log D(G(z))`, which the generator minimizes: eq. (10) maximizes
        :math:`E_z \\log D(G(z))`. Odd; it grows like
        :math:`\\theta/s^2`.

    Both are gradients of losses the generator descends, so both are positive for
    :math:`\\theta > 0` (they push :math:`p_g` toward :math:`p_{data}`). Scalars in give NumPy
    scalars out.

    Raises
    ------
    ValueError
        If a distance is not finite, or ``scale`` is not a finite positive number.

    Notes
    -----
    With :math:`x = G(z)` and the frozen logit :math:`\\ell(x) = \\log p_{data}(x) - \\log p_g(x)`,
    :math:`\\partial_\\theta \\ell(G(z)) = \\ell'(x) = -\\theta/s^2`, so the two integrands are

    .. math::

        \\partial_\\theta \\log(1 - D^*(x)) = \\frac{\\theta}{s^2} D^*(x), \\qquad
        -\\partial_\\theta \\log D^*(x) = \\frac{\\theta}{s^2} (1 - D^*(x)),

    and each is integrated against :math:`p_g` by its own quadrature. They are not derived from
    each other or from :func:`js_curve`; ``tests/test_curves.py`` confirms that
    saturating :math:`= 2\\, d\\,\\mathrm{JS}/d\\theta` (Goodfellow et al. 2014, Theorem 1 with
    the envelope theorem: section 6.1's vanishing gradient) and non-saturating
    :math:`= \\partial_\\theta \\mathrm{KL}(p_g \\| p_{data}) - 2\\, d\\,\\mathrm{JS}/d\\theta`
    (Arjovsky & Bottou 2017, Theorem 2.5), with
    :math:`\\mathrm{KL}(p_g \\| p_{data}) = \\theta^2/2s^2`.

    Examples
    --------
    >>> theta = np.array([0.5, 2.0, 8.0])
    >>> saturating, non_saturating = generator_gradients(theta)
    >>> bool(np.allclose(saturating, 2 * js_curve(theta)[1], rtol=1e-13, atol=0))
    True
    >>> bool(np.allclose(saturating + non_saturating, theta, rtol=1e-13, atol=0))  # d KL/d theta
    True
    """
    theta, u, s = _distance_ratio(distances, scale)
    shape = u.shape
    au = np.abs(u).ravel()
    e_d_star, e_one_minus = _chunked(_gradient_parts, au, _GRADIENT_PANELS)
    # theta / s^2 past 1e308 is inf, the right limit; an expectation that underflowed to 0
    # (the saturating gradient far away) stays 0 rather than inf * 0.
    with np.errstate(over="ignore", invalid="ignore"):
        slope = theta.ravel() / s / s
        saturating = np.where(e_d_star == 0, 0.0, slope * e_d_star)
        non_saturating = np.where(e_one_minus == 0, 0.0, slope * e_one_minus)
    return _as_output(saturating, shape), _as_output(non_saturating, shape)


def _gradient_parts(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E_{p_g}[D*] and E_{p_g}[1 - D*] for ``u >= 0`` finite, each by its own sum over the nodes."""
    y, xi, w = _gradient_rule(u)
    uu = u[:, None]
    # Folded onto y >= 0 (y = x/s - u/2, xi = y - u/2 = (x - theta)/s): p_g ∝ phi(xi) meets
    # D*(x) = expit(-u y), and its mirror image y -> -y has p_g ∝ phi(xi + u) and D* = expit(u y).
    # In log space, since phi(u/2) underflows for u > 77; terms below e^{-700} ~ 1e-304 are
    # flushed to 0 rather than computed in slow subnormal arithmetic.
    with np.errstate(over="ignore"):  # squares and products past 1e308 are inf, the right limit
        near, far = _log_phi(xi), _log_phi(xi + uu)
        z = uu * y
    log_one_minus = -np.log1p(np.exp(-np.minimum(z, _Z_CAP)))  # log expit(uy), uy >= 0
    log_d_star = log_one_minus - z  # log expit(-uy)

    def expectation(log_near: np.ndarray, log_far: np.ndarray) -> np.ndarray:
        terms = np.exp(_flush(near + log_near)) + np.exp(_flush(far + log_far))
        return np.sum(w * terms, axis=1)

    return expectation(log_d_star, log_one_minus), expectation(log_one_minus, log_d_star)


def _flush(log_values: np.ndarray) -> np.ndarray:
    return np.where(log_values < -_Z_CAP, -np.inf, log_values)


def _gradient_rule(u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes for integrals against p_g on the folded half line y >= 0: (y, xi = y - u/2, weights).

    Two regions per distance, each with nodes in the variable that keeps its digits: the
    transition side y in [0, y_s] with nodes in y, and the bulk of p_g, xi in [xi_s, 10] with
    nodes in xi, where y_s = max(u/2 - 10, 0) and xi_s = y_s - u/2. For u <= 20 the first region
    is empty and the second carries the transition ladder shifted by -u/2.
    """
    ladder = _transition_ends(u)
    half_u = u / 2
    y_split = np.maximum(half_u - _REACH, 0.0)
    xi_split = np.maximum(-half_u, -_REACH)
    y_t, w_t = _panel_rule(ladder, np.zeros_like(u), y_split)
    around_mean = _STEP * np.arange(-_N_STEPS, _N_STEPS + 1)
    bulk_ends = np.concatenate(
        [ladder - half_u[:, None], np.broadcast_to(around_mean, (u.size, around_mean.size))], axis=1
    )
    xi_b, w_b = _panel_rule(bulk_ends, xi_split, np.full_like(u, _REACH))
    y = np.concatenate([y_t, xi_b + half_u[:, None]], axis=1)
    xi = np.concatenate([y_t - half_u[:, None], xi_b], axis=1)
    return y, xi, np.concatenate([w_t, w_b], axis=1)


def steepest_distance(*, scale: float = 1.0) -> float:
    """The distance at which JS(N(0, s²) ‖ N(d, s²)) rises fastest: the peak of Figure 4 (b).

    Found as the root of the analytic second derivative (Brent's method, to machine precision)
    on the bracket [1, 3] scale units, where it changes sign once.

    Parameters
    ----------
    scale : float, default 1.0
        The common standard deviation ``s`` (finite, > 0).

    Returns
    -------
    float
        About 1.636 s.

    Examples
    --------
    >>> d = steepest_distance()
    >>> round(d, 4)
    1.6363
    >>> slopes = js_curve([d - 1e-3, d, d + 1e-3])[1]
    >>> bool(slopes[1] > slopes[0] and slopes[1] > slopes[2])
    True
    """
    s = check_real(scale, "scale", positive=True)

    def curvature(u: float) -> float:
        return float(_js_parts(np.array([u]), second=True)[2][0])

    return s * optimize.brentq(curvature, 1.0, 3.0, xtol=1e-15, rtol=4 * np.finfo(float).eps)


def first_distance(
    predicate: Callable[[float], bool], *, scale: float = 1.0, lo: float = 0.0, hi: float | None = None
) -> float:
    """The first float distance at which ``predicate(JS(d))`` holds, JS = JS(N(0, s²) ‖ N(d, s²)).

    A threshold such as "JS prints as 0.693" or "JS equals log 2 in double precision" is a
    distance where a predicate of :func:`js_curve`'s value switches from false to true. Near a
    flat stretch a root finder stops anywhere on it; this function bisects over the floating-point
    numbers themselves (the bit patterns of non-negative doubles are ordered like their values),
    so that it returns a float ``d`` at which the predicate holds while it fails at the float just
    below ``d``: the first such float when the predicate is monotone in ``d``, as predicates of
    the increasing JS are.

    Parameters
    ----------
    predicate : callable ``float -> bool``
        Applied to JS in nats. False at ``lo`` or true there (then ``lo`` is returned); true at
        ``hi``.
    scale : float, default 1.0
        The common standard deviation ``s`` (finite, > 0).
    lo, hi : float
        The bracket, ``0 <= lo < hi``; ``hi`` defaults to ``40 s``, where JS is log 2 in double
        precision.

    Returns
    -------
    float
        The switching float, found in at most 64 evaluations of :func:`js_curve`.

    Raises
    ------
    ValueError
        If the bracket is invalid or the predicate does not hold at ``hi``.

    Examples
    --------
    JS equals log 2 in double precision from d = 16.851 on, not before:

    >>> d = first_distance(lambda js: js == LOG2)
    >>> round(d, 3)
    16.851
    >>> bool(js_curve(d)[0] == LOG2 and js_curve(np.nextafter(d, 0.0))[0] < LOG2)
    True

    JS prints as 0.693 (rounded to three decimals, as the left panels of Figure 3) from:

    >>> round(first_distance(lambda js: f"{js:.3f}" == "0.693"), 4)
    7.0242
    """
    if not callable(predicate):
        raise TypeError(f"`predicate` must be a callable float -> bool, got {predicate!r}.")
    s = check_real(scale, "scale", positive=True)
    lo = check_real(lo, "lo", nonnegative=True)
    hi = 40.0 * s if hi is None else check_real(hi, "hi", positive=True)
    if not lo < hi:
        raise ValueError(f"`lo` must be below `hi`, got lo={lo!r}, hi={hi!r}.")

    def holds(d: float) -> bool:
        return bool(predicate(float(js_curve(d, scale=s)[0])))

    if holds(lo):
        return lo
    if not holds(hi):
        raise ValueError(f"`predicate` must hold at `hi` = {hi!r} (JS = {float(js_curve(hi, scale=s)[0])!r}).")
    below, above = int(np.float64(lo).view(np.int64)), int(np.float64(hi).view(np.int64))
    while above - below > 1:
        middle = (below + above) // 2
        if holds(float(np.int64(middle).view(np.float64))):
            above = middle
        else:
            below = middle
    return float(np.int64(above).view(np.float64))


def distance_for_js(value: float, *, scale: float = 1.0) -> float:
    """The first float distance ``d >= 0`` at which JS(N(0, s²) ‖ N(d, s²)) reaches ``value``.

    The inverse of :func:`js_curve`: :func:`first_distance` of the predicate ``JS >= value``.

    Parameters
    ----------
    value : float
        A divergence in nats, in [0, log 2]. JS reaches log 2 only in the limit, but in double
        precision it equals log 2 from d = 16.851 s on, which ``value = log 2`` returns.
    scale : float, default 1.0
        The common standard deviation ``s`` (finite, > 0).

    Returns
    -------
    float
        ``d`` with ``js_curve(d) >= value`` and ``js_curve(d') < value`` at the float ``d'``
        just below.

    Raises
    ------
    ValueError
        If ``value`` is outside [0, log 2].

    Examples
    --------
    The smallest distance at which JS prints as 0.693 (rounded to three decimals), as the left
    panels of Figure 3 do:

    >>> d = distance_for_js(0.6925)
    >>> round(d, 4)
    7.0242
    >>> f"{float(js_curve(d)[0]):.3f}", f"{float(js_curve(d - 1e-3)[0]):.3f}"
    ('0.693', '0.692')
    """
    v = check_real(value, "value", nonnegative=True)
    if not v <= LOG2:
        raise ValueError(f"`value` must be in [0, log 2] = [0, {LOG2!r}], got {value!r}.")
    return first_distance(lambda js: js >= v, scale=scale)


# --- Naive estimates, for explaining the numbers printed in the article ------------------------


def discretized_js(
    distance: float, lo: float, hi: float, num: int, *, scale: float = 1.0
) -> float:
    """JS of N(0, s²) and N(d, s²) from their densities sampled on a grid, as a quick script would.

    The two densities are evaluated at ``numpy.linspace(lo, hi, num)``, each vector is
    normalized to sum to 1, and ``scipy.spatial.distance.jensenshannon(p, q) ** 2`` (squared:
    scipy returns the distance, the square root of the divergence) gives the discrete JS in
    nats. Truncating the window cuts off tail mass and biases the value; this is one way a
    printed number can differ from the exact one.

    Parameters
    ----------
    distance : float
        Distance ``d`` between the means.
    lo, hi : float
        The window, ``lo < hi``.
    num : int
        Number of grid points, at least 2.
    scale : float, default 1.0
        The common standard deviation ``s``.

    Returns
    -------
    float

    Examples
    --------
    A wide fine grid recovers the exact value; a window of three standard deviations beyond
    each mean does not:

    >>> exact = float(js_curve(2.0)[0])
    >>> abs(discretized_js(2.0, -10.0, 12.0, 2001) - exact) < 1e-12
    True
    >>> round(discretized_js(2.0, -3.0, 5.0, 1000), 4)
    0.3364
    """
    d = check_real(distance, "distance")
    lo = check_real(lo, "lo")
    hi = check_real(hi, "hi")
    if not lo < hi:
        raise ValueError(f"`lo` must be below `hi`, got lo={lo!r}, hi={hi!r}.")
    num = check_int(num, "num", minimum=2)
    s = check_real(scale, "scale", positive=True)
    x = np.linspace(lo, hi, num)
    p, q = stats.norm.pdf(x, 0.0, s), stats.norm.pdf(x, d, s)
    return float(jensenshannon(p, q) ** 2)


def histogram_js(
    distance: float, n_samples: int, bins: npt.ArrayLike, *, seed: int, scale: float = 1.0
) -> float:
    """JS of N(0, s²) and N(d, s²) estimated from a histogram of ``n_samples`` draws of each.

    Both samples are counted in the same ``bins`` (bin edges, as for ``numpy.histogram``) and the
    JS of the two normalized count vectors is ``jensenshannon(...) ** 2`` in nats. The estimate
    is biased (binning) and noisy (sampling): another way to print a number that differs from
    the exact one.

    Parameters
    ----------
    distance : float
        Distance ``d`` between the means.
    n_samples : int
        Draws from each density, at least 1.
    bins : array_like, shape (n_bins + 1,)
        Ascending bin edges.
    seed : int
        Seed of the ``numpy.random.Generator``; the same seed gives the same estimate.
    scale : float, default 1.0
        The common standard deviation ``s``.

    Returns
    -------
    float

    Examples
    --------
    >>> edges = np.linspace(-6.0, 8.0, 101)
    >>> histogram_js(2.0, 1000, edges, seed=0) == histogram_js(2.0, 1000, edges, seed=0)
    True
    """
    d = check_real(distance, "distance")
    n = check_int(n_samples, "n_samples", minimum=1)
    edges = check_array(bins, "bins")
    if edges.ndim != 1 or edges.size < 2 or (np.diff(edges) <= 0).any():
        raise ValueError(f"`bins` must be at least two ascending bin edges, got {bins!r}.")
    seed = check_int(seed, "seed", minimum=0)
    s = check_real(scale, "scale", positive=True)
    rng = np.random.default_rng(seed)
    data = rng.normal(0.0, s, n)
    generated = rng.normal(d, s, n)
    counts_data, _ = np.histogram(data, edges)
    counts_generated, _ = np.histogram(generated, edges)
    return float(jensenshannon(counts_data, counts_generated) ** 2)
