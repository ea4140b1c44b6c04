"""Question: how long does one ``gt.kl_divergence`` / ``gt.js_divergence`` call take on ordinary pairs?

For each pair of densities below, the script times one call of gantheory's KL and JS (median, min
and max over interleaved rounds) and, as a peer measured in the same run, one call of
``scipy.integrate.quad`` on the textbook integrand p log(p/q) over the union of the supports split
at the same points a user would pick (both locations), which is what a user would otherwise write.
It also times ``gantheory.gan.metrics.gaussian_js`` on a batch of 256 Gaussian generators. The
ratio gantheory / quad is the number to watch: it does not depend on how busy the machine is.

With ``--baseline DIR`` (a directory holding another ``gantheory`` package, such as
``git archive <commit> gantheory | tar -x -C DIR``), the same calls of that version are timed in
the same process, interleaved, and the JSON gets the ratio this / baseline per call: how much
slower or faster a change made one divergence, independently of the machine's load.

Usage: python benchmarks/bench_divergences.py [--rounds 5] [--quick] [--baseline DIR] [--out results/divergences.json]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings
from pathlib import Path

import numpy as np
from scipy import integrate, stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import RESULTS_DIR, git_revision, machine_facts, summarize, time_call, write_json  # noqa: E402

import gantheory as gt  # noqa: E402
from gantheory.gan.metrics import gaussian_js  # noqa: E402

PAIRS = {
    "norm(0,1) | norm(2,1)": (stats.norm(0, 1), stats.norm(2, 1)),
    "norm(0,1) | norm(1,3)": (stats.norm(0, 1), stats.norm(1, 3)),
    "laplace(0,1) | norm(0.5,1)": (stats.laplace(0, 1), stats.norm(0.5, 1)),
    "t(3,2) | t(1)": (stats.t(3, loc=2), stats.t(1)),
    "mixture | norm(0,2)": (gt.Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5]),
                            stats.norm(0, 2)),
    "uniform(-1,2) | norm(0,1)": (stats.uniform(-1, 2), stats.norm(0, 1)),
}


def quad_kl(p, q) -> float:
    """KL by scipy.integrate.quad over p's support, split at both locations."""
    lo, hi = p.support()
    cuts = sorted({float(np.clip(c, lo, hi)) for c in (p.median(), q.median())})

    def f(x):
        lp = p.logpdf(x)
        return 0.0 if lp == -np.inf else float(np.exp(lp) * (lp - q.logpdf(x)))

    edges = [lo, *cuts, hi]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sum(integrate.quad(f, a, b, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
                   for a, b in zip(edges[:-1], edges[1:]) if a < b)


def load_baseline(path: Path):
    """The gantheory package under ``path``, imported beside this one (its own module objects)."""
    saved = {k: v for k, v in sys.modules.items() if k == "gantheory" or k.startswith("gantheory.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, str(path))
    try:
        baseline = importlib.import_module("gantheory")
    finally:
        sys.path.pop(0)
        for k in [k for k in sys.modules if k == "gantheory" or k.startswith("gantheory.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return baseline


def _pair_for(module, p, q):
    """The pair rebuilt with ``module``'s Mixture where it is one (classes differ between copies)."""
    if isinstance(p, gt.Mixture):
        p = module.Mixture(list(p.components), list(p.weights))
    return p, q


def main(rounds: int, quick: bool, out: Path | None, baseline_dir: Path | None = None) -> dict:
    budget = 0.05 if quick else 0.3
    baseline = load_baseline(baseline_dir) if baseline_dir else None
    calls = {}
    for name, (p, q) in PAIRS.items():
        calls[f"kl {name}"] = lambda p=p, q=q: gt.kl_divergence(p, q)
        calls[f"js {name}"] = lambda p=p, q=q: gt.js_divergence(p, q)
        calls[f"quad kl {name}"] = lambda p=p, q=q: quad_kl(p, q)
        if baseline is not None:
            bp, bq = _pair_for(baseline, p, q)
            calls[f"baseline kl {name}"] = lambda p=bp, q=bq: baseline.kl_divergence(p, q)
            calls[f"baseline js {name}"] = lambda p=bp, q=bq: baseline.js_divergence(p, q)
    rng = np.random.default_rng(0)
    mu, sigma = rng.normal(0, 2, 256), rng.uniform(0.5, 2, 256)
    target = stats.norm(0, 1)
    calls["gaussian_js x256"] = lambda: gaussian_js(mu, sigma, target)
    times: dict = {name: [] for name in calls}
    for _ in range(rounds):
        for name, fn in calls.items():
            times[name].append(time_call(fn, min_seconds=budget))
    rows = {name: summarize(t) for name, t in times.items()}
    ratios = {}
    for name in PAIRS:
        quad = rows[f"quad kl {name}"]["median"]
        ratios[name] = {"kl / quad": rows[f"kl {name}"]["median"] / quad,
                        "js / quad": rows[f"js {name}"]["median"] / quad}
    result = {"question": "seconds per divergence call on ordinary pairs", "rounds": rounds,
              "revision": git_revision(), "seconds": rows, "ratio_to_quad": ratios,
              "machine": machine_facts()}
    if baseline is not None:
        result["baseline"] = str(baseline_dir)
        result["ratio_to_baseline"] = {
            name: {what: rows[f"{what} {name}"]["median"] / rows[f"baseline {what} {name}"]["median"]
                   for what in ("kl", "js")} for name in PAIRS}
    if out is not None:
        write_json(out, result)
    return result


def report(result: dict) -> None:
    print(f"{result['question']} ({result['revision']})")
    for name, row in result["seconds"].items():
        print(f"  {name:40s} {1e3 * row['median']:8.3f} ms  (min {1e3 * row['min']:.3f}, max {1e3 * row['max']:.3f})")
    for name, r in result["ratio_to_quad"].items():
        print(f"  {name:32s} kl/quad {r['kl / quad']:.3f}  js/quad {r['js / quad']:.3f}")
    for name, r in result.get("ratio_to_baseline", {}).items():
        print(f"  {name:32s} kl/baseline {r['kl']:.2f}  js/baseline {r['js']:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "divergences.json")
    args = parser.parse_args()
    report(main(args.rounds, args.quick, args.out, args.baseline))
