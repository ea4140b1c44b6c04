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
size or the other members, so member i follows the same trajectory trained alone (``ensemble=1,
first_member=i``) or among thousands, and members never share noise.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from gantheory.files import atomic_write
from gantheory.distributions import (
    Density,
    _show,
    check_choice,
    check_distribution,
    check_int,
    check_real,
    describe,
)
from gantheory.gan.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss, generator_loss_name
from gantheory.gan.metrics import gaussian_js, histogram_js
from gantheory.gan.models import DISCRIMINATORS, GENERATORS, Model
from gantheory.gan.optim import OPTIMIZERS

__all__ = [
    "BLOCK",
    "History",
    "Stepper",
    "TrainResult",
    "discriminator_gradient",
    "generator_gradient",
    "member_rng",
    "train",
]

#: Iterations of data and noise drawn at once by each member. A constant, so that a member's
#: random stream is consumed identically whatever the ensemble or chunk size.
BLOCK = 64

_FLOAT_TYPES = {np.dtype(np.float64): np.float64, np.dtype(np.float32): np.float32}


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


# ------------------------------------------------------------------------ the two gradient steps


class Stepper:
    """The two gradients of an iteration of Algorithm 1 for E members, on preallocated kernels.

    One generator kernel (n = m' noise points) serves both steps; one discriminator kernel sees
    the m real and m' generated samples of the discriminator's step as one batch, another the m'
    generated samples of the generator's step. The generator writes its samples straight into
    the discriminator's inputs. Returned arrays live in the kernels until the next call.

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
    loss : {"non-saturating", "minimax", "saturating"}
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
        loss: str = "non-saturating",
    ) -> None:
        self.m_real, self.m_fake = m_real, m_fake
        self.g = generator.kernel(ensemble, m_fake, size_g, dtype)
        self.d_both = discriminator.kernel(ensemble, m_real + m_fake, size_d, dtype)
        self.d_fake = discriminator.kernel(ensemble, m_fake, size_d, dtype)
        self.minimax = generator_loss_name(loss) == "minimax"
        # d L_D / d s = [-sigma(-s_real)/m, sigma(s_fake)/m'] = sign/size * sigma(sign * s)
        self.sign = np.concatenate([-np.ones(m_real), np.ones(m_fake)])[None, :].astype(dtype)
        self.scaled = np.concatenate([-np.ones(m_real) / m_real, np.ones(m_fake) / m_fake])[None, :].astype(dtype)
        self.d_s_both = np.empty((ensemble, m_real + m_fake), dtype)
        self.d_s_fake = np.empty((ensemble, m_fake), dtype)

    def discriminator_gradient(
        self, theta: np.ndarray, psi: np.ndarray, x_real: np.ndarray, z: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Gradient of :math:`L_D` (minus eq. 3) for ``psi``, (E, P_d), and the logits (E, m + m')."""
        m, d = self.m_real, self.d_both
        self.g.inputs[:, 0] = z
        self.g.forward(theta, out=d.inputs[:, :, m:])  # x_fake = G(z), straight into D's inputs
        d.inputs[:, 0, :m] = x_real
        s = d.forward(psi)  # (E, m + m')
        d_s = np.multiply(s, self.sign, out=self.d_s_both)  # [-s_real, s_fake]
        expit(d_s, out=d_s)
        d_s *= self.scaled  # [-sigma(-s_real)/m, sigma(s_fake)/m']
        return d.backward(psi, d_s), s

    def generator_gradient(self, theta: np.ndarray, psi: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gradient of the generator's loss for ``theta``, (E, P_g), and the logits (E, m')."""
        d = self.d_fake
        self.g.inputs[:, 0] = z
        self.g.forward(theta, out=d.inputs)  # x = G(z), straight into D's inputs
        s = d.forward(psi)  # (E, m')
        d_s = self.d_s_fake
        if self.minimax:  # d/ds log(1 - D) = -sigma(s)
            expit(s, out=d_s)
        else:  # d/ds [-log D] = -sigma(-s)
            np.negative(s, out=d_s)
            expit(d_s, out=d_s)
        d_s *= -1.0 / self.m_fake
        return self.g.backward(theta, d.backward_input(psi, d_s)), s


def discriminator_gradient(
    generator: Model,
    discriminator: Model,
    theta: np.ndarray,
    psi: np.ndarray,
    x_real: np.ndarray,
    z: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The discriminator's gradient on one minibatch: the inner step of Algorithm 1.

    Gradient with respect to ``psi`` of
    :math:`L_D = -\\frac1m \\sum_i \\log D(x_i) - \\frac1{m'} \\sum_i \\log(1 - D(G(z_i)))`,
    minus the objective of eq. (3), through the code that :func:`train` runs.

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

    Returns
    -------
    grad : ndarray, shape (E, P_d)
    s : ndarray, shape (E, m + m')
        The logits on ``x_real`` then on ``G(z)``.

    Notes
    -----
    Real and generated samples go through the discriminator as one batch. With :math:`y = 1` on
    real and 0 on generated samples, :math:`\\partial L_D / \\partial s_i = (\\sigma(s_i) - y_i)/m`,
    computed as :math:`\\mp\\sigma(\\mp s_i)/m` so that confidently classified samples keep their
    exact, tiny gradient.
    """
    e = theta.shape[0]
    stepper = Stepper(generator, discriminator, e, x_real.shape[1], z.shape[1], theta.shape[1], psi.shape[1], theta.dtype)
    grad, s = stepper.discriminator_gradient(theta, psi, x_real, z)
    return grad.copy(), s.copy()


def generator_gradient(
    generator: Model,
    discriminator: Model,
    theta: np.ndarray,
    psi: np.ndarray,
    z: np.ndarray,
    loss: str = "non-saturating",
) -> tuple[np.ndarray, np.ndarray]:
    """The generator's gradient on one minibatch: the outer step of Algorithm 1.

    Gradient with respect to ``theta`` of :func:`gantheory.gan.losses.generator_loss` on
    :math:`s(G_\\theta(z))`, back-propagated through the (fixed) discriminator into the generator,
    through the code that :func:`train` runs.

    Parameters
    ----------
    generator, discriminator : Model
    theta : ndarray, shape (E, P_g)
    psi : ndarray, shape (E, P_d)
    z : ndarray, shape (E, m)
    loss : {"non-saturating", "minimax", "saturating"}

    Returns
    -------
    grad : ndarray, shape (E, P_g)
    s : ndarray, shape (E, m)
        The logits on the generated samples.
    """
    e, m = z.shape
    stepper = Stepper(generator, discriminator, e, m, m, theta.shape[1], psi.shape[1], theta.dtype, loss)
    grad, s = stepper.generator_gradient(theta, psi, z)
    return grad.copy(), s.copy()


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
    settings : dict
        The arguments of the run.
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
    settings: dict = field(default_factory=dict)

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
        """Write the run to a NumPy ``.npz`` file, atomically.

        The file holds the history (``step`` and one ``(n_logged, E)`` array per logged quantity,
        ``js`` or ``js_estimate``), the final parameters ``theta`` and ``psi``, ``theta_log``,
        ``diverged`` and ``diverged_step``, and ``settings`` as a JSON string (the arguments of the
        run, the target written as in code). Read it back with ``numpy.load``.
        """
        arrays = {name: value for name, value in vars(self.history).items() if value is not None}
        arrays.update(theta=self.theta, psi=self.psi, theta_log=self.theta_log, diverged=self.diverged,
                      diverged_step=self.diverged_step,
                      settings=np.array(json.dumps(self.settings, default=str, sort_keys=True)))
        return atomic_write(path, lambda stream: np.savez_compressed(stream, **arrays))


# ------------------------------------------------------------------------ progress bar


class _Progress:
    """A one-line progress bar on stderr, drawn at most every 0.2 s and only after 1 s."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0
        self.start = time.perf_counter()
        self.last = self.start
        self.drawn = False
        self.lock = threading.Lock()

    def advance(self, n: int) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.done += n
            now = time.perf_counter()
            if now - self.start > 1.0 and (now - self.last > 0.2 or self.done >= self.total):
                self.last = now
                self._draw(now)

    def _draw(self, now: float) -> None:
        frac = self.done / max(self.total, 1)
        width = 30
        bar = "#" * int(width * frac) + "-" * (width - int(width * frac))
        elapsed = now - self.start
        eta = elapsed * (1 - frac) / frac if frac > 0 else float("nan")
        sys.stderr.write(f"\rgan.train [{bar}] {100 * frac:5.1f}%  {elapsed:6.1f} s, ~{eta:5.1f} s left")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.enabled and self.drawn:
            if self.done < self.total:
                self._draw(time.perf_counter())
            sys.stderr.write("\n")
            sys.stderr.flush()


# ------------------------------------------------------------------------ the training loop


@dataclass
class _Run:
    """Settings and shared output arrays of one call of :func:`train`."""

    target: Density
    generator: Model
    discriminator: Model
    loss: str
    k: int
    m: int
    steps: int
    optimizer: Any
    hyper: dict
    dtype: type
    train_d: bool
    train_g: bool
    log_steps: np.ndarray  # (n_logged,)
    log_row: dict  # iteration -> row
    hist: dict  # name -> (n_logged, E)
    theta_log: np.ndarray  # (n_logged, E, P_g)
    progress: _Progress


def _draw_block(run: _Run, rngs: Sequence[np.random.Generator]) -> tuple[np.ndarray, ...]:
    """Data and noise for BLOCK iterations of each member of a chunk, in the member's fixed order."""
    c, k, m = len(rngs), run.k, run.m
    data = np.empty((c, BLOCK, k, m))
    z_d = np.empty((c, BLOCK, k, m))
    z_g = np.empty((c, BLOCK, m))
    for i, rng in enumerate(rngs):
        data[i] = np.asarray(run.target.rvs(size=(BLOCK, k, m), random_state=rng), dtype=np.float64)
        rng.standard_normal(out=z_d[i])
        rng.standard_normal(out=z_g[i])
    if run.dtype is not np.float64:
        return data.astype(run.dtype), z_d.astype(run.dtype), z_g.astype(run.dtype)
    return data, z_d, z_g


def _finite_rows(*arrays: np.ndarray) -> np.ndarray:
    ok = np.isfinite(arrays[0]).all(axis=1)
    for a in arrays[1:]:
        ok &= np.isfinite(a).all(axis=1)
    return ok


def _train_chunk(run: _Run, members: slice, rngs: list, theta: np.ndarray, psi: np.ndarray, status: dict) -> None:
    """Train the members of one chunk through all iterations, in place."""
    gen, disc, loss, k = run.generator, run.discriminator, run.loss, run.k
    d_opt, g_opt = run.optimizer.init(psi), run.optimizer.init(theta)
    opt_step, hyper = run.optimizer.step, run.hyper
    train_d, train_g = run.train_d, run.train_g
    log_row, hist, theta_log = run.log_row, run.hist, run.theta_log
    c = theta.shape[0]
    stepper = Stepper(gen, disc, c, run.m, run.m, theta.shape[1], psi.shape[1], run.dtype, loss)
    d_gradient, g_gradient = stepper.discriminator_gradient, stepper.generator_gradient
    frozen = np.zeros(c, dtype=bool)
    frozen_theta, frozen_psi = theta.copy(), psi.copy()
    diverged_step = np.full(c, -1)

    def iterate(t: int, data, z_d, z_g, j: int) -> None:
        row = log_row.get(t)
        if row is not None:
            theta_log[row, members] = theta
        grad_d = s_d = None
        for kk in range(k):
            if train_d or (row is not None and kk == k - 1):
                grad_d, s_d = d_gradient(theta, psi, data[:, j, kk], z_d[:, j, kk])
            if train_d:
                opt_step(psi, grad_d, d_opt, t * k + kk + 1, **hyper)
        if train_g or row is not None:
            grad_g, s_g = g_gradient(theta, psi, z_g[:, j])
            if train_g:
                opt_step(theta, grad_g, g_opt, t + 1, **hyper)
        if row is not None:
            m = run.m
            hist["d_loss"][row, members] = discriminator_loss(s_d[:, :m], s_d[:, m:])
            hist["d_real"][row, members] = expit(s_d[:, :m]).mean(axis=1)
            hist["d_fake"][row, members] = expit(s_d[:, m:]).mean(axis=1)
            hist["d_grad_norm"][row, members] = np.sqrt(np.square(grad_d).sum(axis=1))
            hist["g_loss"][row, members] = generator_loss(s_g, loss)
            hist["g_grad_norm"][row, members] = np.sqrt(np.square(grad_g).sum(axis=1))

    for t0 in range(0, run.steps, BLOCK):
        block = _draw_block(run, rngs)
        n_block = min(BLOCK, run.steps - t0)
        snapshot = (theta.copy(), psi.copy(), [a.copy() for a in d_opt + g_opt])
        frozen_any = frozen.any()
        for j in range(n_block):
            iterate(t0 + j, *block, j)
            if frozen_any:
                theta[frozen], psi[frozen] = frozen_theta[frozen], frozen_psi[frozen]
        if _finite_rows(theta, psi)[~frozen].all():
            run.progress.advance(n_block * c)
            continue
        # A member diverged in this block: replay it from the snapshot, checking every iteration,
        # and freeze each newly diverged member at its last finite parameters.
        theta[...], psi[...] = snapshot[0], snapshot[1]
        for a, b in zip(d_opt + g_opt, snapshot[2]):
            a[...] = b
        for j in range(n_block):
            before_theta, before_psi = theta.copy(), psi.copy()
            iterate(t0 + j, *block, j)
            bad = ~_finite_rows(theta, psi) & ~frozen
            if bad.any():
                frozen_theta[bad], frozen_psi[bad] = before_theta[bad], before_psi[bad]
                frozen |= bad
                diverged_step[bad] = t0 + j
            if frozen.any():
                theta[frozen], psi[frozen] = frozen_theta[frozen], frozen_psi[frozen]
        run.progress.advance(n_block * c)
    status["diverged_step"][members] = diverged_step


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


def train(
    target: Density,
    *,
    generator: str = "affine",
    discriminator: str = "quadratic",
    loss: str = "non-saturating",
    k: int = 1,
    batch_size: int = 128,
    steps: int = 10_000,
    lr: float = 0.005,
    momentum: float = 0.9,
    optimizer: str = "sgd",
    betas: tuple[float, float] = (0.9, 0.999),
    ensemble: int = 1,
    seed: int = 0,
    first_member: int = 0,
    hidden: int = 16,
    dtype: npt.DTypeLike = np.float64,
    theta0: npt.ArrayLike | None = None,
    psi0: npt.ArrayLike | None = None,
    freeze: str | None = None,
    log_every: int | None = None,
    track_js: bool = True,
    js_samples: int = 2000,
    chunk: int | None = None,
    workers: int | None = None,
    progress: bool | None = None,
) -> TrainResult:
    """Train an ensemble of GANs on a one-dimensional target with Algorithm 1 (Goodfellow et al.).

    For each of ``steps`` iterations: ``k`` times, draw ``batch_size`` data points and as many
    noise points and descend the discriminator's loss (minus the objective of eq. 3); then draw
    ``batch_size`` fresh noise points and descend the generator's loss.

    Parameters
    ----------
    target : frozen scipy.stats continuous distribution or Mixture
        :math:`p_{data}`, sampled with its ``rvs``.
    generator : {"affine", "mlp"}
        ``affine``: :math:`x = \\mu + \\sigma z`, starting from :math:`N(0, 1)`; ``mlp``: a
        1 -> hidden -> 1 tanh network. The noise prior is :math:`p_z = N(0, 1)`.
    discriminator : {"quadratic", "mlp"}
        ``quadratic``: logit :math:`a x^2 + b x + c`, starting from D = 1/2, which contains the
        optimal discriminator of any two Gaussians; ``mlp``: a 1 -> hidden -> 1 tanh network.
    loss : {"non-saturating", "minimax", "saturating"}
        The generator's loss: eq. (10), or Algorithm 1's minimax loss ("saturating" is a synonym).
    k : int
        Discriminator steps per iteration (>= 1).
    batch_size : int
        m, the minibatch size of every step (>= 1).
    steps : int
        Number of iterations (>= 1).
    lr : float
        Learning rate of both players (> 0). With the defaults (SGD, momentum 0.9, k = 1,
        m = 128), 0.005 and 10 000 iterations bring the affine generator to N(4, 1.25^2) from
        N(0, 1) with a final JS below 1e-3 nats in 64 seeds out of 64; the path there is a
        damped oscillation of sigma, as is typical of simultaneous-move GAN dynamics.
    momentum : float
        SGD momentum in [0, 1).
    optimizer : {"sgd", "adam"}
        SGD with momentum (as in the paper) or Adam with ``betas``.
    betas : (float, float)
        Adam's decay rates, each in [0, 1).
    ensemble : int
        E, the number of independent GANs trained at once (>= 1).
    seed : int
        Member ``i`` draws from :func:`member_rng` ``(seed, first_member + i)``.
    first_member : int
        Index of the first member, so that any member can be rerun alone.
    hidden : int
        Hidden width H of the MLP models.
    dtype : {numpy.float64, numpy.float32}
        Arithmetic precision. Data and noise are drawn in float64 and rounded, so that a float32
        run sees the same samples as a float64 run.
    theta0, psi0 : array_like, shape (P,) or (E, P), optional
        Initial parameters instead of the default initialization (the random draws of the
        default are made anyway, so the data and noise do not change).
    freeze : {None, "generator", "discriminator"}
        Keep one player fixed (for example to train D alone against a fixed generator).
    log_every : int, optional
        Log every this many iterations (and the last one); default ``max(1, steps // 100)``.
    track_js : bool
        Compute the JS divergence at the logged iterations: exact for the affine generator,
        an estimate from ``js_samples`` samples per member for the MLP generator.
    js_samples : int
        Samples per member for the MLP estimate.
    chunk : int, optional
        Members trained together; default: as many as keep the working set in the CPU's
        caches. Results do not depend on it.
    workers : int, optional
        Threads training chunks in parallel (NumPy releases the GIL in its loops); default: one
        per CPU core, at most one per chunk. Results do not depend on it.
    progress : bool, optional
        Show a progress bar on stderr; default: only if stderr is a terminal (never under
        pytest), and only once a run has lasted a second.

    Returns
    -------
    TrainResult
        Final parameters ``theta`` (E, P_g) and ``psi`` (E, P_d), ``history`` (arrays shaped
        (n_logged, E)), ``sample(n, rng)`` -> (E, n), and the divergence flags.

    Notes
    -----
    A member whose parameters become NaN or infinite is frozen at its last finite parameters
    and flagged in ``diverged`` with the iteration in ``diverged_step``; the others go on, and
    its history is kept up to that iteration.

    Examples
    --------
    The affine generator learns N(4, 1.25^2) from N(0, 1):

    >>> from scipy import stats
    >>> result = train(stats.norm(4, 1.25), seed=0)
    >>> mu, sigma = result.theta[0]
    >>> bool(abs(mu - 4) < 0.3 and abs(abs(sigma) - 1.25) < 0.3), bool(result.js()[0] < 0.01)
    (True, True)
    """
    target = check_distribution(target, "target")
    gen = GENERATORS[check_choice(generator, "generator", GENERATORS)]
    disc = DISCRIMINATORS[check_choice(discriminator, "discriminator", DISCRIMINATORS)]
    loss = check_choice(loss, "loss", GENERATOR_LOSSES)
    k = check_int(k, "k", minimum=1)
    m = check_int(batch_size, "batch_size", minimum=1)
    steps = check_int(steps, "steps", minimum=1)
    lr = check_real(lr, "lr", positive=True)
    momentum = check_real(momentum, "momentum", nonnegative=True)
    if momentum >= 1:
        raise ValueError(f"`momentum` must be in [0, 1), got {_show(momentum)}.")
    opt = OPTIMIZERS[check_choice(optimizer, "optimizer", OPTIMIZERS)]
    if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
        raise TypeError(f"`betas` must be a pair of numbers in [0, 1), got {_show(betas)}.")
    beta1, beta2 = (check_real(b, f"betas[{i}]", nonnegative=True) for i, b in enumerate(betas))
    if beta1 >= 1 or beta2 >= 1:
        raise ValueError(f"`betas` must be a pair of numbers in [0, 1), got {_show(betas)}.")
    e = check_int(ensemble, "ensemble", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    first_member = check_int(first_member, "first_member", minimum=0)
    hidden = check_int(hidden, "hidden", minimum=1)
    try:
        float_type = _FLOAT_TYPES[np.dtype(dtype)]
    except (TypeError, KeyError):
        raise ValueError(f"`dtype` must be numpy.float64 or numpy.float32, got {_show(dtype)}.") from None
    if freeze is not None:
        check_choice(freeze, "freeze", ("generator", "discriminator"))
    log_every = max(1, steps // 100) if log_every is None else check_int(log_every, "log_every", minimum=1)
    if not isinstance(track_js, (bool, np.bool_)):
        raise TypeError(f"`track_js` must be True or False, got {_show(track_js)}.")
    js_samples = check_int(js_samples, "js_samples", minimum=1)
    if workers is not None:
        workers = check_int(workers, "workers", minimum=1)
    p_g, p_d = gen.size(hidden), disc.size(hidden)
    theta_init = _as_initial(theta0, "theta0", e, p_g, float_type)
    psi_init = _as_initial(psi0, "psi0", e, p_d, float_type)
    if chunk is None:  # about 4 MiB of scratch per chunk: the L2 caches and part of the L3
        itemsize = np.dtype(float_type).itemsize
        per_member = itemsize * (hidden + 2) * 2 * m * 4 if "mlp" in (gen.name, disc.name) else 8 * itemsize * m
        chunk = int(np.clip((4 << 20) // per_member, 1, 4096))
    chunk = min(check_int(chunk, "chunk", minimum=1), e)
    if progress is None:
        progress = bool(getattr(sys.stderr, "isatty", lambda: False)()) and "pytest" not in sys.modules
    hyper = {"lr": lr, "momentum": momentum, "beta1": beta1, "beta2": beta2}

    # Each member's own generator: initial parameters first, then its data and noise blocks.
    rngs = [member_rng(seed, first_member + i) for i in range(e)]
    theta = np.stack([gen.init(rng, hidden, float_type) for rng in rngs])
    psi = np.stack([disc.init(rng, hidden, float_type) for rng in rngs])
    if theta_init is not None:
        theta[...] = theta_init
    if psi_init is not None:
        psi[...] = psi_init

    log_steps = np.unique(np.append(np.arange(0, steps, log_every), steps - 1))
    n_logged = log_steps.size
    hist = {name: np.full((n_logged, e), np.nan) for name in History._FIELDS}
    run = _Run(
        target=target, generator=gen, discriminator=disc, loss=loss, k=k, m=m, steps=steps,
        optimizer=opt, hyper=hyper, dtype=float_type,
        train_d=freeze != "discriminator", train_g=freeze != "generator",
        log_steps=log_steps, log_row={int(t): r for r, t in enumerate(log_steps)}, hist=hist,
        theta_log=np.full((n_logged, e, p_g), np.nan, dtype=float_type),
        progress=_Progress(steps * e, bool(progress)),
    )
    status = {"diverged_step": np.full(e, -1)}
    chunks = [slice(start, min(start + chunk, e)) for start in range(0, e, chunk)]
    if workers is None:
        workers = min(os.cpu_count() or 1, len(chunks))

    def work(members: slice) -> None:
        th, ps = theta[members].copy(), psi[members].copy()
        _train_chunk(run, members, rngs[members], th, ps, status)
        theta[members], psi[members] = th, ps

    with np.errstate(all="ignore"):  # a diverging member may overflow; it is detected and frozen
        if workers == 1 or len(chunks) == 1:
            for members in chunks:
                work(members)
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(work, chunks))
    run.progress.close()

    diverged_step = status["diverged_step"]
    diverged = diverged_step >= 0
    js = js_estimate = None
    if track_js:
        if gen.name == "affine":
            js = gaussian_js(run.theta_log[..., 0], run.theta_log[..., 1], target)
        else:
            js_estimate = _mlp_js_estimate(run, rngs, seed, first_member, js_samples)
    after = log_steps[:, None] > diverged_step[None, :]  # rows logged after the divergence
    after &= diverged[None, :]
    for name in History._FIELDS:
        hist[name][after] = np.nan
    if js is not None:
        js[after] = np.nan
    if js_estimate is not None:
        js_estimate[after] = np.nan
    history = History(step=log_steps, js=js, js_estimate=js_estimate, **hist)
    settings = dict(
        generator=generator, discriminator=discriminator, loss=loss, k=k, batch_size=m, steps=steps,
        lr=lr, momentum=momentum, optimizer=optimizer, betas=(beta1, beta2), ensemble=e, seed=seed,
        first_member=first_member, hidden=hidden, dtype=np.dtype(float_type).name, freeze=freeze,
        log_every=log_every, target=describe(target),
    )
    return TrainResult(
        theta=theta, psi=psi, history=history, diverged=diverged, diverged_step=diverged_step,
        theta_log=run.theta_log, generator=gen, discriminator=disc, target=target, settings=settings,
    )


def _mlp_js_estimate(run: _Run, rngs: list, seed: int, first_member: int, n: int) -> np.ndarray:
    """Histogram JS estimate at each logged row, with one fixed noise sample per member."""
    e = len(rngs)
    z = np.empty((e, n))
    for i in range(e):  # evaluation noise: the first child of each member's seed sequence
        child = np.random.SeedSequence(seed, spawn_key=(first_member + i, 0))
        np.random.Generator(np.random.PCG64(child)).standard_normal(out=z[i])
    z = z.astype(run.dtype)
    out = np.full(run.theta_log.shape[:2], np.nan)
    with np.errstate(all="ignore"):
        for row in range(out.shape[0]):
            x = run.generator.forward(run.theta_log[row], z)[0]
            out[row] = histogram_js(x, run.target)
    return out
