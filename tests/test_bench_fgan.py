"""Smoke test of benchmarks/bench_fgan.py: it still fits the library it measures (no timing asserted)."""

import sys
from pathlib import Path

from scipy import stats

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import bench_fgan  # noqa: E402


def test_bench_fgan_runs_in_a_tiny_mode(monkeypatch, capsys):
    monkeypatch.setattr(bench_fgan, "PAIRS", {"N vs N": (stats.norm(0, 1), stats.norm(1, 1.5))})
    monkeypatch.setattr(bench_fgan, "CURVES", {"U shifted": stats.uniform(0, 1)})
    result = bench_fgan.main(1, True, None)
    assert set(result["single"]["N vs N"]["ratio"]) == {"wasserstein1", *bench_fgan.NAMES}
    assert result["n_curve_points"] == 40 and result["slowest_curve_seconds"] > 0
    # Against the cached 30-digit references every divergence is within the suite's 1e-13.
    worst = max(err for row in result["accuracy_vs_mpmath"].values() for err in row.values())
    assert worst <= 1e-13
    bench_fgan.report(result)
    assert "worst ratio to js_divergence" in capsys.readouterr().out
