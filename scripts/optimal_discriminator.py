"""The optimal discriminator D*(x) = p_data(x) / (p_data(x) + p_g(x)), eq. (7), as p_g moves away.

P_r = N(0, 1) and P_g = N(theta, 1) for several theta. D* crosses 1/2 halfway between the means
and, as the densities separate, saturates to 1 on the data side and 0 on the generator's: the
discriminator becomes perfect and its gradient through log(1 - D) dies.

Usage: python scripts/optimal_discriminator.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("optimal_discriminator", default_out=Path(__file__).resolve().parents[1] / "figures"))
