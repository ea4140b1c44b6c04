"""W1 and its critic: against mpmath, the quantile form, closed forms, WGAN's Example 1, properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import gantheory as gt
from gantheory.testing import densities, density_pairs

import references_fgan as rf

# As in test_fdivergences.py: the quadrature's error estimate is 1e-14 absolute or 1e-13 relative,
# and the references carry 30 digits. The quantile form is integrated by scipy's QUADPACK to
# 1e-13 relative, so against it we allow 1e-12 absolute (its own error).
TOL = 1e-13
CACHED = rf.cached()


@pytest.mark.parametrize("case", rf.CASES)
def test_w1_matches_mpmath_or_is_infinite(case):
    _, p_spec, q_spec, _ = rf.CASES[case]
    p, q = rf.make(p_spec).scipy, rf.make(q_spec).scipy
    value = gt.wasserstein1(p, q)
    if case in rf.W1_INFINITE:
        assert value == math.inf
    else:
        reference = CACHED[f"{case}|w1"]
        assert abs(value - reference) <= TOL * max(1.0, reference), (value, reference)


def test_cached_w1_reference_is_what_mpmath_computes_now():
    _, p_spec, q_spec, _ = rf.CASES["gauss wider q"]
    assert rf.wasserstein1(p_spec, q_spec) == CACHED["gauss wider q|w1"]


@pytest.mark.parametrize(("mu1", "s1", "mu2", "s2"), [(0, 1, 3, 1), (0.7, 1.1, 0, 1.5), (0, 1, 0, 2), (-2, 0.1, 5, 3)])
def test_gaussian_closed_form(mu1, s1, mu2, s2):
    assert gt.wasserstein1(stats.norm(mu1, s1), stats.norm(mu2, s2)) == pytest.approx(
        rf.gaussian_w1(mu1, s1, mu2, s2), abs=TOL)


@pytest.mark.parametrize(("p", "q"), [
    (stats.norm(0, 1), stats.laplace(0.5, 2)),
    (stats.t(3, loc=1), stats.norm(0, 2)),
    (gt.instance_noise(stats.uniform(0, 1), 0.2), stats.laplace(0.3, 0.4)),
])
def test_quantile_form(p, q):
    # (Mixtures are left to the mpmath references: their ppf is a bisection per call, and QUADPACK
    # calls it a thousand times.)
    assert gt.wasserstein1(p, q) == pytest.approx(rf.quantile_w1(p, q), abs=1e-12)


def test_shifts_move_w1_by_the_distance_however_far_or_heavy_tailed():
    for p in (stats.norm(0, 1), stats.t(1), stats.uniform(0, 1), gt.instance_noise(stats.uniform(0, 1), 0.05)):
        d = np.array([-7.0, 0.0, 0.3, 1e3])
        np.testing.assert_allclose(gt.wasserstein1_curve(p, p, d), np.abs(d), rtol=1e-13, atol=1e-13)


def test_wgan_example_1_and_the_gaussian_limit():
    # W1(U[0,1], U[theta, 1 + theta]) = |theta|, and W1(N(0, s^2), N(theta, s^2)) = |theta| for every s,
    # while JS saturates at log 2 (test_fdivergences.py).
    theta = np.linspace(-2, 2, 9)
    u = stats.uniform(0, 1)
    np.testing.assert_allclose(gt.wasserstein1_curve(u, u, theta), np.abs(theta), atol=1e-15)
    for s in (1.0, 1e-2, 1e-4):
        assert gt.wasserstein1(stats.norm(0, s), stats.norm(1, s)) == pytest.approx(1.0, abs=TOL)


@pytest.mark.parametrize(("p", "q"), [(stats.cauchy(), stats.norm()), (stats.t(1), stats.t(3)),
                                      (stats.norm(), stats.pareto(1))])
def test_without_a_first_moment_w1_is_infinite(p, q):
    assert gt.wasserstein1(p, q) == math.inf


def test_heavy_tails_with_a_mean_are_finite():
    value = gt.wasserstein1(stats.t(1.5), stats.t(1.5, loc=2))
    assert value == pytest.approx(2.0, abs=1e-12)


@pytest.mark.parametrize(("p", "q"), [
    (stats.norm(0, 1), stats.norm(1, 1.5)),
    (stats.t(3), stats.norm(0, 2)),
    (gt.Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5]), stats.norm(0, 1)),
    (stats.uniform(0, 1), stats.uniform(0.3, 2)),
])
def test_the_critic_attains_w1_kantorovich_rubinstein(p, q):
    f = gt.wasserstein1_critic(p, q)
    # E_P f - E_Q f by QUADPACK on the densities, split at the critic's kinks: a path that shares
    # nothing with gantheory's integral of |F_P - F_Q|.
    from scipy import integrate

    pieces = [-np.inf, *f.crossings, np.inf] if f.crossings.size else [-np.inf, 0.0, np.inf]
    gap = sum(integrate.quad(lambda x: (p.pdf(x) - q.pdf(x)) * float(f(x)), a, b, epsabs=1e-14, epsrel=1e-13,
                             limit=200)[0] for a, b in zip(pieces, pieces[1:]))
    assert gap == pytest.approx(gt.wasserstein1(p, q), abs=1e-12)
    x = np.linspace(-20, 20, 4001)
    values = f(x)
    assert np.all(np.abs(np.diff(values)) <= np.diff(x) * (1 + 1e-12))  # 1-Lipschitz
    assert np.all(np.isin(f.slope(x), [-1.0, 1.0]))


def test_critic_slope_is_the_sign_of_the_cdf_difference():
    p, q = stats.norm(0, 1), stats.norm(1, 1.5)
    f = gt.wasserstein1_critic(p, q)
    x = np.array([-5.0, -2.5, 0.0, 4.0])
    np.testing.assert_array_equal(f.slope(x), np.sign(q.cdf(x) - p.cdf(x)))
    assert f.crossings == pytest.approx([-2.0], abs=1e-12)  # F_P = F_Q where x = -(x - 1)/1.5
    assert float(f(f.anchor)) == 0.0


# --- properties --------------------------------------------------------------------------------

@settings(max_examples=20)
@given(density_pairs(heavy_tails=False))
def test_w1_is_symmetric_and_below_the_first_absolute_moments(pair):
    p, q = pair
    w = gt.wasserstein1(p, q)
    assert w == pytest.approx(gt.wasserstein1(q, p), abs=TOL * max(1, w))
    moments = _abs_moment(p) + _abs_moment(q)
    assert 0.0 <= w <= moments * (1 + 1e-7) + TOL  # scipy's expect (QUADPACK) is good to ~1.5e-8 relative


def _abs_moment(d) -> float:
    """E|X| by scipy's expect over each component's support (a path independent of gantheory)."""
    if isinstance(d, gt.Mixture):
        return sum(w * _abs_moment(c) for c, w in zip(d.components, d.weights))
    return d.expect(np.abs)


@settings(max_examples=10)
@given(densities(heavy_tails=False), densities(heavy_tails=False), densities(heavy_tails=False))
def test_w1_obeys_the_triangle_inequality(p, q, r):
    assert gt.wasserstein1(p, r) <= gt.wasserstein1(p, q) + gt.wasserstein1(q, r) + 1e-12


@settings(max_examples=10)
@given(densities(), st.floats(-5, 5))
def test_w1_of_a_shift_is_the_distance(p, d):
    assert gt.wasserstein1_curve(p, p, d) == pytest.approx(abs(d), abs=1e-12)


def test_bad_input():
    with pytest.raises(TypeError, match="`q` must be a frozen"):
        gt.wasserstein1(stats.norm(), [0.5, 0.5])
    with pytest.raises(ValueError, match="`distances` must be finite"):
        gt.wasserstein1_curve(stats.norm(), stats.norm(), [0.0, np.inf])


# --- issue 10's hard cases, through the pipeline's frames -----------------------------------------
#
# Distribution functions evaluated in each atom's own standardized coordinate: a pair at 1e16 is
# as exact as one at 0 (before: N(1e16,1) vs N(1e16,2) gave 0.18 for sqrt(2/pi) = 0.80), shared
# and singular edges need no special care (|F_P - F_Q| <= 1), and power tails get the verdict and
# remainder of the f-divergences. References: closed forms, or 30-digit mpmath integrals of
# |F_P - F_Q| written from textbook CDFs; 1e-13 absolute, relative above 1.

def _mp_w1(F, G, splits):
    import mpmath as mp

    with mp.workdps(30):
        return float(mp.quad(lambda x: abs(F(x) - G(x)), [mp.mpf(s) for s in splits]))


def _hard_w1_references():
    import mpmath as mp

    arcsine = lambda x: 2 / mp.pi * mp.asin(mp.sqrt(x)) if 0 < x < 1 else (mp.mpf(0) if x <= 0 else mp.mpf(1))  # noqa: E731
    return {
        "uniform || triang(0.5)": (stats.uniform(0, 1), stats.triang(0.5), 1 / 12),  # 2 int_0^1/2 (x - 2x^2)
        "uniform || beta(.5,.5)": (stats.uniform(0, 1), stats.beta(0.5, 0.5),
                                   _mp_w1(lambda x: x, arcsine, [0, 0.5, 1])),
        "laplace(40,1) || laplace(0,1)": (stats.laplace(40, 1), stats.laplace(0, 1), 40.0),
        "norm(1e16,1) || norm(1e16,2)": (stats.norm(1e16, 1), stats.norm(1e16, 2), math.sqrt(2 / math.pi)),
        "t(1.5) || norm": (stats.t(1.5), stats.norm(0, 1), rf.wasserstein1(("t", 1.5, 0, 1), ("norm", 0, 1))),
        "U(0,1) || U(1e16,1)": (stats.uniform(0, 1), stats.uniform(1e16, 1), 1e16),
    }


@pytest.mark.parametrize("label", ["uniform || triang(0.5)", "uniform || beta(.5,.5)", "laplace(40,1) || laplace(0,1)",
                                   "norm(1e16,1) || norm(1e16,2)", "t(1.5) || norm", "U(0,1) || U(1e16,1)"])
def test_w1_on_the_hard_cases_of_issue_10(label):
    p, q, reference = _hard_w1_references()[label]
    value = gt.wasserstein1(p, q)
    assert abs(value - reference) <= TOL * max(1.0, reference), (value, reference)
    assert gt.wasserstein1(q, p) == pytest.approx(value, abs=TOL * max(1.0, reference))
