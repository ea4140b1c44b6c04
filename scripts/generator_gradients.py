"""The generator's gradient under the optimal D: saturating loss (eq. 6) against non-saturating (eq. 10).

For P_r = N(0, 1) and G(z) = theta + z, the saturating gradient d/dtheta E log(1 - D*(G(z)))
equals 2 dJS/dtheta and vanishes like exp(-theta^2/8) (section 6.1), while the non-saturating
E[-d/dtheta log D*(G(z))] approaches d/dtheta KL(P_g || P_r) = theta (Arjovsky & Bottou 2017,
Theorem 2.5): the fix the article proposes with eq. (10). The points are Monte-Carlo estimates
through the NumPy GAN's hand-derived backward passes with D set to the exact D*
(gantheory.gan.experiments.generator_gradient_check), with two standard errors.

Usage: python scripts/generator_gradients.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("generator_gradients", default_out=Path(__file__).resolve().parents[1] / "figures"))
