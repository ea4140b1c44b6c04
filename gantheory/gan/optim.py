"""Optimizers on (E, P) parameter arrays: SGD with momentum (Algorithm 1's) and Adam.

Each optimizer is a pair of functions: ``init(params) -> state``, a list of arrays shaped like
``params``, and ``step(params, grads, state, t, **hyper)``, which *descends* the gradient and
updates ``params`` and ``state`` in place (a few whole-array NumPy calls, whatever the number of
members). ``t`` is the 1-based count of steps, which Adam's bias correction needs. Each
hyperparameter is a float shared by all members or an (E, 1) column, one value per member, which
gives each member the bits the float would (:mod:`gantheory.gan.per_member`).

The update rules are PyTorch's (``torch.optim.SGD`` with ``dampening=0``, ``torch.optim.Adam``),
so that a benchmark against PyTorch compares the same arithmetic:

.. math:: \\text{SGD:}\\quad v \\leftarrow \\mu v + g, \\qquad \\theta \\leftarrow \\theta - \\eta v

.. math:: \\text{Adam:}\\quad m \\leftarrow \\beta_1 m + (1-\\beta_1) g, \\quad
          v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2, \\quad
          \\theta \\leftarrow \\theta - \\frac{\\eta}{1-\\beta_1^t}
          \\frac{m}{\\sqrt{v/(1-\\beta_2^t)} + \\epsilon}

Goodfellow et al. (2014) write the momentum step as :math:`v \\leftarrow \\mu v - \\eta g`,
:math:`\\theta \\leftarrow \\theta + v`: the same trajectory when :math:`\\eta` is constant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from gantheory.gan.per_member import per_value, rounded

__all__ = ["OPTIMIZERS", "Optimizer", "adam_init", "adam_step", "sgd_init", "sgd_step"]


def sgd_init(params: np.ndarray) -> list[np.ndarray]:
    """The momentum buffer, zeros shaped like ``params``."""
    return [np.zeros_like(params)]


def sgd_step(
    params: np.ndarray,
    grads: np.ndarray,
    state: list[np.ndarray],
    t: int,
    *,
    lr: float | np.ndarray,
    momentum: float | np.ndarray = 0.9,
    **unused: float | np.ndarray,
) -> None:
    """One step of SGD with momentum, in place.

    Parameters
    ----------
    params, grads : ndarray, shape (E, P)
    state : list of one ndarray, shape (E, P)
        The momentum buffer v, from :func:`sgd_init`.
    t : int
        Step count (unused: SGD needs no bias correction).
    lr, momentum : float or ndarray, shape (E, 1)
        :math:`\\eta` and :math:`\\mu`, shared or one per member.

    Examples
    --------
    The first step is plain gradient descent, the second adds the remembered velocity:

    >>> p = np.array([[1.0]]); state = sgd_init(p)
    >>> sgd_step(p, np.array([[2.0]]), state, 1, lr=0.1, momentum=0.5); p
    array([[0.8]])
    >>> sgd_step(p, np.array([[2.0]]), state, 2, lr=0.1, momentum=0.5); p   # v = 0.5*2 + 2 = 3
    array([[0.5]])

    Two members with their own learning rates:

    >>> p = np.ones((2, 1)); sgd_step(p, np.ones((2, 1)), sgd_init(p), 1, lr=np.array([[0.1], [0.5]])); p
    array([[0.9],
           [0.5]])
    """
    (velocity,) = state
    if type(lr) is not float or type(momentum) is not float:  # columns, rounded as floats would be
        lr, momentum = rounded(lr, params), rounded(momentum, params)
    velocity *= momentum
    velocity += grads
    params -= lr * velocity


def adam_init(params: np.ndarray) -> list[np.ndarray]:
    """First and second moment estimates, zeros shaped like ``params``."""
    return [np.zeros_like(params), np.zeros_like(params)]


def adam_step(
    params: np.ndarray,
    grads: np.ndarray,
    state: list[np.ndarray],
    t: int,
    *,
    lr: float | np.ndarray,
    beta1: float | np.ndarray = 0.9,
    beta2: float | np.ndarray = 0.999,
    eps: float = 1e-8,
    **unused: float | np.ndarray,
) -> None:
    """One Adam step (Kingma & Ba 2015), in place.

    Parameters
    ----------
    params, grads : ndarray, shape (E, P)
    state : list of two ndarrays, shape (E, P)
        The moment estimates from :func:`adam_init`.
    t : int
        1-based step count, for the bias corrections :math:`1 - \\beta^t`.
    lr, beta1, beta2 : float or ndarray, shape (E, 1)
        Shared or one per member.
    eps : float

    Examples
    --------
    Bias correction makes the first step move each parameter by about ``lr``, whatever the
    gradient's size:

    >>> p = np.array([[1.0, 1.0]]); state = adam_init(p)
    >>> adam_step(p, np.array([[1e-3, 1e3]]), state, 1, lr=0.1)
    >>> np.round(p, 4)
    array([[0.9, 0.9]])
    """
    first, second = state
    first *= rounded(beta1, first)
    first += rounded(1.0 - beta1, first) * grads
    second *= rounded(beta2, second)
    second += rounded(1.0 - beta2, second) * np.square(grads)
    denom = np.sqrt(second)
    denom *= 1.0 / np.sqrt(1.0 - per_value(lambda b: b**t, beta2))  # float64 (a NumPy scalar for a float)
    denom += eps
    params -= rounded(lr / (1.0 - per_value(lambda b: b**t, beta1)), params) * first / denom


class Optimizer(NamedTuple):
    """An optimizer's name and its ``init`` and ``step`` functions."""

    name: str
    init: Callable[[np.ndarray], list[np.ndarray]]
    step: Callable[..., None]


OPTIMIZERS: dict[str, Optimizer] = {
    "sgd": Optimizer("sgd", sgd_init, sgd_step),
    "adam": Optimizer("adam", adam_init, adam_step),
}
"""Optimizers by name."""
