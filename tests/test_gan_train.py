"""Algorithm 1 for an ensemble: the composed gradient steps, ensemble semantics, faults, bad input."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis.extra import numpy as hnp
from hypothesis import strategies as st
from scipy import stats

import gantheory as gt
from gantheory import gan
from gantheory.gan import losses
from gantheory.gan.testing import arrays, gradient_error

TARGET = stats.norm(4, 1.25)
RTOL = 1e-6  # as in test_gan_models: fourth-order differences are good to ~1e-11 here
PAIRS = [(g, d) for g in gan.GENERATORS for d in gan.DISCRIMINATORS]


# ----------------------------------------------------------------------------- the two steps


@st.composite
def _step_problems(draw):
    g_name, d_name = draw(st.sampled_from(PAIRS))
    gen, disc = gan.GENERATORS[g_name], gan.DISCRIMINATORS[d_name]
    e = draw(st.integers(1, 3))
    m_real, m_fake = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    hidden = draw(st.integers(1, 4))
    theta = draw(arrays((e, gen.size(hidden)), bound=2.0))
    psi = draw(arrays((e, disc.size(hidden)), bound=2.0))
    x_real = draw(arrays((e, m_real), bound=4.0))
    z = draw(arrays((e, m_fake), bound=3.0))
    loss = draw(st.sampled_from(["minimax", "non-saturating"]))
    seed = draw(st.integers(0, 2**32 - 1))
    return gen, disc, theta, psi, x_real, z, loss, np.random.default_rng(seed)


def _logits(gen, disc, theta, psi, x):
    return disc.forward(psi, gen.forward(theta, x)[0])[0]


@settings(max_examples=80)
@given(_step_problems())
def test_discriminator_step_matches_finite_differences(problem):
    gen, disc, theta, psi, x_real, z, _, rng = problem

    def f(p):
        s_real = disc.forward(p, x_real)[0]
        return float(losses.discriminator_loss(s_real, _logits(gen, disc, theta, p, z)).sum())

    grad = lambda p: gan.discriminator_gradient(gen, disc, theta, p, x_real, z)[0]
    assert gradient_error(f, grad, psi, rng) <= RTOL


@settings(max_examples=80)
@given(_step_problems())
def test_generator_step_matches_finite_differences(problem):
    gen, disc, theta, psi, _, z, loss, rng = problem
    f = lambda t: float(losses.generator_loss(_logits(gen, disc, t, psi, z), loss).sum())
    grad = lambda t: gan.generator_gradient(gen, disc, t, psi, z, loss)[0]
    assert gradient_error(f, grad, theta, rng) <= RTOL


def test_steps_return_the_logits_they_used():
    gen, disc = gan.GENERATORS["affine"], gan.DISCRIMINATORS["quadratic"]
    theta, psi = np.array([[1.0, 2.0]]), np.array([[0.5, -1.0, 0.25]])
    x_real, z = np.array([[0.0, 1.0]]), np.array([[1.0, -1.0, 0.0]])
    _, s = gan.discriminator_gradient(gen, disc, theta, psi, x_real, z)
    x_all = np.concatenate([x_real, theta[:, :1] + theta[:, 1:] * z], axis=1)  # the data, then G(z) = mu + sigma z
    # Small integers and halves: every operation is exact, so the logits must be too.
    np.testing.assert_array_equal(s, psi[:, :1] * x_all**2 + psi[:, 1:2] * x_all + psi[:, 2:])


# ----------------------------------------------------------------------------- the result


def test_history_shapes_and_the_initial_js():
    result = gan.train(TARGET, ensemble=3, steps=50, log_every=10, seed=1)
    h = result.history
    np.testing.assert_array_equal(h.step, [0, 10, 20, 30, 40, 49])
    for name in ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm", "js"):
        assert getattr(h, name).shape == (6, 3), name
    assert h.js_estimate is None
    # Row 0 describes the starting generator N(0, 1) and the indifferent D = 1/2.
    js0 = gt.js_divergence(stats.norm(0, 1), TARGET)
    np.testing.assert_allclose(h.js[0], js0, rtol=0, atol=1e-13)  # same integrand and breakpoints
    # psi starts at 0: every logit is 0, sigma(0) = 1/2 exactly and the loss is log 2 + log 2.
    np.testing.assert_array_equal(h.d_loss[0], np.log(4))
    np.testing.assert_array_equal(h.d_real[0], 0.5)
    assert result.sample(7, np.random.default_rng(0)).shape == (3, 7)
    assert result.d(np.zeros(4)).shape == (3, 4)


def test_js_of_the_final_generators_matches_gt_js_divergence_per_member():
    result = gan.train(TARGET, ensemble=4, steps=200, seed=2, log_every=100)
    for (mu, sigma), js in zip(result.theta, result.js()):
        assert js == pytest.approx(gt.js_divergence(stats.norm(mu, abs(sigma)), TARGET), abs=1e-12)


def test_mlp_generator_gets_a_labelled_estimate():
    result = gan.train(TARGET, generator="mlp", discriminator="mlp", ensemble=2, steps=20, log_every=10)
    assert result.history.js is None
    assert result.history.js_estimate.shape == (3, 2)
    with pytest.raises(ValueError, match="affine generator"):
        result.js()


def test_freeze_generator_trains_only_the_discriminator():
    result = gan.train(TARGET, steps=30, theta0=[1.0, 1.0], freeze="generator")
    np.testing.assert_array_equal(result.theta, [[1.0, 1.0]])
    assert (result.psi != 0).all()


def test_float32_follows_the_float64_trajectory_closely():
    r64 = gan.train(TARGET, steps=100, seed=5, log_every=50)
    r32 = gan.train(TARGET, steps=100, seed=5, log_every=50, dtype=np.float32)
    assert r32.theta.dtype == np.float32 and r32.psi.dtype == np.float32
    # Same data and noise (drawn in float64, rounded): after 100 steps the paths differ only by
    # accumulated float32 rounding, measured at ~1e-5; 1e-3 is a generous bound.
    np.testing.assert_allclose(r32.theta, r64.theta, rtol=0, atol=1e-3)


# ----------------------------------------------------------------------------- ensemble semantics


@pytest.mark.parametrize("generator,discriminator", [("affine", "quadratic"), ("mlp", "mlp")])
def test_member_alone_follows_its_ensemble_trajectory_bit_for_bit(generator, discriminator):
    kw = dict(generator=generator, discriminator=discriminator, steps=140, seed=7, log_every=20, track_js=False)
    together = gan.train(TARGET, ensemble=5, chunk=2, **kw)
    threaded = gan.train(TARGET, ensemble=5, chunk=1, workers=2, **kw)
    for i in (0, 3, 4):
        alone = gan.train(TARGET, ensemble=1, first_member=i, **kw)
        np.testing.assert_array_equal(together.theta[i], alone.theta[0])
        np.testing.assert_array_equal(together.psi[i], alone.psi[0])
        np.testing.assert_array_equal(together.history.g_loss[:, i], alone.history.g_loss[:, 0])
    np.testing.assert_array_equal(threaded.theta, together.theta)


def test_members_do_not_share_noise():
    result = gan.train(TARGET, ensemble=3, steps=5, log_every=1, track_js=False)
    # Identical starting points, different data and noise: every logged loss differs.
    d = result.history.d_loss[1:]
    assert (d[:, 0] != d[:, 1]).all() and (d[:, 1] != d[:, 2]).all()


def test_same_seed_same_result_and_seeds_differ():
    a = gan.train(TARGET, steps=60, seed=11, track_js=False)
    b = gan.train(TARGET, steps=60, seed=11, track_js=False)
    c = gan.train(TARGET, steps=60, seed=12, track_js=False)
    np.testing.assert_array_equal(a.theta, b.theta)
    assert (a.theta != c.theta).all()


def test_member_rng_is_the_spawned_child():
    child = np.random.SeedSequence(4).spawn(9)[8]
    expected = np.random.Generator(np.random.PCG64(child)).random(3)
    np.testing.assert_array_equal(gan.member_rng(4, 8).random(3), expected)


# ----------------------------------------------------------------------------- faults


def test_a_diverging_member_is_frozen_and_the_others_go_on():
    # Member 1 starts at mu = 1e150: x^2 overflows the discriminator within a few steps.
    theta0 = np.array([[0.0, 1.0], [1e150, 1.0], [0.0, 1.0]])
    result = gan.train(TARGET, ensemble=3, steps=200, theta0=theta0, log_every=10, seed=3)
    np.testing.assert_array_equal(result.diverged, [False, True, False])
    step = result.diverged_step[1]
    assert 0 <= step < 200 and result.diverged_step[0] == -1
    assert np.isfinite(result.theta).all() and np.isfinite(result.psi).all()
    h = result.history
    assert np.isnan(h.d_loss[h.step > step, 1]).all()
    assert np.isfinite(h.d_loss[h.step <= step, 1]).all() or step == 0
    # The healthy members are unaffected: the same as trained without the faulty one.
    alone = gan.train(TARGET, ensemble=1, first_member=2, steps=200, log_every=10, seed=3)
    np.testing.assert_array_equal(result.theta[2], alone.theta[0])
    np.testing.assert_array_equal(h.js[:, 2], alone.history.js[:, 0])


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        (dict(k=0), ValueError, "`k` must be an integer >= 1, got 0"),
        (dict(batch_size=0), ValueError, "`batch_size` must be an integer >= 1"),
        (dict(lr=0.0), ValueError, "`lr` must be a finite number > 0, got 0.0"),
        (dict(lr=-1e-3), ValueError, "`lr` must be a finite number > 0"),
        (dict(momentum=1.0), ValueError, "`momentum` must be in \\[0, 1\\), got 1.0"),
        (dict(momentum=-0.1), ValueError, "`momentum` must be a finite number >= 0"),
        (dict(generator="gru"), ValueError, "`generator` must be one of 'affine', 'mlp'; got 'gru'"),
        (dict(discriminator="linear"), ValueError, "'quadratic', 'mlp'; got 'linear'"),
        (dict(loss="hinge"), ValueError, "`loss` must be one of 'minimax', 'saturating', 'non-saturating'"),
        (dict(optimizer="rmsprop"), ValueError, "`optimizer` must be one of 'sgd', 'adam'; got 'rmsprop'"),
        (dict(ensemble=0), ValueError, "`ensemble` must be an integer >= 1, got 0"),
        (dict(ensemble=2.0), TypeError, "`ensemble` must be an integer"),
        (dict(steps=0), ValueError, "`steps` must be an integer >= 1"),
        (dict(dtype=np.int32), ValueError, "`dtype` must be numpy.float64 or numpy.float32"),
        (dict(freeze="both"), ValueError, "`freeze` must be one of 'generator', 'discriminator'"),
        (dict(theta0=[1.0, 2.0, 3.0]), ValueError, "`theta0` must have shape \\(2,\\) or \\(1, 2\\)"),
        (dict(psi0=[0.0, np.nan, 0.0]), ValueError, "`psi0` must be finite"),
        (dict(betas=(0.9, 1.0)), ValueError, "`betas` must be a pair of numbers in \\[0, 1\\)"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        gan.train(TARGET, steps=kwargs.pop("steps", 2), **kwargs)


@pytest.mark.parametrize(
    "target,match",
    [
        (stats.norm, "frozen distribution"),
        (stats.poisson(3), "continuous distribution"),
        ([0.0, 1.0], "frozen scipy.stats continuous distribution"),
    ],
)
def test_target_must_be_a_distribution(target, match):
    with pytest.raises(TypeError, match=match):
        gan.train(target, steps=2)


def test_sample_checks_its_arguments():
    result = gan.train(TARGET, steps=2)
    with pytest.raises(ValueError, match="`n` must be an integer >= 1"):
        result.sample(0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="`rng` must be a numpy.random.Generator, got 3"):
        result.sample(5, 3)


# ----------------------------------------------------------------------------- Algorithm 1, by hand


@pytest.mark.parametrize("k", [1, 3])
def test_train_is_algorithm_1_replayed_by_hand(k):
    # Replay three iterations from member 0's documented stream: each iteration takes k fresh
    # minibatches of data and noise for k discriminator steps, then fresh noise for one generator
    # step, each an SGD-with-momentum step; draws come in blocks of BLOCK iterations.
    seed, m, lr, momentum, steps = 5, 16, 0.01, 0.9, 3
    result = gan.train(TARGET, k=k, batch_size=m, steps=steps, lr=lr, momentum=momentum, seed=seed,
                       track_js=False, loss="minimax")
    rng = gan.member_rng(seed, 0)
    data = TARGET.rvs(size=(gan.BLOCK, k, m), random_state=rng)
    z_d = rng.standard_normal((gan.BLOCK, k, m))
    z_g = rng.standard_normal((gan.BLOCK, m))
    gen, disc = gan.GENERATORS["affine"], gan.DISCRIMINATORS["quadratic"]
    theta, psi = np.array([[0.0, 1.0]]), np.zeros((1, 3))
    v_theta, v_psi = np.zeros_like(theta), np.zeros_like(psi)
    for t in range(steps):
        for j in range(k):
            grad, _ = gan.discriminator_gradient(gen, disc, theta, psi, data[t, j][None], z_d[t, j][None])
            v_psi = momentum * v_psi + grad
            psi = psi - lr * v_psi
        grad, _ = gan.generator_gradient(gen, disc, theta, psi, z_g[t][None], "minimax")
        v_theta = momentum * v_theta + grad
        theta = theta - lr * v_theta
    # Same operations in the same order: agreement to rounding (measured: exact).
    np.testing.assert_allclose(result.psi, psi, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(result.theta, theta, rtol=1e-14, atol=1e-15)


def test_adam_training_is_the_adam_step_replayed():
    seed, m, lr, steps = 2, 8, 0.01, 4
    result = gan.train(TARGET, optimizer="adam", betas=(0.5, 0.99), batch_size=m, steps=steps, lr=lr,
                       seed=seed, track_js=False)
    rng = gan.member_rng(seed, 0)
    data = TARGET.rvs(size=(gan.BLOCK, 1, m), random_state=rng)
    z_d = rng.standard_normal((gan.BLOCK, 1, m))
    z_g = rng.standard_normal((gan.BLOCK, m))
    gen, disc = gan.GENERATORS["affine"], gan.DISCRIMINATORS["quadratic"]
    theta, psi = np.array([[0.0, 1.0]]), np.zeros((1, 3))
    s_theta, s_psi = gan.optim.adam_init(theta), gan.optim.adam_init(psi)
    hyper = dict(lr=lr, beta1=0.5, beta2=0.99)
    for t in range(steps):
        grad, _ = gan.discriminator_gradient(gen, disc, theta, psi, data[t, 0][None], z_d[t, 0][None])
        gan.optim.adam_step(psi, grad, s_psi, t + 1, **hyper)
        grad, _ = gan.generator_gradient(gen, disc, theta, psi, z_g[t][None])
        gan.optim.adam_step(theta, grad, s_theta, t + 1, **hyper)
    np.testing.assert_array_equal(result.psi, psi)  # the same calls in the same order
    np.testing.assert_array_equal(result.theta, theta)


# ----------------------------------------------------------------------------- WGAN, penalties, instance noise


@st.composite
def _regularized_problems(draw):
    gen, disc, theta, psi, x_real, _, loss, rng = draw(_step_problems())
    m = x_real.shape[1]
    z = draw(arrays((theta.shape[0], m), bound=3.0))  # gp pairs data and generated samples: m' = m
    e = theta.shape[0]
    loss = draw(st.sampled_from(["minimax", "non-saturating", "wgan"]))
    penalty = draw(st.sampled_from([None, "r1", "r2", "gp"]))
    gamma = draw(arrays((e,), bound=5.0)) ** 2 if penalty else 0.0
    noise = draw(st.sampled_from([0.0, 0.3, 1.5]))
    u = draw(arrays((e, 2 * m), bound=3.0))
    t = draw(hnp.arrays(np.float64, (e, m), elements=st.floats(0.0, 1.0)))
    return gen, disc, theta, psi, x_real, z, loss, penalty, gamma, noise, u, t, rng


def _reference_discriminator_loss(gen, disc, theta, psi, x_real, z, loss, penalty, gamma, noise, u, t):
    """The discriminator's loss as the Config documents it, from gan.losses and the models' forward
    passes and slopes (each checked against finite differences in test_gan_models/test_gan_losses)."""
    m = x_real.shape[1]
    seen_real = x_real + noise * u[:, :m]
    seen_fake = gen.forward(theta, z)[0] + noise * u[:, m:]
    s_real, s_fake = disc.forward(psi, seen_real)[0], disc.forward(psi, seen_fake)[0]
    value = losses.critic_loss(s_real, s_fake) if loss == "wgan" else losses.discriminator_loss(s_real, s_fake)
    if penalty is not None:
        at = {"r1": seen_real, "r2": seen_fake, "gp": t * seen_real + (1 - t) * seen_fake}[penalty]
        slope = disc.slope(psi, disc.forward(psi, at)[1])
        value = value + losses.gradient_penalty(slope, gamma, 1.0 if penalty == "gp" else 0.0)
    return value


@settings(max_examples=150)
@given(_regularized_problems())
def test_regularized_discriminator_step_matches_finite_differences(problem):
    gen, disc, theta, psi, x_real, z, loss, penalty, gamma, noise, u, t, rng = problem
    if penalty == "gp":  # |s'| has a kink at 0, which the differences must not straddle
        m = x_real.shape[1]
        hat = t * (x_real + noise * u[:, :m]) + (1 - t) * (gen.forward(theta, z)[0] + noise * u[:, m:])
        assume(np.abs(disc.slope(psi, disc.forward(psi, hat)[1])).min() > 1e-2)
    f = lambda p: float(_reference_discriminator_loss(gen, disc, theta, p, x_real, z, loss, penalty, gamma, noise,
                                                      u, t).sum())
    grad = lambda p: gan.discriminator_gradient(gen, disc, theta, p, x_real, z, loss=loss, penalty=penalty,
                                                gamma=gamma, noise=noise, u=u, t=t)[0]
    assert gradient_error(f, grad, psi, rng) <= RTOL


@settings(max_examples=80)
@given(_regularized_problems())
def test_noisy_and_wasserstein_generator_steps_match_finite_differences(problem):
    gen, disc, theta, psi, _, z, loss, _, _, noise, u, _, rng = problem
    v = u[:, : z.shape[1]]
    f = lambda th: float(losses.generator_loss(disc.forward(psi, gen.forward(th, z)[0] + noise * v)[0], loss).sum())
    grad = lambda th: gan.generator_gradient(gen, disc, th, psi, z, loss, noise=noise, u=v)[0]
    assert gradient_error(f, grad, theta, rng) <= RTOL


def test_the_regularized_check_can_fail():
    # The R1 gradient without its mixed-derivative term (only the cross-entropy's) is caught.
    rng = np.random.default_rng(1)
    gen, disc = gan.GENERATORS["affine"], gan.DISCRIMINATORS["mlp"]
    theta, psi = np.array([[0.5, 1.2]]), np.stack([gan.models.mlp_init(rng, 3)])
    x_real, z = rng.standard_normal((1, 4)), rng.standard_normal((1, 4))
    args = dict(loss="non-saturating", penalty="r1", gamma=np.array([3.0]), noise=0.0, u=np.zeros((1, 8)), t=np.zeros((1, 4)))
    f = lambda p: float(_reference_discriminator_loss(gen, disc, theta, p, x_real, z, **args).sum())
    without = lambda p: gan.discriminator_gradient(gen, disc, theta, p, x_real, z)[0]
    assert gradient_error(f, without, psi, rng, directions=5) > 1e-3


def _draws(seed, m, k, steps, noise=False, gp=False):
    """Member 0's stream in the documented order: data, z_d, [u_d, u_g], [t], z_g (one block)."""
    rng = gan.member_rng(seed, 0)
    data = TARGET.rvs(size=(gan.BLOCK, k, m), random_state=rng)
    z_d = rng.standard_normal((gan.BLOCK, k, m))
    u_d = rng.standard_normal((gan.BLOCK, k, 2 * m)) if noise else None
    u_g = rng.standard_normal((gan.BLOCK, m)) if noise else None
    t = rng.random((gan.BLOCK, k, m)) if gp else None
    z_g = rng.standard_normal((steps, m))
    return data, z_d, u_d, u_g, t, z_g


@pytest.mark.parametrize("options", [
    dict(loss="wgan", clip=0.05, k=2),
    dict(loss="wgan", penalty="gp", gamma=20.0, k=2),
    dict(loss="non-saturating", penalty="r1", gamma=1.5),
    dict(loss="minimax", penalty="r2", gamma=0.5, noise=0.4),
    dict(loss="non-saturating", noise=1.0, k=2),
])
def test_regularized_training_is_algorithm_1_replayed_by_hand(options):
    seed, m, lr, momentum, steps = 5, 16, 0.01, 0.9, 4
    k = options.pop("k", 1)
    clip = options.get("clip")
    noise, gamma, penalty = options.get("noise", 0.0), options.get("gamma", 0.0), options.get("penalty")
    result = gan.train(TARGET, k=k, batch_size=m, steps=steps, lr=lr, momentum=momentum, seed=seed,
                       track_js=False, **options)
    data, z_d, u_d, u_g, t_draws, z_g = _draws(seed, m, k, steps, noise > 0, penalty == "gp")
    gen, disc = gan.GENERATORS["affine"], gan.DISCRIMINATORS["quadratic"]
    theta, psi = np.array([[0.0, 1.0]]), np.zeros((1, 3))
    v_theta, v_psi = np.zeros_like(theta), np.zeros_like(psi)
    for step in range(steps):
        for j in range(k):
            grad, _ = gan.discriminator_gradient(
                gen, disc, theta, psi, data[step, j][None], z_d[step, j][None], loss=options["loss"],
                penalty=penalty, gamma=gamma, noise=noise, u=None if u_d is None else u_d[step, j][None],
                t=None if t_draws is None else t_draws[step, j][None])
            v_psi = momentum * v_psi + grad
            psi = psi - lr * v_psi
            if clip is not None:
                psi = np.clip(psi, -clip, clip)
        grad, _ = gan.generator_gradient(gen, disc, theta, psi, z_g[step][None], options["loss"], noise=noise,
                                         u=None if u_g is None else u_g[step][None])
        v_theta = momentum * v_theta + grad
        theta = theta - lr * v_theta
    # the same operations in the same order; in-place and out-of-place arithmetic agree to rounding
    np.testing.assert_allclose(result.psi, psi, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(result.theta, theta, rtol=1e-14, atol=1e-15)
    if clip is not None:
        assert np.abs(result.psi).max() == clip  # the clipping was active


def test_a_zero_penalty_weight_is_no_penalty():
    kw = dict(steps=200, seed=4, ensemble=3, track_js=False, generator="mlp", discriminator="mlp", hidden=4)
    plain = gan.train(TARGET, **kw)
    for penalty in ("r1", "r2", "gp"):
        zero = gan.train(TARGET, penalty=penalty, gamma=0.0, **kw)
        if penalty == "gp":  # gp draws its interpolation weights, so the stream moves on: not the same run
            assert not np.array_equal(zero.theta, plain.theta)
        else:
            np.testing.assert_array_equal(zero.theta, plain.theta)


@pytest.mark.parametrize("options", [dict(noise=0.5), dict(penalty="gp", gamma=5.0, loss="wgan")])
def test_regularized_runs_resume_and_split_bit_for_bit(options):
    kw = dict(steps=150, seed=2, log_every=50, track_js=False, **options)
    whole = gan.train(TARGET, ensemble=3, **kw)
    part = gan.train(TARGET, ensemble=3, **{**kw, "steps": 100})
    resumed = gan.train(TARGET, part.config, steps=150, resume=part)
    np.testing.assert_array_equal(resumed.theta, whole.theta)
    alone = gan.train(TARGET, ensemble=1, first_member=2, **kw)
    np.testing.assert_array_equal(alone.theta[0], whole.theta[2])


def test_wgan_logs_the_critic_loss():
    result = gan.train(TARGET, loss="wgan", clip=0.1, steps=3, log_every=1, track_js=False)
    assert result.history.d_loss[0, 0] == 0.0  # a zero critic: mean s_fake - mean s_real = 0


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        (dict(gamma=1.0), ValueError, "`gamma` weighs a gradient penalty: give `penalty`"),
        (dict(penalty="r3"), ValueError, "`penalty` must be one of 'r1', 'r2', 'gp'; got 'r3'"),
        (dict(penalty="r1", gamma=-1.0), ValueError, "`gamma` must be a finite number >= 0"),
        (dict(noise=-0.1), ValueError, "`noise` must be a finite number >= 0"),
        (dict(clip=0.0), ValueError, "`clip` must be a finite number > 0"),
        (dict(loss="wasserstein"), ValueError, "'minimax', 'saturating', 'non-saturating', 'wgan'; got"),
    ],
)
def test_bad_regularizers_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        gan.train(TARGET, steps=2, **kwargs)


def test_gradient_functions_check_their_draws():
    gen, disc = gan.GENERATORS["affine"], gan.DISCRIMINATORS["quadratic"]
    theta, psi, x, z = np.array([[0.0, 1.0]]), np.zeros((1, 3)), np.zeros((1, 2)), np.zeros((1, 2))
    with pytest.raises(ValueError, match="`u` must be an array of shape \\(1, 4\\) with `noise` > 0"):
        gan.discriminator_gradient(gen, disc, theta, psi, x, z, noise=0.5)
    with pytest.raises(ValueError, match="`t` must be an array of shape \\(1, 2\\) with the gp penalty"):
        gan.discriminator_gradient(gen, disc, theta, psi, x, z, penalty="gp", gamma=1.0)
    with pytest.raises(ValueError, match="`gamma` must be a number >= 0, or one per member"):
        gan.discriminator_gradient(gen, disc, theta, psi, x, z, penalty="r1", gamma=[1.0, 2.0])
