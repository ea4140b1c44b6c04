"""The GAN's models: exact values by hand, then every backward pass against finite differences.

Tolerance: relative error 1e-6 along random directions (:func:`gantheory.gan.testing.gradient_error`).
Fourth-order central differences with h = 1e-4 on these smooth maps, with parameters in [-3, 3]
and inputs in [-4, 4], agree with a correct gradient to about 1e-11 relative (measured), so 1e-6
leaves five orders of margin, while any wrong term (a missing factor, a transposed weight, a
dropped bias) gives errors of order 1.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gantheory.gan import models
from gantheory.gan.models import DISCRIMINATORS, GENERATORS
from gantheory.gan.testing import arrays, gradient_error

RTOL = 1e-6

# ----------------------------------------------------------------------------- exact examples


def test_affine_generator_is_mu_plus_sigma_z():
    theta = np.array([[4.0, 1.25], [-1.0, 2.0]])
    z = np.array([[0.0, 1.0], [2.0, -1.0]])
    x, cache = models.affine_forward(theta, z)
    np.testing.assert_array_equal(x, [[4.0, 5.25], [3.0, -3.0]])
    grads = models.affine_backward(theta, cache, np.ones((2, 2)))
    np.testing.assert_array_equal(grads, [[2.0, 1.0], [2.0, 1.0]])  # (sum d, sum d z)


def test_quadratic_discriminator_contains_the_optimal_logit():
    # logit D*(x) for p_data = N(0, 1) and p_g = N(1, 2^2) is log N(x; 0, 1) - log N(x; 1, 4)
    x = np.linspace(-5, 5, 11)[None, :]
    a = 0.5 * (1 / 4 - 1)
    b = -1 / 4
    c = np.log(2) + 1 / 8
    s, _ = models.quadratic_forward(np.array([[a, b, c]]), x)
    expected = -0.5 * x**2 - (-0.5 * (x - 1) ** 2 / 4 - np.log(2))
    np.testing.assert_allclose(s, expected, rtol=0, atol=1e-13)  # rounding of a few terms of size 25


def test_mlp_layout_matches_unpack():
    rng = np.random.default_rng(1)
    params = np.stack([models.mlp_init(rng, 4) for _ in range(3)])
    named = models.mlp_unpack(params)
    x = rng.standard_normal((3, 5))
    y, _ = models.mlp_forward(params, x)
    by_hand = np.einsum(
        "eh,ehn->en", named["w2"], np.tanh(named["w1"][:, :, None] * x[:, None, :] + named["b1"][:, :, None])
    ) + named["b2"][:, None]
    np.testing.assert_allclose(y, by_hand, rtol=1e-14, atol=1e-14)


def test_members_do_not_mix():
    # Changing member 1's parameters leaves member 0's outputs and gradients bit-identical.
    rng = np.random.default_rng(2)
    params = np.stack([models.mlp_init(rng, 3) for _ in range(2)])
    x = rng.standard_normal((2, 4))
    d_y = rng.standard_normal((2, 4))
    y, cache = models.mlp_forward(params, x)
    g = models.mlp_backward(params, cache, d_y).copy()
    other = params.copy()
    other[1] += 1.0
    y2, cache2 = models.mlp_forward(other, x)
    g2 = models.mlp_backward(other, cache2, d_y)
    np.testing.assert_array_equal(y2[0], y[0])
    np.testing.assert_array_equal(g2[0], g[0])


def test_mlp_rejects_a_wrong_parameter_count():
    with pytest.raises(ValueError, match="3H \\+ 1"):
        models.mlp_forward(np.zeros((1, 5)), np.zeros((1, 2)))


def test_batch_shape_must_match_the_ensemble():
    with pytest.raises(ValueError, match="E = 2 members"):
        models.quadratic_forward(np.zeros((2, 3)), np.zeros((3, 4)))


def test_float32_kernels_stay_float32():
    theta = np.array([[0.5, 2.0]], dtype=np.float32)
    x, _ = models.affine_forward(theta, np.ones((1, 3), dtype=np.float32))
    assert x.dtype == np.float32
    p = models.mlp_init(np.random.default_rng(0), 4, np.float32)[None, :]
    y, cache = models.mlp_forward(p, np.ones((1, 3), dtype=np.float32))
    assert y.dtype == np.float32 and models.mlp_backward(p, cache, y).dtype == np.float32


# ----------------------------------------------------------------------------- finite differences


def _param_check(model, params, x, weights, rng):
    """Relative error of backward (parameters) for f(params) = sum(weights * forward(params, x))."""

    def f(p):
        return float(np.sum(weights * model.forward(p, x)[0]))

    def grad(p):
        out, cache = model.forward(p, x)
        return model.backward(p, cache, weights)

    return gradient_error(f, grad, params, rng)


def _input_check(model, params, x, weights, rng):
    """Relative error of backward_input for f(x) = sum(weights * forward(params, x))."""

    def f(inputs):
        return float(np.sum(weights * model.forward(params, inputs)[0]))

    def grad(inputs):
        out, cache = model.forward(params, inputs)
        return model.backward_input(params, cache, weights)

    return gradient_error(f, grad, x, rng)


@st.composite
def _problems(draw, size_of, max_members=3, max_samples=6):
    e = draw(st.integers(1, max_members))
    n = draw(st.integers(1, max_samples))
    hidden = draw(st.integers(1, 5))
    size = size_of(hidden)
    params = draw(arrays((e, size)))
    x = draw(arrays((e, n), bound=4.0))
    weights = draw(arrays((e, n), bound=1.0))
    seed = draw(st.integers(0, 2**32 - 1))
    return params, x, weights, np.random.default_rng(seed)


@settings(max_examples=40)
@given(_problems(lambda h: 2))
def test_affine_backward_matches_finite_differences(problem):
    params, z, weights, rng = problem
    assert _param_check(GENERATORS["affine"], params, z, weights, rng) <= RTOL


@settings(max_examples=40)
@given(_problems(lambda h: 3))
def test_quadratic_backward_matches_finite_differences(problem):
    params, x, weights, rng = problem
    model = DISCRIMINATORS["quadratic"]
    assert _param_check(model, params, x, weights, rng) <= RTOL
    assert _input_check(model, params, x, weights, rng) <= RTOL


@settings(max_examples=60)
@given(_problems(models.mlp_size))
def test_mlp_backward_matches_finite_differences(problem):
    params, x, weights, rng = problem
    model = DISCRIMINATORS["mlp"]
    assert _param_check(model, params, x, weights, rng) <= RTOL
    assert _input_check(model, params, x, weights, rng) <= RTOL


def test_the_finite_difference_check_can_fail():
    # A backward pass with one wrong sign must be caught: the check is not vacuous.
    rng = np.random.default_rng(0)
    params = np.stack([models.mlp_init(rng, 3)])
    x, weights = rng.standard_normal((1, 4)), rng.standard_normal((1, 4))
    model = DISCRIMINATORS["mlp"]

    def f(p):
        return float(np.sum(weights * model.forward(p, x)[0]))

    def wrong(p):
        out, cache = model.forward(p, x)
        g = model.backward(p, cache, weights).copy()
        g[:, -1] *= -1  # the output bias's gradient with the wrong sign
        return g

    assert gradient_error(f, wrong, params, rng, directions=5) > 1e-3


# ----------------------------------------------------------------------------- the slope s'(x) and its
# parameter gradient (the mixed second derivative the gradient penalties need)


def test_quadratic_slope_and_its_gradient_by_hand():
    psi = np.array([[0.5, -1.0, 3.0], [2.0, 0.25, -1.0]])
    x = np.array([[0.0, 1.0, 2.0], [-1.0, 0.5, 3.0]])
    _, cache = models.quadratic_forward(psi, x)
    np.testing.assert_array_equal(models.quadratic_slope(psi, cache), 2 * psi[:, :1] * x + psi[:, 1:2])
    d = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 1.0]])
    expected = np.stack([2 * (d * x).sum(1), d.sum(1), np.zeros(2)], axis=1)  # d(2ax + b)/d(a, b, c) = (2x, 1, 0)
    np.testing.assert_array_equal(models.quadratic_backward_slope(psi, cache, d), expected)


def test_mlp_slope_by_hand():
    rng = np.random.default_rng(3)
    params = np.stack([models.mlp_init(rng, 4) for _ in range(2)])
    named = models.mlp_unpack(params)
    x = rng.standard_normal((2, 5))
    _, cache = models.mlp_forward(params, x)
    h = np.tanh(named["w1"][:, :, None] * x[:, None, :] + named["b1"][:, :, None])
    by_hand = np.einsum("eh,ehn->en", named["w1"] * named["w2"], 1 - h**2)
    np.testing.assert_allclose(models.mlp_slope(params, cache), by_hand, rtol=1e-13, atol=1e-14)


def test_slope_gradient_leaves_the_parameter_gradient_alone():
    # backward and backward_slope write to different buffers: a penalty's gradient, computed after
    # the loss's gradient on the same kernel, does not overwrite it.
    rng = np.random.default_rng(4)
    for model, params in ((DISCRIMINATORS["mlp"], np.stack([models.mlp_init(rng, 3)])),
                          (DISCRIMINATORS["quadratic"], rng.standard_normal((1, 3)))):
        x, d = rng.standard_normal((1, 4)), rng.standard_normal((1, 4))
        _, cache = model.forward(params, x)
        grads = model.backward(params, cache, d)
        before = grads.copy()
        model.backward_slope(params, cache, d)
        np.testing.assert_array_equal(grads, before)


def _slope_input_check(model, params, x, weights, rng):
    """Relative error of slope, as the input-derivative of f(x) = sum(weights * forward(params, x))."""

    def f(inputs):
        return float(np.sum(weights * model.forward(params, inputs)[0]))

    def grad(inputs):
        return weights * model.slope(params, model.forward(params, inputs)[1])

    return gradient_error(f, grad, x, rng)


def _slope_param_check(model, params, x, weights, rng):
    """Relative error of backward_slope for g(params) = sum(weights * slope(params, x))."""

    def g(p):
        return float(np.sum(weights * model.slope(p, model.forward(p, x)[1])))

    def grad(p):
        return model.backward_slope(p, model.forward(p, x)[1], weights)

    return gradient_error(g, grad, params, rng)


@settings(max_examples=40)
@given(_problems(lambda h: 3))
def test_quadratic_slope_and_mixed_derivative_match_finite_differences(problem):
    params, x, weights, rng = problem
    model = DISCRIMINATORS["quadratic"]
    assert _slope_input_check(model, params, x, weights, rng) <= RTOL
    assert _slope_param_check(model, params, x, weights, rng) <= RTOL


@settings(max_examples=60)
@given(_problems(models.mlp_size))
def test_mlp_slope_and_mixed_derivative_match_finite_differences(problem):
    params, x, weights, rng = problem
    model = DISCRIMINATORS["mlp"]
    assert _slope_input_check(model, params, x, weights, rng) <= RTOL
    assert _slope_param_check(model, params, x, weights, rng) <= RTOL


@pytest.mark.parametrize("entry", ["w1", "b1", "w2"])
def test_the_mixed_derivative_check_can_fail(entry):
    # Each of the three hand-derived terms, dropped in turn, is caught.
    rng = np.random.default_rng(5)
    params = np.stack([models.mlp_init(rng, 3)])
    x, weights = rng.standard_normal((1, 4)), rng.standard_normal((1, 4))
    model = DISCRIMINATORS["mlp"]
    hidden = 3
    columns = {"w1": slice(0, 2 * hidden, 2), "b1": slice(1, 2 * hidden, 2), "w2": slice(2 * hidden, 3 * hidden)}

    def g(p):
        return float(np.sum(weights * model.slope(p, model.forward(p, x)[1])))

    def wrong(p):
        grads = model.backward_slope(p, model.forward(p, x)[1], weights).copy()
        grads[:, columns[entry]] = 0.0
        return grads

    assert gradient_error(g, wrong, params, rng, directions=5) > 1e-3
