"""Hypothesis strategies for densities, pairs of densities and discriminators.

The toolkit's own property tests draw from these, and so can a student's: to property-test your
own JS divergence against gantheory's, write

>>> from hypothesis import given
>>> import gantheory as gt
>>> from gantheory.testing import density_pairs
>>> @given(density_pairs())
... def test_my_js(pair):
...     p, q = pair
...     assert 0.0 <= gt.js_divergence(p, q) <= np.log(2)
>>> test_my_js()

Requires the ``hypothesis`` package (the ``test`` extra: ``pip install gantheory[test]``).

Parameters are drawn from ranges where every family is well defined and the quadrature is fast:
locations in [-10, 10], scales within a factor of 20 of 1, Student-t degrees of freedom from 1
(Cauchy) to 30, mixtures of two or three components. Wider ranges are tested by example.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from scipy import special, stats

from gantheory.distributions import Density, Mixture

__all__ = [
    "densities",
    "density_pairs",
    "discriminators",
    "gaussians",
    "locations",
    "scales",
]


def locations(bound: float = 10.0) -> st.SearchStrategy[float]:
    """Location parameters in [-bound, bound], rounded to 1/64 so that failures print readably."""
    return st.integers(-int(64 * bound), int(64 * bound)).map(lambda i: i / 64)


def scales(low: float = 0.05, high: float = 20.0) -> st.SearchStrategy[float]:
    """Scale parameters spread evenly in log-scale over [low, high]."""
    return st.floats(np.log(low), np.log(high)).map(lambda t: float(np.round(np.exp(t), 6)))


def gaussians(bound: float = 10.0) -> st.SearchStrategy[Density]:
    """Frozen ``stats.norm(loc, scale)``."""
    return st.builds(stats.norm, locations(bound), scales())


def _laplaces() -> st.SearchStrategy[Density]:
    return st.builds(stats.laplace, locations(), scales())


def _students() -> st.SearchStrategy[Density]:
    df = st.sampled_from([1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0])
    return st.builds(lambda nu, loc, s: stats.t(nu, loc=loc, scale=s), df, locations(), scales(0.1, 10.0))


def _uniforms() -> st.SearchStrategy[Density]:
    return st.builds(stats.uniform, locations(), scales(0.1, 20.0))


def _mixtures() -> st.SearchStrategy[Density]:
    components = st.lists(st.one_of(gaussians(), _laplaces()), min_size=2, max_size=3)

    def build(comps: list, raw: list[int]) -> Mixture:
        w = np.asarray(raw[: len(comps)], dtype=float)
        return Mixture(comps, w / w.sum())

    return st.builds(build, components, st.lists(st.integers(1, 9), min_size=3, max_size=3))


def densities(
    *, uniform: bool = True, heavy_tails: bool = True, mixtures: bool = True
) -> st.SearchStrategy[Density]:
    """Gaussian, Laplace (kinked), Student-t (heavy-tailed), uniform (bounded support) or Mixture.

    Switch families off where a property needs it (KL between a Gaussian and a uniform is
    infinite, for example).
    """
    families = [gaussians(), _laplaces()]
    if heavy_tails:
        families.append(_students())
    if uniform:
        families.append(_uniforms())
    if mixtures:
        families.append(_mixtures())
    return st.one_of(families)


def density_pairs(**kwargs: bool) -> st.SearchStrategy[tuple[Density, Density]]:
    """Pairs ``(p, q)`` of :func:`densities`, with the same options."""
    return st.tuples(densities(**kwargs), densities(**kwargs))


def discriminators() -> st.SearchStrategy[Callable[[np.ndarray], np.ndarray]]:
    """Arbitrary discriminators ``x -> D(x)`` in (0, 1) or [0, 1].

    Logistic (``expit(a x + b)``), quadratic-logit (``expit(a x^2 + b x + c)``), clipped-linear
    (values in [eps, 1 - eps]) and constant discriminators. By the pointwise argument behind
    eq. (7), none of them can score above :math:`C(G) = V(D^*, G)`.
    """
    coef = st.floats(-3.0, 3.0)

    def logistic(a: float, b: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: special.expit(a * x + b)

    def quadratic(a: float, b: float, c: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: special.expit(-abs(a) * x**2 + b * x + c)

    def clipped(a: float, b: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: np.clip(0.5 + 0.1 * (a * x + b), 1e-3, 1 - 1e-3)

    def constant(u: float) -> Callable[[np.ndarray], np.ndarray]:
        return lambda x: np.full(np.shape(x), u)

    return st.one_of(
        st.builds(logistic, coef, coef),
        st.builds(quadratic, coef, coef, coef),
        st.builds(clipped, coef, coef),
        st.builds(constant, st.floats(0.01, 0.99)),
    )


# --- hard densities: the fuzz suite's strategies --------------------------------------------------

#: scipy families by the kind of trouble they bring, with strategies for their shape parameters.
#: Bounded supports (shared edges), half-lines, heavy (power-law) tails, and densities that
#: vanish or diverge at an edge of their support.
HARD_FAMILIES: dict[str, tuple[str, tuple]] = {
    "norm": ("smooth", ()),
    "laplace": ("smooth", ()),
    "logistic": ("smooth", ()),
    "gumbel_r": ("smooth", ()),
    "uniform": ("bounded", ()),
    "triang": ("bounded", ((0.0, 1.0),)),
    "semicircular": ("bounded", ()),
    "truncnorm": ("bounded", ((-3.0, 0.0), (0.5, 3.0))),
    "beta": ("singular", ((0.3, 4.0), (0.3, 4.0))),
    "arcsine": ("singular", ()),
    "expon": ("half-line", ()),
    "gamma": ("half-line", ((0.3, 6.0),)),
    "lognorm": ("half-line", ((0.2, 2.0),)),
    "weibull_min": ("half-line", ((0.5, 4.0),)),
    "halfnorm": ("half-line", ()),
    "t": ("heavy", ((1.0, 30.0),)),
    "cauchy": ("heavy", ()),
    "pareto": ("heavy", ((0.5, 5.0),)),
    "lomax": ("heavy", ((0.5, 5.0),)),
    "levy": ("heavy", ()),
    "halfcauchy": ("heavy", ()),
}


def hard_locations(bound: float = 1e15) -> st.SearchStrategy[float]:
    """Locations up to ``bound`` in magnitude, spread over every scale: 0, small and huge."""
    return st.one_of(
        st.just(0.0),
        st.floats(-10.0, 10.0).map(lambda v: float(np.round(v, 3))),
        st.builds(lambda sign, e: sign * float(10.0**e), st.sampled_from([-1.0, 1.0]),
                  st.integers(-20, int(np.log10(bound)))),
    )


def hard_scales(low: float = 1e-150, high: float = 1e150) -> st.SearchStrategy[float]:
    """Scales from ``low`` to ``high``, spread evenly in their exponent."""
    return st.floats(np.log10(low), np.log10(high)).map(lambda e: float(10.0 ** np.round(e, 2)))


def hard_densities(
    *, kinds: tuple[str, ...] = ("smooth", "bounded", "singular", "half-line", "heavy"),
    locations: st.SearchStrategy[float] | None = None, scales: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[Density]:
    """Frozen scipy distributions from :data:`HARD_FAMILIES` with hard locations and scales.

    Locations up to 1e15 and scales from 1e-150 to 1e150 by default; shape parameters within
    each family's range in :data:`HARD_FAMILIES`.
    """
    locations = hard_locations() if locations is None else locations
    scales = hard_scales() if scales is None else scales
    names = sorted(name for name, (kind, _) in HARD_FAMILIES.items() if kind in kinds)

    def build(name: str, shapes: tuple, loc: float, scale: float) -> Density:
        return getattr(stats, name)(*shapes, loc=loc, scale=scale)

    def family(name: str) -> st.SearchStrategy[Density]:
        ranges = HARD_FAMILIES[name][1]
        shape = st.tuples(*(st.floats(lo, hi).map(lambda v: float(np.round(v, 2))) for lo, hi in ranges))
        return st.builds(build, st.just(name), shape, locations, scales)

    return st.one_of([family(name) for name in names])
