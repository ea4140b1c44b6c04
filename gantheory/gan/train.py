"""Algorithm 1 of Goodfellow et al. (2014) for an ensemble of independent GANs at once.

For each iteration: k times, sample m noise and m data points and descend the discriminator's
loss (minus the objective of eq. 3); then sample m fresh noise points and descend the generator's
loss (the minimax loss of Algorithm 1 or the non-saturating loss of eq. 10).

How it stays fast: every array carries the ensemble axis first, so one NumPy call advances all
members; members are trained in cache-sized chunks, each chunk all the way through before the
next (members never interact, so this changes nothing but speed); each member's randomness is
drawn :data:`BLOCK` iterations at a time; the loss values, mean D, gradient norms and divergence
are computed only at the logged iterations.

How it stays reproducible: member ``i`` draws everything (its initial parameters, then its data
and noise, block after block, in a fixed order) from its own generator
``PCG64(SeedSequence(seed, spawn_key=(i,)))``. No draw depends on the ensemble size, the chunk
size, the number of iterations or the other members, so member i follows the same trajectory
trained alone (``ensemble=1, first_member=i``) or among thousands, and members never share noise.

How it stops and goes on: a :class:`TrainResult` holds a :class:`TrainState` (the parameters,
the optimizers' state, the divergence flags and each member's generator at the start of the block
in progress); ``train(target, config, resume=result)`` continues from it and gives, bit for bit,
what one uninterrupted run would have. :meth:`TrainResult.save` and :func:`load` keep all of it
on disk. Ctrl-C stops every worker thread at its next block and raises KeyboardInterrupt.

How runs of different settings share an ensemble: :func:`train_together` puts the members of
several configs along one ensemble axis when they differ only in their members (``ensemble``,
``seed``, ``first_member``) and in *per-member* settings, those that change no array shape
(:meth:`Config.per_member_fields <gantheory.gan.config.Config.per_member_fields>`: the learning
rate, the momentum, Adam's betas, the generator loss). The loop reads a per-member setting per
chunk: a Python float when the chunk's members share it, so that a single-config run computes
exactly what it always did at its old speed, else an (C, 1) float64 column; a choice between code
paths becomes a per-member sign or mask. Member i gets the same bits either way, so result j of
``train_together(target, configs)`` is ``train(target, configs[j])``, and a sweep may mix cells.

To add a per-member setting (a regularizer's weight ``gamma``, say):

1. Declare it in :class:`~gantheory.gan.config.Config` with ``setting(..., per_member=True)``; a
   choice whose values need code paths the loop cannot mix in one pass (a loss that changes the
   discriminator's loss) gives ``per_member=`` a function from the value to its kind instead:
   values of one kind share ensembles, values of different kinds do not (see ``loss``).
2. In :func:`_train_chunk`, read it once per chunk with ``run.per_member(members, lambda c:
   c.gamma)`` (a float or a column; ``run.member_values`` gives a list for a choice, as
   ``run.loss`` does), and pass it down to where it multiplies (E, ...) arrays. Everything else
   stays ``run.config.<name>``, which all members share.
3. Where the value meets an array, keep a member's bits those of the float: wrap it in
   :func:`~gantheory.gan.per_member.rounded` (a float meeting a float32 array is rounded to float32
   first) and compute functions of the value alone (``beta ** t``) with
   :func:`~gantheory.gan.per_member.per_value`; ``+ - * /`` and ``sqrt`` need nothing.
4. Give two or three values of it in ``PER_MEMBER_VALUES`` of ``tests/test_gan_train_together.py``
   (a test fails until you do): the tests then prove every mixed run equal to its run apart, in
   float64 and float32, SGD and Adam, affine and MLP.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from gantheory.distributions import Density, _show, check_distribution, check_int, describe, parse_density
from gantheory.files import atomic_write
from gantheory.gan.config import Config
from gantheory.gan.losses import (
    critic_loss,
    critic_loss_grad,
    discriminator_loss,
    generator_loss,
    generator_loss_name,
    gradient_penalty_grad,
)
from gantheory.gan.metrics import gaussian_js, histogram_js
from gantheory.gan.models import DISCRIMINATORS, GENERATORS, Model
from gantheory.gan.optim import OPTIMIZERS
from gantheory.gan.per_member import column, rounded

__all__ = [
    "BLOCK",
    "History",
    "Stepper",
    "TrainResult",
    "TrainState",
    "discriminator_gradient",
    "generator_gradient",
    "load",
    "member_rng",
    "train",
    "train_together",
]

#: Iterations of data and noise drawn at once by each member. A constant, so that a member's
#: random stream is consumed identically whatever the ensemble or chunk size.
BLOCK = 64


def member_rng(seed: int, member: int) -> np.random.Generator:
    """The random generator of ensemble member ``member`` of a run with ``seed``.

    ``PCG64(SeedSequence(seed, spawn_key=(member,)))``: the ``member``-th child of
    ``SeedSequence(seed).spawn(...)``, whatever the number of children spawned.

    Examples
    --------
    >>> a = member_rng(0, 3).standard_normal()
    >>> b = np.random.Generator(np.random.PCG64(np.random.SeedSequence(0).spawn(5)[3])).standard_normal()
    >>> a == b
    True
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(member,))))


def _evaluation_noise(seed: int, member: int, out: np.ndarray) -> np.ndarray:
    """Fill ``out`` with member ``member``'s evaluation noise, standard normal draws from the first
    child of its seed sequence (never drawn by training), and return it: the JS estimate's samples."""
    child = np.random.SeedSequence(seed, spawn_key=(member, 0))
    return np.random.Generator(np.random.PCG64(child)).standard_normal(out=out)


# ------------------------------------------------------------------------ the two gradient steps


class Stepper:
    """The two gradients of an iteration of Algorithm 1 for E members, on preallocated kernels.

    One generator kernel (n = m' noise points) serves both steps; one discriminator kernel sees
    the m real and m' generated samples of the discriminator's step as one batch, another the m'
    generated samples of the generator's step (and, for WGAN-GP's penalty, a third the m
    interpolates). The generator writes its samples straight into the discriminator's inputs.
    Returned arrays live in the kernels until the next call.

    Parameters
    ----------
    generator, discriminator : Model
        From :data:`gantheory.gan.models.GENERATORS` and ``DISCRIMINATORS``.
    ensemble : int
        E.
    m_real, m_fake : int
        Data and noise samples per minibatch.
    size_g, size_d : int
        Parameters per member of each model.
    dtype : numpy float type
    loss : {"non-saturating", "minimax", "saturating", "wgan"}, or a sequence of them, one per member
        "wgan": the critic's loss :func:`~gantheory.gan.losses.critic_loss` and the generator's
        :math:`-\\bar s(G(z))`; otherwise the cross-entropy of eq. (3) and the named generator loss.
        Members may mix the cross-entropy losses, not "wgan" with them.
    penalty : {None, "r1", "r2", "gp"}
        The gradient penalty of the discriminator's loss (see :class:`~gantheory.gan.config.Config`).
    gamma : float or ndarray, shape (E, 1)
        Its weight, shared or per member.
    noise : float or ndarray, shape (E, 1)
        Instance noise :math:`\\epsilon`, shared or per member; 0.0: none (the steps then take no
        noise draws).
    """

    def __init__(
        self,
        generator: Model,
        discriminator: Model,
        ensemble: int,
        m_real: int,
        m_fake: int,
        size_g: int,
        size_d: int,
        dtype: type = np.float64,
        loss: str | Sequence[str] = "non-saturating",
        penalty: str | None = None,
        gamma: float | np.ndarray = 0.0,
        noise: float | np.ndarray = 0.0,
    ) -> None:
        self.m_real, self.m_fake = m_real, m_fake
        self.g_scale = -1.0 / m_fake  # d/ds of the generator's mean loss: the factor of every logit
        self.g = generator.kernel(ensemble, m_fake, size_g, dtype)
        self.d_both = discriminator.kernel(ensemble, m_real + m_fake, size_d, dtype)
        self.d_fake = discriminator.kernel(ensemble, m_fake, size_d, dtype)
        names = {generator_loss_name(loss)} if isinstance(loss, str) else {generator_loss_name(x) for x in loss}
        if "wgan" in names and len(names) > 1:
            raise ValueError(f"`loss`: the members may mix the cross-entropy losses, not 'wgan' with them; got {loss!r}.")
        self.minimax, self.wasserstein = names == {"minimax"}, names == {"wgan"}
        # d/ds of the generator's loss is -sigma(sign * s)/m': sign +1 for log(1 - D) (minimax), -1 for
        # -log D (eq. 10); a column of signs if the members' losses differ, else None.
        self.loss_sign = None if len(names) == 1 else _loss_sign(loss, dtype)
        # d L_D / d s = [-sigma(-s_real)/m, sigma(s_fake)/m'] = sign/size * sigma(sign * s); WGAN: sign/size
        self.sign = np.concatenate([-np.ones(m_real), np.ones(m_fake)])[None, :].astype(dtype)
        self.scaled = np.concatenate([-np.ones(m_real) / m_real, np.ones(m_fake) / m_fake])[None, :].astype(dtype)
        self.d_s_both = np.empty((ensemble, m_real + m_fake), dtype)
        self.d_s_fake = np.empty((ensemble, m_fake), dtype)
        if self.wasserstein:  # the critic loss is linear in the logits: its gradient is a constant row
            self.critic = np.concatenate(critic_loss_grad(np.zeros((1, m_real)), np.zeros((1, m_fake))), axis=1)
            self.critic = self.critic.astype(dtype)
        # gamma as it enters an operation with the (dtype) slopes, rounded once here, not at every step
        self.penalty, self.gamma = penalty, rounded(_member_column(gamma), np.empty(0, dtype))
        self.noise = _member_column(noise)
        self.noisy = not (isinstance(self.noise, float) and self.noise == 0.0)
        if penalty in ("r1", "r2"):
            self.d_slope = np.zeros((ensemble, m_real + m_fake), dtype)  # the other part stays 0
            self.at = slice(0, m_real) if penalty == "r1" else slice(m_real, m_real + m_fake)
        elif penalty == "gp":
            if m_real != m_fake:
                raise ValueError(f"the gp penalty pairs data and generated samples: `m_real` ({m_real}) must equal "
                                 f"`m_fake` ({m_fake}).")
            self.d_interp = discriminator.kernel(ensemble, m_real, size_d, dtype)
        elif penalty is not None:
            raise ValueError(f"`penalty` must be None, 'r1', 'r2' or 'gp'; got {penalty!r}.")

    def discriminator_gradient(
        self, theta: np.ndarray, psi: np.ndarray, x_real: np.ndarray, z: np.ndarray,
        u: np.ndarray | None = None, t: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Gradient of the discriminator's loss for ``psi``, (E, P_d), and the logits (E, m + m').

        The loss is minus eq. (3) (or WGAN's critic loss) plus the penalty. ``u`` (E, m + m'):
        the instance noise's standard normal draws for the data, then the generated samples;
        ``t`` (E, m): the interpolation weights of the gp penalty, in [0, 1].
        """
        m, d = self.m_real, self.d_both
        self.g.inputs[:, 0] = z
        self.g.forward(theta, out=d.inputs[:, :, m:])  # x_fake = G(z), straight into D's inputs
        d.inputs[:, 0, :m] = x_real
        if self.noisy:  # the discriminator sees x + epsilon u
            _instance_noise(d.inputs[:, 0, :m], self.noise, u[:, :m], generated=False)
            _instance_noise(d.inputs[:, 0, m:], self.noise, u[:, m:], generated=True)
        s = d.forward(psi)  # (E, m + m')
        d_s = self.d_s_both
        if self.wasserstein:  # d/ds [mean s_fake - mean s_real] = [-1/m, 1/m']
            d_s[...] = self.critic
        else:
            np.multiply(s, self.sign, out=d_s)  # [-s_real, s_fake]
            expit(d_s, out=d_s)
            d_s *= self.scaled  # [-sigma(-s_real)/m, sigma(s_fake)/m']
        grad = d.backward(psi, d_s)
        if self.penalty in ("r1", "r2"):  # gamma/2 mean s'(x)^2 at the data (r1) or the generated samples (r2)
            slope = d.slope(psi)
            self.d_slope[:, self.at] = gradient_penalty_grad(slope[:, self.at], self.gamma)
            grad += d.backward_slope(psi, self.d_slope)
        elif self.penalty == "gp":  # gamma/2 mean (|s'(x_hat)| - 1)^2 at x_hat = t x + (1 - t) G(z)
            seen, interp = d.inputs[:, 0], self.d_interp
            hat = interp.inputs[:, 0]
            np.subtract(seen[:, :m], seen[:, m:], out=hat)
            hat *= t
            hat += seen[:, m:]
            interp.forward(psi)
            slope = interp.slope(psi)
            grad += interp.backward_slope(psi, gradient_penalty_grad(slope, self.gamma, 1.0))
        return grad, s

    def generator_gradient(
        self, theta: np.ndarray, psi: np.ndarray, z: np.ndarray, u: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Gradient of the generator's loss for ``theta``, (E, P_g), and the logits (E, m').

        ``u`` (E, m'): the instance noise's standard normal draws for the generated samples.
        """
        d = self.d_fake
        self.g.inputs[:, 0] = z
        self.g.forward(theta, out=d.inputs)  # x = G(z), straight into D's inputs
        if self.noisy:
            _instance_noise(d.inputs[:, 0], self.noise, u, generated=True)
        s = d.forward(psi)  # (E, m')
        d_s = self.d_s_fake
        if self.wasserstein:  # d/ds [-mean s] = -1/m'
            d_s[...] = 1.0
        elif self.loss_sign is not None:  # each member its own: -sigma(sign * s)
            np.multiply(s, self.loss_sign, out=d_s)
            expit(d_s, out=d_s)
        elif self.minimax:  # d/ds log(1 - D) = -sigma(s)
            expit(s, out=d_s)
        else:  # d/ds [-log D] = -sigma(-s)
            np.negative(s, out=d_s)
            expit(d_s, out=d_s)
        d_s *= self.g_scale
        return self.g.backward(theta, d.backward_input(psi, d_s)), s


def _instance_noise(x: np.ndarray, noise: float | np.ndarray, u: np.ndarray, *, generated: bool) -> None:
    """Instance noise, in place: the discriminator sees ``x + noise * u``, data and generated samples alike."""
    x += rounded(noise, u) * u


def _member_column(value: float | np.ndarray) -> float | np.ndarray:
    """A setting shared by the members (a float) or one per member, as an (E, 1) float64 column."""
    if isinstance(value, np.ndarray):
        return value.astype(np.float64).reshape(-1, 1)
    return float(value)


def _loss_sign(losses: Sequence[str], dtype: type) -> np.ndarray:
    """The sign of each member in the generator's logit gradient -sigma(sign * s)/m': +1 for the
    minimax loss, -1 for the non-saturating one; an (E, 1) column (a product by +-1 is exact)."""
    return np.array([1.0 if generator_loss_name(x) == "minimax" else -1.0 for x in losses], dtype=dtype)[:, None]


def _generator_losses(s_fake: np.ndarray, loss: str | np.ndarray) -> np.ndarray:
    """:func:`~gantheory.gan.losses.generator_loss` of each member, with its own loss (a name, or
    one name per member)."""
    if isinstance(loss, str):
        return generator_loss(s_fake, loss)
    minimax = np.array([generator_loss_name(x) == "minimax" for x in loss])
    return np.where(minimax, generator_loss(s_fake, "minimax"), generator_loss(s_fake, "non-saturating"))


def discriminator_gradient(
    generator: Model,
    discriminator: Model,
    theta: np.ndarray,
    psi: np.ndarray,
    x_real: np.ndarray,
    z: np.ndarray,
    *,
    loss: str = "non-saturating",
    penalty: str | None = None,
    gamma: float | npt.ArrayLike = 0.0,
    noise: float | npt.ArrayLike = 0.0,
    u: np.ndarray | None = None,
    t: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The discriminator's gradient on one minibatch: the inner step of Algorithm 1.

    Gradient with respect to ``psi`` of
    :math:`L_D = -\\frac1m \\sum_i \\log D(x_i) - \\frac1{m'} \\sum_i \\log(1 - D(G(z_i)))`,
    minus the objective of eq. (3) (for ``loss="wgan"`` the critic's loss
    :math:`\\frac1{m'}\\sum_i s(G(z_i)) - \\frac1m \\sum_i s(x_i)`), plus the gradient penalty, through
    the code that :func:`train` runs.

    Parameters
    ----------
    generator, discriminator : Model
        From :data:`gantheory.gan.models.GENERATORS` and ``DISCRIMINATORS``.
    theta : ndarray, shape (E, P_g)
    psi : ndarray, shape (E, P_d)
    x_real : ndarray, shape (E, m)
        Data samples.
    z : ndarray, shape (E, m')
        Noise samples.
    loss : {"non-saturating", "minimax", "saturating", "wgan"}
        Only "wgan" changes the discriminator's loss.
    penalty : {None, "r1", "r2", "gp"}
    gamma : float or array_like, shape (E,)
        The penalty's weight: :math:`\\frac\\gamma2 \\frac1m\\sum_i s'(x_i)^2` at the data (r1), at
        the generated samples (r2), or :math:`\\frac\\gamma2 \\frac1m\\sum_i (|s'(\\hat x_i)| - 1)^2` at
        :math:`\\hat x_i = t_i x_i + (1 - t_i) G(z_i)` (gp; needs m = m').
    noise : float or array_like, shape (E,)
        Instance noise :math:`\\epsilon`: the discriminator sees :math:`x + \\epsilon u`.
    u : ndarray, shape (E, m + m'), optional
        Standard normal draws of the instance noise, for the data then the generated samples.
    t : ndarray, shape (E, m), optional
        Interpolation weights of the gp penalty.

    Returns
    -------
    grad : ndarray, shape (E, P_d)
    s : ndarray, shape (E, m + m')
        The logits on ``x_real`` then on ``G(z)`` (with the noise added, if any).

    Notes
    -----
    Real and generated samples go through the discriminator as one batch. With :math:`y = 1` on
    real and 0 on generated samples, :math:`\\partial L_D / \\partial s_i = (\\sigma(s_i) - y_i)/m`,
    computed as :math:`\\mp\\sigma(\\mp s_i)/m` so that confidently classified samples keep their
    exact, tiny gradient. A penalty's gradient in ``psi`` is the mixed second derivative
    :math:`\\partial^2 s/\\partial x\\,\\partial\\psi` (``backward_slope`` of the model) weighted by
    :func:`~gantheory.gan.losses.gradient_penalty_grad`.
    """
    e = theta.shape[0]
    noise, gamma = _member_values(noise, "noise", e), _member_values(gamma, "gamma", e)
    _need(u, "u", (e, x_real.shape[1] + z.shape[1]), noise is not None, "`noise` > 0")
    _need(t, "t", x_real.shape, penalty == "gp", "the gp penalty")
    stepper = Stepper(generator, discriminator, e, x_real.shape[1], z.shape[1], theta.shape[1], psi.shape[1],
                      theta.dtype, loss, penalty, 0.0 if gamma is None else gamma, 0.0 if noise is None else noise)
    grad, s = stepper.discriminator_gradient(theta, psi, x_real, z, u, t)
    return grad.copy(), s.copy()


def generator_gradient(
    generator: Model,
    discriminator: Model,
    theta: np.ndarray,
    psi: np.ndarray,
    z: np.ndarray,
    loss: str = "non-saturating",
    *,
    noise: float | npt.ArrayLike = 0.0,
    u: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The generator's gradient on one minibatch: the outer step of Algorithm 1.

    Gradient with respect to ``theta`` of :func:`gantheory.gan.losses.generator_loss` on
    :math:`s(G_\\theta(z) + \\epsilon u)`, back-propagated through the (fixed) discriminator into the
    generator, through the code that :func:`train` runs.

    Parameters
    ----------
    generator, discriminator : Model
    theta : ndarray, shape (E, P_g)
    psi : ndarray, shape (E, P_d)
    z : ndarray, shape (E, m)
    loss : {"non-saturating", "minimax", "saturating", "wgan"}
    noise : float or array_like, shape (E,)
        Instance noise :math:`\\epsilon`.
    u : ndarray, shape (E, m), optional
        Its standard normal draws.

    Returns
    -------
    grad : ndarray, shape (E, P_g)
    s : ndarray, shape (E, m)
        The logits on the generated samples.
    """
    e, m = z.shape
    noise = _member_values(noise, "noise", e)
    _need(u, "u", (e, m), noise is not None, "`noise` > 0")
    stepper = Stepper(generator, discriminator, e, m, m, theta.shape[1], psi.shape[1], theta.dtype, loss,
                      noise=0.0 if noise is None else noise)
    grad, s = stepper.generator_gradient(theta, psi, z, u)
    return grad.copy(), s.copy()


def _member_values(value: Any, name: str, e: int) -> float | np.ndarray | None:
    """A weight given as one number or one per member, shape (E,), checked >= 0; None if 0 for all."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        arr = np.array(np.nan)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape != (e,)) or not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"`{name}` must be a number >= 0, or one per member (shape ({e},)); got {_show(value)}.")
    if not arr.any():
        return None
    return float(arr) if arr.ndim == 0 else arr


def _need(array: Any, name: str, shape: tuple, needed: bool, why: str) -> None:
    if needed and (array is None or np.shape(array) != shape):
        raise ValueError(f"`{name}` must be an array of shape {shape} with {why}, got {_show(array)}.")


# ------------------------------------------------------------------------ results


@dataclass(frozen=True)
class History:
    """What :func:`train` logged, one row per logged iteration and one column per member.

    Row ``r`` describes the state after ``step[r]`` completed iterations: the generator's
    divergence from the data in that state, and the losses, mean D and gradient norms of the
    next iteration (on its minibatches, before its updates; the discriminator's of its last
    of k steps).

    Attributes
    ----------
    step : ndarray of int, shape (n_logged,)
    d_loss : ndarray, shape (n_logged, E)
        Minus the objective of eq. (3) on the minibatch (log 4 at the equilibrium).
    g_loss : ndarray, shape (n_logged, E)
        The generator's loss (:func:`gantheory.gan.losses.generator_loss`).
    d_real, d_fake : ndarray, shape (n_logged, E)
        Mean D(x) on the data samples and mean D(G(z)) on the generated ones.
    d_grad_norm, g_grad_norm : ndarray, shape (n_logged, E)
        Euclidean norms of the two gradients.
    js : ndarray, shape (n_logged, E), or None
        Exact JS(p_g || p_data) in nats, by quadrature: for the affine generator only.
    js_estimate : ndarray, shape (n_logged, E), or None
        For the MLP generator: an *estimate* (:func:`gantheory.gan.metrics.histogram_js`) from
        ``js_samples`` generated samples per member.

    Entries after the iteration at which a member diverged are NaN.
    """

    step: np.ndarray
    d_loss: np.ndarray
    g_loss: np.ndarray
    d_real: np.ndarray
    d_fake: np.ndarray
    d_grad_norm: np.ndarray
    g_grad_norm: np.ndarray
    js: np.ndarray | None = None
    js_estimate: np.ndarray | None = None

    _FIELDS = ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm")


@dataclass
class TrainState:
    """What a run needs beyond its parameters to go on exactly: see :func:`train`'s ``resume``.

    Attributes
    ----------
    step : int
        Iterations completed.
    g_opt, d_opt : list of ndarray, shaped like ``theta`` (E, P_g) and ``psi`` (E, P_d)
        The optimizers' state: SGD's velocity, or Adam's two moment estimates.
    rng : ndarray of uint64, shape (E, 6)
        Each member's PCG64 generator at the start of the block of :data:`BLOCK` iterations that
        holds iteration ``step`` (state, high and low words; increment, high and low words;
        ``has_uint32``; ``uinteger``). Resuming draws that block again and skips the iterations
        already done, so a run may stop at any iteration, on a block boundary or not.
    """

    step: int
    g_opt: list
    d_opt: list
    rng: np.ndarray


@dataclass
class TrainResult:
    """The outcome of :func:`train`: final parameters, the history, and divergence flags.

    Attributes
    ----------
    theta : ndarray, shape (E, P_g)
        Final generator parameters (see :mod:`gantheory.gan.models` for the layout).
    psi : ndarray, shape (E, P_d)
        Final discriminator parameters.
    history : History
    diverged : ndarray of bool, shape (E,)
        Members whose parameters became NaN or infinite; they are frozen at their last finite
        parameters.
    diverged_step : ndarray of int, shape (E,)
        The iteration (0-based) in which each member diverged, -1 if it did not.
    theta_log : ndarray, shape (n_logged, E, P_g)
        Generator parameters at the logged iterations (``history.step``).
    generator, discriminator : Model
    target : frozen scipy.stats distribution or Mixture
    config : Config
        The settings of the run.
    state : TrainState
        The optimizers and each member's random generator, to continue the run.
    """

    theta: np.ndarray
    psi: np.ndarray
    history: History
    diverged: np.ndarray
    diverged_step: np.ndarray
    theta_log: np.ndarray
    generator: Model
    discriminator: Model
    target: Density
    config: Config
    state: TrainState

    @property
    def ensemble(self) -> int:
        """Number of members E."""
        return self.theta.shape[0]

    def generator_params(self) -> dict:
        """The generator's named parameters, each shaped (E, ...)."""
        return self.generator.unpack(self.theta)

    def discriminator_params(self) -> dict:
        """The discriminator's named parameters, each shaped (E, ...)."""
        return self.discriminator.unpack(self.psi)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` samples from each member's generator, shape (E, n).

        Parameters
        ----------
        n : int
        rng : numpy.random.Generator
            Noise for all members is drawn at once, shape (E, n): members never share noise.
        """
        n = check_int(n, "n", minimum=1)
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"`rng` must be a numpy.random.Generator, got {_show(rng)}.")
        z = rng.standard_normal((self.ensemble, n)).astype(self.theta.dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # a member near divergence: inf, flagged
            return self.generator.forward(self.theta, z)[0]

    def logit(self, x: npt.ArrayLike) -> np.ndarray:
        """Each member's discriminator logit at the points ``x`` (shape (n,)), shape (E, n)."""
        points = np.asarray(x, dtype=self.psi.dtype).reshape(1, -1)
        return self.discriminator.forward(self.psi, np.repeat(points, self.ensemble, axis=0))[0]

    def d(self, x: npt.ArrayLike) -> np.ndarray:
        """Each member's D(x) = expit(logit) at the points ``x`` (shape (n,)), shape (E, n)."""
        return expit(self.logit(x))

    def js(self) -> np.ndarray:
        """Exact JS(p_g || p_data) of each member's final generator, shape (E,): affine only."""
        if self.generator.name != "affine":
            raise ValueError(
                "the exact JS needs the affine generator (p_g Gaussian); use js_estimate() for "
                f"the {self.generator.name!r} generator."
            )
        return gaussian_js(self.theta[:, 0], self.theta[:, 1], self.target)

    def js_estimate(self, n: int = 20_000, seed: int = 0, bins: int = 100) -> np.ndarray:
        """Histogram estimate of JS(p_g || p_data) of each final generator from n samples, (E,)."""
        samples = self.sample(n, np.random.default_rng(seed))
        return histogram_js(samples, self.target, bins=bins)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the whole run to a NumPy ``.npz`` file, atomically; :func:`load` reads it back.

        The file holds the history (``step`` and one ``(n_logged, E)`` array per logged quantity,
        ``js`` or ``js_estimate``), the final parameters ``theta`` and ``psi``, ``theta_log``,
        ``diverged_step``, the optimizers' state (``g_opt_0``, ``d_opt_0``, ...), each member's
        generator (``rng``, see :class:`TrainState`), ``config`` as JSON and ``target`` written as
        in code. Any NumPy reads it (``numpy.load``); nothing in it is pickled.
        """
        arrays = {name: value for name, value in vars(self.history).items() if value is not None}
        arrays.update(theta=self.theta, psi=self.psi, theta_log=self.theta_log, diverged_step=self.diverged_step,
                      rng=self.state.rng, step_done=np.array(self.state.step),
                      config=np.array(self.config.to_json()), target=np.array(describe(self.target)),
                      format=np.array(_FORMAT))
        for player, state in (("g", self.state.g_opt), ("d", self.state.d_opt)):
            arrays.update({f"{player}_opt_{i}": a for i, a in enumerate(state)})
        return atomic_write(path, lambda stream: np.savez_compressed(stream, **arrays))


_FORMAT = "gantheory.gan.TrainResult 1"


def load(path: str | os.PathLike, target: Density | None = None) -> TrainResult:
    """Read a run written by :meth:`TrainResult.save`, ready to be continued with ``resume=``.

    Parameters
    ----------
    path : path-like
    target : frozen scipy.stats distribution or Mixture, optional
        The target, if it is not one that the saved text (:func:`gantheory.describe`) rebuilds,
        such as a distribution subclassed in code; it must print as the saved one does.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from scipy import stats
    >>> run = train(stats.norm(4, 1.25), steps=100, ensemble=2)
    >>> again = load(run.save(pathlib.Path(tempfile.mkdtemp()) / "run.npz"))
    >>> again.config == run.config and bool((again.theta == run.theta).all())
    True
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise ValueError(f"cannot read a saved gan run from {path}: {error}.") from None
    if str(arrays.get("format", "")) != _FORMAT:
        raise ValueError(f"{path} is not a run saved by gantheory's TrainResult.save.")
    config = Config.from_json(str(arrays["config"]))
    saved = str(arrays["target"])
    if target is None:
        target = parse_density(saved, "target")
    elif describe(check_distribution(target, "target")) != saved:
        raise ValueError(f"`target` must be the saved target {saved}, got {describe(target)}.")
    history = History(**{name: arrays.get(name) for name in ("step", "js", "js_estimate", *History._FIELDS)})
    state = TrainState(
        step=int(arrays["step_done"]),
        g_opt=[arrays[f"g_opt_{i}"] for i in range(_count(arrays, "g_opt_"))],
        d_opt=[arrays[f"d_opt_{i}"] for i in range(_count(arrays, "d_opt_"))],
        rng=arrays["rng"],
    )
    diverged_step = arrays["diverged_step"]
    return TrainResult(
        theta=arrays["theta"], psi=arrays["psi"], history=history, diverged=diverged_step >= 0,
        diverged_step=diverged_step, theta_log=arrays["theta_log"], generator=GENERATORS[config.generator],
        discriminator=DISCRIMINATORS[config.discriminator], target=target, config=config, state=state,
    )


def _count(arrays: dict, prefix: str) -> int:
    return sum(name.startswith(prefix) for name in arrays)


# ------------------------------------------------------------------------ progress


class _Progress:
    """A tqdm bar over GAN-iterations (members x iterations), safe to advance from many threads.

    ``enabled=None`` follows tqdm's conventions: shown only on a terminal (``TQDM_DISABLE=1``
    hides it), and only once the run has lasted a second.
    """

    def __init__(self, total: int, enabled: bool | None, desc: str) -> None:
        from tqdm.auto import tqdm

        options: dict[str, Any] = {}
        if enabled is not None or "TQDM_DISABLE" not in os.environ:
            options["disable"] = None if enabled is None else not enabled
        self.bar = tqdm(total=total, desc=desc, unit="it", unit_scale=True, delay=1.0, leave=False, **options)
        self.lock = threading.Lock()

    def advance(self, n: int) -> None:
        with self.lock:
            self.bar.update(n)

    def close(self) -> None:
        self.bar.close()


# ------------------------------------------------------------------------ the training loop


class _Stopped(Exception):
    """Raised in a worker thread that finds the run's stop event set."""


@dataclass
class _Run:
    """One call of :func:`train` or :func:`train_together`: the configs, the objects they name, the
    members' parts, and the shared output arrays (members of all parts along one axis)."""

    configs: list  # one Config per part
    part_of: np.ndarray  # (E,): the part of each member
    target: Density
    generator: Model
    discriminator: Model
    optimizer: Any
    dtype: type
    log_row: dict  # iteration -> row
    hist: dict  # name -> (n_logged, E)
    theta_log: np.ndarray  # (n_logged, E, P_g)
    progress: _Progress
    stop: threading.Event

    @property
    def config(self) -> Config:
        """The first part's config: the settings all parts share are read from it."""
        return self.configs[0]

    @classmethod
    def start(cls, configs: list, target: Density, hist: dict, theta_log: np.ndarray, progress: _Progress) -> _Run:
        config = configs[0]
        return cls(
            configs=configs, part_of=np.repeat(np.arange(len(configs)), [c.ensemble for c in configs]),
            target=target, generator=GENERATORS[config.generator], discriminator=DISCRIMINATORS[config.discriminator],
            optimizer=OPTIMIZERS[config.optimizer], dtype=config.float_type,
            log_row={int(t): r for r, t in enumerate(config.log_steps)}, hist=hist, theta_log=theta_log,
            progress=progress, stop=threading.Event(),
        )

    def member_values(self, members: slice, value: Callable[[Config], Any]) -> list:
        """``value(config)`` for each member of ``members``."""
        parts = self.part_of[members]
        first = int(parts[0])
        values = [value(c) for c in self.configs[first:int(parts[-1]) + 1]]
        return [values[p - first] for p in parts.tolist()]

    def per_member(self, members: slice, value: Callable[[Config], float]) -> float | np.ndarray:
        """A per-member number of the chunk ``members``: a float if its members share it (the
        single-config run's arithmetic, unchanged), else an (C, 1) float64 column."""
        parts = self.part_of[members]
        if parts[0] == parts[-1]:  # one part: no list to build
            return value(self.configs[parts[0]])
        return column(self.member_values(members, value))

    def hyper(self, members: slice) -> dict:
        """The optimizer's hyperparameters for the chunk ``members``."""
        return {"lr": self.per_member(members, lambda c: c.lr),
                "momentum": self.per_member(members, lambda c: c.momentum),
                "beta1": self.per_member(members, lambda c: c.betas[0]),
                "beta2": self.per_member(members, lambda c: c.betas[1])}

    def loss(self, members: slice) -> str | list:
        """The generator loss of the chunk ``members``: a name, or one name per member."""
        names = self.member_values(members, lambda c: generator_loss_name(c.loss))
        return names[0] if len(set(names)) == 1 else names


def _draw_block(run: _Run, rngs: Sequence[np.random.Generator], n: int) -> _Block:
    """Data and noise for the BLOCK iterations of a block, of which the first ``n`` will run.

    Each member draws, in this fixed order, its data for the whole block, its discriminator noise
    for the whole block, with instance noise its standard normal shifts for the whole block (the
    discriminator steps' data then generated samples, then the generator steps' samples), with the
    gp penalty its interpolation weights for the whole block, then its generator noise; the
    generator noise of iterations past ``n`` (the end of the run) comes last, so it is not drawn:
    the rest of the stream is unchanged. A run without instance noise or gp draws exactly what it
    drew before these options existed.
    """
    config = run.config
    c, k, m = len(rngs), config.k, config.batch_size
    noisy, gp = config.noise > 0, config.penalty == "gp"
    data = np.empty((c, BLOCK, k, m))
    z_d = np.empty((c, BLOCK, k, m))
    z_g = np.empty((c, n, m))
    u_d = np.empty((c, BLOCK, k, 2 * m)) if noisy else None
    u_g = np.empty((c, BLOCK, m)) if noisy else None
    t = np.empty((c, BLOCK, k, m)) if gp else None
    for i, rng in enumerate(rngs):
        data[i] = np.asarray(run.target.rvs(size=(BLOCK, k, m), random_state=rng), dtype=np.float64)
        rng.standard_normal(out=z_d[i])
        if noisy:
            rng.standard_normal(out=u_d[i])
            rng.standard_normal(out=u_g[i])
        if gp:
            rng.random(out=t[i])
        rng.standard_normal(out=z_g[i])
    arrays = [data, z_d, z_g, u_d, u_g, t]
    if run.dtype is not np.float64:
        arrays = [None if a is None else a.astype(run.dtype) for a in arrays]
    return _Block(*arrays)


@dataclass
class _Block:
    """A block's draws, each (C, BLOCK, ...) except ``z_g`` (C, n, m): see :func:`_draw_block`."""

    data: np.ndarray  # (C, BLOCK, k, m)
    z_d: np.ndarray  # (C, BLOCK, k, m)
    z_g: np.ndarray  # (C, n, m)
    u_d: np.ndarray | None = None  # (C, BLOCK, k, 2m): instance noise of the discriminator's steps
    u_g: np.ndarray | None = None  # (C, BLOCK, m): instance noise of the generator's steps
    t: np.ndarray | None = None  # (C, BLOCK, k, m): the gp penalty's interpolation weights


def _finite_rows(*arrays: np.ndarray) -> np.ndarray:
    ok = np.isfinite(arrays[0]).all(axis=1)
    for a in arrays[1:]:
        ok &= np.isfinite(a).all(axis=1)
    return ok


_MASK64 = (1 << 64) - 1


def _rng_words(rng: np.random.Generator) -> list[int]:
    """A PCG64 generator's position as six 64-bit words (see :class:`TrainState`)."""
    s = rng.bit_generator.state
    state, inc = s["state"]["state"], s["state"]["inc"]
    return [state >> 64, state & _MASK64, inc >> 64, inc & _MASK64, s["has_uint32"], s["uinteger"]]


def _rng_from_words(words: np.ndarray) -> np.random.Generator:
    bits = np.random.PCG64(0)
    w = [int(v) for v in words]
    bits.state = {"bit_generator": "PCG64", "state": {"state": (w[0] << 64) | w[1], "inc": (w[2] << 64) | w[3]},
                  "has_uint32": w[4], "uinteger": w[5]}
    return np.random.Generator(bits)


@dataclass
class _Chunk:
    """The members of one chunk and their state, read and written in place by :func:`_train_chunk`."""

    members: slice
    theta: np.ndarray
    psi: np.ndarray
    g_opt: list
    d_opt: list
    rngs: list
    diverged_step: np.ndarray
    rng_words: np.ndarray  # (C, 6): each generator at the start of the block holding the last step


def _train_chunk(run: _Run, chunk: _Chunk, start: int) -> None:
    """Train the members of one chunk from iteration ``start`` to ``config.steps``, in place.

    ``run.config`` holds the settings all members share; the per-member ones are read once here,
    through ``run.hyper``, ``run.loss`` and ``run.per_member`` (see the module's docstring).
    """
    config = run.config
    gen, disc, k, steps = run.generator, run.discriminator, config.k, config.steps
    theta, psi, d_opt, g_opt, rngs = chunk.theta, chunk.psi, chunk.d_opt, chunk.g_opt, chunk.rngs
    members, diverged_step = chunk.members, chunk.diverged_step
    opt_step, hyper, loss = run.optimizer.step, run.hyper(members), run.loss(members)
    train_d, train_g = config.freeze != "discriminator", config.freeze != "generator"
    log_row, hist, theta_log = run.log_row, run.hist, run.theta_log
    c = theta.shape[0]
    gamma, noise = run.per_member(members, lambda c: c.gamma), run.per_member(members, lambda c: c.noise)
    stepper = Stepper(gen, disc, c, config.batch_size, config.batch_size, theta.shape[1], psi.shape[1], run.dtype,
                      loss, config.penalty, gamma, noise)
    d_gradient, g_gradient = stepper.discriminator_gradient, stepper.generator_gradient
    clip = config.clip
    d_loss = critic_loss if stepper.wasserstein else discriminator_loss
    frozen = diverged_step >= 0
    frozen_theta, frozen_psi = theta.copy(), psi.copy()
    last_block = steps - steps % BLOCK  # the block that holds iteration `steps`: where a resume starts

    def iterate(t: int, block: _Block, j: int) -> None:
        row = log_row.get(t)
        if row is not None:
            theta_log[row, members] = theta
        grad_d = s_d = None
        for kk in range(k):
            if train_d or (row is not None and kk == k - 1):
                grad_d, s_d = d_gradient(theta, psi, block.data[:, j, kk], block.z_d[:, j, kk],
                                         None if block.u_d is None else block.u_d[:, j, kk],
                                         None if block.t is None else block.t[:, j, kk])
            if train_d:
                opt_step(psi, grad_d, d_opt, t * k + kk + 1, **hyper)
                if clip is not None:  # WGAN's weight clipping, after every discriminator step
                    np.clip(psi, -clip, clip, out=psi)
        if train_g or row is not None:
            grad_g, s_g = g_gradient(theta, psi, block.z_g[:, j], None if block.u_g is None else block.u_g[:, j])
            if train_g:
                opt_step(theta, grad_g, g_opt, t + 1, **hyper)
        if row is not None:
            m = config.batch_size
            hist["d_loss"][row, members] = d_loss(s_d[:, :m], s_d[:, m:])
            hist["d_real"][row, members] = expit(s_d[:, :m]).mean(axis=1)
            hist["d_fake"][row, members] = expit(s_d[:, m:]).mean(axis=1)
            hist["d_grad_norm"][row, members] = np.sqrt(np.square(grad_d).sum(axis=1))
            hist["g_loss"][row, members] = _generator_losses(s_g, loss)
            hist["g_grad_norm"][row, members] = np.sqrt(np.square(grad_g).sum(axis=1))

    first_block = start - start % BLOCK
    # The parameters and optimizer states at the start of each block, for a replay: allocated once.
    live = [theta, psi, *d_opt, *g_opt]
    snapshot = [np.empty_like(a) for a in live]
    for t0 in range(first_block, steps, BLOCK):
        if run.stop.is_set():
            raise _Stopped
        if t0 == last_block:
            chunk.rng_words[...] = [_rng_words(rng) for rng in rngs]
        n_block = min(BLOCK, steps - t0)
        block = _draw_block(run, rngs, n_block)
        j0 = max(start - t0, 0)  # a resumed run skips the iterations it has done
        for a, b in zip(snapshot, live):
            np.copyto(a, b)
        held = frozen[:, None] if frozen.any() else None  # the frozen members' rows, put back after each iteration
        for j in range(j0, n_block):
            iterate(t0 + j, block, j)
            if held is not None:
                np.copyto(theta, frozen_theta, where=held)
                np.copyto(psi, frozen_psi, where=held)
        if not _finite_rows(theta, psi)[~frozen].all():
            # A member diverged in this block: replay it from the snapshot, checking every
            # iteration, and freeze each newly diverged member at its last finite parameters.
            for a, b in zip(live, snapshot):
                np.copyto(a, b)
            for j in range(j0, n_block):
                before_theta, before_psi = theta.copy(), psi.copy()
                iterate(t0 + j, block, j)
                bad = ~_finite_rows(theta, psi) & ~frozen
                if bad.any():
                    frozen_theta[bad], frozen_psi[bad] = before_theta[bad], before_psi[bad]
                    frozen |= bad
                    diverged_step[bad] = t0 + j
                if frozen.any():
                    theta[frozen], psi[frozen] = frozen_theta[frozen], frozen_psi[frozen]
        run.progress.advance((n_block - j0) * c)
    if steps % BLOCK == 0:  # the run ends on a block boundary: the next block starts here
        chunk.rng_words[...] = [_rng_words(rng) for rng in rngs]


def _as_initial(value: npt.ArrayLike | None, name: str, e: int, size: int, dtype: type) -> np.ndarray | None:
    if value is None:
        return None
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be an array of real numbers, got {_show(value)}.") from None
    if arr.shape not in ((size,), (e, size)):
        raise ValueError(f"`{name}` must have shape ({size},) or ({e}, {size}), got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"`{name}` must be finite, got {_show(value)}.")
    return np.broadcast_to(arr, (e, size)).astype(dtype)


def _default_chunk(config: Config) -> int:
    """About 4 MiB of scratch per chunk: the L2 caches and part of the L3."""
    itemsize = np.dtype(config.float_type).itemsize
    m = config.batch_size
    mlp = "mlp" in (config.generator, config.discriminator)
    per_member = itemsize * (config.hidden + 2) * 2 * m * 4 if mlp else 8 * itemsize * m
    return int(np.clip((4 << 20) // per_member, 1, 4096))


def _check_resume(resume: Any, config: Config, target: Density) -> TrainResult:
    if not isinstance(resume, TrainResult):
        raise TypeError(f"`resume` must be a TrainResult (from train or gan.load), got {_show(resume)}.")
    done = resume.state.step
    if config.replace(steps=done) != resume.config.replace(steps=done):
        old, new = resume.config.to_dict(), config.to_dict()
        changed = [name for name in Config.names() if name != "steps" and old[name] != new[name]]
        raise ValueError(
            f"`resume` must be a run of the same settings except `steps`; {changed[0]!r} differs: "
            f"{old[changed[0]]!r} in the run, {new[changed[0]]!r} now."
        )
    if config.steps < done:
        raise ValueError(f"`steps` must be at least the {done} iterations the resumed run has done, got {config.steps}.")
    if describe(target) != describe(resume.target):
        raise ValueError(f"`resume` trained on {describe(resume.target)}, not on the target {describe(target)}.")
    missing = [int(t) for t in config.log_steps if t < done and t not in set(resume.history.step.tolist())]
    if missing:
        raise ValueError(
            f"the resumed run did not log iteration {missing[0]}, which a run of {config.steps} iterations "
            f"logs every {config.logging_interval}; give both runs the same explicit `log_every`."
        )
    return resume


def train(
    target: Density,
    config: Config | None = None,
    /,
    *,
    resume: TrainResult | None = None,
    theta0: npt.ArrayLike | None = None,
    psi0: npt.ArrayLike | None = None,
    chunk: int | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    stop: threading.Event | None = None,
    **settings: Any,
) -> TrainResult:
    """Train an ensemble of GANs on a one-dimensional target with Algorithm 1 (Goodfellow et al.).

    For each of ``steps`` iterations: ``k`` times, draw ``batch_size`` data points and as many
    noise points and descend the discriminator's loss (minus the objective of eq. 3); then draw
    ``batch_size`` fresh noise points and descend the generator's loss.

    Parameters
    ----------
    target : frozen scipy.stats continuous distribution or Mixture
        :math:`p_{data}`, sampled with its ``rvs``.
    config : Config, optional
        The settings (models, loss, optimizer, iterations, members, seed, logging); see
        :class:`~gantheory.gan.config.Config` for each field and its default.
    **settings
        Fields of :class:`~gantheory.gan.config.Config` given by name, instead of or on top of
        ``config``: ``train(target, steps=2000, lr=0.01)`` is ``train(target, Config(steps=2000,
        lr=0.01))``. With the defaults (SGD, momentum 0.9, k = 1, m = 128, lr = 0.005, 10 000
        iterations) the affine generator reaches N(4, 1.25^2) from N(0, 1) with a final JS below
        1e-3 nats in 64 seeds out of 64, along a damped oscillation of sigma.
    resume : TrainResult, optional
        A run to continue (from :func:`train` or :func:`load`), with the same settings except
        ``steps``, which must be at least the iterations it has done. The result is, bit for bit,
        what one run of ``steps`` iterations would have given, its history included (the
        resumed run must have logged every iteration the longer run logs before its end: give
        both the same explicit ``log_every``).
    theta0, psi0 : array_like, shape (P,) or (E, P), optional
        Initial parameters instead of the default initialization (the random draws of the
        default are made anyway, so the data and noise do not change).
    chunk : int, optional
        Members trained together; default: as many as keep the working set in the CPU's
        caches. Results do not depend on it.
    workers : int, optional
        Threads training chunks in parallel (NumPy releases the GIL in its loops); default: one
        per CPU core, at most one per chunk. Results do not depend on it.
    progress : bool, optional
        Show a progress bar (tqdm); default: only on a terminal, once a run has lasted a second,
        and not if the environment sets ``TQDM_DISABLE``.
    stop : threading.Event, optional
        Set from another thread to stop the run as Ctrl-C does (a sweep stops its shards so).

    Returns
    -------
    TrainResult
        Final parameters ``theta`` (E, P_g) and ``psi`` (E, P_d), ``history`` (arrays shaped
        (n_logged, E)), ``sample(n, rng)`` -> (E, n), the divergence flags, the ``config`` and the
        ``state`` to continue from.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C, or when ``stop`` is set: every worker thread stops at its next block of
        iterations (within a fraction of a second) and nothing is returned or written.

    Notes
    -----
    A member whose parameters become NaN or infinite is frozen at its last finite parameters
    and flagged in ``diverged`` with the iteration in ``diverged_step``; the others go on, and
    its history is kept up to that iteration. Overflow on the way there is expected and silent.

    Examples
    --------
    The affine generator learns N(4, 1.25^2) from N(0, 1):

    >>> from scipy import stats
    >>> result = train(stats.norm(4, 1.25), seed=0)
    >>> mu, sigma = result.theta[0]
    >>> bool(abs(mu - 4) < 0.3 and abs(abs(sigma) - 1.25) < 0.3), bool(result.js()[0] < 0.01)
    (True, True)

    Stopped after 3000 iterations and continued to 10 000, the run is the uninterrupted one:

    >>> part = train(stats.norm(4, 1.25), steps=3000, log_every=100)
    >>> whole = train(stats.norm(4, 1.25), part.config, steps=10_000, resume=part)
    >>> bool((whole.theta == result.theta).all())
    True
    """
    target = check_distribution(target, "target")
    if config is None:
        config = Config()
    elif not isinstance(config, Config):
        raise TypeError(f"`config` must be a gan.Config, got {_show(config)}.")
    if settings:
        config = config.replace(**settings)
    if resume is not None:
        resume = _check_resume(resume, config, target)
    if resume is not None and (theta0 is not None or psi0 is not None):
        raise ValueError("`theta0` and `psi0` cannot be given with `resume`: the run goes on from its own parameters.")
    gen, disc = GENERATORS[config.generator], DISCRIMINATORS[config.discriminator]
    theta_init = _as_initial(theta0, "theta0", config.ensemble, gen.size(config.hidden), config.float_type)
    psi_init = _as_initial(psi0, "psi0", config.ensemble, disc.size(config.hidden), config.float_type)
    return _train(target, [config], *_check_options(chunk, workers, progress, stop), resume=resume,
                  theta_init=theta_init, psi_init=psi_init)[0]


def train_together(
    target: Density,
    configs: Sequence[Config],
    /,
    *,
    chunk: int | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    stop: threading.Event | None = None,
) -> list[TrainResult]:
    """Train runs whose settings differ only per member as one vectorized ensemble.

    ``train_together(target, configs)[j]`` is, bit for bit, ``train(target, configs[j])``: its
    parameters, history, divergence flags and state. The members of all configs go along one
    ensemble axis, each with its own learning rate, momentum, Adam betas and generator loss (the
    fields that :meth:`~gantheory.gan.config.Config.per_member_fields` lists), so that many small
    runs cost what one large ensemble does. This is how :func:`~gantheory.gan.sweep.sweep` trains
    the cells of a grid.

    Parameters
    ----------
    target : frozen scipy.stats continuous distribution or Mixture
    configs : sequence of Config
        At least one; they must have one :meth:`~gantheory.gan.config.Config.ensemble_key`: equal
        in every field except ``ensemble``, ``seed``, ``first_member`` and the per-member fields.
    chunk, workers, progress, stop
        As in :func:`train`; chunks may hold members of several configs. Results do not depend
        on them.

    Returns
    -------
    list of TrainResult
        One per config, in order.

    Examples
    --------
    Two learning rates and two losses, trained together, are the four runs trained apart:

    >>> from scipy import stats
    >>> base = Config(steps=300, ensemble=3)
    >>> configs = [base.replace(lr=lr, loss=loss) for lr in (0.005, 0.02) for loss in ("minimax", "non-saturating")]
    >>> together = train_together(stats.norm(4, 1.25), configs)
    >>> all((r.theta == train(stats.norm(4, 1.25), c).theta).all() for r, c in zip(together, configs))
    True
    """
    target = check_distribution(target, "target")
    if isinstance(configs, Config) or not isinstance(configs, Sequence) or not configs:
        raise TypeError(f"`configs` must be a non-empty list of gan.Config, got {_show(configs)}.")
    for j, config in enumerate(configs):
        if not isinstance(config, Config):
            raise TypeError(f"`configs[{j}]` must be a gan.Config, got {_show(config)}.")
    key = configs[0].ensemble_key()
    for j, config in enumerate(configs[1:], start=1):
        if config.ensemble_key() != key:
            name, value = next((n, v) for (n, v), mine in zip(key, config.ensemble_key()) if (n, v) != mine)
            per_member = ", ".join(Config.per_member_fields())
            raise ValueError(
                f"`configs` must differ only in ensemble, seed, first_member and the per-member settings "
                f"({per_member}) to train as one ensemble; {name!r} is {value!r} in configs[0], "
                f"{getattr(config, name)!r} in configs[{j}]."
            )
    return _train(target, list(configs), *_check_options(chunk, workers, progress, stop))


def _check_options(chunk: Any, workers: Any, progress: Any, stop: Any) -> tuple:
    if chunk is not None:
        chunk = check_int(chunk, "chunk", minimum=1)
    if workers is not None:
        workers = check_int(workers, "workers", minimum=1)
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"`progress` must be True, False or None, got {_show(progress)}.")
    if stop is not None and not isinstance(stop, threading.Event):
        raise TypeError(f"`stop` must be a threading.Event, got {_show(stop)}.")
    return chunk, workers, progress, stop


def _train(
    target: Density,
    configs: list,
    chunk: int | None,
    workers: int | None,
    progress: bool | None,
    stop: threading.Event | None,
    resume: TrainResult | None = None,
    theta_init: np.ndarray | None = None,
    psi_init: np.ndarray | None = None,
) -> list[TrainResult]:
    """Train the members of ``configs`` (checked: one ensemble key) along one ensemble axis,
    optionally resuming a single config; one result per config."""
    config = configs[0]  # the settings all share
    bounds = np.cumsum([0] + [c.ensemble for c in configs])
    e, float_type = int(bounds[-1]), config.float_type
    gen, disc = GENERATORS[config.generator], DISCRIMINATORS[config.discriminator]
    p_g, p_d = gen.size(config.hidden), disc.size(config.hidden)
    chunk = min(_default_chunk(config) if chunk is None else chunk, e)

    log_steps = config.log_steps
    n_logged = log_steps.size
    hist = {name: np.full((n_logged, e), np.nan) for name in History._FIELDS}
    theta_log = np.full((n_logged, e, p_g), np.nan, dtype=float_type)
    theta = np.empty((e, p_g), float_type)
    psi = np.empty((e, p_d), float_type)
    optimizer = OPTIMIZERS[config.optimizer]
    g_opt, d_opt = optimizer.init(theta), optimizer.init(psi)
    diverged_step = np.full(e, -1)
    rng_words = np.zeros((e, 6), dtype=np.uint64)
    start = 0
    if resume is not None:
        start = resume.state.step
        theta[...], psi[...], diverged_step[...] = resume.theta, resume.psi, resume.diverged_step
        for mine, saved in zip(g_opt + d_opt, resume.state.g_opt + resume.state.d_opt):
            mine[...] = saved
        rng_words[...] = resume.state.rng
        old_row = {int(t): r for r, t in enumerate(resume.history.step)}
        for r, t in enumerate(log_steps):
            if t < start:
                for name in History._FIELDS:
                    hist[name][r] = getattr(resume.history, name)[old_row[t]]
                theta_log[r] = resume.theta_log[old_row[t]]
    progress_bar = _Progress((config.steps - start) * e, progress, "gan.train")
    run = _Run.start(configs, target, hist, theta_log, progress_bar)
    if stop is not None:
        run.stop = stop
    chunks = [slice(a, min(a + chunk, e)) for a in range(0, e, chunk)]
    if workers is None:
        workers = min(os.cpu_count() or 1, len(chunks))

    def work(members: slice) -> None:
        if resume is None:  # each member's generator: initial parameters first, then its blocks
            rngs = [member_rng(c.seed, c.first_member + i) for c, i in zip(*_members(run, members))]
            theta[members] = [gen.init(rng, config.hidden, float_type) for rng in rngs]
            psi[members] = [disc.init(rng, config.hidden, float_type) for rng in rngs]
            if theta_init is not None:
                theta[members] = theta_init[members]
            if psi_init is not None:
                psi[members] = psi_init[members]
        else:
            rngs = [_rng_from_words(words) for words in rng_words[members]]
        part = _Chunk(members, theta[members].copy(), psi[members].copy(), [a[members].copy() for a in g_opt],
                      [a[members].copy() for a in d_opt], rngs, diverged_step[members].copy(), rng_words[members].copy())
        with np.errstate(all="ignore"):  # per thread: a diverging member may overflow; it is detected and frozen
            _train_chunk(run, part, start)
        theta[members], psi[members], diverged_step[members] = part.theta, part.psi, part.diverged_step
        rng_words[members] = part.rng_words
        for whole, mine in zip(g_opt + d_opt, part.g_opt + part.d_opt):
            whole[members] = mine

    try:
        if workers == 1 or len(chunks) == 1:
            for members in chunks:
                work(members)
        else:
            _in_threads(work, chunks, workers, run.stop)
    except _Stopped:
        raise KeyboardInterrupt from None
    finally:
        progress_bar.close()

    diverged = diverged_step >= 0
    after = log_steps[:, None] > diverged_step[None, :]  # rows logged after the divergence
    after &= diverged[None, :]
    for name in History._FIELDS:
        hist[name][after] = np.nan
    js_estimate = None
    if config.track_js and gen.name != "affine":
        js_estimate = _mlp_js_estimate(run)
        js_estimate[after] = np.nan
    results = []
    for config, a, b in zip(configs, bounds[:-1], bounds[1:]):
        if len(configs) == 1:  # the arrays are the run's own: no copies
            own, own_log = (lambda x: x), (lambda x: x)
        else:
            own, own_log = (lambda x, a=a, b=b: x[a:b].copy()), (lambda x, a=a, b=b: x[:, a:b].copy())  # members: axis 0, 1
        js = None
        if config.track_js and gen.name == "affine":
            js = gaussian_js(own_log(theta_log[..., 0]), own_log(theta_log[..., 1]), target)
            js[own_log(after)] = np.nan
        history = History(step=log_steps, js=js, js_estimate=None if js_estimate is None else own_log(js_estimate),
                          **{name: own_log(values) for name, values in hist.items()})
        state = TrainState(step=config.steps, g_opt=[own(x) for x in g_opt], d_opt=[own(x) for x in d_opt],
                           rng=own(rng_words))
        results.append(TrainResult(
            theta=own(theta), psi=own(psi), history=history, diverged=own(diverged),
            diverged_step=own(diverged_step), theta_log=own_log(theta_log), generator=gen, discriminator=disc,
            target=target, config=config, state=state,
        ))
    return results


def _members(run: _Run, members: slice) -> tuple[list, list]:
    """The config of each member of ``members``, and its index in that config's run."""
    configs = run.member_values(members, lambda c: c)
    bounds = np.cumsum([0] + [c.ensemble for c in run.configs])
    index = [m - int(bounds[p]) for m, p in zip(range(members.start, members.stop), run.part_of[members].tolist())]
    return configs, index


def _in_threads(work: Any, chunks: list, workers: int, stop: threading.Event) -> None:
    """Run ``work`` over ``chunks`` on ``workers`` threads; on Ctrl-C (or any error) set ``stop``,
    let every thread end at its next block, and raise the interruption at once."""
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        pending = {pool.submit(work, c) for c in chunks}
        while pending:  # short waits, so that the main thread sees a Ctrl-C at once
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
            for future in done:
                future.result()
    except BaseException:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _mlp_js_estimate(run: _Run) -> np.ndarray:
    """Histogram JS estimate at each logged row, with one fixed noise sample per member."""
    config = run.config
    e = run.part_of.size
    z = np.empty((e, config.js_samples))
    for m, (c, i) in enumerate(zip(*_members(run, slice(0, e)))):
        _evaluation_noise(c.seed, c.first_member + i, z[m])
    z = z.astype(run.dtype)
    out = np.full(run.theta_log.shape[:2], np.nan)
    with np.errstate(all="ignore"):
        for row in range(out.shape[0]):
            x = run.generator.forward(run.theta_log[row], z)[0]
            out[row] = histogram_js(x, run.target)
    return out
