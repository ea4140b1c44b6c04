"""Log-densities: closed forms where scipy underflows, mirror images, edges, kinks, atoms."""

import mpmath as mp
import numpy as np
import pytest
from scipy import stats
from scipy.stats._distr_params import distcont

import gantheory as gt
from gantheory import logdensity
from gantheory.logdensity import CLOSED_FORMS, KINKS, MIRRORS, standard_logpdf

import references as ref

EXAMPLE_SHAPES = {name: tuple(args) for name, args in distcont}
CLOSED = sorted(name for name in EXAMPLE_SHAPES if type(getattr(stats, name)) in CLOSED_FORMS)


# --- closed forms ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", CLOSED)
def test_closed_forms_equal_scipy_in_the_bulk(name):
    # Where scipy's log-density is accurate (its 0.1% to 99.9% quantiles), ours is the same
    # function: 1e-13 relative, a few roundings of formulas written differently (measured 2e-15).
    family, shapes = getattr(stats, name), EXAMPLE_SHAPES[name]
    u = family.ppf(np.linspace(1e-3, 1 - 1e-3, 101), *shapes)
    # Near a zero of log f the relative error is meaningless: 1e-14 absolute there.
    np.testing.assert_allclose(standard_logpdf(family, u, shapes), family.logpdf(u, *shapes), rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize(("name", "shapes", "u"), [
    ("laplace", (), [800.0, -1e300]),
    ("t", (2.5,), [1e160, -1e300]),
    ("halfcauchy", (), [1e160, 1e300]),
    ("hypsecant", (), [800.0, -1e5]),
    ("pareto", (2.6,), [1e100, 1e300]),
    ("levy", (), [1e220, 1e300]),
    ("fisk", (3.1,), [1e-120, 1e200]),
    ("burr", (10.5, 4.3), [1e-40, 1e200]),
    ("lomax", (2.0,), [1e200, 1e300]),
])
def test_closed_forms_are_exact_where_scipy_underflows(name, shapes, u):
    # scipy gives -inf (or loses digits) at these points; the textbook formula in mpmath at 30
    # digits is the reference, 1e-14 relative (the closed forms' own rounding).
    family = getattr(stats, name)
    extra = {  # textbook forms of families the reference module does not need elsewhere
        "hypsecant": lambda v: -mp.log(mp.pi) - mp.log(mp.cosh(v)),
        "fisk": lambda v: mp.log(shapes[0]) + (shapes[0] - 1) * mp.log(v) - 2 * mp.log1p(v ** shapes[0]),
        "burr": lambda v: (mp.log(shapes[0] * shapes[1]) - (shapes[0] + 1) * mp.log(v)
                           - (shapes[1] + 1) * mp.log1p(v ** -shapes[0])),
    }
    standard = extra[name] if name in extra else ref._mp_logpdf(name, shapes)
    with mp.workdps(30):
        expected = [float(standard(mp.mpf(v))) for v in u]
    np.testing.assert_allclose(standard_logpdf(family, np.array(u), shapes), expected, rtol=1e-14)


def test_the_issues_laplace_is_exact_far_out():
    # scipy: laplace(40, 1).logpdf(-700) = -740.702 (digits lost in log(pdf)) and -inf at -800.
    np.testing.assert_allclose(logdensity.logpdf(stats.laplace(40, 1), [-700.0, -800.0]),
                               [-740 - np.log(2), -840 - np.log(2)], rtol=1e-15)


def test_a_mixture_log_density_is_a_logsumexp_of_exact_components():
    mix = gt.Mixture([stats.laplace(0, 1), stats.laplace(2000, 1)], [0.5, 0.5])
    # At x = 1000 both components are e^-1000 (scipy: 0): log(2 * 0.5 * e^-1000 / 2).
    assert float(logdensity.logpdf(mix, 1000.0)) == pytest.approx(-1000 - np.log(2), rel=1e-15)


def test_outside_the_support_and_at_overflowed_coordinates_the_log_density_is_minus_inf():
    out = standard_logpdf(stats.beta, np.array([-0.5, 1.5, np.nan, np.inf]), (2.0, 2.0))
    assert np.all(out == -np.inf)
    assert standard_logpdf(stats.weibull_min, np.array([np.inf]), (2.27,))[0] == -np.inf  # scipy: nan


# --- mirrors, edges, kinks -----------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(MIRRORS, key=lambda k: k.__name__), ids=lambda k: k.__name__)
def test_mirror_images_are_the_density_reflected(kind):
    family = next(f for f in (getattr(stats, n) for n in dir(stats)) if type(f) is kind)
    shapes = EXAMPLE_SHAPES.get(family.name, ())
    if family.name == "truncnorm":
        shapes = (-1.0, 2.0)
    mirrored, mirrored_shapes, a = logdensity.mirror(family, shapes)
    u = family.ppf(np.linspace(0.01, 0.99, 41), *shapes)
    # f(u) = f_m(a - u), both by scipy: 1e-12 relative for rounding of a - u and of the formulas.
    np.testing.assert_allclose(mirrored.logpdf(a - u, *mirrored_shapes), family.logpdf(u, *shapes), rtol=1e-12)


@pytest.mark.parametrize(("family", "shapes", "expected"), [
    (stats.uniform, (), (False, False)), (stats.beta, (1.0, 1.0), (False, False)),
    (stats.beta, (2.0, 1.0), (True, False)), (stats.beta, (0.5, 0.5), (True, True)),
    (stats.triang, (0.5,), (True, True)), (stats.levy, (), (True, False)),
    (stats.pareto, (0.5,), (False, False)), (stats.gamma, (1.0,), (False, False)),
    (stats.gamma, (0.5,), (True, False)), (stats.semicircular, (), (True, True)),
    (stats.truncnorm, (-1.0, 2.0), (False, False)), (stats.norm, (), (False, False)),
])
def test_singular_edges_are_those_where_the_log_density_is_unbounded(family, shapes, expected):
    assert logdensity.singular_edges(family, shapes) == expected


def test_kinks_and_edges_are_breakpoints_and_bounded_sides_stop_at_1e_3():
    z, edges = logdensity.quantile_breaks(stats.triang, (0.3,))
    assert 0.3 in z and edges.tolist() == [0.0, 1.0]
    assert z.min() >= stats.triang.ppf(1e-3, 0.3) * (1 - 1e-12)
    z, _ = logdensity.quantile_breaks(stats.norm, ())
    assert z.min() == pytest.approx(stats.norm.ppf(1e-30), rel=1e-12)  # unbounded: to 1e-30
    assert set(KINKS) >= {type(stats.triang), type(stats.trapezoid), type(stats.laplace)}


def test_atoms_flatten_nested_mixtures_with_product_weights():
    inner = gt.Mixture([stats.norm(0, 1), stats.norm(5, 1)], [0.25, 0.75])
    outer = gt.Mixture([inner, stats.uniform(0, 1)], [0.5, 0.5])
    atoms = logdensity.atoms(outer)
    assert [a.label for a in atoms] == ["norm(0, 1)", "norm(5, 1)", "uniform(0, 1)"]
    np.testing.assert_allclose([np.exp(a.log_weight[0]) for a in atoms], [0.125, 0.375, 0.5], rtol=1e-15)


def test_the_cost_of_a_density_is_measured_once():
    fast = logdensity.cost_per_point(stats.norm, ())
    assert 0 < fast < 1e-4
    assert logdensity.cost_per_point(stats.norm, ()) == fast  # cached, not measured again
