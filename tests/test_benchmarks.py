"""Smoke tests of the benchmark scripts in ``benchmarks/``: they import and run in a tiny mode.

No timing is asserted here (``make bench`` measures, on a quiet machine). What is checked is that
the scripts still fit the library they measure: the committed mpmath reference matches its own
distances and ``gt.js_curve``, the SciPy peers compute the same curve, and the gantheory GAN
worker runs a few iterations with the arguments the benchmark passes. The PyTorch and JAX
workers are not imported here (each import costs seconds, and CI installs only ``.[test]``);
``python benchmarks/bench_training.py --quick`` runs them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

import gantheory as gt

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import curve_peers  # noqa: E402
import gan_setting  # noqa: E402
import js_reference  # noqa: E402


def test_reference_is_the_400_documented_distances_and_matches_js_curve():
    d, js, djs = js_reference.load()
    assert np.array_equal(d, np.linspace(0.0, 10.0, 400))
    ours_js, ours_djs = gt.js_curve(d)
    assert np.max(np.abs(ours_js - js)) <= 1e-13
    assert np.max(np.abs(ours_djs - djs)) <= 1e-13
    assert js[-1] < np.log(2) and djs[0] == 0.0


@pytest.mark.parametrize("name", ["scipy quad loop", "scipy quad_vec"])
def test_quadrature_peers_compute_the_same_curve(name):
    d, js, djs = (a[::80] for a in js_reference.load())
    peer_js, peer_djs = curve_peers.PEERS[name](d)
    assert np.max(np.abs(peer_js - js)) <= 1e-13
    assert np.max(np.abs(peer_djs - djs)) <= 1e-13


def test_naive_peers_are_close_but_not_exact():
    d, js, djs = (a[::40] for a in js_reference.load())
    grid_js, grid_djs = curve_peers.grid(d)
    assert np.max(np.abs(grid_js - js)) <= 1e-12  # a fine wide grid sums a Gaussian almost exactly
    assert np.max(np.abs(grid_djs - djs)) > 1e-6  # the finite difference over d is not
    mc_js, _ = curve_peers.monte_carlo(d[:3])
    assert np.max(np.abs(mc_js - js[:3])) < 0.01


def _run_worker(module, argv, monkeypatch, capsys) -> dict:
    monkeypatch.setattr(sys, "argv", [module.__file__, *map(str, argv)])
    module.main()
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_gantheory_worker_accepts_the_benchmark_arguments(monkeypatch, capsys):
    import train_gantheory

    lr = gan_setting.defaults("affine")["lr"]
    out = _run_worker(train_gantheory, ["--model", "affine", "--ensemble", 2, "--lr", lr,
                                        "--converge", 64], monkeypatch, capsys)
    assert len(out["mean"]) == 2 and out["steps"] == 64
    out = _run_worker(train_gantheory, ["--model", "mlp", "--lr", lr, "--seconds", 0.001],
                      monkeypatch, capsys)
    assert out["seconds_per_iter"] > 0 and out["iters"] >= 64


def test_settings_follow_gan_train_defaults():
    assert gan_setting.defaults("mlp")["source"] == "gantheory.gan.train defaults"
    verdict = gan_setting.judge("affine", [4.0, 4.05], [1.25, 1.2])
    assert verdict["passed"] and verdict["members_within"] == "2/2"
    assert not gan_setting.judge("affine", [4.0, 3.0], [1.25, 1.25])["passed"]


def test_the_divergence_benchmark_peer_computes_the_same_kl():
    import bench_divergences

    # quad's own tolerance is 1e-13 relative per piece; 1e-11 absolute covers its four pieces.
    for name in ("norm(0,1) | norm(1,3)", "uniform(-1,2) | norm(0,1)"):
        p, q = bench_divergences.PAIRS[name]
        assert bench_divergences.quad_kl(p, q) == pytest.approx(gt.kl_divergence(p, q), abs=1e-11)


def test_sweep_benchmark_runs_and_its_section_renders():
    import bench_sweep
    import run_all

    bench_sweep.local_sweep(20, 10, workers=1, shard_size=7)
    bench_sweep.one_ensemble(20, 10)
    setup = bench_sweep.setup_cost(20)
    assert set(setup["parts_us_per_member"]) >= {"member_rng", "exact JS of one logged row"}
    row = {"seconds": 2.0, "cpu_seconds": 3.0, "busy_before": 0.1, "load_before": 1.0}
    fake = {"runs": 100, "steps": 10, "cpus": 2, "dask_cluster_start_seconds": 1.0, "setup": setup,
            "rows": [{"label": "one ensemble (gan.train)", "round": 0, "throughput": 500.0, **row},
                     {"label": "local sweep (threads, default)", "round": 0, "throughput": 460.0, **row},
                     {"label": "Dask LocalCluster, 2 worker processes", "round": 0, "throughput": 360.0, **row}],
            "scaling": [{"kind": "local", "workers": 2, "shard_size": 128, "steps": 10, "throughput": 400.0, **row}]}
    text = "\n".join(run_all.sweep_section(fake))
    assert "| local sweep >= 90 % of one large ensemble | 92.0% [92.0%] | met |" in text
    assert "Cells sharing shards" not in text
    grid = {"lr": [0.005, 0.02], "loss": ["minimax", "non-saturating"]}
    config = bench_sweep.gan.Config(steps=20, batch_size=8)
    per_cell, mixed = bench_sweep.per_cell_sweep(config, 3, grid), bench_sweep.mixed_sweep(config, 3, grid)
    assert list(per_cell) == list(mixed) and all((per_cell[k] == mixed[k]).all() for k in per_cell)
    layouts = [("one shard per cell", 30, 1000.0), ("mixed shards (gan.sweep)", 4, 1500.0)]
    fake["mixing"] = {"revision": "abc", "grid": grid, "cells": 4, "identical": {"affine": True},
                      "rows": [{"setting": "affine", "seeds": 32, "steps": 100, "layout": layout, "round": r,
                                "shards": shards, "throughput": rate * (1 + r), **row}
                               for r in (0, 1) for layout, shards, rate in layouts]}
    text = "\n".join(run_all.sweep_section(fake))
    assert "| affine | 128 x 100 | 30 / 4 | 1,500 | 2,250 | 1.50x [1.50, 1.50] | yes |" in text
    assert "| Dask LocalCluster (2 workers) >= 80 % of the local executor | 78.3% [78.3%] | **missed** |" in text
