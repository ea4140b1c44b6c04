"""The `gantheory` command end to end, through a subprocess as a user runs it."""

import shutil
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

import gantheory as gt

EXE = shutil.which("gantheory")


def run(*args: str) -> subprocess.CompletedProcess:
    """Run the installed console script (or the module, when the package is not installed)."""
    command = [EXE] if EXE else [sys.executable, "-m", "gantheory.cli"]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=120)


def test_js_prints_the_library_value_to_15_digits():
    result = run("js", "norm(0, 1)", "norm(2, 1)", "--criterion")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    js = gt.js_divergence(stats.norm(0, 1), stats.norm(2, 1))
    assert lines[0] == f"JS(norm(0, 1) || norm(2, 1)) = {js:.15g} nats"
    assert float(lines[1].split("=")[2].split()[0]) == pytest.approx(2 * js - 2 * np.log(2), abs=1e-14)


def test_kl_in_bits_of_a_mixture():
    result = run("kl", "0.5*norm(-3, 0.5) + 0.5*norm(3, 0.5)", "norm(0, 1)", "--base", "2")
    assert result.returncode == 0, result.stderr
    mix = gt.Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5])
    expected = gt.kl_divergence(mix, stats.norm(0, 1), base=2)
    assert result.stdout.strip().endswith(f"= {expected:.15g} bits")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("js", "norm(0", "norm(1, 1)"), "`P` = 'norm(0' is not a density: it is not valid syntax"),
        (("js", "norm(0, 1)", "poisson(2)"), "`Q` = 'poisson(2)' is not a density"),
        (("kl", "norm(0, 1)", "norm(1, 1)", "--base", "1"), "--base must be a positive number other than 1"),
    ],
)
def test_bad_input_gives_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_help_of_every_command_has_examples():
    for command in ("js", "kl", "verify"):
        result = run(command, "--help")
        assert result.returncode == 0 and "examples:" in result.stdout


def test_verify_writes_markdown_and_refuses_an_unwritable_path(tmp_path):
    out = tmp_path / "verification.md"
    result = run("verify", "--section", "errata", "--format", "markdown", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("| source | claim |")
    result = run("verify", "--section", "errata", "--out", str(tmp_path / "missing" / "v.md"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
