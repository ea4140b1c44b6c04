"""Phase diagram of GAN training: collapse, coverage and convergence rates over learning rate x loss.

The MLP GAN of the mode-collapse figure on 0.5 N(-3, 0.5^2) + 0.5 N(3, 0.5^2), 1000 seeds for
each of 5 learning rates x 2 generator losses (10 000 runs, gantheory.gan.sweep), each rate with
its 95 % Wilson interval. By default drawn from the committed table of those runs
(gantheory/data/gan_phase_diagram_runs.csv); --full trains them again (about 15 minutes on two
cores, resumable: rerun after an interruption) and rewrites the table.

Usage: python scripts/gan_phase_diagram.py [--out FOLDER] [--seed N] [--quick] [--full]
"""

import argparse
import sys
from pathlib import Path

from gantheory.figures import FIGURES, gan_phase_diagram


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=f"Make gan_phase_diagram.png/.svg: {FIGURES['gan_phase_diagram'].description}.")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "figures")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sweep (default 0, the committed table)")
    parser.add_argument("--quick", action="store_true", help="8 short runs per point, for a smoke test")
    parser.add_argument("--full", action="store_true", help="train the 10 000 runs again and rewrite the table")
    args = parser.parse_args(argv)
    for key, value in gan_phase_diagram(args.out, seed=args.seed, quick=args.quick, full=args.full).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
