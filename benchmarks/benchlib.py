"""Shared plumbing of the benchmarks: timing, fresh-process workers, machine facts, atomic files.

Nothing here knows about GANs or divergences. Every benchmark script imports this module by
path (``benchmarks/`` is not a package on purpose: it is not installed with gantheory).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from gantheory import files

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_DIR = HERE / "results"

# Thread-pool variables worth recording: they decide how many cores each framework uses.
THREAD_VARS = (
    "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "XLA_FLAGS",
    "TF_NUM_INTRAOP_THREADS", "NPROC",
)


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path``, creating its folder, with gantheory's atomic writer."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data if isinstance(data, bytes) else data.encode("utf-8")
    files.atomic_write(path, lambda stream: stream.write(payload))


def write_json(path: str | os.PathLike, obj: object) -> None:
    atomic_write(path, json.dumps(obj, indent=1) + "\n")


def summarize(samples: Sequence[float]) -> dict:
    """Median, min, max and count of a list of timings (seconds or rates)."""
    values = [float(v) for v in samples]
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values), "samples": values}


def time_call(fn: Callable[[], object], *, min_seconds: float = 0.2, max_number: int = 10_000) -> float:
    """Seconds per call of ``fn``: calls it in a loop long enough to last ``min_seconds``.

    One call first calibrates how many calls the loop needs; that call also warms caches.
    """
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    number = max(1, min(max_number, int(min_seconds / max(once, 1e-9))))
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def python() -> str:
    """The interpreter that runs the benchmarks (the project's .venv under `make bench`)."""
    return sys.executable


def run_worker(script: str | os.PathLike, args: Sequence[str], *, timeout: float = 900.0,
               env: dict | None = None) -> dict:
    """Run ``script`` in a fresh interpreter and parse the JSON object it prints last.

    A fresh process per measurement keeps the thread pools of NumPy, PyTorch and JAX from
    meeting. Returns ``{"error": ...}`` instead of raising when the worker fails, so that one
    broken row does not lose a whole run.
    """
    cmd = [python(), str(script), *map(str, args)]
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("PYTHONHASHSEED", "0")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env,
                              cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "command": cmd}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
        return {"error": f"exit {proc.returncode}: " + " | ".join(tail), "command": cmd}
    return json.loads(lines[-1])


def emit(obj: dict) -> None:
    """How a worker hands its result back: one JSON line on stdout."""
    print(json.dumps(obj), flush=True)


def module_version(name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def peer_available(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def machine_facts() -> dict:
    """CPU model, core count, memory, load, OS, Python and the thread settings in force."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gib": mem_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "loadavg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "thread_env": {k: os.environ.get(k) for k in THREAD_VARS if os.environ.get(k)},
        "versions": {name: module_version(name) for name in
                     ("gantheory", "numpy", "scipy", "mpmath", "torch", "jax", "jaxlib",
                      "matplotlib")},
    }


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, cwd=ROOT, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "gantheory"],
                               capture_output=True, text=True, cwd=ROOT).stdout.split("\n")
        dirty = sorted(line[3:] for line in dirty if line.strip())
        return rev + (f" (uncommitted changes in {', '.join(dirty)})" if dirty else
                      " (gantheory/ clean)")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def busy_fraction(seconds: float = 1.0) -> float:
    """Fraction of the machine's CPU time used by *all* processes over ``seconds``, from /proc/stat.

    A quiet machine reads near 0; the benchmarks report it before and after so a reader can tell
    how noisy the run was.
    """
    def read():
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        values = list(map(int, fields))
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        return sum(values), idle

    try:
        total0, idle0 = read()
        time.sleep(seconds)
        total1, idle1 = read()
    except OSError:
        return float("nan")
    total = total1 - total0
    return 1.0 - (idle1 - idle0) / total if total else float("nan")
