"""Every divergence against the distance: JS, KL, reverse KL, TV, squared Hellinger and W1.

Three panels: N(0, 1) and N(0, 0.1^2) shifted by theta, and U[0, 1] against U[theta, 1 + theta]
(WGAN's Example 1). As the densities concentrate, JS, TV and Hellinger saturate at their
disjoint-support values and KL explodes, while W1 = theta stays informative: the answer to
section 6.1 of the article in one picture.

Usage: python scripts/divergences_vs_distance.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("divergences_vs_distance", default_out=Path(__file__).resolve().parents[1] / "figures"))
