"""Mode collapse: MLP GANs on 0.5 N(-3, 0.5^2) + 0.5 N(3, 0.5^2), with each generator loss.

A run is collapsed when some mode receives less than 20 % of the generated mass it should, counted
within 3 standard deviations of the mode (gantheory.gan.experiments.mode_coverage). Both losses use
the same seeds: the same initial networks, data and noise. The histograms pool the samples of the
healthy and of the collapsed runs.

Usage: python scripts/gan_mode_collapse.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_mode_collapse", default_out=Path(__file__).resolve().parents[1] / "figures"))
