"""Eq. (9): C(G) = V(D*, G) equals 2 JS(p_data || p_g) - 2 log 2, on random pairs of densities.

C(G) is integrated from the optimal discriminator itself (gantheory.virtual_criterion), JS from
its own definition (gantheory.js_divergence); the figure puts each pair on the identity line and
plots the deviation, whose maximum is printed. Pairs are drawn from Gaussian, Laplace, Student-t,
mixture and uniform families with a seeded generator.

Usage: python scripts/criterion_identity.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("criterion_identity", default_out=Path(__file__).resolve().parents[1] / "figures"))
