"""Sweeps (issue 13): a sharded sweep against one large ensemble, Dask against the local executor,
scaling with workers and shard size, gan.train's set-up cost per member, and shards that mix the
cells of a grid against one shard per cell.

Every ratio is between runs of the same process, interleaved round by round; the machine's load
(other processes' share of the CPU) is recorded before each measurement, since the machine may be
shared. Throughput is GAN-iterations per second: runs x iterations / wall time.

Usage: python benchmarks/bench_sweep.py [--runs 10000] [--steps 2000] [--rounds 1] [--quick]
       python benchmarks/bench_sweep.py --only mixing [--rounds 3]   # update that part of sweep.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import RESULTS_DIR, busy_fraction, git_revision, machine_facts, write_json  # noqa: E402

from gantheory import gan  # noqa: E402
from gantheory.gan.train import BLOCK, member_rng  # noqa: E402

sweep_module = importlib.import_module("gantheory.gan.sweep")  # gan.sweep is the function

TARGET = stats.norm(4, 1.25)
GRID_LRS = [0.005, 0.01]  # two cells of runs/2 members: the sweep's table, as a study would have it
#: 30 cells that differ only in per-member settings: one ensemble key, so one sweep mixes them all.
MIXED_GRID = {"lr": [0.002, 0.005, 0.01, 0.02, 0.05], "loss": ["minimax", "non-saturating"], "momentum": [0.0, 0.5, 0.9]}
#: (label, settings, seeds per cell, iterations as a fraction of --steps)
MIXED_SETTINGS = (
    ("affine + quadratic, m = 128 (the defaults)", {}, 32, 1.0),
    ("affine + quadratic, m = 32", {"batch_size": 32}, 32, 1.0),
    ("affine + quadratic, m = 128, 8 seeds per cell", {}, 8, 1.0),
    ("MLP 1-16-1 both, m = 128, float32", {"generator": "mlp", "discriminator": "mlp", "dtype": "float32"}, 32, 0.2),
)


def _timed(fn) -> dict:
    busy = busy_fraction(1.0)
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return {"seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
            "busy_before": busy, "load_before": load}


def one_ensemble(runs: int, steps: int) -> None:
    gan.train(TARGET, ensemble=runs, steps=steps, log_every=steps, track_js=False)


def local_sweep(runs: int, steps: int, *, workers: int | None = None, shard_size: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as out:
        executor = None if workers is None else __import__("concurrent.futures").futures.ThreadPoolExecutor(workers)
        try:
            gan.sweep(TARGET, {"lr": GRID_LRS}, runs // len(GRID_LRS), config=gan.Config(steps=steps),
                      executor=executor, out=out, shard_size=shard_size)
        finally:
            if executor is not None:
                executor.shutdown()


def dask_sweep(client, runs: int, steps: int, shard_size: int | None = None) -> None:
    with tempfile.TemporaryDirectory() as out:
        gan.sweep(TARGET, {"lr": GRID_LRS}, runs // len(GRID_LRS), config=gan.Config(steps=steps),
                  executor=client.get_executor(), out=out, shard_size=shard_size)


def dask_client(workers: int):
    import distributed

    began = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=50)
    client = distributed.Client(cluster)
    return cluster, client, time.perf_counter() - began


def per_cell_sweep(config: gan.Config, seeds: int, grid: dict = MIXED_GRID) -> gan.RunTable:
    """The sweep as it ran before cells shared shards: one shard per cell (up to 1024 members),
    on the same thread pool as gan.sweep's default, no folder."""
    plan = sweep_module._plan(TARGET, grid, seeds, config, None, mix=False)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        tables = list(pool.map(lambda shard: sweep_module.run_shard(TARGET, plan.pieces(shard)), plan.shards()))
    table = gan.RunTable.concat(tables)
    return table.rows(np.lexsort((table["member"], table["cell"])))


def mixed_sweep(config: gan.Config, seeds: int, grid: dict = MIXED_GRID) -> gan.RunTable:
    """gan.sweep with its defaults: the cells share shards."""
    return gan.sweep(TARGET, grid, seeds, config=config)


def mixing(steps: int, rounds: int) -> dict:
    """Mixed shards against one shard per cell on MIXED_GRID, interleaved, with the tables compared bit for bit."""
    cells = int(np.prod([len(v) for v in MIXED_GRID.values()]))
    out = {"revision": git_revision(), "grid": MIXED_GRID, "cells": cells, "cpus": os.cpu_count(), "rows": [],
           "identical": {}}
    for label, settings, seeds, fraction in MIXED_SETTINGS:
        config = gan.Config(steps=max(int(steps * fraction), 10), **settings)
        plans = {mix: sweep_module._plan(TARGET, MIXED_GRID, seeds, config, None, mix=mix) for mix in (False, True)}
        tables = {}
        for r in range(rounds):
            for layout, fn, mix in (("one shard per cell", per_cell_sweep, False), ("mixed shards (gan.sweep)", mixed_sweep, True)):
                row = {"setting": label, "seeds": seeds, "steps": config.steps, "layout": layout, "round": r,
                       "shards": len(plans[mix].shards()), "shard_size": plans[mix].shard_size}

                def run(fn=fn, layout=layout):
                    tables[layout] = fn(config, seeds)

                row.update(_timed(run))
                row["throughput"] = cells * seeds * config.steps / row["seconds"]
                out["rows"].append(row)
                print(f"{label}, {layout} (round {r}): {row['seconds']:.1f} s, {row['throughput']:,.0f} GAN-it/s, "
                      f"{row['shards']} shards, others' load before {row['busy_before']:.0%}", flush=True)
        a, b = tables.values()
        out["identical"][label] = list(a) == list(b) and all(np.array_equal(a[k], b[k]) for k in a)
    return out


def setup_cost(members: int) -> dict:
    """gan.train(ensemble=members, steps=1) per member, and where the time goes."""
    out = {"members": members}
    out["train_steps1_no_js"] = _timed(lambda: gan.train(TARGET, ensemble=members, steps=1, track_js=False))
    out["train_steps1"] = _timed(lambda: gan.train(TARGET, ensemble=members, steps=1))
    n = min(members, 2000)
    parts = {}
    began = time.perf_counter()
    rngs = [member_rng(0, i) for i in range(n)]
    parts["member_rng"] = time.perf_counter() - began
    began = time.perf_counter()
    for rng in rngs:
        TARGET.rvs(size=(BLOCK, 1, 128), random_state=rng)
    parts["data block (scipy rvs, 64 x 128)"] = time.perf_counter() - began
    buf = np.empty((BLOCK, 1, 128))
    began = time.perf_counter()
    for rng in rngs:
        rng.standard_normal(out=buf)
    parts["discriminator noise block (64 x 128 normals)"] = time.perf_counter() - began
    began = time.perf_counter()
    gan.gaussian_js(np.zeros(n), np.ones(n), TARGET)
    parts["exact JS of one logged row"] = time.perf_counter() - began
    out["parts_us_per_member"] = {k: v / n * 1e6 for k, v in parts.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="1000 runs x 100 iterations, for a smoke test")
    parser.add_argument("--only", choices=["mixing"], help="measure only this part and update it in sweep.json")
    args = parser.parse_args()
    runs, steps = (1000, 100) if args.quick else (args.runs, args.steps)
    path = RESULTS_DIR / ("sweep_quick.json" if args.quick else "sweep.json")
    if args.only == "mixing":
        saved = json.loads(path.read_text()) if path.exists() else {}
        saved["mixing"] = mixing(steps // 2, max(args.rounds, 2))
        write_json(path, saved)
        return
    scale_steps = max(steps // 10, 50)
    result = {"revision": git_revision(), "machine": machine_facts(), "runs": runs, "steps": steps,
              "cpus": os.cpu_count(), "rows": [], "scaling": [], "started": time.time()}
    cluster, client, start = dask_client(2)
    result["dask_cluster_start_seconds"] = start
    try:
        # Warm up: imports, the workers' imports, first-touch allocations.
        local_sweep(200, 20)
        dask_sweep(client, 200, 20)
        one_ensemble(200, 20)
        for r in range(args.rounds):
            for label, fn in (("one ensemble (gan.train)", lambda: one_ensemble(runs, steps)),
                              ("local sweep (threads, default)", lambda: local_sweep(runs, steps)),
                              ("Dask LocalCluster, 2 worker processes", lambda: dask_sweep(client, runs, steps))):
                row = {"label": label, "round": r, **_timed(fn)}
                row["throughput"] = runs * steps / row["seconds"]
                result["rows"].append(row)
                print(f"{label}: {row['seconds']:.1f} s, {row['throughput']:,.0f} GAN-it/s, "
                      f"others' load before {row['busy_before']:.0%}", flush=True)
        # Scaling: shorter runs, the same number of them.
        for shard in (128, 512, 2048):
            row = {"kind": "local", "workers": 2, "shard_size": shard, **_timed(lambda s=shard: local_sweep(runs, scale_steps, shard_size=s))}
            result["scaling"].append(row)
        for workers in (1, 2, 4):
            row = {"kind": "local", "workers": workers, "shard_size": None,
                   **_timed(lambda w=workers: local_sweep(runs, scale_steps, workers=w))}
            result["scaling"].append(row)
        for shard in (128, 512, 2048):
            row = {"kind": "dask", "workers": 2, "shard_size": shard,
                   **_timed(lambda s=shard: dask_sweep(client, runs, scale_steps, shard_size=s))}
            result["scaling"].append(row)
    finally:
        client.close()
        cluster.close()
    cluster, client, _ = dask_client(1)
    try:
        row = {"kind": "dask", "workers": 1, "shard_size": None, **_timed(lambda: dask_sweep(client, runs, scale_steps))}
        result["scaling"].append(row)
    finally:
        client.close()
        cluster.close()
    for row in result["scaling"]:
        row["steps"] = scale_steps
        row["throughput"] = runs * scale_steps / row["seconds"]
        print(f"scaling {row['kind']} workers={row['workers']} shard={row['shard_size']}: {row['throughput']:,.0f} GAN-it/s")
    result["setup"] = setup_cost(2000 if args.quick else 20_000)
    print("set-up:", {k: round(v, 1) for k, v in result["setup"]["parts_us_per_member"].items()})
    result["mixing"] = mixing(steps // 2, max(args.rounds, 2))
    result["finished"] = time.time()
    result["busy_after"] = busy_fraction(2.0)
    write_json(path, result)


if __name__ == "__main__":
    main()
