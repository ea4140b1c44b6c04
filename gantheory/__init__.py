"""gantheory: the mathematics of the original GAN (Goodfellow et al., 2014), verified exactly.

The package face re-exports the public API. It does not import matplotlib (plotting lives in
:mod:`gantheory.plotting`), so ``import gantheory`` stays fast and works without a display.

>>> import gantheory as gt
>>> from scipy import stats
>>> round(gt.js_divergence(stats.norm(0, 1), stats.norm(2, 1)), 5)
0.33683
"""

from typing import TYPE_CHECKING

#: Where each public name lives. The package face imports a module only when one of its names is
#: first used (PEP 562), so that ``import gantheory`` and the ``gantheory`` command start at once
#: and a Ctrl-C during the start-up of the command is answered in one line (:mod:`gantheory._entry`).
_WHERE = {
    "generator_gradients": "curves", "js_curve": "curves",
    "Mixture": "distributions",
    "AccuracyWarning": "quadrature", "BudgetExceeded": "quadrature",
    "js_divergence": "divergences", "kl_divergence": "divergences",
    "optimal_discriminator": "divergences", "value_function": "divergences",
    "virtual_criterion": "divergences",
    "f_divergence": "fdivergences", "f_divergence_curve": "fdivergences",
    "optimal_critic": "fdivergences", "variational_bound": "fdivergences",
    "instance_noise": "noise", "uniformnorm": "noise",
    "wasserstein1": "wasserstein", "wasserstein1_critic": "wasserstein",
    "wasserstein1_curve": "wasserstein",
}

if TYPE_CHECKING:  # what static tools and readers see
    from gantheory.curves import generator_gradients, js_curve
    from gantheory.distributions import Mixture
    from gantheory.divergences import (
        js_divergence,
        kl_divergence,
        optimal_discriminator,
        value_function,
        virtual_criterion,
    )
    from gantheory.fdivergences import f_divergence, f_divergence_curve, optimal_critic, variational_bound
    from gantheory.noise import instance_noise, uniformnorm
    from gantheory.quadrature import AccuracyWarning, BudgetExceeded
    from gantheory.wasserstein import wasserstein1, wasserstein1_critic, wasserstein1_curve


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'gantheory' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"gantheory.{module}"), name)
    globals()[name] = value  # later uses do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


__version__ = "0.1.0"

__all__ = sorted([*_WHERE, "__version__"])
