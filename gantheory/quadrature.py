"""Adaptive Gauss–Kronrod quadrature over the real line, vectorized over nodes and problems.

Every divergence in gantheory is an integral over the real line of a smooth-between-breakpoints
integrand. :func:`integrate` evaluates the integrand at the 21 Gauss–Kronrod nodes of *all*
current sub-intervals of *all* problems in one call, estimates each sub-interval's error from the
embedded 10-point Gauss rule, and bisects the sub-intervals that hold too much of the error,
round after round, until every problem meets its tolerance. This is QUADPACK's QAGS strategy
(without extrapolation), but with one NumPy call per round instead of one Python call per node,
so a divergence costs a few milliseconds and a batch of a thousand costs little more than one.

Each interval between two breakpoints is integrated in one of three variables:

* plain: ``x`` itself, for a finite interval with smooth ends;
* clustered: for a finite interval ``[a, b]`` with an end marked *singular* (a support edge, where
  a density may vanish or diverge), the tanh–sinh substitution
  ``x = a + (b - a) expit(pi sinh tau)`` (Takahasi & Mori 1974), which crowds the nodes
  double-exponentially towards both ends, so that integrable endpoint singularities such as
  ``x**-0.5`` or ``log x`` cost a few dozen nodes. Nodes are formed as offsets from the nearer end
  and kept strictly inside the interval: no node lands on an edge, where a log-density is ``-inf``;
* tails: ``[a, inf)`` and ``(-inf, b]`` are mapped to ``(0, 1]`` with ``x = a + L (1 - t) / t``
  (``L`` the width of the neighbouring interval, so that a tail is resolved at the scale of the
  density it belongs to) when the tail decays fast, or by the exp–sinh substitution
  ``x = a + L exp(-pi sinh tau)`` when it decays like a power (``algebraic=True``), which reaches
  ``|x| = 1e300`` in a few dozen nodes. What lies beyond is the caller's to add (see
  :mod:`gantheory.integrals`).

A budget (``max_evaluations``, ``deadline``) stops the rounds with :class:`BudgetExceeded`, so
that an integrand whose every evaluation is slow cannot run for minutes unannounced.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = [
    "AccuracyWarning",
    "BudgetExceeded",
    "EDGE_REACH",
    "GAUSS_WEIGHTS",
    "KRONROD_NODES",
    "KRONROD_WEIGHTS",
    "TAIL_REACH",
    "integrate",
]


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

# Kinds of sub-interval, each integrated in its own variable (see the module docstring).
_FINITE, _RIGHT_TAIL, _LEFT_TAIL = 0, 1, -1
_CLUSTERED, _DE_RIGHT, _DE_LEFT = 2, 3, -3

#: Largest |x| an exp-sinh tail reaches; the rest of a power-law tail is the caller's to add.
TAIL_REACH = 1e300
#: How close to a singular end the tanh-sinh rule reaches, relative to its interval's length: the
#: rule stops at offsets of 1e-300 L; the rest is the caller's to add (see gantheory.integrals).
EDGE_REACH = 1e-300
# Initial panels of a tanh-sinh / exp-sinh variable: the integrand in tau is a smooth bump near 0
# with double-exponentially thin shoulders, which these cut at the places where it changes shape.
_TAU_PANELS = np.array([-3.0, -1.5, 0.0, 1.5, 3.0])

Integrand = Callable[[np.ndarray, np.ndarray], np.ndarray]


class BudgetExceeded(RuntimeError):
    """The quadrature ran out of its evaluation or time budget before meeting its tolerance."""

    def __init__(self, message: str, *, evaluations: int, seconds: float) -> None:
        super().__init__(message)
        self.evaluations = evaluations
        self.seconds = seconds


def integrate(
    integrand: Integrand,
    breaks: npt.ArrayLike,
    *,
    atol: float | npt.ArrayLike = 1e-14,
    rtol: float = 1e-13,
    max_intervals: int = 200_000,
    singular: npt.ArrayLike | None = None,
    algebraic: npt.ArrayLike | None = None,
    max_evaluations: int | None = None,
    deadline: float | None = None,
    reach: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Integrate a batch of one-dimensional integrals to a tolerance, all at once.

    Parameters
    ----------
    integrand : callable ``(x, owner) -> values`` or ``-> (values, noise)``
        ``x`` has shape (n, 21): the nodes of n sub-intervals; ``owner`` has shape (n,): the
        problem (row of ``breaks``) each sub-interval belongs to. Returns an array shaped like
        ``x``. It must return finite values (``+inf`` is allowed and gives an infinite integral).
        It may also return the absolute rounding noise of each value (an input known only to
        some digits): no problem is then held to less than ten times the integral of the noise.
    breaks : array_like, shape (P,) or (B, P)
        For each of B problems, the ascending points that split its domain, ``-inf`` first and
        ``+inf`` last allowed. Repeated points are allowed (they make empty intervals), so
        problems with fewer breakpoints can be padded by repeating their last point.
    atol, rtol : float
        Each problem stops when its summed error estimate is below ``max(atol, rtol * |value|)``
        (``atol`` may be an array, one tolerance per problem).
    max_intervals : int
        Give up (with an :class:`AccuracyWarning`) past this many sub-intervals in total.
    singular : array_like of bool, shape of ``breaks``, optional
        Breakpoints where the integrand may be singular (support edges). A finite interval with
        a singular end is integrated in the tanh–sinh variable; a tail whose finite end is
        singular, in the exp–sinh variable.
    algebraic : array_like of bool, shape (2,) or (B, 2), optional
        Whether the lower and upper infinite tail of each problem decays like a power of ``x``;
        such tails are integrated in the exp–sinh variable out to :data:`TAIL_REACH`.
    max_evaluations : int, optional
        Raise :class:`BudgetExceeded` before a round that would take the number of integrand
        values computed past this.
    deadline : float, optional
        A :func:`time.monotonic` time; raise :class:`BudgetExceeded` after a round that ends
        past it.
    reach : array_like of float, shape of ``breaks``, optional
        For singular breakpoints, the smallest offset from them at which nodes may be placed
        (default 0). Nodes never come closer to a singular end than ``max(reach, EDGE_REACH * L)``,
        ``L`` the length of the interval (of its neighbour, for a tail): the part closer than that
        is the caller's to add.

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

    An endpoint singularity, :math:`\\int_0^1 x^{-1/2} dx = 2`, with the end marked singular:

    >>> value, _ = integrate(lambda x, owner: x**-0.5, [0.0, 1.0], singular=[True, False])
    >>> bool(abs(value - 2.0) < 1e-13)
    True
    """
    import time

    pts = np.asarray(breaks, dtype=np.float64)
    scalar = pts.ndim == 1
    pts = np.atleast_2d(pts)
    with np.errstate(invalid="ignore"):  # inf - inf between repeated infinite ends
        descending = (np.diff(pts, axis=1) < 0).any()
    if pts.shape[1] < 2 or np.isnan(pts).any() or descending:
        raise ValueError(f"`breaks` must be ascending with at least two points, got {pts!r}.")
    n_problems = pts.shape[0]
    flags = np.zeros(pts.shape, dtype=bool) if singular is None else np.broadcast_to(
        np.asarray(singular, dtype=bool).reshape((-1, pts.shape[1]) if not scalar else (1, -1)), pts.shape)
    power = np.zeros((n_problems, 2), dtype=bool) if algebraic is None else np.broadcast_to(
        np.asarray(algebraic, dtype=bool).reshape(-1, 2), (n_problems, 2))
    atol = np.broadcast_to(np.asarray(atol, dtype=np.float64), (n_problems,))
    near = np.zeros(pts.shape) if reach is None else np.broadcast_to(
        np.asarray(reach, dtype=np.float64).reshape((-1, pts.shape[1]) if not scalar else (1, -1)), pts.shape)

    # Initial intervals between consecutive breakpoints, with their kinds.
    lo, hi = pts[:, :-1].ravel(), pts[:, 1:].ravel()
    lo_flag, hi_flag = flags[:, :-1].ravel(), flags[:, 1:].ravel()
    lo_near, hi_near = near[:, :-1].ravel(), near[:, 1:].ravel()
    owner = np.repeat(np.arange(n_problems), pts.shape[1] - 1)
    keep = lo < hi
    lo, hi, lo_flag, hi_flag, owner = lo[keep], hi[keep], lo_flag[keep], hi_flag[keep], owner[keep]
    lo_near, hi_near = lo_near[keep], hi_near[keep]
    if (np.isinf(lo) & np.isinf(hi)).any():
        raise ValueError("`breaks` must hold a finite point between -inf and +inf.")
    left, right = np.isinf(lo), np.isinf(hi)
    kind = np.where(lo_flag | hi_flag, _CLUSTERED, _FINITE)
    if left.any() or right.any():
        kind = np.where(left, np.where(power[owner, 0] | hi_flag, _DE_LEFT, _LEFT_TAIL), kind)
        kind = np.where(right, np.where(power[owner, 1] | lo_flag, _DE_RIGHT, _RIGHT_TAIL), kind)
    anchor = np.where(left, hi, lo)
    far = hi
    # A tail is resolved at the scale of its neighbour: the first (for the left tail) or last (for
    # the right tail) finite interval of positive width in the same problem, 1 if there is none.
    with np.errstate(invalid="ignore"):  # inf - inf between repeated infinite padding
        widths = np.diff(pts, axis=1)  # (B, P - 1)
    usable = np.isfinite(widths) & (widths > 0)
    rows, any_usable = np.arange(n_problems), usable.any(axis=1)
    first = np.where(any_usable, widths[rows, usable.argmax(axis=1)], 1.0)
    last = np.where(any_usable, widths[rows, widths.shape[1] - 1 - usable[:, ::-1].argmax(axis=1)], 1.0)
    length = np.where(left, first[owner], np.where(right, last[owner], hi - lo))
    length = np.where(np.isfinite(length), length, np.finfo(float).max)  # a width of 2e308

    # The variable of each kind, and its initial range: x, t in (0, 1], or tau split in panels.
    ta = np.where(kind == _FINITE, lo, 0.0)
    tb = np.where(kind == _FINITE, hi, 1.0)
    de = (kind == _CLUSTERED) | (np.abs(kind) == 3)
    if de.any():
        # The tau range stops where the offset from a singular end reaches its floor.
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            floor_lo = np.minimum(np.maximum(EDGE_REACH, np.where(lo_flag, lo_near, 0.0) / length), 0.25)
            floor_hi = np.minimum(np.maximum(EDGE_REACH, np.where(hi_flag, hi_near, 0.0) / length), 0.25)
            clustered_lo = np.arcsinh(_logit(floor_lo) / np.pi)
            clustered_hi = np.arcsinh(-_logit(floor_hi) / np.pi)
            # exp-sinh tails: the anchor end is hi for a left tail, lo for a right tail.
            anchor_floor = np.where(kind == _DE_LEFT, floor_hi, floor_lo)
            tail_near = np.arcsinh(-np.log(anchor_floor) / np.pi)
        tau_lo = np.where(kind == _CLUSTERED, clustered_lo, -_tail_tau(length))
        tau_lo = np.where(kind == _DE_LEFT, -tail_near, tau_lo)
        tau_hi = np.where(kind == _CLUSTERED, clustered_hi, tail_near)
        tau_hi = np.where(kind == _DE_LEFT, _tail_tau(length), tau_hi)
        idx = np.flatnonzero(de)
        cuts = [np.concatenate([[tau_lo[i]], _TAU_PANELS[(_TAU_PANELS > tau_lo[i]) & (_TAU_PANELS < tau_hi[i])],
                                [tau_hi[i]]]) for i in idx]
        counts = np.array([c.size - 1 for c in cuts])
        rep = np.repeat(idx, counts)
        new_ta = np.concatenate([c[:-1] for c in cuts])
        new_tb = np.concatenate([c[1:] for c in cuts])
        plain = np.flatnonzero(~de)
        order = np.concatenate([plain, rep])
        ta = np.concatenate([ta[plain], new_ta])
        tb = np.concatenate([tb[plain], new_tb])
        kind, anchor, far, length, owner = (a[order] for a in (kind, anchor, far, length, owner))

    started = time.monotonic()
    evaluations = 0

    def spend(n_new: int) -> None:
        nonlocal evaluations
        if max_evaluations is not None and evaluations + 21 * n_new > max_evaluations:
            raise BudgetExceeded(
                f"quadrature needs more than its budget of {max_evaluations} integrand evaluations "
                f"({evaluations} spent, {21 * n_new} more asked for).",
                evaluations=evaluations, seconds=time.monotonic() - started)
        evaluations += 21 * n_new

    def check_time(n_next: int = 0) -> None:
        # Stop after a round that ended past the deadline, or before one that would end past it
        # at the pace of the rounds so far.
        now = time.monotonic()
        pace = (now - started) / max(evaluations, 1)
        if deadline is not None and now + pace * 21 * n_next > deadline:
            raise BudgetExceeded(
                f"quadrature ran out of time after {time.monotonic() - started:.1f} s and "
                f"{evaluations} integrand evaluations.",
                evaluations=evaluations, seconds=time.monotonic() - started)

    spend(ta.size)
    k_val, err, noise = _kronrod(integrand, ta, tb, kind, anchor, far, length, owner)
    check_time()
    stuck = np.zeros(0, dtype=bool)
    converged = False
    while True:
        value = np.bincount(owner, weights=k_val, minlength=n_problems)
        error = np.bincount(owner, weights=err, minlength=n_problems)
        # An integrand that reports the rounding noise of its values cannot be integrated more
        # precisely than ten times the integral of that noise: no interval is split below it.
        floor = 10.0 * np.bincount(owner, weights=noise, minlength=n_problems)
        tol = np.maximum(np.maximum(atol, rtol * np.abs(value)), floor)
        todo = error > tol
        if not todo.any():
            converged = True
            break
        count = np.bincount(owner, minlength=n_problems)
        split = todo[owner] & (err > tol[owner] / count[owner]) & (err > 10.0 * noise)
        mid = 0.5 * (ta + tb)
        can_split = (mid > ta) & (mid < tb)
        stuck = split & ~can_split
        split &= can_split
        if not split.any() or owner.size + split.sum() > max_intervals:
            break
        s = np.flatnonzero(split)
        check_time(2 * s.size)
        spend(2 * s.size)
        # Replace each split interval by its left half and append its right half.
        new_ta = np.concatenate([ta[s], mid[s]])
        new_tb = np.concatenate([mid[s], tb[s]])
        new_args = [np.concatenate([a[s], a[s]]) for a in (kind, anchor, far, length, owner)]
        new_k, new_err, new_noise = _kronrod(integrand, new_ta, new_tb, *new_args)
        check_time()
        keep = ~split
        ta, tb = np.concatenate([ta[keep], new_ta]), np.concatenate([tb[keep], new_tb])
        kind, anchor, far, length, owner = (
            np.concatenate([a[keep], b]) for a, b in zip((kind, anchor, far, length, owner), new_args)
        )
        k_val, err = np.concatenate([k_val[keep], new_k]), np.concatenate([err[keep], new_err])
        noise = np.concatenate([noise[keep], new_noise])
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


def _tail_tau(length: np.ndarray) -> np.ndarray:
    """The tau at which an exp-sinh tail of scale ``length`` reaches :data:`TAIL_REACH`."""
    with np.errstate(divide="ignore", over="ignore"):
        reach = np.log(TAIL_REACH) - np.log(length)
    return np.arcsinh(np.maximum(reach, 1.0) / np.pi)


def _nodes(
    t: np.ndarray, half: np.ndarray, kind: np.ndarray, anchor: np.ndarray, far: np.ndarray, length: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Abscissae x and Jacobians dx/dvariable (times the half-width) of nodes t, shape (n, 21)."""
    x = t.copy()
    jacobian = np.broadcast_to(half[:, None], t.shape).copy()
    a, b, L = anchor[:, None], far[:, None], length[:, None]
    with np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore"):
        tail = np.abs(kind) == 1
        if tail.any():
            tt = t[tail]
            sign = np.where(kind[tail] == _LEFT_TAIL, -1.0, 1.0)[:, None]
            x[tail] = a[tail] + sign * L[tail] * ((1.0 - tt) / tt)
            jacobian[tail] *= L[tail] / tt**2
        clustered = kind == _CLUSTERED
        if clustered.any():
            tau = t[clustered]
            z = np.pi * np.sinh(tau)
            # Offsets from the nearer end, each exact to rounding: no cancellation near an edge.
            from_a = L[clustered] * _expit(z)
            from_b = L[clustered] * _expit(-z)
            ac, bc = a[clustered], b[clustered]
            xc = np.where(z < 0, ac + from_a, bc - from_b)
            x[clustered] = np.clip(xc, np.nextafter(ac, bc), np.nextafter(bc, ac))
            jacobian[clustered] *= L[clustered] * np.pi * np.cosh(tau) * _expit(z) * _expit(-z)
        de_tail = np.abs(kind) == 3
        if de_tail.any():
            tau = t[de_tail]
            k = kind[de_tail][:, None]
            # Right tail: tau runs from far (tau < 0) to the anchor; left tail: mirrored in tau.
            z = np.pi * np.sinh(np.where(k == _DE_RIGHT, tau, -tau))
            offset = L[de_tail] * np.exp(-z)
            sign = np.where(k == _DE_RIGHT, 1.0, -1.0)
            ad = a[de_tail]
            xd = ad + sign * offset
            x[de_tail] = np.where(xd == ad, np.nextafter(ad, sign * np.inf), xd)
            jacobian[de_tail] *= offset * np.pi * np.cosh(tau)
    return x, jacobian


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p) - np.log1p(-p)


def _expit(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _kronrod(
    integrand: Integrand,
    ta: np.ndarray,
    tb: np.ndarray,
    kind: np.ndarray,
    anchor: np.ndarray,
    far: np.ndarray,
    length: np.ndarray,
    owner: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kronrod estimates, |Kronrod - Gauss| error estimates and rounding noise of each sub-interval."""
    half = 0.5 * (tb - ta)
    t = (0.5 * (ta + tb))[:, None] + half[:, None] * KRONROD_NODES  # (n, 21)
    x, jacobian = _nodes(t, half, kind, anchor, far, length)
    out = integrand(x, owner)
    f, rounding = (out if isinstance(out, tuple) else (out, None))
    f = np.asarray(f, dtype=np.float64)
    if f.shape != x.shape:
        raise ValueError(f"the integrand returned shape {f.shape} for nodes of shape {x.shape}.")
    if np.isnan(f).any():
        bad = np.argwhere(np.isnan(f))[0]
        raise FloatingPointError(f"the integrand is NaN at x = {x[tuple(bad)]!r}.")
    with np.errstate(invalid="ignore", over="ignore"):
        fj = f * jacobian
        fj = np.where((f == 0) | (jacobian == 0), 0.0, fj)  # zero times an infinite Jacobian is zero
        k_val = fj @ KRONROD_WEIGHTS
        err = np.abs(k_val - fj @ GAUSS_WEIGHTS)
    err = np.where(np.isinf(k_val), 0.0, err)
    if rounding is None:
        noise = np.zeros_like(k_val)
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            noise = np.nan_to_num(np.abs(np.asarray(rounding, dtype=np.float64) * jacobian), nan=0.0) @ KRONROD_WEIGHTS
    return k_val, err, noise
