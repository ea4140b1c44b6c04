"""Finite-difference gradient checks and hypothesis strategies for the NumPy GAN.

The toolkit's tests check every hand-derived backward pass with :func:`gradient_error`; a
student can check their own the same way:

>>> import numpy as np
>>> f = lambda p: float(np.sum(np.sin(p)))
>>> grad = lambda p: np.cos(p)
>>> bool(gradient_error(f, grad, np.array([0.3, -1.2]), np.random.default_rng(0)) < 1e-8)
True

Requires the ``hypothesis`` package for the strategies (the ``test`` extra).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = ["arrays", "gradient_error", "members_and_samples"]


def gradient_error(
    f: Callable[[np.ndarray], float],
    grad: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    rng: np.random.Generator,
    *,
    directions: int = 3,
    step: float = 1e-4,
) -> float:
    """Largest relative error of ``grad`` against central finite differences of ``f``.

    Along each of ``directions`` random unit directions v, compares the analytic directional
    derivative :math:`a = \\nabla f(x) \\cdot v` with the fourth-order central difference

    .. math:: d = \\frac{-f(x + 2hv) + 8 f(x + hv) - 8 f(x - hv) + f(x - 2hv)}{12 h}.

    Parameters
    ----------
    f : callable ndarray -> float
        The scalar function, evaluated in float64.
    grad : callable ndarray -> ndarray
        Its claimed gradient, shaped like ``x``.
    x : ndarray
        The point.
    rng : numpy.random.Generator
        Draws the directions.
    directions : int
    step : float
        h. The truncation error of d is :math:`h^4 |f^{(5)}| / 30` (about 1e-17 times the fifth
        derivative at the default) and its rounding error about :math:`2 \\epsilon |f| / h`
        (about 5e-12 |f|).

    Returns
    -------
    float
        max over directions of :math:`|a - d| / \\max(|a|, |d|, \\tau)`, with the floor
        :math:`\\tau = 10^{-5} (1 + |f(x)|)`: a directional derivative smaller than that is
        held to an absolute error of :math:`10^{-5}\\,\\tau`, since the rounding noise of d
        would otherwise pass for a relative error.
    """
    x = np.asarray(x, dtype=np.float64)
    g = np.asarray(grad(x), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(f"`grad` returned shape {g.shape} for a point of shape {x.shape}.")
    floor = 1e-5 * (1.0 + abs(f(x)))
    worst = 0.0
    for _ in range(directions):
        v = rng.standard_normal(x.shape)
        v /= np.linalg.norm(v)
        analytic = float(np.sum(g * v))
        h = step
        numeric = (-f(x + 2 * h * v) + 8 * f(x + h * v) - 8 * f(x - h * v) + f(x - 2 * h * v)) / (12 * h)
        worst = max(worst, abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor))
    return worst


def arrays(shape: tuple[int, ...], bound: float = 3.0) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``shape`` with entries in [-bound, bound]."""
    return hnp.arrays(np.float64, shape, elements=st.floats(-bound, bound, allow_nan=False, width=64))


def members_and_samples(max_members: int = 3, max_samples: int = 6) -> st.SearchStrategy[tuple[int, int]]:
    """(E, n): small ensembles and batches, where finite differences are cheap."""
    return st.tuples(st.integers(1, max_members), st.integers(1, max_samples))
