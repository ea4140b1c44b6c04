"""Instance noise: the uniform * Gaussian family against mpmath, scipy's API, the generic fallback, JS under noise."""

import math

import numpy as np
import pytest
from scipy import stats

import gantheory as gt
from gantheory import noise

import references_fgan as rf

LOG2 = math.log(2.0)

# uniformnorm's logpdf and logcdf are closed forms in log space; against 30-digit mpmath we assert
# 1e-14 relative to max(1, |log value|) (measured: 8e-16 for logpdf, 6e-15 for logcdf, which goes
# through a 100-term continued fraction).
REL = 1e-14


@pytest.mark.parametrize("eps", [0.01, 0.1, 0.3, 1.0, 30.0])
def test_uniformnorm_log_density_and_cdf_match_mpmath(eps):
    d = gt.instance_noise(stats.uniform(-1, 2), eps)
    for x in (-400.0, -3.0, -1.2, -1.0, -0.3, 0.0, 0.7, 1.0, 1.05, 6.0, 80.0):
        ref_pdf = rf.noisy_logpdf(-1, 2, eps, x)
        assert float(d.logpdf(x)) == pytest.approx(ref_pdf, rel=REL, abs=REL)
        ref_cdf = rf.noisy_logcdf(-1, 2, eps, x)
        assert float(d.logcdf(x)) == pytest.approx(ref_cdf, rel=REL, abs=REL)
        assert float(d.logsf(x)) == pytest.approx(rf.noisy_logcdf(-1, 2, eps, -x), rel=REL, abs=REL)


def test_uniformnorm_is_a_scipy_distribution():
    d = gt.uniformnorm(0.25, loc=2, scale=4)  # U(2, 6) + N(0, 1)
    assert d.support() == (-math.inf, math.inf)
    assert d.mean() == 4.0 and d.var() == pytest.approx(16 / 12 + 1, rel=1e-15)
    assert d.stats(moments="k") == pytest.approx((-1 / 120) / (1 / 12 + 0.25**2) ** 2, rel=1e-15)
    # Moments by scipy's own numerical integration of the density agree with the closed forms.
    assert d.expect(lambda x: (x - 4) ** 2) == pytest.approx(d.var(), rel=1e-10)
    assert d.cdf(4.0) == pytest.approx(0.5, abs=2.3e-16)  # the median, to 2 ulp
    q = np.array([1e-30, 1e-8, 0.2, 0.5, 0.9])
    np.testing.assert_allclose(d.cdf(d.ppf(q)), q, rtol=5e-14)
    np.testing.assert_allclose(d.sf(d.isf(q)), q, rtol=5e-14)
    assert d.ppf(0.5) == pytest.approx(4.0, abs=1e-14)
    a, b = d.rvs(size=(2, 3), random_state=7), d.rvs(size=(2, 3), random_state=7)
    assert a.shape == (2, 3) and np.array_equal(a, b)
    big = d.rvs(size=200_000, random_state=np.random.default_rng(1))
    assert abs(big.mean() - 4.0) < 5 * d.std() / math.sqrt(big.size)  # 5 standard errors
    assert stats.kstest(big[:5000], d.cdf).pvalue > 1e-3
    with pytest.raises(ValueError):
        gt.instance_noise(stats.uniform(0, 1), -0.1)


def test_instance_noise_closed_forms():
    n = gt.instance_noise(stats.norm(1, 3), 4)
    assert (n.mean(), n.std()) == (1.0, 5.0)
    assert gt.instance_noise(stats.norm(), 0) is not None and gt.instance_noise(stats.laplace(), 0).dist.name == "laplace"
    twice = gt.instance_noise(gt.instance_noise(stats.uniform(0, 2), 0.3), 0.4)  # noise adds in variance
    once = gt.instance_noise(stats.uniform(0, 2), 0.5)
    x = np.linspace(-3, 5, 17)
    np.testing.assert_allclose(twice.logpdf(x), once.logpdf(x), rtol=1e-14)
    mix = gt.instance_noise(gt.Mixture([stats.norm(-2, 1), stats.uniform(0, 1)], [0.4, 0.6]), 0.5)
    assert isinstance(mix, gt.Mixture)
    np.testing.assert_allclose(mix.pdf(x), 0.4 * stats.norm(-2, math.hypot(1, 0.5)).pdf(x)
                               + 0.6 * gt.uniformnorm(0.5).pdf(x), rtol=1e-14)


def test_the_general_fallback_against_the_closed_forms():
    # GaussianConvolution integrates p * phi_eps by quadrature; on a uniform and a Gaussian it must
    # reproduce the closed forms. Measured: 1e-15 relative on the density, 1e-14 on the log CDF.
    x = np.array([-6.0, -1.0, 0.0, 0.4, 1.0, 2.5, 9.0])
    for base, exact in ((stats.uniform(0, 1), gt.uniformnorm(0.3)), (stats.norm(0.5, 0.7), stats.norm(0.5, math.hypot(0.7, 0.3)))):
        generic = noise.GaussianConvolution(base, 0.3)()
        np.testing.assert_allclose(generic.logpdf(x), exact.logpdf(x), rtol=1e-13)
        # Near 1 a distribution function is known to 1e-16 absolute, so its log to 1e-16 too.
        np.testing.assert_allclose(generic.logcdf(x), exact.logcdf(x), rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(generic.logsf(x), exact.logsf(x), rtol=1e-13, atol=1e-15)
    lap = gt.instance_noise(stats.laplace(0, 1), 0.5)
    assert isinstance(lap.dist, noise.GaussianConvolution)
    assert lap.mean() == 0.0 and lap.var() == pytest.approx(2.25)
    assert lap.ppf(0.5) == pytest.approx(0.0, abs=1e-12)


def test_js_under_noise_tends_to_the_log2_step():
    # Disjoint uniforms 1.5 apart: JS = log 2 without noise; with noise it falls as eps grows, and
    # as eps -> 0 it tends to the step min(|d|, 1) log 2 of WGAN's Example 1.
    u = stats.uniform(0, 1)
    d = np.array([0.5, 1.5, 3.0])
    step = np.minimum(d, 1.0) * LOG2
    previous, gaps = None, []
    for eps in (1.0, 0.3, 0.1, 0.01):
        noisy = gt.instance_noise(u, eps)
        js = gt.f_divergence_curve(noisy, noisy, d, "js")
        if eps >= 0.3:  # with less noise the overlap of the far pair underflows: JS = log 2 exactly
            assert np.all(js < LOG2)
        if previous is not None:
            assert np.all(js >= previous - 1e-15)  # less noise, larger divergence
        previous = js
        gaps.append(np.max(np.abs(js - step)))
        assert gaps[-1] < eps  # the blurred edges cost O(eps)
    assert gaps == sorted(gaps, reverse=True)


def test_generator_gradient_under_the_noisy_optimal_discriminator():
    # The saturating gradient is 2 dJS/dtheta (envelope theorem): check against central
    # differences of the exact JS curve, step 1e-5 (error ~ 1e-10 d3JS).
    noisy = gt.instance_noise(stats.uniform(0, 1), 0.3)
    theta = np.array([0.5, 1.5, 3.0])
    saturating, non_saturating = noise.shift_gradients(noisy, noisy, theta)
    h = 1e-5
    js = lambda t: gt.f_divergence_curve(noisy, noisy, t, "js")  # noqa: E731
    np.testing.assert_allclose(saturating, (js(theta + h) - js(theta - h)) / h, rtol=1e-7)
    # Non-saturating: d/dtheta [KL(p_g || p_data) - 2 JS] (Arjovsky & Bottou 2017, Thm 2.5).
    kl = lambda t: np.array([gt.f_divergence(noisy, gt.instance_noise(stats.uniform(x, 1), 0.3), "reverse-kl")  # noqa: E731
                             for x in t])
    np.testing.assert_allclose(non_saturating, (kl(theta + h) - kl(theta - h)) / (2 * h) - saturating, rtol=1e-6)
    with pytest.raises(TypeError, match="got the family uniform"):
        noise.score(stats.uniform(0, 1), [0.5])


def test_score():
    d = gt.uniformnorm(0.2, loc=1, scale=2)
    x = np.linspace(-2, 5, 15)
    h = 1e-6
    np.testing.assert_allclose(noise.score(d, x), (d.logpdf(x + h) - d.logpdf(x - h)) / (2 * h), rtol=1e-7, atol=1e-8)
    mix = gt.Mixture([stats.norm(-1, 0.5), d], [0.5, 0.5])
    np.testing.assert_allclose(noise.score(mix, x), (mix.logpdf(x + h) - mix.logpdf(x - h)) / (2 * h), rtol=1e-7,
                               atol=1e-8)
    generic = noise.GaussianConvolution(stats.uniform(1, 2), 0.4)()
    np.testing.assert_allclose(noise.score(generic, x), noise.score(d, x), rtol=1e-10, atol=1e-12)


def test_instance_noise_on_a_singular_edge_is_refused_not_inf():
    # beta(1/2, 1/2) + N(0, 1): GaussianConvolution's logpdf and cdf were inf everywhere (the
    # mpmath value of log p at 0.3 is -0.99804172952743920, 30 digits, by y = sin^2 u). Until the
    # quadrature handles singular edges, a clear ValueError, never a silent inf.
    import pytest
    with pytest.raises(ValueError, match="singular"):
        gt.instance_noise(stats.beta(0.5, 0.5), 1.0)


def _laplace_noise_logpdf(x: float, eps: float) -> float:
    """log of (Laplace(0, 1) * N(0, eps^2))(x) in closed form, by mpmath at 30 digits:
    1/4 e^{eps^2/2} [e^{-x} erfc((eps^2 - x)/(eps sqrt 2)) + e^{x} erfc((eps^2 + x)/(eps sqrt 2))]."""
    import mpmath as mp

    with mp.workdps(30):
        x, e = mp.mpf(x), mp.mpf(eps)
        s = e * mp.sqrt(2)
        return float(mp.log(mp.exp(e**2 / 2) / 4 * (mp.exp(-x) * mp.erfc((e**2 - x) / s)
                                                    + mp.exp(x) * mp.erfc((e**2 + x) / s))))


@pytest.mark.parametrize("loc", [0.0, 1e12])
def test_the_fallback_far_in_the_tails_and_far_from_the_origin(loc):
    # scipy's Laplace logpdf underflows to -inf beyond |x| ~ 745, and a base at 1e12 leaves
    # the noise 0.1 only four digits of float spacing: the fallback used to return +inf at
    # x = loc + 1000 for both. It integrates the standardized base with exact log-densities and
    # moves the result. Offsets from loc are exact floats at 1e12 (multiples of 2^-13), so the
    # reference is the closed form at the offset; 1e-12 relative is the quadrature's rtol (1e-14)
    # with room for the logarithm of a value near 1e-435.
    d = gt.instance_noise(stats.laplace(loc, 1), 0.1)
    offsets = np.array([-800.0, -3.0, 0.0, 0.5, 1000.0])
    got = d.logpdf(loc + offsets)
    want = [_laplace_noise_logpdf(o, 0.1) for o in offsets]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)
