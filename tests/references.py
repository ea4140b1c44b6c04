"""High-precision references: the same densities written in mpmath and integrated at 30 digits.

Each reference density is built from one spec, such as ``("norm", 0, 1)``, into both the scipy
object that gantheory receives and an mpmath log-density written here from the textbook formula,
so the oracle shares no code with the library. Divergences are integrated from their definitions
(JS through the mixture m, not through the library's deficit form) with ``mpmath.quad``
(tanh-sinh) on intervals split at every location and a ladder of scales around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath as mp
import numpy as np
from scipy import stats

import gantheory as gt

DIGITS = 30


@dataclass(frozen=True)
class Ref:
    """A density as a scipy/gantheory object, an mpmath log-density and its split points."""

    spec: tuple
    scipy: object
    logpdf: object  # mpf -> mpf (may be -inf)
    points: tuple[float, ...]
    support: tuple[float, float]


def _ladder(loc: float, scale: float) -> list[float]:
    return [loc + k * scale for k in (-40, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 40)]


def make(spec: tuple) -> Ref:
    """Build a reference density from a spec: norm/laplace/t/uniform/mixture."""
    kind = spec[0]
    if kind == "norm":
        _, mu, s = spec
        mu, s = mp.mpf(mu), mp.mpf(s)
        log_c = -mp.log(s) - mp.log(2 * mp.pi) / 2
        return Ref(spec, stats.norm(spec[1], spec[2]), lambda x: log_c - (x - mu) ** 2 / (2 * s**2),
                   tuple(_ladder(spec[1], spec[2])), (-np.inf, np.inf))
    if kind == "laplace":
        _, mu, b = spec
        mu, b = mp.mpf(mu), mp.mpf(b)
        return Ref(spec, stats.laplace(spec[1], spec[2]), lambda x: -abs(x - mu) / b - mp.log(2 * b),
                   tuple(_ladder(spec[1], spec[2])), (-np.inf, np.inf))
    if kind == "t":
        _, nu, loc, s = spec
        nu, mu, sc = mp.mpf(nu), mp.mpf(loc), mp.mpf(s)
        log_c = mp.loggamma((nu + 1) / 2) - mp.loggamma(nu / 2) - mp.log(nu * mp.pi) / 2 - mp.log(sc)
        points = _ladder(loc, s) + [loc + k * s for k in (-1e6, -1e4, -1e3, 1e3, 1e4, 1e6)]
        return Ref(spec, stats.t(spec[1], loc=loc, scale=s),
                   lambda x: log_c - (nu + 1) / 2 * mp.log(1 + ((x - mu) / sc) ** 2 / nu),
                   tuple(points), (-np.inf, np.inf))
    if kind == "uniform":
        _, a, w = spec
        lo, hi, log_c = mp.mpf(a), mp.mpf(a) + mp.mpf(w), -mp.log(mp.mpf(w))
        return Ref(spec, stats.uniform(a, w), lambda x: log_c if lo <= x <= hi else mp.ninf,
                   (a, a + w), (a, a + w))
    if kind == "mixture":
        _, comps, weights = spec
        refs = [make(c) for c in comps]
        logw = [mp.log(mp.mpf(w)) for w in weights]

        def logpdf(x):
            terms = [lw + r.logpdf(x) for lw, r in zip(logw, refs)]
            top = max(terms)
            if top == mp.ninf:
                return mp.ninf
            return top + mp.log(mp.fsum(mp.exp(t - top) for t in terms))

        points = tuple(sorted({p for r in refs for p in r.points}))
        support = (min(r.support[0] for r in refs), max(r.support[1] for r in refs))
        return Ref(spec, gt.Mixture([r.scipy for r in refs], weights), logpdf, points, support)
    raise ValueError(f"unknown reference family {kind!r}")


def _integrate(f, p: Ref, q: Ref):
    lo = min(p.support[0], q.support[0])
    hi = max(p.support[1], q.support[1])
    inner = sorted({x for x in p.points + q.points if lo < x < hi})
    nodes = [mp.mpf(lo)] + [mp.mpf(x) for x in inner] + [mp.mpf(hi)]
    return mp.quad(f, nodes)


def _plogratio(log_a, log_b):
    """a * log(a/b) with 0 log 0 = 0, from log-densities."""
    if log_a == mp.ninf:
        return mp.mpf(0)
    return mp.exp(log_a) * (log_a - log_b)


def _js_pointwise(p, q):
    """The integrand of JS(p || q) = 1/2 KL(p||m) + 1/2 KL(q||m), m formed explicitly, at x."""
    def f(x):
        lp, lq = p.logpdf(x), q.logpdf(x)
        lm = mp.log((mp.exp(lp) + mp.exp(lq)) / 2) if (lp, lq) != (mp.ninf, mp.ninf) else mp.ninf
        return (_plogratio(lp, lm) + _plogratio(lq, lm)) / 2
    return f


@lru_cache(maxsize=None)
def js(p_spec: tuple, q_spec: tuple) -> float:
    """JS(p || q) in nats from its definition, 1/2 KL(p||m) + 1/2 KL(q||m)."""
    p, q = make(p_spec), make(q_spec)
    with mp.workdps(DIGITS):
        return float(_integrate(_js_pointwise(p, q), p, q))


@lru_cache(maxsize=None)
def kl(p_spec: tuple, q_spec: tuple) -> float:
    """KL(p || q) in nats from its definition (finite cases only)."""
    p, q = make(p_spec), make(q_spec)
    with mp.workdps(DIGITS):
        return float(_integrate(lambda x: _plogratio(p.logpdf(x), q.logpdf(x)), p, q))


# --- more families, for the hard cases: support edges, singular densities, far tails ------------
#
# Each is the textbook log-density of the standardized family (loc 0, scale 1) in mpmath, written
# here without looking at gantheory or scipy's code; ``family(name, *shapes, loc=, scale=)`` builds
# the Ref. The split points are the support's finite edges (tanh-sinh, mpmath's default rule,
# handles endpoint singularities when they are interval ends) and a geometric ladder of offsets
# from each edge and from the location, so that every scale of the density is resolved.

def _mp_logpdf(name: str, shapes: tuple):
    s = [mp.mpf(v) for v in shapes]
    log = mp.log
    forms = {
        "uniform": lambda u: mp.mpf(0),
        "beta": lambda u: (s[0] - 1) * log(u) + (s[1] - 1) * log(1 - u) - log(mp.beta(s[0], s[1])),
        "arcsine": lambda u: -log(mp.pi) - log(u * (1 - u)) / 2,
        "triang": lambda u: log(2 * u / s[0]) if u < s[0] else log(2 * (1 - u) / (1 - s[0])),
        "semicircular": lambda u: log(2 / mp.pi) + log(1 - u * u) / 2,
        "norm": lambda u: -u * u / 2 - log(2 * mp.pi) / 2,
        "laplace": lambda u: -abs(u) - log(2),
        "logistic": lambda u: -u - 2 * log(1 + mp.exp(-u)),
        "t": lambda u: (mp.loggamma((s[0] + 1) / 2) - mp.loggamma(s[0] / 2) - log(s[0] * mp.pi) / 2
                        - (s[0] + 1) / 2 * log(1 + u * u / s[0])),
        "cauchy": lambda u: -log(mp.pi) - log(1 + u * u),
        "expon": lambda u: -u,
        "gamma": lambda u: (s[0] - 1) * log(u) - u - mp.loggamma(s[0]),
        "levy": lambda u: -log(2 * mp.pi) / 2 - 3 * log(u) / 2 - 1 / (2 * u),
        "pareto": lambda u: log(s[0]) - (s[0] + 1) * log(u),
        "lomax": lambda u: log(s[0]) - (s[0] + 1) * log(1 + u),
        "halfcauchy": lambda u: log(2 / mp.pi) - log(1 + u * u),
        "lognorm": lambda u: -log(s[0] * u * mp.sqrt(2 * mp.pi)) - log(u) ** 2 / (2 * s[0] ** 2),
        "weibull_min": lambda u: log(s[0]) + (s[0] - 1) * log(u) - u ** s[0],
    }
    return forms[name]


def family(name: str, *shapes: float, loc: float = 0.0, scale: float = 1.0) -> Ref:
    """A reference density of a scipy family, its mpmath log-density from the textbook formula."""
    frozen = getattr(stats, name)(*shapes, loc=loc, scale=scale)
    a, b = (float(e) for e in getattr(stats, name).support(*shapes))
    standard = _mp_logpdf(name, shapes)
    mloc, mscale = mp.mpf(loc), mp.mpf(scale)
    lo, hi = mloc + mscale * a if np.isfinite(a) else mp.ninf, mloc + mscale * b if np.isfinite(b) else mp.inf

    def logpdf(x):
        if not lo <= x <= hi or (x == lo and np.isfinite(a)) or (x == hi and np.isfinite(b)):
            return mp.ninf
        return standard((x - mloc) / mscale) - mp.log(mscale)

    offsets = [10.0**k for k in range(-30, 13, 3)]
    points = set()
    for anchor, sides in ((a, (1,)), (b, (-1,))) if np.isfinite(a) and np.isfinite(b) else ():
        points |= {anchor + side * o for side in sides for o in offsets if 0 < o < b - a}
    if not (np.isfinite(a) and np.isfinite(b)):
        centre = a if np.isfinite(a) else b if np.isfinite(b) else 0.0
        points |= {centre + side * o for side in (-1, 1) for o in offsets}
    if name == "triang":
        points.add(shapes[0])  # the kink at the mode
    points = {loc + scale * z for z in points if a < z < b}
    return Ref(("family", name, shapes, loc, scale), frozen, logpdf, tuple(sorted(points)),
               (float(lo) if np.isfinite(a) else -np.inf, float(hi) if np.isfinite(b) else np.inf))


def _quad(f, p: Ref, q: Ref):
    """Like _integrate, with the edges themselves as mpf (so that 1 - 2^-60 is not 1)."""
    lo = min(p.support[0], q.support[0])
    hi = max(p.support[1], q.support[1])
    inner = sorted({x for x in p.points + q.points + p.support + q.support if lo < x < hi})
    nodes = [mp.mpf(lo)] + [mp.mpf(x) for x in inner] + [mp.mpf(hi)]
    return mp.quad(f, nodes)


def js_of(p: Ref, q: Ref) -> float:
    """JS(p || q) in nats from its definition, for Refs built by :func:`family`."""
    with mp.workdps(DIGITS):
        return float(_quad(_js_pointwise(p, q), p, q))


def kl_of(p: Ref, q: Ref) -> float:
    """KL(p || q) in nats from its definition (finite cases only), for Refs built by :func:`family`."""
    with mp.workdps(DIGITS):
        return float(_quad(lambda x: _plogratio(p.logpdf(x), q.logpdf(x)), p, q))
