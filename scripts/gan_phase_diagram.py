"""Phase diagram of GAN training: collapse, coverage and convergence rates over learning rate x loss.

The MLP GAN of the mode-collapse figure on 0.5 N(-3, 0.5^2) + 0.5 N(3, 0.5^2), 1000 seeds for
each of 5 learning rates x 2 generator losses (10 000 runs, gantheory.gan.sweep), each rate with
its 95 % Wilson interval. By default drawn from the committed table of those runs
(gantheory/data/gan_phase_diagram_runs.csv); --full trains them again (about 15 minutes on two
quiet cores, resumable: rerun after an interruption) and rewrites the table.

Usage: python scripts/gan_phase_diagram.py [--out FOLDER] [--seed N] [--quick] [--full]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_phase_diagram", default_out=Path(__file__).resolve().parents[1] / "figures"))
