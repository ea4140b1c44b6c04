"""Figure 4 of the article: (a) JS(N(0,1) || N(d,1)) against the distance d, (b) its slope dJS/dd.

The slope peaks at 0.2337 nats per sigma at d = 1.636; at d = 5 it is 0.0237, still 10.1 % of
the peak, and beyond it falls like exp(-d^2/8): the vanishing gradient of section 6.1, for the
generator's loss C(G) = 2 JS - 2 log 2 (eq. 9). The maximum is the root of the analytic second
derivative; the 0.693 mark is the first float distance (7.0242) at which JS rounds to 0.693.

Usage: python scripts/figure4_js_curve.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("figure4_js_curve", default_out=Path(__file__).resolve().parents[1] / "figures"))
