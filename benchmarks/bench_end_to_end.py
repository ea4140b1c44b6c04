"""Question: how long do the README's two commands take, once installed?

Times ``make figures`` and ``make test`` from the repository root as a user runs them, after one
untimed ``make`` of the install stamp so that the virtual environment exists (installation is not
what is measured). Each command runs ``--rounds`` times, alternating; a failing command is
reported with its exit status, its time still recorded.

Usage: python benchmarks/bench_end_to_end.py [--rounds 1]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import RESULTS_DIR, ROOT, busy_fraction, summarize, write_json  # noqa: E402

COMMANDS = {"make figures": ["make", "figures"], "make test": ["make", "test"]}


def main(rounds: int, out: Path | None) -> dict:
    prep = subprocess.run(["make", ".venv/.installed"], cwd=ROOT, capture_output=True, text=True)
    result = {"rounds": rounds, "install_status": prep.returncode, "commands": {},
              "busy_before": busy_fraction(2.0)}
    times: dict = {name: [] for name in COMMANDS}
    status: dict = {name: [] for name in COMMANDS}
    tails: dict = {}
    for _ in range(rounds):
        for name, cmd in COMMANDS.items():
            began = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            times[name].append(time.perf_counter() - began)
            status[name].append(proc.returncode)
            lines = [ln for ln in (proc.stdout + proc.stderr).strip().splitlines()
                     if ln.strip() and not ln.startswith("make")]
            tails[name] = lines[-3:]
            print(f"  {name}: {times[name][-1]:.1f} s, exit {proc.returncode}", flush=True)
    for name in COMMANDS:
        result["commands"][name] = {"seconds": summarize(times[name]), "exit_status": status[name],
                                    "last_lines": tails[name]}
    result["busy_after"] = busy_fraction(2.0)
    if out is not None:
        write_json(out, result)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "end_to_end.json")
    args = parser.parse_args()
    main(args.rounds, args.out)
