"""Every training method from a generator 10 sigma away (section 6.1 for all of them): the median JS
of 64 members against the iteration for minimax, non-saturating, instance noise, R1, R2, WGAN
with clipping and WGAN-GP, and the fraction that converges with its median settling time.

Usage: python scripts/gan_methods_from_afar.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_methods_from_afar", default_out=Path(__file__).resolve().parents[1] / "figures"))
