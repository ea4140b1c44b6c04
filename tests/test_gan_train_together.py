"""gan.train_together: runs whose settings differ only per member, trained as one ensemble, are
the runs trained apart, bit for bit (parameters, history, divergence, state to resume from)."""

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from gantheory import gan
from gantheory.gan.experiments import bimodal_target

train_module = importlib.import_module("gantheory.gan.train")

TARGET = stats.norm(4, 1.25)

#: Two or three values of every per-member setting, from which the mixed ensembles below draw.
#: A new per-member setting needs its values here: the first test checks that none is missing.
PER_MEMBER_VALUES = {
    "lr": [0.005, 0.03, 0.013],
    "momentum": [0.9, 0.5, 0.0],
    "betas": [(0.9, 0.999), (0.5, 0.9)],
    "loss": ["minimax", "non-saturating", "saturating"],
    "gamma": [0.0, 0.5, 2.0],  # with a penalty in the base config
    "noise": [0.3, 1.0],  # one kind (> 0): members without noise draw differently and train apart
}


def _same_result(together, apart):
    assert together.config == apart.config
    arrays = {
        "theta": (together.theta, apart.theta), "psi": (together.psi, apart.psi),
        "theta_log": (together.theta_log, apart.theta_log), "diverged_step": (together.diverged_step, apart.diverged_step),
        "rng": (together.state.rng, apart.state.rng), "step": (together.history.step, apart.history.step),
    }
    for name in ("js", "js_estimate", *gan.History._FIELDS):
        arrays[name] = (getattr(together.history, name), getattr(apart.history, name))
    for i, (a, b) in enumerate(zip(together.state.g_opt + together.state.d_opt, apart.state.g_opt + apart.state.d_opt)):
        arrays[f"optimizer state {i}"] = (a, b)
    for name, (a, b) in arrays.items():
        if a is None or b is None:
            assert a is None and b is None, name
            continue
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), name  # NaN in place too


def _mixed_configs(base, choices):
    """One config per entry of ``choices`` (index into each setting's values, ensemble, seed, first member)."""
    configs = []
    for picks, ensemble, seed, first in choices:
        fields = {name: values[p % len(values)] for (name, values), p in zip(PER_MEMBER_VALUES.items(), picks)}
        configs.append(base.replace(**fields, ensemble=ensemble, seed=seed, first_member=first))
    return configs


def test_every_per_member_setting_has_values_to_mix():
    assert set(PER_MEMBER_VALUES) == set(gan.Config.per_member_fields())


CHOICES = [((0, 0, 0, 0, 0, 0), 2, 0, 0), ((1, 1, 1, 1, 1, 1), 1, 0, 5), ((2, 2, 0, 2, 2, 0), 3, 7, 0),
           ((0, 1, 1, 1, 2, 1), 1, 1, 2), ((1, 0, 0, 0, 1, 0), 2, 0, 3)]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("models", [("affine", "quadratic"), ("mlp", "mlp")])
def test_runs_trained_together_are_the_runs_trained_apart(models, dtype, optimizer):
    # 130 iterations cross two blocks of draws; chunks of 3 members cut across the configs; two threads.
    base = gan.Config(generator=models[0], discriminator=models[1], hidden=4, dtype=dtype, optimizer=optimizer,
                      steps=130, batch_size=16, log_every=20, js_samples=300, penalty="r1")
    configs = _mixed_configs(base, CHOICES)
    together = gan.train_together(TARGET, configs, chunk=3, workers=2)
    assert len(together) == len(configs)
    for result, config in zip(together, configs):
        _same_result(result, gan.train(TARGET, config))


def test_diverging_members_are_frozen_as_they_are_apart():
    # lr = 3 with the non-saturating loss sends the affine GAN off within a few dozen iterations
    # (the minimax loss, whose gradient vanishes as D wins, does not diverge); the others stay.
    base = gan.Config(steps=150, batch_size=16, log_every=10)
    configs = [base.replace(lr=0.005, ensemble=2, loss="minimax"), base.replace(lr=3.0, ensemble=3),
               base.replace(lr=0.03, ensemble=2, momentum=0.5)]
    together = gan.train_together(TARGET, configs, chunk=4)
    assert together[1].diverged.all() and not together[0].diverged.any()  # the replay path is exercised
    for result, config in zip(together, configs):
        _same_result(result, gan.train(TARGET, config))


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.tuples(st.tuples(*[st.integers(0, 2)] * len(PER_MEMBER_VALUES)), st.integers(1, 3), st.integers(0, 3),
                       st.integers(0, 9)),
             min_size=1, max_size=5),
    st.integers(1, 8),
)
def test_any_mix_and_chunk_size_gives_each_run_its_own_bits(choices, chunk):
    base = gan.Config(steps=70, batch_size=8, log_every=35, penalty="r2")
    configs = _mixed_configs(base, choices)
    for result, config in zip(gan.train_together(TARGET, configs, chunk=chunk, workers=1), configs):
        _same_result(result, gan.train(TARGET, config))


def test_a_run_trained_together_resumes_as_the_run_trained_apart():
    base = gan.Config(steps=100, batch_size=16, log_every=25)
    configs = [base.replace(lr=0.01, ensemble=2), base.replace(loss="minimax", momentum=0.5)]
    part = gan.train_together(TARGET, configs)[1]
    whole = gan.train(TARGET, configs[1].replace(steps=250), resume=part)
    _same_result(whole, gan.train(TARGET, configs[1].replace(steps=250)))


def test_mixture_target_and_mlp_estimate():
    base = gan.Config(generator="mlp", discriminator="mlp", hidden=4, steps=80, batch_size=16, log_every=40,
                      js_samples=200, dtype="float32")
    configs = [base.replace(lr=0.01, loss="minimax", ensemble=2), base.replace(lr=0.02, ensemble=2, seed=4)]
    for result, config in zip(gan.train_together(bimodal_target(), configs), configs):
        assert result.history.js_estimate is not None
        _same_result(result, gan.train(bimodal_target(), config))


def test_the_equality_test_catches_a_loop_that_ignores_per_member_values(monkeypatch):
    """The tests above can fail: a loop that gave every member the first config's learning rate
    and loss would train the second config with the wrong ones."""
    configs = [gan.Config(steps=40, lr=0.005, loss="minimax"), gan.Config(steps=40, lr=0.02)]
    monkeypatch.setattr(train_module._Run, "per_member", lambda self, members, value: value(self.configs[0]))
    monkeypatch.setattr(train_module._Run, "loss", lambda self, members: self.configs[0].loss)
    together = gan.train_together(TARGET, configs)
    _same_result(together[0], gan.train(TARGET, configs[0]))
    with pytest.raises(AssertionError, match="theta"):
        _same_result(together[1], gan.train(TARGET, configs[1]))


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "configs,error,match",
    [
        ([], TypeError, "`configs` must be a non-empty list of gan.Config"),
        (gan.Config(), TypeError, "`configs` must be a non-empty list of gan.Config"),
        ([gan.Config(), {"lr": 0.1}], TypeError, "`configs\\[1\\]` must be a gan.Config"),
        ([gan.Config(), gan.Config(lr=0.1), gan.Config(k=2)], ValueError,
         "differ only in ensemble, seed, first_member and the per-member settings \\(loss, gamma, noise, lr, momentum, "
         "betas\\) to train as one ensemble; 'k' is 1 in configs\\[0\\], 2 in configs\\[2\\]"),
        # WGAN's critic loss is another code path; members with instance noise draw more from their streams
        ([gan.Config(loss="minimax"), gan.Config(loss="wgan")], ValueError, "'loss' is 'cross-entropy' in configs"),
        ([gan.Config(noise=0.5), gan.Config(noise=1.0), gan.Config()], ValueError,
         "'noise' is 'instance noise' in configs\\[0\\], 0.0 in configs\\[2\\]"),
        ([gan.Config(), gan.Config(steps=5)], ValueError, "'steps' is 10000 in configs\\[0\\], 5 in configs\\[1\\]"),
    ],
)
def test_configs_that_cannot_share_an_ensemble_are_refused(configs, error, match):
    with pytest.raises(error, match=match):
        gan.train_together(TARGET, configs)


def test_ensemble_key_names_what_must_be_shared():
    key = dict(gan.Config().ensemble_key())
    assert not set(key) & {"ensemble", "seed", "first_member", "lr", "momentum", "betas"}
    assert key["loss"] == "cross-entropy" and key["k"] == 1 and key["dtype"] == "float64"
