"""Builders for the regularized-training figures: every method from a distant start, the MLP pair's
convergence and the spectrum that explains it, and R1 and instance noise against their linearized
decay."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from gantheory.plotting.base import COLORS, style
from gantheory.plotting.base import figure as _figure

__all__ = ["methods_from_afar", "mlp_convergence", "regularized_oscillations"]

_CYCLE = [COLORS[k] for k in ("saturating", "non_saturating", "sky", "data", "accent", "generator")] + [
    "#000000", "#7F7F7F", "#8C564B"]


def _quantiles(values: np.ndarray, q: tuple[float, ...]) -> np.ndarray:
    """Quantiles ``q`` of each row over its finite entries (NaN for a row with none), shape (len(q), rows)."""
    out = np.full((len(q), values.shape[0]), np.nan)
    for i, row in enumerate(values):
        row = row[np.isfinite(row)]
        if row.size:
            out[:, i] = np.quantile(row, q)
    return out


def methods_from_afar(
    steps: npt.ArrayLike,
    js: Mapping[str, npt.ArrayLike],
    converged: Mapping[str, tuple[float, float, float]],
    settling: Mapping[str, float],
    *,
    distance: float,
    tolerance: float,
    members: int,
) -> Figure:
    """Each method's JS against the iteration from a distant start, and who converges how fast.

    Parameters
    ----------
    steps : array_like, shape (T,)
    js : dict
        Method -> (T, E) JS per member; the median and the 10-90 % band are drawn.
    converged : dict
        Method -> (fraction, low, high): the fraction of members that converge and its interval.
    settling : dict
        Method -> median settling iteration (NaN if none converges).
    distance, tolerance : float
    members : int
    """
    steps = np.asarray(steps)
    with style():
        fig = _figure(15.0, 5.6)
        left, right = fig.subplots(1, 2, width_ratios=[1.35, 1.0])
        names = list(js)
        for i, name in enumerate(names):
            values = np.asarray(js[name], dtype=float)
            color = _CYCLE[i % len(_CYCLE)]
            low, median, high = _quantiles(values, (0.1, 0.5, 0.9))
            left.fill_between(steps, np.maximum(low, 1e-7), np.maximum(high, 1e-7), color=color, alpha=0.15, lw=0)
            left.plot(steps, np.maximum(median, 1e-7), color=color, lw=1.8, label=name)
        left.axhline(np.log(2), color="0.4", ls=":", lw=1.0)
        left.axhline(tolerance, color="0.4", ls="--", lw=1.0)
        left.text(steps[-1], np.log(2) * 1.15, "log 2", ha="right", va="bottom", fontsize=10, color="0.3")
        left.text(steps[-1], tolerance * 1.15, f"converged: JS < {tolerance:g}", ha="right", va="bottom",
                  fontsize=10, color="0.3")
        left.set_yscale("log")
        left.set_ylim(1e-6, 2.0)
        left.set_xlabel("iteration")
        left.set_ylabel("JS(p_g || p_data), nats (median, 10-90 %)")
        left.set_title(f"from N({distance:g}, 1) to N(0, 1), {members} members per method")
        left.legend(loc="lower left", fontsize=9.5, ncol=2)
        y = np.arange(len(names))[::-1]
        for i, name in enumerate(names):
            rate, low, high = converged[name]
            color = _CYCLE[i % len(_CYCLE)]
            right.barh(y[i], rate, color=color, alpha=0.8)
            right.errorbar(rate, y[i], xerr=[[rate - low], [high - rate]], color="black", capsize=3, lw=1.2)
            settle = settling[name]
            text = "never" if not np.isfinite(settle) else f"median {settle:.0f} it."
            right.text(1.02, y[i], text, va="center", fontsize=10)
        right.set_yticks(y, names)
        right.set_xlim(0, 1.45)
        right.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        right.set_xlabel(f"fraction converged (95 % Wilson), and when JS settles below {tolerance:g}")
        right.set_title("who converges, how fast")
    return fig


def mlp_convergence(
    mean: Mapping[str, npt.ArrayLike],
    std: Mapping[str, npt.ArrayLike],
    converged: Mapping[str, tuple[float, float, float]],
    *,
    target: tuple[float, float],
    tolerance: float,
    spectra: Mapping[str, npt.ArrayLike] | None = None,
    boundary: tuple[float, float] | Sequence[tuple[float, float]] | None = None,
) -> Figure:
    """The MLP pair's final generators under several settings, and the spectrum behind them.

    Parameters
    ----------
    mean, std : dict
        Setting -> (E,) the final generators' output mean and standard deviation.
    converged : dict
        Setting -> (fraction, low, high).
    target : (mean, std)
    tolerance : float
        The box around the target that counts as converged.
    spectra : dict, optional
        Label -> the transversal eigenvalues of the expected field's Jacobian at a stationary
        point, drawn in the complex plane (a third panel).
    boundary : (lr, momentum) or a list of them, optional
        Draw the heavy-ball stability boundary :math:`a = h b^2 (1+\\beta)/(2(1-\\beta)^2)` of
        steps ``lr`` with ``momentum`` in the spectrum panel: modes to its left are unstable.
    """
    names = list(mean)
    with style():
        fig = _figure(20.0 if spectra else 13.5, 5.8)
        axes = fig.subplots(1, 3 if spectra else 2, width_ratios=[1.2, 1.0, 1.1] if spectra else [1.2, 1.0])
        ax = axes[0]
        box = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]) * tolerance + np.array(target)
        ax.plot(box[:, 0], box[:, 1], color="0.3", lw=1.0, ls="--")
        ax.plot(*target, marker="+", color="black", ms=16, mew=2)
        for i, name in enumerate(names):
            ax.scatter(mean[name], std[name], s=18, color=_CYCLE[i % len(_CYCLE)], alpha=0.75, label=name)
        ax.set_xlabel("mean of the generator's output")
        ax.set_ylabel("standard deviation")
        ax.set_title(f"final generators; target N({target[0]:g}, {target[1]:g}²) and the box ±{tolerance:g}")
        ax.legend(loc="upper left", fontsize=9.5, markerscale=1.6)
        ax = axes[1]
        y = np.arange(len(names))[::-1]
        for i, name in enumerate(names):
            rate, low, high = converged[name]
            ax.barh(y[i], rate, color=_CYCLE[i % len(_CYCLE)], alpha=0.8)
            ax.errorbar(rate, y[i], xerr=[[rate - low], [high - rate]], color="black", capsize=3, lw=1.2)
            ax.text(min(rate + 0.03, 0.9), y[i] + 0.28, f"{rate:.0%}", fontsize=10)
        ax.set_yticks(y, [n.replace(", ", "\n", 1) for n in names], fontsize=10)
        ax.set_xlim(0, 1.05)
        ax.set_xlabel("fraction in the box (95 % Wilson)")
        ax.set_title("which setting makes the pair converge")
        if spectra:
            ax = axes[2]
            markers = ["o", "s", "^", "D"]
            for i, (label, lam) in enumerate(spectra.items()):
                lam = np.asarray(lam)
                lam = lam[lam.imag >= 0]
                ax.scatter(-lam.real, lam.imag, marker=markers[i % 4], s=40, facecolors="none",
                           edgecolors=_CYCLE[(i + 3) % len(_CYCLE)], lw=1.6, label=label)
            ax.set_xscale("log")
            ax.set_yscale("symlog", linthresh=1e-4)
            lines = [] if boundary is None else [boundary] if np.isscalar(boundary[0]) else list(boundary)
            b = np.logspace(-4, 0.5, 200)
            for (lr, beta), ls in zip(lines, ("--", ":", "-.")):
                ax.plot(lr * b * b * (1 + beta) / (2 * (1 - beta) ** 2), b, color="black", lw=1.2, ls=ls,
                        label=f"heavy-ball boundary, lr {lr:g}, momentum {beta:g}")
            ax.set_xlabel(r"damping $-\mathrm{Re}\,\lambda$")
            ax.set_ylabel(r"rotation $\mathrm{Im}\,\lambda$")
            ax.set_title("Jacobian at a stationary point (left of the line: unstable)")
            ax.legend(loc="upper left", fontsize=9.5)
    return fig


def regularized_oscillations(
    steps: npt.ArrayLike,
    runs: Mapping[str, tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike]],
    target: tuple[float, float],
    *,
    rates: Mapping[str, tuple[float, float, float]],
) -> Figure:
    """The ensemble mean of sigma against the linear prediction, one panel per setting.

    Parameters
    ----------
    steps : array_like, shape (T,)
    runs : dict
        Setting -> (mean (T, 2), standard error (T, 2), predicted (T, 2)) of (mu, sigma).
    target : (mu_0, s_0)
    rates : dict
        Setting -> (predicted decay, fitted decay, its standard error), per iteration.
    """
    steps = np.asarray(steps)
    with style():
        fig = _figure(5.2 * len(runs), 5.0)
        axes = np.atleast_1d(fig.subplots(1, len(runs), sharey=True))
        for ax, (label, (mean, se, predicted)) in zip(axes, runs.items()):
            mean, se, predicted = (np.asarray(a, dtype=float) for a in (mean, se, predicted))
            dev = mean[:, 1] - target[1]
            ax.fill_between(steps, dev - 2 * se[:, 1], dev + 2 * se[:, 1], color=COLORS["generator"], alpha=0.25, lw=0)
            ax.plot(steps, dev, color=COLORS["generator"], lw=1.4, label=r"$\sigma_t - \sigma_0$, mean of the runs (2 SE)")
            ax.plot(steps, predicted[:, 1] - target[1], color="black", ls="--", lw=1.2, label="linearized prediction")
            ax.axhline(0, color="0.4", lw=0.8)
            theory, fitted, fitted_se = rates[label]
            ax.set_title(f"{label}\ndecay per 1000 it.: predicted {1000 * theory:.3f}, "
                         f"fitted {1000 * fitted:.3f} ± {1000 * fitted_se:.3f}", fontsize=12)
            ax.set_xlabel("iteration $t$")
        axes[0].set_ylabel("deviation of sigma from the target")
        axes[0].legend(loc="upper right", fontsize=10)
    return fig
