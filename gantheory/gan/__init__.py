"""A vectorized NumPy GAN with hand-derived gradients: Algorithm 1 of Goodfellow et al. (2014).

>>> import numpy as np
>>> from scipy import stats
>>> from gantheory import gan
>>> result = gan.train(stats.norm(4, 1.25), ensemble=4, steps=500, seed=1)
>>> result.sample(3, np.random.default_rng(0)).shape   # (E, n)
(4, 3)
>>> result.history.js.shape                              # (n_logged, E), exact for the affine G
(101, 4)

Modules: :mod:`~gantheory.gan.models` (generators and discriminators, forward and backward),
:mod:`~gantheory.gan.losses` (in logits), :mod:`~gantheory.gan.optim` (SGD with momentum, Adam),
:mod:`~gantheory.gan.config` (the settings of a run), :mod:`~gantheory.gan.per_member` (settings
with one value per member), :mod:`~gantheory.gan.train` (Algorithm 1 for an ensemble; runs of
several settings as one ensemble; save, load, resume), :mod:`~gantheory.gan.sweep` (grids x seeds, sharded, on any
executor, resumable on disk), :mod:`~gantheory.gan.metrics` (exact and estimated JS),
:mod:`~gantheory.gan.experiments` (the runs that tie training to the theory).
"""

from gantheory.gan import config, experiments, losses, metrics, models, optim, per_member
from gantheory.gan.config import Config
from gantheory.gan.losses import (
    GENERATOR_LOSSES,
    discriminator_loss,
    discriminator_loss_grad,
    generator_loss,
    generator_loss_grad,
)
from gantheory.gan.metrics import gaussian_js, histogram_js
from gantheory.gan.models import DISCRIMINATORS, GENERATORS, Model
from gantheory.gan.optim import OPTIMIZERS
from gantheory.gan.sweep import RunTable, read_table, summarize, sweep, t_interval, wilson_interval
from gantheory.gan.train import (
    BLOCK,
    History,
    TrainResult,
    TrainState,
    discriminator_gradient,
    generator_gradient,
    load,
    member_rng,
    train,
    train_together,
)

__all__ = [
    "BLOCK",
    "Config",
    "DISCRIMINATORS",
    "GENERATORS",
    "GENERATOR_LOSSES",
    "History",
    "Model",
    "OPTIMIZERS",
    "RunTable",
    "TrainResult",
    "TrainState",
    "config",
    "discriminator_gradient",
    "experiments",
    "discriminator_loss",
    "discriminator_loss_grad",
    "gaussian_js",
    "generator_gradient",
    "generator_loss",
    "generator_loss_grad",
    "histogram_js",
    "load",
    "losses",
    "member_rng",
    "metrics",
    "models",
    "optim",
    "per_member",
    "read_table",
    "summarize",
    "sweep",
    "t_interval",
    "train",
    "train_together",
    "wilson_interval",
]
