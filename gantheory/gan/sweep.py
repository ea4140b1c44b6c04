"""Studies of thousands of GANs: a grid of settings x seeds, sharded into ensembles, resumable on disk.

:func:`sweep` trains ``seeds`` members for every cell of the Cartesian product of ``grid`` (a
dict of :class:`~gantheory.gan.config.Config` fields and their values) and returns a tidy
:class:`RunTable`, one row per run. The work is cut into *shards*, each trained as one
vectorized ensemble by :func:`~gantheory.gan.train.train_together` and handed to any
:class:`concurrent.futures.Executor` (threads on the local cores by default; Dask's
``distributed.Client(...).get_executor()`` for a cluster). Cells whose settings differ only in
per-member fields (learning rate, momentum, betas, loss: they change no array shape) share
shards: a grid of many cells with few seeds each trains as a few large ensembles, not as many
small ones. A shard holds about ``shard_size`` members, pieces of consecutive cells.

Reproducibility: member ``i`` of a cell is ``train(target, cell_config, ensemble=1,
first_member=i)``: it draws from ``member_rng(seed, i)`` whatever the shard, the cells beside it,
the executor or the order, alone or in any sweep. Every cell uses the same members, so
comparisons between cells are paired (common random numbers), as the mode-collapse experiment
compares its two losses.

Durability: with ``out=DIR``, each finished shard is written atomically to ``DIR/shards/``; the
same call again skips them, so a crash or Ctrl-C loses at most the shards in flight. A changed
target, grid, seed count or base config is refused: the folder holds one study. The finished
table goes to ``DIR/runs.csv`` (and ``DIR/runs.parquet`` where pyarrow is installed).

Examples
--------
>>> from scipy import stats
>>> runs = sweep(stats.norm(4, 1.25), {"lr": [0.005, 0.02]}, 3, config=Config(steps=200))
>>> len(runs), runs["lr"].tolist()
(6, [0.005, 0.005, 0.005, 0.02, 0.02, 0.02])
>>> alone = train(stats.norm(4, 1.25), steps=200, lr=0.02, first_member=1)
>>> bool(runs["mu"][4] == alone.theta[0, 0])
True
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from scipy import stats

from gantheory.distributions import Density, Mixture, _show, check_distribution, check_int, check_real, describe
from gantheory.files import atomic_write
from gantheory.gan.config import Config
from gantheory.gan.metrics import gaussian_js, histogram_js
from gantheory.gan.train import _Progress, _default_chunk, _evaluation_noise, train, train_together

__all__ = [
    "Piece",
    "RunTable",
    "read_study",
    "read_table",
    "run_shard",
    "summarize",
    "sweep",
    "t_interval",
    "validate",
    "wilson_interval",
    "write_table",
]

#: Settings a grid may not vary: the sweep sets them for each shard.
RESERVED = ("ensemble", "first_member")
#: Width (in component standard deviations) and threshold of the mode coverage that decides a collapse.
COVERAGE_WIDTH, COVERAGE_THRESHOLD = 3.0, 0.2
_MANIFEST = "sweep.json"
#: Shards that mix the cells of one ensemble key; folders of format 1 (one cell per shard) resume as they began.
_FORMAT, _FORMAT_PER_CELL = "gantheory.gan.sweep 2", "gantheory.gan.sweep 1"


# ------------------------------------------------------------------------ intervals


def wilson_interval(successes: Any, n: Any, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial rate: ``successes`` of ``n`` trials.

    .. math:: \\frac{\\hat p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}}{1 + \\frac{z^2}{n}}

    with :math:`z` the normal quantile of ``(1 + confidence) / 2`` (Wilson 1927). Unlike the
    normal (Wald) interval it stays inside [0, 1] and is not empty at 0 or n successes.

    Examples
    --------
    >>> lo, hi = wilson_interval(0, 10)
    >>> float(lo), round(float(hi), 4)
    (0.0, 0.2775)
    >>> lo, hi = wilson_interval(45, 100)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.3561, 0.5476)
    """
    k = np.asarray(successes, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = stats.norm.isf((1 - check_real(confidence, "confidence", positive=True)) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):  # n = 0: no information, NaN
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def t_interval(values: Any, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``values`` and Student's t interval for it: ``(mean, low, high)``.

    NaN values (diverged runs) are left out; fewer than two values give NaN bounds.

    Examples
    --------
    >>> mean, lo, hi = t_interval([1.0, 2.0, 3.0])
    >>> mean, round(lo, 4), round(hi, 4)          # 2 -+ t(0.975, 2) * 1 / sqrt(3)
    (2.0, -0.4841, 4.4841)
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if x.size < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.isf((1 - confidence) / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


# ------------------------------------------------------------------------ the table


class RunTable:
    """A tidy table: named columns (1-D NumPy arrays) of equal length, one row per run.

    As in a DataFrame, ``table[name]`` is a column, iterating gives the column names and
    ``len(table)`` the number of rows. ``to_csv``, ``to_parquet`` (pyarrow) and ``to_pandas``
    (pandas) write or convert it; :func:`read_table` reads a CSV back exactly (floats are
    written with the shortest text that reads back as the same number).
    """

    def __init__(self, columns: Mapping[str, Any]) -> None:
        self.columns = {name: np.asarray(values) for name, values in columns.items()}
        lengths = {v.shape for v in self.columns.values()}
        if len(lengths) > 1 or any(len(s) != 1 for s in lengths):
            raise ValueError(f"the columns of a RunTable must be 1-D arrays of one length, got shapes {lengths}.")

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __iter__(self):
        return iter(self.columns)

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def items(self):
        """(name, column) pairs."""
        return self.columns.items()

    def __len__(self) -> int:
        return 0 if not self.columns else len(next(iter(self.columns.values())))

    def __repr__(self) -> str:
        return f"RunTable({len(self)} rows: {', '.join(self.columns)})"

    @classmethod
    def concat(cls, tables: Iterable[RunTable]) -> RunTable:
        tables = list(tables)
        if not tables:
            return cls({})
        return cls({name: np.concatenate([t[name] for t in tables]) for name in tables[0]})

    def rows(self, mask: np.ndarray) -> RunTable:
        return RunTable({name: v[mask] for name, v in self.columns.items()})

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write the table as CSV (header, one line per run), atomically."""
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(self.columns)
        cells = [[_text(v) for v in column.tolist()] for column in self.columns.values()]
        writer.writerows(zip(*cells))
        data = text.getvalue().encode()
        return atomic_write(path, lambda stream: stream.write(data))

    def to_parquet(self, path: str | os.PathLike) -> Path:
        """Write the table as Parquet, atomically (needs pyarrow: ``pip install pyarrow``)."""
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError("writing Parquet needs pyarrow: pip install pyarrow") from None
        table = pa.table({name: v.astype(str) if v.dtype.kind in "OU" else v for name, v in self.columns.items()})
        return atomic_write(path, lambda stream: pq.write_table(table, stream))

    def to_pandas(self) -> Any:
        """The table as a ``pandas.DataFrame`` (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("a DataFrame needs pandas: pip install pandas") from None
        return pd.DataFrame(self.columns)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def read_table(path: str | os.PathLike) -> RunTable:
    """Read a CSV written by :meth:`RunTable.to_csv`: integer, float, bool and text columns."""
    with open(path, newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        columns = list(zip(*reader)) or [()] * len(header)
    return RunTable({name: _parse(values) for name, values in zip(header, columns)})


def _parse(values: Sequence[str]) -> np.ndarray:
    if values and all(v in ("True", "False") for v in values):
        return np.array([v == "True" for v in values])
    for kind in (int, float):
        try:
            return np.array([kind(v) for v in values], dtype=np.int64 if kind is int else np.float64)
        except ValueError:
            pass
    return np.array(values, dtype=object)


# ------------------------------------------------------------------------ one shard


class Piece(NamedTuple):
    """Members ``first .. first + count - 1`` of cell ``cell``, whose settings are ``config`` and
    whose values of the grid's fields are ``values``: part of a shard."""

    config: Config
    cell: int
    values: Mapping[str, Any]
    first: int
    count: int


def run_shard(target: Density, pieces: Sequence[Piece], stop: threading.Event | None = None) -> RunTable:
    """Train the pieces of one shard as one ensemble; one row per run, piece after piece.

    The unit of work that :func:`sweep` hands to an executor (a top-level function of picklable
    arguments, so process pools and Dask can run it). The pieces' configs must share their
    :meth:`~gantheory.gan.config.Config.ensemble_key`; each row is its member trained alone.

    Columns: ``cell``, the grid's fields (``values``; a pair such as ``betas`` as ``betas_0`` and
    ``betas_1``), ``seed``, ``member``, the final generator
    parameters (``mu`` and ``sigma`` for the affine generator, ``theta_0`` ... for the MLP),
    ``js`` (exact, affine) or ``js_estimate`` (histogram, MLP) of the final generator,
    ``diverged_step`` (-1 if none), and for a :class:`~gantheory.distributions.Mixture` target the
    coverage of each mode (``coverage_0`` ...) and the ``collapse`` class: ``"covered"`` (every
    mode gets at least 20 % of its mass), ``"collapsed"`` (some mode less, some more),
    ``"missed"`` (no mode) or ``"diverged"``.
    """
    configs = [p.config.replace(ensemble=p.count, first_member=p.first, log_every=p.config.steps, track_js=False)
               for p in pieces]
    results = train_together(target, configs, workers=1, progress=False, stop=stop)
    return RunTable.concat(_rows(target, result, p.cell, p.values) for result, p in zip(results, pieces))


def _rows(target: Density, result: Any, cell: int, values: Mapping[str, Any]) -> RunTable:
    """The rows of one piece: its runs' settings, final parameters and outcomes."""
    config, e = result.config, result.ensemble
    columns: dict[str, Any] = {"cell": np.full(e, cell)}
    for name, value in values.items():
        if isinstance(value, tuple):  # a pair such as Adam's betas: one column per entry, betas_0 and betas_1
            columns.update({f"{name}_{j}": np.full(e, v) for j, v in enumerate(value)})
        else:
            columns[name] = np.array([value] * e, dtype=object if isinstance(value, str) or value is None else None)
    columns["seed"] = np.full(e, config.seed)
    columns["member"] = np.arange(config.first_member, config.first_member + e)
    theta = result.theta.astype(np.float64)
    if config.generator == "affine":
        columns["mu"], columns["sigma"] = theta[:, 0], theta[:, 1]
        columns["js"] = gaussian_js(theta[:, 0], theta[:, 1], target)
    else:
        columns.update({f"theta_{j}": theta[:, j] for j in range(theta.shape[1])})
    columns["diverged_step"] = result.diverged_step
    if config.generator != "affine" or isinstance(target, Mixture):
        samples = _evaluation_samples(result)
        if config.generator != "affine":
            columns["js_estimate"] = histogram_js(samples, target)
        if isinstance(target, Mixture):
            coverage = _coverage(samples, target)
            columns.update({f"coverage_{j}": coverage[:, j] for j in range(coverage.shape[1])})
            covered = coverage >= COVERAGE_THRESHOLD
            kind = np.where(covered.all(axis=1), "covered", np.where(covered.any(axis=1), "collapsed", "missed"))
            columns["collapse"] = np.where(result.diverged, "diverged", kind).astype(object)
    return RunTable(columns)


def _evaluation_samples(result: Any) -> np.ndarray:
    """``js_samples`` samples of each final generator from the member's evaluation noise (the
    first child of its seed sequence, as train's JS estimate uses), shape (E, n)."""
    config = result.config
    z = np.empty((result.ensemble, config.js_samples))
    for i in range(result.ensemble):
        _evaluation_noise(config.seed, config.first_member + i, z[i])
    with np.errstate(all="ignore"):  # a run-off generator: inf samples, no coverage
        return result.generator.forward(result.theta.astype(np.float64), z)[0]


def _coverage(samples: np.ndarray, target: Mixture) -> np.ndarray:
    from gantheory.gan.experiments import mode_coverage

    return mode_coverage(samples, target, width=COVERAGE_WIDTH)


# ------------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class _Plan:
    target: Density
    config: Config
    keys: tuple[str, ...]
    cells: tuple[tuple, ...]  # the grid values of each cell
    seeds: int
    shard_size: int
    mix: bool = True  # cells of one ensemble key share shards (False: a folder begun one cell per shard)

    def cell_config(self, cell: int) -> Config:
        return self.config.replace(**dict(zip(self.keys, self.cells[cell])))

    def shards(self) -> list[tuple[tuple[int, int, int], ...]]:
        """Each shard's pieces ``(cell, first member, count)``: the members of the cells that share
        an ensemble key, cell after cell, cut every ``shard_size`` members."""
        groups: dict[Any, list[int]] = {}
        for cell in range(len(self.cells)):
            groups.setdefault(self.cell_config(cell).ensemble_key() if self.mix else cell, []).append(cell)
        shards = []
        for cells in groups.values():
            pieces, room = [], self.shard_size
            for cell in cells:
                first = 0
                while first < self.seeds:
                    count = min(room, self.seeds - first)
                    pieces.append((cell, first, count))
                    first, room = first + count, room - count
                    if room == 0:
                        shards.append(tuple(pieces))
                        pieces, room = [], self.shard_size
            if pieces:
                shards.append(tuple(pieces))
        return shards

    def pieces(self, shard: Sequence[tuple[int, int, int]]) -> list[Piece]:
        return [Piece(self.cell_config(cell), cell, dict(zip(self.keys, self.cells[cell])), first, count)
                for cell, first, count in shard]

    def manifest(self) -> dict:
        return {
            "format": _FORMAT if self.mix else _FORMAT_PER_CELL, "target": describe(self.target),
            "grid": [[k, list(v)] for k, v in self._grid()], "seeds": self.seeds, "config": self.config.to_dict(),
            "shard_size": self.shard_size,
        }

    def _grid(self) -> list[tuple[str, tuple]]:
        return [(k, tuple(dict.fromkeys(cell[i] for cell in self.cells))) for i, k in enumerate(self.keys)]


def _default_shard_size(config: Config, runs: int) -> int:
    """Members per shard: at least two shards per core, so that the cores finish together; at
    least 256 members (an ensemble that large runs at the speed of a large one); at most 1024 or
    two cache-sized chunks, so that a Ctrl-C or a crash loses little."""
    per_core = math.ceil(runs / (2 * (os.cpu_count() or 1)))
    return min(runs, max(1024, 2 * _default_chunk(config)), max(256, per_core))


def _plan(target: Density, grid: Any, seeds: Any, config: Config | None, shard_size: Any, mix: bool = True) -> _Plan:
    target = check_distribution(target, "target")
    config = Config() if config is None else config
    if not isinstance(config, Config):
        raise TypeError(f"`config` must be a gan.Config, got {_show(config)}.")
    if not isinstance(grid, Mapping):
        raise TypeError(f"`grid` must be a dict of settings and their values, such as {{'lr': [0.001, 0.01]}}, got {_show(grid)}.")
    keys = tuple(grid)
    for key in keys:
        if key not in Config.names():
            raise ValueError(f"`grid` key {key!r} is not a setting of gan.Config; the settings are: {', '.join(Config.names())}.")
        if key in RESERVED:
            raise ValueError(f"`grid` cannot vary {key!r}: the sweep sets it for each shard.")
        values = grid[key]
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(f"`grid[{key!r}]` must be a list of values, got {_show(values)}.")
    axes = []
    for key in keys:
        checked = [config.replace(**{key: v}) for v in grid[key]]  # each value checked, errors name the field
        normalized = tuple(getattr(c, key) for c in checked)
        if not normalized:
            raise ValueError(f"`grid[{key!r}]` must hold at least one value, got {_show(grid[key])}.")
        if len(set(normalized)) < len(normalized):
            raise ValueError(f"`grid[{key!r}]` must not repeat a value, got {_show(grid[key])}.")
        axes.append(normalized)
    cells = tuple(itertools.product(*axes))
    for cell in cells:  # checks that involve several fields
        config.replace(**dict(zip(keys, cell)))
    seeds = check_int(seeds, "seeds", minimum=1)
    if shard_size is None:
        shard_size = _default_shard_size(config, len(cells) * seeds) if mix else max(1024, 2 * _default_chunk(config))
    shard_size = check_int(shard_size, "shard_size", minimum=1)
    return _Plan(target, config, keys, cells, seeds, min(shard_size, len(cells) * seeds if mix else seeds), mix)


def validate(
    target: Density,
    grid: Mapping[str, Sequence],
    seeds: int,
    *,
    config: Config | None = None,
    out: str | os.PathLike | None = None,
    shard_size: int | None = None,
) -> int:
    """Check the arguments of :func:`sweep` without training anything; return the number of runs.

    Raises the ValueError or TypeError that :func:`sweep` would raise before any work, including
    the refusal of an ``out`` folder that holds a different study.
    """
    shard_size, mix = (shard_size, True) if out is None else _saved_layout(out, shard_size)
    plan = _plan(target, grid, seeds, config, shard_size, mix)
    if out is not None:
        _check_folder(Path(out), plan)
    return len(plan.cells) * plan.seeds


def _check_folder(folder: Path, plan: _Plan) -> None:
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"`out` must be a folder, got the file {folder}.")
    path = folder / _MANIFEST
    if not path.exists():
        return
    manifest = plan.manifest()
    try:
        saved = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not a sweep manifest ({error}); use a new folder.") from None
    if saved != manifest:
        changed = next((k for k in manifest if not isinstance(saved, dict) or saved.get(k) != manifest[k]), "format")
        before = saved.get(changed) if isinstance(saved, dict) else saved
        raise ValueError(
            f"{folder} holds a sweep with a different {changed} ({json.dumps(before)}, now "
            f"{json.dumps(manifest[changed])}); its results would not mix with these. Use a new folder, or the "
            "same settings to resume it."
        )


def _open_folder(out: Any, plan: _Plan) -> Path:
    folder = Path(out)
    _check_folder(folder, plan)
    path = folder / _MANIFEST
    (folder / "shards").mkdir(parents=True, exist_ok=True)
    if not path.exists():
        data = (json.dumps(plan.manifest(), indent=1) + "\n").encode()
        atomic_write(path, lambda stream: stream.write(data))
    return folder


def _saved_layout(out: Any, shard_size: Any) -> tuple[Any, bool]:
    """The shard size and layout a sweep folder was started with (a rerun keeps them): its saved
    ``shard_size`` if none is given, and whether its shards mix cells (folders written before
    cells shared shards hold one cell per shard)."""
    try:
        saved = json.loads((Path(out) / _MANIFEST).read_text())
        size, mix = saved.get("shard_size"), saved.get("format") != _FORMAT_PER_CELL
    except (OSError, ValueError, AttributeError, TypeError):
        return shard_size, True
    if shard_size is None and isinstance(size, int) and size >= 1:
        shard_size = size
    return shard_size, mix


def _shard_path(folder: Path, cell: int, first: int) -> Path:
    return folder / "shards" / f"cell{cell:05d}-member{first:09d}.npz"


def _save_shard(path: Path, table: RunTable) -> None:
    arrays = {name: v.astype(str) if v.dtype == object else v for name, v in table.items()}
    kinds = json.dumps({name: "object" if v.dtype == object else "" for name, v in table.items()})
    atomic_write(path, lambda stream: np.savez(stream, __kinds__=np.array(kinds), **arrays))


def _load_shard(path: Path, pieces: Sequence[tuple[int, int, int]] | None = None) -> RunTable | None:
    """A shard's rows, or None if it is damaged or does not hold the runs of ``pieces``."""
    try:
        with np.load(path, allow_pickle=False) as data:
            kinds = json.loads(str(data["__kinds__"]))
            table = RunTable({name: data[name].astype(object) if kinds[name] else data[name] for name in kinds})
    except Exception:  # a damaged shard is trained again  # noqa: BLE001
        return None
    if pieces is not None:
        cells = np.concatenate([np.full(count, cell) for cell, _, count in pieces])
        members = np.concatenate([np.arange(first, first + count) for _, first, count in pieces])
        if not ({"cell", "member"} <= set(table) and np.array_equal(table["cell"], cells)
                and np.array_equal(table["member"], members)):
            return None  # another layout's shard of the same name: trained again
    return table


# ------------------------------------------------------------------------ the sweep


def sweep(
    target: Density,
    grid: Mapping[str, Sequence],
    seeds: int,
    *,
    config: Config | None = None,
    executor: Executor | None = None,
    out: str | os.PathLike | None = None,
    shard_size: int | None = None,
    progress: bool | None = None,
) -> RunTable:
    """Train ``seeds`` GANs for every combination of the settings in ``grid``; one row per run.

    Parameters
    ----------
    target : frozen scipy.stats continuous distribution or Mixture
        :math:`p_{data}`.
    grid : dict
        Fields of :class:`~gantheory.gan.config.Config` and the values to try, such as
        ``{"lr": [0.001, 0.005], "loss": ["minimax", "non-saturating"]}``; the cells are the
        Cartesian product, in this order (the first key varies slowest).
    seeds : int
        Members per cell: member ``i`` draws from ``member_rng(config.seed, i)`` in every cell.
    config : Config, optional
        The settings the grid varies from (its ``ensemble`` and ``first_member`` are ignored).
    executor : concurrent.futures.Executor, optional
        Runs the shards: a ``ThreadPoolExecutor`` over the local cores by default; a
        ``ProcessPoolExecutor``, or ``distributed.Client(address).get_executor()`` for a Dask
        cluster, work unchanged. Results never depend on it.
    out : path-like, optional
        A folder that makes the sweep durable: each finished shard is written atomically, a rerun
        skips them, and the table is written to ``runs.csv`` (and ``runs.parquet`` where pyarrow
        is installed). A folder holding a different sweep is refused.
    shard_size : int, optional
        Members per shard, one ensemble of the cells that share an ensemble key (default: two
        shards or more per core, each of 256 to 1024 members, or two cache-sized chunks).
        Results never depend on it; a folder keeps the size it was started with.
    progress : bool, optional
        A progress bar over runs (tqdm's conventions, as in :func:`~gantheory.gan.train.train`).

    Returns
    -------
    RunTable
        Rows ordered by cell then member; see :func:`run_shard` for the columns, and
        :func:`summarize` for rates and means per cell with confidence intervals.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C: pending shards are cancelled, shards running in this process stop at their
        next block; finished shards stay on disk for the rerun.
    """
    shard_size, mix = (shard_size, True) if out is None else _saved_layout(out, shard_size)
    plan = _plan(target, grid, seeds, config, shard_size, mix)
    folder = None if out is None else _open_folder(out, plan)
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(f"`executor` must be a concurrent.futures.Executor, got {_show(executor)}.")
    shards = plan.shards()
    tables: dict[tuple[int, int], RunTable] = {}  # by the shard's first (cell, member)
    if folder is not None:
        for shard in shards:
            path = _shard_path(folder, *shard[0][:2])
            if path.exists() and (table := _load_shard(path, shard)) is not None:
                tables[shard[0][:2]] = table
    todo = [shard for shard in shards if shard[0][:2] not in tables]
    bar = _Progress(plan.seeds * len(plan.cells), progress, "gan.sweep")
    bar.advance(sum(len(t) for t in tables.values()))
    own = executor is None
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1) if own else executor
    stop = threading.Event()
    local = isinstance(pool, ThreadPoolExecutor)
    futures: dict[Future, tuple[int, int]] = {}
    try:
        for shard in todo:
            args = (plan.target, plan.pieces(shard))
            futures[pool.submit(run_shard, *args, stop) if local else pool.submit(run_shard, *args)] = shard[0][:2]
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for future in done:
                first = futures[future]
                table = future.result()
                if folder is not None:
                    _save_shard(_shard_path(folder, *first), table)
                tables[first] = table
                bar.advance(len(table))
    except BaseException:
        stop.set()
        for future in futures:
            future.cancel()
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        bar.close()
    if own:
        pool.shutdown()
    result = RunTable.concat(tables[shard[0][:2]] for shard in shards)
    result = result.rows(np.lexsort((result["member"], result["cell"])))  # cell by cell, as the grid orders them
    if folder is not None:
        write_table(result, folder)
    return result


def write_table(table: RunTable, folder: str | os.PathLike) -> list[Path]:
    """Write ``runs.csv``, and ``runs.parquet`` where pyarrow is installed, into ``folder``."""
    folder = Path(folder)
    written = [table.to_csv(folder / "runs.csv")]
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return written
    written.append(table.to_parquet(folder / "runs.parquet"))
    return written


def read_study(folder: str | os.PathLike) -> tuple[RunTable, int]:
    """The runs a sweep folder holds so far, and the number its study has in all.

    ``runs.csv`` once the sweep has finished; before that, the finished shards.
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / _MANIFEST).read_text())
        total = len(list(itertools.product(*(values for _, values in manifest["grid"])))) * int(manifest["seeds"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ValueError(f"{folder} does not hold a sweep (no readable {_MANIFEST}).") from None
    if (folder / "runs.csv").exists():
        return read_table(folder / "runs.csv"), total
    shards = [t for path in sorted((folder / "shards").glob("*.npz")) if (t := _load_shard(path)) is not None]
    table = RunTable.concat(shards)
    if len(table):
        order = np.lexsort((table["member"], table["cell"]))
        table = table.rows(order)
    return table, total


# ------------------------------------------------------------------------ summaries


def summarize(table: RunTable, *, js_tolerance: float = 0.05, confidence: float = 0.95) -> RunTable:
    """Rates and means per cell, each with its confidence interval; one row per cell.

    Parameters
    ----------
    table : RunTable
        From :func:`sweep` or :func:`read_table`.
    js_tolerance : float
        A run *converged* if it did not diverge and its final JS (exact, or the histogram
        estimate for the MLP generator) is below this many nats.
    confidence : float
        Of the intervals: Wilson's for the rates, Student's t for the mean final JS.

    Returns
    -------
    RunTable
        ``cell``, the grid's fields, ``runs``, then for each rate (``diverged``, ``converged``,
        and for a mixture target ``collapsed``, ``covered`` and ``missed``) the count, the rate and the
        interval (``<rate>_low``, ``<rate>_high``), and ``js_mean`` with ``js_low``, ``js_high``
        over the runs that did not diverge.
    """
    js_tolerance = check_real(js_tolerance, "js_tolerance", positive=True)
    js_name = "js" if "js" in table else "js_estimate"
    fixed = {"cell", "seed", "member", "mu", "sigma", "js", "js_estimate", "diverged_step", "collapse"}
    keys = [k for k in table if k not in fixed and not k.startswith(("theta_", "coverage_"))]
    cells = np.unique(table["cell"])
    rows: dict[str, list] = {"cell": [], **{k: [] for k in keys}, "runs": []}
    for cell in cells:
        part = table.rows(table["cell"] == cell)
        n = len(part)
        diverged = part["diverged_step"] >= 0
        js = np.where(diverged, np.nan, part[js_name].astype(np.float64))
        counts = {"diverged": int(diverged.sum()), "converged": int((js < js_tolerance).sum())}
        if "collapse" in part:
            for kind in ("collapsed", "covered", "missed"):
                counts[kind] = int((part["collapse"] == kind).sum())
        rows["cell"].append(int(cell))
        for k in keys:
            rows[k].append(part[k][0])
        rows["runs"].append(n)
        for name, count in counts.items():
            lo, hi = wilson_interval(count, n, confidence)
            for suffix, value in (("_count", count), ("", count / n), ("_low", float(lo)), ("_high", float(hi))):
                rows.setdefault(name + suffix, []).append(value)
        mean, lo, hi = t_interval(js, confidence)
        for suffix, value in (("_mean", mean), ("_low", lo), ("_high", hi)):
            rows.setdefault("js" + suffix, []).append(value)
    return RunTable({k: np.array(v, dtype=object if k in keys and any(isinstance(x, str) or x is None for x in v) else None)
                     for k, v in rows.items()})
