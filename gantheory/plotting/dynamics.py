"""Builders for the training-dynamics figures: the Dirac-GAN's fields and trajectories, the R1
eigenvalues against gamma, the distance to the equilibrium over the iterations, and the
oscillation of gan.train against the linearized prediction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from gantheory.plotting.base import COLORS, style
from gantheory.plotting.base import figure as _figure

__all__ = ["dirac_norms", "dirac_vector_fields", "eigenvalues_against_parameter", "oscillation_comparison"]

_CYCLE = [COLORS[k] for k in ("data", "generator", "non_saturating", "saturating", "accent", "sky")] + [
    "#000000", "#7F7F7F", "#8C564B"]


def dirac_vector_fields(
    theta: npt.ArrayLike,
    psi: npt.ArrayLike,
    panels: Sequence[Mapping],
    *,
    columns: int = 3,
) -> Figure:
    """One panel per method: the vector field on a grid and a trajectory, as in Mescheder et al. (2018).

    Parameters
    ----------
    theta, psi : array_like, shape (n,) and (k,)
        The grid's axes (the field arrays are (k, n)).
    panels : sequence of mappings
        Each with ``title``, ``v_theta`` and ``v_psi`` (k, n), ``trajectory`` (steps + 1, 2) and,
        optionally, ``clip`` (WGAN's clipping value, shaded beyond) and ``note`` (text at the top).
    """
    theta, psi = np.asarray(theta, dtype=float), np.asarray(psi, dtype=float)
    rows = -(-len(panels) // columns)
    with style():
        fig = _figure(4.2 * columns, 4.0 * rows)
        axes = np.atleast_1d(fig.subplots(rows, columns, sharex=True, sharey=True)).ravel()
        for ax, panel in zip(axes, panels):
            v1, v2 = np.asarray(panel["v_theta"]), np.asarray(panel["v_psi"])
            speed = np.hypot(v1, v2)
            scale = np.where(speed > 0, 1.0 / np.maximum(speed, 1e-12), 0.0)  # unit arrows, speed in colour
            ax.quiver(theta, psi, v1 * scale, v2 * scale, speed, cmap="Greys", clim=(0, speed.max() * 1.2),
                      angles="xy", scale_units="xy", scale=1 / (0.6 * (theta[1] - theta[0])), width=0.005)
            path = np.asarray(panel["trajectory"])
            ax.plot(path[:, 0], path[:, 1], color=COLORS["generator"], lw=1.6)
            ax.plot(*path[0], "o", color=COLORS["generator"], ms=7)
            ax.plot(0, 0, "*", color=COLORS["data"], ms=14, zorder=5)
            clip = panel.get("clip")
            if clip is not None:
                for lo, hi in ((clip, psi.max()), (psi.min(), -clip)):
                    ax.axhspan(lo, hi, color="0.85", zorder=0)
            ax.set_title(panel["title"])
            if panel.get("note"):
                ax.text(0.03, 0.97, panel["note"], transform=ax.transAxes, va="top", ha="left", fontsize=10.5,
                        bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
            ax.set_xlim(theta.min(), theta.max())
            ax.set_ylim(psi.min(), psi.max())
            ax.set_aspect("equal")
        for ax in axes[len(panels):]:
            ax.set_visible(False)
        for ax in axes[(rows - 1) * columns:]:
            ax.set_xlabel(r"generator $\theta$")
        for ax in axes[::columns]:
            ax.set_ylabel(r"discriminator $\psi$")
        fig.suptitle(r"Dirac-GAN: training vector field, and 500 simultaneous steps ($h = 0.2$) from $(1, 1)$;"
                     r" $\star$ the equilibrium")
    return fig


def eigenvalues_against_parameter(
    values: npt.ArrayLike,
    eigenvalues: npt.ArrayLike,
    *,
    name: str = r"\gamma",
    critical: float | None = None,
    title: str = "",
) -> Figure:
    """The two eigenvalues of the Jacobian against a parameter: in the complex plane and as
    real and imaginary parts.

    Parameters
    ----------
    values : array_like, shape (n,)
    eigenvalues : array_like of complex, shape (n, 2)
    critical : float, optional
        Where the eigenvalues meet; marked.
    """
    values, lam = np.asarray(values, dtype=float), np.asarray(eigenvalues, dtype=complex)
    with style():
        fig = _figure(13.0, 5.0)
        plane, parts = fig.subplots(1, 2)
        for k, color in enumerate((COLORS["data"], COLORS["generator"])):
            points = plane.scatter(lam[:, k].real, lam[:, k].imag, c=values, cmap="viridis", s=22, zorder=3)
            plane.plot(lam[:, k].real, lam[:, k].imag, color=color, lw=1.0, alpha=0.6)
        fig.colorbar(points, ax=plane, label=f"${name}$")
        plane.axvline(0, color="0.4", lw=1.0)
        plane.set_xlabel(r"Re $\lambda$")
        plane.set_ylabel(r"Im $\lambda$")
        plane.set_title("eigenvalues in the complex plane")
        parts.plot(values, lam[:, 0].real, color=COLORS["data"], label=r"Re $\lambda_+$")
        parts.plot(values, lam[:, 1].real, color=COLORS["generator"], label=r"Re $\lambda_-$")
        parts.plot(values, np.abs(lam[:, 0].imag), color=COLORS["non_saturating"], ls="--",
                   label=r"$|$Im $\lambda|$ (oscillation)")
        parts.axhline(0, color="0.4", lw=1.0)
        if critical is not None:
            parts.axvline(critical, color=COLORS["reference"], ls=":", lw=1.6)
            parts.annotate(f"critical ${name} = {critical:g}$: the eigenvalues meet", (critical, parts.get_ylim()[0]),
                           xytext=(8, 12), textcoords="offset points", fontsize=11)
        parts.set_xlabel(f"${name}$")
        parts.set_ylabel(r"$\lambda$")
        parts.legend(loc="lower left")
        parts.set_title("real and imaginary parts")
        if title:
            fig.suptitle(title)
    return fig


def dirac_norms(steps: npt.ArrayLike, norms: Mapping[str, npt.ArrayLike], *,
                predictions: Mapping[str, npt.ArrayLike] | None = None, title: str = "") -> Figure:
    """:math:`\\|(\\theta_t, \\psi_t)\\|` against the iteration, log scale, one line per method.

    Parameters
    ----------
    steps : array_like, shape (T,)
    norms : mapping label -> array, shape (T,)
    predictions : mapping label -> array, shape (T,), optional
        Linear predictions, drawn dotted in the same colour as the label they share.
    """
    steps = np.asarray(steps)
    predictions = predictions or {}
    with style():
        fig = _figure(11.0, 6.5)
        ax = fig.subplots()
        for color, (label, norm) in zip(_CYCLE, norms.items()):
            ax.semilogy(steps, norm, color=color, label=label)
            if label in predictions:
                ax.semilogy(steps, predictions[label], color=color, ls=":", lw=1.6)
        if predictions:
            ax.plot([], [], color="0.3", ls=":", lw=1.6, label="linear prediction, spectral radius of $I + hJ$")
        ax.set_xlabel("iteration $t$")
        ax.set_ylabel(r"distance to the equilibrium $\|(\theta_t, \psi_t)\|$")
        ax.legend(loc="lower left", ncol=2, fontsize=10.5)
        if title:
            ax.set_title(title)
    return fig


def oscillation_comparison(
    steps: npt.ArrayLike,
    measured: npt.ArrayLike,
    standard_error: npt.ArrayLike,
    predicted: npt.ArrayLike,
    target: tuple[float, float],
    *,
    default_steps: npt.ArrayLike | None = None,
    default_measured: npt.ArrayLike | None = None,
    default_predicted: npt.ArrayLike | None = None,
    titles: tuple[str, str] = ("", ""),
) -> Figure:
    """gan.train's mean (mu, sigma) against the linearized prediction.

    Parameters
    ----------
    steps : array_like, shape (T,)
    measured, standard_error, predicted : array_like, shape (T, 2)
        Ensemble mean, its standard error, and the linear prediction of (mu, sigma).
    target : (mu_0, s_0)
    default_steps, default_measured, default_predicted : optional
        A second panel: a run from the default start, and the predicted oscillation (frequency
        and decay from the theory, amplitude and phase fitted).
    """
    steps, mean = np.asarray(steps), np.asarray(measured, dtype=float)
    se, pred = np.asarray(standard_error, dtype=float), np.asarray(predicted, dtype=float)
    two = default_steps is not None
    with style():
        fig = _figure(14.0 if two else 8.0, 5.4)
        axes = np.atleast_1d(fig.subplots(1, 2 if two else 1))
        colors = (COLORS["data"], COLORS["generator"])
        for k, (name, color) in enumerate(zip((r"\mu", r"\sigma"), colors)):
            dev = mean[:, k] - target[k]
            axes[0].fill_between(steps, dev - 2 * se[:, k], dev + 2 * se[:, k], color=color, alpha=0.25, lw=0)
            axes[0].plot(steps, dev, color=color, lw=1.4, label=f"${name}_t - {name}_0$, mean of the runs (2 SE)")
            axes[0].plot(steps, pred[:, k] - target[k], color="black", ls="--", lw=1.2)
        axes[0].plot([], [], color="black", ls="--", lw=1.2, label="linearized SGD-momentum map")
        axes[0].axhline(0, color="0.4", lw=0.8)
        axes[0].set_xlabel("iteration $t$")
        axes[0].set_ylabel("deviation from the target")
        axes[0].legend(loc="upper right", fontsize=10.5)
        axes[0].set_title(titles[0])
        if two:
            d_steps, d_mean = np.asarray(default_steps), np.asarray(default_measured, dtype=float)
            d_pred = np.asarray(default_predicted, dtype=float)
            for k, (name, color) in enumerate(zip((r"\mu", r"\sigma"), colors)):
                axes[1].plot(d_steps, d_mean[:, k], color=color, lw=1.6, label=f"${name}_t$, mean of the runs")
                shown = np.isfinite(d_pred[:, k])
                axes[1].plot(d_steps[shown], d_pred[shown, k], color="black", ls="--", lw=1.2)
                axes[1].axhline(target[k], color=color, ls=":", lw=1.0)
            axes[1].plot([], [], color="black", ls="--", lw=1.2, label="predicted period and decay")
            axes[1].set_xlabel("iteration $t$")
            axes[1].set_ylabel("generator parameter")
            axes[1].legend(loc="center right", fontsize=10.5)
            axes[1].set_title(titles[1])
    return fig
