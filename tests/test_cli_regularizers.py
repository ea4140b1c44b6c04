"""`gantheory train` with the regularized losses: WGAN, the gradient penalties, instance noise."""

import numpy as np
import pytest
from scipy import stats

from gantheory import cli, gan


def test_train_with_a_penalty_and_noise_is_the_library_run(tmp_path, capsys):
    out = tmp_path / "r1"
    status = cli.main(["train", "norm(4, 1.25)", "--steps", "120", "--ensemble", "2", "--penalty", "r1",
                       "--gamma", "1.5", "--noise", "0.3", "--out", str(out), "--quiet"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "non-saturating loss, R1 penalty gamma = 1.5, instance noise 0.3, 120 iterations" in printed
    saved = gan.load(out.with_suffix(".npz"))
    assert (saved.config.penalty, saved.config.gamma, saved.config.noise) == ("r1", 1.5, 0.3)
    again = gan.train(stats.norm(4, 1.25), steps=120, ensemble=2, penalty="r1", gamma=1.5, noise=0.3)
    np.testing.assert_array_equal(saved.theta, again.theta)


def test_train_wgan_with_clipping(tmp_path, capsys):
    status = cli.main(["train", "norm(0, 1)", "--loss", "wgan", "--clip", "0.05", "--steps", "50",
                       "--out", str(tmp_path / "w"), "--quiet"])
    assert status == 0
    assert "wgan loss, weight clipping 0.05" in capsys.readouterr().out
    assert np.abs(gan.load(tmp_path / "w.npz").psi).max() <= 0.05


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--gamma", "2"), "`gamma` weighs a gradient penalty: give `penalty` ('r1', 'r2', 'gp') with gamma = 2.0"),
        (("--penalty", "r1", "--gamma", "-1"), "argument --gamma: must be a finite number >= 0, got '-1'"),
        (("--penalty", "r3"), "argument --penalty: invalid choice: 'r3'"),
        (("--noise", "nan"), "argument --noise: must be a finite number >= 0, got 'nan'"),
        (("--clip", "0"), "argument --clip: must be a finite number > 0, got '0'"),
        (("--loss", "hinge"), "argument --loss: invalid choice: 'hinge'"),
    ],
)
def test_bad_regularizers_are_one_line_usage_errors(args, message, capsys, tmp_path):
    status = cli.main(["train", "norm(4, 1)", "--steps", "5", "--out", str(tmp_path / "x"), *args])
    err = capsys.readouterr().err
    assert status == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.npz").exists()
