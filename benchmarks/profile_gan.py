"""Where ``gantheory.gan.train`` spends its time: pyinstrument profiles of the benchmark settings.

Profiles one GAN (E = 1) of each model and an ensemble of 1024 MLP GANs, after a warm-up call,
and writes the call trees (frames under 2 % hidden) to ``results/profile.txt``, which RESULTS.md
quotes. A profile slows pure-Python code more than NumPy calls, so read it for proportions, not
for absolute times.

Usage: python benchmarks/profile_gan.py [--out results/profile.txt]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gan_setting as S  # noqa: E402
from benchlib import RESULTS_DIR, atomic_write  # noqa: E402

CASES = (("affine", 1, 20_000), ("mlp", 1, 10_000), ("mlp", 1024, 64 * 4))


def profile(model: str, ensemble: int, steps: int) -> str:
    from pyinstrument import Profiler

    from gantheory import gan

    generator, discriminator = S.MODELS[model]
    target = stats.norm(S.TARGET_MEAN, S.TARGET_STD)

    def run(n):
        gan.train(target, generator=generator, discriminator=discriminator, steps=n,
                  ensemble=ensemble, batch_size=128, lr=S.defaults(model)["lr"], momentum=S.MOMENTUM,
                  hidden=S.HIDDEN, track_js=False, log_every=n, progress=False,
                  workers=1)  # the profiler follows the main thread only

    run(64)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    run(steps)
    profiler.stop()
    session = profiler.last_session
    per = session.duration / steps
    head = (f"{model}, E={ensemble}, m=128, {steps} steps: {session.duration:.2f} s under the profiler, "
            f"{1e6 * per:.1f} us per iteration")
    text = profiler.output_text(unicode=False, color=False, show_all=False, time="percent_of_total")
    keep = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith(("_", "/"))
            and "Recorded:" not in ln and "Duration:" not in ln and "Program:" not in ln]
    return head + "\n" + "\n".join(keep)


def main(out: Path) -> str:
    parts = [profile(*case) for case in CASES]
    text = "\n\n".join(parts) + "\n"
    atomic_write(out, text)
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "profile.txt")
    args = parser.parse_args()
    print(main(args.out))
