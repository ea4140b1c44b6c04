"""The JS curve and the generator gradients: 30-digit mpmath references, exact cases, theorems, properties."""

from functools import lru_cache

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize, stats

import gantheory as gt
from gantheory.curves import (
    discretized_js,
    distance_for_js,
    first_distance,
    generator_gradients,
    histogram_js,
    js_curve,
    steepest_distance,
)
from gantheory.testing import scales

LOG2 = np.log(2.0)

# Tolerances.
# - Against the 30-digit references: 1e-13 absolute. Measured errors are below 4e-16 (JS) and
#   4e-16 (dJS/dd, which at scale 0.1 is 10x the unit-scale slope); the contract is
#   1e-12 and the benchmark asks 1e-13, so 1e-13 fails on any real loss of digits.
# - Identities between two of our own sums (saturating = 2 dJS/dd, ...): 1e-13 relative to the
#   size of the terms, which is what double-precision summation of ~500 nodes can promise.
REF_TOL = 1e-13
REL_TOL = 1e-13
DIGITS = 30


# --- mpmath references, written from the textbook definitions in x -----------------------------


def _split_points(d, s):
    """Split points for mpmath.quad: around both means, and a ladder around the midpoint
    where D* switches over a width s^2/d."""
    points = {k * s for k in (-10, -3, 0, 3, 10)} | {d + k * s for k in (-10, -3, 0, 3, 10)}
    if d != 0:
        width = s * s / abs(d)
        points |= {d / 2 + k * width for k in (-16, -4, -1, 0, 1, 4, 16)}
    return [mp.ninf] + sorted(points) + [mp.inf]


@lru_cache(maxsize=None)
def ref_js(d: float, s: float) -> tuple[float, float]:
    """JS(N(0,s^2) || N(d,s^2)) = 1/2 KL(p||m) + 1/2 KL(q||m) and dJS/dd = 1/2 int dq/dd log(q/m)."""
    with mp.workdps(DIGITS):
        d, s = mp.mpf(d), mp.mpf(s)
        log_c = -mp.log(s) - mp.log(2 * mp.pi) / 2

        def logs(x):
            log_p = log_c - x**2 / (2 * s**2)
            log_q = log_c - (x - d) ** 2 / (2 * s**2)
            return log_p, log_q, mp.log((mp.exp(log_p) + mp.exp(log_q)) / 2)

        def js_integrand(x):
            log_p, log_q, log_m = logs(x)
            return (mp.exp(log_p) * (log_p - log_m) + mp.exp(log_q) * (log_q - log_m)) / 2

        def slope_integrand(x):
            _, log_q, log_m = logs(x)
            return mp.exp(log_q) * (x - d) / s**2 * (log_q - log_m) / 2

        points = _split_points(d, s)
        return float(mp.quad(js_integrand, points)), float(mp.quad(slope_integrand, points))


@lru_cache(maxsize=None)
def ref_gradients(theta: float, s: float) -> tuple[float, float]:
    """The two gradients from their definitions: the expectations ``E_z log(1 - D*(t + s z))`` and
    ``E_z -log D*(t + s z)``, with D* frozen at ``t = theta``, differentiated in t by a central
    difference at 42 digits with step 1e-18 (truncation ~1e-36, rounding ~1e-24)."""
    with mp.workdps(DIGITS + 12):
        theta, s = mp.mpf(theta), mp.mpf(s)
        step = mp.mpf(10) ** -18

        def logit(x):  # log p_data(x) - log p_g(x) with p_g = N(theta, s^2), frozen
            return ((x - theta) ** 2 - x**2) / (2 * s**2)

        def phi(z):
            return mp.exp(-(z**2) / 2) / mp.sqrt(2 * mp.pi)

        width = s / abs(theta)
        z_points = sorted({mp.mpf(k) for k in (-10, -3, 0, 3, 10)}
                          | {-theta / (2 * s) + k * width for k in (-8, -1, 0, 1, 8)})
        z_points = [mp.ninf] + z_points + [mp.inf]

        def derivative(pointwise_loss):
            def expected(t):
                return mp.quad(lambda z: phi(z) * pointwise_loss(logit(t + s * z)), z_points)
            return float((expected(theta + step) - expected(theta - step)) / (2 * step))

        # log(1 - D*) = -log(1 + e^logit);  -log D* = log(1 + e^-logit)
        return (derivative(lambda l: -mp.log1p(mp.exp(l))),
                derivative(lambda l: mp.log1p(mp.exp(-l))))


# (distance, scale): small, steepest, Figure 3's 2, the 0.693 threshold, far; scales 0.1 to 10,
# distances up to 50 (u = 500 at scale 0.1).
REF_CASES = [
    (1e-6, 1.0), (0.05, 0.1), (1.0, 1.0), (1.6, 1.0), (2.0, 1.0), (3.7, 1.0), (5.0, 1.0),
    (7.0, 1.0), (0.9, 0.1), (14.0, 10.0), (50.0, 10.0), (14.0, 1.0), (50.0, 0.1),
]
GRADIENT_CASES = [(3.0, 10.0), (2.0, 1.0), (0.7, 0.1)]


# --- exact cases ---------------------------------------------------------------------------------


def test_zero_distance_gives_exact_zeros():
    js, djs = js_curve(0.0)
    saturating, non_saturating = generator_gradients(0.0)
    assert (js, djs, saturating, non_saturating) == (0.0, 0.0, 0.0, 0.0)


def test_figure_3_value_matches_the_general_integrator():
    # Two independent quadratures of the same JS (this module's rule and the adaptive
    # Gauss-Kronrod of js_divergence), each accurate to ~1e-15.
    js, _ = js_curve(2.0)
    assert js == pytest.approx(gt.js_divergence(stats.norm(0, 1), stats.norm(2, 1)), abs=REF_TOL)
    assert f"{js:.5f}" == "0.33683"


def test_far_apart_is_log2_exactly_and_the_saturating_gradient_vanishes():
    js, djs = js_curve(50.0)
    saturating, non_saturating = generator_gradients(50.0)
    assert js == LOG2
    assert 0.0 < djs < 1e-130 and 0.0 < saturating < 1e-130  # ~ e^{-50^2/8} = 1e-136
    assert non_saturating == pytest.approx(50.0, rel=1e-15)  # theta/s^2 times E[1 - D*] = 1 - 1e-136


def test_small_distance_keeps_relative_accuracy():
    # JS = d^2/8 - O(d^4) and dJS/dd = d/4 - O(d^3): relative deviations ~ d^2 = 1e-8.
    d = 1e-4
    js, djs = js_curve(d)
    assert js == pytest.approx(d**2 / 8, rel=1e-7)
    assert djs == pytest.approx(d / 4, rel=1e-7)


def test_kl_derivative_used_by_the_theorem_is_the_closed_form():
    # d/dtheta KL(N(theta, s^2) || N(0, s^2)) = theta / s^2: a central difference of the
    # library's KL integral (error ~ h^2 * 0 + 1e-15 / h: the KL is exactly quadratic).
    theta, s, h = 1.3, 0.7, 1e-3
    kl = [gt.kl_divergence(stats.norm(theta + k * h, s), stats.norm(0, s)) for k in (-1, 1)]
    assert (kl[1] - kl[0]) / (2 * h) == pytest.approx(theta / s**2, abs=1e-10)


def test_shapes_and_scalars():
    js, djs = js_curve(1.5)
    assert isinstance(js, np.float64) and isinstance(djs, np.float64)
    grid = np.linspace(0, 3, 6).reshape(2, 3)
    assert js_curve(grid)[0].shape == (2, 3)
    assert generator_gradients(grid)[1].shape == (2, 3)
    assert js_curve([])[0].shape == (0,)
    assert generator_gradients([])[0].shape == (0,)
    assert js_curve(grid)[0][1, 2] == js_curve(grid[1, 2])[0]  # batch and single agree bitwise


@pytest.mark.parametrize("function", [js_curve, generator_gradients])
@pytest.mark.parametrize("bad", [np.nan, [0.0, np.inf], -np.inf])
def test_non_finite_distances_are_rejected(function, bad):
    with pytest.raises(ValueError, match="`distances` must be finite"):
        function(bad)


@pytest.mark.parametrize("function", [js_curve, generator_gradients])
@pytest.mark.parametrize("bad", [0.0, -1.0, np.inf, np.nan])
def test_bad_scale_is_rejected(function, bad):
    with pytest.raises(ValueError, match="`scale` must be a finite number > 0"):
        function(1.0, scale=bad)


def test_non_numbers_are_rejected():
    with pytest.raises(TypeError, match="`distances`"):
        js_curve("far")
    with pytest.raises(TypeError, match="`scale`"):
        generator_gradients(1.0, scale="1")


def test_huge_distances_stay_finite_and_warning_free():
    # pytest turns warnings into errors: no overflow or inf*0 may escape.
    js, djs = js_curve([1e300, -1e308], scale=1e-3)
    assert list(js) == [LOG2, LOG2] and list(np.abs(djs)) == [0.0, 0.0]
    saturating, non_saturating = generator_gradients([1e10, 1e308], scale=1e-3)
    assert list(saturating) == [0.0, 0.0]
    assert non_saturating[0] == pytest.approx(1e16, rel=1e-15) and non_saturating[1] == np.inf


# --- against mpmath ---------------------------------------------------------------------------------


@pytest.mark.parametrize("d, s", REF_CASES)
def test_js_curve_matches_mpmath(d, s):
    expected_js, expected_djs = ref_js(d, s)
    js, djs = js_curve(d, scale=s)
    assert abs(js - expected_js) <= REF_TOL
    assert abs(djs - expected_djs) <= REF_TOL
    # and the mirror image
    js_neg, djs_neg = js_curve(-d, scale=s)
    assert abs(js_neg - expected_js) <= REF_TOL and abs(djs_neg + expected_djs) <= REF_TOL


def test_400_point_curve_matches_mpmath_where_the_benchmark_measures():
    # The benchmark's grid is 400 points on [0, 10]; check an evenly spread tenth of it in one
    # batched call (the batch is what the benchmark times).
    grid = np.linspace(0.0, 10.0, 400)
    js, djs = js_curve(grid)
    for i in range(5, 400, 80):
        expected_js, expected_djs = ref_js(float(grid[i]), 1.0)
        assert abs(js[i] - expected_js) <= REF_TOL and abs(djs[i] - expected_djs) <= REF_TOL


@pytest.mark.parametrize("theta, s", GRADIENT_CASES)
def test_gradients_match_their_definitions_in_mpmath(theta, s):
    expected_saturating, expected_non_saturating = ref_gradients(theta, s)
    saturating, non_saturating = generator_gradients(theta, scale=s)
    # Relative: the non-saturating gradient is theta/s^2 = 70 at (0.7, 0.1).
    assert saturating == pytest.approx(expected_saturating, rel=REL_TOL, abs=REF_TOL)
    assert non_saturating == pytest.approx(expected_non_saturating, rel=REL_TOL, abs=REF_TOL)


# --- the figures' landmarks ------------------------------------------------------------------------


def test_steepest_distance_is_the_maximum_of_the_slope():
    # A bounded maximizer on the slope itself locates a smooth maximum only to ~sqrt(eps) relative
    # (the peak is flat to second order), so 1e-6 is its resolution, not ours.
    found = optimize.minimize_scalar(lambda d: -js_curve(d)[1], bounds=(1.0, 3.0),
                                     method="bounded", options={"xatol": 1e-10})
    assert steepest_distance() == pytest.approx(found.x, abs=1e-6)
    assert steepest_distance(scale=2.5) == pytest.approx(2.5 * steepest_distance(), rel=1e-14)
    assert 1.63 < steepest_distance() < 1.64


def test_second_derivative_behind_steepest_distance_matches_a_difference_of_the_slope():
    from gantheory.curves import _js_parts

    u, h = np.array([0.4, 1.6, 3.0, 6.0]), 1e-3
    second = _js_parts(u, second=True)[2]
    slopes = [js_curve(u + k * h)[1] for k in (-2, -1, 1, 2)]
    # 4th-order central difference: truncation ~ h^4 f^(5) / 30 ~ 1e-13, rounding ~ 1e-16 / h.
    difference = (slopes[0] - 8 * slopes[1] + 8 * slopes[2] - slopes[3]) / (12 * h)
    np.testing.assert_allclose(second, difference, rtol=0, atol=1e-11)


def test_landmarks_quoted_by_the_article_checks():
    _, slope_at_5 = js_curve(5.0)
    assert 0.023 < slope_at_5 < 0.024
    d = distance_for_js(0.6925)
    assert 7.0 < d < 7.05
    assert f"{js_curve(d + 1e-9)[0]:.3f}" == "0.693" and f"{js_curve(d - 1e-6)[0]:.3f}" == "0.692"


def test_distance_for_js_edges():
    assert distance_for_js(0.0) == 0.0
    assert distance_for_js(LOG2) == first_distance(lambda js: js == LOG2)
    with pytest.raises(ValueError, match=r"`value` must be in \[0, log 2\]"):
        distance_for_js(0.7)
    with pytest.raises(ValueError, match="`value`"):
        distance_for_js(-0.1)


def _floats_around(d, count):
    below, above = [d], [d]
    for _ in range(count):
        below.append(np.nextafter(below[-1], 0.0))
        above.append(np.nextafter(above[-1], np.inf))
    return np.array(below[1:]), np.array(above)


@pytest.mark.parametrize(("predicate", "expected"), [
    (lambda js: js == LOG2, 16.8509874401543),
    (lambda js: f"{js:.3f}" == "0.693", 7.024164409311826),
    (lambda js: str(js)[:5] == "0.693", 7.78139365509655),
])
def test_first_distance_is_the_first_float_where_the_predicate_holds(predicate, expected):
    d = first_distance(predicate)
    assert d == expected
    # Exactly at the switch: false on the 2000 floats below it, true on it and the 2000 above.
    below, above = _floats_around(d, 2000)
    assert not any(predicate(float(v)) for v in js_curve(below)[0])
    assert all(predicate(float(v)) for v in js_curve(above)[0])


def test_first_distance_on_a_flat_stretch_differs_from_a_root_finder():
    # JS == log 2 from 16.851 on, while JS reaches the float just below log 2 from 16.592: a root
    # finder aimed at the latter stops anywhere in between (it once reported 16.77).
    almost = first_distance(lambda js: js >= np.nextafter(LOG2, 0.0))
    assert 16.59 < almost < 16.6 < 16.85 < first_distance(lambda js: js == LOG2)
    assert js_curve(16.77)[0] < LOG2


def test_first_distance_checks_its_arguments():
    with pytest.raises(TypeError, match="`predicate`"):
        first_distance(0.5)
    with pytest.raises(ValueError, match="must hold at `hi`"):
        first_distance(lambda js: js > 1.0)
    with pytest.raises(ValueError, match="`lo` must be below `hi`"):
        first_distance(lambda js: True, lo=5.0, hi=1.0)
    assert first_distance(lambda js: True, lo=2.0) == 2.0
    assert first_distance(lambda js: js >= 0.3, scale=2.0) == pytest.approx(2 * first_distance(lambda js: js >= 0.3),
                                                                         rel=1e-15)


# --- naive estimates -------------------------------------------------------------------------------


def test_discretized_js_converges_to_the_exact_value_on_a_wide_grid():
    # The Riemann sum of a Gaussian-weighted smooth function converges faster than any power of
    # the spacing; 2001 points over [-10, 12] leave only rounding (~1e-15).
    assert discretized_js(2.0, -10.0, 12.0, 2001) == pytest.approx(js_curve(2.0)[0], abs=1e-12)
    # A window of 3 standard deviations beyond each mean loses tail mass: biased low.
    assert discretized_js(2.0, -3.0, 5.0, 1000) < js_curve(2.0)[0] - 4e-4


def test_histogram_js_is_reproducible_and_near_the_exact_value():
    edges = np.linspace(-6.0, 8.0, 141)
    first = histogram_js(2.0, 100_000, edges, seed=3)
    assert first == histogram_js(2.0, 100_000, edges, seed=3)
    # Sampling noise of a 10^5-sample estimate is ~1e-3 (and binning bias ~1e-3).
    assert first == pytest.approx(js_curve(2.0)[0], abs=5e-3)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: discretized_js(2.0, 1.0, 1.0, 10), "`lo` must be below `hi`"),
        (lambda: discretized_js(2.0, 0.0, 1.0, 1), "`num`"),
        (lambda: histogram_js(2.0, 0, [0.0, 1.0], seed=0), "`n_samples`"),
        (lambda: histogram_js(2.0, 10, [1.0, 0.0], seed=0), "`bins`"),
        (lambda: histogram_js(2.0, 10, [0.0, 1.0], seed=-1), "`seed`"),
    ],
)
def test_naive_estimates_reject_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- properties --------------------------------------------------------------------------------------

distances = st.floats(-50.0, 50.0, allow_nan=False)


def test_js_is_monotone_and_bounded_and_the_slope_positive_on_a_fine_grid():
    grid = np.linspace(0.0, 60.0, 6001)
    js, djs = js_curve(grid)
    assert js[0] == 0.0 and np.all(np.diff(js) >= 0.0)
    assert np.all((js >= 0.0) & (js <= LOG2))
    assert np.all(djs[1:] >= 0.0) and np.all(djs[1:1000] > 0.0)


def test_slope_matches_a_sixth_order_difference_of_the_curve():
    # Central 6th-order difference with h = 0.01: truncation ~ h^6 |f^(7)| / 140 < 1e-14 and
    # rounding ~ 110 * 1e-16 / (60 h) ~ 2e-14; 1e-12 leaves room and still catches a wrong
    # factor or sign anywhere.
    d, h = np.linspace(-12.0, 12.0, 97), 1e-2
    f = [js_curve(d + k * h)[0] for k in (-3, -2, -1, 1, 2, 3)]
    difference = (-f[0] + 9 * f[1] - 45 * f[2] + 45 * f[3] - 9 * f[4] + f[5]) / (60 * h)
    np.testing.assert_allclose(js_curve(d)[1], difference, rtol=0, atol=1e-12)


@given(distances, scales(0.1, 10.0))
def test_js_is_even_and_its_slope_odd(d, s):
    js, djs = js_curve(np.array([d, -d]), scale=s)
    assert js[0] == js[1] and djs[0] == -djs[1]
    assert 0.0 <= js[0] <= LOG2


@given(distances, scales(0.1, 10.0))
def test_only_the_ratio_of_distance_to_scale_matters(d, s):
    js, djs = js_curve(d, scale=s)
    js_unit, djs_unit = js_curve(d / s)
    assert js == pytest.approx(js_unit, abs=1e-15)
    assert djs == pytest.approx(djs_unit / s, rel=1e-14, abs=1e-15)


@given(distances, scales(0.1, 10.0))
def test_saturating_gradient_is_twice_the_js_slope(theta, s):
    # Goodfellow et al. (2014) Theorem 1 + the envelope theorem: the generator's gradient under
    # the optimal D is the gradient of C(G) = 2 JS - 2 log 2.
    saturating, _ = generator_gradients(theta, scale=s)
    _, djs = js_curve(theta, scale=s)
    assert saturating == pytest.approx(2 * djs, rel=REL_TOL, abs=1e-300)


@given(distances, scales(0.1, 10.0))
def test_non_saturating_gradient_is_kl_slope_minus_twice_the_js_slope(theta, s):
    # Arjovsky & Bottou (2017) Theorem 2.5: E[-d log D*(G(z))] = d/dtheta [KL(p_g||p_data) - 2 JS],
    # KL = theta^2 / 2s^2. The terms are of size theta/s^2, hence the relative tolerance.
    _, non_saturating = generator_gradients(theta, scale=s)
    _, djs = js_curve(theta, scale=s)
    kl_slope = theta / s**2
    assert abs(non_saturating - (kl_slope - 2 * djs)) <= REL_TOL * max(abs(kl_slope), 1e-300)


@given(st.floats(0.0, 0.69))
def test_distance_for_js_inverts_the_curve(value):
    d = distance_for_js(value)
    assert js_curve(d)[0] == pytest.approx(value, abs=1e-15)
