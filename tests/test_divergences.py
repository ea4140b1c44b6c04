"""KL, JS, D*, V(D, G) and C(G): against 30-digit mpmath references, exact cases, properties."""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import gantheory as gt
from gantheory.testing import densities, density_pairs, discriminators

import references as ref

LOG2 = np.log(2.0)

# Tolerances. The quadrature aims at an error estimate of 1e-14 per integral and the references
# carry 30 digits, so against them we assert 1e-13: a factor 10 for rounding when a few hundred
# panel contributions are summed (measured errors are below 5e-16). Identities between two of our
# own integrals get the same 1e-13 (the issue asks for 1e-10; we hold ourselves to more).
TOL = 1e-13

MIX_BIMODAL = ("mixture", (("norm", -3, 0.5), ("norm", 3, 0.5)), (0.5, 0.5))
MIX_SKEWED = ("mixture", (("norm", -2, 1), ("laplace", 4, 0.5)), (0.3, 0.7))

JS_CASES = {
    "gauss d=0.5": (("norm", 0, 1), ("norm", 0.5, 1)),
    "gauss d=2 (Fig. 3)": (("norm", 0, 1), ("norm", 2, 1)),
    "gauss d=7": (("norm", 0, 1), ("norm", 7, 1)),
    "gauss d=50": (("norm", 0, 1), ("norm", 50, 1)),
    "gauss scales 1:3": (("norm", 0, 1), ("norm", 1, 3)),
    "gauss scales 0.1:1": (("norm", 0, 0.1), ("norm", 0.3, 1)),
    "gauss d=50 scales 1:0.5": (("norm", 0, 1), ("norm", 50, 0.5)),
    "gauss scales 1:1e-3": (("norm", 0, 1), ("norm", 3, 1e-3)),
    "laplace": (("laplace", 0, 1), ("laplace", 1, 2)),
    "laplace vs gauss": (("laplace", 0, 1), ("norm", 0.5, 1)),
    "cauchy vs student-t": (("t", 1, 0, 1), ("t", 3, 2, 1)),
    "student-t vs gauss": (("t", 2.5, 0, 0.5), ("norm", 0, 1)),
    "mixture vs gauss": (MIX_BIMODAL, ("norm", 0, 1)),
    "mixture vs mixture": (MIX_BIMODAL, MIX_SKEWED),
    "uniforms overlapping": (("uniform", 0, 2), ("uniform", 1, 2)),
    "uniform vs gauss": (("uniform", -1, 2), ("norm", 0, 1)),
}

KL_CASES = {
    "gauss scales 1:3": (("norm", 0, 1), ("norm", 1, 3)),
    "laplace vs gauss": (("laplace", 0, 1), ("norm", 0.5, 1)),
    "student-t vs cauchy": (("t", 3, 2, 1), ("t", 1, 0, 1)),
    "mixture vs gauss": (MIX_BIMODAL, ("norm", 0, 2)),
    "uniform vs gauss": (("uniform", -1, 2), ("norm", 0, 1)),
    "uniform in uniform": (("uniform", 0, 1), ("uniform", -1, 3)),
}


# --- against the mpmath references ---------------------------------------------------------------

@pytest.mark.parametrize("case", JS_CASES)
def test_js_and_criterion_match_mpmath(case):
    p_spec, q_spec = JS_CASES[case]
    p, q = ref.make(p_spec).scipy, ref.make(q_spec).scipy
    expected = ref.js(p_spec, q_spec)
    assert gt.js_divergence(p, q) == pytest.approx(expected, abs=TOL)
    assert gt.virtual_criterion(p, q) == pytest.approx(2 * expected - 2 * LOG2, abs=2 * TOL)


@pytest.mark.parametrize("case", KL_CASES)
def test_kl_matches_mpmath(case):
    p_spec, q_spec = KL_CASES[case]
    expected = ref.kl(p_spec, q_spec)
    assert gt.kl_divergence(ref.make(p_spec).scipy, ref.make(q_spec).scipy) == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), [(0, 1, 2, 1), (0, 1, 50, 1), (1, 0.1, -2, 4), (0, 1, 0, 1e-3), (0, 1, 0, 1e3), (0, 1, 1000, 1)])
def test_kl_gaussian_closed_form_including_extremes(mu1, s1, mu2, s2):
    # log(s2/s1) + (s1^2 + (mu1-mu2)^2)/(2 s2^2) - 1/2; up to 5e5 at the extremes, so relative 1e-12.
    exact = np.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - 0.5
    assert gt.kl_divergence(stats.norm(mu1, s1), stats.norm(mu2, s2)) == pytest.approx(exact, rel=1e-12, abs=TOL)


def test_kl_laplace_closed_form():
    # KL(Lap(m1, b1) || Lap(m2, b2)) = log(b2/b1) + |m1-m2|/b2 + (b1/b2) exp(-|m1-m2|/b1) - 1.
    m1, b1, m2, b2 = 0.0, 1.0, 1.5, 2.0
    exact = np.log(b2 / b1) + abs(m1 - m2) / b2 + b1 / b2 * np.exp(-abs(m1 - m2) / b1) - 1
    assert gt.kl_divergence(stats.laplace(m1, b1), stats.laplace(m2, b2)) == pytest.approx(exact, abs=TOL)


# --- exact cases -------------------------------------------------------------------------------

def test_disjoint_supports_give_exactly_log2_and_zero_criterion():
    p, q = stats.uniform(0, 1), stats.uniform(3, 1)
    assert gt.js_divergence(p, q) == LOG2
    assert gt.js_divergence(p, q, base=2) == 1.0
    assert gt.virtual_criterion(p, q) == 0.0
    assert gt.kl_divergence(p, q) == np.inf


def test_identical_densities_give_zero_and_minus_log4():
    # Theorem 1: C(G) = -log 4 exactly when p_g = p_data.
    for p in (stats.norm(1, 2), stats.laplace(0, 1), stats.t(1), stats.uniform(0, 3), ref.make(MIX_SKEWED).scipy):
        assert gt.js_divergence(p, p) == pytest.approx(0.0, abs=TOL)
        assert gt.kl_divergence(p, p) == pytest.approx(0.0, abs=TOL)
        assert gt.virtual_criterion(p, p) == pytest.approx(-np.log(4), abs=TOL)


def test_kl_is_infinite_where_p_has_mass_q_lacks_and_finite_the_other_way():
    gauss, box = stats.norm(0, 1), stats.uniform(-1, 2)
    assert gt.kl_divergence(gauss, box) == np.inf
    assert np.isfinite(gt.kl_divergence(box, gauss))
    gapped = gt.Mixture([stats.uniform(0, 1), stats.uniform(2, 1)], [0.5, 0.5])
    assert gt.kl_divergence(stats.uniform(0, 3), gapped) == np.inf  # the gap (1, 2) has no q mass
    assert gt.kl_divergence(gapped, stats.uniform(0, 3)) == pytest.approx(np.log(1.5), abs=TOL)


def test_far_apart_and_badly_scaled_densities_stay_correct():
    # 1e3 standard deviations apart: JS is log 2 to the last digit (the overlap is e^(-125000)).
    assert gt.js_divergence(stats.norm(0, 1), stats.norm(1e3, 1)) == LOG2
    assert gt.virtual_criterion(stats.norm(0, 1), stats.norm(1e3, 1)) == 0.0
    # Scale ratios 1e-3 and 1e3 are the same pair seen from either side: JS is symmetric.
    narrow, wide = stats.norm(0, 1e-3), stats.norm(0, 1)
    js = gt.js_divergence(narrow, wide)
    assert js == pytest.approx(gt.js_divergence(stats.norm(0, 1), stats.norm(0, 1e3)), abs=TOL)
    assert 0.0 < js < LOG2


def test_base_two_gives_bits():
    p, q = stats.norm(0, 1), stats.norm(2, 1)
    assert gt.js_divergence(p, q, base=2) == pytest.approx(gt.js_divergence(p, q) / LOG2, rel=1e-15)
    assert gt.kl_divergence(p, q, base=2) == pytest.approx(2.0 / LOG2, rel=1e-13)
    assert gt.kl_divergence(p, q, base=np.e) == pytest.approx(2.0, rel=1e-13)


def test_optimal_discriminator_is_eq7_and_exact_in_log_space():
    p, q = stats.norm(0, 1), stats.norm(2, 1)
    d_star = gt.optimal_discriminator(p, q)
    x = np.linspace(-5, 7, 49).reshape(7, 7)
    np.testing.assert_allclose(d_star(x), p.pdf(x) / (p.pdf(x) + q.pdf(x)), rtol=1e-14, atol=1e-300)
    # Far out the probabilities round to 0 or 1 but the logit log p - log q = 2 - 2x is exact.
    np.testing.assert_allclose(d_star.logit(np.array([-100.0, 100.0])), [202.0, -198.0], rtol=1e-15)
    # Outside both supports any value is optimal; the convention is 1/2.
    boxes = gt.optimal_discriminator(stats.uniform(0, 1), stats.uniform(0.5, 1))
    np.testing.assert_array_equal(boxes(np.array([-1.0, 0.25, 0.75, 1.25, 2.0])), [0.5, 1.0, 0.5, 0.0, 0.5])


def test_value_function_examples():
    p, q = stats.norm(0, 1), stats.norm(2, 1)
    half = gt.value_function(lambda x: np.full_like(x, 0.5), p, q)
    assert half == pytest.approx(-np.log(4), abs=TOL)
    assert gt.value_function(lambda x: 0.5, p, q) == half  # a scalar broadcasts
    assert gt.value_function(gt.optimal_discriminator(p, q), p, q) > half
    # D = 0 where p_data has mass scores -inf; so does D = 1 where p_g has mass.
    assert gt.value_function(lambda x: (x > 0).astype(float), p, q) == -np.inf
    # Passed as bare probabilities, D* rounds to exactly 1.0 near x = -20, where p_g still has
    # density e^(-242): log(1 - D) = -inf there, so V of that function is -inf. That loss is why
    # OptimalDiscriminator carries its logit, which value_function uses.
    d_star = gt.optimal_discriminator(p, q)
    assert gt.value_function(lambda x: d_star(x), p, q) == -np.inf
    # Where D* stays away from 0 and 1 (at distance 0.5, 1 - D* > 1e-9 out to 37 sd, the 1e-30
    # quantile), probabilities and logits give the same V to the quadrature's accuracy.
    near = stats.norm(0.5, 1)
    plain = gt.value_function(lambda x: gt.optimal_discriminator(p, near)(x), p, near)
    assert plain == pytest.approx(gt.virtual_criterion(p, near), abs=TOL)


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [gt.js_divergence, gt.kl_divergence])
def test_divergences_reject_bad_input(fn):
    with pytest.raises(TypeError, match="`p` must be a frozen"):
        fn([0.5, 0.5], stats.norm())
    with pytest.raises(TypeError, match=r"`q` must be a continuous distribution.*poisson"):
        fn(stats.norm(), stats.poisson(1))
    for base in (0, 1, -2.0):
        with pytest.raises(ValueError, match="`base`"):
            fn(stats.norm(), stats.norm(1), base=base)


def test_value_function_rejects_bad_discriminators():
    p, q = stats.norm(0, 1), stats.norm(2, 1)
    with pytest.raises(TypeError, match="`D` must be a callable"):
        gt.value_function(0.5, p, q)
    with pytest.raises(ValueError, match=r"`D` must return probabilities in \[0, 1\]; D\(.*\) = 1.5"):
        gt.value_function(lambda x: np.full_like(x, 1.5), p, q)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*= nan"):
        gt.value_function(lambda x: np.full_like(x, np.nan), p, q)
    with pytest.raises(ValueError, match="one probability per input"):
        gt.value_function(lambda x: np.zeros(3), p, q)
    with pytest.raises(TypeError, match="`p_g`"):
        gt.virtual_criterion(p, "norm(2, 1)")


def test_errors_from_a_users_discriminator_name_it():
    # A scalar-only D (math.exp of an array), a D that fails, and values that are not real
    # numbers: each a TypeError that names `D` (or `D.logit`), with the original error chained.
    p, q = stats.norm(0, 1), stats.norm(2, 1)
    with pytest.raises(TypeError, match=r"^`D` raised TypeError \(.*\) when called on an array of points") as info:
        gt.value_function(lambda x: math.exp(x), p, q)
    assert isinstance(info.value.__cause__, TypeError)
    with pytest.raises(TypeError, match=r"^`D` raised ZeroDivisionError \(division by zero\)"):
        gt.value_function(lambda x: x.size / 0, p, q)
    for values, dtype in ((lambda x: np.full(x.shape, "a"), "<U1"), (lambda x: x > 0, "bool"),
                          (lambda x: x + 0j, "complex128")):
        with pytest.raises(TypeError, match=f"^`D` must return real numbers, got an array of dtype {dtype}"):
            gt.value_function(values, p, q)

    class Logit:
        def __call__(self, x):
            return np.full_like(x, 0.5)

        def logit(self, x):
            raise RuntimeError("not trained")

    with pytest.raises(TypeError, match=r"^`D.logit` raised RuntimeError \(not trained\)"):
        gt.value_function(Logit(), p, q)


# --- properties ---------------------------------------------------------------------------------

@given(density_pairs())
def test_js_is_bounded_symmetric_and_the_criterion_is_eq9(pair):
    p, q = pair
    js = gt.js_divergence(p, q)
    assert 0.0 <= js <= LOG2
    assert gt.js_divergence(q, p) == pytest.approx(js, abs=TOL)
    # Eq. (9), C(G) = 2 JS - 2 log 2, with C integrated from D* and JS from its definition.
    assert gt.virtual_criterion(p, q) == pytest.approx(2 * js - 2 * LOG2, abs=2 * TOL)


@given(densities())
def test_js_of_a_density_with_itself_is_zero(p):
    assert gt.js_divergence(p, p) == pytest.approx(0.0, abs=TOL)


@given(densities(), densities(), densities())
def test_square_root_of_js_obeys_the_triangle_inequality(p, q, r):
    # sqrt(JS) is a metric (Endres & Schindelin 2003); slack for three integrals' errors near 0,
    # where sqrt amplifies: sqrt(1e-13) ~ 3e-7.
    d = lambda a, b: np.sqrt(gt.js_divergence(a, b))  # noqa: E731
    assert d(p, r) <= d(p, q) + d(q, r) + 1e-6


@given(density_pairs(uniform=False))
def test_kl_is_non_negative_and_base_two_is_nats_over_log2(pair):
    p, q = pair
    kl = gt.kl_divergence(p, q)
    assert kl >= 0.0
    if np.isfinite(kl):
        assert gt.kl_divergence(p, q, base=2) == pytest.approx(kl / LOG2, rel=1e-15)


@given(density_pairs(heavy_tails=False), discriminators())
def test_no_discriminator_beats_the_optimal_one(pair, D):
    # V(D, G) <= V(D*, G) = C(G), the pointwise maximization behind eq. (7).
    p, q = pair
    assert gt.value_function(D, p, q) <= gt.virtual_criterion(p, q) + TOL


@given(st.floats(-30, 30), st.floats(0.05, 20))
def test_js_of_gaussians_depends_only_on_distance_over_scale(d, s):
    # JS(N(0, s^2) || N(d, s^2)) = JS(N(0, 1) || N(d/s, 1)): scale invariance of divergences.
    lhs = gt.js_divergence(stats.norm(0, s), stats.norm(d, s))
    assert lhs == pytest.approx(gt.js_divergence(stats.norm(0, 1), stats.norm(d / s, 1)), abs=TOL)


# --- the hard cases of issue 10, each with its right number ---------------------------------------
#
# Tolerances: values of order one to 1e-13 absolute (TOL, as above). Where the answer is tiny or
# huge, relative: 1e-12 for JS of 1e-17 between two Gaussians (the pipeline's exact quadratic
# log-ratio leaves only the quadrature's own 1e-13), 1e-15 for KL = 5e39 (a closed form evaluated
# in the frame: rounding only).

EDGE_CASES = {
    # name: (p, q, the reference (a closed form, or None for the 30-digit mpmath integral))
    "KL uniform || triang(0.5)": ("kl", ("uniform", ()), ("triang", (0.5,)), 1 - np.log(2)),
    "KL beta(1,1) || beta(2,2)": ("kl", ("beta", (1.0, 1.0)), ("beta", (2.0, 2.0)), 2 - np.log(6)),
    "KL beta(1,1) || beta(1,2)": ("kl", ("beta", (1.0, 1.0)), ("beta", (1.0, 2.0)), 1 - np.log(2)),
    "KL uniform || beta(.5,.5)": ("kl", ("uniform", ()), ("beta", (0.5, 0.5)), np.log(np.pi) - 1),
    "KL beta(.5,.5) || uniform": ("kl", ("beta", (0.5, 0.5)), ("uniform", ()), np.log(4 / np.pi)),
    "KL beta(2,5) || beta(3,1.5)": ("kl", ("beta", (2.0, 5.0)), ("beta", (3.0, 1.5)), None),
    "KL uniform || beta(.5,2)": ("kl", ("uniform", ()), ("beta", (0.5, 2.0)), None),
    "JS uniform || triang(0.5)": ("js", ("uniform", ()), ("triang", (0.5,)), None),
    "JS uniform || beta(.5,.5)": ("js", ("uniform", ()), ("beta", (0.5, 0.5)), None),
    "JS uniform || beta(.5,2)": ("js", ("uniform", ()), ("beta", (0.5, 2.0)), None),
    "JS beta(1,1) || beta(2,2)": ("js", ("beta", (1.0, 1.0)), ("beta", (2.0, 2.0)), None),
    "JS gamma(0.5) || expon": ("js", ("gamma", (0.5,)), ("expon", ()), None),
    "KL gamma(0.5) || expon": ("kl", ("gamma", (0.5,)), ("expon", ()), None),
    "JS levy || lomax(1)": ("js", ("levy", ()), ("lomax", (1.0,)), None),
}


@pytest.mark.parametrize("case", EDGE_CASES)
def test_shared_edges_and_endpoint_singularities_give_the_right_number(case):
    # Before: KL uniform||triang and beta(1,1)||beta(2,2) were inf (a node rounded onto the shared
    # edge), KL uniform||beta(.5,.5) was 0.0 and its reverse inf, JS uniform||beta(.5,.5) raised
    # FloatingPointError. The closed forms, or mpmath's tanh-sinh at 30 digits, to 1e-13.
    what, (p_name, p_shapes), (q_name, q_shapes), exact = EDGE_CASES[case]
    p, q = ref.family(p_name, *p_shapes), ref.family(q_name, *q_shapes)
    if exact is None:
        exact = (ref.kl_of if what == "kl" else ref.js_of)(p, q)
    fn = gt.kl_divergence if what == "kl" else gt.js_divergence
    assert fn(p.scipy, q.scipy) == pytest.approx(exact, abs=TOL)
    if what == "js":
        assert gt.virtual_criterion(p.scipy, q.scipy) == pytest.approx(2 * exact - 2 * LOG2, abs=2 * TOL)


def test_laplace_far_in_the_tail_where_scipy_underflows():
    # Before: inf. KL(Lap(40,1) || Lap(0,1)) = |40|/1 + e^-40 - 1 = 39 + 4.2e-18.
    assert gt.kl_divergence(stats.laplace(40, 1), stats.laplace(0, 1)) == pytest.approx(39 + np.exp(-40), abs=TOL * 39)


def test_far_locations_are_integrated_in_a_frame_at_the_densities():
    # Before: 0.0, 1.1004, -2.21 and 2e-11, all silently.
    assert gt.kl_divergence(stats.norm(1e20, 1), stats.norm(0, 1)) == pytest.approx(5e39, rel=1e-15)
    assert gt.kl_divergence(stats.norm(1e16, 1), stats.norm(1e16, 2)) == pytest.approx(
        np.log(2) + 1 / 8 - 1 / 2, abs=TOL)
    assert gt.virtual_criterion(stats.norm(1e16, 1), stats.norm(1e16, 1)) == pytest.approx(-np.log(4), abs=TOL)
    assert gt.js_divergence(stats.norm(1e8, 1), stats.norm(1e8, 1)) == 0.0
    # A far pair that is not identical: JS(N(1e15, 1) || N(1e15 + 2, 1)) is Figure 3's 0.33683.
    assert gt.js_divergence(stats.norm(1e15, 1), stats.norm(1e15 + 2, 1)) == pytest.approx(
        gt.js_divergence(stats.norm(0, 1), stats.norm(2, 1)), abs=TOL)


def test_improper_scales_are_refused_and_tiny_proper_ones_computed():
    # Before: norm(0, inf) gave KL 0.0 and a bare numpy warning; norm(0, 1e-320) gave 0 or -inf.
    with pytest.raises(ValueError, match=r"`p` = norm\(0, inf\) is not a proper density: its scale"):
        gt.kl_divergence(stats.norm(0, np.inf), stats.norm(0, 1))
    with pytest.raises(ValueError, match="its location must be finite"):
        gt.js_divergence(stats.norm(0, 1), stats.norm(np.inf, 1))
    s = 1e-320  # a subnormal: the float nearest 1e-320 is 9.99989e-321
    with mp.workdps(30):
        exact = float(-mp.log(mp.mpf(s)) - mp.mpf(1) / 2 + mp.mpf(s) ** 2 / 2)
    assert gt.kl_divergence(stats.norm(0, s), stats.norm(0, 1)) == pytest.approx(exact, rel=1e-13)
    assert gt.js_divergence(stats.norm(0, s), stats.norm(0, 1)) == pytest.approx(LOG2, abs=1e-15)


def test_an_infinite_kl_is_decided_from_the_tails_at_once():
    # Before: 5.6e64 with an AccuracyWarning after 7.6 s. t(1.5) has a tail x^-2.5 and log(p/q)
    # grows like x^2/2: the integrand decays like x^-0.5, so KL is infinite.
    import time

    started = time.perf_counter()
    assert gt.kl_divergence(stats.t(1.5), stats.norm()) == np.inf
    assert gt.kl_divergence(stats.cauchy(), stats.laplace()) == np.inf  # x^-2 times |x|
    assert np.isfinite(gt.kl_divergence(stats.t(3), stats.laplace()))
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("d", [1e-8, 1e-6, 1e-4, 1e-2])
def test_tiny_differences_keep_their_relative_accuracy(d):
    # Before: js(N(0,1), N(1e-8,1)) = 0.0 and a relative error of 1.8e-7 at d = 1e-4. The promise
    # (module docstring): relative 1e-12 for two Gaussians, whose log-ratio is an exact quadratic.
    p_spec, q_spec = ("norm", 0, 1), ("norm", d, 1)
    assert gt.js_divergence(stats.norm(0, 1), stats.norm(d, 1)) == pytest.approx(ref.js(p_spec, q_spec), rel=1e-12)
    assert gt.kl_divergence(stats.norm(0, 1), stats.norm(d, 1)) == pytest.approx(d * d / 2, rel=1e-12)


def test_tiny_differences_of_other_families_are_accurate_to_the_rounding_of_their_logs():
    # Laplace(0,1) against Laplace(1e-6,1): KL = d - 1 + e^-d = d^2/2 - d^3/6 + ...; the two
    # log-densities of size ~|x| cancel to ~d, so the relative error is about eps |x| / d = 1e-10.
    d = 1e-6
    assert gt.kl_divergence(stats.laplace(0, 1), stats.laplace(d, 1)) == pytest.approx(np.expm1(-d) + d, rel=1e-8)


def test_base_must_exceed_one_and_every_result_is_a_float():
    p, q = stats.norm(0, 1), stats.norm(1, 1)
    for bad in (0.5, 1, -2, np.inf):
        with pytest.raises(ValueError, match="`base` must be a finite number > 1"):
            gt.kl_divergence(p, q, base=bad)
    with pytest.raises(TypeError, match="`base` must be a number"):
        gt.js_divergence(p, q, base=True)
    for base in (None, 2, np.e, 10.0, np.float32(2.0)):
        for value in (gt.kl_divergence(p, q, base=base), gt.js_divergence(p, q, base=base),
                      gt.kl_divergence(p, stats.uniform(0, 1), base=base)):
            assert type(value) is float
    assert type(gt.virtual_criterion(p, q)) is float and type(gt.value_function(lambda x: 0.5 + 0 * x, p, q)) is float


def test_none_and_booleans_are_not_numbers():
    with pytest.raises(TypeError, match="`weights` must be an array of real numbers, got None"):
        gt.Mixture([stats.norm()], None)
    with pytest.raises(TypeError, match="`distances` must be an array of real numbers, got None"):
        gt.js_curve(None)
    with pytest.raises(TypeError, match="`weights` must be an array of real numbers"):
        gt.Mixture([stats.norm()], [True])
    with pytest.raises(TypeError, match=r"`p` = norm\(True, 1\): its parameters must be numbers, not booleans"):
        gt.kl_divergence(stats.norm(True, 1), stats.norm())


def test_no_warning_reaches_the_user_at_extreme_arguments():
    # Before: D* at 1e200 overflowed (and answered 0.5); gaussian_js with sigma = 1e-300 overflowed.
    # The suite runs with warnings as errors, so reaching the asserts means no warning escaped.
    d_star = gt.optimal_discriminator(stats.norm(0, 1), stats.norm(1, 1))
    assert d_star.logit(1e200) == pytest.approx(-1e200 + 0.5, rel=1e-15)  # log p - log q = 1/2 - x
    assert d_star(np.array([1e200, -1e200])).tolist() == [0.0, 1.0]
    wide = gt.optimal_discriminator(stats.norm(0, 1), stats.norm(0, 2))
    assert wide(np.array([1e200]))[0] == 0.0  # the wider one wins far out
    from gantheory.gan.metrics import gaussian_js

    assert gaussian_js(0.0, 1e-300, stats.norm(0, 1)) == pytest.approx(LOG2, abs=1e-15)


def test_optimal_discriminator_far_out_for_densities_without_a_closed_form_ratio():
    # Both log-densities underflow at 1e200 inside the supports: the logit is its limit's sign.
    d_star = gt.optimal_discriminator(stats.norm(0, 1), gt.Mixture([stats.norm(0, 1), stats.norm(0, 3)], [0.5, 0.5]))
    assert d_star(np.array([1e200]))[0] == 0.0
    assert d_star(np.array([0.0]))[0] == pytest.approx(1 / (1 + 0.5 + 0.5 / 3), rel=1e-14)
