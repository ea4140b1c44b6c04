"""30-digit mpmath references for the f-divergences, W1 and instance noise, from their definitions.

Densities come from ``references.make`` (textbook mpmath log-densities, no library code), extended
here with ``("uniformnorm", a, w, eps)``: U(a, a + w) + N(0, eps^2), whose density
(Phi((x-a)/eps) - Phi((x-a-w)/eps)) / w is written with mpmath's erfc. Each divergence is
integrated from its *definition column* (``(p - q)^2 / q`` for Pearson, ``|p - q| / 2`` for TV,
the mixture m for JS ...), never from the library's log-space integrands or from the f of the
table, with ``mpmath.quad`` (tanh-sinh) split at every ladder point of both densities and, for TV,
at the crossings of p and q (found by mpmath's root finder). W1 integrates |F_P - F_Q| from
mpmath distribution functions written here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import mpmath as mp

from gantheory.noise import uniformnorm

import references as ref

DIGITS = 30


@dataclass(frozen=True)
class Dist:
    """A reference density: scipy object, mpmath log-density, mpmath CDF and SF, split points."""

    scipy: object
    logpdf: object
    cdf: object
    sf: object
    points: tuple
    support: tuple


def _ncdf(z):
    return mp.erfc(-z / mp.sqrt(2)) / 2


def _g(z):
    """int_{-oo}^z Phi = z Phi(z) + phi(z)."""
    return z * _ncdf(z) + mp.npdf(z)


def make(spec: tuple) -> Dist:
    kind = spec[0]
    if kind == "uniformnorm":
        _, a, w, eps = spec
        A, W, E = mp.mpf(a), mp.mpf(w), mp.mpf(eps)

        def logpdf(x):
            u, v = (x - A) / E, (x - A - W) / E
            if u + v <= 0:  # left of the middle: difference of lower tails
                value = (mp.erfc(-u / mp.sqrt(2)) - mp.erfc(-v / mp.sqrt(2))) / 2
            else:
                value = (mp.erfc(v / mp.sqrt(2)) - mp.erfc(u / mp.sqrt(2))) / 2
            return mp.log(value / W) if value > 0 else mp.ninf

        def cdf(x):
            return E / W * (_g((x - A) / E) - _g((x - A - W) / E))

        def sf(x):  # symmetric about a + w/2
            return cdf(2 * A + W - x)

        ladder = [a + w / 2 + k * (w / 2 + 40 * eps) * f for k in (-1, 1) for f in (0, 0.25, 0.5, 0.75, 1)]
        points = tuple(sorted(set(ladder + [a, a + w] + [a + k * eps for k in (-5, -1, 1, 5)]
                                  + [a + w + k * eps for k in (-5, -1, 1, 5)])))
        return Dist(uniformnorm(eps / w, loc=a, scale=w), logpdf, cdf, sf, points, (-mp.inf, mp.inf))
    r = ref.make(spec)
    cdf, sf = _cdf_sf(spec)
    return Dist(r.scipy, r.logpdf, cdf, sf, r.points, r.support)


def _cdf_sf(spec: tuple):
    kind = spec[0]
    if kind == "norm":
        mu, s = mp.mpf(spec[1]), mp.mpf(spec[2])
        return (lambda x: _ncdf((x - mu) / s)), (lambda x: _ncdf(-(x - mu) / s))
    if kind == "laplace":
        mu, b = mp.mpf(spec[1]), mp.mpf(spec[2])
        low = lambda x: mp.exp((x - mu) / b) / 2  # noqa: E731
        return ((lambda x: low(x) if x <= mu else 1 - low(2 * mu - x)),
                (lambda x: low(2 * mu - x) if x >= mu else 1 - low(x)))
    if kind == "t":
        nu, mu, s = (mp.mpf(v) for v in spec[1:])

        def lower(z):  # P(T <= z) for z <= 0, through the regularized incomplete beta function
            return mp.betainc(nu / 2, mp.mpf(1) / 2, 0, nu / (nu + z * z), regularized=True) / 2

        return ((lambda x: lower((x - mu) / s) if x <= mu else 1 - lower(-(x - mu) / s)),
                (lambda x: lower(-(x - mu) / s) if x >= mu else 1 - lower((x - mu) / s)))
    if kind == "uniform":
        a, w = mp.mpf(spec[1]), mp.mpf(spec[2])
        return ((lambda x: min(max((x - a) / w, 0), 1)), (lambda x: min(max((a + w - x) / w, 0), 1)))
    if kind == "mixture":
        _, comps, weights = spec
        parts = [_cdf_sf(c) for c in comps]
        ws = [mp.mpf(w) for w in weights]
        return ((lambda x: mp.fsum(w * c(x) for w, (c, _) in zip(ws, parts))),
                (lambda x: mp.fsum(w * s(x) for w, (_, s) in zip(ws, parts))))
    raise ValueError(kind)


def _nodes(p: Dist, q: Dist, extra=()):
    lo = min(p.support[0], q.support[0])
    hi = max(p.support[1], q.support[1])
    inner = sorted({mp.mpf(x) for x in tuple(p.points) + tuple(q.points) + tuple(extra) if lo < x < hi})
    return [mp.mpf(lo)] + inner + [mp.mpf(hi)]


def _values(p: Dist, q: Dist, x):
    lp, lq = p.logpdf(x), q.logpdf(x)
    return (mp.exp(lp) if lp != mp.ninf else mp.mpf(0)), (mp.exp(lq) if lq != mp.ninf else mp.mpf(0))


def _sign_changes(g, nodes) -> list:
    """Roots of g between consecutive points of a fine grid over the finite nodes (exact zeros kept)."""
    finite = [x for x in nodes if mp.isfinite(x)]
    grid = sorted({a + (b - a) * k / 16 for a, b in zip(finite, finite[1:]) for k in range(17)})
    values = [(x, g(x)) for x in grid]
    out = [x for x, v in values if v == 0]
    for (a, ga), (b, gb) in zip(values, values[1:]):
        if ga * gb < 0:
            out.append(_bisect(g, a, b, ga))
    return out


def _bisect(g, a, b, ga):
    """A root of g in (a, b), or the jump where g changes sign (both are the points to split at)."""
    for _ in range(4 * DIGITS):
        m = (a + b) / 2
        gm = g(m)
        if gm == 0:
            return m
        if gm * ga > 0:
            a, ga = m, gm
        else:
            b = m
    return (a + b) / 2


def _crossings(p: Dist, q: Dist):
    """Points where p = q (for TV's kinks): where p - q changes sign with both positive."""
    return _sign_changes(lambda x: _values(p, q, x)[0] - _values(p, q, x)[1], _nodes(p, q))


def _definition(name: str):
    """The integrand of each divergence's definition column, from density values (p, q)."""
    def kl(p, q):
        return mp.mpf(0) if p == 0 else (mp.inf if q == 0 else p * mp.log(p / q))

    def js(p, q):
        m = (p + q) / 2
        return (kl(p, m) + kl(q, m)) / 2

    table = {
        "kl": kl,
        "reverse-kl": lambda p, q: kl(q, p),
        "pearson": lambda p, q: mp.mpf(0) if p == q == 0 else (mp.inf if q == 0 else (p - q) ** 2 / q),
        "neyman": lambda p, q: mp.mpf(0) if p == q == 0 else (mp.inf if p == 0 else (p - q) ** 2 / p),
        "squared-hellinger": lambda p, q: (mp.sqrt(p) - mp.sqrt(q)) ** 2,
        "js": js,
        "gan": lambda p, q: 2 * js(p, q),  # minus log 4, added after integrating
        "tv": lambda p, q: abs(p - q) / 2,
    }
    return table[name]


@lru_cache(maxsize=None)
def divergence(name: str, p_spec: tuple, q_spec: tuple) -> float:
    """D_f(p || q) from its definition column, by mpmath at 30 digits (finite cases)."""
    return divergence_of(name, make(p_spec), make(q_spec))


def divergence_of(name: str, p, q) -> float:
    """As :func:`divergence`, for densities given as ``Dist`` or ``references.family`` objects."""
    g = _definition(name)
    with mp.workdps(DIGITS):
        extra = _crossings(p, q) if name == "tv" else ()
        value = mp.quad(lambda x: g(*_values(p, q, x)), _nodes(p, q, extra))
        if name == "gan":
            value -= mp.log(4)
        return float(value)


@lru_cache(maxsize=None)
def wasserstein1(p_spec: tuple, q_spec: tuple) -> float:
    """int |F_P - F_Q| by mpmath at 30 digits, split where F_P = F_Q; CDFs left of the middle, SFs right."""
    p, q = make(p_spec), make(q_spec)
    with mp.workdps(DIGITS):
        nodes = _nodes(p, q)
        finite = [x for x in nodes if mp.isfinite(x)]
        middle = finite[len(finite) // 2]

        def diff(x):
            return p.cdf(x) - q.cdf(x) if x <= middle else q.sf(x) - p.sf(x)

        extra = _sign_changes(diff, nodes)
        return float(mp.quad(lambda x: abs(diff(x)), _nodes(p, q, extra + [middle])))


def gaussian_w1(mu1: float, s1: float, mu2: float, s2: float) -> float:
    """W1 between two Gaussians in closed form: E|a + bZ|, a = mu1 - mu2, b = s1 - s2 (mpmath)."""
    with mp.workdps(DIGITS):
        a, b = mp.mpf(mu1) - mp.mpf(mu2), abs(mp.mpf(s1) - mp.mpf(s2))
        if b == 0:
            return float(abs(a))
        c = a / b
        return float(b * (c * (2 * _ncdf(c) - 1) + 2 * mp.npdf(c)))


def quantile_w1(p, q) -> float:
    """The quantile form int_0^1 |F_P^-1 - F_Q^-1| du with scipy's quad (an independent integrator)."""
    from scipy import integrate

    opts = dict(limit=500, epsabs=1e-14, epsrel=1e-13)
    left = integrate.quad(lambda u: abs(p.ppf(u) - q.ppf(u)), 0, 0.5, **opts)[0]
    right = integrate.quad(lambda u: abs(p.isf(u) - q.isf(u)), 0, 0.5, **opts)[0]
    return left + right


def noisy_logpdf(a: float, w: float, eps: float, x: float) -> float:
    """log of the density of U(a, a + w) + N(0, eps^2) at x, at 30 digits."""
    with mp.workdps(DIGITS):
        return float(make(("uniformnorm", a, w, eps)).logpdf(mp.mpf(x)))


def noisy_logcdf(a: float, w: float, eps: float, x: float) -> float:
    with mp.workdps(60):  # G(z) - G(z') cancels ~log10(z^2) digits far in the tail
        return float(mp.log(make(("uniformnorm", a, w, eps)).cdf(mp.mpf(x))))



# --- the cases the tests check, and their cached values ------------------------------------------

#: Issue 10's hard cases, for every f-divergence: label -> (p, q as ``references.family``
#: arguments (name, shapes, loc, scale), the divergences that are infinite, with the reason).
HARD = {
    "uniform || triang(0.5)": (("uniform", (), 0, 1), ("triang", (0.5,), 0, 1),
                               {"pearson": "(p - q)^2 / q ~ 1/(4x) at the shared edges"}),
    "uniform || beta(.5,.5)": (("uniform", (), 0, 1), ("beta", (0.5, 0.5), 0, 1),
                               {"neyman": "(p - q)^2 / p ~ 1/(pi^2 x) at the edges"}),
    "beta(.5,.5) || uniform": (("beta", (0.5, 0.5), 0, 1), ("uniform", (), 0, 1),
                               {"pearson": "(p - q)^2 / q ~ 1/(pi^2 x) at the edges"}),
    "laplace(40,1) || laplace(0,1)": (("laplace", (), 40, 1), ("laplace", (), 0, 1), {}),
    "norm(1e16,1) || norm(1e16,2)": (("norm", (), 1e16, 1), ("norm", (), 1e16, 2),
                                     {"neyman": "q^2 / p grows like e^(x^2/4)"}),
    "t(1.5) || norm": (("t", (1.5,), 0, 1), ("norm", (), 0, 1),
                       {"kl": "p log(p/q) ~ x^-0.5 (x^-2.5 times x^2)", "pearson": "p^2 / q grows like e^(x^2/2)"}),
}

MIX_BIMODAL = ("mixture", (("norm", -3, 0.5), ("norm", 3, 0.5)), (0.5, 0.5))

#: label -> (family, p spec, q spec, the divergences that are infinite, with the reason).
CASES = {
    "gauss wider q": ("Gaussian", ("norm", 0, 1), ("norm", 1, 1.5),
                      {"neyman": "log(q^2/p) grows like x^2/18"}),
    "gauss narrower q": ("Gaussian", ("norm", 0, 1), ("norm", 0.5, 0.8), {}),
    "laplace vs gauss": ("Laplace", ("laplace", 0, 1), ("norm", 0.5, 1),
                         {"pearson": "p^2/q grows like exp(x^2/2 - 2|x|)"}),
    "student-t": ("Student-t", ("t", 3, 0, 1), ("t", 5, 1, 2), {}),
    "cauchy vs t3": ("Student-t", ("t", 1, 0, 1), ("t", 3, 2, 1), {"pearson": "p^2/q tends to a constant"}),
    "mixture vs gauss": ("Mixture", MIX_BIMODAL, ("norm", 0, 3), {"neyman": "log(q^2/p) grows like x^2"}),
    "uniform in uniform": ("uniform", ("uniform", 0, 2), ("uniform", -1, 4),
                           {"reverse-kl": "q > 0 where p = 0", "neyman": "q > 0 where p = 0"}),
    "noisy uniforms": ("uniform * Gaussian", ("uniformnorm", 0, 1, 0.3), ("uniformnorm", 0.5, 1, 0.3), {}),
    "noisy uniforms, eps 0.05": ("uniform * Gaussian", ("uniformnorm", 0, 1, 0.05), ("uniformnorm", 1.2, 2, 0.05),
                                 {"neyman": "q^2/p reaches e^968 on [1.2, 3.2]: beyond floating point"}),
}
W1_INFINITE = {"cauchy vs t3": "the Cauchy has no mean: |F_P - F_Q| ~ 1/(pi x)"}
NAMES = ("kl", "reverse-kl", "pearson", "neyman", "squared-hellinger", "js", "gan", "tv")
CACHE = Path(__file__).resolve().parent / "data" / "references_fgan.json"


def compute_all() -> dict:
    """Every finite reference of :data:`CASES`, recomputed (a few minutes)."""
    out = {}
    for label, (_, p_spec, q_spec, infinite) in CASES.items():
        for name in NAMES:
            if name not in infinite:
                out[f"{label}|{name}"] = divergence(name, p_spec, q_spec)
        if label not in W1_INFINITE:
            out[f"{label}|w1"] = wasserstein1(p_spec, q_spec)
    return out


def cached() -> dict:
    """The committed values (written by ``python tests/references_fgan.py``)."""
    return json.loads(CACHE.read_text(encoding="utf-8"))


if __name__ == "__main__":
    from gantheory.files import write_text

    CACHE.parent.mkdir(exist_ok=True)
    write_text(CACHE, json.dumps(compute_all(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {CACHE}")
