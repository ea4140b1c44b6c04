"""gantheory: the mathematics of the original GAN (Goodfellow et al., 2014), verified exactly.

The package face re-exports the public API. It does not import matplotlib (plotting lives in
:mod:`gantheory.plotting`), so ``import gantheory`` stays fast and works without a display.

>>> import gantheory as gt
>>> from scipy import stats
>>> round(gt.js_divergence(stats.norm(0, 1), stats.norm(2, 1)), 5)
0.33683
"""

from gantheory.curves import generator_gradients, js_curve
from gantheory.distributions import Mixture
from gantheory.quadrature import AccuracyWarning, BudgetExceeded
from gantheory.divergences import (
    js_divergence,
    kl_divergence,
    optimal_discriminator,
    value_function,
    virtual_criterion,
)

__version__ = "0.1.0"

__all__ = [
    "AccuracyWarning",
    "BudgetExceeded",
    "Mixture",
    "__version__",
    "generator_gradients",
    "js_curve",
    "js_divergence",
    "kl_divergence",
    "optimal_discriminator",
    "value_function",
    "virtual_criterion",
]
