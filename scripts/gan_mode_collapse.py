"""Mode collapse: MLP GANs on 0.5 N(-3, 0.5^2) + 0.5 N(3, 0.5^2), with each generator loss.

A run covers a mode when the mode receives at least 20 % of the generated mass it should, counted
within 3 standard deviations of it (gantheory.gan.experiments.mode_coverage). Each run covers both
modes, exactly one (mode collapse: most such runs put nearly all their mass on that mode) or
neither (its mass is elsewhere);
the three classes are counted apart and drawn in three columns, each with the histograms of its
first runs. Both losses use the same seeds: the same initial networks, data and noise.

Usage: python scripts/gan_mode_collapse.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_mode_collapse", default_out=Path(__file__).resolve().parents[1] / "figures"))
