"""Dirac-GAN: the distance ||(theta, psi)|| to the equilibrium against the iteration, log scale,
for every training method (500 simultaneous steps, h = 0.2, from (1, 1)), with the rate that
the spectral radius of the linearized update map predicts.

Usage: python scripts/dirac_norms.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("dirac_norms", default_out=Path(__file__).resolve().parents[1] / "figures"))
