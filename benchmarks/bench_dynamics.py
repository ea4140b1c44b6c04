"""The Dirac-GAN simulator: 10 000 starts x 9 methods x 500 steps against a per-trajectory loop.

The peer is the same update (the same compiled vector fields, clipping and divergence checks:
``gantheory.dynamics.trajectories._run``) called once per trajectory in a Python loop, which is
how one would reuse a single-trajectory simulator such as the reference implementation's
``trajectory_simgd``. The loop is timed on a sample of trajectories per method and its time per
trajectory multiplied by the number of trajectories; its results are checked bit for bit against
the vectorized run. Target (issue 12): at least 100 times faster.

Usage: python benchmarks/bench_dynamics.py [--starts 10000] [--sample 40] [--rounds 3] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import RESULTS_DIR, emit, machine_facts, summarize, write_json  # noqa: E402

from gantheory import dynamics  # noqa: E402
from gantheory.dynamics.trajectories import _run  # noqa: E402

TARGET_RATIO = 100.0


def methods() -> list[tuple[str, dict]]:
    return [(m, dict(dynamics.DEFAULTS[m])) for m in dynamics.METHODS]


def vectorized(starts: np.ndarray, steps: int) -> tuple[float, np.ndarray]:
    began = time.perf_counter()
    grid = dynamics.simulate_grid(methods(), starts, h=0.2, steps=steps, keep="last")
    return time.perf_counter() - began, grid.states[:, 0]  # (M, N, 2)


def loop(starts: np.ndarray, steps: int) -> tuple[float, np.ndarray]:
    """Seconds per trajectory (all methods together) of the one-at-a-time loop, and its states."""
    out = np.empty((len(methods()), len(starts), 2))
    began = time.perf_counter()
    for i, (method, params) in enumerate(methods()):
        params = dynamics.dirac.check_params(method, params)
        for j, (theta, psi) in enumerate(starts):
            state, _ = _run(method, params, np.array([theta]), np.array([psi]), np.float64(0.2), steps,
                            "simultaneous", 1, dynamics.DEFAULT_BOUND, "last")
            out[i, j] = state[0]
    return (time.perf_counter() - began) / len(starts), out


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=40, help="trajectories per method timed in the loop")
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test; writes nothing")
    args = parser.parse_args()
    if args.quick:
        args.starts, args.sample, args.steps, args.rounds = 50, 3, 20, 1
    rng = np.random.default_rng(0)
    starts = rng.uniform(-2.0, 2.0, size=(args.starts, 2))
    dynamics.simulate_grid(methods(), starts[:2], steps=1)  # derive and compile every method first
    fast, slow = [], []
    for _ in range(args.rounds):
        seconds, states = vectorized(starts, args.steps)
        fast.append(seconds)
        per_trajectory, looped = loop(starts[: args.sample], args.steps)
        slow.append(per_trajectory * args.starts)
        identical = bool(np.array_equal(looped, states[:, : args.sample]))
    ratio = [s / f for s, f in zip(slow, fast)]
    result = {
        "what": f"{args.starts} starts x {len(methods())} methods x {args.steps} simultaneous steps, h = 0.2",
        "vectorized_seconds": summarize(fast),
        "loop_seconds_extrapolated": summarize(slow),
        "loop_sample_per_method": args.sample,
        "ratio": summarize(ratio),
        "target_ratio": TARGET_RATIO,
        "met": min(ratio) >= TARGET_RATIO,
        "loop_equals_vectorized_bit_for_bit": identical,
        "machine": machine_facts(),
    }
    if not args.quick:
        write_json(RESULTS_DIR / "dynamics.json", result)
    emit(result)
    return result


if __name__ == "__main__":
    main()
