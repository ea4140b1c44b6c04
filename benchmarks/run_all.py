"""`make bench`: run every benchmark, each in its own process, and write benchmarks/RESULTS.md.

Order: the divergence curves, the machine's throughput floor, the convergence checks and
training speed, scaling (and its figure), end-to-end wall times, then a profile of the GAN.
Each step writes its JSON under ``benchmarks/results/``; RESULTS.md is assembled from those
files, so ``--report-only`` rewrites it without measuring again.

Usage: python benchmarks/run_all.py [--rounds 3] [--skip STEP ...] [--report-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (  # noqa: E402
    HERE, RESULTS_DIR, ROOT, atomic_write, busy_fraction, git_revision, machine_facts,
)

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def steps(rounds: int) -> dict:
    py = sys.executable
    return {
        "curves": ([py, "benchmarks/bench_curves.py", "--rounds", str(max(rounds, 5))], {}),
        "fgan": ([py, "benchmarks/bench_fgan.py", "--rounds", str(max(rounds, 5))], {}),
        "floor": ([py, "benchmarks/bench_floor.py"], ONE_THREAD),
        "training": ([py, "benchmarks/bench_training.py", "--rounds", str(rounds)], {}),
        "scaling": ([py, "benchmarks/bench_scaling.py", "--rounds", str(rounds)], {}),
        "end_to_end": ([py, "benchmarks/bench_end_to_end.py"], {}),
        "profile": ([py, "benchmarks/profile_gan.py"], {}),
        "dynamics": ([py, "benchmarks/bench_dynamics.py", "--rounds", str(rounds)], {}),
        "sweep": ([py, "benchmarks/bench_sweep.py", "--rounds", str(max(rounds - 1, 1))], {}),
        "divergences": ([py, "benchmarks/bench_divergences.py", "--rounds", str(max(rounds, 5))], {}),
    }


def run_steps(rounds: int, skip: set) -> dict:
    log = {"started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "steps": {},
           "revision": git_revision()}
    for name, (cmd, env) in steps(rounds).items():
        if name in skip:
            continue
        print(f"== {name}: {' '.join(cmd[1:])}", flush=True)
        busy = busy_fraction(2.0)
        began = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env})
        log["steps"][name] = {"command": " ".join(f"{k}={v}" for k, v in env.items()) + (" " if env else "")
                              + "python " + " ".join(cmd[1:]),
                              "exit_status": proc.returncode, "seconds": time.perf_counter() - began,
                              "busy_before": busy}
    log["finished"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return log


# ------------------------------------------------------------------------------ the report


def _load(name: str) -> dict | None:
    path = RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _ms(s: dict, scale: float = 1e3, digits: int = 2) -> str:
    return f"{scale * s['median']:.{digits}f} [{scale * s['min']:.{digits}f}, {scale * s['max']:.{digits}f}]"


def _verdict(ok: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[ok]


def _ratio_of(training: dict | None, model: str, e: int, peer: str) -> dict | None:
    if not training:
        return None
    for r in training.get("ratios", []):
        if r["model"] == model and r["ensemble"] == e and r["peer"] == peer:
            return r
    return None


def _fmt_ratio(r: dict | None) -> str:
    return "—" if r is None else f"{r['ratio']:.1f}× [{r['ratio_low']:.1f}, {r['ratio_high']:.1f}]"


def targets_table(curves, training, e2e) -> list[str]:
    lines = ["| what | target | measured (median ratio [worst, best pairing of extremes]) | verdict |",
             "|---|---|---|---|"]
    if curves and "speedup" in curves:
        sp = curves["speedup"]
        err = curves["methods"]["gantheory js_curve"]["max_abs_error"]
        ok = (sp["scipy quad loop"] >= 50 and sp["scipy quad_vec"] > 1
              and sp["grid + jensenshannon**2 + np.gradient"] > 1
              and err["js"] <= 1e-13 and err["djs"] <= 1e-13)
        lines.append(
            f"| `js_curve`, 400 distances + derivative | ≥ 50× `quad` loop, faster than `quad_vec` and "
            f"the grid, max error ≤ 1e-13 | {sp['scipy quad loop']:.0f}× quad loop, "
            f"{sp['scipy quad_vec']:.1f}× quad_vec, {sp['grid + jensenshannon**2 + np.gradient']:.1f}× grid; "
            f"max error JS {err['js']:.1e}, dJS/dd {err['djs']:.1e} | {_verdict(ok)} |")
    else:
        lines.append("| `js_curve`, 400 distances + derivative | ≥ 50× `quad` loop ... | not measured | not measured |")

    def gan_row(what, model, e, peers, factor, target_text, extra=None):
        found = [(p, _ratio_of(training, model, e, p)) for p in peers]
        found = [(p, r) for p, r in found if r is not None]
        if not found:
            lines.append(f"| {what} | {target_text} | not measured | not measured |")
            return
        worst = min(r["ratio"] for _, r in found)
        text = "; ".join(f"{_fmt_ratio(r)} vs {p}" for p, r in found)
        ok = worst >= factor
        if extra:
            ex = _ratio_of(training, model, e, extra[0])
            text += f"; {_fmt_ratio(ex)} vs {extra[0]}"
            ok_extra = ex is not None and ex["ratio"] > 1
            verdict = f"{_verdict(ok)}; {extra[1]}: {_verdict(ok_extra if ex else None)}"
        else:
            verdict = _verdict(ok)
        lines.append(f"| {what} | {target_text} | {text} | {verdict} |")

    gan_row("one GAN, MLP 1-16-1, m = 128", "mlp", 1,
            ["torch eager nn.Module", "torch eager nn.Module, 1 thread"], 10,
            "≥ 10× PyTorch eager; stretch: faster than JAX `jit`",
            extra=("jax jit (1 dispatch/iter)", "stretch"))
    gan_row("one GAN, affine + quadratic", "affine", 1,
            ["torch eager nn.Module", "torch eager nn.Module, 1 thread"], 20, "≥ 20× PyTorch eager")
    gan_row("ensemble of 1024 MLP GANs", "mlp", 1024,
            ["torch eager batched", "torch eager batched, 1 thread"], 2,
            "≥ 2× PyTorch eager (batched, default threads), ahead of JAX `vmap`+`jit`",
            extra=("jax vmap+jit", "ahead of JAX"))
    if e2e:
        for name, limit in (("make figures", 60), ("make test", 120)):
            c = e2e["commands"][name]
            ok = c["seconds"]["median"] <= limit and all(s == 0 for s in c["exit_status"])
            status = "" if all(s == 0 for s in c["exit_status"]) else f" (exit {c['exit_status']})"
            lines.append(f"| `{name}` | ≤ {limit} s | {c['seconds']['median']:.1f} s{status} | {_verdict(ok)} |")
    else:
        lines.append("| `make figures` / `make test` | ≤ 60 s / ≤ 120 s | not measured | not measured |")
    lines.append("")
    lines.append("The GAN ratios are checked against every PyTorch thread setting measured; the verdict "
                 "uses the least favourable one (PyTorch at its best).")
    return lines


def curves_section(curves) -> list[str]:
    if not curves:
        return ["Not measured in this run."]
    out = [f"{curves['question']}; time per full curve (JS and dJS/dd), median [min, max] over "
           f"{curves['rounds']} interleaved rounds; errors against the 30-digit mpmath reference "
           "(`benchmarks/data/js_reference.csv`).", "",
           "| method | ms per curve | max abs error JS | max abs error dJS/dd | js_curve is faster by |",
           "|---|---|---|---|---|"]
    for name, row in curves["methods"].items():
        ratio = curves.get("speedup", {}).get(name)
        out.append(f"| {name} | {_ms(row['seconds'], digits=3)} | {row['max_abs_error']['js']:.1e} | "
                   f"{row['max_abs_error']['djs']:.1e} | {'—' if ratio is None else f'{ratio:.1f}×'} |")
    return out


def fgan_section(fgan) -> list[str]:
    """Issue 11: every f-divergence and W1 against `js_divergence` on the same pair; 400-point curves."""
    if not fgan:
        return ["Not measured in this run."]
    names = list(next(iter(fgan["single"].values()))["ratio"])
    out = [f"Time of each divergence over the time of `gt.js_divergence` on the same pair (median of "
           f"{fgan['rounds']} interleaved rounds; target ≤ 3×), worst {fgan['worst_ratio']:.2f}×:", "",
           "| pair | js_divergence ms | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for label, row in fgan["single"].items():
        out.append(f"| {label} | {1e3 * row['js_seconds']:.2f} | "
                   + " | ".join(f"{row['ratio'][n]:.2f}×" for n in names) + " |")
    out += ["", f"Seconds per {fgan['n_curve_points']}-point divergence-against-distance curve (target < 1 s), "
            f"slowest {fgan['slowest_curve_seconds']:.3f} s:", "",
            "| density shifted | " + " | ".join(next(iter(fgan["curves"].values()))) + " |",
            "|---|" + "---|" * len(next(iter(fgan["curves"].values())))]
    for label, row in fgan["curves"].items():
        out.append(f"| {label} | " + " | ".join(f"{t:.3f}" for t in row.values()) + " |")
    accuracy = fgan.get("accuracy_vs_mpmath")
    if accuracy:
        families = list(dict.fromkeys(f for row in accuracy.values() for f in row))
        out += ["", "Largest error against 30-digit mpmath (absolute, relative above 1; an infinite "
                "value must be exactly inf, else the error is inf), per divergence and family:", "",
                "| divergence | " + " | ".join(families) + " |", "|---|" + "---|" * len(families)]
        for name, row in accuracy.items():
            out.append(f"| {name} | " + " | ".join(f"{row[f]:.1e}" if f in row else "—" for f in families) + " |")
    return out


def training_section(training) -> list[str]:
    if not training:
        return ["Not measured in this run."]
    out = []
    missing = [fw for fw, ok in training["available"].items() if not ok]
    if missing:
        out.append(f"Not installed, rows skipped: {', '.join(missing)} (`pip install -e '.[bench]'`).\n")
    st = training["settings"]
    out.append("Setting: target N(4, 1.25²), noise N(0, 1), Algorithm 1 with k = 1, m = 128, "
               "non-saturating generator loss, SGD momentum 0.9 (PyTorch's form) on both players, "
               f"lr = {st['affine']['lr']} ({st['affine']['source']}), float64 everywhere, "
               "initialization scheme of `gantheory.gan.models` (affine μ = 0, σ = 1; quadratic "
               "D = 0; MLP w1, b1 ~ N(0, 1), w2 ~ N(0, 1/H), b2 = 0). Each row: a fresh process.")
    conv = training.get("convergence")
    if conv:
        out += ["", "**Convergence check** (run before the timings, not timed; same settings for all):", "",
                "| model | implementation | members | steps | lr | median mean | median std | members within tolerance | rule | verdict |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        for model, per in conv.items():
            for label, v in per.items():
                if "error" in v:
                    out.append(f"| {model} | {label} | | | | | | | | **failed**: {v['error'][:120]} |")
                    continue
                rule = f"{v['rule']}, ±{v['mean_tol']} / ±{v['std_tol']}"
                out.append(f"| {model} | {label} | {v['members']} | {v['steps']} | {v['lr']} | "
                           f"{v['median_mean']:.3f} | {v['median_std']:.3f} | {v['members_within']} | "
                           f"{rule} | {'converged' if v['passed'] else '**did not converge**'} |")
    out += ["", "**Speed**: µs per GAN iteration (median [min, max] over "
            f"{training['rounds']} interleaved rounds) and GAN-iterations per second (E / median).", ""]
    for model in ("affine", "mlp"):
        out += [f"*{'affine generator + quadratic discriminator' if model == 'affine' else 'MLP 1-16-1 (tanh) for both players'}*", "",
                "| E | implementation | µs per iteration | GAN-iterations/s | gantheory faster by |",
                "|---|---|---|---|---|"]
        for row in training["rows"]:
            if row["model"] != model:
                continue
            r = _ratio_of(training, model, row["ensemble"], row["label"])
            if "seconds_per_iter" not in row:
                out.append(f"| {row['ensemble']} | {row['label']} | failed: {row['info'].get('error', '')[:100]} | | |")
                continue
            threads = row["info"].get("threads")
            label = row["label"] + (f" ({threads} threads)" if threads and "thread" not in row["label"] else "")
            out.append(f"| {row['ensemble']} | {label} | {_ms(row['seconds_per_iter'], 1e6, 1)} | "
                       f"{row['gan_iters_per_second']['median']:,.0f} | {_fmt_ratio(r)} |")
        out.append("")
    return out


def scaling_section(scaling) -> list[str]:
    if not scaling:
        return ["Not measured in this run."]
    out = ["![scaling](scaling.png)", "",
           "`js_curve` and the SciPy peers, seconds per call against the number of distances n:", "",
           "| n | " + " | ".join(scaling["curves"]) + " |", "|---|" + "---|" * len(scaling["curves"])]
    sizes = sorted({int(n) for per in scaling["curves"].values() for n in per})
    for n in sizes:
        cells = [(_ms(per[str(n)], 1e3, 3) + " ms") if str(n) in per else "—" for per in scaling["curves"].values()]
        out.append(f"| {n:,} | " + " | ".join(cells) + " |")
    for model, axes in scaling.get("gan", {}).items():
        if "ensemble" in axes:
            out += ["", f"`gan.train`, {model}: GAN-iterations per second against E (m = 128):", "",
                    "| E | µs per iteration | GAN-iterations/s | µs per GAN-iteration |", "|---|---|---|---|"]
            for e, s in sorted(axes["ensemble"].items(), key=lambda kv: int(kv[0])):
                out.append(f"| {int(e):,} | {_ms(s, 1e6, 1)} | {int(e) / s['median']:,.0f} | {1e6 * s['median'] / int(e):.2f} |")
        if "batch_size" in axes:
            out += ["", f"`gan.train`, {model}: cost against the minibatch size m (E = 1):", "",
                    "| m | µs per iteration | ns per sample |", "|---|---|---|"]
            for m, s in sorted(axes["batch_size"].items(), key=lambda kv: int(kv[0])):
                out.append(f"| {int(m):,} | {_ms(s, 1e6, 1)} | {1e9 * s['median'] / int(m):.0f} |")
    return out


def e2e_section(e2e) -> list[str]:
    if not e2e:
        return ["Not measured in this run."]
    out = ["Wall time from the repository root, after installation (one untimed `make .venv/.installed` first):", "",
           "| command | seconds (median [min, max]) | exit status | last line |", "|---|---|---|---|"]
    for name, c in e2e["commands"].items():
        kept = [ln for ln in c["last_lines"] if ln.strip() and not ln.startswith("make")]
        last = (kept or [""])[-1].replace("|", "\\|")[:100]
        out.append(f"| `{name}` | {_ms(c['seconds'], 1, 1)} | {c['exit_status']} | `{last}` |")
    return out


def floor_section(floor, training) -> list[str]:
    if not floor:
        return ["Not measured in this run."]
    r = {k: v["median"] for k, v in floor["rates"].items()}
    out = ["Measured on one core with NumPy on cache-resident arrays (median of 3):", "",
           "| work | throughput |", "|---|---|",
           f"| float64 matrix product (BLAS, 512²) | {r['matmul_flop'] / 1e9:.1f} GFLOP/s |",
           f"| elementwise multiply (1 MiB array) | {r['elementwise_flop'] / 1e9:.2f} G/s |",
           f"| tanh | {r['tanh'] / 1e6:.0f} M/s |", f"| exp | {r['exp'] / 1e6:.0f} M/s |",
           f"| logistic (`scipy.special.expit`) | {r['expit'] / 1e6:.0f} M/s |",
           f"| standard normal draws (PCG64) | {r['normals'] / 1e6:.0f} M/s |",
           f"| one NumPy call on 128 numbers | {1e6 * r['small_call_seconds']:.2f} µs |", "",
           "Work of one GAN iteration per member (k = 1, m = 128, H = 16; counts in the docstring of "
           "`bench_floor.py`) and the floor it implies on one core, against gantheory's measured cost "
           "per GAN-iteration (E = 1, and the best ensemble size of the scaling run):", "",
           "| model | FLOP | tanh | logistic | normals | floor at BLAS peak | floor at elementwise rate | gantheory E = 1 | gantheory, best E |",
           "|---|---|---|---|---|---|---|---|---|"]
    scaling = _load("scaling")
    for name, f in floor["floors"].items():
        model = name.split(",")[0]
        w = f["work"]
        e1 = best = "—"
        if training:
            for row in training["rows"]:
                if row["model"] == model and row["ensemble"] == 1 and row["label"] == "gantheory" \
                        and "seconds_per_iter" in row:
                    e1 = f"{1e6 * row['seconds_per_iter']['median']:.1f} µs"
        if scaling and model in scaling.get("gan", {}):
            per = scaling["gan"][model].get("ensemble", {})
            if per:
                e, s = min(per.items(), key=lambda kv: kv[1]["median"] / int(kv[0]))
                best = f"{1e6 * s['median'] / int(e):.2f} µs (E = {e})"
        out.append(f"| {model} | {w['flop']:,} | {w['tanh']:,} | {w['exp']:,} | {w['normals']:,} | "
                   f"{1e6 * f['seconds_peak']:.2f} µs | {1e6 * f['seconds_elementwise']:.2f} µs | {e1} | {best} |")
    out += ["", "At E = 1 an iteration is a few dozen NumPy calls on 128-number arrays, so its cost is "
            "set by the fixed cost per call (row above) times the number of calls, far above the "
            "arithmetic floor; large ensembles amortize that cost and approach the floor, which is "
            "why gantheory's throughput per GAN grows with E."]
    return out


def noise_section(log, curves, training, e2e) -> list[str]:
    out = []
    busy = [(name, s.get("busy_before")) for name, s in (log or {}).get("steps", {}).items()]
    if busy:
        out.append("Share of the machine's CPU time used by other processes in the 2 s before each step "
                   "(0 % = quiet; 2 cores): " + ", ".join(f"{n} {100 * b:.0f} %" for n, b in busy if b is not None and not math.isnan(b)) + ".")
    if training:
        out.append(f"Training: busy {100 * training['busy_before']:.0f} % before, "
                   f"{100 * training['busy_after']:.0f} % after; load average after "
                   f"{', '.join(f'{x:.2f}' for x in training['machine_after_loadavg'])}.")
        spreads = sorted(row["seconds_per_iter"]["max"] / row["seconds_per_iter"]["min"]
                         for row in training["rows"] if "seconds_per_iter" in row)
        if spreads:
            out.append(f"Spread of the training rows (max/min over rounds): median {spreads[len(spreads) // 2]:.2f}, "
                       f"worst {spreads[-1]:.2f}.")
    if curves:
        spreads = sorted(v["seconds"]["max"] / v["seconds"]["min"] for v in curves["methods"].values())
        out.append(f"Spread of the curve rows (max/min): median {spreads[len(spreads) // 2]:.2f}, worst {spreads[-1]:.2f}.")
    return out


def headline(log: dict | None) -> dict:
    """The numbers the targets are judged on, for the run-to-run table."""
    curves, training, e2e = _load("curves"), _load("training"), _load("end_to_end")
    row: dict = {"started": (log or {}).get("started"), "revision": (log or {}).get("revision")}
    if curves and "speedup" in curves:
        row["js_curve vs quad loop"] = curves["speedup"]["scipy quad loop"]
        row["js_curve vs quad_vec"] = curves["speedup"]["scipy quad_vec"]
    for key, model, e, peer in (
        ("MLP E=1 vs torch", "mlp", 1, "torch eager nn.Module"),
        ("MLP E=1 vs torch 1 thread", "mlp", 1, "torch eager nn.Module, 1 thread"),
        ("MLP E=1 vs JAX jit", "mlp", 1, "jax jit (1 dispatch/iter)"),
        ("affine E=1 vs torch", "affine", 1, "torch eager nn.Module"),
        ("affine E=1 vs torch 1 thread", "affine", 1, "torch eager nn.Module, 1 thread"),
        ("MLP E=1024 vs torch", "mlp", 1024, "torch eager batched"),
        ("MLP E=1024 vs torch 1 thread", "mlp", 1024, "torch eager batched, 1 thread"),
        ("MLP E=1024 vs JAX vmap", "mlp", 1024, "jax vmap+jit"),
    ):
        r = _ratio_of(training, model, e, peer)
        if r is not None:
            row[key] = r["ratio"]
    if e2e:
        for name, c in e2e["commands"].items():
            row[f"{name} (s)"] = c["seconds"]["median"]
    if training:
        row["others' load during training"] = max(training["busy_before"], training["busy_after"])
    return row


def update_history(log: dict) -> list[dict]:
    """Append this run's headline numbers to results/history.json (one entry per run)."""
    path = RESULTS_DIR / "history.json"
    history = json.loads(path.read_text()) if path.exists() else []
    entry = headline(log)
    history = [h for h in history if h.get("started") != entry["started"]] + [entry]
    atomic_write(path, json.dumps(history, indent=1) + "\n")
    return history


def history_section() -> list[str]:
    path = RESULTS_DIR / "history.json"
    history = json.loads(path.read_text()) if path.exists() else []
    if len(history) < 2:
        return []
    keys = [k for k in history[-1] if k not in ("started", "revision")]
    out = ["## Run to run", "",
           "The same headline numbers in every full run recorded in `results/history.json` (ratios: "
           "how many times faster gantheory is). Where a target sits within this spread of its "
           "threshold, one run's verdict is not the last word.", "",
           "| run (UTC) | git | " + " | ".join(keys) + " |", "|---|---|" + "---|" * len(keys)]
    for h in history[-6:]:
        cells = []
        for k in keys:
            v = h.get(k)
            cells.append("—" if v is None else (f"{100 * v:.0f} %" if "load" in k else
                                                 f"{v:.1f}" if "(s)" in k else f"{v:.1f}×"))
        out.append(f"| {h.get('started', '?')} | {(h.get('revision') or '?').split()[0]} | "
                   + " | ".join(cells) + " |")
    return out + [""]


def dynamics_section(dyn: dict | None) -> list[str]:
    """The Dirac-GAN simulator against a per-trajectory loop over the same update (issue 12)."""
    if not dyn:
        return ["Not measured: run `python benchmarks/bench_dynamics.py`."]
    ratio = dyn["ratio"]
    return [
        f"{dyn['what']}: `dynamics.simulate_grid` in {_ms(dyn['vectorized_seconds'], 1, 2)} s; the same "
        f"update called once per trajectory ({dyn['loop_sample_per_method']} trajectories per method timed, "
        f"scaled to all) {_ms(dyn['loop_seconds_extrapolated'], 1, 0)} s; ratio {ratio['median']:.0f}× "
        f"[{ratio['min']:.0f}, {ratio['max']:.0f}] (median [min, max] over {ratio['n']} rounds), target "
        f"{dyn['target_ratio']:.0f}×: {_verdict(dyn['met'])}. The loop's states equal the vectorized ones "
        f"bit for bit: {dyn['loop_equals_vectorized_bit_for_bit']}. Load average during the run: "
        f"{dyn['machine'].get('loadavg')}.",
    ]


def divergences_section(div: dict | None) -> list[str]:
    """One KL and one JS call on ordinary pairs, against scipy.integrate.quad (issue 10)."""
    if not div:
        return ["Not measured: run `python benchmarks/bench_divergences.py`."]
    out = [f"{div['question']} ({div['rounds']} interleaved rounds, median): gantheory's KL and JS "
           "through the integration pipeline, and `scipy.integrate.quad` on the KL integrand split at "
           "both medians, timed in the same run.", "",
           "| pair | KL (ms) | JS (ms) | quad KL (ms) | KL / quad | JS / quad |", "|---|---|---|---|---|---|"]
    seconds = div["seconds"]
    for name, ratio in div["ratio_to_quad"].items():
        out.append(f"| {name.replace('|', '‖')} | {_ms(seconds[f'kl {name}'])} | {_ms(seconds[f'js {name}'])} | "
                   f"{_ms(seconds[f'quad kl {name}'])} | {ratio['kl / quad']:.3f} | {ratio['js / quad']:.3f} |")
    if "ratio_to_baseline" in div:
        out += ["", "Time of this version over the time of another gantheory (a checkout of the version "
                f"before the pipeline, loaded from `{div['baseline']}`), in the same process: " + "; ".join(
            f"{name.replace('|', '‖')} KL {r['kl']:.2f}×, JS {r['js']:.2f}×" for name, r in div["ratio_to_baseline"].items()) + "."]
    out += ["", f"`gaussian_js` on 256 generators: {_ms(seconds['gaussian_js x256'])} ms. Load average: "
            f"{div['machine'].get('loadavg')}."]
    return out


def sweep_section(sweep: dict | None) -> list[str]:
    """Issue 13: a sharded sweep against one large ensemble, Dask against threads, scaling, set-up."""
    if not sweep:
        return ["Not measured yet: `python benchmarks/bench_sweep.py`."]
    runs, steps = sweep["runs"], sweep["steps"]
    import statistics

    rounds: dict = {}
    for row in sweep["rows"]:
        rounds.setdefault(row["round"], {})[row["label"]] = row["throughput"]
    names = ("one ensemble (gan.train)", "local sweep (threads, default)", "Dask LocalCluster, 2 worker processes")
    # Ratios within each round (the peers ran back to back), then their median over the rounds.
    local_vs_ensemble = [r[names[1]] / r[names[0]] for r in rounds.values() if names[0] in r and names[1] in r]
    dask_vs_local = [r[names[2]] / r[names[1]] for r in rounds.values() if names[1] in r and names[2] in r]
    busy = ", ".join(f"{r['busy_before']:.0%}" for r in sweep["rows"])
    load = ", ".join(f"{r['load_before']:.1f}" for r in sweep["rows"])
    lines = [
        f"{runs:,} affine GANs x {steps:,} iterations (a sweep of 2 learning rates x {runs // 2:,} seeds, written "
        "to a folder, against the same runs as one ensemble); GAN-iterations per second, each row one run "
        f"(round). Machine busy before each row (all processes, 2 cores): "
        f"{busy}; load average before: {load}. Where other processes kept the machine busy, read the "
        "ratios, not the absolute numbers, and with care.",
        "",
        "| what | seconds | GAN-iterations/s | CPU s / wall s | busy before |",
        "|---|---|---|---|---|",
    ]
    for row in sweep["rows"]:
        lines.append(f"| {row['label']} (round {row['round']}) | {row['seconds']:.1f} | {row['throughput']:,.0f} | "
                     f"{row['cpu_seconds'] / row['seconds']:.2f} | {row['busy_before']:.0%} |")
    lines += ["", "| target | measured: median of the rounds' ratios [each round] | verdict |", "|---|---|---|"]
    for what, ratios, threshold in (("local sweep >= 90 % of one large ensemble", local_vs_ensemble, 0.9),
                                    ("Dask LocalCluster (2 workers) >= 80 % of the local executor", dask_vs_local, 0.8)):
        if ratios:
            median = statistics.median(ratios)
            each = ", ".join(f"{r:.1%}" for r in ratios)
            lines.append(f"| {what} | {median:.1%} [{each}] | {_verdict(median >= threshold)} |")
    lines += ["", f"Dask LocalCluster start-up (not in the rows): {sweep['dask_cluster_start_seconds']:.1f} s.", "",
              f"**Scaling** ({runs:,} runs x {sweep['scaling'][0]['steps']} iterations; the machine has "
              f"{sweep['cpus']} cores):", "",
              "| executor | workers | shard size | GAN-iterations/s | busy before |", "|---|---|---|---|---|"]
    for row in sweep["scaling"]:
        lines.append(f"| {row['kind']} | {row['workers']} | {row['shard_size'] or 'default (1024)'} | "
                     f"{row['throughput']:,.0f} | {row['busy_before']:.0%} |")
    setup = sweep.get("setup")
    if setup:
        m = setup["members"]
        no_js, with_js = setup["train_steps1_no_js"], setup["train_steps1"]
        lines += ["", f"**Set-up cost** of `gan.train(target, ensemble={m:,}, steps=1)` per member: "
                  f"{no_js['seconds'] / m * 1e6:.0f} µs wall ({no_js['cpu_seconds'] / m * 1e6:.0f} µs CPU) without "
                  f"the JS, {with_js['seconds'] / m * 1e6:.0f} µs with the exact JS of its one logged row. Where "
                  "the time goes, µs per member (one thread):", "",
                  "| part | µs per member |", "|---|---|"]
        lines += [f"| {k} | {v:.1f} |" for k, v in setup["parts_us_per_member"].items()]
        parts = setup["parts_us_per_member"]
        floor = sum(v for k, v in parts.items() if not k.startswith("exact JS"))
        lines += ["", "Issue 13 asks for under 50 µs per member without changing any member's random stream. "
                  "The stream draws, per block of 64 iterations, the whole data block, then the whole "
                  "discriminator-noise block, then the generator noise: the first generator step needs both "
                  f"blocks drawn, so the generator, the data block and the noise block ({floor:.0f} µs here) are "
                  "a floor that no implementation of this stream goes under; the target is **missed** by that "
                  "floor, not by overhead (gan.train now skips the generator noise of iterations past the end). "
                  "A stream laid out iteration by iteration, or with growing first blocks (1, 2, 4, ..., 64 "
                  "iterations), would meet it but change every seed's results."]
    lines += ["", "The scaling rows ran while other processes' load changed (the busy column): rows with "
              "different load are not comparable, and on two cores no trend in workers or shard size stands "
              "out of that noise."]
    if sweep.get("mixing"):
        lines += ["", *mixing_section(sweep["mixing"])]
    return lines


def mixing_section(mixing: dict) -> list[str]:
    """Issue 13's remainder: shards that mix the cells of a grid against one shard per cell."""
    import statistics

    grid = " x ".join(f"{len(v)} {k}" for k, v in mixing["grid"].items())
    lines = [f"**Cells sharing shards** (git {mixing['revision']}): a grid of {grid} ({mixing['cells']} cells that "
             "differ only in per-member settings), swept with one shard per cell (as before cells shared shards) "
             "and with gan.sweep's mixed shards, on the same thread pool (one thread per core), interleaved round "
             "by round; the two tables are compared bit for bit. Speed-up: mixed over per-cell throughput, "
             "median of the rounds [each round].", "",
             "| setting | runs x iterations | shards: per cell / mixed | GAN-it/s, per cell | GAN-it/s, mixed | "
             "speed-up | tables identical | busy before |", "|---|---|---|---|---|---|---|---|"]
    settings: dict = {}
    for row in mixing["rows"]:
        settings.setdefault(row["setting"], []).append(row)
    for label, rows in settings.items():
        by_round: dict = {}
        for row in rows:
            by_round.setdefault(row["round"], {})[row["layout"].startswith("mixed")] = row
        pairs = [(r[False], r[True]) for r in by_round.values() if False in r and True in r]
        ratios = [b["throughput"] / a["throughput"] for a, b in pairs]
        per_cell = statistics.median(a["throughput"] for a, _ in pairs)
        mixed = statistics.median(b["throughput"] for _, b in pairs)
        first = pairs[0]
        busy = ", ".join(f"{row['busy_before']:.0%}" for row in rows)
        lines.append(f"| {label} | {mixing['cells'] * first[0]['seeds']:,} x {first[0]['steps']:,} | "
                     f"{first[0]['shards']} / {first[1]['shards']} | {per_cell:,.0f} | {mixed:,.0f} | "
                     f"{statistics.median(ratios):.2f}x [{', '.join(f'{r:.2f}' for r in ratios)}] | "
                     f"{'yes' if mixing['identical'].get(label) else '**no**'} | {busy} |")
    lines += ["", "Where the gain comes from: every iteration of a shard costs a fixed Python and NumPy-dispatch "
              "overhead per chunk besides its work per member, which grows with the minibatch and the model "
              "(section 2: E = 1 against E = 64). A shard of 32 affine members at m = 128, or of MLPs, already "
              "spends most of its time on the members' work, so mixing gains little there; with smaller "
              "minibatches or fewer seeds per cell the fixed overhead dominates small shards, and mixing removes it."]
    return lines


def write_report(log: dict | None) -> str:
    curves, training, scaling = _load("curves"), _load("training"), _load("scaling")
    floor, e2e = _load("floor"), _load("end_to_end")
    facts = machine_facts()
    profile = RESULTS_DIR / "profile.txt"
    v = facts["versions"]
    torch_threads = jax_devices = "—"
    if training:
        for row in training["rows"]:
            info = row.get("info", {})
            if info.get("framework") == "torch" and "thread" not in row["label"]:
                torch_threads = f"{info.get('threads')} intra-op, {info.get('interop_threads')} inter-op (default)"
            if info.get("framework") == "jax":
                jax_devices = ", ".join(info.get("devices", []))
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`benchmarks/run_all.py`); do not edit by hand. "
        "Issue 5: speed and accuracy against the tools users would otherwise pick, in one run, "
        "ratios only between numbers of the same run.",
        "",
        f"- Run: {(log or {}).get('started', '?')} to {(log or {}).get('finished', '?')} (UTC), "
        f"gantheory at git {(log or {}).get('revision') or git_revision()}",
        f"- Machine: {facts['cpu']}, {facts['usable_cpus']} usable cores, {facts['memory_gib']} GiB, "
        f"{facts['os']}, Python {facts['python']}",
        f"- Versions: gantheory {v['gantheory']}, NumPy {v['numpy']}, SciPy {v['scipy']}, mpmath {v['mpmath']}, "
        f"PyTorch {v['torch'] or 'not installed'}, JAX {v['jax'] or 'not installed'} "
        f"(jaxlib {v['jaxlib'] or '—'})",
        f"- Threads: thread variables set: {facts['thread_env'] or 'none'}; PyTorch {torch_threads} "
        "(rows marked *1 thread* call `torch.set_num_threads(1)`); JAX/XLA CPU defaults on "
        f"{jax_devices}; NumPy/OpenBLAS defaults (gantheory's small products do not use BLAS threads); "
        "`gan.train` trains chunks of members on one thread per core by default (rows *workers=1*: "
        "one thread). The floor is measured with one BLAS thread.",
        "",
        "## Noise",
        "",
        *noise_section(log, curves, training, e2e),
        "",
        "## Targets of issue 5",
        "",
        *targets_table(curves, training, e2e),
        "",
        *history_section(),
        "## 1. Divergence curves: `gt.js_curve` against SciPy",
        "",
        *curves_section(curves),
        "",
        "### f-divergences and W1 (issue 11, `benchmarks/bench_fgan.py`)",
        "",
        *fgan_section(_load("fgan")),
        "",
        "The peers (`benchmarks/curve_peers.py`): the `quad` loop and `quad_vec` integrate the stable "
        "log-space integrands φ(x)[log 2 + log_expit(d²/2 − dx)] and ½φ(y)·y·[log 2 + log_expit(dy + d²/2)] "
        "with epsabs 1e-14, epsrel 1e-13, the line split where the integrands change; the grid uses "
        "4001 points over [−12, d_max + 12], `jensenshannon(p, q, axis=1)**2` (vectorized over "
        "distances) and `np.gradient` over the distances; Monte Carlo draws 10⁵ samples of each "
        "density, shared by all distances.",
        "",
        "## 2. Training speed: `gantheory.gan` against PyTorch and JAX",
        "",
        *training_section(training),
        "",
        "PyTorch's default two intra-op threads spin while they wait for each other: when another "
        "process holds a core, an iteration can take ten to a hundred times longer (the max column of "
        "the default-thread rows); the *1 thread* rows do not suffer from it, which is why the verdicts "
        "compare with both.",
        "",
        "PyTorch rows: *nn.Module* is one GAN written with `nn.Sequential(nn.Linear, nn.Tanh, nn.Linear)` "
        "(or two small modules for affine/quadratic), `F.logsigmoid` losses, `torch.optim.SGD(momentum=0.9)`; "
        "*batched* is E GANs as (E, …) tensors with `torch.baddbmm`/`torch.bmm`, losses averaged over m and "
        "summed over members. JAX rows: the whole iteration (sampling, both steps, both updates) is one "
        "`jax.jit` function called once per iteration; *vmap+jit* maps it over members; *lax.scan* runs all "
        "iterations in one dispatch, shown for reference only (no Python between iterations). gantheory "
        "rows time `gan.train` itself with `log_every=steps, track_js=False`, as the difference of two "
        "runs of different lengths (its fixed set-up cancels, as the peers' compilation and warm-up are "
        "excluded).",
        "",
        "## 3. Scaling",
        "",
        *scaling_section(scaling),
        "",
        "## 4. End to end",
        "",
        *e2e_section(e2e),
        "",
        "## 5. The physical floor",
        "",
        *floor_section(floor, training),
        "",
    ]
    if profile.exists():
        lines += ["## 6. Where gantheory's GAN spends its time (pyinstrument)", "",
                  "Frames under 2 % hidden; the profiler inflates pure-Python frames, so read proportions.",
                  "", "```", profile.read_text().rstrip(), "```", ""]
    lines += ["## 7. The Dirac-GAN simulator", "", *dynamics_section(_load("dynamics")), ""]
    lines += ["## 8. Sweeps: shards, executors, Dask (issue 13)", "", *sweep_section(_load("sweep")), ""]
    lines += ["## 9. One divergence call (issue 10)", "", *divergences_section(_load("divergences")), ""]
    lines += ["## Commands", "", "Everything above: `make bench` (installs `.[bench]` into `.venv` once, "
              "then runs `python benchmarks/run_all.py`). Step by step, from the repository root:", "", "```"]
    if log and log.get("steps"):
        lines += [s["command"] for s in log["steps"].values()]
    else:
        lines += [" ".join(cmd[1:]) for cmd, _ in steps(3).values()]
    lines += ["python benchmarks/run_all.py --report-only   # rewrite this file from benchmarks/results/",
              "python benchmarks/js_reference.py            # rebuild the mpmath reference (about 20 min)",
              "```", ""]
    text = "\n".join(lines)
    atomic_write(HERE / "RESULTS.md", text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=list(steps(3)))
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    log_path = RESULTS_DIR / "run_log.json"
    if args.report_only:
        log = json.loads(log_path.read_text()) if log_path.exists() else None
    else:
        log = run_steps(args.rounds, set(args.skip))
        atomic_write(log_path, json.dumps(log, indent=1) + "\n")
        if not args.skip:
            update_history(log)
    write_report(log)
    print(f"wrote {HERE / 'RESULTS.md'}")
    failed = [n for n, s in (log or {}).get("steps", {}).items() if s["exit_status"] != 0]
    if failed:
        print(f"steps that failed: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
