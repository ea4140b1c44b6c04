"""Any pair of ``gan.train``'s models, linearized numerically at a stationary point of its expected field.

:mod:`gantheory.dynamics.gaussian` derives the Jacobian of the affine generator and quadratic
discriminator in closed form, where the equilibrium is known: :math:`p_g = p_{data}`, D = 1/2.
For the MLP pair neither is: a 1-H-1 tanh generator cannot produce a Gaussian exactly, so its
equilibria are where the discriminator can no longer tell, and they are found numerically. This
module gives

- :func:`expected_gradients`: both players' gradients in expectation over a Gaussian target and
  the noise, through the hand-derived passes of :mod:`gantheory.gan.models` and
  :mod:`gantheory.gan.losses` with Gauss-Hermite weights in place of the minibatch's 1/m, for
  any models, losses, R1/R2 penalties and instance noise (a second Hermite rule over its draws);
- :func:`linearize`: a stationary point of that field by Newton's method (``least_squares``)
  from a given state, the Jacobian there by central differences, its eigenvalues and the mean
  and standard deviation of the generator's output;
- :meth:`Linearization.update_radius`: the spectral radius of ``gan.train``'s SGD-momentum
  iteration linearized there (:func:`gantheory.dynamics.gaussian.sgd_update_matrix`), leaving
  out the neutral modes: the directions along which the stationary points form a manifold (the
  eigenvalues of the Jacobian that vanish), which the field neither restores nor pushes away.

The step-size condition of "The Numerics of GANs" (Mescheder et al. 2017), for simultaneous
gradient steps of size h, is :math:`h < 2|\\mathrm{Re}\\,\\lambda|/|\\lambda|^2` for every eigenvalue.
With heavy-ball momentum :math:`\\beta` the iteration behaves, for small steps, like steps of
:math:`h/(1-\\beta)` with a second-order term that grows as :math:`(1+\\beta)/(1-\\beta)^3`: a mode
:math:`\\lambda = -a + ib` is stable only if :math:`h < 2a(1-\\beta)^2 / ((1+\\beta) b^2)`
(:func:`momentum_step_bound`), 190 times tighter at :math:`\\beta = 0.9` than without momentum,
for modes that are nearly rotations (:math:`a \\ll b`).
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
    "Linearization",
    "descent_field",
    "expected_gradients",
    "generator_moments",
    "linearize",
    "moment_gradients",
    "momentum_step_bound",
    "numerical_jacobian",
    "population_path",
]

#: Gauss-Hermite nodes over the data and over the generator's noise. The integrands are smooth
#: (tanh units, logistic functions of the logit); 96 nodes integrate them to about 1e-12 at the
#: parameters the MLP pair reaches (measured against 192 nodes).
HERMITE_NODES = 96
#: Nodes of the second rule, over the instance noise's draws.
NOISE_NODES = 24


@functools.cache
def _cached_rule(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    u, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()
    u.flags.writeable = w.flags.writeable = False
    return u, w


def _rule(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Probabilists' Gauss-Hermite nodes and weights summing to 1 (computed once per size)."""
    return _cached_rule(check_int(nodes, "nodes", minimum=1))


def _models(generator: str, discriminator: str):
    from gantheory.gan.models import DISCRIMINATORS, GENERATORS

    return GENERATORS[generator], DISCRIMINATORS[discriminator]


def expected_gradients(
    theta: npt.ArrayLike,
    psi: npt.ArrayLike,
    mean: float,
    std: float,
    *,
    generator: str = "mlp",
    discriminator: str = "mlp",
    loss: str = "non-saturating",
    penalty: str | None = None,
    gamma: float = 0.0,
    noise: float = 0.0,
    nodes: int = HERMITE_NODES,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected gradients of both players' losses for a target :math:`N(\\mu_0, s_0^2)`, for E states at once.

    What ``gan.train`` descends, averaged over the data, the noise and the instance noise: each
    sample's loss gradient weighted by its Gauss-Hermite weight instead of 1/m.

    Parameters
    ----------
    theta : array_like, shape (E, P_g)
    psi : array_like, shape (E, P_d)
    mean, std : float
        The target.
    generator, discriminator : str
        Names in :data:`gantheory.gan.models.GENERATORS` and ``DISCRIMINATORS``.
    loss : {"non-saturating", "minimax", "saturating", "wgan"}
    penalty : {None, "r1", "r2"}
    gamma, noise : float
        The penalty's weight and the instance noise's scale.
    nodes : int
        Gauss-Hermite nodes over the data and over the noise.

    Returns
    -------
    grad_theta : ndarray, shape (E, P_g)
    grad_psi : ndarray, shape (E, P_d)

    Examples
    --------
    For the affine generator and quadratic discriminator it is
    :func:`gantheory.dynamics.gaussian.population_gradients`:

    >>> from gantheory.dynamics import gaussian
    >>> theta, psi = np.array([[3.6, 1.1]]), np.array([[-0.03, 0.2, -0.5]])
    >>> ours = expected_gradients(theta, psi, 4.0, 1.25, generator="affine", discriminator="quadratic", nodes=64)
    >>> theirs = gaussian.population_gradients(theta, psi, 4.0, 1.25)
    >>> bool(np.allclose(ours[0], theirs[0], rtol=0, atol=1e-15) and np.allclose(ours[1], theirs[1], rtol=0, atol=1e-15))
    True
    """
    from gantheory.gan import losses

    gen, disc = _models(generator, discriminator)
    name = losses.generator_loss_name(loss)
    if penalty not in (None, "r1", "r2"):
        raise ValueError(f"`penalty` must be None, 'r1' or 'r2'; got {penalty!r}.")
    mean, std = check_real(mean, "mean"), check_real(std, "std", positive=True)
    gamma, noise = check_real(gamma, "gamma", nonnegative=True), check_real(noise, "noise", nonnegative=True)
    theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
    psi = np.atleast_2d(np.asarray(psi, dtype=np.float64))
    e = theta.shape[0]
    u, w = _rule(nodes)
    if noise > 0:  # every sample seen through x + noise v: a product rule over (sample, v)
        v, wv = _rule(NOISE_NODES)
        u, shift, w = np.repeat(u, v.size), np.tile(noise * v, u.size), np.outer(w, wv).ravel()
    else:
        shift = np.zeros_like(u)
    n = u.size
    weight = (w * n)[None, :]  # the losses' gradients carry 1/n; a Hermite weight replaces it
    z = np.broadcast_to(u, (e, n)).copy()
    x_fake, g_cache = gen.forward(theta, z)
    x_fake = x_fake + shift
    x_real = np.broadcast_to(mean + std * u + shift, (e, n)).copy()
    s_real, real_cache = disc.forward(psi, x_real)
    s_fake, fake_cache = disc.forward(psi, x_fake)
    if name == "wgan":
        d_real, d_fake = losses.critic_loss_grad(s_real, s_fake)
    else:
        d_real, d_fake = losses.discriminator_loss_grad(s_real, s_fake)
    grad_psi = disc.backward(psi, real_cache, d_real * weight).copy()
    grad_psi += disc.backward(psi, fake_cache, d_fake * weight)
    if penalty is not None:
        cache = real_cache if penalty == "r1" else fake_cache
        slope = disc.slope(psi, cache)
        grad_psi += disc.backward_slope(psi, cache, losses.gradient_penalty_grad(slope, gamma) * weight)
    d_s = losses.generator_loss_grad(s_fake, name) * weight
    grad_theta = gen.backward(theta, g_cache, disc.backward_input(psi, fake_cache, d_s).copy())
    return grad_theta.copy(), grad_psi


def descent_field(state: npt.ArrayLike, generator_size: int, mean: float, std: float, **options) -> np.ndarray:
    """:math:`-(\\nabla_\\theta L_G, \\nabla_\\psi L_D)` in expectation, for states shaped (E, P_g + P_d).

    ``options`` are those of :func:`expected_gradients`.
    """
    state = np.atleast_2d(np.asarray(state, dtype=np.float64))
    grad_theta, grad_psi = expected_gradients(state[:, :generator_size], state[:, generator_size:], mean, std,
                                              **options)
    return -np.concatenate([grad_theta, grad_psi], axis=1)


def numerical_jacobian(state: npt.ArrayLike, generator_size: int, mean: float, std: float, *, step: float = 1e-5,
                       **options) -> np.ndarray:
    """The Jacobian of :func:`descent_field` at ``state`` (P,), by central differences: shape (P, P).

    Truncation :math:`h^2 |F'''|/6` and rounding :math:`\\epsilon |F| / h` are both near 1e-10
    at the default step for the MLP pair's fields (of order 1, smooth).
    """
    state = np.asarray(state, dtype=np.float64)
    size = state.size
    offsets = step * np.eye(size)
    values = descent_field(np.concatenate([state + offsets, state - offsets]), generator_size, mean, std, **options)
    return ((values[:size] - values[size:]) / (2 * step)).T


def generator_moments(theta: npt.ArrayLike, generator: str = "mlp", *, nodes: int = HERMITE_NODES
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each generator's output for z ~ N(0, 1), by Gauss-Hermite, shapes (E,)."""
    gen, _ = _models(generator, "quadratic")
    theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
    u, w = _rule(nodes)
    x, _ = gen.forward(theta, np.broadcast_to(u, (theta.shape[0], u.size)).copy())
    m = x @ w
    return m, np.sqrt(np.square(x - m[:, None]) @ w)


def moment_gradients(theta: npt.ArrayLike, generator: str = "mlp", *, step: float = 1e-6) -> np.ndarray:
    """Gradients of the generator's output mean and standard deviation in its parameters (P_g,),
    by central differences of :func:`generator_moments`: shape (2, P_g)."""
    theta = np.asarray(theta, dtype=np.float64)
    offsets = step * np.eye(theta.size)
    mean, std = generator_moments(np.concatenate([theta + offsets, theta - offsets]), generator)
    size = theta.size
    return np.stack([(mean[:size] - mean[size:]) / (2 * step), (std[:size] - std[size:]) / (2 * step)])


def momentum_step_bound(eigenvalue: complex, momentum: float) -> float:
    """The largest step h for which heavy-ball momentum is stable on a mode of the descent field, to leading order.

    For the linear field :math:`\\dot x = \\lambda x`, :math:`\\lambda = -a + ib`, simultaneous steps
    :math:`v' = \\beta v + \\lambda x`, :math:`x' = x + h v'` have the characteristic roots of
    :math:`\\mu^2 - (1 + \\beta + h\\lambda)\\mu + \\beta = 0`. The root near 1 is
    :math:`\\mu = 1 + h\\lambda/(1-\\beta) - h^2\\lambda^2\\beta/(1-\\beta)^3 + O(h^3)`, so
    :math:`|\\mu|^2 = 1 - 2ha/(1-\\beta) + h^2 (a^2 + b^2)/(1-\\beta)^2 + 2h^2\\beta(b^2 - a^2)/(1-\\beta)^3
    + O(h^3)` and :math:`|\\mu| < 1` while

    .. math:: h < \\frac{2a(1-\\beta)^2}{(1+\\beta) b^2 + (1 - 3\\beta) a^2},

    which is :math:`2|\\mathrm{Re}\\,\\lambda|/|\\lambda|^2` of "The Numerics of GANs" at
    :math:`\\beta = 0` (exact there). Where the denominator is not positive (nearly real modes with
    :math:`\\beta > 1/3`) the root near 1 is stable for every small step, and the bound is the one of
    a real mode, :math:`h < 2(1 + \\beta)/a`, where the other root leaves through -1.

    Examples
    --------
    >>> momentum_step_bound(-0.1 + 1j, 0.0)          # 2 a / |lambda|^2
    0.198019801980198
    >>> round(momentum_step_bound(-0.1 + 1j, 0.9) / momentum_step_bound(-0.1 + 1j, 0.0), 5)
    0.00536
    """
    a, b = -float(np.real(eigenvalue)), float(np.imag(eigenvalue))
    beta = check_real(momentum, "momentum", nonnegative=True)
    if a <= 0:
        return 0.0
    denominator = (1 + beta) * b * b + (1 - 3 * beta) * a * a
    if denominator <= 0:
        return 2 * (1 + beta) / a
    return 2 * a * (1 - beta) ** 2 / denominator


@dataclass(frozen=True)
class Linearization:
    """The expected field of ``gan.train`` near one of its stationary points.

    Attributes
    ----------
    state : ndarray, shape (P,)
        The stationary point, generator parameters first.
    generator_size : int
    residual : float
        :math:`\\|F\\|` there (the expected gradients' norm).
    jacobian : ndarray, shape (P, P)
    eigenvalues : ndarray, shape (P,)
        Of the Jacobian, by decreasing real part.
    neutral : ndarray of bool, shape (P,)
        Eigenvalues below ``tolerance`` times the largest: the manifold of stationary points.
    mean, std : float
        Of the generator's output there.
    generator : str
        The generator's name in ``gan.GENERATORS`` (for :meth:`kick` and :meth:`response`).
    """

    state: np.ndarray
    generator_size: int
    residual: float
    jacobian: np.ndarray
    eigenvalues: np.ndarray
    neutral: np.ndarray
    mean: float
    std: float
    generator: str = "mlp"

    @property
    def transversal(self) -> np.ndarray:
        """The eigenvalues that are not neutral."""
        return self.eigenvalues[~self.neutral]

    def update_eigenvalues(self, lr: float, momentum: float = 0.9, k: int = 1) -> np.ndarray:
        """Eigenvalues of ``gan.train``'s SGD-momentum iteration linearized here, leaving out the neutral
        modes (those within ``1e-6`` of 1 or of ``momentum``, where the neutral eigenvalues of the
        Jacobian map), by decreasing modulus."""
        from gantheory.dynamics.gaussian import sgd_update_matrix

        mu = np.linalg.eigvals(sgd_update_matrix(self.jacobian, lr, momentum, k, generator_size=self.generator_size))
        keep = (np.abs(mu - 1) > 1e-6) & (np.abs(mu - momentum) > 1e-6)
        mu = mu[keep]
        return mu[np.argsort(-np.abs(mu))]

    def update_radius(self, lr: float, momentum: float = 0.9, k: int = 1) -> float:
        """The largest modulus of :meth:`update_eigenvalues`: above 1 the stationary point repels."""
        return float(np.abs(self.update_eigenvalues(lr, momentum, k)[0]))

    def _moment_gradient(self, moment: str) -> np.ndarray:
        if moment not in ("mean", "std"):
            raise ValueError(f"`moment` must be 'mean' or 'std'; got {moment!r}.")
        return moment_gradients(self.state[: self.generator_size], self.generator)[("mean", "std").index(moment)]

    def kick(self, moment: str = "mean", size: float = 0.1) -> np.ndarray:
        """The smallest change of the generator's parameters that moves its output's ``moment``
        ("mean" or "std") by ``size`` to first order, as a state displacement (P,)."""
        gradient = self._moment_gradient(moment)
        out = np.zeros_like(self.state)
        out[: self.generator_size] = size * gradient / np.dot(gradient, gradient)
        return out

    def response(self, steps: npt.ArrayLike, *, lr: float, momentum: float = 0.9, k: int = 1,
                 moment: str = "mean", size: float = 0.1) -> np.ndarray:
        """The linearized deviation of the generator's ``moment`` after each of ``steps`` iterations of
        ``gan.train``'s SGD-momentum update, from a :meth:`kick` of ``size`` (no momentum yet), shape (len(steps),).

        Powers of :func:`gantheory.dynamics.gaussian.sgd_update_matrix` by its eigen-decomposition,
        the neutral modes included (they keep what the kick put along the manifold of stationary
        points), read through the moment's gradient.
        """
        from gantheory.dynamics.gaussian import sgd_update_matrix

        update = sgd_update_matrix(self.jacobian, lr, momentum, k, generator_size=self.generator_size)
        mu, vectors = np.linalg.eig(update)
        start = np.concatenate([self.kick(moment, size), np.zeros_like(self.state)])
        coef = np.linalg.solve(vectors, start)
        t = np.asarray(steps, dtype=np.float64)
        read = self._moment_gradient(moment)
        along = read @ vectors[: self.generator_size]  # each mode's effect on the moment
        return np.real((along * coef)[None, :] * mu[None, :] ** t[:, None]).sum(axis=1)


def linearize(theta: npt.ArrayLike, psi: npt.ArrayLike, mean: float, std: float, *, generator: str = "mlp",
              discriminator: str = "mlp", tolerance: float = 1e-7, **options) -> Linearization:
    """The stationary point of the expected field nearest to ``(theta, psi)`` (Newton's method, from
    there), its Jacobian and spectrum.

    Parameters
    ----------
    theta : array_like, shape (P_g,)
    psi : array_like, shape (P_d,)
    mean, std : float
        The target :math:`N(\\mu_0, s_0^2)`.
    generator, discriminator : str
    tolerance : float
        Eigenvalues smaller than this times the largest count as neutral (0 up to the
        differences' error).
    **options
        ``loss``, ``penalty``, ``gamma``, ``noise``, ``nodes`` of :func:`expected_gradients`.
    """
    theta, psi = np.asarray(theta, dtype=np.float64).ravel(), np.asarray(psi, dtype=np.float64).ravel()
    size = theta.size
    kw = dict(generator=generator, discriminator=discriminator, **options)

    def residual(x: np.ndarray) -> np.ndarray:
        return descent_field(x, size, mean, std, **kw)[0]

    def jac(x: np.ndarray) -> np.ndarray:
        return numerical_jacobian(x, size, mean, std, **kw)

    fit = optimize.least_squares(residual, np.concatenate([theta, psi]), jac=jac, xtol=1e-15, ftol=1e-15,
                                 gtol=1e-15, max_nfev=200)
    state = fit.x
    matrix = jac(state)
    lam = np.linalg.eigvals(matrix)
    lam = lam[np.lexsort((lam.imag, -lam.real))]
    neutral = np.abs(lam) < tolerance * np.abs(lam).max()
    m, s = generator_moments(state[None, :size], generator)
    return Linearization(state, size, float(np.linalg.norm(residual(state))), matrix, lam, neutral,
                         float(m[0]), float(s[0]), generator)


def population_path(theta0: npt.ArrayLike, psi0: npt.ArrayLike, mean: float, std: float, steps: int, *,
                    lr: float, momentum: float = 0.9, k: int = 1, generator: str = "mlp",
                    discriminator: str = "mlp", **options) -> tuple[np.ndarray, np.ndarray]:
    """``gan.train``'s SGD iteration on the expected gradients (no minibatch noise), for E states at once.

    k discriminator steps with momentum, then a generator step that sees the new discriminator,
    each on :func:`expected_gradients` (``options``: its loss, penalty and noise settings).

    Returns
    -------
    theta, psi : ndarrays, shapes (E, P_g) and (E, P_d)
        The states after ``steps`` iterations.
    """
    from gantheory.gan.optim import sgd_init, sgd_step

    theta = np.atleast_2d(np.asarray(theta0, dtype=np.float64)).copy()
    psi = np.atleast_2d(np.asarray(psi0, dtype=np.float64)).copy()
    v_theta, v_psi = sgd_init(theta), sgd_init(psi)
    kw = dict(generator=generator, discriminator=discriminator, **options)
    for t in range(check_int(steps, "steps", minimum=0)):
        for _ in range(k):
            sgd_step(psi, expected_gradients(theta, psi, mean, std, **kw)[1], v_psi, t + 1, lr=lr, momentum=momentum)
        sgd_step(theta, expected_gradients(theta, psi, mean, std, **kw)[0], v_theta, t + 1, lr=lr, momentum=momentum)
    return theta, psi
