"""Mode collapse: MLP GANs on 0.5 N(-3, 0.5^2) + 0.5 N(3, 0.5^2), with each generator loss.

A run is collapsed when some mode receives less than 20 % of the generated mass it should, counted
within 3 standard deviations of the mode (gantheory.gan.experiments.mode_coverage). Both losses use
the same seeds: the same initial networks, data and noise. The histograms pool the samples of the
healthy and of the collapsed runs.

Usage: python scripts/gan_mode_collapse.py [--seed N] [--ensemble E] [--steps S] [--out FOLDER]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gantheory import plotting
from gantheory.gan import experiments

FIGURES = Path(__file__).resolve().parents[1] / "figures"


def main(seed: int = 0, out: Path = FIGURES, *, ensemble: int = 256, steps: int = 1500) -> dict[str, str]:
    """Train ``ensemble`` GANs per loss (float32), draw the histograms; return the collapse fractions."""
    run = experiments.mode_collapse(ensemble=ensemble, steps=steps, seed=seed, dtype=np.float32)
    x = np.linspace(-6, 6, 601)
    bins = np.linspace(-6, 6, 121)
    fig = plotting.gan_mode_collapse(x, run.target.pdf(x), run.samples, run.collapsed, bins=bins)
    plotting.save_figure(fig, Path(out) / "gan_mode_collapse")
    summary = {}
    for loss in run.coverage:
        diverged = int(run.results[loss].diverged.sum())
        summary[f"GAN mode collapse, {loss}: fraction collapsed ({ensemble} seeds, {steps} its)"] = (
            f"{run.fraction_collapsed(loss):.3f} ({diverged} diverged)"
        )
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the runs (default 0)")
    parser.add_argument("--ensemble", type=int, default=256, help="members per loss (default 256)")
    parser.add_argument("--steps", type=int, default=1500, help="iterations (default 1500)")
    parser.add_argument("--out", type=Path, default=FIGURES, help="output folder (default: figures/)")
    args = parser.parse_args()
    for key, value in main(args.seed, args.out, ensemble=args.ensemble, steps=args.steps).items():
        print(f"{key}: {value}")
