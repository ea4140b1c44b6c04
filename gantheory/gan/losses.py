"""GAN losses in logits, with their gradients, averaged over the minibatch and never over members.

A discriminator outputs a logit :math:`s`, with :math:`D = \\sigma(s)`. Every log-probability is
taken from the logit with a stable primitive, never as the log of a probability:

.. math:: \\log D = \\log\\sigma(s), \\qquad \\log(1 - D) = \\log\\sigma(-s), \\qquad
          \\frac{d \\log D}{ds} = \\sigma(-s), \\qquad \\frac{d \\log(1 - D)}{ds} = -\\sigma(s).

``scipy.special.log_expit`` and ``expit`` are exact to the last digits for logits of any size,
so a discriminator that is sure of itself (:math:`s = \\pm 40`) still gives its true, tiny
gradient rather than 0 or NaN: this is what lets the vanishing-gradient experiment measure how
small the saturating gradient really is.

All losses are *minimized*: the discriminator loss is minus the objective of eq. (3).
Arrays are shaped (E, m): the ensemble axis first; the losses return one value per member, (E,).

Beyond the losses of the article:

- **WGAN** (Arjovsky, Chintala & Bottou 2017): the logit is read as a critic value, the critic
  minimizes :math:`\\frac1{m'}\\sum s(G(z_i)) - \\frac1m \\sum s(x_i)` (:func:`critic_loss`, minus
  the estimate of :math:`W_1` its Lipschitz bound allows) and the generator
  :math:`-\\frac1m\\sum s(G(z_i))` (``generator_loss(s, "wgan")``); the bound comes from clipping
  the critic's weights or from a gradient penalty.
- **Gradient penalties** on the slope :math:`s'(x) = \\partial s/\\partial x` of the logit, added to
  the discriminator's loss only: :func:`gradient_penalty`, :math:`\\frac\\gamma2 \\frac1n \\sum_i
  (|s'(x_i)| - t)^2`, with t = 0 at the data for R1 and at the generated samples for R2
  (Mescheder, Geiger & Nowozin 2018, eq. 9-10) and t = 1 at random interpolates for WGAN-GP
  (Gulrajani et al. 2017, whose :math:`\\lambda` is :math:`\\gamma/2`: their
  :math:`\\lambda = 10` is :math:`\\gamma = 20`). Every penalty carries the same :math:`\\gamma/2`,
  as in the Dirac-GAN of :mod:`gantheory.dynamics`. Its gradient in the discriminator's parameters
  goes through the slope's own parameter gradient, a mixed second derivative
  (:func:`gantheory.gan.models.quadratic_backward_slope`, :func:`~gantheory.gan.models.mlp_backward_slope`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import expit, log_expit

__all__ = [
    "GENERATOR_LOSSES",
    "critic_loss",
    "critic_loss_grad",
    "discriminator_loss",
    "discriminator_loss_grad",
    "generator_loss",
    "generator_loss_grad",
    "generator_loss_name",
    "gradient_penalty",
    "gradient_penalty_grad",
]

#: Generator losses by name. "saturating" is a synonym of "minimax", the loss of Algorithm 1;
#: "wgan" is the Wasserstein GAN's, whose discriminator (critic) minimizes :func:`critic_loss`.
GENERATOR_LOSSES = ("minimax", "saturating", "non-saturating", "wgan")


def discriminator_loss(s_real: np.ndarray, s_fake: np.ndarray) -> np.ndarray:
    """Minus the discriminator's objective of eq. (3), averaged over the minibatch.

    .. math:: L_D = -\\frac1m \\sum_i \\log D(x_i) - \\frac1m \\sum_i \\log(1 - D(G(z_i)))

    Parameters
    ----------
    s_real : ndarray, shape (E, m)
        Logits on data samples :math:`x_i \\sim p_{data}`.
    s_fake : ndarray, shape (E, m')
        Logits on generated samples :math:`G(z_i)`.

    Returns
    -------
    ndarray, shape (E,)
        The binary cross-entropy (with its minus sign, which the article drops); ``log 4`` for the
        indifferent discriminator D = 1/2, which is the value at the equilibrium of Theorem 1.

    Examples
    --------
    >>> bool(np.isclose(discriminator_loss(np.zeros((1, 3)), np.zeros((1, 5)))[0], np.log(4)))
    True
    """
    return -(log_expit(s_real).mean(axis=-1) + log_expit(-s_fake).mean(axis=-1))


def discriminator_loss_grad(s_real: np.ndarray, s_fake: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of :func:`discriminator_loss` with respect to both logit arrays.

    .. math:: \\frac{\\partial L_D}{\\partial s_i^{real}} = -\\frac{\\sigma(-s_i)}{m}, \\qquad
              \\frac{\\partial L_D}{\\partial s_i^{fake}} = \\frac{\\sigma(s_i)}{m'}

    Returns
    -------
    d_real : ndarray, shape (E, m)
    d_fake : ndarray, shape (E, m')

    Examples
    --------
    At D = 1/2 each real logit is pushed up and each fake one down by 1/(2m):

    >>> d_real, d_fake = discriminator_loss_grad(np.zeros((1, 2)), np.zeros((1, 2)))
    >>> d_real, d_fake
    (array([[-0.25, -0.25]]), array([[0.25, 0.25]]))
    """
    return -expit(-s_real) / s_real.shape[-1], expit(s_fake) / s_fake.shape[-1]


def generator_loss_name(loss: str) -> str:
    """The canonical name of a generator loss: "saturating" is "minimax".

    Examples
    --------
    >>> generator_loss_name("saturating")
    'minimax'
    """
    if loss not in GENERATOR_LOSSES:
        listed = ", ".join(repr(name) for name in GENERATOR_LOSSES)
        raise ValueError(f"`loss` must be one of {listed}; got {loss!r}.")
    return "minimax" if loss == "saturating" else loss


def generator_loss(s_fake: np.ndarray, loss: str = "non-saturating") -> np.ndarray:
    """The generator's loss on logits of generated samples, averaged over the minibatch.

    .. math:: L_G^{minimax} = \\frac1m \\sum_i \\log(1 - D(G(z_i))) \\quad \\text{(Algorithm 1)},
              \\qquad L_G^{non-sat} = -\\frac1m \\sum_i \\log D(G(z_i)) \\quad \\text{(eq. 10)},
              \\qquad L_G^{wgan} = -\\frac1m \\sum_i s(G(z_i))

    Parameters
    ----------
    s_fake : ndarray, shape (E, m)
        Logits :math:`s(G(z_i))`.
    loss : {"non-saturating", "minimax", "saturating", "wgan"}
        "minimax" (synonym "saturating") descends the second term of eq. (6) as Algorithm 1
        does; "non-saturating" ascends :math:`\\log D(G(z))` instead (eq. 10), which has the same
        fixed point but does not vanish when D rejects the generated samples; "wgan" ascends the
        critic's value :math:`s(G(z))` itself (WGAN).

    Returns
    -------
    ndarray, shape (E,)

    Examples
    --------
    Both losses are ``log 2`` in size at D = 1/2, with opposite signs:

    >>> s = np.zeros((1, 4))
    >>> float(generator_loss(s, "minimax")[0]), float(generator_loss(s, "non-saturating")[0])
    (-0.6931471805599453, 0.6931471805599453)
    """
    name = generator_loss_name(loss)
    if name == "minimax":
        return log_expit(-s_fake).mean(axis=-1)
    if name == "wgan":
        return -s_fake.mean(axis=-1)
    return -log_expit(s_fake).mean(axis=-1)


def generator_loss_grad(s_fake: np.ndarray, loss: str = "non-saturating") -> np.ndarray:
    """Gradient of :func:`generator_loss` with respect to the logits, shape (E, m).

    .. math:: \\frac{\\partial L_G^{minimax}}{\\partial s_i} = -\\frac{\\sigma(s_i)}{m}, \\qquad
              \\frac{\\partial L_G^{non-sat}}{\\partial s_i} = -\\frac{\\sigma(-s_i)}{m}, \\qquad
              \\frac{\\partial L_G^{wgan}}{\\partial s_i} = -\\frac1m

    Where D confidently rejects a sample (:math:`s \\to -\\infty`) the first vanishes like
    :math:`e^{s}` while the second tends to :math:`-1/m`: section 6.1 of the article.

    Examples
    --------
    >>> s = np.array([[-40.0]])
    >>> float(generator_loss_grad(s, "minimax")[0, 0]), float(generator_loss_grad(s, "non-saturating")[0, 0])
    (-4.248354255291589e-18, -1.0)
    """
    m = s_fake.shape[-1]
    name = generator_loss_name(loss)
    if name == "minimax":
        return -expit(s_fake) / m
    if name == "wgan":
        return np.full_like(s_fake, -1.0 / m)
    return -expit(-s_fake) / m


def critic_loss(s_real: np.ndarray, s_fake: np.ndarray) -> np.ndarray:
    """The WGAN critic's loss, :math:`\\frac1{m'}\\sum_i s(G(z_i)) - \\frac1m\\sum_i s(x_i)`, shape (E,).

    Minus the critic's estimate of :math:`W_1(p_{data}, p_g)` (Arjovsky, Chintala & Bottou 2017,
    eq. 3): the estimate is a lower bound when the critic is 1-Lipschitz, which weight clipping
    or a gradient penalty only approximates.

    Parameters
    ----------
    s_real : ndarray, shape (E, m)
        Critic values on data samples.
    s_fake : ndarray, shape (E, m')
        Critic values on generated samples.

    Examples
    --------
    The critic s(x) = x between N(0, 1) and N(2, 1) samples gives minus the distance of the means:

    >>> float(critic_loss(np.array([[-1.0, 1.0]]), np.array([[1.0, 3.0]]))[0])
    2.0
    """
    return s_fake.mean(axis=-1) - s_real.mean(axis=-1)


def critic_loss_grad(s_real: np.ndarray, s_fake: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of :func:`critic_loss`: :math:`-1/m` for each data sample, :math:`1/m'` for each generated one.

    Examples
    --------
    >>> critic_loss_grad(np.zeros((1, 2)), np.zeros((1, 4)))
    (array([[-0.5, -0.5]]), array([[0.25, 0.25, 0.25, 0.25]]))
    """
    return np.full_like(s_real, -1.0 / s_real.shape[-1]), np.full_like(s_fake, 1.0 / s_fake.shape[-1])


def _weight(gamma: npt.ArrayLike, slope: np.ndarray) -> np.ndarray:
    """gamma as a column over the members: a number, or one per member (E,)."""
    gamma = np.asarray(gamma, dtype=slope.dtype)
    return gamma[:, None] if gamma.ndim == 1 else gamma


def gradient_penalty(slope: np.ndarray, gamma: npt.ArrayLike, target: float = 0.0) -> np.ndarray:
    """:math:`\\frac\\gamma2 \\frac1n \\sum_i (|s'(x_i)| - t)^2` per member, shape (E,).

    Parameters
    ----------
    slope : ndarray, shape (E, n)
        :math:`s'(x_i)`, the logit's slope at the points where the penalty is taken
        (:func:`gantheory.gan.models.quadratic_slope`, :func:`~gantheory.gan.models.mlp_slope`).
    gamma : float or ndarray, shape (E,)
        The weight :math:`\\gamma \\ge 0`, for all members or one each.
    target : float
        t: 0 for R1 (at the data) and R2 (at the generated samples), Mescheder et al. (2018),
        eq. (9)-(10); 1 for WGAN-GP's two-sided penalty at interpolates (Gulrajani et al. 2017).

    Examples
    --------
    >>> slope = np.array([[3.0, -1.0]])
    >>> float(gradient_penalty(slope, 2.0)[0]), float(gradient_penalty(slope, 2.0, target=1.0)[0])
    (5.0, 2.0)
    """
    return 0.5 * (_weight(gamma, slope) * np.square(np.abs(slope) - target)).mean(axis=-1)


def gradient_penalty_grad(slope: np.ndarray, gamma: npt.ArrayLike, target: float = 0.0) -> np.ndarray:
    """Gradient of :func:`gradient_penalty` with respect to the slopes, shape (E, n).

    .. math:: \\frac{\\partial}{\\partial s'_i} \\frac{\\gamma}{2n} (|s'_i| - t)^2
              = \\frac\\gamma n (|s'_i| - t) \\operatorname{sign}(s'_i)
              = \\frac\\gamma n (s'_i - t \\operatorname{sign}(s'_i))

    At :math:`s'_i = 0` with t > 0 the penalty has a kink; the gradient taken there is 0, the
    middle of its subdifferential :math:`[-\\gamma t/n, \\gamma t/n]` (``numpy.sign(0) = 0``).
    The discriminator's gradient is this, sent back through
    :func:`gantheory.gan.models.quadratic_backward_slope` or ``mlp_backward_slope``.

    Examples
    --------
    A slope of -0.5 is pulled towards -1, one of 3 towards 1:

    >>> gradient_penalty_grad(np.array([[3.0, -0.5]]), 2.0, target=1.0)
    array([[2. , 0.5]])
    """
    return _weight(gamma, slope) * (slope - target * np.sign(slope)) / slope.shape[-1]
