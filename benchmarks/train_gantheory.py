"""Worker: the benchmark GAN with ``gantheory.gan.train`` (NumPy, hand-derived gradients).

Times ``gan.train`` itself, the function a user calls, with its history reduced to the minimum
its API allows (``log_every=steps``: the first and last iterations; ``track_js=False``). The
per-iteration cost is the difference of two runs of different lengths in the same process,
``(T(1 + n) - T(1)) / n`` with n a whole number of its random-draw blocks, so the fixed set-up
of a call (per-member random generators, initialization, result assembly) cancels out, just as
the peers' warm-up and compilation are left out of their timings. Prints one JSON line, as train_torch.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gan_setting as S  # noqa: E402
from benchlib import emit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(S.MODELS), required=True)
    parser.add_argument("--ensemble", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--workers", type=int, default=0, help="0: gan.train's default (one per core)")
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--converge", type=int, default=0)
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import gantheory
    from gantheory import gan

    generator, discriminator = S.MODELS[args.model]
    workers = {"workers": args.workers} if args.workers else {}
    target = stats.norm(S.TARGET_MEAN, S.TARGET_STD)

    def run(steps: int, **extra):
        return gan.train(target, generator=generator, discriminator=discriminator,
                         loss="non-saturating", k=1, batch_size=args.batch_size, steps=steps,
                         lr=args.lr, momentum=S.MOMENTUM, optimizer="sgd", ensemble=args.ensemble,
                         seed=args.seed, hidden=S.HIDDEN, dtype=getattr(np, args.dtype),
                         progress=False, **workers, **extra)

    out = {"framework": "gantheory", "style": "train", "model": args.model,
           "ensemble": args.ensemble, "batch_size": args.batch_size, "dtype": args.dtype,
           "workers": args.workers or "default", "version": gantheory.__version__, "numpy": np.__version__,
           "omp_threads": os.environ.get("OMP_NUM_THREADS")}
    if args.converge:
        begin = time.perf_counter()
        result = run(args.converge, track_js=False, log_every=args.converge)
        out["train_seconds"] = time.perf_counter() - begin
        x = result.sample(100_000, np.random.default_rng(args.seed + 1))
        out["mean"] = x.mean(axis=1).tolist()
        out["std"] = x.std(axis=1, ddof=1).tolist()
        out["diverged"] = int(np.count_nonzero(result.diverged))
        out["steps"] = args.converge
        emit(out)
        return

    def timed(steps: int) -> float:
        begin = time.perf_counter()
        run(steps, track_js=False, log_every=steps)
        return time.perf_counter() - begin

    # Data and noise are drawn gan.BLOCK iterations at a time, so the two runs differ by whole
    # blocks: 1 step draws one block, 1 + n steps draw 1 + n / BLOCK blocks.
    block = gan.BLOCK
    timed(1)  # warm-up: imports, caches, first allocations
    t_short, t_long = timed(1), timed(1 + block)
    # On a loaded machine the difference can come out 0 or negative; the whole run per iteration
    # then bounds the cost from above, so that n stays sane (1e-9 s made it 1e9 iterations).
    per = (t_long - t_short) / block if t_long > t_short else t_long / (1 + block)
    n = max(block, int(args.seconds / per) // block * block)
    if n > block:
        t_short, t_long = timed(1), timed(1 + n)
    out["seconds_per_iter"] = (t_long - t_short) / n
    out["iters"] = n
    out["setup_seconds"] = t_short - out["seconds_per_iter"]
    emit(out)


if __name__ == "__main__":
    main()
