"""The batched adaptive Gauss–Kronrod integrator: its rule, its answers and its failures."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from gantheory.quadrature import (
    GAUSS_WEIGHTS,
    KRONROD_NODES,
    KRONROD_WEIGHTS,
    AccuracyWarning,
    integrate,
)

# Tolerances: the integrator's default target is an error estimate of 1e-14 per problem, and the
# |Kronrod - Gauss| estimate overstates the true error of smooth integrands, so answers of order
# one are asserted to 1e-13 (a factor 10 for summing a few hundred rounded panel values).
TOL = 1e-13


def test_kronrod_rule_is_exact_through_degree_31_and_not_32():
    # A 21-point Kronrod rule is exact for polynomials of degree 3*10 + 1 = 31; at degree 32 it
    # must fail, which shows the check would catch a wrong constant. 2e-16 is rounding of 21 terms.
    for k in range(0, 32):
        exact = 2 / (k + 1) if k % 2 == 0 else 0.0
        assert KRONROD_WEIGHTS @ KRONROD_NODES**k == pytest.approx(exact, abs=2e-16)
    assert abs(KRONROD_WEIGHTS @ KRONROD_NODES**32 - 2 / 33) > 1e-13


def test_embedded_gauss_rule_is_the_10_point_gauss_legendre_rule():
    nodes, weights = np.polynomial.legendre.leggauss(10)
    used = GAUSS_WEIGHTS > 0
    np.testing.assert_allclose(KRONROD_NODES[used], nodes, rtol=0, atol=1e-15)
    np.testing.assert_allclose(GAUSS_WEIGHTS[used], weights, rtol=0, atol=1e-15)


def test_gaussian_mass_over_both_tails():
    value, error = integrate(lambda x, o: stats.norm.pdf(x), [-np.inf, -1.0, 3.0, np.inf])
    assert value == pytest.approx(1.0, abs=TOL)
    assert error < 1e-13


def test_heavy_tails_integrate_to_pi():
    # The Cauchy kernel 1/(1 + x^2) has polynomial tails that the 1/t substitution resolves.
    value, _ = integrate(lambda x, o: 1 / (1 + x**2), [-np.inf, 0.0, np.inf])
    assert value == pytest.approx(np.pi, abs=TOL)


def test_kink_at_a_breakpoint_and_inside_an_interval():
    f = lambda x, o: np.abs(x - 0.3)  # noqa: E731 - a one-line integrand
    exact = (0.3**2 + 0.7**2) / 2
    assert integrate(f, [0.0, 0.3, 1.0])[0] == pytest.approx(exact, abs=TOL)
    assert integrate(f, [0.0, 1.0])[0] == pytest.approx(exact, abs=TOL)  # found by bisection


def test_zero_length_intervals_are_allowed_for_padding():
    value, _ = integrate(lambda x, o: np.ones_like(x), [0.0, 1.0, 1.0, 1.0])
    assert value == pytest.approx(1.0, abs=TOL)


def test_infinite_integrand_gives_infinite_integral():
    value, _ = integrate(lambda x, o: np.where(x > 0.5, np.inf, 0.0), [0.0, 1.0])
    assert value == np.inf


@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(0.1, 5)), min_size=1, max_size=6))
def test_a_batch_equals_its_problems_integrated_one_by_one(params):
    # Each problem is a Gaussian mass over (-inf, mu] + [mu, inf) = 1, with its own breakpoints;
    # batching must not couple problems: the batch matches the single integrals to 1e-13.
    mu = np.array([p[0] for p in params])
    sd = np.array([p[1] for p in params])
    breaks = np.stack([np.full_like(mu, -np.inf), mu, mu + sd, np.full_like(mu, np.inf)], axis=1)

    def f(x, owner):
        return stats.norm.pdf(x, mu[owner, None], sd[owner, None])

    batch, _ = integrate(f, breaks)
    single = [integrate(lambda x, o, i=i: stats.norm.pdf(x, mu[i], sd[i]), breaks[i])[0]
              for i in range(len(mu))]
    np.testing.assert_allclose(batch, single, rtol=0, atol=TOL)
    np.testing.assert_allclose(batch, 1.0, rtol=0, atol=TOL)


def test_unreachable_tolerance_warns():
    # A jump the rule cannot resolve, with too few intervals allowed, must say so.
    with pytest.warns(AccuracyWarning, match="quadrature stopped"):
        integrate(lambda x, o: (x > 1 / 3).astype(float), [0.0, 1.0], max_intervals=4)


@pytest.mark.parametrize("breaks", [[1.0, 0.0], [0.0], [0.0, np.nan], [-np.inf, np.inf]])
def test_bad_breaks_raise(breaks):
    with pytest.raises(ValueError, match="breaks"):
        integrate(lambda x, o: x, breaks)


def test_nan_integrand_raises_with_the_abscissa():
    with pytest.raises(FloatingPointError, match="NaN at x"):
        integrate(lambda x, o: np.where(x > 0.5, np.nan, 1.0), [0.0, 1.0])


# --- singular ends, power-law tails, reach, noise and budget ----------------------------------------

@pytest.mark.parametrize(("f", "exact"), [
    (lambda x: x**-0.5, 2.0),                          # a power singularity
    (lambda x: -np.log(x), 1.0),                       # a logarithmic one
    (lambda x: x**-0.9, 10.0),                         # nearly non-integrable
])
def test_singular_ends_get_the_tanh_sinh_rule(f, exact):
    # Plain Gauss-Kronrod bisects towards such ends forever; tanh-sinh reaches 1e-300 of the
    # interval in a few dozen nodes. x^-0.9 leaves (1e-300)^0.1 / 0.1 = 1e-29 beyond its reach.
    # (A singularity at an end other than 0 is resolved only to the spacing of floats there,
    # 1e-16 at 1: gantheory.integrals puts every singular edge at 0 of its own frame.)
    value, _ = integrate(lambda x, o: f(x), [0.0, 1.0], singular=[True, True])
    assert value == pytest.approx(exact, abs=TOL * exact)


def test_no_node_lands_on_a_singular_edge():
    seen = []

    def f(x, o):
        seen.append(x.copy())
        return np.where((x > 0) & (x < 1), 1.0, np.nan)  # NaN on an edge would raise

    value, _ = integrate(f, [0.0, 1.0], singular=[True, True])
    assert value == pytest.approx(1.0, abs=TOL)
    nodes = np.concatenate([s.ravel() for s in seen])
    assert nodes.min() > 0.0 and nodes.max() < 1.0


def test_the_reach_keeps_nodes_away_from_an_edge():
    seen = []
    integrate(lambda x, o: seen.append(x.copy()) or np.ones_like(x), [0.0, 1.0], singular=[True, False],
              reach=[1e-6, 0.0])
    assert min(s.min() for s in seen) >= 1e-6 * (1 - 1e-12)


def test_power_law_tails_with_the_exp_sinh_rule():
    # 1/(1+x)^1.5 on [0, inf): 2, with a tail the 1/t map resolves only by endless bisection.
    value, _ = integrate(lambda x, o: (1 + x) ** -1.5, [0.0, np.inf], algebraic=[False, True])
    assert value == pytest.approx(2.0, abs=TOL)


def test_noisy_integrands_stop_at_their_noise():
    # Values known only to 1e-9 (rounded): without the reported noise the rule would bisect to
    # max_intervals; with it, it stops, within ten times the integral of the noise.
    f = lambda x, o: (np.round(np.exp(-x * x) * 1e9) / 1e9, np.full_like(x, 1e-9))  # noqa: E731
    value, _ = integrate(f, [-np.inf, 0.0, np.inf])
    assert value == pytest.approx(np.sqrt(np.pi), abs=1e-7)


def test_the_budget_stops_the_rounds():
    from gantheory.quadrature import BudgetExceeded

    jump = lambda x, o: (x > 1 / 3).astype(float)  # noqa: E731 - never converges
    with pytest.raises(BudgetExceeded, match="budget of 200 integrand evaluations"):
        integrate(jump, [0.0, 1.0], max_evaluations=200)
    import time

    with pytest.raises(BudgetExceeded, match="ran out of time"):
        integrate(jump, [0.0, 1.0], deadline=time.monotonic() - 1.0)
