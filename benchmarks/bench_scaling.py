"""Question: how does the cost grow with the work?

- ``gt.js_curve``: seconds per call against the number of distances n (and the SciPy peers that
  stay affordable: ``quad_vec`` up to 10⁴ distances, the ``quad`` loop up to 10³);
- ``gantheory.gan.train``: GAN-iterations per second against the ensemble size E (m = 128) and
  µs per iteration against the minibatch size m (E = 1), both models, each point in a fresh
  process, medians of interleaved rounds.

Writes ``results/scaling.json`` and, with the peers' ensemble rows of ``results/training.json``
when that file exists, the figure ``benchmarks/scaling.png``.

Usage: python benchmarks/bench_scaling.py [--rounds 3] [--quick] [--plot-only]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import curve_peers  # noqa: E402
import gan_setting as S  # noqa: E402
from benchlib import (  # noqa: E402
    HERE, RESULTS_DIR, atomic_write, peer_available, run_worker, summarize, time_call, write_json,
)

CURVE_SIZES = (1, 10, 100, 1000, 10_000, 100_000)
PEER_LIMITS = {"scipy quad_vec": 10_000, "scipy quad loop": 1000}
ENSEMBLES = (1, 4, 16, 64, 256, 1024, 4096)
BATCHES = (16, 32, 64, 128, 256, 512, 1024, 2048)
FIGURE = HERE / "scaling.png"


def curve_scaling(rounds: int, sizes=CURVE_SIZES) -> dict:
    from gantheory import js_curve

    methods = {"gantheory js_curve": js_curve, "scipy quad_vec": curve_peers.quad_vec,
               "scipy quad loop": curve_peers.quad_loop}
    samples: dict = {}
    for _ in range(rounds):
        for n in sizes:
            d = np.linspace(0.0, 10.0, n)
            for name, fn in methods.items():
                if n > PEER_LIMITS.get(name, np.inf):
                    continue
                samples.setdefault(name, {}).setdefault(n, []).append(
                    time_call(lambda fn=fn, d=d: fn(d), min_seconds=0.1))
    return {name: {str(n): summarize(v) for n, v in per.items()} for name, per in samples.items()}


def gan_scaling(rounds: int, seconds: float, ensembles=ENSEMBLES, batches=BATCHES) -> dict:
    worker = HERE / "train_gantheory.py"
    points = []
    for model in S.MODELS:
        lr = S.defaults(model)["lr"]
        points += [(model, "ensemble", e, ["--model", model, "--ensemble", e, "--lr", lr,
                                           "--seconds", seconds]) for e in ensembles]
        points += [(model, "batch_size", m, ["--model", model, "--batch-size", m, "--lr", lr,
                                             "--seconds", seconds]) for m in batches]
    samples: dict = {}
    for r in range(rounds):
        shift = (r * len(points)) // max(rounds, 1)
        for model, axis, value, args in points[shift:] + points[:shift]:
            out = run_worker(worker, args)
            if "error" in out:
                print(f"  {model} {axis}={value}: {out['error']}", file=sys.stderr)
                continue
            samples.setdefault(model, {}).setdefault(axis, {}).setdefault(value, []).append(
                out["seconds_per_iter"])
    return {model: {axis: {str(v): summarize(s) for v, s in per.items()} for axis, per in axes.items()}
            for model, axes in samples.items()}


def plot(result: dict, training: dict | None, path: Path = FIGURE) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), constrained_layout=True)
    ax = axes[0]
    for name, per in result["curves"].items():
        n = np.array([int(k) for k in per])
        med = np.array([v["median"] for v in per.values()])
        lo = np.array([v["min"] for v in per.values()])
        hi = np.array([v["max"] for v in per.values()])
        ax.errorbar(n, med, yerr=[med - lo, hi - med], marker="o", capsize=3, label=name)
    ax.set(xscale="log", yscale="log", xlabel="number of distances n",
           ylabel="seconds per call (JS and dJS/dd)", title="JS curve: cost against n")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)

    ax = axes[1]
    colors = {"affine": "C0", "mlp": "C3"}
    for model, axes_data in result["gan"].items():
        per = axes_data.get("ensemble", {})
        e = np.array([int(k) for k in per])
        rate = np.array([int(k) / v["median"] for k, v in per.items()])
        ax.plot(e, rate, marker="o", color=colors[model], label=f"gantheory, {model}")
    if training:
        # Each peer at its faster thread setting (PyTorch: default threads or one thread).
        styles = {"torch eager batched": ("s", ":", ("torch eager batched", "torch eager batched, 1 thread")),
                  "jax vmap+jit": ("^", "--", ("jax vmap+jit",))}
        for name, (marker, line, labels) in styles.items():
            for model in S.MODELS:
                best: dict = {}
                for r in training.get("rows", []):
                    if r["label"] in labels and r["model"] == model and "gan_iters_per_second" in r:
                        rate = r["gan_iters_per_second"]["median"]
                        best[r["ensemble"]] = max(best.get(r["ensemble"], 0.0), rate)
                if best:
                    e, rate = zip(*sorted(best.items()))
                    suffix = " (faster of default / 1 thread)" if name.startswith("torch") else ""
                    ax.plot(e, rate, marker=marker, linestyle=line, color=colors[model], alpha=0.7,
                            label=f"{name}{suffix}, {model}")
    ax.set(xscale="log", yscale="log", xlabel="ensemble size E (m = 128)",
           ylabel="GAN-iterations per second", title="Ensembles: throughput against E")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)

    ax = axes[2]
    for model, axes_data in result["gan"].items():
        per = axes_data.get("batch_size", {})
        m = np.array([int(k) for k in per])
        us = np.array([1e6 * v["median"] for v in per.values()])
        ax.plot(m, us, marker="o", color=colors[model], label=f"gantheory, {model}")
    ax.set(xscale="log", yscale="log", xlabel="minibatch size m (E = 1)", ylabel="µs per iteration",
           title="One GAN: cost against m")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    atomic_write(path, buf.getvalue())


def main(rounds: int, quick: bool, out: Path | None) -> dict:
    started = time.perf_counter()
    result = {"rounds": rounds}
    if quick:
        result["curves"] = curve_scaling(1, sizes=(1, 100))
        result["gan"] = gan_scaling(1, 0.1, ensembles=(1, 16), batches=(16, 128)) \
            if peer_available("gantheory.gan") else {}
    else:
        result["curves"] = curve_scaling(rounds)
        result["gan"] = gan_scaling(rounds, 0.5) if peer_available("gantheory.gan") else {}
    result["wall_seconds"] = time.perf_counter() - started
    if out is not None:
        write_json(out, result)
    return result


def load_training() -> dict | None:
    path = RESULTS_DIR / "training.json"
    return json.loads(path.read_text()) if path.exists() else None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--plot-only", action="store_true", help="redraw from results/scaling.json")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "scaling.json")
    args = parser.parse_args()
    if args.plot_only:
        res = json.loads(args.out.read_text())
    else:
        res = main(args.rounds, args.quick, None if args.quick else args.out)
    if not args.quick:
        plot(res, load_training())
        print(f"wrote {FIGURE}")
    else:
        print(json.dumps({k: v for k, v in res.items() if k != "gan"}, indent=1)[:2000])
