"""Dirac-GAN (Mescheder, Geiger & Nowozin 2018): the vector field of each training method on [-2, 2]^2,
and 500 simultaneous gradient steps (h = 0.2) from (1, 1), one panel per method.

Usage: python scripts/dirac_vector_fields.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("dirac_vector_fields", default_out=Path(__file__).resolve().parents[1] / "figures"))
