"""Adaptive Gauss–Kronrod quadrature over the real line, vectorized over nodes and problems.

Every divergence in gantheory is an integral over the real line of a smooth-between-breakpoints
integrand. :func:`integrate` evaluates the integrand at the 21 Gauss–Kronrod nodes of *all*
current sub-intervals of *all* problems in one call, estimates each sub-interval's error from the
embedded 10-point Gauss rule, and bisects the sub-intervals that hold too much of the error,
round after round, until every problem meets its tolerance. This is QUADPACK's QAGS strategy
(without extrapolation), but with one NumPy call per round instead of one Python call per node,
so a divergence costs a few milliseconds and a batch of a thousand costs little more than one.

Half-infinite end intervals ``(-inf, b]`` and ``[a, inf)`` are mapped to ``(0, 1]`` with
``x = a + L (1 - t) / t``, where the length ``L`` is the width of the neighbouring interval, so that
a tail is resolved at the scale of the density it belongs to.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["AccuracyWarning", "integrate", "KRONROD_NODES", "KRONROD_WEIGHTS", "GAUSS_WEIGHTS"]


class AccuracyWarning(RuntimeWarning):
    """The quadrature stopped before its error estimate met the requested tolerance."""


# The 21-point Kronrod extension of the 10-point Gauss–Legendre rule on [-1, 1] (QUADPACK qk21).
# The rule integrates polynomials of degree <= 31 exactly; tests/test_quadrature.py checks that.
_XGK = np.array([
    0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
    0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
    0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
    0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
    0.294392862701460198131126603103866, 0.148874338981631210884826001129720,
    0.000000000000000000000000000000000,
])
_WGK = np.array([
    0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
    0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
    0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
    0.123491976262065851077208745929900, 0.134709217311473325928054001771707,
    0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
    0.149445554002916905664936468389821,
])
_WG = np.array([
    0.066671344308688137593568809893332, 0.149451349150580593145776339657697,
    0.219086362515982043995534934228163, 0.269266719309996355091226921569469,
    0.295524224714752870173892994651338,
])

#: Kronrod nodes on [-1, 1], ascending, shape (21,).
KRONROD_NODES = np.concatenate([-_XGK[:-1], _XGK[::-1]])
#: Kronrod weights matching :data:`KRONROD_NODES`, shape (21,).
KRONROD_WEIGHTS = np.concatenate([_WGK[:-1], _WGK[::-1]])
#: Gauss weights on the 21 Kronrod nodes (zero where the node is not a Gauss node), shape (21,).
GAUSS_WEIGHTS = np.zeros(21)
GAUSS_WEIGHTS[[1, 3, 5, 7, 9]] = _WG  # the Gauss nodes are every other Kronrod node
GAUSS_WEIGHTS[[19, 17, 15, 13, 11]] = _WG
for _a in (KRONROD_NODES, KRONROD_WEIGHTS, GAUSS_WEIGHTS):
    _a.setflags(write=False)

# Kinds of sub-interval: finite [a, b]; [a, inf) and (-inf, b] in the variable t in (0, 1].
_FINITE, _RIGHT_TAIL, _LEFT_TAIL = 0, 1, -1

Integrand = Callable[[np.ndarray, np.ndarray], np.ndarray]


def integrate(
    integrand: Integrand,
    breaks: npt.ArrayLike,
    *,
    atol: float = 1e-14,
    rtol: float = 1e-13,
    max_intervals: int = 200_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Integrate a batch of one-dimensional integrals to a tolerance, all at once.

    Parameters
    ----------
    integrand : callable ``(x, owner) -> values``
        ``x`` has shape (n, 21): the nodes of n sub-intervals; ``owner`` has shape (n,): the
        problem (row of ``breaks``) each sub-interval belongs to. Returns an array shaped like
        ``x``. It must return finite values (``+inf`` is allowed and gives an infinite integral).
    breaks : array_like, shape (P,) or (B, P)
        For each of B problems, the ascending points that split its domain, ``-inf`` first and
        ``+inf`` last allowed. Repeated points are allowed (they make empty intervals), so
        problems with fewer breakpoints can be padded by repeating their last point.
    atol, rtol : float
        Each problem stops when its summed error estimate is below ``max(atol, rtol * |value|)``.
    max_intervals : int
        Give up (with an :class:`AccuracyWarning`) past this many sub-intervals in total.

    Returns
    -------
    value, error : ndarray, shape () or (B,)
        The Kronrod estimates of the integrals and the summed ``|Kronrod - Gauss|`` estimates of
        their errors, which overestimate the true error of a smooth integrand by orders of
        magnitude.

    Examples
    --------
    >>> from scipy import stats
    >>> value, error = integrate(lambda x, owner: stats.norm.pdf(x), [-np.inf, 0.0, np.inf])
    >>> float(value)
    1.0
    """
    pts = np.asarray(breaks, dtype=np.float64)
    scalar = pts.ndim == 1
    pts = np.atleast_2d(pts)
    if pts.shape[1] < 2 or np.isnan(pts).any() or (np.diff(pts, axis=1) < 0).any():
        raise ValueError(f"`breaks` must be ascending with at least two points, got {pts!r}.")
    n_problems = pts.shape[0]

    # Initial sub-intervals, in the variable of their kind: x itself, or t in (0, 1] for tails.
    lo, hi = pts[:, :-1].ravel(), pts[:, 1:].ravel()
    owner = np.repeat(np.arange(n_problems), pts.shape[1] - 1)
    keep = lo < hi
    lo, hi, owner = lo[keep], hi[keep], owner[keep]
    kind = np.where(np.isinf(lo), _LEFT_TAIL, np.where(np.isinf(hi), _RIGHT_TAIL, _FINITE))
    if (np.isinf(lo) & np.isinf(hi)).any():
        raise ValueError("`breaks` must hold a finite point between -inf and +inf.")
    anchor = np.where(kind == _LEFT_TAIL, hi, lo)
    # A tail is resolved at the scale of its neighbour: the first (for the left tail) or last (for
    # the right tail) finite interval of positive width in the same problem, 1 if there is none.
    with np.errstate(invalid="ignore"):  # inf - inf between repeated infinite padding
        widths = np.diff(pts, axis=1)  # (B, P - 1)
    usable = np.isfinite(widths) & (widths > 0)
    rows, any_usable = np.arange(n_problems), usable.any(axis=1)
    first = np.where(any_usable, widths[rows, usable.argmax(axis=1)], 1.0)
    last = np.where(any_usable, widths[rows, widths.shape[1] - 1 - usable[:, ::-1].argmax(axis=1)], 1.0)
    length = np.where(kind == _LEFT_TAIL, first[owner], np.where(kind == _RIGHT_TAIL, last[owner], 1.0))
    ta = np.where(kind == _FINITE, lo, 0.0)
    tb = np.where(kind == _FINITE, hi, 1.0)

    k_val, err = _kronrod(integrand, ta, tb, kind, anchor, length, owner)
    stuck = np.zeros(0, dtype=bool)
    converged = False
    while True:
        value = np.bincount(owner, weights=k_val, minlength=n_problems)
        error = np.bincount(owner, weights=err, minlength=n_problems)
        tol = np.maximum(atol, rtol * np.abs(value))
        todo = error > tol
        if not todo.any():
            converged = True
            break
        count = np.bincount(owner, minlength=n_problems)
        split = todo[owner] & (err > tol[owner] / count[owner])
        mid = 0.5 * (ta + tb)
        can_split = (mid > ta) & (mid < tb)
        stuck = split & ~can_split
        split &= can_split
        if not split.any() or owner.size + split.sum() > max_intervals:
            break
        s = np.flatnonzero(split)
        # Replace each split interval by its left half and append its right half.
        new_ta = np.concatenate([ta[s], mid[s]])
        new_tb = np.concatenate([mid[s], tb[s]])
        new_args = [np.concatenate([a[s], a[s]]) for a in (kind, anchor, length, owner)]
        new_k, new_err = _kronrod(integrand, new_ta, new_tb, *new_args)
        keep = ~split
        ta, tb = np.concatenate([ta[keep], new_ta]), np.concatenate([tb[keep], new_tb])
        kind, anchor, length, owner = (
            np.concatenate([a[keep], b]) for a, b in zip((kind, anchor, length, owner), new_args)
        )
        k_val, err = np.concatenate([k_val[keep], new_k]), np.concatenate([err[keep], new_err])
    if not converged:
        worst = int(np.argmax(error - tol))
        reason = "sub-intervals at floating-point resolution" if stuck.any() else "max_intervals"
        warnings.warn(
            f"quadrature stopped at {reason} with error estimate {error[worst]:.3g} above the "
            f"tolerance {tol[worst]:.3g} (problem {worst}, value {value[worst]!r}).",
            AccuracyWarning,
            stacklevel=2,
        )
    if scalar:
        return value[0], error[0]
    return value, error


def _kronrod(
    integrand: Integrand,
    ta: np.ndarray,
    tb: np.ndarray,
    kind: np.ndarray,
    anchor: np.ndarray,
    length: np.ndarray,
    owner: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Kronrod estimates and |Kronrod - Gauss| error estimates of each sub-interval."""
    half = 0.5 * (tb - ta)
    t = (0.5 * (ta + tb))[:, None] + half[:, None] * KRONROD_NODES  # (n, 21)
    tail = (kind != _FINITE)[:, None]
    sign = np.where(kind == _LEFT_TAIL, -1.0, 1.0)[:, None]
    t_tail = np.where(tail, t, 1.0)
    with np.errstate(divide="ignore", over="ignore"):
        x = np.where(tail, anchor[:, None] + sign * length[:, None] * ((1.0 - t_tail) / t_tail), t)
        jacobian = half[:, None] * np.where(tail, length[:, None] / t_tail**2, 1.0)
    f = np.asarray(integrand(x, owner), dtype=np.float64)
    if f.shape != x.shape:
        raise ValueError(f"the integrand returned shape {f.shape} for nodes of shape {x.shape}.")
    if np.isnan(f).any():
        bad = np.argwhere(np.isnan(f))[0]
        raise FloatingPointError(f"the integrand is NaN at x = {x[tuple(bad)]!r}.")
    with np.errstate(invalid="ignore"):
        fj = f * jacobian
        fj = np.where(f == 0, 0.0, fj)  # a zero integrand times an infinite Jacobian is zero
        k_val = fj @ KRONROD_WEIGHTS
        err = np.abs(k_val - fj @ GAUSS_WEIGHTS)
    err = np.where(np.isinf(k_val), 0.0, err)
    return k_val, err
