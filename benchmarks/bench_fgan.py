"""Question: is every f-divergence, and W1, as cheap as the JS divergence, and is a curve of each cheap?

Targets (issue 11): an f-divergence or W1 between two scipy densities within 3x the time of
``gt.js_divergence`` on the same pair; a 400-point divergence-vs-distance curve of every divergence
in under a second. Timings are medians over interleaved rounds (every method once per round, in
turn), so that a busy moment of the shared machine hits them alike; the ratios compare numbers of
the same run. The accuracy section reads the 30-digit mpmath references cached by
``tests/references_fgan.py`` and reports the largest error per divergence and family.

Usage: python benchmarks/bench_fgan.py [--rounds 5] [--quick] [--out results/fgan.json]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import RESULTS_DIR, ROOT, machine_facts, summarize, time_call, write_json  # noqa: E402

import gantheory as gt  # noqa: E402
from gantheory import fdivergences  # noqa: E402

NAMES = tuple(fdivergences.FDIVERGENCES)
PAIRS = {
    "N(0,1) vs N(1,1.5^2)": (stats.norm(0, 1), stats.norm(1, 1.5)),
    "N(0,1) vs N(2,1)": (stats.norm(0, 1), stats.norm(2, 1)),
    "Laplace(0,1) vs N(0.5,1)": (stats.laplace(0, 1), stats.norm(0.5, 1)),
    "t3 vs N(0,2^2)": (stats.t(3), stats.norm(0, 2)),
    "U(0,2) vs U(1,3)": (stats.uniform(0, 2), stats.uniform(1, 2)),
    "bimodal mixture vs N(0,1)": (gt.Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5]),
                                  stats.norm(0, 1)),
}
CURVES = {
    "N(0,1) shifted": stats.norm(0, 1),
    "U(0,1) shifted (WGAN Example 1)": stats.uniform(0, 1),
    "Laplace(0,1) shifted": stats.laplace(0, 1),
}


def single_ratios(rounds: int, budget: float) -> dict:
    out = {}
    for label, (p, q) in PAIRS.items():
        methods = {"js_divergence": lambda p=p, q=q: gt.js_divergence(p, q),
                   "wasserstein1": lambda p=p, q=q: gt.wasserstein1(p, q)}
        methods.update({name: (lambda p=p, q=q, name=name: gt.f_divergence(p, q, name)) for name in NAMES})
        times = {name: [] for name in methods}
        for _ in range(rounds):
            for name, fn in methods.items():
                times[name].append(time_call(fn, min_seconds=budget))
        js = summarize(times["js_divergence"])["median"]
        out[label] = {"js_seconds": js,
                      "ratio": {name: summarize(t)["median"] / js for name, t in times.items() if name != "js_divergence"}}
    return out


def curve_seconds(rounds: int, n: int) -> dict:
    d = np.linspace(0.0, 3.0, n)
    out = {}
    for label, p in CURVES.items():
        methods = {"wasserstein1": lambda p=p: gt.wasserstein1_curve(p, p, d)}
        methods.update({name: (lambda p=p, name=name: gt.f_divergence_curve(p, p, d, name)) for name in NAMES})
        times = {name: [] for name in methods}
        for _ in range(rounds):
            for name, fn in methods.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
        out[label] = {name: summarize(t)["median"] for name, t in times.items()}
    return out


def accuracy() -> dict:
    """Largest |computed - mpmath| per divergence and family, from the cached 30-digit references."""
    sys.path.insert(0, str(ROOT / "tests"))
    import references_fgan as rf

    cached = rf.cached()
    worst: dict = {}
    for case, (family, p_spec, q_spec, infinite) in rf.CASES.items():
        p, q = rf.make(p_spec).scipy, rf.make(q_spec).scipy
        for name in NAMES + ("w1",):
            key = f"{case}|{name}"
            value = gt.wasserstein1(p, q) if name == "w1" else gt.f_divergence(p, q, name)
            if key not in cached:
                error = 0.0 if value == math.inf else math.inf  # infinite by analysis: must be inf
            else:
                error = abs(value - cached[key]) / max(1.0, abs(cached[key]))
            row = worst.setdefault(name, {})
            row[family] = max(row.get(family, 0.0), error)
    # Issue 10's hard cases (shared and singular edges, a far Laplace, far Gaussians, a heavy tail),
    # against mpmath integrals of the definitions computed now (a few seconds).
    import references as ref

    for label, (p_args, q_args, infinite) in rf.HARD.items():
        p, q = (ref.family(a[0], *a[1], loc=a[2], scale=a[3]) for a in (p_args, q_args))
        for name in NAMES:
            value = gt.f_divergence(p.scipy, q.scipy, name)
            if name in infinite:
                error = 0.0 if value == math.inf else math.inf
            else:
                reference = rf.divergence_of(name, p, q)
                error = abs(value - reference) / max(1.0, abs(reference))
            row = worst.setdefault(name, {})
            row["issue 10 hard"] = max(row.get("issue 10 hard", 0.0), error)
    return worst


def main(rounds: int, quick: bool, out: Path | None) -> dict:
    result = {
        "question": "f-divergences and W1 against js_divergence on the same pair; 400-point curves",
        "rounds": rounds,
        "single": single_ratios(rounds, 0.02 if quick else 0.2),
        "curves": curve_seconds(max(1, rounds // 2), 40 if quick else 400),
        "n_curve_points": 40 if quick else 400,
        "accuracy_vs_mpmath": accuracy(),
        "machine": machine_facts(),
    }
    worst = max(r for pair in result["single"].values() for r in pair["ratio"].values())
    result["worst_ratio"] = worst
    result["slowest_curve_seconds"] = max(t for c in result["curves"].values() for t in c.values())
    if out is not None:
        write_json(out, result)
    return result


def report(result: dict) -> None:
    print(result["question"])
    for label, row in result["single"].items():
        ratios = "  ".join(f"{k} {v:.2f}x" for k, v in row["ratio"].items())
        print(f"  {label:28s} js {1e3 * row['js_seconds']:.2f} ms | {ratios}")
    print(f"  worst ratio to js_divergence: {result['worst_ratio']:.2f}x (target 3x)")
    for label, row in result["curves"].items():
        times = "  ".join(f"{k} {v:.3f}s" for k, v in row.items())
        print(f"  {result['n_curve_points']}-point curve, {label}: {times}")
    print(f"  slowest curve: {result['slowest_curve_seconds']:.3f} s (target 1 s)")
    print("  largest error against 30-digit mpmath (relative above 1), per divergence and family:")
    for name, row in result["accuracy_vs_mpmath"].items():
        print(f"    {name:18s} " + "  ".join(f"{fam}: {err:.1e}" for fam, err in row.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="short timings and 40-point curves")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "fgan.json")
    args = parser.parse_args()
    started = time.perf_counter()
    report(main(args.rounds, args.quick, None if args.quick else args.out))
    print(f"({time.perf_counter() - started:.0f} s)")
