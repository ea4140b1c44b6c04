"""gan.train's oscillation of sigma with no regularizer, with R1 (gamma = 1) and with instance noise
(epsilon = 1), 64 runs each from sigma + 0.2 with D = 1/2, against the linearized SGD-momentum map
of the sympy Jacobian that includes the regularizer: the predicted and fitted decay rates.

Usage: python scripts/gan_regularized_oscillations.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_regularized_oscillations", default_out=Path(__file__).resolve().parents[1] / "figures"))
