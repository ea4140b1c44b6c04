"""Question: how fast and how exact is ``gt.js_curve`` against what a user would otherwise write?

For the 400 distances of the cached 30-digit reference (``numpy.linspace(0, 10, 400)``), each
method computes JS and dJS/dd; the script reports the time per full curve (median, min and max
over interleaved rounds: every method once per round, in turn) and the maximum absolute error of
JS and of dJS/dd against the reference. The peers are in ``curve_peers.py``.

Usage: python benchmarks/bench_curves.py [--rounds 5] [--quick] [--out results/curves.json]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import curve_peers  # noqa: E402
from benchlib import RESULTS_DIR, machine_facts, summarize, time_call, write_json  # noqa: E402
from js_reference import DEFAULT_OUT as REFERENCE, load  # noqa: E402

GANTHEORY = "gantheory js_curve"


def methods() -> dict:
    out = {}
    try:
        from gantheory import js_curve
    except ImportError:
        try:
            from gantheory.curves import js_curve
        except ImportError:
            js_curve = None
    if js_curve is not None:
        out[GANTHEORY] = lambda d: js_curve(d)
    out.update(curve_peers.PEERS)
    return out


def main(rounds: int, quick: bool, out: Path | None) -> dict:
    distances, js_ref, djs_ref = load(REFERENCE)
    if quick:
        distances, js_ref, djs_ref = distances[::40], js_ref[::40], djs_ref[::40]
    table = methods()
    if GANTHEORY not in table:
        print("gantheory.js_curve is not available yet: its row is skipped", file=sys.stderr)
    errors = {}
    for name, fn in table.items():
        js, djs = fn(distances)
        errors[name] = {"js": float(np.max(np.abs(js - js_ref))),
                        "djs": float(np.max(np.abs(djs - djs_ref)))}
    times = {name: [] for name in table}
    budget = 0.05 if quick else 0.5
    for _ in range(rounds):
        for name, fn in table.items():  # interleaved: one sample of every method per round
            times[name].append(time_call(lambda fn=fn: fn(distances), min_seconds=budget))
    result = {
        "question": f"JS curve and slope, {distances.size} distances in [0, 10]",
        "n_distances": int(distances.size),
        "rounds": rounds,
        "methods": {name: {"seconds": summarize(times[name]), "max_abs_error": errors[name]}
                    for name in table},
        "machine": machine_facts(),
    }
    if GANTHEORY in table:
        ours = result["methods"][GANTHEORY]["seconds"]["median"]
        result["speedup"] = {name: result["methods"][name]["seconds"]["median"] / ours
                             for name in table if name != GANTHEORY}
    if out is not None:
        write_json(out, result)
    return result


def report(result: dict) -> None:
    print(f"{result['question']}, {result['rounds']} interleaved rounds")
    for name, row in result["methods"].items():
        s, e = row["seconds"], row["max_abs_error"]
        print(f"  {name:40s} {1e3 * s['median']:10.3f} ms [{1e3 * s['min']:.3f}, "
              f"{1e3 * s['max']:.3f}]  max|err| JS {e['js']:.1e}  dJS {e['djs']:.1e}")
    for name, ratio in result.get("speedup", {}).items():
        print(f"  js_curve is {ratio:7.1f}x faster than {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="40 distances, short timings")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "curves.json")
    args = parser.parse_args()
    started = time.perf_counter()
    report(main(args.rounds, args.quick, None if args.quick else args.out))
    print(f"({time.perf_counter() - started:.0f} s)")
