"""WGAN's Example 1 and Figure 1 in one dimension (Arjovsky, Chintala & Bottou 2017).

(a) U[0, 1] against U[theta, 1 + theta]: W1 = |theta|, JS = min(|theta|, 1) log 2, TV = min(|theta|, 1),
KL infinite. (b) Two Gaussians 4 apart: D* (eq. 7) is flat where the generator is, the optimal W1
critic has slope +-1 everywhere.

Usage: python scripts/wgan_example1.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("wgan_example1", default_out=Path(__file__).resolve().parents[1] / "figures"))
