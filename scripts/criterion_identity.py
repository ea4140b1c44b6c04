"""Eq. (9) along two independent paths: C(G) = 2 JS(p_data || p_g) - 2 log 2 on random pairs of densities.

C(G) is E_{p_data}[log D*] + E_{p_g}[log(1 - D*)] and JS is 1/2 KL(p_data || m) + 1/2 KL(p_g || m)
with m = (p_data + p_g)/2 formed explicitly; each of the four expectations is its own tanh-sinh
integral (scipy, gantheory.report.independent), sharing no code with gantheory's quadrature.
The figure puts each pair on the identity line and plots the deviation of the two paths, and
the deviation of gantheory's own C(G) (gantheory.virtual_criterion) from the independent one.
Pairs are drawn from Gaussian, Laplace, Student-t, mixture and uniform families with a seeded
generator.

Usage: python scripts/criterion_identity.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("criterion_identity", default_out=Path(__file__).resolve().parents[1] / "figures"))
