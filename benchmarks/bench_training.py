"""Question: how many GAN iterations per second does ``gantheory.gan`` run, against PyTorch and JAX?

Every implementation trains the GAN of ``gan_setting.py`` (target N(4, 1.25²), k = 1, m = 128,
non-saturating loss, SGD with momentum 0.9, gantheory's default learning rate, float64) in a
fresh process of its own (``train_*.py``), so the thread pools of NumPy, PyTorch and XLA never
share a process. Two parts:

1. Convergence (not timed): each implementation trains from a fresh initialization and must
   land on the target under the rule of ``gan_setting.CONVERGENCE``; a failing row is flagged in
   the results, since a fast wrong GAN proves nothing.
2. Speed: seconds per iteration, in rounds; every round runs every configuration once, in a
   rotated order, so slow drifts of the machine's load hit all rows alike. Medians, min and max
   over the rounds; ratios only between rows of the same run.

Usage: python benchmarks/bench_training.py [--rounds 3] [--quick] [--no-converge]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gan_setting as S  # noqa: E402
from benchlib import (  # noqa: E402
    HERE, RESULTS_DIR, busy_fraction, machine_facts, peer_available, run_worker, summarize,
    write_json,
)

WORKERS = {"gantheory": HERE / "train_gantheory.py", "torch": HERE / "train_torch.py",
           "jax": HERE / "train_jax.py"}
ENSEMBLES = (1, 64, 1024, 4096)


def implementations(model: str, e: int) -> list[dict]:
    """The rows timed for one model and ensemble size: label, worker, arguments."""
    rows = [{"label": "gantheory", "framework": "gantheory", "args": []}]
    if e >= 64:  # the default trains chunks of members on every core; this row on one
        rows.append({"label": "gantheory, workers=1", "framework": "gantheory",
                     "args": ["--workers", "1"]})
    if e == 1:
        rows += [
            {"label": "torch eager nn.Module", "framework": "torch", "args": ["--style", "module"]},
            {"label": "torch eager nn.Module, 1 thread", "framework": "torch",
             "args": ["--style", "module", "--threads", "1"]},
            {"label": "jax jit (1 dispatch/iter)", "framework": "jax", "args": ["--style", "jit"]},
            {"label": "jax lax.scan (1 dispatch/run)", "framework": "jax", "args": ["--style", "scan"]},
        ]
    rows += [
        {"label": "torch eager batched", "framework": "torch", "args": ["--style", "batched"]},
        {"label": "torch eager batched, 1 thread", "framework": "torch",
         "args": ["--style", "batched", "--threads", "1"]},
        {"label": "jax vmap+jit", "framework": "jax", "args": ["--style", "vmap"]},
    ]
    return rows


def installed() -> dict:
    return {"gantheory": peer_available("gantheory.gan"), "torch": peer_available("torch"),
            "jax": peer_available("jax")}


def convergence_jobs(available: dict) -> list[tuple]:
    jobs = []
    for model, rule in S.CONVERGENCE.items():
        lr = rule["lr"] or S.defaults(model)["lr"]
        steps = rule["steps"] or S.defaults(model)["steps"]
        e = rule["ensemble"]
        # Members trained one after the other are slow in the eager peers: fewer of them.
        sequential = 1 if model == "affine" else 4
        common = ["--model", model, "--lr", lr, "--converge", steps]
        for label, fw, extra in (
            ("gantheory", "gantheory", ["--ensemble", e]),
            ("torch eager batched", "torch", ["--style", "batched", "--ensemble", e, "--threads", 1]),
            ("torch eager nn.Module", "torch", ["--style", "module", "--ensemble", sequential, "--threads", 1]),
            ("jax vmap+jit", "jax", ["--style", "vmap", "--ensemble", e]),
            ("jax jit (1 dispatch/iter)", "jax", ["--style", "jit", "--ensemble", sequential]),
        ):
            if available[fw]:
                jobs.append((model, label, fw, [*common, *extra]))
    return jobs


def check_convergence(available: dict, parallel: int = 2) -> dict:
    """Train every implementation to the end once (two at a time: these runs are not timed)."""
    env = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}
    jobs = convergence_jobs(available)

    def run(job):
        model, label, fw, args = job
        out = run_worker(WORKERS[fw], args, env=env, timeout=1800)
        if "error" in out:
            return model, label, {"passed": False, "error": out["error"]}
        verdict = S.judge(model, out["mean"], out["std"])
        verdict.update(steps=out["steps"], members=len(out["mean"]),
                       train_seconds=out["train_seconds"], lr=float(args[3]))
        return model, label, verdict

    results: dict = {}
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        for model, label, verdict in pool.map(run, jobs):
            results.setdefault(model, {})[label] = verdict
            status = "converged" if verdict.get("passed") else "DID NOT CONVERGE"
            print(f"  convergence {model:6s} {label:32s} {status}  "
                  f"{ {k: v for k, v in verdict.items() if k != 'passed'} }", flush=True)
    return results


def measure(models, ensembles, rounds: int, seconds: float, available: dict, batch_size: int = 128,
            extra_rows=None) -> dict:
    configs = []
    for model in models:
        lr = S.defaults(model)["lr"]
        for e in ensembles:
            for row in implementations(model, e) + list(extra_rows or []):
                if not available[row["framework"]]:
                    continue
                warmup = 50 if e <= 64 else 3
                args = ["--model", model, "--ensemble", e, "--batch-size", batch_size, "--lr", lr,
                        "--seconds", seconds, *row["args"]]
                if row["framework"] != "gantheory":
                    args += ["--warmup", warmup]
                configs.append((model, e, row["label"], row["framework"], args))
    samples: dict = {}
    meta: dict = {}
    for r in range(rounds):
        shift = (r * len(configs)) // max(rounds, 1)
        order = configs[shift:] + configs[:shift]  # rotate, so no row always runs first
        began = time.perf_counter()
        for model, e, label, fw, args in order:
            run_began = time.perf_counter()
            out = run_worker(WORKERS[fw], args, timeout=1200)
            out["process_seconds"] = time.perf_counter() - run_began
            key = (model, e, label)
            if "error" in out:
                meta[key] = {"error": out["error"]}
                print(f"  {model} E={e} {label}: {out['error']}", file=sys.stderr, flush=True)
                continue
            samples.setdefault(key, []).append(out["seconds_per_iter"])
            meta.setdefault(key, {k: v for k, v in out.items()
                                  if k not in ("seconds_per_iter", "iters", "setup_seconds",
                                               "process_seconds")})
            meta[key].setdefault("process_seconds", []).append(out["process_seconds"])
        print(f"  round {r + 1}/{rounds}: {len(order)} runs in {time.perf_counter() - began:.0f} s",
              flush=True)
    rows = []
    for (model, e, label, fw, _), in zip(configs):
        key = (model, e, label)
        row = {"model": model, "ensemble": e, "label": label, "framework": fw, "batch_size": batch_size,
               "info": meta.get(key, {})}
        if key in samples:
            s = summarize(samples[key])
            row["seconds_per_iter"] = s
            row["gan_iters_per_second"] = {"median": e / s["median"], "min": e / s["max"],
                                           "max": e / s["min"]}
        rows.append(row)
    return {"rows": rows}


def ratios(rows: list[dict]) -> list[dict]:
    """Peer median time / gantheory median time, per model and ensemble size (> 1: gantheory faster)."""
    out = []
    by_key = {(r["model"], r["ensemble"], r["label"]): r for r in rows if "seconds_per_iter" in r}
    for (model, e, label), row in by_key.items():
        ours = by_key.get((model, e, "gantheory"))
        if ours is None or row["framework"] == "gantheory":
            continue
        ratio = row["seconds_per_iter"]["median"] / ours["seconds_per_iter"]["median"]
        # The spread of the ratio: worst and best pairing of the two rows' extremes.
        low = row["seconds_per_iter"]["min"] / ours["seconds_per_iter"]["max"]
        high = row["seconds_per_iter"]["max"] / ours["seconds_per_iter"]["min"]
        out.append({"model": model, "ensemble": e, "peer": label, "ratio": ratio,
                    "ratio_low": low, "ratio_high": high})
    return out


def main(rounds: int, quick: bool, converge: bool, out: Path | None) -> dict:
    available = installed()
    for fw, ok in available.items():
        if not ok:
            print(f"{fw} is not installed: its rows are skipped (pip install -e '.[bench]')",
                  file=sys.stderr)
    result = {"available": available, "machine_before": machine_facts(),
              "busy_before": busy_fraction(2.0),
              "settings": {m: S.defaults(m) for m in S.MODELS},
              "setting_doc": S.__doc__}
    started = time.perf_counter()
    if converge and not quick:
        print("convergence checks (not timed)", flush=True)
        result["convergence"] = check_convergence(available)
    ensembles = (1, 64) if quick else ENSEMBLES
    print("timings", flush=True)
    timing = measure(S.MODELS, ensembles, rounds, 0.2 if quick else 1.0, available)
    result.update(timing)
    result["ratios"] = ratios(timing["rows"])
    result["rounds"] = rounds
    result["busy_after"] = busy_fraction(2.0)
    result["machine_after_loadavg"] = machine_facts()["loadavg"]
    result["wall_seconds"] = time.perf_counter() - started
    if out is not None:
        write_json(out, result)
    return result


def report(result: dict) -> None:
    for row in result["rows"]:
        if "seconds_per_iter" not in row:
            print(f"  {row['model']:6s} E={row['ensemble']:<5d} {row['label']:34s} failed")
            continue
        s, g = row["seconds_per_iter"], row["gan_iters_per_second"]
        print(f"  {row['model']:6s} E={row['ensemble']:<5d} {row['label']:34s} "
              f"{1e6 * s['median']:11.1f} us/iter [{1e6 * s['min']:.1f}, {1e6 * s['max']:.1f}]  "
              f"{g['median']:12.0f} GAN-it/s")
    for r in result["ratios"]:
        print(f"  {r['model']:6s} E={r['ensemble']:<5d} gantheory vs {r['peer']:34s} "
              f"{r['ratio']:7.2f}x  [{r['ratio_low']:.2f}, {r['ratio_high']:.2f}]")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="E in (1, 64), short timings, no convergence")
    parser.add_argument("--no-converge", dest="converge", action="store_false")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "training.json")
    args = parser.parse_args()
    res = main(args.rounds, args.quick, args.converge, None if args.quick else args.out)
    report(res)
    print(f"({res['wall_seconds']:.0f} s)")
