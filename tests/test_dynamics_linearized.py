"""Any model pair linearized numerically: expected gradients, Jacobians, stationary points, momentum bounds."""

import numpy as np
import pytest
from scipy import stats

from gantheory import gan
from gantheory.dynamics import gaussian, linearized
from gantheory.gan import optim

TARGET = (4.0, 1.25)
QUADRATIC = dict(generator="affine", discriminator="quadratic")


@pytest.mark.parametrize("loss", ["non-saturating", "minimax"])
def test_expected_gradients_are_the_gaussian_modules_for_the_affine_pair(loss):
    theta, psi = np.array([[3.6, 1.1], [4.2, 1.4]]), np.array([[-0.03, 0.2, -0.5], [0.01, -0.1, 0.3]])
    ours = linearized.expected_gradients(theta, psi, *TARGET, loss=loss, nodes=64, **QUADRATIC)
    theirs = gaussian.population_gradients(theta, psi, *TARGET, loss)
    for a, b in zip(ours, theirs):  # the same rule and passes, summed in another order
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)


@pytest.mark.parametrize("options", [dict(penalty="r1", gamma=0.7), dict(penalty="r2", gamma=2.0),
                                     dict(noise=0.8), dict(penalty="r1", gamma=1.5, noise=0.5),
                                     dict(loss="wgan"), dict(loss="wgan", penalty="r1", gamma=1.0)])
def test_sympy_jacobian_is_the_derivative_of_the_backpropagated_expectation(options):
    """derive_gaussian (sympy, from the losses) against central differences of the gradients that
    gan.models and gan.losses back-propagate: two independent routes to the same matrix. At the
    equilibrium the integrands are polynomials, which the Hermite rules integrate exactly, so the
    error is the differences' truncation, h^2 |F'''| / 6: 1.1e-10 relative with h = 1e-6 (measured
    with instance noise 0.8, the largest third derivatives here; 1.1e-8 with h = 1e-5)."""
    state = np.array([*TARGET, 0.0, 0.0, 0.0])
    loss = options.pop("loss", "non-saturating")
    numeric = linearized.numerical_jacobian(state, 2, *TARGET, loss=loss, step=1e-6, **QUADRATIC, **options)
    derived = gaussian.jacobian(*TARGET, loss, **options)
    assert np.abs(numeric - derived).max() <= 1e-8 * np.abs(derived).max()


def test_a_wrong_mixed_derivative_breaks_the_agreement():
    from unittest import mock

    from gantheory.gan import models

    original = models.QuadraticKernel.backward_slope

    def halved(self, psi, d_slope):  # the factor 2 of ds'/da = 2x dropped
        grads = original(self, psi, d_slope).copy()
        grads[:, 0] /= 2
        return grads

    state = np.array([*TARGET, 0.0, 0.0, 0.0])
    with mock.patch.object(models.QuadraticKernel, "backward_slope", halved):
        numeric = linearized.numerical_jacobian(state, 2, *TARGET, penalty="r1", gamma=1.0, **QUADRATIC)
    derived = gaussian.jacobian(*TARGET, penalty="r1", gamma=1.0)
    assert np.abs(numeric - derived).max() > 1.0


def test_expected_gradients_are_the_mean_of_gan_trains_minibatch_gradients():
    """With R1 and instance noise, the MLP pair's minibatch gradients (gan.discriminator_gradient,
    gan.generator_gradient) average to the Hermite expectation within 4 standard errors."""
    rng = np.random.default_rng(0)
    gen, disc = gan.GENERATORS["mlp"], gan.DISCRIMINATORS["mlp"]
    theta = gen.init(np.random.default_rng(1), 4)[None]
    theta[0, -1] = 3.5  # output bias: generated samples near the data
    psi = disc.init(np.random.default_rng(2), 4)[None] * 0.5
    e, m, gamma, eps = 4000, 64, 1.5, 0.6
    th, ps = np.repeat(theta, e, 0), np.repeat(psi, e, 0)
    x = rng.normal(*TARGET, size=(e, m))
    z_d, z_g = rng.standard_normal((e, m)), rng.standard_normal((e, m))
    u_d, u_g = rng.standard_normal((e, 2 * m)), rng.standard_normal((e, m))
    d_grad, _ = gan.discriminator_gradient(gen, disc, th, ps, x, z_d, penalty="r1", gamma=gamma, noise=eps, u=u_d)
    g_grad, _ = gan.generator_gradient(gen, disc, th, ps, z_g, noise=eps, u=u_g)
    want_theta, want_psi = linearized.expected_gradients(theta, psi, *TARGET, penalty="r1", gamma=gamma, noise=eps)
    for sample, want in ((d_grad, want_psi[0]), (g_grad, want_theta[0])):
        se = sample.std(axis=0, ddof=1) / np.sqrt(e)
        assert np.all(np.abs(sample.mean(axis=0) - want) < 4 * se + 1e-12)


def test_linearize_finds_the_known_equilibrium_of_the_affine_pair():
    lin = linearized.linearize([4.1, 1.2], [0.01, -0.02, 0.03], *TARGET, penalty="r1", gamma=0.5, **QUADRATIC)
    np.testing.assert_allclose(lin.state, [*TARGET, 0, 0, 0], rtol=0, atol=1e-10)
    assert lin.residual < 1e-12 and not lin.neutral.any()
    assert (lin.mean, lin.std) == pytest.approx(TARGET, abs=1e-10)
    derived = gaussian.eigenvalues(*TARGET, penalty="r1", gamma=0.5)
    np.testing.assert_allclose(np.sort_complex(lin.eigenvalues), np.sort_complex(derived), rtol=1e-7, atol=1e-9)
    # the update map of gan.train's default step: the radius of the slowest mode, 1 - decay
    assert lin.update_radius(0.005) == pytest.approx(np.exp(-gaussian.predicted_oscillation(
        *TARGET, lr=0.005, penalty="r1", gamma=0.5).decay), abs=1e-9)


def test_sgd_update_matrix_for_any_split_is_the_optimizer_on_a_linear_field():
    rng = np.random.default_rng(3)
    jac = rng.standard_normal((7, 7)) * 0.3
    g, k, lr, beta = 3, 2, 0.05, 0.7
    x = rng.standard_normal(7)
    theta, psi = x[None, :g].copy(), x[None, g:].copy()
    v_theta, v_psi = optim.sgd_init(theta), optim.sgd_init(psi)
    for t in range(20):
        for _ in range(k):
            step = -jac @ np.concatenate([theta[0], psi[0]])
            optim.sgd_step(psi, step[None, g:], v_psi, t + 1, lr=lr, momentum=beta)
        step = -jac @ np.concatenate([theta[0], psi[0]])
        optim.sgd_step(theta, step[None, :g], v_theta, t + 1, lr=lr, momentum=beta)
    mapped = np.linalg.matrix_power(gaussian.sgd_update_matrix(jac, lr, beta, k, generator_size=g), 20) @ np.append(
        x, np.zeros(7))
    np.testing.assert_allclose(mapped, np.concatenate([theta[0], psi[0], v_theta[0][0], v_psi[0][0]]), rtol=1e-12,
                               atol=1e-14)


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("eigenvalue", [-0.001 + 0.02j, -0.004 + 0.07j, -0.0004 + 0.013j])
def test_momentum_step_bound_separates_stable_from_unstable_heavy_ball(eigenvalue, momentum):
    """Exact roots of mu^2 - (1 + beta + h lambda) mu + beta on both sides of the bound. It is exact
    at beta = 0 (mu = 1 + h lambda) and of leading order in h otherwise, which 5 % either side
    covers for nearly rotational modes (a/b <= 0.06, as the MLP pair's)."""
    bound = linearized.momentum_step_bound(eigenvalue, momentum)

    def radius(h: float) -> float:
        return float(np.abs(np.roots([1.0, -(1 + momentum + h * eigenvalue), momentum])).max())

    assert radius(0.95 * bound) < 1 < radius(1.05 * bound)


def test_generator_moments_of_the_affine_generator():
    mean, std = linearized.generator_moments(np.array([[4.0, 1.25], [-1.0, -2.0]]), "affine")
    np.testing.assert_allclose(mean, [4.0, -1.0], rtol=1e-14)
    np.testing.assert_allclose(std, [1.25, 2.0], rtol=1e-13)


def test_bad_input():
    with pytest.raises(ValueError, match="`penalty` must be None, 'r1' or 'r2'; got 'gp'"):
        linearized.expected_gradients(np.zeros((1, 2)), np.zeros((1, 3)), *TARGET, penalty="gp", **QUADRATIC)
    with pytest.raises(ValueError, match="`gamma` must be a finite number >= 0"):
        linearized.expected_gradients(np.zeros((1, 2)), np.zeros((1, 3)), *TARGET, penalty="r1", gamma=-1.0,
                                      **QUADRATIC)


def test_mlp_stationary_point_is_stationary():
    """From a short gan.train run of the MLP pair with R1, Newton's method reaches a point where the
    expected gradients vanish to rounding; its neutral eigenvalues are counted apart."""
    run = gan.train(stats.norm(*TARGET), generator="mlp", discriminator="mlp", hidden=4, steps=2000, lr=0.01,
                    penalty="r1", gamma=3.0, track_js=False)
    start = np.linalg.norm(linearized.descent_field(np.append(run.theta[0], run.psi[0]), run.theta.shape[1], *TARGET,
                                                    penalty="r1", gamma=3.0))
    lin = linearized.linearize(run.theta[0], run.psi[0], *TARGET, penalty="r1", gamma=3.0)
    assert lin.residual < 1e-6 * start
    assert lin.transversal.real.max() < 0  # every non-neutral mode is damped under R1


def test_moment_gradients_of_the_affine_generator_are_exact():
    # mean = mu, std = |sigma|: the central differences of linear functions are exact up to
    # rounding, eps * |moment| / step = 2e-16 * 4 / 1e-6, about 1e-9
    grads = linearized.moment_gradients([4.0, -1.25], "affine")
    np.testing.assert_allclose(grads, [[1.0, 0.0], [0.0, -1.0]], rtol=0, atol=1e-8)


def test_kick_moves_the_moment_by_its_size():
    lin = linearized.linearize([4.1, 1.2], [0.01, -0.02, 0.03], *TARGET, penalty="r1", gamma=0.5, **QUADRATIC)
    np.testing.assert_allclose(lin.kick("std", 0.1), [0.0, 0.1, 0, 0, 0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(lin.kick("mean", -0.2), [-0.2, 0.0, 0, 0, 0], rtol=0, atol=1e-9)
    with pytest.raises(ValueError, match="`moment` must be 'mean' or 'std'; got 'var'"):
        lin.kick("var")


@pytest.mark.parametrize("options", [dict(), dict(penalty="r1", gamma=1.0), dict(noise=1.0)])
def test_linear_response_is_the_iteration_on_the_expected_gradients(options):
    """The eigen-decomposed powers of the update map against population_path (gan.train's update on
    the exact expected gradients, no linearization) from the kicked state: with a kick of 1e-3 the
    quadratic terms are of order 1e-6 (measured at most 3e-7 over 3000 iterations)."""
    lin = linearized.linearize([4.1, 1.2], [0.01, -0.02, 0.03], *TARGET, **QUADRATIC, **options)
    size, steps = 1e-3, (0, 500, 1500, 3000)
    predicted = lin.response(steps, lr=0.005, momentum=0.9, moment="std", size=size)
    start = lin.state + lin.kick("std", size)
    measured = []
    for n in steps:
        theta, _ = linearized.population_path(start[None, :2], start[None, 2:], *TARGET, n, lr=0.005, **QUADRATIC,
                                              **options)
        measured.append(abs(theta[0, 1]) - TARGET[1])
    assert predicted[0] == pytest.approx(size, rel=1e-6)
    np.testing.assert_allclose(predicted, measured, rtol=0, atol=1e-6)
    # and the response decays at the predicted rate of gaussian.predicted_oscillation: it is bounded
    # by the kick times exp(-decay t) up to the modes' mixing (a factor of a few)
    decay = gaussian.predicted_oscillation(*TARGET, lr=0.005, **options).decay
    assert abs(predicted[-1]) < 5 * size * np.exp(-decay * steps[-1])
