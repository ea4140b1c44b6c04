"""Phase diagram of GAN training with an R1 penalty: collapse, coverage and convergence rates over
learning rate x R1 weight, for both generator losses.

The study of scripts/gan_phase_diagram.py (weight 0, 1000 seeds per point) and 15 000 more runs
with the R1 penalty (gamma/2) E_data[s'(x)^2] on the discriminator's logit slope (Mescheder et
al. 2018), gamma = 0.1, 1, 10, 500 seeds per point. By default drawn from the committed tables
(gantheory/data/gan_phase_diagram_runs.csv and gan_phase_diagram_r1_runs.csv); --full trains
both again (about 40 minutes on two quiet cores, resumable: rerun after an interruption) and
rewrites them.

Usage: python scripts/gan_phase_diagram_r1.py [--out FOLDER] [--seed N] [--quick] [--full]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("gan_phase_diagram_r1", default_out=Path(__file__).resolve().parents[1] / "figures"))
