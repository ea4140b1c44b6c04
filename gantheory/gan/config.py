"""The settings of a training run: one frozen, self-validating object that train() and sweep() read.

:class:`Config` holds everything that decides *what* a run computes: the models, the losses, the
optimizer and its hyperparameters, the number of iterations, the members and their seed, and
what is logged. It checks itself on construction with the same errors the arguments of
:func:`gantheory.gan.train` always had, prints and parses to and from JSON, and is what a
:class:`~gantheory.gan.train.TrainResult` carries. *How* a run is executed (``chunk``, ``workers``,
``progress``) is not part of it: results never depend on those.

Adding a setting is a one-place change: declare the field below with :func:`setting`, giving its
default and the function that checks (and normalizes) a value, then read ``config.<name>`` in
the training loop. Validation, ``replace``, JSON, the sweep's grid and the CLI's ``--grid`` pick
it up from the field list. A check that involves two fields goes into :meth:`Config._check_together`.

Per-member settings: a setting that changes no array shape and no code path the loop cannot mix
(a learning rate, a momentum, a loss that differs by a sign, a regularizer's weight) may be declared
``per_member``; configs that differ only in such settings and in their members (``ensemble``,
``seed``, ``first_member``) have equal :meth:`Config.ensemble_key` and train as one vectorized
ensemble (:func:`gantheory.gan.train.train_together`), which is how a sweep mixes the cells of a
grid. :mod:`gantheory.gan.train` says how the training loop reads such a setting.

Examples
--------
>>> config = Config(lr=0.01, loss="minimax", steps=2000)
>>> config.lr, config.steps, config.generator
(0.01, 2000, 'affine')
>>> Config.from_json(config.to_json()) == config
True
>>> config.replace(lr=0.02).lr
0.02
>>> Config(lr=0)
Traceback (most recent call last):
...
ValueError: `lr` must be a finite number > 0, got 0 (type int).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import numpy as np

from gantheory.distributions import _show, check_choice, check_int, check_real

__all__ = ["Config", "LOSSES", "MEMBER_FIELDS", "PENALTIES", "setting"]

#: The losses: the generator's loss of Algorithm 1 ("minimax", synonym "saturating"), of eq. (10)
#: ("non-saturating"), both against the discriminator's cross-entropy; or the Wasserstein GAN's
#: pair of critic and generator losses ("wgan").
LOSSES = ("minimax", "saturating", "non-saturating", "wgan")
#: Gradient penalties on the discriminator's logit slope s'(x), weight gamma/2: "r1" at the data,
#: "r2" at the generated samples (Mescheder et al. 2018), "gp" WGAN-GP's (|s'| - 1)^2 at random
#: interpolates of the two (Gulrajani et al. 2017).
PENALTIES = ("r1", "r2", "gp")
#: The fields that say which members a config trains (member ``i`` draws from
#: ``member_rng(seed, first_member + i)``, ``i < ensemble``), not how it trains them.
MEMBER_FIELDS = ("ensemble", "seed", "first_member")


def setting(
    default: Any,
    check: Callable[[Any], Any],
    doc: str,
    *,
    per_member: bool | Callable[[Any], Any] = False,
) -> Any:
    """A field of :class:`Config`: its default, the function that checks and normalizes a value
    (raising ValueError/TypeError naming the field), and a one-line description.

    ``per_member``: False if every member of an ensemble must share the value (it shapes the
    arrays or picks the code); True if each member may have its own (a number the training loop
    reads as an (E, 1) column); or a function of the value giving its *kind*, for a choice between
    code paths: members whose values are of one kind train together (the loop mixes them with a
    per-member mask or sign), members of different kinds in separate ensembles.
    """
    return dataclasses.field(default=default, metadata={"check": check, "doc": doc, "per_member": per_member})


# -------------------------------------------------------------------------------- the checks


def _choice(name: str, choices: tuple[str, ...]) -> Callable[[Any], str]:
    return lambda value: check_choice(value, name, choices)


def _integer(name: str, minimum: int) -> Callable[[Any], int]:
    return lambda value: check_int(value, name, minimum=minimum)


def _unit_interval(name: str) -> Callable[[Any], float]:
    """A number in [0, 1)."""

    def check(value: Any) -> float:
        number = check_real(value, name, nonnegative=True)
        if number >= 1:
            raise ValueError(f"`{name}` must be in [0, 1), got {_show(value)}.")
        return number

    return check


def _betas(value: Any) -> tuple[float, float]:
    message = f"`betas` must be a pair of numbers in [0, 1), got {_show(value)}."
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise TypeError(message)
    pair = tuple(check_real(b, f"betas[{i}]", nonnegative=True) for i, b in enumerate(value))
    if pair[0] >= 1 or pair[1] >= 1:
        raise ValueError(message)
    return pair


def _dtype(value: Any) -> str:
    try:
        name = np.dtype(value).name
    except TypeError:
        name = None
    if name not in ("float64", "float32"):
        raise ValueError(f"`dtype` must be numpy.float64 or numpy.float32, got {_show(value)}.")
    return name


def _freeze(value: Any) -> str | None:
    return None if value is None else check_choice(value, "freeze", ("generator", "discriminator"))


def _penalty(value: Any) -> str | None:
    return None if value is None else check_choice(value, "penalty", PENALTIES)


def _clip(value: Any) -> float | None:
    return None if value is None else check_real(value, "clip", positive=True)


def _optional_int(name: str, minimum: int) -> Callable[[Any], int | None]:
    return lambda value: None if value is None else check_int(value, name, minimum=minimum)


def _flag(name: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"`{name}` must be True or False, got {_show(value)}.")
        return bool(value)

    return check


def _loss_kind(loss: str) -> str:
    """The generator losses that pair with the discriminator's cross-entropy of eq. (3) differ by the
    sign in their gradient: one kind, mixed per member. WGAN's critic loss is another code path."""
    return "wgan" if loss == "wgan" else "cross-entropy"


def _noise_kind(noise: float) -> str:
    """Instance noise draws its shifts from the members' streams: members with and without noise
    draw differently and train apart; any positive scales mix (the shifts are scaled per member)."""
    return "instance noise" if noise > 0 else "no instance noise"


def _models(kind: str) -> tuple[str, ...]:
    from gantheory.gan.models import DISCRIMINATORS, GENERATORS  # models import nothing of ours

    return tuple(GENERATORS if kind == "generator" else DISCRIMINATORS)


# -------------------------------------------------------------------------------- the object


@dataclasses.dataclass(frozen=True)
class Config:
    """The settings of a run of Algorithm 1 (Goodfellow et al. 2014) for an ensemble of GANs.

    Every field is checked on construction; an invalid value raises ValueError or TypeError
    naming the field, what it must be and the value received. Values are normalized (``dtype``
    to its name, ``betas`` to a tuple of floats), so equal settings give equal configs.

    Attributes
    ----------
    generator : {"affine", "mlp"}
        ``affine``: :math:`x = \\mu + \\sigma z` from N(0, 1); ``mlp``: a 1 -> hidden -> 1 tanh network.
    discriminator : {"quadratic", "mlp"}
        ``quadratic``: logit :math:`a x^2 + b x + c` from D = 1/2 (contains the optimal D of two
        Gaussians); ``mlp``: a 1 -> hidden -> 1 tanh network.
    loss : {"non-saturating", "minimax", "saturating", "wgan"}
        The generator's loss: eq. (10), or Algorithm 1's minimax loss ("saturating" is a synonym),
        each against the discriminator's cross-entropy (minus eq. 3); or "wgan", the Wasserstein
        GAN's critic loss :math:`\\bar s(G(z)) - \\bar s(x)` and generator loss :math:`-\\bar s(G(z))`
        (Arjovsky et al. 2017), the logit read as the critic's value.
    penalty : {None, "r1", "r2", "gp"}
        A gradient penalty added to the discriminator's loss, :math:`\\frac\\gamma2 \\frac1m
        \\sum_i (|s'(x_i)| - t)^2` on the logit's slope: "r1" at the data (t = 0), "r2" at the
        generated samples (t = 0) (Mescheder, Geiger & Nowozin 2018), "gp" at random interpolates
        :math:`u x + (1 - u) G(z)`, :math:`u \\sim U(0, 1)`, with t = 1 (WGAN-GP, Gulrajani et al.
        2017, whose :math:`\\lambda` is :math:`\\gamma/2`). The generator does not see it.
    gamma : float
        The penalty's weight :math:`\\gamma \\ge 0` (0: none; it needs a ``penalty``).
    noise : float
        Instance noise (Sønderby et al. 2017): the standard deviation :math:`\\epsilon \\ge 0` of
        Gaussian noise added to every sample the discriminator sees, data and generated, in both
        players' steps (0: none).
    clip : float or None
        Weight clipping (WGAN): after each discriminator step, every parameter of the discriminator
        is clipped to [-clip, clip] (None: no clipping).
    k : int
        Discriminator steps per iteration (>= 1).
    batch_size : int
        m, the minibatch size of every step (>= 1).
    steps : int
        Number of iterations (>= 1).
    lr : float
        Learning rate of both players (> 0).
    momentum : float
        SGD momentum in [0, 1).
    optimizer : {"sgd", "adam"}
    betas : (float, float)
        Adam's decay rates, each in [0, 1).
    ensemble : int
        E, the number of independent GANs trained at once (>= 1).
    seed : int
        Member ``i`` draws from :func:`~gantheory.gan.train.member_rng` ``(seed, first_member + i)``.
    first_member : int
        Index of the first member, so that any member can be rerun alone.
    hidden : int
        Hidden width H of the MLP models.
    dtype : {"float64", "float32"}
        Arithmetic precision (data and noise are drawn in float64 and rounded).
    freeze : {None, "generator", "discriminator"}
        Keep one player fixed.
    log_every : int or None
        Log every this many iterations (and the last one); None: ``max(1, steps // 100)``.
    track_js : bool
        Compute the JS divergence at the logged iterations (exact for the affine generator, an
        estimate from ``js_samples`` samples per member for the MLP generator).
    js_samples : int
        Samples per member for the MLP estimate.
    """

    generator: str = setting("affine", _choice("generator", ("affine", "mlp")), "the generator model")
    discriminator: str = setting("quadratic", _choice("discriminator", ("quadratic", "mlp")), "the discriminator model")
    loss: str = setting("non-saturating", _choice("loss", LOSSES), "the generator's loss (and the critic's for wgan)",
                        per_member=_loss_kind)
    penalty: str | None = setting(None, _penalty, "gradient penalty on the discriminator: r1, r2 or gp")
    gamma: float = setting(0.0, lambda v: check_real(v, "gamma", nonnegative=True), "weight of the gradient penalty",
                           per_member=True)
    noise: float = setting(0.0, lambda v: check_real(v, "noise", nonnegative=True), "instance noise scale",
                           per_member=_noise_kind)
    clip: float | None = setting(None, _clip, "weight clipping of the discriminator (WGAN)")
    k: int = setting(1, _integer("k", 1), "discriminator steps per iteration")
    batch_size: int = setting(128, _integer("batch_size", 1), "minibatch size m")
    steps: int = setting(10_000, _integer("steps", 1), "iterations")
    lr: float = setting(0.005, lambda v: check_real(v, "lr", positive=True), "learning rate of both players",
                        per_member=True)
    momentum: float = setting(0.9, _unit_interval("momentum"), "SGD momentum", per_member=True)
    optimizer: str = setting("sgd", _choice("optimizer", ("sgd", "adam")), "sgd or adam")
    betas: tuple = setting((0.9, 0.999), _betas, "Adam's decay rates", per_member=True)
    ensemble: int = setting(1, _integer("ensemble", 1), "members trained at once")
    seed: int = setting(0, _integer("seed", 0), "seed of every member's generator")
    first_member: int = setting(0, _integer("first_member", 0), "index of the first member")
    hidden: int = setting(16, _integer("hidden", 1), "hidden width of the MLPs")
    dtype: str = setting("float64", _dtype, "arithmetic precision")
    freeze: str | None = setting(None, _freeze, "keep one player fixed")
    log_every: int | None = setting(None, _optional_int("log_every", 1), "logging interval")
    track_js: bool = setting(True, _flag("track_js"), "compute JS at the logged iterations")
    js_samples: int = setting(2000, _integer("js_samples", 1), "samples for the MLP's JS estimate")

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, f.metadata["check"](getattr(self, f.name)))
        self._check_together()

    def _check_together(self) -> None:
        """Checks that involve more than one field: a penalty weight needs a penalty."""
        if self.gamma > 0 and self.penalty is None:
            raise ValueError(
                f"`gamma` weighs a gradient penalty: give `penalty` ({', '.join(repr(p) for p in PENALTIES)}) "
                f"with gamma = {self.gamma!r}, or gamma = 0."
            )

    # ------------------------------------------------------------------ derived quantities

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The field names, in order."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def per_member_fields(cls) -> tuple[str, ...]:
        """The fields each member of an ensemble may set for itself (declared ``per_member``)."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.metadata["per_member"])

    def ensemble_key(self) -> tuple:
        """What the configs trained as one ensemble must share: ``(name, value)`` for every field
        except :data:`MEMBER_FIELDS` and the per-member fields, which enter only by their kind.

        Examples
        --------
        >>> Config(lr=0.01, loss="minimax", seed=3).ensemble_key() == Config(lr=0.02).ensemble_key()
        True
        >>> Config(k=2).ensemble_key() == Config().ensemble_key()
        False
        """
        key = []
        for f in dataclasses.fields(self):
            kind = f.metadata["per_member"]
            if f.name in MEMBER_FIELDS or kind is True:
                continue
            value = getattr(self, f.name)
            key.append((f.name, kind(value) if kind else value))
        return tuple(key)

    @property
    def float_type(self) -> type:
        """``numpy.float64`` or ``numpy.float32``."""
        return np.float64 if self.dtype == "float64" else np.float32

    @property
    def logging_interval(self) -> int:
        """``log_every``, or its default ``max(1, steps // 100)``."""
        return max(1, self.steps // 100) if self.log_every is None else self.log_every

    @property
    def log_steps(self) -> np.ndarray:
        """The logged iterations: every ``logging_interval`` from 0, and the last one."""
        return np.unique(np.append(np.arange(0, self.steps, self.logging_interval), self.steps - 1))

    # ------------------------------------------------------------------ copies and text

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed (and checked)."""
        unknown = sorted(set(changes) - set(self.names()))
        if unknown:
            raise TypeError(f"{unknown[0]!r} is not a setting of gan.Config; the settings are: {', '.join(self.names())}.")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        """The fields as plain JSON types (``betas`` as a list)."""
        return {name: list(v) if isinstance(v, tuple) else v for name, v in dataclasses.asdict(self).items()}

    def to_json(self) -> str:
        """The settings as a JSON object, keys in field order."""
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, values: dict) -> Config:
        """The config with these fields (missing ones take their defaults); unknown keys are refused."""
        if not isinstance(values, dict):
            raise TypeError(f"a gan.Config is read from a dict of settings, got {_show(values)}.")
        return cls().replace(**values)

    @classmethod
    def from_json(cls, text: str) -> Config:
        """Parse :meth:`to_json`'s output."""
        try:
            values = json.loads(text)
        except (TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"a gan.Config must be a JSON object of settings, got {_show(text)}: {error}.") from None
        return cls.from_dict(values)
