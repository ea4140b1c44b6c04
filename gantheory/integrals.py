"""The integration pipeline: integrals of a pointwise function of two densities, exact or refused.

Every divergence in gantheory (KL, JS, the value function V(D, G), the criterion C(G)) and every
f-divergence is one integral over the real line of a pointwise function of two log-densities,

.. math:: I = \\int_{-\\infty}^{\\infty} \\varphi\\big(\\log p(x), \\log q(x), x\\big)\\, dx,

and goes through :func:`integrate_pair` (or :class:`Plan`, to integrate several integrands of one
pair, or a batch of pairs, without planning twice).

Contract for an integrand (:class:`PairIntegrand`)
--------------------------------------------------
``value(log_p, log_q, log_ratio, x)``
    :math:`\\varphi` elementwise, on arrays of any (common) shape. ``log_ratio`` is
    :math:`s = \\log p - \\log q`, computed without cancellation where the pipeline can (exactly,
    for two Gaussians); it is ``+inf`` where only q is 0, ``-inf`` where only p is 0 and ``0``
    where both are. ``x`` is the abscissa in the caller's coordinates, passed only to integrands
    declared ``uses_x=True`` (such as ``p log D(x)``), None otherwise. It may return ``+-inf``
    (an infinite integral), never NaN.
Homogeneity
    :math:`\\varphi` must be positively homogeneous of degree one in the densities:
    :math:`\\varphi(\\log p + c, \\log q + c, s, x) = e^c \\varphi(\\log p, \\log q, s, x)`. This holds
    for :math:`q f(p/q)` whatever f (all f-divergences) and for :math:`p \\log D + q \\log(1 - D)`.
    The pipeline relies on it: it evaluates the densities in a rescaled frame.
``log_abs(log_p, log_q, log_ratio, x)``
    :math:`\\log|\\varphi|`, finite where :math:`\\varphi` itself underflows (in the far tails). Only
    the tail analysis uses it; if omitted, ``log(abs(value))`` is used.
``bounded``
    Declares :math:`|\\varphi| \\le C (p + q)` (JS, C(G)): the integral is then finite and the
    tails need no verdict, only the mass the rules cannot reach.
``weight``, optional
    ``"p"`` declares :math:`|\\varphi| \\le C p\\,(1 + |\\log p - \\log q|)` (KL): where p decays
    exponentially or faster and q no faster than exponentially, the tail then needs no ladder.
``kinks``, optional
    Declares a kink (or a jump) of :math:`\\varphi` where the integrand's sign function changes
    sign: where p = q (``log_ratio`` = 0; total variation's :math:`|p - q|`), or where
    :math:`F_P = F_Q` for ``inputs="distributions"``. The pipeline then locates those crossings
    in each frame and splits the pieces there, so that the quadrature never bisects towards a kink.
``inputs``, optional
    ``"densities"`` (the default, as above) or ``"distributions"``: :math:`\\varphi` is then a
    function of :math:`\\Delta = F_P(x) - F_Q(x)`, passed as the first argument (the others are
    None but ``x``), computed from distribution functions where they are small and from survival
    functions where those are, atom by atom in each atom's standardized coordinate, so that
    neither tail nor a far location loses digits (Wasserstein-1: :math:`|\\Delta|`). Distribution
    functions are invariant under the frame's affine map, so the integral in x is the frame's
    width h times that in y; the plan applies it. Power-law tails get a verdict and a remainder
    as for densities; support edges need none (:math:`|\\Delta| \\le 1`).
``noise(log_p, log_q, log_ratio, x)``, optional
    The absolute rounding uncertainty of each value, for integrands built on an input known
    only to some digits (a discriminator given as probabilities that round to 1): the quadrature
    then stops at ten times its integral instead of chasing noise.

What the pipeline does
----------------------
1. **Atoms and frames.** Each density is taken apart into location–scale atoms
   (:mod:`gantheory.logdensity`). Each atom contributes *anchors*: its location, or its finite
   support edges (kept as the exact pair loc + scale * edge, so that two edges that round to one
   float stay two). The line is cut halfway between neighbouring anchors into pieces, and each
   piece is integrated in its own frame :math:`y = (x - c)/h` (c its anchor, h the geometric mean
   of the atoms' widths): a common affine map, under which divergences are invariant. Densities
   are moved into the frame by their parameters, so nothing is ever evaluated at ``1e16 + y``.
   Near its right edge a density is evaluated through its mirror image
   (:data:`gantheory.logdensity.MIRRORS`: beta(a, b) reflected is beta(b, a)), in standardized
   coordinates where that edge is 0, so that distances to it are exact down to 1e-300.
2. **Breakpoints.** Quantiles of every atom (1e-30 to 1 - 1e-30), support edges (marked
   *singular*: their intervals get the tanh–sinh rule, no node on the edge) and the piece ends.
3. **Ends.** At every infinite end and every singular edge, :math:`\\log|\\varphi|` is evaluated on a
   geometric ladder of distances (outwards to 1e300, inwards to 1e-300 scales) and
   :func:`tail_verdict` decides from its growth against the log of the distance (power law against
   faster) whether the integral converges there. A divergent end returns ``+-inf`` at once,
   without quadrature. A convergent power-law end is integrated with the exp–sinh rule, and the
   part beyond the rule's reach (1e300 outwards, 1e-300 inwards) is added from the fitted power
   law.
4. **Quadrature.** :func:`gantheory.quadrature.integrate` over all pieces of all problems in one
   batch, to ``atol = 1e-14`` and ``rtol = 1e-13``, inside a :class:`Budget`.

Errors and warnings
-------------------
:class:`~gantheory.quadrature.BudgetExceeded` when the budget runs out, or at once when the
densities' measured cost per evaluation makes the integral certain to exceed it, naming the
slowest density. :class:`~gantheory.quadrature.AccuracyWarning` where digits are truly lost: a tail
whose convergence cannot be decided, or a singular edge that floats resolve only coarsely because
scipy writes the density in coordinates where that edge is not 0 (the semicircle's at +-1, float
spacing 1e-16): the warning states the accuracy that is left.

Examples
--------
KL as an integrand of the pipeline (:data:`gantheory.divergences.KL` is this one, with more care
for tiny values):

>>> from scipy import stats
>>> kl = PairIntegrand(value=lambda lp, lq, s, x: np.where(lp > -np.inf, np.exp(lp) * s, 0.0),
...                    log_abs=lambda lp, lq, s, x: lp + np.log(np.abs(s)), name="KL")
>>> value = integrate_pair(stats.norm(1e16, 1), stats.norm(1e16, 2), kl)
>>> bool(abs(value - (np.log(2) + 1 / 8 - 1 / 2)) < 1e-14)
True
>>> integrate_pair(stats.t(1.5), stats.norm(0, 1), kl)   # a heavy tail against a Gaussian one
inf
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np
from scipy import stats

from gantheory import logdensity
from gantheory.logdensity import Atom
from gantheory.quadrature import EDGE_REACH, TAIL_REACH, AccuracyWarning, BudgetExceeded, integrate

__all__ = [
    "Budget",
    "DEFAULT_BUDGET",
    "PairIntegrand",
    "Plan",
    "TailVerdict",
    "integrate_pair",
    "tail_verdict",
]

_LADDER_RATIO = 1024.0
_PROBES = 3  # probes inside each interval between breakpoints, when looking for crossings
_ZOOMS = 4  # rounds that narrow a crossing's bracket 32-fold each (then one secant step)
_TINY = 1e-300
_NORM = type(stats.norm)


@dataclass(frozen=True)
class PairIntegrand:
    """A pointwise integrand of two log-densities; see the module docstring for the contract."""

    value: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    log_abs: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
    bounded: bool = False
    name: str = "integral"
    uses_x: bool = False
    noise: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
    weight: str | None = None
    kinks: bool = False
    inputs: str = "densities"

    def magnitude(self, log_p, log_q, s, x) -> np.ndarray:
        if self.log_abs is not None:
            return np.asarray(self.log_abs(log_p, log_q, s, x), dtype=np.float64)
        with np.errstate(divide="ignore"):
            return np.log(np.abs(self.value(log_p, log_q, s, x)))


@dataclass(frozen=True)
class Budget:
    """How much an integral may spend: wall-clock seconds and integrand evaluations.

    For a batch of B problems (:meth:`Plan.from_atoms`) the allowance is B times this.

    The default (:data:`DEFAULT_BUDGET`) is 5 s and 2e7 evaluations: an ordinary divergence takes
    a millisecond and a few thousand evaluations; a density that scipy computes by numerical
    integration (``levy_stable``) can take a millisecond *per point*, and is refused at once when
    its measured cost makes the budget certain to run out.
    """

    seconds: float = 5.0
    evaluations: int = 20_000_000


DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class TailVerdict:
    """What :func:`tail_verdict` concluded about an end of an integral.

    Attributes
    ----------
    converges : bool or None
        None when the ladder cannot decide (a borderline power law such as 1/(r log r)).
    algebraic : bool
        True for a power-law end (integrate with exp-sinh and add the remainder), False for one
        that decays faster than every power (or is identically zero).
    alpha, beta : float
        The fitted :math:`\\log|f| \\approx c + \\alpha \\log r + \\beta \\log\\log r` (NaN if not
        algebraic).
    sign : float
        The sign of the integrand at the far end of the ladder.
    remainder : float
        :math:`\\int_{r_{end}}^\\infty f\\,dr` from the fit, signed (0 if not algebraic).
    """

    converges: bool | None
    algebraic: bool
    alpha: float
    beta: float
    sign: float
    remainder: float


def tail_verdict(log_r: np.ndarray, log_f: np.ndarray, sign: np.ndarray, *, reach: float | None = None) -> TailVerdict:
    """Decide whether :math:`\\int^\\infty f(r)\\,dr` converges from a geometric ladder of samples.

    Parameters
    ----------
    log_r : ndarray, shape (K,)
        Increasing logarithms of distances :math:`r_k` (geometrically spaced) towards the end.
    log_f : ndarray, shape (K,)
        :math:`\\log|f(r_k)|`; ``-inf`` where f is 0 or underflows, ``+inf`` where it is infinite.
    sign : ndarray, shape (K,)
        The sign of :math:`f(r_k)` (0 where unknown).
    reach : float, optional
        :math:`\\log r` up to which the quadrature integrates; the remainder is from there on
        (default: the last ladder point).

    Returns
    -------
    TailVerdict

    Notes
    -----
    A power law :math:`f \\sim r^{\\alpha}` has a constant slope :math:`d\\log|f|/d\\log r = \\alpha`;
    an exponential or Gaussian decay has slopes that fall without bound; growth has slopes that
    rise. The integral converges iff the slope ends below -1; at a slope of -1 the logarithmic
    factor decides (:math:`1/(r \\log^\\beta r)` converges iff :math:`\\beta > 1`). A finite edge
    is the same question after :math:`r = 1/\\delta`, :math:`f \\to f/r^2`.

    Examples
    --------
    >>> r = 1024.0 ** np.arange(1, 100)
    >>> tail_verdict(np.log(r), -1.5 * np.log(r), np.ones(r.size)).converges
    True
    >>> tail_verdict(np.log(r), -np.log(r), np.ones(r.size)).converges   # 1/r: log-divergent
    False
    >>> v = tail_verdict(np.log(r), -np.log(r) - 2 * np.log(np.log(r)), np.ones(r.size))
    >>> v.converges, round(v.beta, 6)   # 1/(r log^2 r) converges
    (True, -2.0)
    """
    log_r = np.asarray(log_r, dtype=np.float64)
    log_f = np.asarray(log_f, dtype=np.float64)
    sign = np.asarray(sign, dtype=np.float64)
    valid = ~np.isnan(log_f) & np.isfinite(log_r)
    log_r, log_f, sign = log_r[valid], log_f[valid], sign[valid]
    signed = np.flatnonzero(np.isfinite(sign) & (sign != 0))
    far_sign = float(np.sign(sign[signed[-1]])) if signed.size else 1.0
    half = log_f[log_f.size // 2:]
    if np.any(half == np.inf):
        return TailVerdict(False, False, np.inf, np.nan, far_sign, 0.0)
    finite = np.flatnonzero(np.isfinite(log_f))
    if finite.size < 4 or (finite[-1] < log_f.size - 1 and finite.size < log_f.size // 2 and log_f[finite[-1]] < -1e3):
        # Identically zero, or underflowing to 0 (log|f| below -1e3) well before the ladder ends.
        return TailVerdict(True, False, -np.inf, np.nan, far_sign, 0.0)
    tail = finite[-4:]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        slopes = np.diff(log_f[tail]) / np.diff(log_r[tail])
    last, spread = slopes[-1], abs(slopes[-1] - slopes[-2])
    if finite[-1] < log_f.size - 1 or spread > 0.05 * (1.0 + abs(last)):
        # Not a power law: underflow to -inf, or slopes that keep changing (e^-r, e^-r^2, e^r).
        if last < -1.0:
            return TailVerdict(True, False, last, np.nan, far_sign, 0.0)
        return TailVerdict(False, False, last, np.nan, far_sign, 0.0)
    # A power law, possibly with a logarithmic factor: fit log|f| = c + alpha u + beta log u over
    # the far half of the ladder (wide enough in log u for beta to be determined).
    window = finite[finite.size // 2:] if finite.size >= 8 else finite
    window = window[log_r[window] > 1.0]  # log log r needs r > e
    u, L = log_r[window], log_f[window]
    if u.size >= 4:
        design = np.stack([np.ones_like(u), u, np.log(u)], axis=1)
        (c, alpha, beta), *_ = np.linalg.lstsq(design, L, rcond=None)
    else:  # too short a ladder beyond r = e for the logarithmic factor: a pure power
        alpha, beta = last, 0.0
        c = float(log_f[tail[-1]] - alpha * log_r[tail[-1]])
    if alpha < -1.0 - 1e-3 or (abs(alpha + 1.0) <= 1e-3 and beta < -1.2):
        converges: bool | None = True
    elif alpha > -1.0 + 1e-3 or beta > -0.8:
        converges = False
    else:
        converges = None
    remainder = 0.0
    if converges:
        end = float(u[-1] if reach is None else reach)
        remainder = far_sign * _power_law_remainder(float(c), float(alpha), float(beta), end)
    return TailVerdict(converges, True, float(alpha), float(beta), far_sign, remainder)


def _obviously_convergent(log_r: np.ndarray, log_f: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """Ladders (rows) that :func:`tail_verdict` would call convergent with a negligible remainder.

    The integrand is 0 (or underflows) at every point, or its last slopes are below -1.5 and the
    power-law remainder bound :math:`|f(r)|\\, r` at the ladder's end is below 1e-40: a screen
    that spares the full verdict (a least-squares fit) for the usual, harmless ends.
    """
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        finite = np.isfinite(log_f)
        plus = np.any(log_f == np.inf, axis=1)
        none = ~finite.any(axis=1)
        # The last three finite points of each row.
        idx = np.where(finite, np.arange(log_f.shape[1]), -1)
        last = np.sort(idx, axis=1)[:, -3:]
        ok = (last >= 0).all(axis=1)
        take = np.maximum(last, 0)
        L = np.take_along_axis(log_f, take, axis=1)
        u = np.take_along_axis(log_r, take, axis=1)
        slopes = np.diff(L, axis=1) / np.diff(u, axis=1)
        steep = ok & (slopes < -1.5).all(axis=1)
        bound = L[:, -1] + np.minimum(u[:, -1], reach)
        negligible = steep & (bound < -92.0)  # e^-92 = 1e-40
    return ~plus & (none | negligible)


_LAGUERRE = np.polynomial.laguerre.laggauss(40)


def _power_law_remainder(c: float, alpha: float, beta: float, u0: float) -> float:
    """:math:`\\int_{u_0}^\\infty e^{c + (\\alpha+1) u} u^\\beta du` (r = e^u) by Gauss-Laguerre."""
    lam = -(alpha + 1.0)
    if not lam > 0:
        return np.inf
    v, w = _LAGUERRE
    u = u0 + v / lam
    with np.errstate(over="ignore", under="ignore"):
        log_log = np.log(np.maximum(u, 1.0)) if beta != 0.0 else 0.0  # the fit holds for r > e
        log_terms = c + (alpha + 1.0) * u0 + beta * log_log - np.log(lam)
        return float(np.sum(w * np.exp(log_terms)))


# --- the plan ----------------------------------------------------------------------------------------

@dataclass
class _Slot:
    """One atom seen from every row (piece of a problem): family choice and frame parameters."""

    atom: Atom
    density: int  # 0 for p, 1 for q
    families: tuple  # (family, shapes) for direct rows, and for mirrored rows
    mirrored: np.ndarray  # (R,) bool
    offset: np.ndarray  # (R,) o in u = g (y - o) / s'
    sign: np.ndarray  # (R,) g
    scale: np.ndarray  # (R,) s'
    log_weight: np.ndarray  # (R,)
    lo: np.ndarray = None  # (R,) the support's ends in each row's frame
    hi: np.ndarray = None
    edges: tuple = ((-np.inf, np.inf), (-np.inf, np.inf))  # standardized supports, direct and mirrored
    inverse: np.ndarray = None  # (R,) g / s'
    log_norm: np.ndarray = None  # (R,) log weight - log s'
    bounded: bool = False
    any_mirrored: bool = False


class Plan:
    """The frames, pieces and breakpoints for integrating over a pair of densities (or a batch).

    Build it once from two densities (or from :class:`~gantheory.logdensity.Atom` batches with
    :meth:`from_atoms`), then call :meth:`integrate` with as many integrands as needed.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
        Already checked (:func:`gantheory.distributions.check_distribution`).
    """

    def __init__(self, p: object, q: object) -> None:
        self._build(logdensity.atoms(p), logdensity.atoms(q), share_frames=True)

    @classmethod
    def from_atoms(cls, p_atoms: Sequence[Atom], q_atoms: Sequence[Atom]) -> Plan:
        """A batch of B problems: every atom's ``loc``, ``scale`` and ``log_weight`` have shape (B,).

        Each problem is planned and integrated as it would be in any other batch, of any size, so
        that its value does not depend on the batch to the last bit (a sweep's rows are each
        member's own). A single pair given to ``Plan(p, q)`` may instead merge anchors a few
        widths apart into one frame, which needs fewer pieces and agrees to about 1 ulp.
        """
        plan = cls.__new__(cls)
        plan._build(tuple(p_atoms), tuple(q_atoms), share_frames=False)
        return plan

    @classmethod
    def shifted(cls, p: object, q: object, shifts: np.ndarray) -> Plan:
        """A batch (:meth:`from_atoms`): p against q moved by each shift d, :math:`q_d(x) = q(x - d)`.

        ``p`` and ``q`` already checked; ``shifts`` of shape (B,), finite.
        """
        shifts = np.asarray(shifts, dtype=np.float64).ravel()
        n = shifts.size

        def repeated(atom: Atom, move: np.ndarray | float = 0.0) -> Atom:
            return Atom(atom.family, atom.shapes, np.repeat(atom.loc, n) + move, np.repeat(atom.scale, n),
                        np.repeat(atom.log_weight, n), atom.label)

        return cls.from_atoms([repeated(a) for a in logdensity.atoms(p)],
                              [repeated(a, shifts) for a in logdensity.atoms(q)])

    # -- construction --

    def _build(self, p_atoms: tuple[Atom, ...], q_atoms: tuple[Atom, ...], *, share_frames: bool) -> None:
        self._built = time.monotonic()  # the first integral's budget includes the planning
        p_atoms, q_atoms = _merged(p_atoms), _merged(q_atoms)
        all_atoms = p_atoms + q_atoms
        B = all_atoms[0].loc.size
        self.n_problems = B
        self.labels = (" + ".join(a.label for a in p_atoms), " + ".join(a.label for a in q_atoms))
        facts = [logdensity._facts(a.family, a.shapes) for a in all_atoms]
        widths = np.stack([a.scale * f[4] for a, f in zip(all_atoms, facts)])  # (A, B)
        log_w = np.log(widths)
        h = np.exp(0.5 * (log_w.min(axis=0) + log_w.max(axis=0)))  # (B,)

        # Anchors: an atom's location, or its finite edges, kept as the exact pair (L, O) with
        # c = L + O (a beta at 5.368 of scale 1e-143 has two distinct edges that round to one
        # float). Each piece is integrated in the frame y = (x - L - O) / h.
        base, offsets, reach, pinned = [], [], [], []
        for a, (lo, hi, _, _, iqr, sing, _) in zip(all_atoms, facts):
            ends = [(0.0, False)] if np.isinf(lo) and np.isinf(hi) else \
                [(e, s) for e, s in ((lo, sing[0]), (hi, sing[1])) if np.isfinite(e)]
            for e, singular in ends:
                base.append(a.loc)
                offsets.append(a.scale * e)
                reach.append(a.scale * iqr)
                pinned.append(singular)
        L_all, O_all = np.stack(base, axis=1), np.stack(offsets, axis=1)  # (B, K)
        # Sorted by the exact value of L + O: its float, then the rounding error of that float
        # (Knuth's two-sum), so that 1 - 1e-17 comes before 1.
        total = L_all + O_all
        back = total - L_all
        with np.errstate(invalid="ignore"):
            rounding = (L_all - (total - back)) + (O_all - back)
        order = np.lexsort((np.nan_to_num(rounding), total), axis=-1)
        L_all, O_all = (np.take_along_axis(a, order, axis=1) for a in (L_all, O_all))
        if share_frames and B == 1:
            # Anchors a few widths apart share one frame: an atom evaluated 8 widths from its own
            # centre loses nothing (8 eps in u). A singular edge keeps a frame of its own, at 0.
            width = np.stack(reach, axis=1)[0, order[0]]
            edge = np.array(pinned)[order[0]]
            keep = [0]
            for k in range(1, L_all.shape[1]):
                j = keep[-1]
                gap = (L_all[0, k] - L_all[0, j]) + (O_all[0, k] - O_all[0, j])
                if edge[k] or edge[j] or not gap <= 8.0 * min(width[k], width[j]):
                    keep.append(k)
            L_all, O_all = L_all[:, keep], O_all[:, keep]
        K = L_all.shape[1]
        with np.errstate(invalid="ignore"):
            gaps = np.maximum((L_all[:, 1:] - L_all[:, :-1]) + (O_all[:, 1:] - O_all[:, :-1]), 0.0)
        half_left = np.concatenate([np.full((B, 1), np.inf), 0.5 * gaps], axis=1) / h[:, None]
        half_right = np.concatenate([0.5 * gaps, np.full((B, 1), np.inf)], axis=1) / h[:, None]
        R = B * K
        self.n_rows, self.n_pieces = R, K
        self.row_problem = np.repeat(np.arange(B), K)
        anchor_L, anchor_O = L_all.ravel(), O_all.ravel()
        hr = np.repeat(h, K)
        self.c, self.c_offset, self.h = anchor_L, anchor_O, hr
        piece_lo, piece_hi = -half_left.ravel(), half_right.ravel()

        def frame(loc: np.ndarray, scale: np.ndarray, z: np.ndarray) -> np.ndarray:
            """Frame positions of loc + scale z, grouped so that an anchor's own edge is exact."""
            with np.errstate(invalid="ignore", over="ignore"):
                return ((loc - anchor_L)[:, None] + (scale[:, None] * z - anchor_O[:, None])) / hr[:, None]

        # Each atom in each row's frame.
        slots = []
        support_lo, support_hi = [], []
        all_breaks, all_flags, all_floors, all_limited, all_thin = [], [], [], [], []
        bounded_any = False
        for index, (a, (lo, hi, z, edges, _, sing, _)) in enumerate(zip(all_atoms, facts)):
            loc = np.repeat(a.loc, K)
            scale = np.repeat(a.scale, K)
            s_prime = scale / hr
            m = logdensity.mirror(a.family, a.shapes)
            bounded = bool(edges.size)
            # One call for the edges, the origin (and the mirror's), the quantiles: all in frame.
            points = frame(loc, scale, np.concatenate([[lo, hi, 0.0, m[2] if m else 0.0], z, edges]))
            y_lo = points[:, 0] if np.isfinite(lo) else np.full(R, -np.inf)
            y_hi = points[:, 1] if np.isfinite(hi) else np.full(R, np.inf)
            offset = points[:, 2]
            # Seen from near an edge, a density is evaluated in the standardized coordinate in
            # which that edge is 0 when it can be: the mirror image's, near beta's right edge.
            mirrored = np.zeros(R, dtype=bool)
            if m is not None and bounded:
                with np.errstate(invalid="ignore"):
                    near_hi = ~(np.abs(y_hi) >= np.abs(y_lo))  # the upper edge is the nearer
                    e_near = np.where(near_hi, hi, lo)
                    mirrored = np.isfinite(e_near) & (np.abs(m[2] - e_near) < np.abs(e_near))
                if mirrored.any():
                    offset = np.where(mirrored, points[:, 3], offset)
            g = np.where(mirrored, -1.0, 1.0) if mirrored.any() else np.ones(R)
            families = ((a.family, a.shapes), (m[0], m[1]) if m is not None else (a.family, a.shapes))
            slot = _Slot(a, 0 if index < len(p_atoms) else 1, families, mirrored, offset, g,
                         s_prime, np.repeat(a.log_weight, K))
            slots.append(slot)
            mirror_edges = (m[2] - hi, m[2] - lo) if m is not None else (lo, hi)
            slot.lo, slot.hi, slot.edges = y_lo, y_hi, ((lo, hi), mirror_edges)
            support_lo.append(y_lo)
            support_hi.append(y_hi)
            # Breakpoints: quantiles and every finite edge; only edges where the log-density is
            # unbounded are singular (the tanh-sinh rule, and a verdict on the integral there).
            all_breaks.append(points[:, 4:])
            below, above = _power_tail_quantiles(a.family, a.shapes)
            all_thin.append(np.broadcast_to(np.concatenate([(z < below) | (z > above), np.zeros(edges.size, bool)]),
                                            (R, z.size + edges.size)))
            if bounded:
                bounded_any = True
                flags_e = np.broadcast_to(np.array([sing[0] if e == lo else sing[1] for e in edges]), (R, edges.size))
                all_flags.append(np.concatenate([np.zeros((R, z.size), bool), flags_e], axis=1))
                # How close to the edge the density can be evaluated: its standardized
                # coordinate resolves the edge to the float spacing there (1e-16 at an edge at
                # 1, 1e-300 scales, our clamp, at an edge at 0).
                used = np.where(mirrored[:, None], m[2] - edges if m is not None else edges, edges)
                spacing = np.spacing(np.abs(used))
                all_floors.append(np.concatenate(
                    [np.zeros((R, z.size)), 4.0 * np.maximum(spacing, _TINY) * s_prime[:, None]], axis=1))
                all_limited.append(np.concatenate([np.zeros((R, z.size), bool), spacing > _TINY], axis=1))
            else:
                all_flags.append(np.zeros((R, z.size), bool))
                all_floors.append(np.zeros((R, z.size)))
                all_limited.append(np.zeros((R, z.size), bool))
        self.slots = slots
        dom_lo = np.maximum(np.min(support_lo, axis=0), piece_lo)
        dom_hi = np.minimum(np.max(support_hi, axis=0), piece_hi)
        empty = ~(dom_lo < dom_hi)
        dom_hi = np.where(empty, dom_lo, dom_hi)
        breaks = np.concatenate(all_breaks + [dom_lo[:, None], dom_hi[:, None]], axis=1)
        flags = np.concatenate(all_flags + [np.zeros((R, 2), dtype=bool)], axis=1)
        thin = np.concatenate(all_thin + [np.zeros((R, 2), dtype=bool)], axis=1)
        floors = np.concatenate(all_floors + [np.zeros((R, 2))], axis=1)
        limited = np.concatenate(all_limited + [np.zeros((R, 2), dtype=bool)], axis=1)
        breaks = np.where(np.isnan(breaks), dom_lo[:, None], breaks)
        inside = (breaks >= dom_lo[:, None]) & (breaks <= dom_hi[:, None])
        flags &= inside
        breaks = np.clip(breaks, dom_lo[:, None], dom_hi[:, None])
        order = np.argsort(breaks, axis=1, kind="stable")
        rows_index = np.arange(R)[:, None]
        breaks = breaks[rows_index, order]
        thin = thin[rows_index, order]
        if bounded_any:
            flags, floors, limited = flags[rows_index, order], floors[rows_index, order], limited[rows_index, order]
            floors = np.where(flags, floors, 0.0)
            limited &= flags
        if flags.any():
            # Copies of one point share its flag, its floor (the largest) and its limitation.
            same = breaks[:, :, None] == breaks[:, None, :]
            flags = (same & flags[:, None, :]).any(axis=2)
            floors = np.where(same, floors[:, None, :], 0.0).max(axis=2)
            limited = (same & limited[:, None, :]).any(axis=2)
        self.breaks, self.singular, self.empty = breaks, flags, empty
        self.thin = thin & ~flags
        # How close to each singular breakpoint the quadrature goes (and the ladders look): as
        # close as floats tell the point from the edge and as every atom's standardized
        # coordinate can be evaluated there; the ladder's power-law fit adds what lies closer.
        with np.errstate(invalid="ignore"):
            floor = np.maximum(4.0 * np.spacing(np.abs(breaks)), floors)
        self.reach = np.where(flags & np.isfinite(breaks), floor, 0.0)
        self.limited = limited
        for slot in slots:
            with np.errstate(divide="ignore"):
                slot.inverse = slot.sign / slot.scale
            slot.log_norm = slot.log_weight - np.log(slot.scale)
            slot.bounded = bool(np.isfinite(slot.lo).any() or np.isfinite(slot.hi).any())
            slot.any_mirrored = bool(slot.mirrored.any())
        self.exact_ratio = None
        if (len(p_atoms) == 1 and len(q_atoms) == 1 and type(p_atoms[0].family) is _NORM
                and type(q_atoms[0].family) is _NORM):
            # log p - log q = log(s_q/s_p) + (u_q - u_p)(u_q + u_p)/2 with u = (y - o)/s: a
            # quadratic, evaluated as a product of two linear factors so that nothing cancels
            # (u_q - u_p is exactly (o_p - o_q)/s for equal scales).
            op, sp, oq, sq = slots[0].offset, slots[0].scale, slots[1].offset, slots[1].scale
            with np.errstate(all="ignore"):
                c1 = (sp - sq) / (sp * sq)
                c0 = np.where(sp == sq, (op - oq) / sp, op / sp - oq / sq)
                d1 = 1.0 / sq + 1.0 / sp
                d0 = -(oq / sq + op / sp)
            self.exact_ratio = (np.log(sq) - np.log(sp), c1, c0, d1, d0)
        self.n_density_slots = (len(p_atoms), len(q_atoms))

    # -- evaluation --

    def logs(self, y: np.ndarray, rows: np.ndarray, *, with_x: bool = True):
        """``(log p, log q, log p - log q, x)`` at frame abscissae ``y`` (n, m) of rows (n,).

        The log-densities are those of the frame, :math:`\\log(h\\,p(x))`; ``x = c + h y``
        in the caller's coordinates (None unless ``with_x``).
        """
        started = time.perf_counter()
        parts: tuple[list, list] = ([], [])
        for slot in self.slots:
            with np.errstate(all="ignore"):
                u = (y - slot.offset[rows, None]) * slot.inverse[rows, None]
            if slot.bounded:
                mir = slot.mirrored[rows]
                u = self._inside(u, y, slot, rows, mir)
            else:
                mir = slot.mirrored[rows] if slot.any_mirrored else None
            if mir is not None and mir.any():
                val = np.empty_like(u)
                (f0, s0), (f1, s1) = slot.families
                if not mir.all():
                    val[~mir] = logdensity.standard_logpdf(f0, u[~mir], s0)
                val[mir] = logdensity.standard_logpdf(f1, u[mir], s1)
            else:
                f0, s0 = slot.families[0]
                val = logdensity.standard_logpdf(f0, u, s0)
            parts[slot.density].append(val + slot.log_norm[rows, None])
        log_p, log_q = (part[0] if len(part) == 1 else reduce(np.logaddexp, part) for part in parts)
        if self.exact_ratio is not None:
            a, c1, c0, d1, d0 = (coef[rows, None] for coef in self.exact_ratio)
            with np.errstate(all="ignore"):
                s = a + 0.5 * (c1 * y + c0) * (d1 * y + d0)
            s = np.where(np.isnan(s), 0.0, s)
        else:
            with np.errstate(invalid="ignore"):
                s = log_p - log_q
            s = np.where(np.isnan(s), 0.0, s)  # both densities 0 (both -inf): the convention s = 0
        if with_x:
            with np.errstate(over="ignore"):  # far out in a tail x overflows to +-inf, rightly
                x = self.c[rows, None] + (self.c_offset[rows, None] + self.h[rows, None] * y)
        else:
            x = None
        self.seconds_in_densities += time.perf_counter() - started
        return log_p, log_q, s, x

    @staticmethod
    def _inside(u: np.ndarray, y: np.ndarray, slot: _Slot, rows: np.ndarray, mir: np.ndarray) -> np.ndarray:
        """Decide the support in the frame (where y is exact) and keep u strictly inside it there.

        A node just inside an edge can round onto the edge in standardized units (u = y / s' with
        y = 5e-324), where a log-density is +-inf; one just outside can round onto it from the
        other side. Outside becomes NaN (then -inf), inside is clamped one float inwards.
        """
        inside = (y > slot.lo[rows, None]) & (y < slot.hi[rows, None])
        (a0, b0), (a1, b1) = slot.edges
        a = np.where(mir, a1, a0)[:, None]
        b = np.where(mir, b1, b0)[:, None]
        # One float inwards, and never closer than 1e-300 to an edge at 0: in subnormal numbers
        # scipy's formulas lose their digits (lognorm's log(s x) underflows to log 0 = -inf).
        with np.errstate(invalid="ignore"):
            step_a = np.where(np.isfinite(a), np.maximum(np.spacing(np.abs(a)), _TINY), 0.0)
            step_b = np.where(np.isfinite(b), np.maximum(np.spacing(np.abs(b)), _TINY), 0.0)
        clamped = np.clip(u, a + step_a, b - step_b)
        return np.where(inside, clamped, np.nan)

    def distribution_difference(self, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """:math:`F_P(x) - F_Q(x)` at frame abscissae ``y`` (n, m) of rows (n,), with the tails' digits.

        Each atom's distribution function is evaluated in its standardized coordinate (exact at
        far locations): below its median as :math:`F`, above as the survival function :math:`S`,
        so that the small one of the two is always exact relatively and the other to 1e-16. The
        difference is then taken between the smaller pair: :math:`F_P - F_Q` where the CDFs are
        the smaller, :math:`S_Q - S_P` where the survival functions are.
        """
        started = time.perf_counter()
        cdf = [np.zeros(y.shape), np.zeros(y.shape)]
        sf = [np.zeros(y.shape), np.zeros(y.shape)]
        for slot in self.slots:
            with np.errstate(all="ignore"):
                u = (y - slot.offset[rows, None]) * slot.inverse[rows, None]
            mir = slot.mirrored[rows] if slot.any_mirrored else None
            if mir is None or not mir.any():
                family, shapes = slot.families[0]
                lower, upper = _standard_cdf_sf(family, u, shapes)
            else:
                lower, upper = np.zeros(y.shape), np.zeros(y.shape)
                for mirrored, (family, shapes) in zip((False, True), slot.families):
                    sel = mir == mirrored
                    if sel.any():
                        below, above = _standard_cdf_sf(family, u[sel], shapes)
                        # The mirror image's lower tail is the atom's upper one.
                        lower[sel], upper[sel] = (above, below) if mirrored else (below, above)
            weight = np.exp(slot.log_weight[rows, None])
            cdf[slot.density] += weight * lower
            sf[slot.density] += weight * upper
        left = cdf[0] + cdf[1] <= sf[0] + sf[1]
        self.seconds_in_densities += time.perf_counter() - started
        return np.where(left, cdf[0] - cdf[1], sf[1] - sf[0])

    def _inputs(self, integrand: PairIntegrand, y: np.ndarray, rows: np.ndarray) -> tuple:
        """The arguments of ``integrand.value`` at frame abscissae ``y`` (n, m) of rows (n,)."""
        if integrand.inputs == "distributions":
            x = self._x(y, rows) if integrand.uses_x else None
            return self.distribution_difference(y, rows), None, None, x
        return self.logs(y, rows, with_x=integrand.uses_x)

    def _x(self, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # far out in a tail x overflows to +-inf, rightly
            return self.c[rows, None] + (self.c_offset[rows, None] + self.h[rows, None] * y)

    def crossings(self, integrand: PairIntegrand, rows: np.ndarray | None = None) -> np.ndarray:
        """Frame abscissae (len(rows), K), NaN-padded, where the integrand's sign function changes sign.

        The sign function is :math:`\\log p - \\log q` (or :math:`F_P - F_Q` for
        ``inputs="distributions"``). It is probed at every finite breakpoint of each row and at
        :data:`_PROBES` points inside each interval between them; each sign change between
        neighbouring probes (where it is finite and non-zero) is narrowed by :data:`_ZOOMS`
        rounds that each evaluate 31 points inside the bracket, to :math:`32^{-4} \\approx 10^{-6}`
        of the probe spacing, and a last secant step puts it within about the square of that
        (the sign function is smooth there): a kink that close to a breakpoint costs the
        quadrature nothing it can see, and the W1 critic's knots are exact to ~1e-14. Crossings beyond the outermost breakpoints (the 1e-30 quantiles) are not
        sought: a kink there weighs less than the tolerance.
        """
        rows = np.arange(self.n_rows) if rows is None else np.asarray(rows)

        def sign_function(y: np.ndarray, r: np.ndarray) -> np.ndarray:
            if integrand.inputs == "distributions":
                return self.distribution_difference(y, r)
            return self.logs(y, r, with_x=False)[2]

        breaks = self.breaks[rows]
        with np.errstate(invalid="ignore"):
            a, b = breaks[:, :-1], breaks[:, 1:]
            usable = np.isfinite(a) & np.isfinite(b) & (b > a)
            k = np.arange(_PROBES + 1) / (_PROBES + 1)
            grid = np.where(usable[:, :, None], a[:, :, None] + (b - a)[:, :, None] * k, np.nan)
        grid = grid.reshape(rows.size, -1)
        grid = np.concatenate([grid, np.where(np.isfinite(breaks[:, -1:]), breaks[:, -1:], np.nan)], axis=1)
        grid = np.sort(grid, axis=1)  # NaN last
        values = np.full(grid.shape, np.nan)
        ok = ~np.isnan(grid)
        if ok.any():
            filled = np.where(ok, grid, 0.0)
            with np.errstate(all="ignore"):
                values = np.where(ok, sign_function(filled, rows), np.nan)
        # Sign changes between consecutive probes of a row where the function is finite and
        # non-zero (an exact zero between them, as at the centre of two symmetric laws, is inside).
        r_all, j_all = np.nonzero(np.isfinite(values) & (values != 0))
        change = (r_all[1:] == r_all[:-1]) & (np.sign(values[r_all[1:], j_all[1:]]) != np.sign(values[r_all[:-1], j_all[:-1]]))
        r, j, k = r_all[:-1][change], j_all[:-1][change], j_all[1:][change]
        lo, hi = grid[r, j], grid[r, k]
        f_lo, f_hi = values[r, j], values[r, k]
        m = 31
        steps = np.arange(1, m + 1) / (m + 1.0)
        for _ in range(_ZOOMS if r.size else 0):
            pts = lo[:, None] + (hi - lo)[:, None] * steps  # (n, m)
            with np.errstate(all="ignore"):
                vals = sign_function(pts, rows[r])
            flips = np.sign(vals) != np.sign(f_lo)[:, None]
            first = np.where(flips.any(axis=1), np.argmax(flips, axis=1), m)
            n = np.arange(r.size)
            left = np.where(first > 0, pts[n, np.maximum(first - 1, 0)], lo)
            right = np.where(first < m, pts[n, np.minimum(first, m - 1)], hi)
            f_hi = np.where(first < m, vals[n, np.minimum(first, m - 1)], f_hi)
            f_lo = np.where(first > 0, vals[n, np.maximum(first - 1, 0)], f_lo)
            lo, hi = left, right
        # A last secant step inside the bracket (the sign function is smooth there).
        with np.errstate(all="ignore"):
            where = lo - f_lo * (hi - lo) / (f_hi - f_lo)
        where = np.where((where >= lo) & (where <= hi), where, 0.5 * (lo + hi))
        count = np.bincount(r, minlength=rows.size)
        out = np.full((rows.size, max(int(count.max(initial=0)), 1)), np.nan)
        slot = np.arange(r.size) - np.repeat(np.cumsum(count) - count, count)
        out[r, slot] = where
        return out

    @staticmethod
    def _thinned(breaks: np.ndarray, thin: np.ndarray, algebraic: np.ndarray) -> np.ndarray:
        """Breakpoints without a power-tailed atom's far quantiles (beyond its 1e-4 quantile) at
        ends integrated by the exp-sinh rule, where they would only cut one smooth power law into
        pieces a factor 20 apart, each poorly resolved by Gauss-Kronrod; the exp-sinh rule covers
        the whole tail from the outermost other breakpoint. They become copies of that point
        (empty intervals)."""
        with np.errstate(invalid="ignore"):
            kept = np.where(np.isfinite(breaks) & ~thin, breaks, np.nan)
        has = ~np.isnan(kept).all(axis=1, keepdims=True)  # a row of far quantiles only stays as it is
        kept = np.where(has, kept, 0.0)
        lo, hi = np.nanmin(kept, axis=1), np.nanmax(kept, axis=1)
        drop_lo = has & thin & algebraic[:, :1] & (breaks < lo[:, None])
        drop_hi = has & thin & algebraic[:, 1:] & (breaks > hi[:, None])
        return np.where(drop_lo, lo[:, None], np.where(drop_hi, hi[:, None], breaks))

    def _split_at_crossings(self, integrand: PairIntegrand, idx: np.ndarray, breaks: np.ndarray,
                            singular: np.ndarray, reach: np.ndarray) -> tuple[np.ndarray, ...]:
        """The rows' breakpoints with the integrand's crossings added (plain, not singular)."""
        found = self.crossings(integrand, idx)
        if np.isnan(found).all():
            return breaks, singular, reach
        # Pad with a copy of a plain breakpoint of the row (an empty interval).
        plain = np.isfinite(breaks) & ~singular
        pad = breaks[np.arange(idx.size), np.argmax(plain, axis=1)]
        extra = np.where(np.isnan(found), pad[:, None], found)
        merged = np.concatenate([breaks, extra], axis=1)
        order = np.argsort(merged, axis=1, kind="stable")
        take = lambda a: np.take_along_axis(a, order, axis=1)  # noqa: E731
        return (take(merged), take(np.concatenate([singular, np.zeros(extra.shape, dtype=bool)], axis=1)),
                take(np.concatenate([reach, np.zeros(extra.shape)], axis=1)))

    seconds_in_densities = 0.0

    # -- the integral --

    def integrate(self, integrand: PairIntegrand, *, budget: Budget | None = None, atol: float = 1e-14,
                  rtol: float = 1e-13) -> np.ndarray:
        """The integral of ``integrand`` for every problem of the plan, shape (B,)."""
        budget = DEFAULT_BUDGET if budget is None else budget
        started = self._built if self._built is not None else time.monotonic()
        self._built = None
        self.seconds_in_densities = 0.0
        self._check_cost(budget, integrand.bounded)

        def pointwise(y: np.ndarray, rows: np.ndarray):
            args = self._inputs(integrand, y, rows)
            values = integrand.value(*args)
            if integrand.noise is None:
                return values
            return values, integrand.noise(*args)

        cdf = integrand.inputs == "distributions"
        ends = self._ends(integrand, atol / self.h if cdf else atol)
        deadline = started + budget.seconds * self.n_problems
        if time.monotonic() > deadline:
            raise self._budget_error(integrand, budget, BudgetExceeded(
                "", evaluations=0, seconds=0.0), started)
        value = np.zeros(self.n_problems)
        decided = np.zeros(self.n_problems, dtype=bool)
        for problem, verdict, remainder in ends.divergent:
            if not decided[problem]:
                value[problem] = verdict
                decided[problem] = True
        rows = ~decided[self.row_problem] & ~self.empty
        if rows.any():
            idx = np.flatnonzero(rows)
            breaks, singular, reach = self.breaks[idx], self.singular[idx], self.reach[idx]
            if ends.algebraic[idx].any():
                breaks = self._thinned(breaks, self.thin[idx], ends.algebraic[idx])
            if integrand.kinks:
                breaks, singular, reach = self._split_at_crossings(integrand, idx, breaks, singular, reach)
            try:
                v, _ = integrate(
                    lambda y, owner: pointwise(y, idx[owner]), breaks, atol=ends.tolerance[idx], rtol=rtol,
                    singular=singular, reach=reach, algebraic=ends.algebraic[idx],
                    max_evaluations=budget.evaluations * self.n_problems, deadline=deadline)
            except BudgetExceeded as error:
                raise self._budget_error(integrand, budget, error, started) from None
            np.add.at(value, self.row_problem[idx], v)
        value += np.where(decided, 0.0, ends.remainder)
        if cdf:  # distribution functions are frame-invariant: dx = h dy
            width = np.ones(self.n_problems)
            width[self.row_problem] = self.h
            value = value * width
        for problem, noise, message in ends.lossy:
            # Say so where the digits lost are a hundred times the quadrature's own error.
            if noise > 100.0 * max(atol, rtol * abs(value[problem])):
                warnings.warn(message, AccuracyWarning, stacklevel=3)
        return value

    def _check_cost(self, budget: Budget, bounded: bool) -> None:
        """Refuse at once when the densities' cost per point makes the budget certain to run out."""
        self.costs = [_cost_per_point(slot.atom) for slot in self.slots]
        # Each interval's first 21 nodes and the ladders at two tails: a floor, not a forecast
        # (an ordinary divergence needs one to two times this).
        with np.errstate(invalid="ignore"):  # inf - inf between padded infinite ends
            intervals = np.count_nonzero(np.diff(self.breaks, axis=1) > 0)
        points = 21 * intervals + (0 if bounded else 2 * 330 * self.n_problems)
        expected = sum(self.costs) * points
        if expected > budget.seconds * self.n_problems:
            slowest = int(np.argmax(self.costs))
            raise BudgetExceeded(
                f"this integral would need about {points} evaluations of each density, about "
                f"{expected:.3g} s, more than its budget of {budget.seconds:g} s: "
                f"{_slow_density(self.slots[slowest].atom, self.costs[slowest])}. {_RAISE_BUDGET}",
                evaluations=0, seconds=0.0)

    def _budget_error(self, integrand: PairIntegrand, budget: Budget, error: BudgetExceeded,
                      started: float) -> BudgetExceeded:
        slowest = int(np.argmax(self.costs))
        what = f"{integrand.name}({self.labels[0]} || {self.labels[1]})"
        seconds = time.monotonic() - started
        return BudgetExceeded(
            f"{what} stopped after {seconds:.1f} s and {error.evaluations} evaluations, at its budget of "
            f"{budget.seconds:g} s and {budget.evaluations} evaluations: the slowest density is "
            f"{_slow_density(self.slots[slowest].atom, self.costs[slowest])}. {_RAISE_BUDGET}",
            evaluations=error.evaluations, seconds=seconds)

    # -- the ends: infinite tails and singular edges --

    def _ends(self, integrand: PairIntegrand, atol: float) -> _Ends:
        """Tail and edge verdicts for every row; divergent ends decide their problem at once.

        Also the tolerance of each row: ``atol``, unless a singular edge in it can only be
        resolved to the float spacing of a standardized coordinate that is not 0 there (the
        semicircle's edge at 1): then the rounding of the nodes makes the integrand noisy near
        the edge, the noise is estimated from the ladder, the row's tolerance raised to it and
        an :class:`AccuracyWarning` says so.
        """
        R = self.n_rows
        cdf = integrand.inputs == "distributions"
        algebraic = self._density_tails() if integrand.bounded or cdf else np.zeros((R, 2), dtype=bool)
        remainder = np.zeros(self.n_problems)
        tolerance = np.broadcast_to(np.asarray(atol, dtype=np.float64), (R,)).copy()
        divergent: list[tuple[int, float, float]] = []
        # |f| <= C (p + q) needs no verdict at the tails, only at edges where digits are lost.
        if integrand.bounded and not self.limited.any():
            return _Ends(algebraic, remainder, divergent, tolerance, [])
        if cdf:
            # |F_P - F_Q| <= 1 needs no verdict at an edge, nor at a tail where every density
            # decays exponentially or faster (so does |F_P - F_Q|), or like a power steeper than
            # r^-3 (|F_P - F_Q| then decays faster than r^-2: what lies beyond the quadrature's
            # reach of 1e300 widths is below 1e-300). Other power tails get a verdict.
            (rank, param) = self._tail_classes()
            steep = ((rank != _POWER) | (param < -3.0)).all(axis=0)
            ladders = self._ladders(tails=True, edges=False, safe=steep)
        else:
            safe = self._safe_tails(integrand)
            if not integrand.bounded:
                algebraic |= safe & self._density_tails()
            ladders = self._ladders(tails=not integrand.bounded, only_limited=integrand.bounded, safe=safe)
        if not ladders:
            return _Ends(algebraic, remainder, divergent, tolerance, [])
        y = np.stack([lad.y for lad in ladders])
        rows = np.array([lad.row for lad in ladders])
        args = self._inputs(integrand, y, rows)
        with np.errstate(all="ignore"):
            mag = integrand.magnitude(*args)
            sign = np.sign(np.asarray(integrand.value(*args), dtype=np.float64))
        if not cdf:
            # Beyond the point where a log-density leaves the floats inside its support (a
            # Gaussian's -x^2/2 below -1.8e308), log|f| means nothing: the ladder stops there.
            log_p, log_q = args[:2]
            lost = np.zeros(y.shape, dtype=bool)
            for which, logs in ((0, log_p), (1, log_q)):
                inside = np.zeros(y.shape, dtype=bool)
                for slot in self.slots:
                    if slot.density == which:
                        inside |= (y > slot.lo[rows, None]) & (y < slot.hi[rows, None])
                lost |= inside & ~np.isfinite(logs)
            lost = np.logical_or.accumulate(lost, axis=1)
            mag = np.where(lost, np.nan, mag)
        log_f_all = mag + np.stack([lad.jacobian for lad in ladders])
        lossy: list[tuple[int, str]] = []
        power_tails = self._density_tails()
        quick = _obviously_convergent(np.stack([lad.log_r for lad in ladders]), log_f_all,
                                      np.array([lad.reach for lad in ladders]))
        for i, lad in enumerate(ladders):
            problem = int(self.row_problem[lad.row])
            if lad.limited:
                # Nodes at distance d from the edge are off by the resolution e: the integrand's
                # relative noise there is about e / d, so the integral's is e * sum |f| dlog(d).
                with np.errstate(all="ignore"):
                    step = abs(lad.log_r[1] - lad.log_r[0])
                    finite = np.isfinite(mag[i]) & np.isfinite(lad.log_r)  # not the padding
                    noise = lad.resolution / 4.0 * np.sum(np.exp(mag[i][finite])) * step
                if 10.0 * noise > tolerance[lad.row]:
                    tolerance[lad.row] = 10.0 * noise
                if noise > 0.0:
                    lossy.append((problem, noise, (
                        f"{integrand.name}: a support edge at x = {self.c[lad.row] + self.c_offset[lad.row]!r} "
                        f"is resolved by floating point only to {lad.resolution / 4.0:.1e} (a density "
                        "there is written by scipy in a coordinate in which that edge is not 0); "
                        f"the integral is accurate to about {noise:.1e} there, not 1e-14.")))
            if quick[i]:
                # Decays fast, or like a steep power whose remainder is below 1e-40: the latter,
                # where a density has a power tail, is integrated by the exp-sinh rule.
                if lad.tail is not None:
                    algebraic[lad.row, lad.tail] |= power_tails[lad.row, lad.tail]
                continue
            verdict = tail_verdict(lad.log_r, log_f_all[i], sign[i], reach=lad.reach)
            if lad.tail is not None:
                algebraic[lad.row, lad.tail] = verdict.algebraic and verdict.converges is not False
            if verdict.converges is False and not integrand.bounded:
                divergent.append((problem, verdict.sign * np.inf, 0.0))
            elif verdict.converges is None and not integrand.bounded:
                warnings.warn(
                    f"{integrand.name}: cannot decide whether the integral converges at "
                    f"{'its tail' if lad.tail is not None else 'a support edge'} (the integrand "
                    f"behaves like r^{verdict.alpha:.4f} (log r)^{verdict.beta:.2f}); the value "
                    "returned treats it as convergent.", AccuracyWarning, stacklevel=4)
            if verdict.converges is not False and verdict.algebraic:
                remainder[problem] += verdict.remainder
        decided = {problem for problem, *_ in divergent}
        lossy = [entry for entry in lossy if entry[0] not in decided]  # inf loses no digits
        return _Ends(algebraic, remainder, divergent, tolerance, lossy)

    def _tail_classes(self) -> np.ndarray:
        """(2, R, 2) classes (see :func:`_tail_class`): for p and q, each row's lower and upper
        end, the heaviest of the atoms that reach it; made once per plan."""
        if getattr(self, "_classes", None) is not None:
            return self._classes
        rank = np.zeros((2, self.n_rows, 2))
        param = np.full((2, self.n_rows, 2), -np.inf)
        for slot in self.slots:
            lo_inf, hi_inf = np.isinf(slot.lo), np.isinf(slot.hi)
            # Which standardized side the row's lower (upper) end is: it flips with g (the mirror).
            forms = ((False, 1.0, slot.families[0]), (True, -1.0, slot.families[1])) if slot.any_mirrored else \
                ((False, 1.0, slot.families[0]),)
            for tail, reaches in ((0, lo_inf), (1, hi_inf)):
                if not reaches.any():
                    continue
                for mirrored, g, (fam, shapes) in forms:
                    sel = reaches & (slot.mirrored == mirrored) if slot.any_mirrored else reaches
                    if slot.any_mirrored and not sel.any():
                        continue
                    r, a = _tail_class(fam, shapes, tail if g > 0 else 1 - tail)
                    d = slot.density
                    heavier = (r > rank[d, sel, tail]) | ((r == rank[d, sel, tail]) & (a > param[d, sel, tail]))
                    idx = np.flatnonzero(sel)[heavier]
                    rank[d, idx, tail], param[d, idx, tail] = r, a
        self._classes = np.stack([rank, param])  # (2: rank/param, 2: p/q, R, 2)
        return self._classes

    def _density_tails(self) -> np.ndarray:
        """(R, 2): whether some atom reaching a row's lower / upper infinite end has a power tail."""
        rank = self._tail_classes()[0]
        return (rank == _POWER).any(axis=0)

    def _safe_tails(self, integrand: PairIntegrand) -> np.ndarray:
        """(R, 2): tails whose convergence (with nothing to add beyond 1e300) follows from the
        densities' tail classes, for integrands bounded by ``C p (1 + |log p - log q|)`` (KL):
        p decaying exponentially or faster against a q no faster than exponential, or p a power
        steeper than r^-3 against a power."""
        if integrand.weight != "p":
            return np.zeros((self.n_rows, 2), dtype=bool)
        (p_rank, q_rank), (p_param, _) = self._tail_classes()
        fast_p = (p_rank == _EXP) | (p_rank == _SUPER)
        tame_q = (q_rank == _EXP) | (q_rank == _POWER)
        steep_p = (p_rank == _POWER) & (p_param < -3.0) & (q_rank == _POWER)
        return (p_rank == _NONE) | (fast_p & tame_q) | steep_p

    def _ladders(self, *, tails: bool = True, only_limited: bool = False,
                 safe: np.ndarray | None = None, edges: bool = True) -> list[_Ladder]:
        """Geometric ladders towards every infinite end (``tails``, except those ``safe``) and
        every singular edge (or only those that floats resolve coarsely), padded to one length;
        made once per plan and choice."""
        safe = np.zeros((self.n_rows, 2), dtype=bool) if safe is None else safe
        cache = self.__dict__.setdefault("_ladder_cache", {})
        key = (tails, only_limited, safe.tobytes(), edges)
        if key not in cache:
            cache[key] = self._make_ladders(tails=tails, only_limited=only_limited, safe=safe, edges=edges)
        return cache[key]

    def _make_ladders(self, *, tails: bool, only_limited: bool, safe: np.ndarray, edges: bool) -> list[_Ladder]:
        out: list[_Ladder] = []
        for row in np.flatnonzero(~self.empty):
            b = self.breaks[row]
            finite = b[np.isfinite(b)]
            if finite.size == 0:
                continue
            for tail, end in enumerate((b[0], b[-1])):
                if np.isfinite(end) or not tails or safe[row, tail]:
                    continue
                last = finite[0] if tail == 0 else finite[-1]
                width = _first_width(finite if tail == 0 else finite[::-1])
                direction = -1.0 if tail == 0 else 1.0
                steps = _geometric(width, TAIL_REACH)
                y = last + direction * steps
                log_r = np.log(steps)
                reach = float(np.log(TAIL_REACH))
                out.append(_Ladder(row, y, log_r, np.zeros_like(log_r), tail, reach, False, 0.0))
            flagged = np.flatnonzero(self.singular[row]) if edges else np.zeros(0, dtype=int)
            for edge, first in zip(*np.unique(b[flagged], return_index=True)):
                floor = float(self.reach[row, flagged[first]])
                edge_limited = bool(self.limited[row, flagged[first]]) or 4.0 * np.spacing(abs(edge)) > 1e-290
                if only_limited and not edge_limited:
                    continue
                if not np.isfinite(edge):
                    continue
                for direction in (-1.0, 1.0):
                    with np.errstate(invalid="ignore"):
                        side = (b - edge) * direction > 0
                    if not side.any():
                        continue
                    gaps = np.abs(b[np.isfinite(b) & (b != edge)] - edge)
                    near = np.abs(b[side & np.isfinite(b)] - edge)
                    width = float(near.min() if near.size else gaps.min() if gaps.size else 1.0)
                    # As close as the quadrature goes (the same floor), and no closer.
                    resolution = max(EDGE_REACH * width, floor)
                    if resolution >= 0.5 * width:
                        continue
                    steps = _geometric(width, resolution, at_least=16)[1:]
                    y = edge + direction * steps
                    # r = 1 / delta: the integral over delta is one over r of f / r^2.
                    log_r = -np.log(steps)
                    reach = float(-np.log(resolution))
                    # Digits are lost where float spacing, not the scales, keeps nodes away.
                    limited = edge_limited and floor > 1e3 * EDGE_REACH * width
                    if only_limited and not limited:
                        continue
                    out.append(_Ladder(row, y, log_r, 2.0 * np.log(steps), None, reach, limited, resolution))
        # Pad to one length so that all ladders are evaluated in one call.
        if out:
            n = max(lad.y.size for lad in out)
            out = [lad.padded(n) for lad in out]
        return out


def _merged(atoms: tuple[Atom, ...]) -> tuple[Atom, ...]:
    """Identical atoms (one family, shapes, location and scale in every problem) as one, with
    their weights added: a mixture of a thousand copies of N(0, 1) is N(0, 1)."""
    out: list[Atom] = []
    for a in atoms:
        for i, b in enumerate(out):
            if (type(a.family) is type(b.family) and a.shapes == b.shapes and np.array_equal(a.loc, b.loc)
                    and np.array_equal(a.scale, b.scale) and logdensity._cacheable(a.family)):
                out[i] = Atom(b.family, b.shapes, b.loc, b.scale, np.logaddexp(b.log_weight, a.log_weight),
                              b.label if " + " in b.label or b.label == a.label else f"{b.label} + {a.label}")
                break
        else:
            out.append(a)
    return tuple(out)


@dataclass
class _Ends:
    algebraic: np.ndarray
    remainder: np.ndarray
    divergent: list
    tolerance: np.ndarray  # (R,) absolute tolerance of each row
    lossy: list  # (problem, noise, message) where floats resolve an edge only coarsely


@dataclass
class _Ladder:
    row: int
    y: np.ndarray
    log_r: np.ndarray
    jacobian: np.ndarray  # added to log|f| (2 log delta at an edge)
    tail: int | None  # 0 lower, 1 upper tail; None for an edge
    reach: float
    limited: bool  # an edge that floats resolve only coarsely (digits are lost there)
    resolution: float

    def padded(self, n: int) -> _Ladder:
        extra = n - self.y.size
        if extra == 0:
            return self
        pad = lambda a, v: np.concatenate([a, np.full(extra, v)])  # noqa: E731
        return _Ladder(self.row, pad(self.y, self.y[-1]), pad(self.log_r, np.nan), pad(self.jacobian, 0.0),
                       self.tail, self.reach, self.limited, self.resolution)


def _geometric(start: float, stop: float, *, at_least: int = 0) -> np.ndarray:
    """start * 1024^k for k = 0, 1, ... (or 1024^-k when stop < start) up to stop, inclusive;
    with a smaller ratio where that would give fewer than ``at_least`` points."""
    span = abs(np.log(stop) - np.log(start))
    step = min(np.log(_LADDER_RATIO), span / at_least) if at_least else np.log(_LADDER_RATIO)
    n = int(np.floor(span / step * (1 + 1e-12))) + 1 if step > 0 else 1
    direction = 1.0 if stop >= start else -1.0
    return np.exp(np.log(start) + direction * step * np.arange(max(n, 0)))


def _first_width(finite: np.ndarray) -> float:
    gaps = np.abs(np.diff(finite))
    gaps = gaps[gaps > 0]
    return float(gaps[0]) if gaps.size else max(1.0, abs(float(finite[0])))


def _pad(a: np.ndarray, n: int, fill: object = np.nan) -> np.ndarray:
    return np.concatenate([a, np.full(n - a.size, fill, dtype=a.dtype)])


_TAIL_CLASSES: dict[tuple, tuple] = {}
_NONE, _SUPER, _EXP, _POWER = 0, 1, 2, 3


def _tail_class(family: stats.rv_continuous, shapes: tuple[float, ...], side: int) -> tuple[int, float]:
    """How the standardized density decays on its lower (0) or upper (1) side, heaviest largest.

    ``(3, alpha)`` for a power law :math:`u^\\alpha`; ``(2, -k)`` for :math:`e^{-c u^k}` (the
    exponential, k = 1, and the Gaussian, k = 2); ``(1, 0)`` for anything faster (a double
    exponential) or too fast to tell; ``(0, 0)`` where the support ends. Cached per family.
    """
    key = (type(family), shapes, side)
    if key in _TAIL_CLASSES:
        return _TAIL_CLASSES[key]
    a, b = logdensity.support(family, shapes)
    edge = b if side else a
    if np.isfinite(edge):
        out: tuple[int, float] = (_NONE, 0.0)
    else:
        start = max(1.0, abs(b if not side else a) if np.isfinite(b if not side else a) else 1.0)
        steps = _geometric(start, TAIL_REACH)
        u = steps if side else -steps
        log_f = logdensity.standard_logpdf(family, u, shapes)
        verdict = tail_verdict(np.log(steps), log_f, np.ones_like(steps))
        if verdict.algebraic:
            out = (_POWER, float(verdict.alpha))
        else:
            # e^{-c u^k}: log(-log f) grows like k log u, at a constant slope k.
            finite = np.isfinite(log_f) & (log_f < -1.0)
            out = (_SUPER, 0.0)
            if finite.sum() >= 5:
                slope = np.diff(np.log(-log_f[finite])[-4:]) / np.diff(np.log(steps[finite])[-4:])
                if np.all(np.abs(slope - slope[-1]) < 0.05 * (1 + abs(slope[-1]))) and 0 < slope[-1] < 20:
                    out = (_EXP, -float(slope[-1]))
    if logdensity._cacheable(family):
        _TAIL_CLASSES[key] = out
    return out


_MEDIANS: dict[tuple, float] = {}
_THIN: dict[tuple, tuple[float, float]] = {}


def _power_tail_quantiles(family: stats.rv_continuous, shapes: tuple[float, ...]) -> tuple[float, float]:
    """The standardized 1e-4 and 1 - 1e-4 quantiles on the sides where the family decays like a
    power (``-inf`` and ``inf`` elsewhere): beyond them its quantile breakpoints are thinned."""
    key = (type(family), shapes)
    if key in _THIN:
        return _THIN[key]
    lower = float(family.ppf(1e-4, *shapes)) if _tail_class(family, shapes, 0)[0] == _POWER else -np.inf
    upper = float(family.isf(1e-4, *shapes)) if _tail_class(family, shapes, 1)[0] == _POWER else np.inf
    out = (lower if np.isfinite(lower) else -np.inf, upper if np.isfinite(upper) else np.inf)
    if logdensity._cacheable(family):
        _THIN[key] = out
    return out


def _standard_cdf_sf(family: stats.rv_continuous, u: np.ndarray, shapes: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The standardized distribution and survival functions at ``u``: each one evaluated by scipy
    where it is the smaller (below and above the median), the other as its complement."""
    key = (type(family), shapes)
    median = _MEDIANS.get(key)
    if median is None:
        median = float(family.ppf(0.5, *shapes))
        if logdensity._cacheable(family):
            _MEDIANS[key] = median
    a, b = logdensity.support(family, shapes)
    left = u <= median
    lower, upper = np.empty(u.shape), np.empty(u.shape)
    with np.errstate(all="ignore"):
        lower[left] = family._cdf(u[left], *shapes)
        upper[~left] = family._sf(u[~left], *shapes)
    upper[left] = 1.0 - lower[left]
    lower[~left] = 1.0 - upper[~left]
    if np.isfinite(a) or np.isfinite(b) or not np.isfinite(u).all():
        # Outside the support (u = +-inf where it overflowed) scipy's formulas are not asked.
        below, above = ~(u > a), ~(u < b)
        lower = np.where(below, 0.0, np.where(above, 1.0, lower))
        upper = np.where(below, 1.0, np.where(above, 0.0, upper))
    return lower, upper


# --- cost of a density -------------------------------------------------------------------------------

_RAISE_BUDGET = ("To allow more, integrate with gantheory.integrals.Plan(p, q).integrate(integrand, "
                 "budget=gantheory.integrals.Budget(seconds=...)); the integrands of the divergences "
                 "are gantheory.divergences.KL, JS_DEFICIT and CRITERION, of an f-divergence "
                 "gantheory.fdivergences.pair_integrand(gantheory.fdivergences.fdivergence(name)), "
                 "of W1 gantheory.wasserstein.W1.")


def _cost_per_point(atom: Atom) -> float:
    """Seconds per point of the atom's standardized log-density (measured once per family)."""
    return logdensity.cost_per_point(atom.family, atom.shapes)


def _slow_density(atom: Atom, cost: float) -> str:
    text = f"{atom.label}, whose log-density costs {cost * 1e3:.3g} ms per point"
    if cost > logdensity._SLOW:
        text += " (scipy evaluates it numerically, point by point)"
    return text


# --- the front door ---------------------------------------------------------------------------------

def integrate_pair(p: object, q: object, integrand: PairIntegrand, *, budget: Budget | None = None,
                   atol: float = 1e-14, rtol: float = 1e-13) -> float:
    """:math:`\\int \\varphi(\\log p, \\log q, x)\\,dx` over the union of the supports, as a float.

    Parameters
    ----------
    p, q : frozen scipy.stats continuous distribution or Mixture
    integrand : PairIntegrand
        The pointwise integrand (see the module docstring for its contract).
    budget : Budget, optional
        Seconds and evaluations allowed (default :data:`DEFAULT_BUDGET`, 5 s).
    atol, rtol : float
        Tolerance of the quadrature on the integral (each piece's error estimates summed).

    Returns
    -------
    float
        ``+-inf`` where an end of the integral diverges (decided from the tails, at once).

    Raises
    ------
    gantheory.quadrature.BudgetExceeded
        When the budget runs out, naming the slowest density.
    """
    from gantheory.distributions import check_distribution

    plan = Plan(check_distribution(p, "p"), check_distribution(q, "q"))
    return float(plan.integrate(integrand, budget=budget, atol=atol, rtol=rtol)[0])
