"""The report's independent references: tanh-sinh integrals of the definitions against 30-digit mpmath.

gantheory.report.independent is what the report trusts instead of gantheory's own quadrature, so it
is held here to mpmath (tests/references.py, which shares no code with either) and to closed forms.
"""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

import gantheory as gt
import references as R
from gantheory.report import independent as I

LOG2 = math.log(2.0)

SPECS = [
    (("norm", 0, 1), ("norm", 2, 1)),
    (("norm", 0, 1), ("norm", 1, 3)),
    (("laplace", 0, 1), ("norm", 0.5, 1)),
    (("t", 1, 0, 1), ("t", 3, 2, 1)),
    (("mixture", (("norm", -3, 0.5), ("norm", 3, 0.5)), (0.5, 0.5)), ("norm", 0, 1)),
    (("uniform", 0, 2), ("uniform", 1, 2)),
]


@pytest.mark.parametrize(("p_spec", "q_spec"), SPECS)
def test_js_and_criterion_match_mpmath(p_spec, q_spec):
    p, q = R.make(p_spec).scipy, R.make(q_spec).scipy
    js = R.js(p_spec, q_spec)
    # Measured: within 3e-14 (the Cauchy pair; the others within 3e-15). The report's tolerance on
    # these references is 1e-12.
    assert I.js(p, q) == pytest.approx(js, abs=1e-13, rel=0)
    # C(G) = 2 JS - 2 log 2 (eq. 9): the mpmath JS is the reference for the independent C(G).
    assert I.criterion(p, q) == pytest.approx(2 * js - 2 * LOG2, abs=1e-13, rel=0)


def test_kl_matches_the_gaussian_closed_form():
    for m1, s1, m2, s2 in ((0.5, 0.7, -1.0, 2.5), (-2.0, 0.3, 4.0, 3.0)):
        closed = math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
        assert I.kl(stats.norm(m1, s1), stats.norm(m2, s2)) == pytest.approx(closed, abs=1e-13, rel=0)
    assert I.kl(stats.norm(0, 1), stats.uniform(0, 1)) == math.inf


def _mp_gaussian(d, s=1):
    """mpmath log-densities of N(0, s^2) and N(d, s^2) and their split points."""
    d, s = mp.mpf(d), mp.mpf(s)

    def log_n(x, mean):
        return -((x - mean) ** 2) / (2 * s * s) - mp.log(s) - mp.log(2 * mp.pi) / 2

    points = sorted({float(v) for v in (-40 * s, -8 * s, 0, d / 2, d, d + 8 * s, d + 40 * s)})
    return (lambda x: log_n(x, 0)), (lambda x: log_n(x, d)), [mp.ninf, *points, mp.inf]


@pytest.mark.parametrize("d", [0.5, 2.0, 10.0, 16.85])
def test_gaussian_deficit_and_slope_match_mpmath(d):
    with mp.workdps(30):
        log_p, log_q, nodes = _mp_gaussian(d)
        softplus = lambda t: mp.log1p(mp.exp(t))  # noqa: E731
        deficit = mp.quad(lambda x: mp.exp(log_p(x)) * softplus(log_q(x) - log_p(x)), nodes)  # symmetric halves
        slope = -mp.quad(lambda x: (x - d) * mp.exp(log_q(x)) * softplus(log_p(x) - log_q(x)), nodes) / 2
    # Relative accuracy however small the deficit (8.6e-7 at d = 10, 5.6e-17 at 16.85).
    assert I.gaussian_js_deficit(d) == pytest.approx(float(deficit), rel=1e-11)
    assert I.gaussian_js_slope(d) == pytest.approx(float(slope), rel=1e-11)
    # JS itself from the KL form: about 1e-16 per piece, summed over ~40 pieces (measured 2.7e-15).
    assert I.gaussian_js(d) == pytest.approx(LOG2 - float(deficit), abs=1e-14)


def test_gaussian_curvature_is_the_derivative_of_the_slope():
    h = 1e-3
    for d in (0.4, 1.6, 3.0, 6.0):
        slopes = [I.gaussian_js_slope(d + k * h) for k in (-2, -1, 1, 2)]
        difference = (slopes[0] - 8 * slopes[1] + 8 * slopes[2] - slopes[3]) / (12 * h)
        assert I.gaussian_js_curvature(d) == pytest.approx(difference, abs=1e-11)


def test_gaussian_js_gradient_is_the_derivative_of_the_pair_js():
    h = 1e-4
    for mu, sigma in ((1.0, 1.5), (-3.0, 0.6)):
        d_mu, d_sigma = I.gaussian_js_gradient(mu, sigma)
        by_mu = (I.gaussian_pair_js(0.0, 1.0, mu + h, sigma) - I.gaussian_pair_js(0.0, 1.0, mu - h, sigma)) / (2 * h)
        by_sigma = (I.gaussian_pair_js(0.0, 1.0, mu, sigma + h) - I.gaussian_pair_js(0.0, 1.0, mu, sigma - h)) / (2 * h)
        # Central differences: truncation h^2 f'''/6 ~ 1e-9, rounding 1e-13/h ~ 1e-9.
        assert d_mu == pytest.approx(by_mu, abs=1e-8) and d_sigma == pytest.approx(by_sigma, abs=1e-8)


def test_gaussian_pair_js_resolves_very_unequal_scales():
    mu, sigma = np.array([-6.2, 0.0, 4.0]), np.array([3e-6, 1.0, 1.25])
    values = I.gaussian_pair_js(mu, sigma, 4.0, 1.25)
    assert values[0] == pytest.approx(LOG2, abs=1e-12) and values[2] == pytest.approx(0.0, abs=1e-15)
    assert values[1] == pytest.approx(gt.js_divergence(stats.norm(0, 1), stats.norm(4, 1.25)), abs=1e-13)


def test_normal_expectation_moments():
    assert I.normal_expectation(lambda z: z**2) == pytest.approx(1.0, abs=1e-15)
    assert I.normal_expectation(np.cos) == pytest.approx(math.exp(-0.5), abs=1e-15)


def test_a_piece_that_does_not_converge_raises():
    with pytest.raises(ArithmeticError, match="tanh-sinh did not converge"):
        I._integral(lambda x: np.sin(1e6 * x) ** 2, np.array([0.0, 1.0]), atol=1e-300, rtol=1e-16)
