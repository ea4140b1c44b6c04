"""Generators and discriminators of the NumPy GAN: pure functions over flat parameter arrays.

Every model keeps the parameters of an ensemble of E independent networks in one array shaped
(E, P), the ensemble axis first, so that an optimizer step is a handful of NumPy calls on one
array whatever the architecture. Data are shaped (E, n): member e sees only row e.

Each model provides

* ``init(rng, hidden, dtype) -> params`` of shape (P,), for one member;
* ``forward(params, x) -> (out, cache)`` with ``x`` and ``out`` shaped (E, n);
* ``backward(params, cache, d_out) -> grads`` shaped like ``params`` (E, P): the gradient of
  :math:`\\sum_{e,i} d\\_out_{ei} \\, out_{ei}` with respect to the parameters;
* discriminators also ``backward_input(params, cache, d_out) -> d_x`` shaped (E, n), and for the
  gradient penalties (R1, R2, WGAN-GP) the slope of the logit in its input,
  ``slope(params, cache) -> s'(x)`` shaped (E, n), with its parameter gradient
  ``backward_slope(params, cache, d_slope) -> grads``: the gradient of
  :math:`\\sum_{e,i} d\\_slope_{ei} \\, s'(x_{ei})`, a mixed second derivative
  :math:`\\partial^2 s / \\partial x \\, \\partial \\psi`, derived by hand below each slope;
* ``unpack(params)`` giving the named weights as views (no copies).

Discriminators output *logits* :math:`s(x)`, with :math:`D(x) = \\sigma(s(x))`; losses are taken
in logits (:mod:`gantheory.gan.losses`).

The arithmetic lives in one small *kernel* class per model (:class:`AffineKernel`,
:class:`QuadraticKernel`, :class:`MLPKernel`), each backward pass directly under its forward
pass. A kernel owns the scratch arrays for one ensemble size and batch size, allocated once, so
that the training loop runs each layer as one NumPy call on preallocated memory; the pure
functions above create a fresh kernel per forward call and return it as the ``cache``. Inputs are
written into ``kernel.inputs``, shaped (E, 1, n), which another kernel may fill directly (the
generator writes its samples straight into the discriminator's inputs).

Layout, chosen for speed (one matrix product per layer and no broadcasting over the hidden axis,
which NumPy does slowly): the MLPs' hidden activations are stored hidden-major, (E, H + 1, n),
with a last row of ones so that the next layer's bias rides in the same product, and each
layer's weights are stored as the augmented matrix :math:`[W^T \\mid b]` it multiplies.

==============  =======================================  ==========================================
model           parameters, shape (E, P)                  map
==============  =======================================  ==========================================
affine (G)      ``[mu, sigma]``, P = 2                    :math:`x = \\mu + \\sigma z`, so
                                                          :math:`p_g = N(\\mu, \\sigma^2)`
mlp (G or D)    ``[w1_1, b1_1, ..., w1_H, b1_H,``         :math:`h = \\tanh(w_1 x + b_1)`,
                ``w2_1, ..., w2_H, b2]``, P = 3H + 1      :math:`y = w_2 \\cdot h + b_2`
quadratic (D)   ``[a, b, c]``, P = 3                      :math:`s = a x^2 + b x + c`
==============  =======================================  ==========================================

The quadratic discriminator contains the exact optimal discriminator for two Gaussians: by
eq. (7), :math:`\\operatorname{logit} D^*(x) = \\log p_{data}(x) - \\log p_g(x)`, a quadratic in x.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

__all__ = [
    "AffineKernel",
    "DISCRIMINATORS",
    "GENERATORS",
    "MLPKernel",
    "Model",
    "QuadraticKernel",
    "affine_backward",
    "affine_forward",
    "mlp_backward",
    "mlp_backward_input",
    "mlp_backward_slope",
    "mlp_forward",
    "mlp_slope",
    "quadratic_backward",
    "quadratic_backward_input",
    "quadratic_backward_slope",
    "quadratic_forward",
    "quadratic_slope",
]


class Model(NamedTuple):
    """A generator or discriminator: its name, kernel class and pure functions."""

    name: str
    size: Callable[[int], int]
    init: Callable[[np.random.Generator, int, type], np.ndarray]
    kernel: type
    forward: Callable
    backward: Callable
    backward_input: Callable | None
    unpack: Callable[[np.ndarray], dict]
    slope: Callable | None = None
    backward_slope: Callable | None = None


def _ones_row(shape: tuple[int, ...], dtype: np.dtype, row: int) -> np.ndarray:
    """An uninitialized array with one row (along axis 1) of ones: a bias folded into a product."""
    out = np.empty(shape, dtype=dtype)
    out[:, row] = 1.0
    return out


class _Scratch:
    """Arrays a kernel allocates on first use only (the penalties' buffers), by name."""

    def __init__(self, dtype: type) -> None:
        self.dtype, self.arrays = dtype, {}

    def __call__(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        array = self.arrays.get(name)
        if array is None:
            array = self.arrays[name] = np.empty(shape, self.dtype)
        return array


def _check_batch(params: np.ndarray, x: np.ndarray, name: str) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[0] != params.shape[0]:
        raise ValueError(
            f"`{name}` must be shaped (E, n) with E = {params.shape[0]} members as in the "
            f"parameters, got shape {x.shape}."
        )
    return x


# ---------------------------------------------------------------------------------- affine G


def affine_init(rng: np.random.Generator, hidden: int = 0, dtype: type = np.float64) -> np.ndarray:
    """The standard normal: mu = 0, sigma = 1 (deterministic; ``rng`` and ``hidden`` unused)."""
    return np.array([0.0, 1.0], dtype=dtype)


def affine_unpack(theta: np.ndarray) -> dict:
    """``{"mu": (E,), "sigma": (E,)}`` views of ``theta`` (E, 2)."""
    return {"mu": theta[:, 0], "sigma": theta[:, 1]}


class AffineKernel:
    """The affine generator :math:`x = \\mu + \\sigma z` on E members and n samples."""

    def __init__(self, e: int, n: int, size: int = 2, dtype: type = np.float64) -> None:
        self.features = _ones_row((e, 2, n), dtype, row=0)  # rows [1, z]
        self.features_t = np.swapaxes(self.features, 1, 2)  # (E, n, 2)
        self.inputs = self.features[:, 1:2]  # z, (E, 1, n)
        self.out = np.empty((e, 1, n), dtype)
        self.grads = np.empty((e, 1, 2), dtype)

    def forward(self, theta: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """x = [mu, sigma] @ [1; z], (E, n); written into ``out`` (E, 1, n) if given."""
        out = self.out if out is None else out
        np.matmul(theta[:, None, :], self.features, out=out)  # (E, 1, n)
        return out[:, 0]

    def backward(self, theta: np.ndarray, d_x: np.ndarray) -> np.ndarray:
        """(sum_i d_i, sum_i d_i z_i): the gradient for (mu, sigma), (E, 2)."""
        np.matmul(d_x[:, None, :], self.features_t, out=self.grads)  # (E, 1, 2)
        return self.grads[:, 0]


def affine_forward(theta: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, AffineKernel]:
    """The affine generator :math:`x = \\mu + \\sigma z`.

    Parameters
    ----------
    theta : ndarray, shape (E, 2)
        ``[mu, sigma]`` per member.
    z : ndarray, shape (E, n)
        Noise from :math:`p_z = N(0, 1)`.

    Returns
    -------
    x : ndarray, shape (E, n)
    cache : AffineKernel
        Holds the features ``[1, z]`` that ``x`` is linear in.

    Examples
    --------
    >>> x, _ = affine_forward(np.array([[4.0, 1.25]]), np.array([[-1.0, 0.0, 2.0]]))
    >>> x
    array([[2.75, 4.  , 6.5 ]])
    """
    z = _check_batch(theta, z, "z")
    kernel = AffineKernel(*z.shape, 2, theta.dtype)
    kernel.inputs[:, 0] = z
    return kernel.forward(theta), kernel


def affine_backward(theta: np.ndarray, cache: AffineKernel, d_x: np.ndarray) -> np.ndarray:
    """Gradient :math:`(\\sum_i d_i, \\sum_i d_i z_i)` with respect to ``(mu, sigma)``, shape (E, 2)."""
    return cache.backward(theta, d_x)


# ---------------------------------------------------------------------------------- quadratic D


def quadratic_init(rng: np.random.Generator, hidden: int = 0, dtype: type = np.float64) -> np.ndarray:
    """All zeros: D = 1/2 everywhere (deterministic; ``rng`` and ``hidden`` unused)."""
    return np.zeros(3, dtype=dtype)


def quadratic_unpack(psi: np.ndarray) -> dict:
    """``{"a": (E,), "b": (E,), "c": (E,)}`` views of ``psi`` (E, 3): :math:`s = a x^2 + b x + c`."""
    return {"a": psi[:, 0], "b": psi[:, 1], "c": psi[:, 2]}


class QuadraticKernel:
    """The quadratic logit :math:`s = a x^2 + b x + c` on E members and n samples."""

    def __init__(self, e: int, n: int, size: int = 3, dtype: type = np.float64) -> None:
        self.features = _ones_row((e, 3, n), dtype, row=2)  # rows [x^2, x, 1]
        self.features_t = np.swapaxes(self.features, 1, 2)  # (E, n, 3)
        self.inputs = self.features[:, 1:2]  # x, (E, 1, n)
        self.x, self.x2 = self.features[:, 1], self.features[:, 0]  # (E, n) each
        self.out = np.empty((e, 1, n), dtype)
        self.grads = np.empty((e, 1, 3), dtype)
        self.d_x = np.empty((e, n), dtype)
        self.scratch = _Scratch(dtype)

    def forward(self, psi: np.ndarray) -> np.ndarray:
        """s = [a, b, c] @ [x^2; x; 1], (E, n)."""
        np.square(self.x, out=self.x2)
        np.matmul(psi[:, None, :], self.features, out=self.out)  # (E, 1, n)
        return self.out[:, 0]

    def backward(self, psi: np.ndarray, d_s: np.ndarray) -> np.ndarray:
        """sum_i d_i (x_i^2, x_i, 1): the gradient for (a, b, c), (E, 3)."""
        np.matmul(d_s[:, None, :], self.features_t, out=self.grads)  # (E, 1, 3)
        return self.grads[:, 0]

    def backward_input(self, psi: np.ndarray, d_s: np.ndarray) -> np.ndarray:
        """d_i (2 a x_i + b): the gradient for the inputs, (E, n)."""
        d_x = self.d_x
        np.multiply(self.x, psi[:, 0:1], out=d_x)  # a x_i
        np.add(d_x, d_x, out=d_x)  # 2 a x_i, without a temporary for 2a
        d_x += psi[:, 1:2]
        d_x *= d_s
        return d_x

    def slope(self, psi: np.ndarray) -> np.ndarray:
        """The logit's slope in its input, :math:`s'(x_i) = 2 a x_i + b`, (E, n)."""
        out = self.scratch("slope", self.x.shape)
        np.multiply(self.x, psi[:, 0:1], out=out)
        np.add(out, out, out=out)
        out += psi[:, 1:2]
        return out

    def backward_slope(self, psi: np.ndarray, d_slope: np.ndarray) -> np.ndarray:
        """Gradient for (a, b, c) of :math:`\\sum_i d_i s'(x_i)`: :math:`\\sum_i d_i (2 x_i, 1, 0)`, (E, 3).

        :math:`s' = 2 a x + b`, so :math:`\\partial s'/\\partial(a, b, c) = (2x, 1, 0)`: the bias
        does not move the slope.
        """
        e = psi.shape[0]
        sums = self.scratch("slope_sums", (e, 1, 3))
        np.matmul(d_slope[:, None, :], self.features_t, out=sums)  # (sum d x^2, sum d x, sum d)
        grads = self.scratch("slope_grads", (e, 3))
        np.multiply(sums[:, 0, 1], 2.0, out=grads[:, 0])
        grads[:, 1] = sums[:, 0, 2]
        grads[:, 2] = 0.0
        return grads


def quadratic_forward(psi: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, QuadraticKernel]:
    """The quadratic logit :math:`s(x) = a x^2 + b x + c`.

    Parameters
    ----------
    psi : ndarray, shape (E, 3)
        ``[a, b, c]`` per member.
    x : ndarray, shape (E, n)

    Returns
    -------
    s : ndarray, shape (E, n)
        Logits; :math:`D(x) = \\sigma(s)`.
    cache : QuadraticKernel
        Holds the features ``[x**2, x, 1]``.

    Notes
    -----
    With :math:`a = (1/\\sigma_g^2 - 1/\\sigma_d^2)/2` and matching b, c, s is exactly
    :math:`\\log p_{data} - \\log p_g` for :math:`p_{data} = N(\\mu_d, \\sigma_d^2)`,
    :math:`p_g = N(\\mu_g, \\sigma_g^2)`: the logit of D* of eq. (7).

    Examples
    --------
    The logit of D* for p_data = N(0, 1), p_g = N(2, 1) is :math:`2 - 2x`:

    >>> s, _ = quadratic_forward(np.array([[0.0, -2.0, 2.0]]), np.array([[0.0, 1.0, 3.0]]))
    >>> s
    array([[ 2.,  0., -4.]])
    """
    x = _check_batch(psi, x, "x")
    kernel = QuadraticKernel(*x.shape, 3, psi.dtype)
    kernel.inputs[:, 0] = x
    return kernel.forward(psi), kernel


def quadratic_backward(psi: np.ndarray, cache: QuadraticKernel, d_s: np.ndarray) -> np.ndarray:
    """Gradient with respect to ``(a, b, c)``: :math:`\\sum_i d_i (x_i^2, x_i, 1)`, shape (E, 3)."""
    return cache.backward(psi, d_s)


def quadratic_backward_input(psi: np.ndarray, cache: QuadraticKernel, d_s: np.ndarray) -> np.ndarray:
    """Gradient with respect to the inputs: :math:`d_i (2 a x_i + b)`, shape (E, n)."""
    return cache.backward_input(psi, d_s)


def quadratic_slope(psi: np.ndarray, cache: QuadraticKernel) -> np.ndarray:
    """The slope of the logit in its input at the cached inputs, :math:`2 a x_i + b`, shape (E, n).

    Examples
    --------
    >>> psi = np.array([[0.5, -1.0, 3.0]])
    >>> _, cache = quadratic_forward(psi, np.array([[0.0, 1.0, 2.0]]))
    >>> quadratic_slope(psi, cache)
    array([[-1.,  0.,  1.]])
    """
    return cache.slope(psi)


def quadratic_backward_slope(psi: np.ndarray, cache: QuadraticKernel, d_slope: np.ndarray) -> np.ndarray:
    """Gradient for ``(a, b, c)`` of :math:`\\sum_i d_i s'(x_i)`: :math:`\\sum_i d_i (2 x_i, 1, 0)`, shape (E, 3).

    The mixed second derivative :math:`\\partial^2 s / \\partial x \\, \\partial \\psi` that the
    gradient penalties need: the R1 penalty :math:`\\frac{\\gamma}{2m} \\sum_i s'(x_i)^2` has the
    gradient ``quadratic_backward_slope(psi, cache, gamma * s' / m)``.

    Examples
    --------
    >>> psi = np.array([[0.5, -1.0, 3.0]])
    >>> _, cache = quadratic_forward(psi, np.array([[1.0, 2.0]]))
    >>> quadratic_backward_slope(psi, cache, np.ones((1, 2)))      # (2 (1 + 2), 2, 0)
    array([[6., 2., 0.]])
    """
    return cache.backward_slope(psi, d_slope)


# ---------------------------------------------------------------------------------- MLP (G or D)


def mlp_size(hidden: int) -> int:
    """Number of parameters of a 1 -> hidden -> 1 MLP: 3 * hidden + 1."""
    return 3 * hidden + 1


def mlp_hidden(size: int) -> int:
    """The hidden width H of an MLP with ``size`` = 3H + 1 parameters per member."""
    hidden, rest = divmod(size - 1, 3)
    if rest or hidden < 1:
        raise ValueError(f"MLP parameters must have 3H + 1 entries per member (H >= 1), got {size}.")
    return hidden


def mlp_init(rng: np.random.Generator, hidden: int = 16, dtype: type = np.float64) -> np.ndarray:
    """Random initial parameters of one member: w1, b1 ~ N(0, 1); w2 ~ N(0, 1/H); b2 = 0.

    Unit-variance input weights and biases spread the tanh units' kinks over the bulk of a
    standardized input; the 1/H variance of the output weights keeps the output of order 1.
    """
    first = rng.standard_normal((hidden, 2))  # [w1, b1] per hidden unit
    second = np.append(rng.standard_normal(hidden) / np.sqrt(hidden), 0.0)
    return np.concatenate([first.ravel(), second]).astype(dtype)


def mlp_unpack(params: np.ndarray) -> dict:
    """``{"w1": (E, H), "b1": (E, H), "w2": (E, H), "b2": (E,)}`` views of ``params`` (E, 3H + 1)."""
    hidden = mlp_hidden(params.shape[-1])
    first = params[:, : 2 * hidden].reshape(-1, hidden, 2)
    return {
        "w1": first[:, :, 0],
        "b1": first[:, :, 1],
        "w2": params[:, 2 * hidden : 3 * hidden],
        "b2": params[:, 3 * hidden],
    }


class MLPKernel:
    """A 1 -> H -> 1 tanh MLP on E members and n samples (hidden-major layout)."""

    def __init__(self, e: int, n: int, size: int, dtype: type = np.float64) -> None:
        hidden = self.hidden = mlp_hidden(size)
        self.x1 = _ones_row((e, 2, n), dtype, row=1)  # rows [x, 1]
        self.inputs = self.x1[:, 0:1]  # x, (E, 1, n)
        self.h1 = _ones_row((e, hidden + 1, n), dtype, row=hidden)  # rows [tanh(w1 x + b1), 1]
        self.h = self.h1[:, :hidden]  # (E, H, n)
        self.h1_t = np.swapaxes(self.h1, 1, 2)  # (E, n, H + 1)
        self.out = np.empty((e, 1, n), dtype)
        self.grads = np.empty((e, size), dtype)
        self.grads_first = self.grads[:, : 2 * hidden].reshape(e, hidden, 2)  # (E, H, 2)
        self.grads_second = self.grads[:, None, 2 * hidden :]  # (E, 1, H + 1)
        self.weighted = np.empty((e, 2, n), dtype)
        self.weighted_t = np.swapaxes(self.weighted, 1, 2)  # (E, n, 2)
        self.squares = np.empty((e, hidden + 1, n), dtype)
        self._squared = False  # whether `squares` holds the square of the current `h1`
        self.sums = np.empty((e, hidden + 1, 2), dtype)
        self.coef = np.empty((e, 1, hidden + 1), dtype)
        self.d_x = np.empty((e, 1, n), dtype)
        self.scratch = _Scratch(dtype)
        self._params: np.ndarray | None = None

    def _layers(self, params: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Views [w1 | b1] (E, H, 2), [w2 | b2] (E, 1, H + 1) and w2 (E, H, 1) of ``params``."""
        if params is not self._params:  # the training loop passes the same array every time
            hidden, e = self.hidden, params.shape[0]
            self._views = (
                params[:, : 2 * hidden].reshape(e, hidden, 2),
                params[:, None, 2 * hidden :],
                params[:, 2 * hidden : 3 * hidden, None],
            )
            self._params = params
        return self._views

    def _squares(self) -> np.ndarray:
        """``h1`` squared, (E, H + 1, n), the ones row staying 1: computed once per forward pass
        (backward, the slope and its gradient all need it)."""
        if not self._squared:
            np.square(self.h1, out=self.squares)
            self._squared = True
        return self.squares

    def forward(self, params: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """y = [w2 | b2] @ [tanh([w1 | b1] @ [x; 1]); 1], (E, n); into ``out`` (E, 1, n) if given."""
        first, second, _ = self._layers(params)
        out = self.out if out is None else out
        np.matmul(first, self.x1, out=self.h)  # (E, H, n)
        np.tanh(self.h, out=self.h)
        self._squared = False
        np.matmul(second, self.h1, out=out)  # (E, 1, n)
        return out[:, 0]

    def backward(self, params: np.ndarray, d_y: np.ndarray) -> np.ndarray:
        """Gradient for the parameters, (E, 3H + 1).

        With :math:`\\delta_{ji} = w_{2j} d_i (1 - h_{ji}^2)` the error at hidden unit j and
        sample i: :math:`\\partial [w_{1j}, b_{1j}] = \\sum_i \\delta_{ji} [x_i, 1]`, computed as
        :math:`w_{2j} (\\sum_i d_i [x_i, 1] - \\sum_i h_{ji}^2 d_i [x_i, 1])` (one product with the
        squared activations and no (E, H, n) array of errors), and
        :math:`\\partial [w_2, b_2] = \\sum_i d_i [h_i, 1]`.
        """
        _, _, w2 = self._layers(params)
        hidden = self.hidden
        d_row = d_y[:, None, :]  # (E, 1, n)
        np.matmul(d_row, self.h1_t, out=self.grads_second)  # (E, 1, H + 1)
        np.multiply(self.x1, d_row, out=self.weighted)  # d_i [x_i, 1], (E, 2, n)
        sums = np.matmul(self._squares(), self.weighted_t, out=self.sums)  # ones row: sum_i d_i [x_i, 1], (E, H + 1, 2)
        first = self.grads_first
        np.subtract(sums[:, hidden:], sums[:, :hidden], out=first)
        first *= w2  # (E, H, 2)
        return self.grads

    def _slope(self, params: np.ndarray, out: np.ndarray) -> np.ndarray:
        """:math:`s'(x_i) = \\sum_j c_j (1 - h_{ji}^2)`, :math:`c_j = w_{1j} w_{2j}`, into ``out`` (E, 1, n).

        Computed as one product of :math:`[-c \\mid \\sum_j c_j]` with the squared activations.
        """
        first, _, w2 = self._layers(params)
        hidden, coef = self.hidden, self.coef
        c = coef[:, :, :hidden]  # (E, 1, H)
        np.multiply(first[:, :, 0], w2[:, :, 0], out=c[:, 0])  # c_j = w1_j w2_j
        np.add.reduce(c[:, 0], axis=1, out=coef[:, 0, hidden])  # np.sum's dispatch costs 1 us more
        np.negative(c, out=c)
        np.matmul(coef, self._squares(), out=out)  # sum_j c_j (1 - h_j^2), (E, 1, n)
        return out[:, 0]

    def backward_input(self, params: np.ndarray, d_y: np.ndarray) -> np.ndarray:
        """Gradient for the inputs, :math:`d_i \\sum_j c_j (1 - h_{ji}^2)` with :math:`c_j = w_{1j} w_{2j}`, (E, n)."""
        d_x = self._slope(params, self.d_x)
        d_x *= d_y
        return d_x

    def slope(self, params: np.ndarray) -> np.ndarray:
        """The output's slope in the input, :math:`s'(x_i) = \\sum_j w_{1j} w_{2j} (1 - h_{ji}^2)`, (E, n)."""
        return self._slope(params, self.scratch("slope", self.d_x.shape))

    def backward_slope(self, params: np.ndarray, d_slope: np.ndarray) -> np.ndarray:
        """Gradient for the parameters of :math:`\\sum_i d_i s'(x_i)`, (E, 3H + 1): a mixed second derivative.

        With :math:`s'(x) = \\sum_j w_{2j} w_{1j} (1 - h_j^2)`, :math:`h_j = \\tanh(w_{1j} x + b_{1j})`
        and :math:`\\partial h_j / \\partial u = 1 - h_j^2` for the pre-activation u:

        .. math:: \\frac{\\partial s'}{\\partial w_{2j}} = w_{1j} (1 - h_j^2), \\quad
                  \\frac{\\partial s'}{\\partial w_{1j}} = w_{2j} (1 - h_j^2)(1 - 2 w_{1j} h_j x), \\quad
                  \\frac{\\partial s'}{\\partial b_{1j}} = -2 w_{2j} w_{1j} h_j (1 - h_j^2), \\quad
                  \\frac{\\partial s'}{\\partial b_2} = 0.

        So with :math:`A_j = \\sum_i d_i (1 - h_{ji}^2)` and
        :math:`(B_j, C_j) = \\sum_i d_i h_{ji} (1 - h_{ji}^2) (x_i, 1)`: the gradient is
        :math:`w_{2j} (A_j - 2 w_{1j} B_j)` for :math:`w_{1j}`, :math:`-2 w_{2j} w_{1j} C_j` for
        :math:`b_{1j}`, :math:`w_{1j} A_j` for :math:`w_{2j}` and 0 for :math:`b_2`: two products
        with the activations, as in :meth:`backward`.
        """
        first, _, w2 = self._layers(params)
        hidden, e, n = self.hidden, params.shape[0], d_slope.shape[-1]
        sums = np.matmul(self._squares(), d_slope[:, :, None], out=self.scratch("slope_a", (e, hidden + 1, 1)))
        a = np.subtract(sums[:, hidden:], sums[:, :hidden], out=self.scratch("slope_a_diff", (e, hidden, 1)))  # A_j
        r = np.multiply(self.squares[:, :hidden], self.h, out=self.scratch("slope_r", (e, hidden, n)))  # h^3
        np.subtract(self.h, r, out=r)  # h (1 - h^2), (E, H, n)
        np.multiply(self.x1, d_slope[:, None, :], out=self.weighted)  # d_i [x_i, 1], (E, 2, n)
        bc = np.matmul(r, self.weighted_t, out=self.scratch("slope_bc", (e, hidden, 2)))  # [B_j, C_j], (E, H, 2)
        grads = self.scratch("slope_grads", (e, 3 * hidden + 1))
        first_grads = grads[:, : 2 * hidden].reshape(e, hidden, 2)  # [w1 | b1], (E, H, 2)
        w1 = first[:, :, 0:1]  # (E, H, 1)
        np.multiply(bc, w1, out=first_grads)  # [w1 B, w1 C]
        first_grads *= -2.0
        first_grads[:, :, 0:1] += a
        first_grads *= w2  # [w2 (A - 2 w1 B), -2 w2 w1 C]
        np.multiply(w1[:, :, 0], a[:, :, 0], out=grads[:, 2 * hidden : 3 * hidden])  # w1 A
        grads[:, 3 * hidden] = 0.0
        return grads


def mlp_forward(params: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, MLPKernel]:
    """A 1 -> H -> 1 tanh MLP, :math:`y = w_2 \\cdot \\tanh(w_1 x + b_1) + b_2`, per member.

    Parameters
    ----------
    params : ndarray, shape (E, 3H + 1)
        See the module docstring for the layout.
    x : ndarray, shape (E, n)

    Returns
    -------
    y : ndarray, shape (E, n)
    cache : MLPKernel
        Holds ``x1``, the inputs over a row of ones, (E, 2, n), and ``h1``, the hidden
        activations over a row of ones, (E, H + 1, n).

    Examples
    --------
    One hidden unit: :math:`y = 2 \\tanh(x) + 1`, so y(0) = 1:

    >>> y, _ = mlp_forward(np.array([[1.0, 0.0, 2.0, 1.0]]), np.array([[0.0]]))
    >>> y
    array([[1.]])
    """
    x = _check_batch(params, x, "x")
    kernel = MLPKernel(*x.shape, params.shape[1], params.dtype)
    kernel.inputs[:, 0] = x
    return kernel.forward(params), kernel


def mlp_backward(params: np.ndarray, cache: MLPKernel, d_y: np.ndarray) -> np.ndarray:
    """Gradient with respect to the MLP parameters, shape (E, 3H + 1) (see :meth:`MLPKernel.backward`)."""
    return cache.backward(params, d_y)


def mlp_backward_input(params: np.ndarray, cache: MLPKernel, d_y: np.ndarray) -> np.ndarray:
    """Gradient with respect to the inputs, shape (E, n) (see :meth:`MLPKernel.backward_input`)."""
    return cache.backward_input(params, d_y)


def mlp_slope(params: np.ndarray, cache: MLPKernel) -> np.ndarray:
    """The output's slope in the input at the cached inputs, shape (E, n) (see :meth:`MLPKernel.slope`).

    Examples
    --------
    One hidden unit, :math:`y = 2 \\tanh(x) + 1`: the slope at 0 is 2.

    >>> params = np.array([[1.0, 0.0, 2.0, 1.0]])
    >>> _, cache = mlp_forward(params, np.array([[0.0]]))
    >>> mlp_slope(params, cache)
    array([[2.]])
    """
    return cache.slope(params)


def mlp_backward_slope(params: np.ndarray, cache: MLPKernel, d_slope: np.ndarray) -> np.ndarray:
    """Gradient for the parameters of :math:`\\sum_i d_i s'(x_i)`, shape (E, 3H + 1) (see
    :meth:`MLPKernel.backward_slope`).

    Examples
    --------
    :math:`y = w_2 \\tanh(w_1 x + b_1) + b_2` at x = 0, :math:`(w_1, b_1, w_2, b_2) = (1, 0, 2, 1)`:
    :math:`s' = w_1 w_2 (1 - h^2)` with h = 0, so its gradient is :math:`(w_2, 0, w_1, 0)` (the
    zero for :math:`b_1` is :math:`-2 w_2 w_1 h (1 - h^2)`, negative zero here):

    >>> params = np.array([[1.0, 0.0, 2.0, 1.0]])
    >>> _, cache = mlp_forward(params, np.array([[0.0]]))
    >>> mlp_backward_slope(params, cache, np.ones((1, 1)))
    array([[ 2., -0.,  1.,  0.]])
    """
    return cache.backward_slope(params, d_slope)


GENERATORS: dict[str, Model] = {
    "affine": Model(
        "affine", lambda hidden: 2, affine_init, AffineKernel, affine_forward, affine_backward, None,
        affine_unpack,
    ),
    "mlp": Model(
        "mlp", mlp_size, mlp_init, MLPKernel, mlp_forward, mlp_backward, mlp_backward_input, mlp_unpack
    ),
}
"""Generators by name: ``G(theta, z) -> x``."""

DISCRIMINATORS: dict[str, Model] = {
    "quadratic": Model(
        "quadratic", lambda hidden: 3, quadratic_init, QuadraticKernel, quadratic_forward,
        quadratic_backward, quadratic_backward_input, quadratic_unpack, quadratic_slope, quadratic_backward_slope,
    ),
    "mlp": Model(
        "mlp", mlp_size, mlp_init, MLPKernel, mlp_forward, mlp_backward, mlp_backward_input, mlp_unpack,
        mlp_slope, mlp_backward_slope,
    ),
}
"""Discriminators by name: ``s(psi, x) -> logits``."""
