"""The optimal discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)), eq. (7), as p_g moves away.

P_r = N(0, 1) and P_g = N(theta, 1) for several theta. D* crosses 1/2 halfway between the means
and, as the densities separate, saturates to 1 on the data side and 0 on the generator's: the
discriminator becomes perfect and its gradient through log(1 - D) dies.

Usage: python scripts/optimal_discriminator.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy import stats

import gantheory as gt
from gantheory import plotting

FIGURES = Path(__file__).resolve().parents[1] / "figures"
POSITIONS = (0.5, 1.0, 2.0, 4.0, 8.0)


def main(out: Path = FIGURES) -> dict[str, str]:
    """Draw D*(x) for each position into ``out`` and return D* at the data mean."""
    x = np.linspace(-4.0, 12.0, 1601)
    p_data = stats.norm(0.0, 1.0)
    p_g = [stats.norm(theta, 1.0) for theta in POSITIONS]
    d_star = [gt.optimal_discriminator(p_data, q) for q in p_g]
    fig = plotting.optimal_discriminators(
        x, p_data.pdf(x), [q.pdf(x) for q in p_g], [d(x) for d in d_star], POSITIONS
    )
    plotting.save_figure(fig, Path(out) / "optimal_discriminator")
    at_zero = ", ".join(f"{float(d(0.0)):.4f}" for d in d_star)
    return {f"D*(0) for theta = {', '.join(f'{t:g}' for t in POSITIONS)}": at_zero}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURES, help="output folder (default: figures/)")
    for key, value in main(parser.parse_args().out).items():
        print(f"{key}: {value}")
