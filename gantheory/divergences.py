"""KL and JS divergences, the optimal discriminator and the GAN value function, by quadrature.

Every quantity is an integral over the union of the two supports, split at the breakpoints of
both densities (:func:`gantheory.distributions.breakpoints`) and computed by the adaptive
Gauss–Kronrod rule of :mod:`gantheory.quadrature` to an error estimate near 1e-14. Integrands
are formed from log-densities: with :math:`s = \\log p - \\log q` the logit of the optimal
discriminator, nothing is divided by a density that has underflowed, so Gaussians 50 standard
deviations apart still give correct numbers rather than NaN or a silent 0.

The pointwise integrands (:func:`kl_integrand`, :func:`js_integrand`, :func:`value_integrand`) are
public so that batched callers (the NumPy GAN's exact JS over an ensemble) integrate the very
same expressions with :func:`gantheory.quadrature.integrate`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import special

from gantheory.distributions import Density, breakpoints, check_base, check_distribution
from gantheory.quadrature import integrate

__all__ = [
    "OptimalDiscriminator",
    "js_divergence",
    "js_integrand",
    "kl_divergence",
    "kl_integrand",
    "optimal_discriminator",
    "support_breaks",
    "value_function",
    "value_integrand",
    "virtual_criterion",
]

LOG2 = float(np.log(2.0))


def support_breaks(*densities: Density) -> np.ndarray:
    """Breakpoints for integrating over the union of the supports of ``densities``.

    Returns the ascending array ``[lo, ..., hi]``: the ends of the union of the supports (possibly
    infinite) with every finite breakpoint of every density strictly between them.

    Examples
    --------
    >>> from scipy import stats
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
    return float(value) if base is None else float(value) / np.log(base)


def kl_integrand(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """Pointwise :math:`p(x) \\log(p(x)/q(x))` from log-densities.

    Zero where ``p`` is zero in floating point (the convention :math:`0 \\log 0 = 0`), ``+inf``
    where ``p`` is positive and ``q`` is zero.
    """
    p = np.exp(log_p)
    with np.errstate(invalid="ignore"):
        out = np.where(p > 0, p * (log_p - log_q), 0.0)
    return np.where((p > 0) & (log_q == -np.inf), np.inf, out)


def js_integrand(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """Pointwise deficit :math:`\\log 2 \\cdot m(x) - \\tfrac12[p \\log(p/m) + q \\log(q/m)]`.

    With :math:`m = (p+q)/2`, :math:`\\log(p/m) = \\log 2 - \\operatorname{softplus}(\\log q -
    \\log p)`, so the integrand is :math:`\\tfrac12[p\\,\\operatorname{softplus}(\\log q - \\log
    p) + q\\,\\operatorname{softplus}(\\log p - \\log q)]`, non-negative, and
    :math:`\\mathrm{JS} = \\log 2 - \\int` (it). Where the densities do not overlap it is exactly
    0, so disjoint supports give JS = log 2 exactly.
    """
    with np.errstate(invalid="ignore"):
        s = log_p - log_q
        term_p = np.exp(log_p) * np.logaddexp(0.0, -s)
        term_q = np.exp(log_q) * np.logaddexp(0.0, s)
    term_p = np.where(log_p == -np.inf, 0.0, term_p)
    term_q = np.where(log_q == -np.inf, 0.0, term_q)
    return 0.5 * (term_p + term_q)


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


def _integrate_pair(
    p: Density, q: Density, pointwise: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
) -> float:
    """Integrate ``pointwise(x, log p(x), log q(x))`` over the union of the supports."""

    def integrand(x: np.ndarray, owner: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # x**2 -> inf far out gives the right log-density, -inf
            log_p, log_q = p.logpdf(x), q.logpdf(x)
        return pointwise(x, log_p, log_q)

    value, _ = integrate(integrand, support_breaks(p, q))
    return float(value)


def kl_divergence(p: Density, q: Density, *, base: float | None = None) -> float:
    """Kullback–Leibler divergence :math:`\\mathrm{KL}(p \\| q) = E_p \\log(p/q)`.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    base : float, optional
        Logarithm base; ``None`` (default) gives nats, ``2`` gives bits.

    Returns
    -------
    float
        Non-negative; ``inf`` where ``p`` has mass that ``q`` lacks.

    Notes
    -----
    The definition used in section 5 of the article, before eq. (9).

    Examples
    --------
    Against the Gaussian closed form
    :math:`\\log\\frac{\\sigma_2}{\\sigma_1} + \\frac{\\sigma_1^2 + (\\mu_1-\\mu_2)^2}{2\\sigma_2^2}
    - \\frac12`:

    >>> from scipy import stats
    >>> kl = kl_divergence(stats.norm(0, 1), stats.norm(1, 2))
    >>> bool(np.isclose(kl, np.log(2) + 2 / 8 - 0.5, rtol=0, atol=1e-14))
    True
    >>> kl_divergence(stats.norm(0, 1), stats.uniform(-1, 2))
    inf
    """
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    base = check_base(base)
    value = _integrate_pair(p, q, lambda x, log_p, log_q: kl_integrand(log_p, log_q))
    return _finalize(max(value, 0.0), base)


def js_divergence(p: Density, q: Density, *, base: float | None = None) -> float:
    """Jensen–Shannon divergence :math:`\\tfrac12 \\mathrm{KL}(p\\|m) + \\tfrac12 \\mathrm{KL}(q\\|m)`.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    base : float, optional
        Logarithm base; ``None`` (default) gives nats, in [0, log 2]; ``2`` gives bits, in [0, 1].

    Returns
    -------
    float

    Notes
    -----
    The definition before eq. (9) of the article, with :math:`m = (p+q)/2`. Computed as
    :math:`\\log 2` minus the integral of :func:`js_integrand`, which is exact for disjoint
    supports and keeps its digits when JS is close to log 2. This is the divergence, not the
    distance :math:`\\sqrt{\\mathrm{JS}}` that ``scipy.spatial.distance.jensenshannon`` returns.

    Examples
    --------
    The value printed (as 0.336) in the article's Figure 3, at distance 2:

    >>> from scipy import stats
    >>> round(js_divergence(stats.norm(0, 1), stats.norm(2, 1)), 5)
    0.33683
    >>> js_divergence(stats.uniform(0, 1), stats.uniform(3, 1)) == LOG2   # disjoint: exactly log 2
    True
    """
    p = check_distribution(p, "p")
    q = check_distribution(q, "q")
    base = check_base(base)
    deficit = _integrate_pair(p, q, lambda x, log_p, log_q: js_integrand(log_p, log_q))
    return _finalize(min(max(LOG2 - deficit, 0.0), LOG2), base)


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
        """:math:`\\log p_{data}(x) - \\log p_g(x)`, ``+-inf`` outside one support, 0 outside both."""
        x = np.asarray(x, dtype=np.float64)
        log_p, log_q = self.p_data.logpdf(x), self.p_g.logpdf(x)
        with np.errstate(invalid="ignore"):
            s = log_p - log_q
        return np.where((log_p == -np.inf) & (log_q == -np.inf), 0.0, s)

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


def value_function(D: Callable[[np.ndarray], npt.ArrayLike], p_data: Density, p_g: Density) -> float:
    """The GAN value function, eq. (6), for a discriminator ``D`` and the generator's density ``p_g``.

    .. math:: V(D, G) = E_{x \\sim p_{data}} \\log D(x) + E_{x \\sim p_g} \\log(1 - D(x))

    Parameters
    ----------
    D : callable
        Vectorized ``x -> D(x)`` with values in [0, 1] (any array shape in, same shape out). If it
        has a ``logit`` method (as :class:`OptimalDiscriminator` does), the logs are taken from the
        logit, so that saturated discriminators keep their digits.
    p_data, p_g : frozen scipy.stats continuous distribution or Mixture

    Returns
    -------
    float
        At most :func:`virtual_criterion` ``(p_data, p_g)``; ``-inf`` if D is 0 where p_data has
        mass (or 1 where p_g has).

    Examples
    --------
    The constant discriminator D = 1/2 scores exactly -log 4, which no generator can push D* below:

    >>> from scipy import stats
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

    def pointwise(x: np.ndarray, log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        return value_integrand(log_p, log_q, *_discriminator_logs(D, x))

    return _integrate_pair(p_data, p_g, pointwise)


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
    >>> from scipy import stats
    >>> p, q = stats.norm(0, 1), stats.laplace(1, 2)
    >>> bool(np.isclose(virtual_criterion(p, q), 2 * js_divergence(p, q) - 2 * np.log(2), rtol=0, atol=1e-12))
    True
    """
    d_star = optimal_discriminator(p_data, p_g)
    return value_function(d_star, d_star.p_data, d_star.p_g)
