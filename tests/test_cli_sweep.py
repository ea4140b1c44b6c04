"""`gantheory sweep`: a study on disk, resumed by the same command, summarized; bad input is one line."""

import pytest
from scipy import stats

from gantheory import cli, gan

TARGET = "norm(4, 1.25)"
COMMAND = ["sweep", TARGET, "--grid", "lr=0.005,0.02", "--grid", "loss=minimax,non-saturating",
           "--set", "steps=80", "--set", "batch_size=16", "--seeds", "6", "--shard-size", "3", "--quiet"]


def test_sweep_writes_the_table_resumes_and_summarizes(tmp_path, capsys):
    out = tmp_path / "study"
    assert cli.main([*COMMAND, "--out", str(out)]) == 0
    table = gan.read_table(out / "runs.csv")
    assert len(table) == 24 and table["loss"].tolist()[:6] == ["minimax"] * 6
    printed = capsys.readouterr().out
    assert "sweep of 24 runs on norm(4, 1.25)" in printed and "24 of 24 runs" in printed
    # The same table as the library's, and a rerun after losing shards rebuilds it exactly.
    config = gan.Config(steps=80, batch_size=16)
    expected = gan.sweep(stats.norm(4, 1.25), {"lr": [0.005, 0.02], "loss": ["minimax", "non-saturating"]},
                         6, config=config)
    for name in expected:
        assert table[name].tolist() == expected[name].tolist(), name
    for shard in sorted((out / "shards").iterdir())[::3]:
        shard.unlink()
    (out / "runs.csv").unlink()
    assert cli.main([*COMMAND, "--out", str(out)]) == 0
    again = gan.read_table(out / "runs.csv")
    for name in expected:
        assert again[name].tolist() == expected[name].tolist(), name
    capsys.readouterr()
    assert cli.main(["sweep", str(out), "--summary"]) == 0
    summary = capsys.readouterr().out.splitlines()
    assert summary[2].split() == ["lr", "loss", "runs", "converged", "diverged", "mean", "JS"]
    assert len(summary) == 3 + 4 and summary[3].startswith("0.005  minimax")


@pytest.mark.parametrize(
    "args,message",
    [
        (["--grid", "lr"], "--grid must be SETTING=VALUE[,VALUE...]"),
        (["--grid", "lr=0.1", "--grid", "lr=0.2"], "--grid lr is given twice"),
        (["--grid", "rate=0.1"], "'rate' is not a setting of gan.Config"),
        (["--grid", "lr=0.1,-2"], "`lr` must be a finite number > 0, got -2"),
        (["--grid", "lr=0.1", "--set", "steps=0"], "`steps` must be an integer >= 1, got 0"),
        (["--grid", "lr=0.1", "--seeds", "0"], "argument --seeds: must be an integer >= 1, got '0'"),
        ([], "give at least one --grid"),
    ],
)
def test_bad_sweeps_are_one_line_and_exit_2_before_any_work(args, message, tmp_path, capsys):
    out = tmp_path / "study"
    assert cli.main(["sweep", TARGET, *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_changed_command_is_refused_and_summary_needs_a_study(tmp_path, capsys):
    out = tmp_path / "study"
    assert cli.main(["sweep", TARGET, "--grid", "lr=0.01", "--set", "steps=20", "--seeds", "2", "--quiet", "--out", str(out)]) == 0
    assert cli.main(["sweep", TARGET, "--grid", "lr=0.02", "--set", "steps=20", "--seeds", "2", "--out", str(out)]) == 2
    assert "holds a sweep with a different grid" in capsys.readouterr().err
    assert cli.main(["sweep", str(tmp_path / "none"), "--summary"]) == 2
    assert "does not hold a sweep" in capsys.readouterr().err
    assert cli.main(["sweep", TARGET, "--grid", "lr=0.01"]) == 2
    assert "--out DIR is needed" in capsys.readouterr().err


def test_a_killed_sweep_resumed_by_the_same_command_gives_the_uninterrupted_table(tmp_path):
    # The "done when": run, kill -9 midway, rerun the same command, compare.

    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "study"
    command = [sys.executable, "-m", "gantheory.cli", "sweep", TARGET, "--grid", "lr=0.005,0.02",
               "--set", "steps=1500", "--set", "batch_size=16", "--seeds", "8", "--shard-size", "1",
               "--quiet", "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((out / "shards").glob("*.npz"))) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = len(list((out / "shards").glob("*.npz")))
    assert 3 <= finished < 16 and not (out / "runs.csv").exists(), finished
    assert subprocess.run(command, capture_output=True).returncode == 0
    table = gan.read_table(out / "runs.csv")
    expected = gan.sweep(stats.norm(4, 1.25), {"lr": [0.005, 0.02]}, 8, config=gan.Config(steps=1500, batch_size=16))
    for name in expected:
        assert table[name].tolist() == expected[name].tolist(), name

