"""The MLP generator and discriminator on N(4, 1.25^2): the final generators of 64 members under
SGD with momentum 0.9, without momentum, with R1 and with Adam; the fraction that reaches the
target's mean and standard deviation; and the spectrum of the expected field's Jacobian at a
stationary point against the heavy-ball stability boundary of lr 0.01, momentum 0.9.

Usage: python scripts/gan_mlp_convergence.py [--out FOLDER] [--seed N] [--quick] [--full]
(--full finds the committed stationary points again, about ten minutes)
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_mlp_convergence", default_out=Path(__file__).resolve().parents[1] / "figures"))
