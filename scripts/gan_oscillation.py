"""gan.train's oscillation of mu and sigma against the linearized SGD-with-momentum map:
64 runs from sigma + 0.2 with D = 1/2 (mean, 2 standard errors, and the linear prediction), and
16 runs from gan.train's default start with the predicted period and decay placed on them.

Usage: python scripts/gan_oscillation.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_oscillation", default_out=Path(__file__).resolve().parents[1] / "figures"))
