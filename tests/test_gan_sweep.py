"""gan.sweep: each row is its member trained alone; cells that share an ensemble key share shards,
and shard size, executor and order change nothing against the sweep cell by cell; durable and
resumable on disk; a changed grid refused; Wilson and t intervals; Dask gives the same bits."""

import _thread
import importlib
import itertools
import json
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from scipy import optimize, stats

from gantheory import gan
from gantheory.gan.experiments import bimodal_target

sweep_module = importlib.import_module("gantheory.gan.sweep")  # gan.sweep is the function

TARGET = stats.norm(4, 1.25)
#: 8 cells in two ensemble keys (batch sizes 16 and 8, which alternate cell by cell): the shards
#: of each key mix its cells' learning rates and losses.
GRID = {"lr": [0.005, 0.05], "loss": ["minimax", "non-saturating"], "batch_size": [16, 8]}
SMALL = {"lr": [0.005, 0.05], "loss": ["minimax", "non-saturating"]}
BASE = gan.Config(steps=90, batch_size=16)


def _same_table(a, b):
    assert list(a) == list(b)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def _cell_by_cell(grid, seeds, config):
    """The sweep as it ran before cells shared shards: each cell swept alone, in one shard."""
    tables = []
    for cell, values in enumerate(itertools.product(*grid.values())):
        one = gan.sweep(TARGET, {k: [v] for k, v in zip(grid, values)}, seeds, config=config, shard_size=seeds)
        assert len(sweep_module._plan(TARGET, {k: [v] for k, v in zip(grid, values)}, seeds, config, seeds).shards()) == 1
        one.columns["cell"] = np.full(len(one), cell)
        tables.append(one)
    return gan.RunTable.concat(tables)


@pytest.fixture(scope="module")
def reference():
    return _cell_by_cell(GRID, 5, BASE)


# ----------------------------------------------------------------------------- the table


def test_rows_are_cells_times_members_in_order(reference):
    runs = gan.sweep(TARGET, GRID, 5, config=BASE)
    _same_table(reference, runs)
    assert len(runs) == 8 * 5
    assert runs["cell"].tolist() == [c for c in range(8) for _ in range(5)]
    assert runs["member"].tolist() == list(range(5)) * 8
    assert runs["lr"].tolist() == [0.005] * 20 + [0.05] * 20
    assert runs["loss"].tolist() == (["minimax"] * 10 + ["non-saturating"] * 10) * 2
    assert runs["batch_size"].tolist() == ([16] * 5 + [8] * 5) * 4
    assert {"mu", "sigma", "js", "diverged_step", "seed"} <= set(runs)


@pytest.mark.parametrize("row", [0, 7, 13, 19, 26, 39])
def test_each_row_is_its_member_trained_alone(reference, row):
    config = BASE.replace(lr=float(reference["lr"][row]), loss=str(reference["loss"][row]),
                          batch_size=int(reference["batch_size"][row]))
    alone = gan.train(TARGET, config, first_member=int(reference["member"][row]))
    assert reference["mu"][row] == alone.theta[0, 0] and reference["sigma"][row] == alone.theta[0, 1]
    assert reference["js"][row] == gan.gaussian_js(alone.theta[:, 0], alone.theta[:, 1], TARGET)[0]
    assert reference["diverged_step"][row] == alone.diverged_step[0]


def test_shards_mix_the_cells_of_one_ensemble_key_and_only_those():
    plan = sweep_module._plan(TARGET, GRID, 5, BASE, 7)
    shards = plan.shards()
    assert [sum(count for _, _, count in shard) for shard in shards] == [7, 7, 6] * 2  # 20 members per key
    assert shards[0] == ((0, 0, 5), (2, 0, 2)) and shards[1] == ((2, 2, 3), (4, 0, 4))
    for shard in shards:
        assert len({plan.cell_config(cell).batch_size for cell, _, _ in shard}) == 1
    assert any(len({cell for cell, _, _ in shard}) > 1 for shard in shards)


@pytest.mark.parametrize("shard_size", [1, 3, 7, 20, 40])
def test_mixed_shards_of_any_size_are_the_cell_by_cell_sweep(reference, shard_size):
    _same_table(reference, gan.sweep(TARGET, GRID, 5, config=BASE, shard_size=shard_size))


def test_executors_change_nothing(reference):
    with ThreadPoolExecutor(max_workers=1) as pool:
        _same_table(reference, gan.sweep(TARGET, GRID, 5, config=BASE, shard_size=3, executor=pool))
    with ProcessPoolExecutor(max_workers=2) as pool:
        _same_table(reference, gan.sweep(TARGET, GRID, 5, config=BASE, shard_size=4, executor=pool))


def test_a_smaller_grid_gives_the_same_rows_for_its_cells(reference):
    part = gan.sweep(TARGET, {"lr": [0.05], "loss": ["non-saturating"], "batch_size": [8]}, 5, config=BASE)
    for name in ("mu", "sigma", "js", "diverged_step"):
        np.testing.assert_array_equal(part[name], reference[name][35:])


def test_every_per_member_setting_can_be_swept_in_one_shard():
    grid = {"lr": [0.005, 0.02], "momentum": [0.9, 0.5], "betas": [(0.9, 0.999), (0.5, 0.9)],
            "loss": ["minimax", "non-saturating"], "gamma": [0.5, 2.0], "noise": [0.3, 1.0]}
    assert set(grid) == set(gan.Config.per_member_fields())
    for optimizer in ("sgd", "adam"):
        config = BASE.replace(optimizer=optimizer, dtype="float32", penalty="r1")
        runs = gan.sweep(TARGET, grid, 2, config=config, shard_size=128)
        assert len(sweep_module._plan(TARGET, grid, 2, config, 128).shards()) == 1  # 64 cells, one ensemble
        assert sorted(runs["betas_0"].tolist()) == [0.5] * 64 + [0.9] * 64 and set(runs["betas_1"]) == {0.999, 0.9}
        for row in (0, 37, 86, 127):
            alone = gan.train(TARGET, config, lr=runs["lr"][row], momentum=runs["momentum"][row], loss=runs["loss"][row],
                              betas=(runs["betas_0"][row], runs["betas_1"][row]), gamma=runs["gamma"][row],
                              noise=runs["noise"][row], first_member=int(runs["member"][row]))
            assert runs["mu"][row] == alone.theta[0, 0] and runs["sigma"][row] == alone.theta[0, 1], (optimizer, row)


def test_the_default_shard_size_fills_the_cores_and_the_caches(monkeypatch):
    monkeypatch.setattr(sweep_module.os, "cpu_count", lambda: 2)
    chunk = sweep_module._default_chunk(BASE)  # members that fit the caches: 2048 for m = 16
    assert sweep_module._default_shard_size(BASE, 960) == 256  # 4 shards of up to 256: 2 per core
    assert sweep_module._default_shard_size(BASE, 3000) == 750
    assert sweep_module._default_shard_size(BASE, 10**6) == max(1024, 2 * chunk)
    assert sweep_module._default_shard_size(BASE, 100) == 100


def test_mixture_targets_get_mode_coverage_and_a_collapse_class():
    config = gan.Config(generator="mlp", discriminator="mlp", hidden=4, steps=60, batch_size=16, js_samples=500)
    runs = gan.sweep(bimodal_target(), {"loss": ["minimax"]}, 3, config=config)
    assert {"coverage_0", "coverage_1", "collapse", "js_estimate", "theta_12"} <= set(runs)
    assert set(runs["collapse"]) <= {"covered", "collapsed", "missed", "diverged"}
    # The class follows from the coverages and the 0.2 threshold.
    covered = np.stack([runs["coverage_0"], runs["coverage_1"]], axis=1) >= 0.2
    expected = np.where(covered.all(axis=1), "covered", np.where(covered.any(axis=1), "collapsed", "missed"))
    assert runs["collapse"].tolist() == expected.tolist()


def test_csv_round_trip_is_exact_and_pandas_and_parquet_read_it(reference, tmp_path):
    pd = pytest.importorskip("pandas")
    reference.to_csv(tmp_path / "runs.csv")
    _same_table(reference, gan.read_table(tmp_path / "runs.csv"))
    frame = pd.read_csv(tmp_path / "runs.csv")
    assert frame.shape == (40, len(list(reference))) and (frame["mu"].to_numpy() == reference["mu"]).all()
    pytest.importorskip("pyarrow")
    reference.to_parquet(tmp_path / "runs.parquet")
    parquet = pd.read_parquet(tmp_path / "runs.parquet")
    assert parquet["loss"].tolist() == reference["loss"].tolist() and (parquet["js"].to_numpy() == reference["js"]).all()


# ----------------------------------------------------------------------------- on disk


def test_a_rerun_skips_finished_shards_and_gives_the_same_table(reference, tmp_path, monkeypatch):
    out = tmp_path / "study"
    first = gan.sweep(TARGET, GRID, 5, config=BASE, shard_size=6, out=out)
    _same_table(reference, first)
    assert len(list((out / "shards").iterdir())) == 2 * 4  # 20 members per ensemble key, 6 per shard
    _same_table(reference, gan.read_table(out / "runs.csv"))
    # A crash lost two shards and the table: the rerun trains exactly those two.
    shards = sorted((out / "shards").iterdir())
    assert shards[1].name == "cell00001-member000000000.npz" and shards[-1].name == "cell00007-member000000003.npz"
    for lost in (shards[1], shards[-1]):
        lost.unlink()
    (out / "runs.csv").unlink()
    calls = []
    real = sweep_module.run_shard
    monkeypatch.setattr(sweep_module, "run_shard",
                        lambda target, pieces, *a: calls.append([p[1:2] + p[3:] for p in pieces]) or real(target, pieces, *a))
    _same_table(reference, gan.sweep(TARGET, GRID, 5, config=BASE, out=out))
    assert sorted(calls) == [[(1, 0, 5), (3, 0, 1)], [(7, 3, 2)]]
    _same_table(reference, gan.read_table(out / "runs.csv"))


def test_a_folder_begun_one_cell_per_shard_resumes_so(reference, tmp_path):
    """Folders written before cells shared shards (format 1) keep their layout when resumed."""
    out = tmp_path / "study"
    gan.sweep(TARGET, GRID, 5, config=BASE, shard_size=2, out=out)
    manifest = json.loads((out / "sweep.json").read_text())
    (out / "sweep.json").write_text(json.dumps({**manifest, "format": "gantheory.gan.sweep 1"}))
    for path in (out / "shards").iterdir():  # mixed shards under a format-1 name would be trained again
        path.unlink()
    (out / "runs.csv").unlink()
    _same_table(reference, gan.sweep(TARGET, GRID, 5, config=BASE, out=out))
    names = sorted(path.name for path in (out / "shards").iterdir())
    assert names == [f"cell{c:05d}-member{a:09d}.npz" for c in range(8) for a in (0, 2, 4)]


def test_a_shard_that_holds_other_runs_is_trained_again(reference, tmp_path):
    out = tmp_path / "study"
    gan.sweep(TARGET, GRID, 5, config=BASE, shard_size=6, out=out)
    shards = sorted((out / "shards").iterdir())
    shards[1].write_bytes(shards[0].read_bytes())  # cell 0's runs under the name of a shard of cell 1
    (out / "runs.csv").unlink()
    _same_table(reference, gan.sweep(TARGET, GRID, 5, config=BASE, out=out))


def test_ctrl_c_keeps_finished_shards_and_the_rerun_completes_the_table(reference, tmp_path):
    out = tmp_path / "study"
    shards = out / "shards"

    def interrupt_after_two_shards():
        while not shards.exists() or len(list(shards.glob("*.npz"))) < 2:
            time.sleep(0.01)
        _thread.interrupt_main()

    watcher = threading.Thread(target=interrupt_after_two_shards)
    watcher.start()
    with pytest.raises(KeyboardInterrupt):
        gan.sweep(TARGET, SMALL, 5, config=BASE.replace(steps=3000), shard_size=1, out=out)
    watcher.join()
    assert 2 <= len(list(shards.glob("*.npz"))) < 20 and not (out / "runs.csv").exists()
    assert not list(shards.glob(".*"))  # no temporary files left behind
    # The rerun completes the table: the same table as an uninterrupted sweep.
    whole = gan.sweep(TARGET, SMALL, 5, config=BASE.replace(steps=3000), shard_size=1, out=out)
    assert len(list(shards.glob("*.npz"))) == 20
    _same_table(gan.sweep(TARGET, SMALL, 5, config=BASE.replace(steps=3000)), whole)


def test_a_changed_study_is_refused(tmp_path):
    out = tmp_path / "study"
    gan.sweep(TARGET, {"lr": [0.005]}, 2, config=BASE, out=out)
    for grid, seeds, config, what in [
        ({"lr": [0.005, 0.01]}, 2, BASE, "different grid"),
        ({"lr": [0.005]}, 3, BASE, "different seeds"),
        ({"lr": [0.005]}, 2, BASE.replace(steps=91), "different config"),
    ]:
        with pytest.raises(ValueError, match=f"holds a sweep with a {what}.*Use a new folder"):
            gan.sweep(TARGET, grid, seeds, config=config, out=out)
    with pytest.raises(ValueError, match="different target"):
        gan.sweep(stats.norm(0, 1), {"lr": [0.005]}, 2, config=BASE, out=out)
    manifest = json.loads((out / "sweep.json").read_text())
    assert manifest["grid"] == [["lr", [0.005]]] and manifest["target"] == "norm(4, 1.25)"


@pytest.mark.parametrize(
    "grid,seeds,kwargs,error,match",
    [
        ([0.1], 2, {}, TypeError, "`grid` must be a dict of settings"),
        ({"learning_rate": [0.1]}, 2, {}, ValueError, "'learning_rate' is not a setting of gan.Config"),
        ({"ensemble": [1, 2]}, 2, {}, ValueError, "cannot vary 'ensemble'"),
        ({"lr": 0.1}, 2, {}, TypeError, "`grid\\['lr'\\]` must be a list of values, got 0.1"),
        ({"lr": "0.1"}, 2, {}, TypeError, "must be a list of values"),
        ({"lr": []}, 2, {}, ValueError, "must hold at least one value"),
        ({"lr": [0.1, 0.1]}, 2, {}, ValueError, "must not repeat a value"),
        ({"lr": [0.1, -1.0]}, 2, {}, ValueError, "`lr` must be a finite number > 0, got -1.0"),
        ({"lr": [0.1]}, 0, {}, ValueError, "`seeds` must be an integer >= 1, got 0"),
        ({"lr": [0.1]}, 2, {"executor": "dask"}, TypeError, "`executor` must be a concurrent.futures.Executor"),
        ({"lr": [0.1]}, 2, {"shard_size": 0}, ValueError, "`shard_size` must be an integer >= 1"),
    ],
)
def test_bad_input_is_refused_before_any_work(grid, seeds, kwargs, error, match):
    with pytest.raises(error, match=match):
        gan.sweep(TARGET, grid, seeds, config=BASE, **kwargs)


# ----------------------------------------------------------------------------- summaries


def _wilson_by_roots(k, n, z):
    """The Wilson bounds as the roots in p of (k/n - p)^2 = z^2 p (1 - p) / n (the score test)."""
    f = lambda p: (k / n - p) ** 2 - z * z * p * (1 - p) / n
    inside = min(max(k / n, 1e-12), 1 - 1e-12)  # f < 0 here; at k = 0 or n, p = k/n is a root itself
    lo = 0.0 if k == 0 else optimize.brentq(f, 0.0, inside, xtol=1e-15)
    hi = 1.0 if k == n else optimize.brentq(f, inside, 1.0, xtol=1e-15)
    return lo, hi


@pytest.mark.parametrize("k,n", [(0, 10), (1, 10), (45, 100), (99, 100), (7, 7), (500, 10_000)])
def test_wilson_interval_is_the_score_test_inversion(k, n):
    lo, hi = gan.wilson_interval(k, n)
    ref = _wilson_by_roots(k, n, stats.norm.isf(0.025))
    # brentq to 1e-15 against a closed form evaluated in float64: agreement to a few ulps.
    np.testing.assert_allclose([lo, hi], ref, rtol=0, atol=1e-13)


def test_t_interval_is_scipys():
    x = np.array([0.3, 0.1, 0.25, np.nan, 0.4, 0.2])
    mean, lo, hi = gan.t_interval(x)
    finite = x[np.isfinite(x)]
    ref = stats.t.interval(0.95, finite.size - 1, loc=finite.mean(), scale=stats.sem(finite))
    np.testing.assert_allclose([lo, hi], ref, rtol=1e-14)
    assert mean == finite.mean()


def test_summary_counts_and_intervals(reference):
    summary = gan.summarize(reference, js_tolerance=0.3)
    assert summary["runs"].tolist() == [5] * 8 and summary["loss"].tolist() == ["minimax"] * 2 + ["non-saturating"] * 2 + ["minimax"] * 2 + ["non-saturating"] * 2
    for row in range(8):
        part = reference.rows(reference["cell"] == row)
        ok = part["diverged_step"] < 0
        converged = int((ok & (part["js"] < 0.3)).sum())
        assert summary["converged_count"][row] == converged
        lo, hi = gan.wilson_interval(converged, 5)
        assert summary["converged_low"][row] == lo and summary["converged_high"][row] == hi
        assert summary["js_mean"][row] == pytest.approx(part["js"][ok].mean(), rel=1e-15)


# ----------------------------------------------------------------------------- Dask


def test_dask_local_cluster_with_two_worker_processes_gives_the_same_bits(reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        runs = gan.sweep(TARGET, GRID, 5, config=BASE, shard_size=2, executor=client.get_executor())
        workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2  # two processes besides this one
    _same_table(reference, runs)


# ----------------------------------------------------------------------------- the committed study


def test_the_committed_phase_diagram_table_is_what_the_code_computes():
    from gantheory import figures

    runs = gan.read_table(figures.PHASE_TABLE)
    assert len(runs) == 10_000 and set(runs["lr"]) == set(figures.PHASE_GRID["lr"])
    assert (np.bincount(runs["cell"]) == figures.PHASE_SEEDS).all()
    # The table was computed one cell per shard. Three rows of different cells chosen at random,
    # trained again together as one mixed shard (float32 MLPs, each its own lr and loss): the same bits.
    rng = np.random.default_rng(13)
    rows = [int(np.flatnonzero(runs["cell"] == cell)[member])
            for cell, member in zip(rng.choice(10, 3, replace=False), rng.integers(0, figures.PHASE_SEEDS, 3))]
    assert len(set(runs["loss"][rows])) == 2  # both losses in the shard: the per-member sign is exercised
    pieces = [sweep_module.Piece(gan.Config(**figures.PHASE_SETTINGS, lr=float(runs["lr"][row]), loss=str(runs["loss"][row])),
                                 int(runs["cell"][row]), {}, int(runs["member"][row]), 1) for row in rows]
    again = sweep_module.run_shard(bimodal_target(), pieces)
    for i, row in enumerate(rows):
        for name in ("diverged_step", "js_estimate", "coverage_0", "coverage_1", "collapse"):
            assert again[name][i] == runs[name][row], (row, name)


def test_the_committed_r1_phase_diagram_table_is_what_the_code_computes():
    # The R1 study: 5 learning rates x 2 losses x 3 penalty weights x 500 seeds. Three rows of
    # different cells (different lr, loss and gamma) trained again together as one mixed shard:
    # the same bits, so the table is what phase_diagram_r1_runs computes.
    from gantheory import figures

    runs = gan.read_table(figures.PHASE_R1_TABLE)
    assert len(runs) == 15_000 and set(runs["gamma"]) == set(figures.PHASE_R1_GAMMAS)
    assert (np.bincount(runs["cell"]) == figures.PHASE_R1_SEEDS).all()
    rng = np.random.default_rng(7)
    cells = rng.choice(30, 3, replace=False)
    rows = [int(np.flatnonzero(runs["cell"] == cell)[member])
            for cell, member in zip(cells, rng.integers(0, figures.PHASE_R1_SEEDS, 3))]
    assert len(set(runs["gamma"][rows])) > 1  # the per-member penalty weight is exercised
    pieces = [sweep_module.Piece(gan.Config(**figures.PHASE_SETTINGS, penalty="r1", gamma=float(runs["gamma"][row]),
                                            lr=float(runs["lr"][row]), loss=str(runs["loss"][row])),
                                 int(runs["cell"][row]), {}, int(runs["member"][row]), 1) for row in rows]
    again = sweep_module.run_shard(bimodal_target(), pieces)
    for i, row in enumerate(rows):
        for name in ("diverged_step", "js_estimate", "coverage_0", "coverage_1", "collapse"):
            assert again[name][i] == runs[name][row], (row, name)
