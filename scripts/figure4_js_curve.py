"""Figure 4 of the article: (a) JS(N(0,1) || N(d,1)) against the distance d, (b) its slope dJS/dd.

The slope peaks near d = 1.64 and beyond d = 5 stays below 0.024 nats per sigma: the vanishing
gradient of section 6.1, for the generator's loss C(G) = 2 JS - 2 log 2 (eq. 9). The maximum is
the root of the analytic second derivative; the 0.693 mark is where JS first rounds to it.

Usage: python scripts/figure4_js_curve.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("figure4_js_curve", default_out=Path(__file__).resolve().parents[1] / "figures"))
