"""Goodfellow et al. (2014), Figure 1, from a real run of the NumPy GAN (affine G, quadratic D).

(a) a GAN near convergence; (b) its discriminator trained alone approaches D* = p_data/(p_data + p_g)
(eq. 7); (c) generator updates against that D move p_g toward the data; (d) trained to the
equilibrium of Theorem 1, p_g = p_data and D = 1/2. p_data black dotted, p_g green, D blue
dashed, and the map z -> G(z) below each panel, as in the paper.

Usage: python scripts/gan_figure1.py [--seed N] [--out FOLDER]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gantheory import plotting
from gantheory.gan import experiments

FIGURES = Path(__file__).resolve().parents[1] / "figures"


def main(seed: int = 0, out: Path = FIGURES) -> dict[str, str]:
    """Draw the four panels into ``out``; return the JS of each panel and how close (b) is to D*."""
    fig1 = experiments.figure1(seed=seed)
    fig = plotting.gan_figure1(fig1.x, fig1.p_data, fig1.panels, d_star=fig1.d_star_b)
    plotting.save_figure(fig, Path(out) / "gan_figure1")
    b = fig1.panels[1]
    bulk = (fig1.x > -3) & (fig1.x < 2)
    return {
        "GAN Figure 1: JS of panels (a)-(d), nats": ", ".join(f"{p['js']:.4f}" for p in fig1.panels),
        "GAN Figure 1 (b): max |D - D*| on [-3, 2]": f"{np.abs(b['d'] - fig1.d_star_b)[bulk].max():.4f}",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the run (default 0)")
    parser.add_argument("--out", type=Path, default=FIGURES, help="output folder (default: figures/)")
    args = parser.parse_args()
    for key, value in main(args.seed, args.out).items():
        print(f"{key}: {value}")
