"""Mixture, breakpoints and the argument checks shared by the package."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import gantheory as gt
from gantheory.distributions import (
    breakpoints,
    check_array,
    check_base,
    check_choice,
    check_distribution,
    check_int,
    check_real,
    describe,
    parse_density,
)
from gantheory.quadrature import integrate
from gantheory.testing import densities

BIMODAL = gt.Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5])
SKEWED = gt.Mixture([stats.norm(-2, 1), stats.laplace(4, 0.5), stats.t(2)], [0.2, 0.5, 0.3])


# --- Mixture: examples ---------------------------------------------------------------------------

def test_mixture_moments_closed_form():
    # mean = sum w mu; var = sum w (s^2 + mu^2) - mean^2 = 0.25 + 9 = 9.25 for the bimodal target.
    assert BIMODAL.mean() == 0.0
    assert BIMODAL.var() == pytest.approx(9.25, rel=1e-15)
    assert BIMODAL.std() == pytest.approx(np.sqrt(9.25), rel=1e-15)
    assert BIMODAL.support() == (-np.inf, np.inf)


def test_mixture_pdf_and_cdf_are_the_weighted_sums():
    x = np.linspace(-6, 6, 25)
    expected = 0.5 * stats.norm(-3, 0.5).pdf(x) + 0.5 * stats.norm(3, 0.5).pdf(x)
    np.testing.assert_allclose(BIMODAL.pdf(x), expected, rtol=1e-15, atol=0)
    np.testing.assert_allclose(BIMODAL.cdf(x) + BIMODAL.sf(x), 1.0, rtol=0, atol=2e-16)


def test_mixture_logpdf_stays_finite_where_pdf_underflows():
    # At x = -60 both component pdfs underflow to 0; the log-density is exact from logsumexp:
    # the left component dominates by e^(-(63^2 - 57^2)/(2*0.25)) = e^(-1440).
    x = -60.0
    assert BIMODAL.pdf(x) == 0.0
    expected = np.log(0.5) + stats.norm(-3, 0.5).logpdf(x)
    assert BIMODAL.logpdf(x) == pytest.approx(expected, rel=1e-15)
    assert np.all(np.isfinite(SKEWED.logpdf(np.array([-1e6, 0.0, 1e6]))))


def test_mixture_ppf_inverts_cdf_and_handles_the_ends():
    q = np.array([1e-10, 0.01, 0.3, 0.5, 0.77, 0.999])
    x = SKEWED.ppf(q)
    np.testing.assert_allclose(SKEWED.cdf(x), q, rtol=1e-12, atol=0)
    assert SKEWED.ppf(0.0) == -np.inf and SKEWED.ppf(1.0) == np.inf
    np.testing.assert_allclose(SKEWED.isf([0.01]), SKEWED.ppf([0.99]), rtol=1e-15)
    bounded = gt.Mixture([stats.uniform(0, 1), stats.uniform(2, 1)], [0.5, 0.5])
    assert bounded.ppf(0.75) == pytest.approx(2.5, abs=1e-14)
    assert bounded.support() == (0.0, 3.0)


def test_mixture_rvs_is_reproducible_and_has_the_right_moments():
    a = SKEWED.rvs(size=(3, 4), random_state=7)
    b = SKEWED.rvs(size=(3, 4), random_state=np.random.default_rng(7))
    assert a.shape == (3, 4) and np.array_equal(a, b)
    assert isinstance(SKEWED.rvs(random_state=1), float)
    x = BIMODAL.rvs(size=200_000, random_state=0)
    # Sample mean within 5 standard errors (sd 3.04 / sqrt(2e5) = 0.0068); half the draws left.
    assert abs(x.mean()) < 5 * np.sqrt(9.25 / x.size)
    assert abs((x < 0).mean() - 0.5) < 5 * 0.5 / np.sqrt(x.size)


def test_zero_weight_components_are_ignored_where_it_matters():
    mix = gt.Mixture([stats.norm(0, 1), stats.uniform(5, 1)], [1.0, 0.0])
    assert mix.support() == (-np.inf, np.inf)
    assert mix.logpdf(5.5) == pytest.approx(stats.norm.logpdf(5.5), rel=1e-15)
    assert gt.js_divergence(mix, stats.norm(0, 1)) == pytest.approx(0.0, abs=1e-14)


def test_mixture_repr_and_describe():
    assert repr(BIMODAL) == "Mixture([norm(-3, 0.5), norm(3, 0.5)], weights=[0.5, 0.5])"
    assert describe(stats.t(3, loc=1)) == "t(3, loc=1)"


def test_breakpoints_hold_support_ends_and_every_mode():
    pts = breakpoints(stats.uniform(2, 3))
    assert pts[0] == 2.0 and pts[-1] == 5.0
    assert 0.0 in breakpoints(stats.laplace(0, 1))  # the kink
    pts = breakpoints(BIMODAL)
    assert -3.0 in pts and 3.0 in pts and np.all(np.diff(pts) > 0)


# --- Mixture: bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("components", "weights", "error", "match"),
    [
        ([stats.norm()], [-0.5, 1.5], ValueError, "one entry per component"),
        ([stats.norm(), stats.norm(1)], [1.5, -0.5], ValueError, "non-negative.*-0.5"),
        ([stats.norm(), stats.norm(1)], [0.5, 0.6], ValueError, r"sum to 1.*1\.1"),
        ([stats.norm(), stats.norm(1)], [0.5, np.nan], ValueError, "weights.*finite"),
        ([], [], ValueError, "at least one"),
        ([stats.norm(), "norm"], [0.5, 0.5], TypeError, r"components\[1\].*'norm'"),
        ([stats.poisson(2)], [1.0], TypeError, r"components\[0\].*discrete.*poisson\(2\)"),
        (stats.norm(), [1.0], TypeError, "`components` must be a sequence"),
    ],
)
def test_mixture_rejects_bad_input(components, weights, error, match):
    with pytest.raises(error, match=match):
        gt.Mixture(components, weights)


def test_weights_within_1e12_of_one_are_accepted_and_renormalized():
    mix = gt.Mixture([stats.norm(), stats.norm(1)], [0.5, 0.5 + 5e-13])
    assert mix.weights.sum() == 1.0
    with pytest.raises(ValueError, match="sum to 1"):
        gt.Mixture([stats.norm(), stats.norm(1)], [0.5, 0.5 + 2e-12])


# --- the shared checks ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (3, TypeError, r"`p` must be a frozen scipy.stats continuous distribution.*3 \(type int\)"),
        (stats.norm, TypeError, r"frozen distribution.*stats.norm\(0, 1\)"),
        (stats.binom(5, 0.3), TypeError, r"discrete distribution binom\(5, 0.3\)"),
        (stats.norm(0, -1), ValueError, r"invalid parameters: norm\(0, -1\)"),
    ],
)
def test_check_distribution_rejects_non_densities(value, error, match):
    with pytest.raises(error, match=match):
        check_distribution(value, "p")


def test_checks_name_the_argument_and_show_the_value():
    with pytest.raises(ValueError, match=r"`lr` must be a finite number > 0, got 0"):
        check_real(0, "lr", positive=True)
    with pytest.raises(TypeError, match=r"`lr` must be a real number, got True"):
        check_real(True, "lr")
    with pytest.raises(ValueError, match=r"`momentum` must be a finite number >= 0, got -0.1"):
        check_real(-0.1, "momentum", nonnegative=True)
    with pytest.raises(ValueError, match=r"got nan"):
        check_real(float("nan"), "x", finite=False)
    with pytest.raises(TypeError, match=r"`k` must be an integer, got 1.5"):
        check_int(1.5, "k")
    with pytest.raises(ValueError, match=r"`loss` must be one of 'a', 'b'; got 'c'"):
        check_choice("c", "loss", ("a", "b"))
    with pytest.raises(TypeError, match=r"`base` must be a number > 1 or None, got '2'"):
        check_base("2")
    for bad in (0, -2, 1, 0.5, np.inf):  # a base in (0, 1) would make divergences negative
        with pytest.raises(ValueError, match="`base` must be a finite number > 1"):
            check_base(bad)
    with pytest.raises(TypeError, match="`base` must be a number"):
        check_base(True)
    with pytest.raises(ValueError, match=r"`d` must be finite; entry \(1, 0\) is inf"):
        check_array([[0.0], [np.inf]], "d")
    with pytest.raises(ValueError, match=r"`d` must be finite, got nan\.$"):
        check_array(np.nan, "d")
    with pytest.raises(TypeError, match=r"`d` must be an array of real numbers"):
        check_array(["a"], "d")
    with pytest.raises(TypeError, match=r"`d` must be an array of real numbers, got \[1j\]"):
        check_array([1j], "d")
    # None and booleans are not numbers (np.asarray would make them nan and 1.0).
    for bad in (None, [None, 1.0], True, [True, False], np.array([True])):
        with pytest.raises(TypeError, match=r"`d` must be an array of real numbers"):
            check_array(bad, "d")
    assert check_real(np.float32(2.5), "x") == 2.5 and check_int(np.int64(3), "k") == 3


# --- properties ----------------------------------------------------------------------------------

@given(densities())
def test_every_density_integrates_to_one(dist):
    # Over the same breakpoints the divergences use; 1e-12 allows the quadrature's 1e-14 target
    # plus a Student-t with one degree of freedom, whose tails beyond 1e12 scales still hold 1e-12.
    value, _ = integrate(lambda x, o: dist.pdf(x), gt.divergences.support_breaks(dist))
    assert value == pytest.approx(1.0, abs=1e-12)


@given(densities(heavy_tails=False), st.floats(0.001, 0.999))
def test_mixture_and_scipy_quantiles_agree_with_their_cdf(dist, q):
    # ppf is the inverse of cdf wherever the density is positive; for a mixture, bisection stops
    # at the last representable float, so cdf(ppf(q)) = q to within rounding of the cdf (1e-12).
    assert float(dist.cdf(dist.ppf(q))) == pytest.approx(q, abs=1e-12)


# --- the written form of a density -----------------------------------------------------------------

def test_parse_density_reads_families_keywords_and_mixtures():
    d = parse_density("t(3, loc=-1.5, scale=2)")
    assert (d.dist.name, d.args, d.kwds) == ("t", (3.0,), {"loc": -1.5, "scale": 2.0})
    mix = parse_density("0.25*norm(-3, 0.5) + laplace(3, 1)*0.75")
    assert mix.weights.tolist() == [0.25, 0.75]
    assert [describe(c) for c in mix.components] == ["norm(-3, 0.5)", "laplace(3, 1)"]
    assert parse_density("1/3*norm(0, 1) + 2/3*norm(1, 1)").weights.tolist() == pytest.approx([1 / 3, 2 / 3], rel=1e-15)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("norm(0, ", "not valid syntax"),
        ("poisson(3)", "`poisson` is not a continuous scipy.stats family"),
        ("os.system('ls')", r"`os.system\('ls'\)` is not a call such as norm\(0, 1\)"),
        ("norm(x)", "`x` is not a number"),
        ("norm(0, -1)", "invalid parameters"),
        ("norm(0, 1, 2, 3)", r"norm\(0, 1, 2, 3\) cannot be built"),
        ("0.5*norm(0, 1) + norm(1, 1)", "every term of a mixture needs a weight"),
        ("0.5*norm(0, 1) + 0.6*norm(1, 1)", "sum to 1"),
        ("norm(1/0)", "divides by zero"),
        ("norm(**{'loc': 1})", r"`\*\*` arguments"),
    ],
)
def test_parse_density_explains_what_it_accepts(text, match):
    with pytest.raises(ValueError, match=match) as info:
        parse_density(text, "P")
    assert str(info.value).startswith(f"`P` = {text!r} is not a density")
    assert "such as norm(0, 1)" in str(info.value)


@given(densities())
def test_describe_and_parse_density_are_inverse(dist):
    # describe prints each parameter as the shortest decimal that reads back to the same float,
    # so the round trip is exact: the same text and bit-identical log-densities.
    again = parse_density(describe(dist))
    assert describe(again) == describe(dist)
    x = np.linspace(-12, 12, 7)
    np.testing.assert_array_equal(again.logpdf(x), dist.logpdf(x))
