"""GAN losses in logits: values by hand, stability at huge logits, gradients against finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gantheory.gan import losses
from gantheory.gan.testing import arrays, gradient_error

RTOL = 1e-6  # as in test_gan_models: fourth-order differences are good to ~1e-11 here


def test_indifferent_discriminator_scores_log_4():
    assert np.isclose(losses.discriminator_loss(np.zeros((2, 3)), np.zeros((2, 4))), np.log(4)).all()


def test_losses_match_the_probability_formulas_at_moderate_logits():
    s_real, s_fake = np.array([[0.3, -1.2]]), np.array([[2.0, -0.5, 0.1]])
    d_real, d_fake = 1 / (1 + np.exp(-s_real)), 1 / (1 + np.exp(-s_fake))
    expected = -(np.log(d_real).mean() + np.log(1 - d_fake).mean())
    np.testing.assert_allclose(losses.discriminator_loss(s_real, s_fake), [expected], rtol=1e-14)
    np.testing.assert_allclose(losses.generator_loss(s_fake, "minimax"), [np.log(1 - d_fake).mean()], rtol=1e-14)
    np.testing.assert_allclose(losses.generator_loss(s_fake, "non-saturating"), [-np.log(d_fake).mean()], rtol=1e-14)


def test_huge_logits_stay_finite_and_exact():
    # log(1 - D) at s = 800 is -800 exactly; the probability form gives -inf.
    s = np.array([[800.0]])
    assert losses.generator_loss(s, "minimax")[0] == -800.0
    assert losses.discriminator_loss(-s, s)[0] == 1600.0
    # The saturating gradient at s = -40 is e^-40, not 0.
    assert losses.generator_loss_grad(np.array([[-40.0]]), "minimax")[0, 0] == pytest.approx(-np.exp(-40), rel=1e-12)


def test_saturating_is_a_synonym_of_minimax():
    s = np.array([[0.5, -3.0]])
    np.testing.assert_array_equal(losses.generator_loss(s, "saturating"), losses.generator_loss(s, "minimax"))


def test_unknown_loss_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'minimax', 'saturating', 'non-saturating', 'wgan'; got 'wasserstein'"):
        losses.generator_loss(np.zeros((1, 1)), "wasserstein")


@pytest.mark.parametrize("loss, grad", [(losses.discriminator_loss, losses.discriminator_loss_grad),
                                        (losses.critic_loss, losses.critic_loss_grad)])
@settings(max_examples=40)
@given(st.integers(1, 3), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1), st.data())
def test_discriminator_and_critic_loss_grads_match_finite_differences(loss, grad, e, m_real, m_fake, seed, data):
    s_real = data.draw(arrays((e, m_real), bound=8.0))
    s_fake = data.draw(arrays((e, m_fake), bound=8.0))
    rng = np.random.default_rng(seed)
    d_real, d_fake = grad(s_real, s_fake)
    assert gradient_error(lambda s: float(loss(s, s_fake).sum()), lambda s: d_real, s_real, rng) <= RTOL
    assert gradient_error(lambda s: float(loss(s_real, s).sum()), lambda s: d_fake, s_fake, rng) <= RTOL


@settings(max_examples=40)
@given(arrays((2, 4), bound=8.0), st.sampled_from(["minimax", "non-saturating", "wgan"]), st.integers(0, 2**32 - 1))
def test_generator_loss_grad_matches_finite_differences(s, loss, seed):
    rng = np.random.default_rng(seed)
    f = lambda x: float(losses.generator_loss(x, loss).sum())
    assert gradient_error(f, lambda x: losses.generator_loss_grad(x, loss), s, rng) <= RTOL


# ----------------------------------------------------------------------------- WGAN and the penalties


def test_wgan_losses_by_hand():
    s_real, s_fake = np.array([[1.0, 3.0]]), np.array([[-2.0, 0.0, 5.0]])
    assert losses.critic_loss(s_real, s_fake)[0] == 1.0 - 2.0
    assert losses.generator_loss(s_fake, "wgan")[0] == -1.0
    d_real, d_fake = losses.critic_loss_grad(s_real, s_fake)
    np.testing.assert_array_equal(d_real, [[-0.5, -0.5]])
    np.testing.assert_array_equal(d_fake, np.full((1, 3), 1 / 3))
    np.testing.assert_array_equal(losses.generator_loss_grad(s_fake, "wgan"), np.full((1, 3), -1 / 3))


def test_penalties_by_hand():
    slope = np.array([[3.0, -1.0, 0.0], [0.5, 0.5, 2.0]])
    gamma = np.array([2.0, 4.0])  # one weight per member
    # R1/R2: gamma/2 mean(s'^2); WGAN-GP: gamma/2 mean((|s'| - 1)^2)
    np.testing.assert_array_equal(losses.gradient_penalty(slope, gamma), [10 / 3, 2 * 4.5 / 3])
    np.testing.assert_array_equal(losses.gradient_penalty(slope, gamma, 1.0), [5 / 3, 2 * 1.5 / 3])
    np.testing.assert_array_equal(losses.gradient_penalty_grad(slope, gamma), gamma[:, None] * slope / 3)
    # at the kink s' = 0 the two-sided penalty's gradient is 0, the middle of its subdifferential
    assert losses.gradient_penalty_grad(slope, gamma, 1.0)[0, 2] == 0.0


def test_a_zero_weight_adds_nothing():
    slope = np.array([[3.0, -1.0]])
    assert losses.gradient_penalty(slope, 0.0)[0] == 0.0
    assert not losses.gradient_penalty_grad(slope, 0.0, 1.0).any()


def _away_from_zero(shape):
    """Slopes with |s'| in [0.05, 8]: the two-sided penalty has a kink at 0, which finite differences
    with steps of 2e-4 must not straddle."""
    size = int(np.prod(shape))
    magnitudes = st.lists(st.floats(0.05, 8.0), min_size=size, max_size=size)
    signs = st.lists(st.sampled_from([-1.0, 1.0]), min_size=size, max_size=size)
    return st.tuples(magnitudes, signs).map(lambda ms: (np.array(ms[0]) * np.array(ms[1])).reshape(shape))


@settings(max_examples=40)
@given(_away_from_zero((3, 4)), arrays((3,), bound=10.0), st.sampled_from([0.0, 1.0]), st.integers(0, 2**32 - 1))
def test_gradient_penalty_grad_matches_finite_differences(slope, gamma, target, seed):
    gamma = np.abs(gamma)
    rng = np.random.default_rng(seed)
    f = lambda s: float(losses.gradient_penalty(s, gamma, target).sum())
    assert gradient_error(f, lambda s: losses.gradient_penalty_grad(s, gamma, target), slope, rng) <= RTOL
