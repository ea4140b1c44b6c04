"""Vanishing gradients in practice: the saturating and non-saturating losses started 10 sigma away.

Data N(0, 1), generator N(10, 1); the quadratic discriminator is first trained alone against the
frozen generator, then the same seeds run Algorithm 1 with each generator loss. The exact JS
(quadrature, per member) shows the saturating run stuck at log 2 while the non-saturating one
converges: section 6.1 of the article, in a real training run. Top row: D starts at the exact
optimum D*; bottom row: D is first trained alone against the distant generator.

Usage: python scripts/gan_vanishing_gradients.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_vanishing_gradients", default_out=Path(__file__).resolve().parents[1] / "figures"))
