"""The generator's gradient under the optimal D: saturating loss (eq. 6) against non-saturating (eq. 10).

For P_r = N(0, 1) and G(z) = theta + z, the saturating gradient d/dtheta E log(1 - D*(G(z)))
equals 2 dJS/dtheta and vanishes like exp(-theta^2/8) (section 6.1), while the non-saturating
E[-d/dtheta log D*(G(z))] approaches d/dtheta KL(P_g || P_r) = theta (Arjovsky & Bottou 2017,
Theorem 2.5): the fix the article proposes with eq. (10). The points are Monte-Carlo estimates
through the NumPy GAN's hand-derived backward passes with D set to the exact D*
(gantheory.gan.experiments.generator_gradient_check), with two standard errors.

Usage: python scripts/generator_gradients.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from gantheory import plotting
from gantheory.curves import generator_gradients, js_curve
from gantheory.gan.experiments import generator_gradient_check

FIGURES = Path(__file__).resolve().parents[1] / "figures"


def main(out: Path = FIGURES) -> dict[str, str]:
    """Draw the gradient comparison into ``out``; return the two theorems' largest deviations."""
    theta = np.linspace(0.025, 10.0, 400)  # theta > 0 for the log-scale panel
    saturating, non_saturating = generator_gradients(theta)
    kl_slope = theta  # closed form d/dtheta theta^2/2 of KL(N(theta,1) || N(0,1)), for reference
    mc = generator_gradient_check((1.0, 2.0, 5.0, 10.0), samples=20_000, seed=0)
    extra = [
        plotting.Series(mc.distances, mc.saturating_mc, "NumPy GAN backprop, saturating (MC, 2 SE)",
                        yerr=2 * mc.saturating_se, color=plotting.COLORS["saturating"], marker="s"),
        plotting.Series(mc.distances, mc.non_saturating_mc, "NumPy GAN backprop, non-saturating (MC, 2 SE)",
                        yerr=2 * mc.non_saturating_se, color=plotting.COLORS["non_saturating"], marker="D"),
    ]
    fig = plotting.gradient_comparison(theta, saturating, non_saturating, kl_slope=kl_slope, extra=extra)
    plotting.save_figure(fig, Path(out) / "generator_gradients")
    _, djs = js_curve(theta)
    at_5 = generator_gradients(5.0)
    theorem_1 = np.max(np.abs(saturating - 2 * djs))
    theorem_2_5 = np.max(np.abs(non_saturating - (kl_slope - 2 * djs)))
    return {
        "gradients at theta = 5 (saturating, non-saturating)": f"{at_5[0]:.4g}, {at_5[1]:.4f}",
        "max |saturating - 2 dJS/dtheta| (Goodfellow Thm 1)": f"{theorem_1:.1e}",
        "max |non-saturating - (dKL/dtheta - 2 dJS/dtheta)| (Arjovsky-Bottou Thm 2.5)":
            f"{theorem_2_5:.1e}",
        "NumPy GAN Monte-Carlo gradients at d = 1, 2, 5, 10: largest |z| (saturating, non-sat.)":
            ", ".join(f"{np.abs(z).max():.2f}" for z in mc.z_scores()),
    }

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURES, help="output folder (default: figures/)")
    for key, value in main(parser.parse_args().out).items():
        print(f"{key}: {value}")
