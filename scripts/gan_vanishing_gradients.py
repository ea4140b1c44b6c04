"""Vanishing gradients in practice: the saturating and non-saturating losses started 10 sigma away.

Data N(0, 1), generator N(10, 1), 32 seeds, 2000 iterations of Algorithm 1 with each generator
loss, from two starts of the quadratic discriminator. Top row: D starts at the exact optimum D*.
The saturating (minimax) run does not move (its gradient stays near 1e-11) and JS stays at
JS(10) = 0.693146. The non-saturating run (eq. 10) takes one large step, overshoots past the
data to where D accepts its samples (D(G(z)) -> 1), so that its gradient falls to about 1e-9 as
well; JS goes back up to about 0.68 and ends near 0.47 on average. Bottom row: D is first
trained alone against the distant generator: the saturating run is stuck at log 2 (gradient
~1e-3), the non-saturating one converges (final JS about 1e-4). The panels give the measured
numbers; section 6.1 of the article, in a real training run.

Usage: python scripts/gan_vanishing_gradients.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_vanishing_gradients", default_out=Path(__file__).resolve().parents[1] / "figures"))
