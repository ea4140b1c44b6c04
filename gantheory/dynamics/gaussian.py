"""The 1-D Gaussian GAN of :func:`gantheory.gan.train`, linearized at its equilibrium.

``gan.train`` with its default models trains an affine generator :math:`x = \\mu + \\sigma z` and a
quadratic discriminator logit :math:`s(x) = a x^2 + b x + c` against a target
:math:`N(\\mu_0, s_0^2)`. Its equilibrium is :math:`(\\mu, \\sigma) = (\\mu_0, s_0)`,
:math:`(a, b, c) = 0` (:math:`p_g = p_{data}`, :math:`D = 1/2`). This module gives

- :func:`population_gradients`: the *expected* gradients of both players (the minibatch
  average's expectation), through the hand-derived forward and backward passes of
  :mod:`gantheory.gan.models` and :mod:`gantheory.gan.losses` with Gauss-Hermite weights in place
  of the 1/m of a minibatch: exact to rounding near the equilibrium, where the integrands are
  smooth;
- :func:`jacobian`: the Jacobian of the descent field at the equilibrium, derived by sympy
  (:func:`gantheory.dynamics.symbolic.derive_gaussian`): :math:`J = \\begin{pmatrix} 0 & C \\\\
  -C^T & -Q \\end{pmatrix}` with :math:`C = \\begin{pmatrix}\\mu_0 & 1/2 & 0\\\\ s_0 & 0 &
  0\\end{pmatrix}` and :math:`Q = \\tfrac12 \\mathbb{E}[\\phi\\phi^T]`, :math:`\\phi = (x^2, x, 1)`.
  The minimax and the non-saturating loss have the same Jacobian: they differ only at second
  order (Mescheder et al. 2018 find the same for the Dirac-GAN);
- :func:`sgd_update_matrix`: one iteration of ``gan.train`` with SGD and momentum (k
  discriminator steps, then a generator step that sees the new discriminator), linearized on
  the state :math:`(\\theta, \\psi, v_\\theta, v_\\psi)`; its eigenvalues give the frequency and
  decay of the oscillation of :math:`\\mu` and :math:`\\sigma` (:func:`predicted_oscillation`),
  and its powers the mean path of an ensemble (:func:`predict_mean_path`);
- :func:`fit_oscillation`: the frequency and decay rate of a damped oscillation fitted to logged
  histories, to set against the prediction.

Adam is not linear near this equilibrium: at :math:`\\psi = 0` every per-sample gradient of the
generator vanishes (the logit's slope :math:`2ax + b` is 0), so Adam's second-moment estimate for
:math:`\\theta` shrinks with the deviation itself and the step :math:`m / \\sqrt{v}` does not
(:func:`adam_generator_step_scale`); only the discriminator's Adam is linear there.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize

from gantheory.distributions import check_int, check_real

__all__ = [
    "HERMITE_NODES",
    "Oscillation",
    "OscillationRun",
    "adam_generator_step_scale",
    "eigenvalues",
    "fit_oscillation",
    "fitted_mode",
    "jacobian",
    "oscillation_run",
    "population_gradients",
    "population_path",
    "predict_mean_path",
    "predicted_oscillation",
    "sgd_update_matrix",
]

#: Gauss-Hermite nodes of the expectations over data and noise: the integrands are polynomials
#: of degree <= 6 times logistic functions of a quadratic, which 64 nodes integrate to rounding
#: when the logit is small (near the equilibrium).
HERMITE_NODES = 64

def _check_loss(loss: str) -> str:
    from gantheory.gan.losses import generator_loss_name

    return generator_loss_name(loss)


def _check_target(mean: float, std: float) -> tuple[float, float]:
    return check_real(mean, "mean"), check_real(std, "std", positive=True)


def population_gradients(
    theta: npt.ArrayLike,
    psi: npt.ArrayLike,
    mean: float,
    std: float,
    loss: str = "non-saturating",
    *,
    nodes: int = HERMITE_NODES,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected gradients of both players' losses, for E parameter pairs at once.

    The expectation over the data :math:`N(\\mu_0, s_0^2)` and the noise :math:`N(0, 1)` is a
    Gauss-Hermite rule run through :mod:`gantheory.gan.models` and :mod:`gantheory.gan.losses`
    (the same forward and backward passes as ``gan.train``), each sample's loss gradient weighted
    by its Hermite weight instead of 1/m.

    Parameters
    ----------
    theta : array_like, shape (E, 2) or (2,)
        Generator parameters (mu, sigma).
    psi : array_like, shape (E, 3) or (3,)
        Discriminator parameters (a, b, c).
    mean, std : float
        The target :math:`N(\\mu_0, s_0^2)`.
    loss : {"non-saturating", "minimax", "saturating"}
    nodes : int
        Gauss-Hermite nodes.

    Returns
    -------
    grad_theta : ndarray, shape (E, 2)
    grad_psi : ndarray, shape (E, 3)
        Gradients of the losses both players *minimize* (gan.train descends them).

    Examples
    --------
    At the equilibrium both gradients vanish:

    >>> g_theta, g_psi = population_gradients([4.0, 1.25], [0.0, 0.0, 0.0], 4.0, 1.25)
    >>> bool(np.abs(g_theta).max() < 1e-15 and np.abs(g_psi).max() < 1e-13)
    True
    """
    from gantheory.gan import losses, models

    mean, std = _check_target(mean, std)
    loss = _check_loss(loss)
    nodes = check_int(nodes, "nodes", minimum=1)
    theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
    psi = np.atleast_2d(np.asarray(psi, dtype=np.float64))
    e = max(theta.shape[0], psi.shape[0])
    theta = np.broadcast_to(theta, (e, 2)).copy()
    psi = np.broadcast_to(psi, (e, 3)).copy()
    u, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    m = u.size
    weight = (w * m)[None, :]  # the losses' gradients carry 1/m; a Hermite weight replaces it
    x_real = np.broadcast_to(mean + std * u, (e, m))
    z = np.broadcast_to(u, (e, m))
    x_fake, g_cache = models.affine_forward(theta, z)
    s_real, real_cache = models.quadratic_forward(psi, x_real)
    s_fake, fake_cache = models.quadratic_forward(psi, x_fake)
    d_real, d_fake = losses.discriminator_loss_grad(s_real, s_fake)
    grad_psi = (models.quadratic_backward(psi, real_cache, d_real * weight)
                + models.quadratic_backward(psi, fake_cache, d_fake * weight))
    d_s = losses.generator_loss_grad(s_fake, loss) * weight
    grad_theta = models.affine_backward(theta, g_cache, models.quadratic_backward_input(psi, fake_cache, d_s))
    return grad_theta.copy(), grad_psi.copy()


@functools.cache
def _jacobian_function(loss: str, penalty: str | None, noise: bool):
    import sympy as sp

    from gantheory.dynamics import symbolic as sym

    derivation = sym.derive_gaussian(loss, penalty, noise)
    return sp.lambdify((sym.mu0, sym.s0, sym.gamma, sym.epsilon), derivation.jacobian, modules="numpy")


def _check_regularizers(penalty: str | None, gamma: float, noise: float) -> tuple[str | None, float, float]:
    from gantheory.dynamics.symbolic import GAUSSIAN_PENALTIES

    if penalty not in GAUSSIAN_PENALTIES:
        raise ValueError(f"`penalty` must be None, 'r1' or 'r2' (the linearization has no other); got {penalty!r}.")
    gamma = check_real(gamma, "gamma", nonnegative=True)
    if gamma > 0 and penalty is None:
        raise ValueError(f"`gamma` weighs a gradient penalty: give `penalty` ('r1' or 'r2') with gamma = {gamma!r}.")
    return penalty, gamma, check_real(noise, "noise", nonnegative=True)


def jacobian(mean: float, std: float, loss: str = "non-saturating", *, penalty: str | None = None,
             gamma: float = 0.0, noise: float = 0.0) -> np.ndarray:
    """The Jacobian at the equilibrium of the expected descent field, shape (5, 5).

    Order of the state: (mu, sigma, a, b, c). Derived by sympy
    (:func:`gantheory.dynamics.symbolic.derive_gaussian`), for the losses of ``gan.train``
    ("non-saturating", "minimax", "wgan"), the penalty :math:`\\frac\\gamma2 s'(x)^2` at the data
    ("r1") or at the generated samples ("r2") and instance noise of scale ``noise``.

    Examples
    --------
    >>> jacobian(0.0, 1.0)[:2, 2:]
    array([[0. , 0.5, 0. ],
           [1. , 0. , 0. ]])

    R1 damps the discriminator's slope b (:math:`-\\partial^2/\\partial b^2` gains :math:`\\gamma`):

    >>> float(jacobian(0.0, 1.0, penalty="r1", gamma=2.0)[3, 3] - jacobian(0.0, 1.0)[3, 3])
    -2.0
    """
    mean, std = _check_target(mean, std)
    penalty, gamma, noise = _check_regularizers(penalty, gamma, noise)
    function = _jacobian_function(_check_loss(loss), penalty, noise > 0)
    return np.asarray(function(mean, std, gamma, noise), dtype=np.float64)


def eigenvalues(mean: float, std: float, loss: str = "non-saturating", *, penalty: str | None = None,
                gamma: float = 0.0, noise: float = 0.0) -> np.ndarray:
    """The five eigenvalues of :func:`jacobian`, sorted by real part (slowest first).

    For the two cross-entropy losses all have negative real parts: the equilibrium is locally
    asymptotically stable under gradient flow (Nagarajan & Kolter 2017: Q is positive definite
    and C has full rank); R1, R2 and instance noise make Q larger. For "wgan" Q is 0: the
    eigenvalues are on the imaginary axis (and 0, the critic's free bias).
    """
    lam = np.linalg.eigvals(jacobian(mean, std, loss, penalty=penalty, gamma=gamma, noise=noise))
    return lam[np.lexsort((lam.imag, -lam.real))]


def sgd_update_matrix(jac: npt.ArrayLike, lr: float, momentum: float = 0.9, k: int = 1, *,
                      generator_size: int = 2) -> np.ndarray:
    """One iteration of ``gan.train`` with SGD and momentum, linearized: shape (2P, 2P), (10, 10) here.

    State :math:`x = (\\theta, \\psi, v_\\theta, v_\\psi)`, gradients :math:`g = -J (\\theta, \\psi)`.
    Each of the k discriminator steps: :math:`v_\\psi \\leftarrow \\beta v_\\psi + g_\\psi`,
    :math:`\\psi \\leftarrow \\psi - \\eta v_\\psi`; then the generator step, with the new
    :math:`\\psi`: :math:`v_\\theta \\leftarrow \\beta v_\\theta + g_\\theta`,
    :math:`\\theta \\leftarrow \\theta - \\eta v_\\theta` (:mod:`gantheory.gan.optim`).

    Parameters
    ----------
    jac : array_like, shape (P, P)
        The Jacobian of the descent field, the generator's parameters first.
    lr, momentum : float
        :math:`\\eta` and :math:`\\beta`.
    k : int
        Discriminator steps per iteration.
    generator_size : int
        How many of the P parameters are the generator's (2 for the affine generator).
    """
    jac = np.asarray(jac, dtype=np.float64)
    lr = check_real(lr, "lr", positive=True)
    momentum = check_real(momentum, "momentum", nonnegative=True)
    k = check_int(k, "k", minimum=1)
    size = jac.shape[0]
    g = check_int(generator_size, "generator_size", minimum=1)

    def step(rows: slice) -> np.ndarray:  # one player's step on (x, v)
        out = np.eye(2 * size)
        velocity = slice(size + rows.start, size + rows.stop)
        out[velocity] = 0.0
        out[velocity, velocity] = momentum * np.eye(rows.stop - rows.start)
        out[velocity, :size] = -jac[rows]  # v' = beta v - J_rows x
        out[rows] = np.eye(2 * size)[rows] - lr * out[velocity]  # x' = x - lr v'
        return out

    return step(slice(0, g)) @ np.linalg.matrix_power(step(slice(g, size)), k)


@dataclass(frozen=True)
class Oscillation:
    """A damped oscillation :math:`e^{-\\delta t} \\cos(\\omega t + \\phi)` (t in iterations).

    Attributes
    ----------
    frequency : float
        :math:`\\omega`, radians per iteration.
    decay : float
        :math:`\\delta`, per iteration (:math:`-\\log\\rho` for a mode with eigenvalue modulus
        :math:`\\rho`).
    frequency_se, decay_se : float
        Standard errors (for a fit; 0 for a prediction).
    """

    frequency: float
    decay: float
    frequency_se: float = 0.0
    decay_se: float = 0.0

    @property
    def period(self) -> float:
        """:math:`2\\pi/\\omega` iterations."""
        return float(2 * np.pi / self.frequency)

    @property
    def half_life(self) -> float:
        """:math:`\\log 2/\\delta` iterations."""
        return float(np.log(2.0) / self.decay)


def predicted_oscillation(mean: float, std: float, *, lr: float, momentum: float = 0.9, k: int = 1,
                          loss: str = "non-saturating", penalty: str | None = None, gamma: float = 0.0,
                          noise: float = 0.0) -> Oscillation:
    """The slowest oscillating mode of :func:`sgd_update_matrix`: what μ and σ show late in training.

    ``penalty``, ``gamma`` and ``noise`` add R1/R2 and instance noise as :func:`jacobian` does.

    Examples
    --------
    ``gan.train``'s defaults against N(4, 1.25^2): a period of about 2000 iterations.

    >>> osc = predicted_oscillation(4.0, 1.25, lr=0.005)
    >>> round(osc.period), round(osc.half_life)
    (1957, 2440)

    R1 with gamma = 1 makes the same oscillation decay 2.4 times faster:

    >>> round(predicted_oscillation(4.0, 1.25, lr=0.005, penalty="r1", gamma=1.0).half_life)
    1010
    """
    jac = jacobian(mean, std, loss, penalty=penalty, gamma=gamma, noise=noise)
    lam = np.linalg.eigvals(sgd_update_matrix(jac, lr, momentum, k))
    complex_modes = lam[np.abs(lam.imag) > 1e-12]
    if complex_modes.size == 0:
        raise ValueError("the update map has no oscillating mode at these settings.")
    slowest = complex_modes[np.argmax(np.abs(complex_modes))]
    return Oscillation(abs(float(np.angle(slowest))), -float(np.log(np.abs(slowest))))


def predict_mean_path(mean: float, std: float, theta0: npt.ArrayLike, steps: npt.ArrayLike, *, lr: float,
                      momentum: float = 0.9, k: int = 1, loss: str = "non-saturating", penalty: str | None = None,
                      gamma: float = 0.0, noise: float = 0.0) -> np.ndarray:
    """The linearized mean path of (mu, sigma) from ``theta0`` with D = 1/2 and no momentum yet.

    Returns
    -------
    ndarray, shape (len(steps), 2)
        :math:`(\\mu_t, \\sigma_t)` at the given iterations (the state before iteration t, as
        ``TrainResult.theta_log`` logs it). Minibatch noise has mean zero, so to first order an
        ensemble's mean follows this path.
    """
    steps = np.asarray(steps, dtype=int)
    update = sgd_update_matrix(jacobian(mean, std, loss, penalty=penalty, gamma=gamma, noise=noise), lr, momentum, k)
    lam, vec = np.linalg.eig(update)
    x0 = np.zeros(10)
    x0[:2] = np.asarray(theta0, dtype=np.float64) - (mean, std)
    coef = np.linalg.solve(vec, x0)
    path = (vec[:2, None, :] * (lam[None, None, :] ** steps[None, :, None]) * coef[None, None, :]).sum(axis=-1)
    return path.real.T + np.array([mean, std])


def _projected(params: np.ndarray, t: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Residuals of e^{-d t}(A cos wt + B sin wt) with the best A, B per series (variable projection)."""
    decay, freq = params
    basis = np.exp(-decay * t)[:, None] * np.stack([np.cos(freq * t), np.sin(freq * t)], axis=1)  # (n, 2)
    coef, *_ = np.linalg.lstsq(basis, y, rcond=None)  # (2, series)
    return (basis @ coef - y).ravel(), coef


def _fit(t: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    span = t[-1] - t[0]
    freqs = np.linspace(2 * np.pi / (4 * span), np.pi / max(np.min(np.diff(t)), 1) / 2, 400)
    decays = np.array([0.0, 0.5, 1.0, 2.0, 4.0]) / span
    best = min(((d, f) for d in decays for f in freqs),
               key=lambda p: float(np.sum(_projected(np.array(p), t, y)[0] ** 2)))
    fit = optimize.least_squares(lambda p: _projected(p, t, y)[0], np.array(best), x_scale=[1 / span, 1 / span])
    return float(fit.x[0]), float(abs(fit.x[1]))


def fit_oscillation(steps: npt.ArrayLike, deviations: npt.ArrayLike, *, bootstrap: int = 0,
                    seed: int = 0) -> Oscillation:
    """Fit a damped oscillation shared by several series: :math:`y_j(t) = e^{-\\delta t}(A_j \\cos\\omega t
    + B_j \\sin\\omega t)`.

    Parameters
    ----------
    steps : array_like, shape (n,)
        Iterations.
    deviations : array_like, shape (n,), (n, J) or (n, E, J)
        The series (such as mu - mu_0 and sigma - s_0); with an ensemble axis E the fit is to the
        ensemble mean, and ``bootstrap`` resamples of the members give the standard errors.
    bootstrap : int
        Number of bootstrap resamples of the ensemble (0: no standard errors).

    The fit is by variable projection (the amplitudes solved by linear least squares for each
    (delta, omega)), started from the best point of a grid of frequencies, so it does not depend
    on any prediction.

    Examples
    --------
    >>> t = np.arange(0.0, 2000.0, 10.0)
    >>> osc = fit_oscillation(t, np.exp(-1e-3 * t) * np.cos(0.01 * t + 0.3))
    >>> round(osc.decay, 8), round(osc.frequency, 8)
    (0.001, 0.01)
    """
    t = np.asarray(steps, dtype=np.float64)
    y = np.asarray(deviations, dtype=np.float64)
    members = None
    if y.ndim == 3:
        members, y = y, y.mean(axis=1)
    y = y.reshape(len(t), -1)
    decay, freq = _fit(t, y)
    if not bootstrap or members is None:
        return Oscillation(freq, decay)
    rng = np.random.default_rng(seed)
    e = members.shape[1]
    draws = []
    for _ in range(check_int(bootstrap, "bootstrap", minimum=1)):
        sample = members[:, rng.integers(0, e, e)].mean(axis=1).reshape(len(t), -1)
        fit = optimize.least_squares(lambda p, s=sample: _projected(p, t, s)[0], np.array([decay, freq]),
                                     x_scale=[1 / (t[-1] - t[0])] * 2)
        draws.append(fit.x)
    draws = np.array(draws)
    return Oscillation(freq, decay, float(np.std(np.abs(draws[:, 1]), ddof=1)), float(np.std(draws[:, 0], ddof=1)))


def adam_generator_step_scale(mean: float, std: float, deviation: float, *, nodes: int = HERMITE_NODES) -> float:
    """The per-sample RMS generator gradient at the discriminator a linear response to ``deviation`` gives.

    Used to show that Adam's generator step is not linear near the equilibrium: the RMS of the
    per-sample gradients (Adam's :math:`\\sqrt{v}`) is proportional to the deviation of the
    discriminator from 0, so the normalized step :math:`m/\\sqrt{v}` keeps its size as the
    deviation shrinks. Returns RMS / deviation for psi = deviation * (1, 1, 1), which is constant
    in ``deviation`` to first order.
    """
    from gantheory.gan import losses, models

    mean, std = _check_target(mean, std)
    deviation = check_real(deviation, "deviation", positive=True)
    u, w = np.polynomial.hermite_e.hermegauss(check_int(nodes, "nodes", minimum=1))
    w = w / w.sum()
    theta = np.array([[mean, std]])
    psi = np.full((1, 3), deviation)
    z = u[None, :]
    x, g_cache = models.affine_forward(theta, z)
    s, cache = models.quadratic_forward(psi, x)
    d_s = losses.generator_loss_grad(s, "non-saturating") * u.size  # per sample: no 1/m
    per_sample = models.quadratic_backward_input(psi, cache, d_s)[0, :, None] * np.stack([np.ones_like(u), u], 1)
    rms = np.sqrt((w[:, None] * per_sample**2).sum(axis=0))
    return float(np.linalg.norm(rms) / deviation)


def population_path(mean: float, std: float, theta0: npt.ArrayLike, steps: int, *, lr: float,
                    momentum: float = 0.9, k: int = 1, loss: str = "non-saturating",
                    psi0: npt.ArrayLike = (0.0, 0.0, 0.0)) -> np.ndarray:
    """``gan.train``'s SGD iteration on the expected gradients: the noise-free, nonlinear mean field.

    Runs :func:`population_gradients` through the same update as ``gan.train`` (k
    discriminator steps with momentum, then a generator step), for one or several starts.

    Parameters
    ----------
    theta0 : array_like, shape (2,) or (E, 2)
    steps : int

    Returns
    -------
    ndarray, shape (steps + 1, E, 2)
        (mu, sigma) before each iteration and after the last, as ``TrainResult.theta_log``
        logs them.
    """
    from gantheory.gan.optim import sgd_init, sgd_step

    steps = check_int(steps, "steps", minimum=0)
    theta = np.atleast_2d(np.asarray(theta0, dtype=np.float64)).copy()
    psi = np.broadcast_to(np.asarray(psi0, dtype=np.float64), (theta.shape[0], 3)).copy()
    v_theta, v_psi = sgd_init(theta), sgd_init(psi)
    out = np.empty((steps + 1, theta.shape[0], 2))
    out[0] = theta
    for t in range(steps):
        for _ in range(k):
            sgd_step(psi, population_gradients(theta, psi, mean, std, loss)[1], v_psi, t + 1, lr=lr, momentum=momentum)
        sgd_step(theta, population_gradients(theta, psi, mean, std, loss)[0], v_theta, t + 1, lr=lr, momentum=momentum)
        out[t + 1] = theta
    return out


def fitted_mode(steps: npt.ArrayLike, deviations: npt.ArrayLike, oscillation: Oscillation) -> np.ndarray:
    """The given mode, :math:`e^{-\\delta t}(A \\cos\\omega t + B \\sin\\omega t)`, with A and B per
    series fitted by least squares to ``deviations`` (n, J): the prediction's shape, placed.
    """
    t = np.asarray(steps, dtype=np.float64)
    y = np.asarray(deviations, dtype=np.float64).reshape(len(t), -1)
    residual, _ = _projected(np.array([oscillation.decay, oscillation.frequency]), t, y)
    return (residual.reshape(y.shape) + y).reshape(np.shape(deviations))


@dataclass(frozen=True)
class OscillationRun:
    """An ensemble of ``gan.train`` runs from near the equilibrium, against the linear theory.

    Attributes
    ----------
    steps : ndarray, shape (n,)
    mean, standard_error : ndarray, shape (n, 2)
        The ensemble's mean (mu, sigma) and its standard error.
    predicted : ndarray, shape (n, 2)
        :func:`predict_mean_path`.
    fitted, theory : Oscillation
        Fitted to the runs from ``fit_from`` on (with bootstrap errors), and predicted.
    """

    steps: np.ndarray
    mean: np.ndarray
    standard_error: np.ndarray
    predicted: np.ndarray
    fitted: Oscillation
    theory: Oscillation


def oscillation_run(mean: float = 4.0, std: float = 1.25, *, start: tuple[float, float] = (4.0, 1.45),
                    loss: str = "non-saturating", lr: float = 0.005, momentum: float = 0.9, k: int = 1,
                    ensemble: int = 64, steps: int = 6000, log_every: int = 10, fit_from: int = 500,
                    bootstrap: int = 100, seed: int = 0, penalty: str | None = None, gamma: float = 0.0,
                    noise: float = 0.0) -> OscillationRun:
    """Train ``ensemble`` GANs with :func:`gantheory.gan.train` from ``start`` (D = 1/2), fit the
    oscillation of their mean (mu, sigma) and set it against :func:`predicted_oscillation`.

    The minibatch noise is the only difference between members, so resampling members gives
    the fit's standard errors. ``penalty``, ``gamma`` and ``noise`` are passed to ``gan.train``
    and to the prediction alike.
    """
    regularizers = dict(penalty=penalty, gamma=gamma, noise=noise)
    from scipy import stats

    from gantheory import gan

    result = gan.train(stats.norm(mean, std), loss=loss, lr=lr, momentum=momentum, k=k, ensemble=ensemble,
                       steps=steps, log_every=log_every, theta0=start, psi0=(0.0, 0.0, 0.0), seed=seed,
                       track_js=False, **regularizers)
    t = result.history.step
    theta = result.theta_log  # (n, E, 2)
    keep = t >= fit_from
    fitted = fit_oscillation(t[keep], theta[keep] - np.array([mean, std]), bootstrap=bootstrap, seed=seed)
    return OscillationRun(
        steps=t, mean=theta.mean(axis=1), standard_error=theta.std(axis=1, ddof=1) / np.sqrt(ensemble),
        predicted=predict_mean_path(mean, std, start, t, lr=lr, momentum=momentum, k=k, loss=loss, **regularizers),
        fitted=fitted, theory=predicted_oscillation(mean, std, lr=lr, momentum=momentum, k=k, loss=loss,
                                                    **regularizers))
