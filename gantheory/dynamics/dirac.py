"""The Dirac-GAN in numbers: vector fields, Jacobians, eigenvalues and update maps of each method.

Everything here is evaluated from what :mod:`gantheory.dynamics.symbolic` derives (sympy is
imported on first use, and each method is derived and lambdified once per process):

- :func:`vector_field` evaluates :math:`v(\\theta, \\psi)` on arrays; for instance noise the
  expectation over the noise is a Gauss-Hermite rule (exact to rounding for the smooth
  integrands near the equilibrium, see :data:`HERMITE_NODES`);
- :func:`jacobian` and :func:`eigenvalues` evaluate the Jacobian at the equilibrium and its two
  eigenvalues as the closed forms :math:`\\operatorname{tr}/2 \\pm \\sqrt{\\operatorname{tr}^2/4 -
  \\det}`, broadcasting over arrays of parameters; :func:`critical_value` is where they meet;
- :func:`update_matrix` is the linearization of one iteration of simultaneous or alternating
  gradient steps of size h, :func:`spectral_radius` its largest eigenvalue modulus, and
  :func:`max_step` the step-size bound of Mescheder, Nowozin & Geiger (2017), "The Numerics of GANs":
  simultaneous steps converge locally iff :math:`h < 2|\\operatorname{Re}\\lambda| / |\\lambda|^2`
  for every eigenvalue :math:`\\lambda` (all of negative real part).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit, log_expit

from gantheory.distributions import _show, check_choice, check_int, check_real

__all__ = [
    "DEFAULTS",
    "HERMITE_NODES",
    "METHODS",
    "PARAMETERS",
    "SCHEDULES",
    "check_method",
    "check_params",
    "critical_value",
    "eigenvalues",
    "jacobian",
    "max_step",
    "spectral_radius",
    "update_matrix",
    "vector_field",
]

#: The methods of Mescheder, Geiger & Nowozin (2018), section 3, by the names the API takes.
METHODS = ("gan", "nsgan", "wgan", "wgan-gp", "instance-noise", "r1", "r2", "consensus", "gradient-penalty")

#: The parameters each method takes.
PARAMETERS: dict[str, tuple[str, ...]] = {
    "gan": (),
    "nsgan": (),
    "wgan": ("clip",),
    "wgan-gp": ("gamma", "target_norm"),
    "instance-noise": ("sigma",),
    "r1": ("gamma",),
    "r2": ("gamma",),
    "consensus": ("gamma",),
    "gradient-penalty": ("eta",),
}

#: Default parameters: those of the Dirac-GAN figures of Mescheder et al. (2018) and their code,
#: except ``eta`` (not in that code), set below its critical value 2.
DEFAULTS: dict[str, dict[str, float]] = {
    "gan": {},
    "nsgan": {},
    "wgan": {"clip": 1.0},
    "wgan-gp": {"gamma": 0.7, "target_norm": 1.0},
    "instance-noise": {"sigma": 0.7},
    "r1": {"gamma": 0.3},
    "r2": {"gamma": 0.3},
    "consensus": {"gamma": 1.0},
    "gradient-penalty": {"eta": 1.0},
}

#: The update schedules: both players at once, or n_d discriminator steps then a generator step.
SCHEDULES = ("simultaneous", "alternating")

#: Gauss-Hermite nodes for the expectation over instance noise. The integrands are
#: u -> g(psi (theta + sigma u)) with g built from the logistic function, analytic in a strip of
#: half-width pi / |psi sigma|; 64 nodes integrate them to 1e-14 for |psi sigma| <= 1.3 and to 2e-5 at
#: |psi sigma| = 4 (tests/test_dynamics.py measures it against mpmath).
HERMITE_NODES = 64

_STEP_FACTOR = 2.0  # |1 + h lambda|^2 < 1  <=>  h < 2 |Re lambda| / |lambda|^2

_PARAMETER_RULES = {  # name -> (must be > 0, description)
    "gamma": (False, "a finite number >= 0"),
    "sigma": (False, "a finite number >= 0"),
    "eta": (False, "a finite number >= 0"),
    "clip": (True, "a finite number > 0"),
    "target_norm": (False, "a finite number >= 0"),
}


def check_method(method: Any) -> str:
    """``method`` after checking that it is one of :data:`METHODS` (the error lists them)."""
    return check_choice(method, "method", METHODS)


def check_params(method: str, params: Mapping[str, Any], *, arrays: bool = False) -> dict[str, Any]:
    """The parameters of ``method``: the defaults updated with ``params``, each checked.

    Raises
    ------
    TypeError
        For a parameter the method does not take (the message lists the ones it takes), or a
        value that is not a real number.
    ValueError
        For a negative ``gamma``, ``sigma``, ``eta`` or ``target_norm``, or a ``clip`` <= 0.
    """
    unknown = [name for name in params if name not in PARAMETERS[method]]
    if unknown:
        takes = ", ".join(f"`{p}`" for p in PARAMETERS[method]) or "no parameters"
        raise TypeError(f"method {method!r} takes {takes}; got `{unknown[0]}`.")
    out: dict[str, Any] = dict(DEFAULTS[method])
    for name, value in params.items():
        positive, what = _PARAMETER_RULES[name]
        if arrays and not np.isscalar(value):
            try:
                arr = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise TypeError(f"`{name}` must be a real number or an array of them, got {_show(value)}.") from None
            bad = ~np.isfinite(arr) | ((arr <= 0) if positive else (arr < 0))
            if bad.any():
                raise ValueError(f"`{name}` must be {what} (every element), got {_show(value)}.")
            out[name] = arr
        else:
            out[name] = check_real(value, name, positive=positive, nonnegative=not positive)
    return out


# --- the compiled fields --------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    """One method's lambdified field components, and its Jacobian and eigenvalues at (0, 0)."""

    names: tuple[str, ...]  # parameter names, in the order the functions take them
    v_theta: Callable[..., tuple[np.ndarray]]  # each returns a tuple: (v_theta,), (v_psi,), (v_theta, v_psi)
    v_psi: Callable[..., tuple[np.ndarray]]
    v_both: Callable[..., tuple[np.ndarray, np.ndarray]]
    jacobian: Callable[..., Any] | None
    eigenvalues: Callable[..., Any] | None
    critical: float | None


_MODULES = [{"Sigmoid": expit, "LogSigmoid": log_expit}, "numpy"]


def _sigmoid_absolute(t: np.ndarray) -> np.ndarray:
    """sigma(t) = (1 + tanh(t/2)) / 2, to 2.3e-16 absolute (not relative: it is 0 below t = -37).

    Three times faster than :func:`scipy.special.expit`; used only inside the Gauss-Hermite
    averages of instance noise, where only absolute accuracy counts.
    """
    out = np.multiply(t, 0.5)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


_MODULES_AVERAGED = [{"Sigmoid": _sigmoid_absolute, "LogSigmoid": log_expit}, "numpy"]


def _hermite() -> tuple[np.ndarray, np.ndarray]:
    """The Gauss-Hermite rule for E over N(0, 1), without the outer nodes of weight below 1e-18
    (20 of 64): each contributes less than 1e-18 times the integrand there, which for the
    Dirac-GAN's bounded logistic factors stays below 1e-16 in total."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(HERMITE_NODES)
    weights = weights / weights.sum()
    keep = weights > 1e-18
    return nodes[keep], weights[keep]


def _field_function(exprs: list, names: tuple[str, ...]) -> Callable[..., tuple[np.ndarray, ...]]:
    """A numpy function (theta, psi, *params) -> one array per expression; noise terms averaged.

    Each term with noise is split by sympy into a factor free of the noise and one that depends
    on it; the distinct noise-dependent factors are evaluated once on a trailing axis of
    Gauss-Hermite nodes (common subexpressions shared) and averaged, and the noise-free factors
    multiply the averages. The noise-free terms are one more lambdified function.
    """
    import sympy as sp

    from gantheory.dynamics import symbolic as sym

    args = (sym.theta, sym.psi, *(sym.PARAMETER_SYMBOLS[n] for n in names))
    plain: list = [sp.S.Zero for _ in exprs]
    noisy: dict = {}  # noise-dependent factor -> one noise-free coefficient per expression
    for i, expr in enumerate(exprs):
        for term in sp.Add.make_args(sp.expand(expr, mul=True, multinomial=False, power_exp=False, log=False)):
            if not term.has(*sym.NOISE):
                plain[i] += term
                continue
            coefficient, factor = term.as_independent(*sym.NOISE, as_Add=False)
            noisy.setdefault(factor, [sp.S.Zero for _ in exprs])[i] += coefficient
    plain_fn = sp.lambdify(args, plain, modules=_MODULES, cse=True)
    factors = list(noisy)
    factor_fn = sp.lambdify((*args, *sym.NOISE), factors, modules=_MODULES_AVERAGED, cse=True) if factors else None
    coefficient_fn = sp.lambdify(args, [c for f in factors for c in noisy[f]], modules=_MODULES, cse=True)
    nodes, weights = _hermite()

    def evaluate(theta, psi, *values):
        shape = np.broadcast(theta, psi).shape
        totals = [np.broadcast_to(v, shape) for v in plain_fn(theta, psi, *values)]
        if factor_fn is not None:
            # every noise variable on the same nodes: each factor holds one of them (tested)
            # a row-wise sum (not a matmul): the bits do not depend on the number of rows
            averages = [(np.broadcast_to(f, shape + (nodes.size,)) * weights).sum(axis=-1)
                        for f in factor_fn(theta[..., None], psi[..., None], *values, nodes, nodes)]
            coefficients = coefficient_fn(theta, psi, *values)
            for j, average in enumerate(averages):
                for i in range(len(exprs)):
                    c = coefficients[j * len(exprs) + i]
                    if not (np.isscalar(c) and c == 0):
                        totals[i] = totals[i] + c * average
        return tuple(np.broadcast_to(t, shape) for t in totals)

    return evaluate


@functools.cache
def _compiled(method: str) -> _Compiled:
    import sympy as sp

    from gantheory.dynamics import symbolic as sym

    derivation = sym.derive(method)
    names = PARAMETERS[method]
    symbols = [sym.PARAMETER_SYMBOLS[n] for n in names]
    v_theta, v_psi, v_both = (_field_function(exprs, names) for exprs in
                              ([derivation.field[0]], [derivation.field[1]], list(derivation.field)))
    jac = eig = None
    if derivation.jacobian is not None:
        jac = sp.lambdify(symbols, derivation.jacobian.tolist(), modules="numpy")
        eig = sp.lambdify(symbols, list(derivation.eigenvalues), modules="numpy")
    critical = None if derivation.critical is None else float(derivation.critical)
    return _Compiled(names, v_theta, v_psi, v_both, jac, eig, critical)


def _values(method: str, params: Mapping[str, Any]) -> tuple:
    return tuple(params[n] for n in PARAMETERS[method])


# --- public functions -------------------------------------------------------------------------


def vector_field(method: str, theta: npt.ArrayLike, psi: npt.ArrayLike, **params: float) -> tuple[np.ndarray, np.ndarray]:
    """The training vector field :math:`v = (-\\partial_\\theta L_G, \\partial_\\psi L_D)` of a method.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    theta, psi : array_like
        Points, broadcast together.
    **params
        The method's parameters (:data:`PARAMETERS`; defaults :data:`DEFAULTS`).

    Returns
    -------
    v_theta, v_psi : ndarray
        Shaped like ``theta`` and ``psi`` broadcast. Weight clipping (WGAN) is not part of the
        field: it acts on the parameters after each step.

    Examples
    --------
    The unregularized field is a rotation about the equilibrium, scaled by f'(psi theta):

    >>> vector_field("gan", 1.0, 0.0)
    (array(-0.), array(0.5))
    """
    method = check_method(method)
    params = check_params(method, params)
    theta, psi = (np.asarray(a, dtype=np.float64) for a in np.broadcast_arrays(theta, psi))
    compiled = _compiled(method)
    values = _values(method, params)
    return tuple(np.asarray(v, dtype=np.float64) for v in compiled.v_both(theta, psi, *values))


def _differentiable(method: str) -> _Compiled:
    compiled = _compiled(method)
    if compiled.jacobian is None:
        raise ValueError(
            f"the {method!r} vector field is not differentiable at the equilibrium (0, 0): its "
            "psi-component jumps with sign(psi) (Mescheder et al. 2018, sec. 3), so there is no "
            "Jacobian and no eigenvalues; simulate it instead."
        )
    return compiled


def jacobian(method: str, **params: npt.ArrayLike) -> np.ndarray:
    """The Jacobian :math:`\\partial v / \\partial(\\theta, \\psi)` at the equilibrium (0, 0).

    Parameters may be arrays; the result is shaped ``broadcast(params) + (2, 2)``.

    Examples
    --------
    >>> jacobian("r1", gamma=0.3)
    array([[ 0. , -0.5],
           [ 0.5, -0.3]])
    """
    method = check_method(method)
    params = check_params(method, params, arrays=True)
    compiled = _differentiable(method)
    values = np.broadcast_arrays(*[np.asarray(v, dtype=np.float64) for v in _values(method, params)]) or [np.float64(0)]
    shape = np.shape(values[0])
    entries = compiled.jacobian(*values[: len(compiled.names)])
    out = np.empty(shape + (2, 2))
    for i in range(2):
        for j in range(2):
            out[..., i, j] = entries[i][j]
    return out


def eigenvalues(method: str, **params: npt.ArrayLike) -> np.ndarray:
    """The two eigenvalues of the Jacobian at the equilibrium, from their closed forms.

    :math:`\\lambda_\\pm = \\operatorname{tr}J/2 \\pm \\sqrt{(\\operatorname{tr}J)^2/4 - \\det J}`
    as sympy derived them (:func:`gantheory.dynamics.symbolic.derive`), evaluated in complex
    arithmetic.

    Parameters
    ----------
    method : str
        One of :data:`METHODS` except ``"wgan-gp"``, whose field has no Jacobian at (0, 0).
    **params : float or array_like
        The method's parameters; arrays broadcast.

    Returns
    -------
    ndarray of complex, shape ``broadcast(params) + (2,)``
        :math:`(\\lambda_+, \\lambda_-)`.

    Examples
    --------
    Mescheder et al. (2018), sec. 2 and 3: the unregularized GAN has purely imaginary
    eigenvalues :math:`\\pm i f'(0)`; R1 with :math:`\\gamma` has
    :math:`-\\gamma/2 \\pm \\sqrt{\\gamma^2/4 - f'(0)^2}`, which meet at :math:`\\gamma = 2 f'(0) = 1`:

    >>> eigenvalues("gan")
    array([0.+0.5j, 0.-0.5j])
    >>> eigenvalues("r1", gamma=[0.3, 1.0, 2.0]).round(6)
    array([[-0.15    +0.47697j, -0.15    -0.47697j],
           [-0.5     +0.j     , -0.5     +0.j     ],
           [-0.133975+0.j     , -1.866025+0.j     ]])
    """
    method = check_method(method)
    params = check_params(method, params, arrays=True)
    compiled = _differentiable(method)
    values = [np.asarray(v, dtype=np.complex128) for v in _values(method, params)]
    shape = np.broadcast_shapes(*[v.shape for v in values]) if values else ()
    plus, minus = compiled.eigenvalues(*values)
    return np.stack(np.broadcast_arrays(np.asarray(plus, dtype=np.complex128) + np.zeros(shape),
                                        np.asarray(minus, dtype=np.complex128) + np.zeros(shape)), axis=-1)


def critical_value(method: str) -> float | None:
    """The parameter value where the two eigenvalues meet (None if they never do).

    Below it they are a complex pair (a damped spiral), above it two negative reals (no
    oscillation). R1 and R2: :math:`\\gamma = 2 f'(0) = 1`; instance noise: :math:`\\sigma = \\sqrt 2`;
    the penalty of Nagarajan & Kolter: :math:`\\eta = 2`.

    Examples
    --------
    >>> critical_value("r1"), critical_value("consensus")
    (1.0, None)
    """
    method = check_method(method)
    if method == "wgan-gp":
        _differentiable(method)
    return _compiled(method).critical


def _check_schedule(schedule: Any, n_d: Any) -> tuple[str, int]:
    schedule = check_choice(schedule, "schedule", SCHEDULES)
    n_d = check_int(n_d, "n_d", minimum=1)
    if schedule == "simultaneous" and n_d != 1:
        raise ValueError(f"`n_d` (discriminator steps per generator step) needs schedule='alternating'; got n_d={n_d} "
                         "with schedule='simultaneous'.")
    return schedule, n_d


def check_step(h: Any) -> float:
    """The step size, a finite number > 0."""
    return check_real(h, "h", positive=True)


def update_matrix(method: str, h: float, schedule: str = "simultaneous", *, n_d: int = 1, **params: float) -> np.ndarray:
    """The Jacobian at the equilibrium of one iteration of gradient steps of size ``h``.

    Simultaneous: :math:`T = I + hJ`. Alternating (``n_d`` discriminator steps, then one
    generator step, as in Algorithm 1): :math:`T = G D^{n_d}` with
    :math:`D = \\begin{pmatrix}1 & 0\\\\ hJ_{21} & 1 + hJ_{22}\\end{pmatrix}` and
    :math:`G = \\begin{pmatrix}1 + hJ_{11} & hJ_{12}\\\\ 0 & 1\\end{pmatrix}`.

    Examples
    --------
    >>> update_matrix("gan", 0.2)
    array([[ 1. , -0.1],
           [ 0.1,  1. ]])
    """
    h = check_step(h)
    schedule, n_d = _check_schedule(schedule, n_d)
    jac = jacobian(method, **params)
    eye = np.eye(2)
    if schedule == "simultaneous":
        return eye + h * jac
    d_step = np.array([[1.0, 0.0], [h * jac[1, 0], 1.0 + h * jac[1, 1]]])
    g_step = np.array([[1.0 + h * jac[0, 0], h * jac[0, 1]], [0.0, 1.0]])
    return g_step @ np.linalg.matrix_power(d_step, n_d)


def spectral_radius(method: str, h: float, schedule: str = "simultaneous", *, n_d: int = 1, **params: float) -> float:
    """The largest eigenvalue modulus of :func:`update_matrix`: below 1 the iteration converges
    locally, at the rate :math:`\\rho^t`; above 1 it moves away from the equilibrium.

    Examples
    --------
    Simultaneous steps on the unregularized GAN spiral outwards, by :math:`\\sqrt{1 + h^2/4}`:

    >>> spectral_radius("gan", 0.2) == math.sqrt(1 + 0.2**2 / 4)
    True
    """
    return float(np.max(np.abs(np.linalg.eigvals(update_matrix(method, h, schedule, n_d=n_d, **params)))))


def max_step(method: str, **params: float) -> float:
    """The step-size bound of Mescheder, Nowozin & Geiger (2017), "The Numerics of GANs".

    Simultaneous gradient steps converge locally iff every eigenvalue :math:`\\lambda` of the
    Jacobian has :math:`\\operatorname{Re}\\lambda < 0` and
    :math:`h < 2 |\\operatorname{Re}\\lambda| / |\\lambda|^2` (that is, :math:`|1 + h\\lambda| < 1`).
    Returns the smallest such bound, 0.0 if an eigenvalue has a non-negative real part (no step
    size converges).

    Examples
    --------
    >>> round(max_step("r1", gamma=0.3), 12)   # 2 * 0.15 / 0.25
    1.2
    >>> max_step("gan")
    0.0
    """
    lam = eigenvalues(method, **params)
    if np.any(lam.real >= 0):
        return 0.0
    return float(np.min(_step_bounds(lam)))


def _step_bounds(lam: np.ndarray) -> np.ndarray:
    """The largest h with |1 + h lambda| < 1, for each eigenvalue of negative real part."""
    return -_STEP_FACTOR * lam.real / np.abs(lam) ** 2
