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
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit

__all__ = [
    "GENERATOR_LOSSES",
    "discriminator_loss",
    "discriminator_loss_grad",
    "generator_loss",
    "generator_loss_grad",
    "generator_loss_name",
]

#: Generator losses by name. "saturating" is a synonym of "minimax", the loss of Algorithm 1.
GENERATOR_LOSSES = ("minimax", "saturating", "non-saturating")


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
              \\qquad L_G^{non-sat} = -\\frac1m \\sum_i \\log D(G(z_i)) \\quad \\text{(eq. 10)}

    Parameters
    ----------
    s_fake : ndarray, shape (E, m)
        Logits :math:`s(G(z_i))`.
    loss : {"non-saturating", "minimax", "saturating"}
        "minimax" (synonym "saturating") descends the second term of eq. (6) as Algorithm 1
        does; "non-saturating" ascends :math:`\\log D(G(z))` instead (eq. 10), which has the same
        fixed point but does not vanish when D rejects the generated samples.

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
    if generator_loss_name(loss) == "minimax":
        return log_expit(-s_fake).mean(axis=-1)
    return -log_expit(s_fake).mean(axis=-1)


def generator_loss_grad(s_fake: np.ndarray, loss: str = "non-saturating") -> np.ndarray:
    """Gradient of :func:`generator_loss` with respect to the logits, shape (E, m).

    .. math:: \\frac{\\partial L_G^{minimax}}{\\partial s_i} = -\\frac{\\sigma(s_i)}{m}, \\qquad
              \\frac{\\partial L_G^{non-sat}}{\\partial s_i} = -\\frac{\\sigma(-s_i)}{m}

    Where D confidently rejects a sample (:math:`s \\to -\\infty`) the first vanishes like
    :math:`e^{s}` while the second tends to :math:`-1/m`: section 6.1 of the article.

    Examples
    --------
    >>> s = np.array([[-40.0]])
    >>> float(generator_loss_grad(s, "minimax")[0, 0]), float(generator_loss_grad(s, "non-saturating")[0, 0])
    (-4.248354255291589e-18, -1.0)
    """
    m = s_fake.shape[-1]
    if generator_loss_name(loss) == "minimax":
        return -expit(s_fake) / m
    return -expit(-s_fake) / m
