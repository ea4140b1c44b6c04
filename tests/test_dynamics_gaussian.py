"""gan.train's affine-quadratic GAN, linearized: expected gradients, Jacobian, update maps, fits."""

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

from gantheory import gan
from gantheory.dynamics import gaussian, symbolic
from gantheory.gan import optim

TARGET = (4.0, 1.25)


def _moments(mu, s):
    """E[x^n] of N(mu, s^2), n = 0..4, the textbook formulas."""
    return [1.0, mu, mu**2 + s**2, mu**3 + 3 * mu * s**2, mu**4 + 6 * mu**2 * s**2 + 3 * s**4]


@pytest.mark.parametrize("loss", ["non-saturating", "minimax"])
def test_jacobian_is_the_hand_derived_block_matrix(loss):
    """J = [[0, C], [-C^T, -Q]], C = [[mu0, 1/2, 0], [s0, 0, 0]], Q = E[phi phi^T] / 2."""
    assert symbolic.derive_gaussian(loss).verified
    for mu, s in ((4.0, 1.25), (-1.0, 0.3), (0.0, 2.0)):
        m = _moments(mu, s)
        c = np.array([[mu, 0.5, 0.0], [s, 0.0, 0.0]])
        q = 0.5 * np.array([[m[4], m[3], m[2]], [m[3], m[2], m[1]], [m[2], m[1], m[0]]])
        expected = np.block([[np.zeros((2, 2)), c], [-c.T, -q]])
        np.testing.assert_allclose(gaussian.jacobian(mu, s, loss), expected, rtol=1e-15, atol=1e-15)


def test_population_gradients_against_mpmath():
    """Away from the equilibrium, the Hermite-weighted backprop equals the integrals of the
    gradients written from the losses (mpmath quad, 30 digits)."""
    mp.mp.dps = 30
    theta, psi = np.array([3.6, 1.1]), np.array([-0.03, 0.2, -0.5])
    a, b, c = (mp.mpf(v) for v in psi)
    mu, s = (mp.mpf(v) for v in theta)
    m0, s0 = (mp.mpf(v) for v in TARGET)

    def logit(x):
        return a * x * x + b * x + c

    def sig(t):
        return 1 / (1 + mp.exp(-t))

    def e(g):
        return mp.quad(lambda u: g(u) * mp.exp(-u * u / 2), [-mp.inf, 0, mp.inf]) / mp.sqrt(2 * mp.pi)

    phi = (lambda x: x * x, lambda x: x, lambda x: 1)
    grad_psi = [e(lambda u, f=f: -sig(-logit(m0 + s0 * u)) * f(m0 + s0 * u))
                + e(lambda u, f=f: sig(logit(mu + s * u)) * f(mu + s * u)) for f in phi]
    slope = lambda x: 2 * a * x + b  # noqa: E731
    grad_theta = [e(lambda u, k=k: -sig(-logit(mu + s * u)) * slope(mu + s * u) * (1 if k == 0 else u))
                  for k in range(2)]
    got_theta, got_psi = gaussian.population_gradients(theta, psi, *TARGET, "non-saturating")
    # 64 nodes on integrands of degree <= 6 times a logistic of a mild quadratic: 1e-13 here
    np.testing.assert_allclose(got_psi[0], [float(v) for v in grad_psi], rtol=0, atol=1e-13)
    np.testing.assert_allclose(got_theta[0], [float(v) for v in grad_theta], rtol=0, atol=1e-13)


def test_population_gradients_are_the_mean_of_minibatch_gradients():
    """gan.train's own minibatch gradients average to the expected ones (within 4 standard errors)."""
    rng = np.random.default_rng(0)
    theta, psi = np.array([[3.6, 1.1]]), np.array([[-0.03, 0.2, -0.5]])
    e, m = 2000, 256
    x = rng.normal(*TARGET, size=(e, m))
    z_d, z_g = rng.standard_normal((e, m)), rng.standard_normal((e, m))
    g_mod, d_mod = gan.GENERATORS["affine"], gan.DISCRIMINATORS["quadratic"]
    th, ps = np.repeat(theta, e, 0), np.repeat(psi, e, 0)
    d_grad, _ = gan.discriminator_gradient(g_mod, d_mod, th, ps, x, z_d)
    g_grad, _ = gan.generator_gradient(g_mod, d_mod, th, ps, z_g, "minimax")
    want_theta, want_psi = gaussian.population_gradients(theta, psi, *TARGET, "minimax")
    for sample, want in ((d_grad, want_psi[0]), (g_grad, want_theta[0])):
        se = sample.std(axis=0, ddof=1) / np.sqrt(e)
        assert np.all(np.abs(sample.mean(axis=0) - want) < 4 * se)


def test_sgd_update_matrix_is_gan_trains_optimizer_on_a_linear_field():
    """Run gan.optim.sgd_step on the gradients g = -J x, as gan.train orders them (k D steps,
    then G with the new psi); the linearized map must give the same state."""
    jac = gaussian.jacobian(*TARGET)
    for k in (1, 3):
        x = np.array([0.1, -0.2, 0.01, -0.02, 0.03])
        theta, psi = x[None, :2].copy(), x[None, 2:].copy()
        v_theta, v_psi = optim.sgd_init(theta), optim.sgd_init(psi)
        for t in range(50):
            for _ in range(k):
                g = -jac @ np.concatenate([theta[0], psi[0]])
                optim.sgd_step(psi, g[None, 2:], v_psi, t + 1, lr=0.005, momentum=0.9)
            g = -jac @ np.concatenate([theta[0], psi[0]])
            optim.sgd_step(theta, g[None, :2], v_theta, t + 1, lr=0.005, momentum=0.9)
        state = np.zeros(10)
        state[:5] = x
        mapped = np.linalg.matrix_power(gaussian.sgd_update_matrix(jac, 0.005, 0.9, k), 50) @ state
        np.testing.assert_allclose(mapped[:5], np.concatenate([theta[0], psi[0]]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(mapped[5:], np.concatenate([v_theta[0][0], v_psi[0][0]]), rtol=1e-12, atol=1e-15)


def test_equilibrium_is_stable_for_both_losses():
    for loss in ("non-saturating", "minimax"):
        assert np.all(gaussian.eigenvalues(*TARGET, loss).real < 0)
        lam = np.linalg.eigvals(gaussian.sgd_update_matrix(gaussian.jacobian(*TARGET, loss), 0.005))
        assert np.abs(lam).max() < 1


def test_predicted_mean_path_is_the_mean_field_to_first_order():
    """The noise-free nonlinear iteration (population_path) stays within O(delta^2) of the linear
    path: from sigma + 0.05 the largest gap over 1000 iterations is about 2 % of 0.05."""
    start = (TARGET[0], TARGET[1] + 0.05)
    steps = np.arange(1001)
    linear = gaussian.predict_mean_path(*TARGET, start, steps, lr=0.005)
    field = gaussian.population_path(*TARGET, start, 1000, lr=0.005)[:, 0]
    assert np.abs(field - linear).max() < 0.03 * 0.05
    np.testing.assert_array_equal(linear[0], start)


def test_fit_recovers_a_known_damped_oscillation_within_its_errors():
    rng = np.random.default_rng(1)
    t = np.arange(500.0, 6000.0, 10.0)
    clean = np.exp(-3e-4 * t)[:, None] * np.stack([0.07 * np.cos(0.0032 * t + 1.0), 0.11 * np.cos(0.0032 * t - 0.3)], -1)
    noisy = clean[:, None, :] + rng.normal(0, 0.015, size=(t.size, 64, 2))  # 64 members' noise
    fit = gaussian.fit_oscillation(t, noisy, bootstrap=100)
    assert abs(fit.frequency - 0.0032) < 4 * fit.frequency_se and abs(fit.decay - 3e-4) < 4 * fit.decay_se
    assert 0 < fit.frequency_se < 1e-4 and 0 < fit.decay_se < 1e-4


def test_default_run_oscillates_with_the_predicted_period():
    """gan.train's documented default (non-saturating, SGD lr 0.005, N(4, 1.25^2) from N(0, 1)):
    its late oscillation has the linear period to within 5 % (the amplitude there, 0.1 to 0.3 in
    sigma, is past the linear regime, which costs 2 to 4 %)."""
    result = gan.train(stats.norm(*TARGET), ensemble=16, steps=10_000, log_every=20, seed=0, track_js=False)
    keep = result.history.step >= 4000
    fit = gaussian.fit_oscillation(result.history.step[keep], result.theta_log[keep] - np.array(TARGET))
    predicted = gaussian.predicted_oscillation(*TARGET, lr=0.005)
    assert fit.period == pytest.approx(predicted.period, rel=0.05)


def test_adam_generator_step_is_not_linear_near_the_equilibrium():
    """The RMS per-sample generator gradient is proportional to the discriminator's deviation,
    so Adam's m / sqrt(v) for theta does not shrink with it: no linearization applies."""
    ratios = [gaussian.adam_generator_step_scale(*TARGET, d) for d in (1e-3, 1e-5, 1e-7)]
    # RMS / deviation tends to a constant, with a first-order correction ~ 20 deviation
    assert ratios[1] == pytest.approx(ratios[2], rel=1e-3) and ratios[0] == pytest.approx(ratios[2], rel=0.03)


def test_bad_input():
    with pytest.raises(ValueError, match="`loss` must be one of"):
        gaussian.jacobian(*TARGET, loss="wasserstein")
    with pytest.raises(ValueError, match="`std` must be a finite number > 0"):
        gaussian.jacobian(4.0, 0.0)
    with pytest.raises(ValueError, match="`lr` must be a finite number > 0"):
        gaussian.sgd_update_matrix(gaussian.jacobian(*TARGET), 0.0)


def test_gaussian_claims_fail_under_their_defects():
    """The Jacobian claims, and one oscillation claim (one gan.train run), under their defects."""
    from gantheory import report
    from gantheory.report import _injected

    claims = report.claims(["gaussian dynamics"])
    chosen = [c for c in claims if "Jacobian" in c.statement] + [
        next(c for c in claims if "minimax" in c.statement and "frequency" in c.statement)]
    for claim in chosen:
        with _injected(claim.defect):  # it must fail, not crash: a crash would hide a broken defect
            assert not claim.check().passed, claim.statement


@pytest.mark.parametrize("model", ["quadratic", "mlp"])
def test_penalty_gradient_derivation_verifies(model):
    d = symbolic.derive_penalty_gradient(model)
    assert d.verified and len(d.checks) == 3


def test_penalty_gradient_derivation_catches_a_wrong_mixed_derivative():
    from unittest import mock

    from gantheory.gan import models

    original = models.DISCRIMINATORS["mlp"]

    def wrong(psi, cache, d_slope):  # the factor 2 of d/db1 (1 - h^2) = -2 h (1 - h^2) dropped
        grads = original.backward_slope(psi, cache, d_slope).copy()
        grads[:, 1] *= 0.5
        return grads

    patched = {**models.DISCRIMINATORS, "mlp": original._replace(backward_slope=wrong)}
    with mock.patch.dict(models.DISCRIMINATORS, patched):
        assert not symbolic._backward_slope_agrees("mlp", *_mlp_gradient())


def _mlp_gradient():
    import sympy as sp

    params = sp.symbols("w_1 b_1 w_2 b_2", real=True)  # equal to the derivation's (same names and assumptions)
    return params, symbolic.derive_penalty_gradient("mlp").gradient
