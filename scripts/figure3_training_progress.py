"""Figure 3 of the article: training progress, P_g moving toward P_r, each stage titled with its JS.

Under the optimal discriminator the generator's loss is C(G) = 2 JS(P_r || P_g) - 2 log 2
(eq. 9). At the left two stages (P_g 10 and 8 standard deviations away) JS is 0.693 nats to three
decimals, log 2 in effect, so C(G) gives the generator almost nothing to follow; at distance 2 it
is 0.33683, which rounds to 0.337 (the article prints 0.336). JS prints as 0.693 from d = 7.0242
on. The dashed line is D*(x) of eq. (7).

Usage: python scripts/figure3_training_progress.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("figure3_training_progress", default_out=Path(__file__).resolve().parents[1] / "figures"))
