"""JS under instance noise (Arjovsky & Bottou 2017, sec. 3; Sonderby et al. 2016).

JS between p_data * N(0, eps^2) and p_g * N(0, eps^2) against the distance, for eps = 1, 0.3, 0.1,
0.01: Gaussians of scale 0.01, and uniforms (the uniform * Gaussian closed form), which tend to
the log 2 step as eps -> 0; and the generator's saturating gradient under the noisy D*, which
noise keeps alive where the supports are disjoint.

Usage: python scripts/instance_noise.py [--out FOLDER] [--seed N] [--quick]
"""

import sys
from pathlib import Path

from gantheory.figures import script_main

if __name__ == "__main__":
    sys.exit(script_main("instance_noise", default_out=Path(__file__).resolve().parents[1] / "figures"))
