"""Figure 3 of the article: training progress, P_g moving toward P_r, each stage titled with its JS.

Under the optimal discriminator the generator's loss is C(G) = 2 JS(P_r || P_g) - 2 log 2
(eq. 9). At the left two stages (P_g 10 and 8 standard deviations away) JS is 0.693 nats to three
decimals, log 2 in effect, so C(G) gives the generator almost nothing to follow; at distance 2 it
is 0.3368 (the article prints 0.336). The dashed line is D*(x) of eq. (7).

Usage: python scripts/figure3_training_progress.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy import stats

import gantheory as gt
from gantheory import plotting
from gantheory.curves import js_curve

FIGURES = Path(__file__).resolve().parents[1] / "figures"
DISTANCES = (10.0, 8.0, 2.0)  # initial state, during training, converging (units of sigma)


def main(out: Path = FIGURES) -> dict[str, str]:
    """Draw Figure 3 into ``out`` and return the numbers it shows."""
    x = np.linspace(-4.0, 14.0, 721)
    p_data = stats.norm(0.0, 1.0)
    p_g = [stats.norm(d, 1.0) for d in DISTANCES]
    js, _ = js_curve(DISTANCES)
    d_star = [gt.optimal_discriminator(p_data, q)(x) for q in p_g]
    fig = plotting.training_progress(
        x, p_data.pdf(x), [q.pdf(x) for q in p_g], DISTANCES, js, d_star=d_star
    )
    plotting.save_figure(fig, Path(out) / "figure3_training_progress")
    shown = ", ".join(f"d={d:g}: {v:.3f}" for d, v in zip(DISTANCES, js))
    return {"Figure 3 JS to three decimals (article: 0.693, 0.693, 0.336)": shown}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURES, help="output folder (default: figures/)")
    for key, value in main(parser.parse_args().out).items():
        print(f"{key}: {value}")
