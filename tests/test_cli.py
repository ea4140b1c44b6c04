"""The `gantheory` command end to end, through a subprocess as a user runs it."""

import shutil
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

import gantheory as gt
from gantheory import cli

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
        (("js", "norm(0", "norm(1, 1)"), "argument P: 'norm(0' is not a density: it is not valid syntax"),
        (("js", "norm(0, 1)", "poisson(2)"), "argument Q: 'poisson(2)' is not a density"),
        (("kl", "norm(0, 1)", "norm(1, 1)", "--base", "1"),
         "argument --base: must be a positive number other than 1, got '1'"),
    ],
)
def test_bad_input_gives_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_help_of_every_command_has_examples(capsys):
    # In-process (argparse prints and exits 0); one subprocess below checks the installed script.
    for command in ("js", "kl", "verify", "figures", "train"):
        with pytest.raises(SystemExit) as exit_info:
            cli.main([command, "--help"])
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: gantheory {command}") and "examples:" in out
    result = run("--help")
    assert result.returncode == 0 and all(c in result.stdout for c in ("js", "kl", "verify", "figures", "train"))


def test_verify_writes_markdown_and_refuses_an_unwritable_path(tmp_path):
    out = tmp_path / "new" / "verification.md"  # the folder is created
    result = run("verify", "--section", "errata", "--format", "markdown", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("| source | claim |")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("verify", "--section", "errata", "--out", str(blocker / "v.md"))
    assert result.returncode == 2
    assert result.stderr == (f"gantheory verify: error: argument --out: cannot write {blocker / 'v.md'}: "
                             f"{blocker} is a file, not a folder\n")


def test_figures_draws_the_named_figures_and_lists_them(tmp_path):
    result = run("figures", "--only", "figure4_js_curve", "--out", str(tmp_path / "new"))
    assert result.returncode == 0, result.stderr
    assert "Figure 4 steepest slope: 0.233660" in result.stdout
    assert {p.name for p in (tmp_path / "new").iterdir()} == {"figure4_js_curve.png", "figure4_js_curve.svg"}
    listing = run("figures", "--list")
    assert listing.returncode == 0 and listing.stdout.splitlines()[0].startswith("figure3_training_progress ")


def test_train_saves_history_and_figure(tmp_path):
    out = tmp_path / "runs" / "affine"
    result = run("train", "norm(4, 1.25)", "--steps", "200", "--ensemble", "3", "--seed", "7",
                 "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "final exact JS(p_g || p_data)" in result.stdout and "diverged members: 0 of 3" in result.stdout
    from gantheory import gan
    saved = gan.load(out.with_suffix(".npz"))
    assert saved.history.js.shape[1] == 3 and saved.theta.shape == (3, 2)
    assert saved.config.seed == 7 and saved.target.args == (4, 1.25)
    assert out.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    # The history is the library's own: the same seed gives the same bits.
    again = gan.train(stats.norm(4, 1.25), steps=200, ensemble=3, seed=7)
    np.testing.assert_array_equal(saved.history.js, again.history.js)


def test_figures_and_train_reject_bad_input_end_to_end():
    for args, message in {
        ("figures", "--only", "figure5"): "unknown figure 'figure5'; the figures are: figure3_training_progress",
        ("train", "norm(4"): "argument TARGET: 'norm(4' is not a density",
    }.items():
        result = run(*args)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("train", "norm(4, 1)", "--steps", "0"), "argument --steps: must be an integer >= 1, got '0'"),
        (("train", "norm(4, 1)", "--lr", "-1"), "argument --lr: must be a finite number > 0, got '-1'"),
        (("train", "norm(4, 1)", "--momentum", "1"),
         "argument --momentum: must be a finite number >= 0 and < 1, got '1'"),
        (("train", "norm(4, 1)", "--ensemble", "0"), "argument --ensemble: must be an integer >= 1, got '0'"),
        (("train", "norm(4, 1)", "-k", "0"), "argument -k: must be an integer >= 1, got '0'"),
        (("verify", "--section", "nonsense"), "unknown section 'nonsense'"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(args, message, capsys):
    # In-process: the same main() the console script calls, without a second interpreter's start-up.
    assert cli.main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"gantheory {args[0]}: error: ") and message in err and err.count("\n") == 1


def test_an_output_folder_that_cannot_be_created_is_reported(tmp_path):
    # A folder below a regular file cannot be created, whoever runs the test (root included).
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cases = {
        ("figures", "--only", "figure3_training_progress", "--out", str(blocker / "figs")):
            f"cannot use {blocker / 'figs'} as the output folder: {blocker} is a file, not a folder",
        ("train", "norm(0, 1)", "--steps", "10", "--out", str(blocker / "run")):
            f"cannot write {blocker / 'run.npz'}: {blocker} is a file, not a folder",
    }
    for args, message in cases.items():
        result = run(*args)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
