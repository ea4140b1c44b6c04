"""Dirac-GAN with the R1 penalty: the two eigenvalues of the Jacobian at the equilibrium against
gamma, in the complex plane and as real and imaginary parts; they meet at the critical gamma = 1.

Usage: python scripts/dirac_r1_eigenvalues.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("dirac_r1_eigenvalues", default_out=Path(__file__).resolve().parents[1] / "figures"))
