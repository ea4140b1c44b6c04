"""The integration pipeline: tail verdicts, frames, edges, custom integrands, the budget."""

import time
import warnings

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

import gantheory as gt
from gantheory import divergences, integrals
from gantheory.integrals import Budget, PairIntegrand, Plan, integrate_pair, tail_verdict
from gantheory.quadrature import AccuracyWarning, BudgetExceeded

import references as ref

# Tolerances. Integrals of order one are computed to an error estimate of 1e-14 per piece; the
# 30-digit references are exact, so 1e-13 leaves a factor 10 for the rounding of the sums.
TOL = 1e-13

R = 1024.0 ** np.arange(1, 100)  # the ladder of the pipeline: 1e3 ... 1e297
U = np.log(R)


def _mass(which: int) -> PairIntegrand:
    """The integral of p (which=0) or q (which=1): 1 for every proper density."""
    return PairIntegrand(lambda lp, lq, s, x: np.exp((lp, lq)[which]), bounded=True, name="mass")


def _neyman() -> PairIntegrand:
    """Neyman's chi-square minus 1: the integral of q^2 / p, in log space, with its own tails."""
    return PairIntegrand(lambda lp, lq, s, x: np.where(lq > -np.inf, np.exp(2 * lq - lp), 0.0),
                         lambda lp, lq, s, x: 2 * lq - lp, name="Neyman chi^2 + 1")


# --- tail_verdict: convergence from the growth of log|f| against log r ---------------------------

@pytest.mark.parametrize(("alpha", "converges"), [(-3.0, True), (-1.5, True), (-1.01, True), (-1.0, False),
                                                   (-0.5, False), (0.0, False), (2.0, False)])
def test_power_laws_converge_exactly_when_steeper_than_one_over_r(alpha, converges):
    verdict = tail_verdict(U, alpha * U, np.ones(U.size))
    assert verdict.converges is converges
    assert verdict.algebraic
    assert verdict.alpha == pytest.approx(alpha, abs=1e-9)  # an exact power: the fit is exact


@pytest.mark.parametrize(("beta", "converges"), [(-2.0, True), (-1.5, True), (0.0, False), (1.0, False)])
def test_at_one_over_r_the_power_of_log_r_decides(beta, converges):
    # r^-1 (log r)^beta converges iff beta < -1.
    verdict = tail_verdict(U, -U + beta * np.log(U), np.ones(U.size))
    assert verdict.converges is converges
    assert verdict.beta == pytest.approx(beta, abs=1e-6)


def test_exponential_and_gaussian_decay_and_growth():
    assert tail_verdict(U, -R, np.ones(U.size)).converges is True  # e^-r: -inf beyond 745
    assert tail_verdict(U, -np.sqrt(R), np.ones(U.size)).converges is True
    assert tail_verdict(U, np.sqrt(R), np.ones(U.size)).converges is False  # e^sqrt(r) grows
    zero = tail_verdict(U, np.full(U.size, -np.inf), np.zeros(U.size))
    assert zero.converges is True and zero.remainder == 0.0


def test_infinite_values_diverge_with_their_sign():
    log_f = np.where(U > 300, np.inf, -2 * U)
    verdict = tail_verdict(U, log_f, -np.ones(U.size))
    assert verdict.converges is False and verdict.sign == -1.0


def test_remainder_of_a_slow_power_law_is_its_integral():
    # f = 5 r^-1.05: the integral beyond r0 is 5 r0^-0.05 / 0.05, 1e-13 relative for an exact law.
    verdict = tail_verdict(U, np.log(5) - 1.05 * U, np.ones(U.size), reach=U[-1])
    assert verdict.remainder == pytest.approx(5 * R[-1] ** -0.05 / 0.05, rel=1e-12)


# --- the plan: frames, anchors, edges ------------------------------------------------------------

def test_a_far_density_is_evaluated_at_offsets_from_its_own_centre():
    plan = Plan(stats.norm(1e16, 1.0), stats.norm(1e16 + 128.0, 1.0))
    # Two anchors, at the two locations, and each row's frame puts its own atom at offset 0.
    assert sorted(plan.c + plan.c_offset) == [1e16, 1e16 + 128.0]
    for slot in plan.slots:
        own = plan.c == slot.atom.loc[0]
        assert np.all(slot.offset[own] == 0.0)
    # Two widths apart, one frame serves both: the other atom sits at the exact offset 2 / h.
    close = Plan(stats.norm(1e16, 1.0), stats.norm(1e16 + 2.0, 1.0))
    assert close.n_pieces == 1 and close.slots[1].offset[0] * close.h[0] == 2.0


def test_two_edges_that_round_to_one_float_stay_two_anchors():
    # beta at 5.368 of scale 1e-143: both edges are the float 5.368, yet the support has width.
    plan = Plan(stats.beta(0.5, 0.5, loc=5.368, scale=1e-143), stats.beta(2, 2, loc=5.368, scale=1e-143))
    assert np.all(plan.c == 5.368)
    assert sorted(set(plan.c_offset)) == [0.0, 1e-143]
    value = plan.integrate(_mass(0))[0]
    assert value == pytest.approx(1.0, abs=TOL)


def test_only_edges_where_the_log_density_is_unbounded_are_singular():
    flat = Plan(stats.uniform(-1, 2), stats.norm(0, 1))
    assert not flat.singular.any()  # a uniform's edges are breakpoints, not singularities
    x = flat.c[:, None] + flat.c_offset[:, None] + flat.h[:, None] * flat.breaks
    assert np.any(x == -1.0) and np.any(x == 1.0)
    beta = Plan(stats.beta(0.5, 0.5), stats.uniform(0, 1))
    assert np.all(beta.breaks[beta.singular] == 0.0)  # each edge is 0 in its own row's frame


@pytest.mark.parametrize("density", [
    stats.beta(0.5, 0.5), stats.beta(0.3, 4), stats.triang(0.88), stats.trapezoid(0.2, 0.7),
    stats.gamma(0.3, scale=1e-100), stats.levy(), stats.pareto(0.5), stats.lomax(0.5),
    stats.halfnorm(loc=1), stats.loglaplace(3.0), stats.weibull_min(0.5, loc=1e15),
    stats.arcsine(scale=1.2e9), stats.t(1.2, loc=-1e12, scale=1e-50), stats.semicircular(scale=1e150),
], ids=lambda d: f"{d.dist.name}{d.args}")
def test_every_hard_density_integrates_to_one(density):
    # Singular edges, kinks (triang's mode), heavy tails out to 1e300 with the power-law remainder,
    # far locations and extreme scales: the mass is 1 to 1e-13.
    value = Plan(density, density).integrate(_mass(0))[0]
    assert value == pytest.approx(1.0, abs=TOL)


# --- custom integrands: the interface f-divergences use -------------------------------------------

def test_neyman_chi_square_is_infinite_when_the_leading_exponent_is_positive():
    # q^2/p for p = N(0,1), q = N(1, 1.5^2): log(q^2/p) = x^2 (1/2 - 1/2.25) + ... grows: inf,
    # decided from the tails at once, without quadrature.
    started = time.perf_counter()
    assert integrate_pair(stats.norm(0, 1), stats.norm(1, 1.5), _neyman()) == np.inf
    assert time.perf_counter() - started < 1.0


def test_neyman_chi_square_matches_mpmath_when_finite():
    # q = N(1, 0.9^2) against p = N(0, 1): the exponent's x^2 coefficient is 1/2 - 1/1.62 < 0.
    p, q = ref.make(("norm", 0, 1)), ref.make(("norm", 1, 0.9))
    with mp.workdps(30):
        expected = float(mp.quad(lambda x: mp.exp(2 * q.logpdf(x) - p.logpdf(x)), [-mp.inf, -5, 0, 1, 5, mp.inf]))
    assert integrate_pair(p.scipy, q.scipy, _neyman()) == pytest.approx(expected, rel=TOL)


def test_kl_of_a_heavy_tail_against_a_gaussian_one_is_inf_at_once():
    # p s with 0 where p underflows (0 log 0 = 0): the exp-sinh rule of a power tail reaches
    # x = 1e300, where log q overflows to -inf and s = +inf while p is 0 in floats.
    kl = PairIntegrand(lambda lp, lq, s, x: np.exp(lp) * np.where(np.exp(lp) > 0, s, 0.0),
                       lambda lp, lq, s, x: lp + np.log(np.abs(s)), name="KL")
    started = time.perf_counter()
    assert integrate_pair(stats.t(1.5), stats.norm(), kl) == np.inf
    assert integrate_pair(stats.t(2.0), stats.norm(), kl) == np.inf  # x^-3 x^2: log-divergent
    assert np.isfinite(integrate_pair(stats.t(3.0), stats.norm(), kl))  # x^-4 x^2 converges
    assert time.perf_counter() - started < 1.0


def test_integrands_that_need_x_receive_it_in_the_callers_coordinates():
    # E_p[x] for p = N(1e16, 1) with the frame at 1e16: x must come back as 1e16 + offset.
    mean = PairIntegrand(lambda lp, lq, s, x: np.exp(lp) * (x - 1e16), bounded=False, uses_x=True, name="E[x]")
    assert integrate_pair(stats.norm(1e16, 1), stats.norm(1e16, 1), mean) == pytest.approx(0.0, abs=4.0)


# --- where digits are truly lost, and where time runs out -----------------------------------------

def test_an_edge_that_floats_resolve_coarsely_warns_with_a_bound_that_holds():
    # scipy writes the semicircle on [-1, 1]: its edge at 1 is resolved to 1.1e-16 only, and the
    # arcsine law diverges there. KL is then accurate to ~1e-7, which the warning must say.
    p, q = ref.family("arcsine"), ref.family("semicircular")
    with pytest.warns(AccuracyWarning, match=r"resolved by floating point only to .* accurate to about") as record:
        kl = integrals.Plan(p.scipy, q.scipy).integrate(divergences.KL)[0]
    bound = float(str(record[0].message).split("accurate to about ")[1].split(" ")[0])
    assert abs(kl - ref.kl_of(p, q)) <= bound


class _Slow(stats.rv_continuous):
    """A standard normal whose log-density takes 0.2 ms per point, as a slow scipy family would."""

    def _logpdf(self, x):
        time.sleep(2e-4 * np.size(x))
        return -0.5 * x * x - 0.5 * np.log(2 * np.pi)

    def _pdf(self, x):
        return np.exp(self._logpdf(x))

    def _cdf(self, x):
        return stats.norm.cdf(x)

    def _ppf(self, q):
        return stats.norm.ppf(q)


def test_a_slow_density_is_refused_at_once_with_its_name_and_cost():
    slow = _Slow(name="slow")()
    started = time.perf_counter()
    with pytest.raises(BudgetExceeded, match=r"slow\(\), whose log-density costs 0\.\d+ ms per point"):
        integrate_pair(slow, stats.norm(1, 1), _mass(0), budget=Budget(seconds=0.1))
    assert time.perf_counter() - started < 2.0


def test_the_evaluation_budget_stops_the_quadrature():
    with pytest.raises(BudgetExceeded, match="at its budget of 5 s and 100 evaluations"):
        integrate_pair(stats.norm(0, 1), stats.norm(1, 2), _mass(1), budget=Budget(evaluations=100))


def test_levy_stable_stops_within_its_budget_naming_the_numerical_density(monkeypatch):
    # gantheory kl 'levy_stable(1.5,0)' 'norm(1,1)' ran for minutes. scipy computes this pdf by
    # numerical integration, about 1 ms per point: the divergence stops at its budget (here 1 s,
    # to keep the suite fast; 5 s by default), saying which density was slow and why.
    monkeypatch.setattr(integrals, "DEFAULT_BUDGET", Budget(seconds=1.0))

    started = time.perf_counter()
    with pytest.raises(BudgetExceeded, match=r"levy_stable\(1\.5, 0\), whose log-density costs .* numerically"):
        gt.kl_divergence(stats.levy_stable(1.5, 0), stats.norm(1, 1))
    assert time.perf_counter() - started < 10.0


def test_no_warning_escapes_from_scipy_in_a_bounded_family():
    # js(uniform(0,1), beta(.5,2)) let a scipy root-finding warning through (its ppf at 1e-30).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = integrate_pair(stats.uniform(0, 1), stats.beta(0.5, 2), _mass(1))
    assert value == pytest.approx(1.0, abs=TOL)


def test_edges_that_round_to_one_float_are_ordered_exactly():
    # arcsine at 0 and at -1e-17: the right edges are 1 and 1 - 1e-17, one float. Sorted by the
    # float alone the second came first and JS(p, q) was 2.46e-9 while JS(q, p) was 1.77e-9. The
    # reference integrates the definition with mpmath at 40 digits: 1.7668556013672e-9; JS this
    # small between non-Gaussians is relative to the rounding of the logs, so 1e-10 relative.
    p, q = stats.arcsine(), stats.arcsine(loc=-1e-17)
    js_pq, js_qp = (gt.js_divergence(a, b) for a, b in ((p, q), (q, p)))
    assert js_pq == js_qp
    assert js_pq == pytest.approx(1.7668556013672e-9, rel=1e-10)


# --- kinks and distribution functions: what the f-divergences' TV and W1 use ---------------------

def test_crossings_of_two_gaussians_are_the_roots_of_their_log_ratio():
    # log N(x; 0, 1) - log N(x; 0, 2^2) = log 2 - 3 x^2 / 8: zero at x = +-sqrt(8 log 2 / 3). The
    # bracket is narrowed to ~1e-6 of the probe spacing and a secant step finishes: 1e-12.
    plan = Plan(stats.norm(0, 1), stats.norm(0, 2))
    tv = PairIntegrand(lambda lp, lq, s, x: np.abs(np.exp(lp) - np.exp(lq)) / 2, bounded=True, kinks=True)
    y = plan.crossings(tv)
    x = plan.c[:, None] + (plan.c_offset[:, None] + plan.h[:, None] * y)
    root = np.sqrt(8 * np.log(2) / 3)
    np.testing.assert_allclose(np.sort(x[~np.isnan(x)]), [-root, root], rtol=0, atol=1e-12)


def test_distribution_functions_are_evaluated_in_each_atom_s_frame():
    # N(1e16, 1) against N(1e16 + 2, 1): at 1e16 + 1, F_P - F_Q = Phi(1) - Phi(-1), exactly as at 0
    # (x = 1e16 + 1 itself is not a float), and far in the lower tail the CDFs keep their digits.
    from scipy import special

    plan = Plan(stats.norm(1e16, 1), stats.norm(1e16 + 2, 1))
    y = (np.array([[1.0, -40.0]]) - plan.c_offset[:1, None]) / plan.h[:1, None]  # x - 1e16 in the frame
    d = plan.distribution_difference(y, np.zeros(1, dtype=int))[0]
    assert d[0] == pytest.approx(special.ndtr(1.0) - special.ndtr(-1.0), rel=1e-15)
    assert d[1] == pytest.approx(special.ndtr(-40.0) - special.ndtr(-42.0), rel=1e-13)


def test_a_shifted_batch_plans_each_shift_on_its_own():
    p = stats.laplace(0, 1)
    kl = PairIntegrand(lambda lp, lq, s, x: np.where(lp > -np.inf, np.exp(lp) * s, 0.0),
                       lambda lp, lq, s, x: lp + np.log(np.abs(s)), name="KL")
    d = np.array([0.0, 0.5, 3.0, 1e15])
    batch = Plan.shifted(p, p, d).integrate(kl)
    alone = [Plan.shifted(p, p, [x]).integrate(kl)[0] for x in d]
    np.testing.assert_array_equal(batch, alone)
    exact = np.abs(d) + np.exp(-np.abs(d)) - 1  # KL(Lap(0,1) || Lap(d,1))
    np.testing.assert_allclose(batch, exact, rtol=1e-13, atol=TOL)
