"""Question: how close is ``gantheory.gan`` to what the machine can physically do per iteration?

Counts the arithmetic of one GAN iteration (Algorithm 1, k = 1, minibatch m, MLP width H) and
measures, on this machine and one core, the throughput of each kind of work with NumPy on
cache-resident arrays: double-precision matrix-product FLOPs (BLAS peak), elementwise multiply-
adds, tanh, exp (for the logistic function) and standard-normal draws, plus the fixed cost of one
small NumPy call. The floor of an iteration is the sum of (work / throughput) over the kinds:
what no implementation on one core can beat, whatever its language. At E = 1 the real cost is
dominated by call overhead instead, which the last column of the table states.

The counts (multiply and add each count as one FLOP), for n samples through a 1-H-1 tanh MLP:
forward 4Hn FLOP + Hn tanh; backward to the parameters 9Hn; backward to the input 5Hn. One
iteration runs: D step = G forward (m) + D forward (2m) + D backward (2m) + 2m logistic;
G step = G forward (m) + D forward (m) + D backward to input (m) + G backward (m) + m logistic;
plus 3m normal draws and the two SGD updates (3 FLOP per parameter).

Usage: python benchmarks/bench_floor.py [--out results/floor.json]   (run with one BLAS thread)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.special import expit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gan_setting as S  # noqa: E402
from benchlib import RESULTS_DIR, machine_facts, summarize, time_call, write_json  # noqa: E402


def work_per_iteration(model: str, m: int, hidden: int = S.HIDDEN) -> dict:
    """FLOPs, tanh, exp and normal draws of one GAN iteration (k = 1), per member."""
    h = hidden
    if model == "mlp":
        p = 3 * h + 1
        flop = (4 + 8 + 18 + 4 + 4 + 5 + 9) * h * m + 2 * 3 * p
        tanh = (1 + 2 + 1 + 1) * h * m
    else:  # affine G (2 FLOP/sample fwd, 4 bwd) and quadratic D (5 fwd, 6 bwd, 3 to input)
        flop = (2 + 5 * 2 + 6 * 2 + 2 + 5 + 3 + 4) * m + 3 * (2 + 3)
        tanh = 0
    return {"flop": flop, "tanh": tanh, "exp": 3 * m, "normals": 3 * m}


def throughputs(repeat: int = 5) -> dict:
    """Per-second rates on one core: matmul FLOP, elementwise FLOP, tanh, exp, normals, call cost."""
    rng = np.random.default_rng(0)
    out = {}
    a = rng.standard_normal((512, 512))
    b = rng.standard_normal((512, 512))
    t = [time_call(lambda: a @ b, min_seconds=0.2) for _ in range(repeat)]
    out["matmul_flop"] = 2 * 512**3 / min(t)
    x = rng.standard_normal((64, 16, 128))  # 1 MiB: in cache, the size of a chunk's activations
    y = np.empty_like(x)
    t = [time_call(lambda: np.multiply(x, 1.0001, out=y), min_seconds=0.1) for _ in range(repeat)]
    out["elementwise_flop"] = x.size / min(t)
    t = [time_call(lambda: np.tanh(x, out=y), min_seconds=0.1) for _ in range(repeat)]
    out["tanh"] = x.size / min(t)
    t = [time_call(lambda: np.exp(x, out=y), min_seconds=0.1) for _ in range(repeat)]
    out["exp"] = x.size / min(t)
    t = [time_call(lambda: expit(x, out=y), min_seconds=0.1) for _ in range(repeat)]
    out["expit"] = x.size / min(t)
    z = np.empty(x.size)
    t = [time_call(lambda: rng.standard_normal(out=z), min_seconds=0.1) for _ in range(repeat)]
    out["normals"] = z.size / min(t)
    small = rng.standard_normal((1, 128))
    small_out = np.empty_like(small)
    t = [time_call(lambda: np.multiply(small, 2.0, out=small_out), min_seconds=0.1) for _ in range(repeat)]
    out["small_call_seconds"] = min(t)
    return out


def floor(model: str, m: int, rates: dict) -> dict:
    work = work_per_iteration(model, m)
    parts = {
        "flop (BLAS peak)": work["flop"] / rates["matmul_flop"],
        "tanh": work["tanh"] / rates["tanh"],
        "logistic": work["exp"] / rates["expit"],
        "normal draws": work["normals"] / rates["normals"],
    }
    elementwise = dict(parts, **{"flop (BLAS peak)": work["flop"] / rates["elementwise_flop"]})
    return {"work": work, "seconds_peak": sum(parts.values()), "parts_peak": parts,
            "seconds_elementwise": sum(elementwise.values())}


def main(out: Path | None, rounds: int = 3) -> dict:
    samples: dict = {}
    for _ in range(rounds):
        for k, v in throughputs().items():
            samples.setdefault(k, []).append(v)
    rates_summary = {k: summarize(v) for k, v in samples.items()}
    rates = {k: v["median"] for k, v in rates_summary.items()}
    result = {"rates": rates_summary, "floors": {}, "machine": machine_facts()}
    for model in S.MODELS:
        for m in (128,):
            result["floors"][f"{model}, m={m}"] = floor(model, m, rates)
    if out is not None:
        write_json(out, result)
    return result


def report(result: dict) -> None:
    r = {k: v["median"] for k, v in result["rates"].items()}
    print(f"  one core: matmul {r['matmul_flop'] / 1e9:.1f} GFLOP/s, elementwise {r['elementwise_flop'] / 1e9:.2f} "
          f"Gop/s, tanh {r['tanh'] / 1e6:.0f} M/s, exp {r['exp'] / 1e6:.0f} M/s, expit {r['expit'] / 1e6:.0f} M/s, "
          f"normals {r['normals'] / 1e6:.0f} M/s, one small NumPy call {1e6 * r['small_call_seconds']:.2f} us")
    for name, f in result["floors"].items():
        print(f"  {name}: {f['work']}  floor {1e6 * f['seconds_peak']:.2f} us/iter at peak, "
              f"{1e6 * f['seconds_elementwise']:.2f} us/iter at elementwise rate")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "floor.json")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    report(main(None if args.quick else args.out, rounds=1 if args.quick else 3))
    print(f"({time.perf_counter() - started:.0f} s)")
