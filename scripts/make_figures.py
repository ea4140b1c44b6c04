"""Regenerate every figure in figures/ and docs/reproduction.md, then print what they verify.

Runs each figure script's ``main`` (Figure 3, Figure 4, the generator gradients, the optimal
discriminator, the identity of eq. 9) and the reproduction note, in that order, and prints the
numbers each one reports: the JS values of Figure 3, the landmarks of Figure 4, the largest
deviations from eq. (9) and from the two gradient theorems. Deterministic: rerunning it on a
clean tree leaves ``git status`` clean. ``make figures`` calls it.

Then the NumPy GAN's training figures (``gan=True``, the default on the command line): Goodfellow
et al.'s Figure 1 from a real run, vanishing gradients from 10 sigma, mode collapse over 256
seeds. They train thousands of small networks (about 30 s), so ``main`` leaves them out unless
asked, and tests/test_gan_scripts.py runs them at small size.

Usage: python scripts/make_figures.py [--seed N] [--out FOLDER] [--no-gan]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import criterion_identity
import figure3_training_progress
import figure4_js_curve
import gan_figure1
import gan_mode_collapse
import gan_vanishing_gradients
import generator_gradients
import optimal_discriminator
import reproduction_note

FIGURES = Path(__file__).resolve().parents[1] / "figures"


def main(
    seed: int = 0, out: Path = FIGURES, note: Path = reproduction_note.NOTE, *, gan: bool = False
) -> dict[str, str]:
    """Write every figure into ``out`` and the note to ``note``; return the verification summary.

    ``gan=True`` adds the NumPy GAN's training figures.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, str] = {}
    steps = (
        lambda: figure3_training_progress.main(out),
        lambda: figure4_js_curve.main(out),
        lambda: generator_gradients.main(out),
        lambda: optimal_discriminator.main(out),
        lambda: criterion_identity.main(seed, out),
        lambda: reproduction_note.main(note),
    )
    if gan:
        steps += (
            lambda: gan_figure1.main(seed, out),
            lambda: gan_vanishing_gradients.main(seed, out),
            lambda: gan_mode_collapse.main(seed, out),
        )
    for step in steps:
        summary.update(step())
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the random pairs (default 0)")
    parser.add_argument("--out", type=Path, default=FIGURES, help="figure folder (default: figures/)")
    parser.add_argument("--no-gan", action="store_true", help="skip the NumPy GAN training figures")
    args = parser.parse_args()
    start = time.perf_counter()
    results = main(args.seed, args.out, gan=not args.no_gan)
    print("Verification summary")
    width = max(len(key) for key in results)
    for key, value in results.items():
        print(f"  {key:<{width}}  {value}")
    print(f"({time.perf_counter() - start:.1f} s; figures in {args.out})")
