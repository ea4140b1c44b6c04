"""`gantheory div` and `gantheory w1`: the numbers of the library, one-line errors, exit 2."""

import math

import pytest
from scipy import stats

import gantheory as gt
from gantheory import cli


def run(capsys, *argv):
    status = cli.main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def _value(line: str) -> float:
    return float(line.split(" = ")[1].split()[0])


def test_div_prints_the_library_value(capsys):
    status, out, err = run(capsys, "div", "pearson", "norm(0, 1)", "norm(1, 1.5)")
    assert status == 0 and not err
    assert _value(out) == pytest.approx(gt.f_divergence(stats.norm(0, 1), stats.norm(1, 1.5), "pearson"), rel=1e-14)
    assert out.startswith("D_pearson(norm(0, 1) || norm(1, 1.5)) = ")


def test_div_all_lists_every_divergence_with_inf_and_the_bound(capsys):
    status, out, _ = run(capsys, "div", "all", "norm(0, 1)", "norm(1, 1.5)", "--bound")
    lines = out.strip().splitlines()
    assert status == 0 and len(lines) == 8
    neyman = next(line for line in lines if line.startswith("D_neyman"))
    assert neyman.endswith("= inf")  # infinite: no bound printed
    js = next(line for line in lines if line.startswith("D_js"))
    assert "nats" in js and "bound at T*" in js


def test_div_with_instance_noise(capsys):
    status, out, _ = run(capsys, "div", "js", "uniform(0, 1)", "uniform(3, 1)", "--noise", "0.3")
    noisy = gt.instance_noise(stats.uniform(0, 1), 0.3), gt.instance_noise(stats.uniform(3, 1), 0.3)
    assert status == 0 and _value(out) == pytest.approx(gt.js_divergence(*noisy), rel=1e-14)
    assert _value(out) < math.log(2)
    assert "uniformnorm(0.3, loc=3, scale=1)" in out


def test_w1_and_its_critic(capsys):
    status, out, _ = run(capsys, "w1", "norm(0, 1)", "norm(1, 1.5)", "--critic")
    lines = out.strip().splitlines()
    assert status == 0 and _value(lines[0]) == pytest.approx(gt.wasserstein1(stats.norm(0, 1), stats.norm(1, 1.5)))
    assert "crossings (F_P = F_Q): -2" in lines[1]
    status, out, _ = run(capsys, "w1", "cauchy()", "norm(0, 1)")
    assert status == 0 and out.strip().endswith("= inf")


@pytest.mark.parametrize(("argv", "message"), [
    (("div", "chi2", "norm()", "norm()"), "unknown divergence 'chi2'; choose from kl, reverse-kl, pearson"),
    (("div", "kl", "norm(0, -1)", "norm()"), "argument P: 'norm(0, -1)' is not a density"),
    (("w1", "norm()", "norm()", "--noise", "-1"), "argument --noise: must be a finite number >= 0"),
    (("w1", "norm()", "nonsense"), "argument Q: 'nonsense' is not a density"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2 and not out
    assert message in err and len(err.strip().splitlines()) == 1
