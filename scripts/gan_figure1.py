"""Goodfellow et al. (2014), Figure 1, from a real run of the NumPy GAN (affine G, quadratic D).

(a) a GAN near convergence; (b) its discriminator trained alone approaches D* = p_data/(p_data + p_g)
(eq. 7); (c) generator updates against that D move p_g toward the data; (d) trained to the
equilibrium of Theorem 1, p_g = p_data and D = 1/2. p_data black dotted, p_g green, D blue
dashed, and the map z -> G(z) below each panel, as in the paper.

Usage: python scripts/gan_figure1.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_figure1", default_out=Path(__file__).resolve().parents[1] / "figures"))
