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
from gantheory.fdivergences import (
    f_divergence,
    f_divergence_curve,
    optimal_critic,
    variational_bound,
)
from gantheory.noise import instance_noise, uniformnorm
from gantheory.wasserstein import wasserstein1, wasserstein1_critic, wasserstein1_curve

__version__ = "0.1.0"

__all__ = [
    "AccuracyWarning",
    "BudgetExceeded",
    "Mixture",
    "__version__",
    "f_divergence",
    "f_divergence_curve",
    "generator_gradients",
    "instance_noise",
    "js_curve",
    "js_divergence",
    "kl_divergence",
    "optimal_critic",
    "optimal_discriminator",
    "uniformnorm",
    "value_function",
    "variational_bound",
    "virtual_criterion",
    "wasserstein1",
    "wasserstein1_critic",
    "wasserstein1_curve",
]
