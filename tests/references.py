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


@lru_cache(maxsize=None)
def js(p_spec: tuple, q_spec: tuple) -> float:
    """JS(p || q) in nats from its definition, 1/2 KL(p||m) + 1/2 KL(q||m)."""
    p, q = make(p_spec), make(q_spec)
    with mp.workdps(DIGITS):
        def f(x):
            lp, lq = p.logpdf(x), q.logpdf(x)
            lm = mp.log((mp.exp(lp) + mp.exp(lq)) / 2) if (lp, lq) != (mp.ninf, mp.ninf) else mp.ninf
            return (_plogratio(lp, lm) + _plogratio(lq, lm)) / 2
        return float(_integrate(f, p, q))


@lru_cache(maxsize=None)
def kl(p_spec: tuple, q_spec: tuple) -> float:
    """KL(p || q) in nats from its definition (finite cases only)."""
    p, q = make(p_spec), make(q_spec)
    with mp.workdps(DIGITS):
        return float(_integrate(lambda x: _plogratio(p.logpdf(x), q.logpdf(x)), p, q))
