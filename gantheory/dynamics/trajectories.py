"""Discrete training dynamics of the Dirac-GAN, vectorized over starts, step sizes and methods.

One iteration moves every trajectory at once: with simultaneous steps both players step along
the vector field :math:`v` evaluated at the same point, :math:`(\\theta, \\psi) \\leftarrow
(\\theta, \\psi) + h v(\\theta, \\psi)`; with alternating steps the discriminator takes ``n_d``
steps :math:`\\psi \\leftarrow \\psi + h v_\\psi(\\theta, \\psi)` and then the generator one step
:math:`\\theta \\leftarrow \\theta + h v_\\theta(\\theta, \\psi)` with the new :math:`\\psi`, as in
Algorithm 1 of Goodfellow et al. (2014). WGAN clips :math:`\\psi` to ``[-clip, clip]`` after each
discriminator step (and at the start), as Arjovsky et al. (2017) do.

The arithmetic is that of the reference implementation of Mescheder et al. (2018) (their
``trajectory_simgd``); the Python loop runs over iterations (and, in :func:`simulate_grid`, over
methods), never over trajectories.

A trajectory *diverges* when its norm passes ``bound`` or a coordinate overflows: it is then
flagged in ``diverged`` with the iteration in ``diverged_step``, and its later states repeat its
last state inside the bound, so that no NaN or infinity reaches the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from gantheory.distributions import _show, check_choice, check_int, check_real
from gantheory.dynamics.dirac import (
    PARAMETERS,
    _check_schedule,
    _compiled,
    _values,
    check_method,
    check_params,
    check_step,
)

__all__ = ["DEFAULT_BOUND", "GridTrajectory", "Trajectory", "label", "simulate", "simulate_grid"]

#: A trajectory whose norm passes this is reported as diverged (far outside anything the
#: Dirac-GAN's bounded fields reach at the step sizes of interest, and far below overflow).
DEFAULT_BOUND = 1e8
#: The largest bound accepted: its square is still a finite float.
MAX_BOUND = 1e150


@dataclass(frozen=True)
class Trajectory:
    """The states of :func:`simulate`: an array with the divergence flags beside it.

    Behaves as its ``states`` array for ``shape``, ``len``, indexing and ``numpy.asarray``.

    Attributes
    ----------
    states : ndarray, shape (steps + 1, 2) or (n, steps + 1, 2)
        :math:`(\\theta_t, \\psi_t)` for t = 0, ..., steps (the start, after any clipping, first).
    diverged : bool or ndarray of bool, shape (n,)
    diverged_step : int or ndarray of int, shape (n,)
        The iteration (1-based) at which the trajectory passed the bound; -1 if it did not.
    method, schedule : str
    h : float
    n_d : int
    params : dict
        The method's parameters, defaults included.
    """

    states: np.ndarray
    diverged: Any
    diverged_step: Any
    method: str
    h: float
    schedule: str
    n_d: int
    params: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``states``."""
        return self.states.shape

    def __len__(self) -> int:
        return len(self.states)

    def __getitem__(self, index: Any) -> np.ndarray:
        return self.states[index]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.states if dtype is None else self.states.astype(dtype)

    def norm(self) -> np.ndarray:
        """:math:`\\|(\\theta_t, \\psi_t)\\|`, shape (steps + 1,) or (n, steps + 1)."""
        return np.hypot(self.states[..., 0], self.states[..., 1])


@dataclass(frozen=True)
class GridTrajectory:
    """The states of :func:`simulate_grid`: methods x step sizes x starts.

    Attributes
    ----------
    states : ndarray, shape (M, H, N, steps + 1, 2), or (M, H, N, 2) with ``keep="last"``
    diverged : ndarray of bool, shape (M, H, N)
    diverged_step : ndarray of int, shape (M, H, N)
    methods : tuple of str
        A label per method, such as ``"r1(gamma=0.3)"``.
    h : ndarray, shape (H,)
    starts : ndarray, shape (N, 2)
    """

    states: np.ndarray
    diverged: np.ndarray
    diverged_step: np.ndarray
    methods: tuple[str, ...]
    h: np.ndarray
    starts: np.ndarray
    schedule: str
    n_d: int

    def norm(self) -> np.ndarray:
        """:math:`\\|(\\theta, \\psi)\\|` of every state, shape ``states.shape[:-1]``."""
        return np.hypot(self.states[..., 0], self.states[..., 1])


def label(method: str, params: dict) -> str:
    """``"r1(gamma=0.3)"``: a method with its parameters, for legends and tables."""
    shown = ", ".join(f"{name}={params[name]:g}" for name in PARAMETERS[method])
    return f"{method}({shown})" if shown else method


def _simultaneous_step(fields, theta, psi, h, values, n_d, limit):
    """Both players step from the same point (Jacobi): the reference implementation's trajectory_simgd."""
    v_theta, v_psi = fields.v_both(theta, psi, *values)
    new_theta = theta + h * v_theta
    new_psi = psi + h * v_psi
    if limit is not None:
        np.clip(new_psi, -limit, limit, out=new_psi)
    return new_theta, new_psi


def _alternating_step(fields, theta, psi, h, values, n_d, limit):
    """n_d discriminator steps, then a generator step that sees the new psi (Gauss-Seidel)."""
    new_psi = psi
    for _ in range(n_d):
        new_psi = new_psi + h * fields.v_psi(theta, new_psi, *values)[0]
        if limit is not None:
            np.clip(new_psi, -limit, limit, out=new_psi)
    return theta + h * fields.v_theta(theta, new_psi, *values)[0], new_psi


def _run(method: str, params: dict, theta: np.ndarray, psi: np.ndarray, h: np.ndarray, steps: int,
         schedule: str, n_d: int, bound: float, keep: str) -> tuple[np.ndarray, np.ndarray]:
    """Advance the trajectories (flat arrays, shape (B,)) ``steps`` iterations.

    Returns the states, (steps + 1, B, 2) or (B, 2) with ``keep="last"``, and diverged_step (B,).
    """
    compiled = _compiled(method)
    values = _values(method, params)
    limit = params.get("clip") if method == "wgan" else None
    theta, psi = theta.astype(np.float64), psi.astype(np.float64)
    if limit is not None:
        psi = np.clip(psi, -limit, limit)
    b = theta.size
    path = np.empty((steps + 1, b, 2)) if keep == "path" else None
    if path is not None:
        path[0, :, 0], path[0, :, 1] = theta, psi
    diverged_step = np.full(b, -1)
    alive = np.ones(b, dtype=bool)
    bound2 = bound * bound
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for t in range(1, steps + 1):
            step = _simultaneous_step if schedule == "simultaneous" else _alternating_step
            new_theta, new_psi = step(compiled, theta, psi, h, values, n_d, limit)
            inside = new_theta * new_theta + new_psi * new_psi <= bound2  # False for inf and NaN
            if not inside.all():
                newly = alive & ~inside
                diverged_step[newly] = t
                alive &= inside
                new_theta = np.where(alive, new_theta, theta)
                new_psi = np.where(alive, new_psi, psi)
            theta, psi = new_theta, new_psi
            if path is not None:
                path[t, :, 0], path[t, :, 1] = theta, psi
    if path is None:
        return np.stack([theta, psi], axis=-1), diverged_step
    return path, diverged_step


def _check_starts(start: npt.ArrayLike, name: str = "start") -> tuple[np.ndarray, bool]:
    try:
        arr = np.asarray(start, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"`{name}` must be a pair (theta0, psi0) or an array of pairs, shape (n, 2); "
                        f"got {_show(start)}.") from None
    if arr.shape == (2,):
        single = True
        arr = arr[None, :]
    elif arr.ndim == 2 and arr.shape[1] == 2 and arr.shape[0] >= 1:
        single = False
    else:
        raise ValueError(f"`{name}` must be a pair (theta0, psi0) or an array of pairs, shape (n, 2); "
                         f"got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"`{name}` must be finite, got {_show(start)}.")
    return arr, single


def _check_common(steps: Any, schedule: Any, n_d: Any, bound: Any) -> tuple[int, str, int, float]:
    steps = check_int(steps, "steps", minimum=0)
    schedule, n_d = _check_schedule(schedule, n_d)
    bound = check_real(bound, "bound", positive=True)
    if bound > MAX_BOUND:  # its square must not overflow
        raise ValueError(f"`bound` must be a number in (0, {MAX_BOUND:g}], got {_show(bound)}.")
    return steps, schedule, n_d, bound


def simulate(
    method: str,
    start: npt.ArrayLike = (1.0, 1.0),
    h: float = 0.2,
    steps: int = 500,
    schedule: str = "simultaneous",
    *,
    n_d: int = 1,
    bound: float = DEFAULT_BOUND,
    **params: float,
) -> Trajectory:
    """Gradient steps on the Dirac-GAN from one start or many.

    Parameters
    ----------
    method : str
        One of :data:`gantheory.dynamics.METHODS`.
    start : (theta0, psi0) or array_like, shape (n, 2)
    h : float
        Step size, > 0.
    steps : int
        Iterations (generator steps), >= 0.
    schedule : {"simultaneous", "alternating"}
    n_d : int
        Discriminator steps per generator step (alternating only).
    bound : float
        A trajectory whose norm passes it (or that overflows) is reported as diverged; at most
        :data:`MAX_BOUND`.
    **params
        The method's parameters: ``gamma``, ``sigma``, ``clip``, ``eta``, ``target_norm``
        (:data:`gantheory.dynamics.PARAMETERS`, defaults :data:`gantheory.dynamics.DEFAULTS`).

    Returns
    -------
    Trajectory
        ``states`` shaped (steps + 1, 2) for one start, (n, steps + 1, 2) for n starts, with
        ``diverged`` and ``diverged_step``.

    Examples
    --------
    Simultaneous steps on the unregularized GAN spiral outwards; R1 with gamma = 1 converges:

    >>> gan = simulate("gan", start=(1.0, 1.0), h=0.2, steps=500)
    >>> gan.shape, bool(gan.norm()[-1] > gan.norm()[0])
    ((501, 2), True)
    >>> bool(simulate("r1", gamma=1.0).norm()[-1] < 1e-15)
    True
    """
    method = check_method(method)
    params = check_params(method, params)
    h = check_step(h)
    steps, schedule, n_d, bound = _check_common(steps, schedule, n_d, bound)
    starts, single = _check_starts(start)
    states, diverged_step = _run(method, params, starts[:, 0], starts[:, 1], np.float64(h), steps, schedule, n_d,
                                 bound, "path")
    states = np.swapaxes(states, 0, 1)  # (n, steps + 1, 2)
    diverged = diverged_step >= 0
    if single:
        return Trajectory(states[0], bool(diverged[0]), int(diverged_step[0]), method, h, schedule, n_d, params)
    return Trajectory(states, diverged, diverged_step, method, h, schedule, n_d, params)


def _check_methods(methods: Any) -> list[tuple[str, dict]]:
    if isinstance(methods, str):
        methods = [methods]
    elif not isinstance(methods, (list, tuple)):
        raise TypeError(f"`methods` must be a list of method names or (name, params) pairs; got {_show(methods)}.")
    out = []
    for entry in methods:
        if isinstance(entry, str):
            name, given = entry, {}
        elif isinstance(entry, (tuple, list)) and len(entry) == 2 and isinstance(entry[1], dict):
            name, given = entry
        else:
            raise TypeError(f"each entry of `methods` must be a method name or a (name, params) pair; got {_show(entry)}.")
        name = check_method(name)
        out.append((name, check_params(name, given)))
    if not out:
        raise ValueError("`methods` must name at least one method, got none.")
    return out


def simulate_grid(
    methods: Sequence[str | tuple[str, dict]],
    starts: npt.ArrayLike,
    h: npt.ArrayLike = 0.2,
    steps: int = 500,
    schedule: str = "simultaneous",
    *,
    n_d: int = 1,
    bound: float = DEFAULT_BOUND,
    keep: str = "path",
) -> GridTrajectory:
    """Every combination of methods x step sizes x starts, each method's block in one array.

    Parameters
    ----------
    methods : sequence of str or (str, dict)
        Method names, or (name, parameters) pairs such as ``("r1", {"gamma": 1.0})``.
    starts : array_like, shape (N, 2) or (2,)
    h : float or array_like, shape (H,)
        Step sizes, each > 0.
    steps, schedule, n_d, bound
        As in :func:`simulate`.
    keep : {"path", "last"}
        Keep every state (memory: M H N (steps + 1) 16 bytes) or only the last.

    Returns
    -------
    GridTrajectory
        ``states`` shaped (M, H, N, steps + 1, 2) (or (M, H, N, 2)), ``diverged`` (M, H, N).

    Examples
    --------
    >>> grid = simulate_grid(["gan", ("r1", {"gamma": 1.0})], [(1.0, 1.0), (0.5, -0.5)], h=[0.1, 0.2], steps=10)
    >>> grid.states.shape, grid.methods
    ((2, 2, 2, 11, 2), ('gan', 'r1(gamma=1)'))
    """
    entries = _check_methods(methods)
    start_array, _ = _check_starts(starts, "starts")
    hs = np.atleast_1d(np.asarray(h, dtype=np.float64)) if not isinstance(h, (str, bytes)) else None
    if hs is None or hs.ndim != 1 or hs.size == 0 or not (np.isfinite(hs) & (hs > 0)).all():
        raise ValueError(f"`h` must be a step size > 0 or a 1-d array of them, got {_show(h)}.")
    steps, schedule, n_d, bound = _check_common(steps, schedule, n_d, bound)
    keep = check_choice(keep, "keep", ("path", "last"))
    n_h, n = hs.size, start_array.shape[0]
    theta = np.broadcast_to(start_array[None, :, 0], (n_h, n)).ravel()
    psi = np.broadcast_to(start_array[None, :, 1], (n_h, n)).ravel()
    step = np.repeat(hs, n)
    shape = (len(entries), n_h, n) + ((steps + 1, 2) if keep == "path" else (2,))
    states = np.empty(shape)
    diverged_step = np.empty((len(entries), n_h, n), dtype=int)
    for i, (name, params) in enumerate(entries):
        out, div = _run(name, params, theta, psi, step, steps, schedule, n_d, bound, keep)
        if keep == "path":
            states[i] = np.moveaxis(out, 0, 1).reshape(n_h, n, steps + 1, 2)
        else:
            states[i] = out.reshape(n_h, n, 2)
        diverged_step[i] = div.reshape(n_h, n)
    return GridTrajectory(states, diverged_step >= 0, diverged_step, tuple(label(m, p) for m, p in entries), hs,
                          start_array, schedule, n_d)
