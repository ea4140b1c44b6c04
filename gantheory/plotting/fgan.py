"""Builders beyond eq. (9): every divergence against the distance, WGAN's Example 1, instance noise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from gantheory.plotting.base import _NATS, COLORS, style
from gantheory.plotting.base import figure as _figure

__all__ = ["DIVERGENCE_STYLE", "divergences_against_distance", "instance_noise_js", "wgan_example1"]

#: Colour and line style of each quantity, shared by the figures of this module. W1, the answer,
#: is black and solid; the divergences that saturate are dashed.
DIVERGENCE_STYLE = {
    "W1": (COLORS["reference"], "-", r"$W_1$ (Wasserstein-1)"),
    "js": (COLORS["saturating"], "--", "JS"),
    "tv": (COLORS["non_saturating"], "--", "total variation"),
    "squared-hellinger": (COLORS["accent"], "--", "squared Hellinger"),
    "kl": (COLORS["data"], "-.", r"KL$(P_0 \,\|\, P_\theta)$"),
    "reverse-kl": (COLORS["sky"], ":", r"KL$(P_\theta \,\|\, P_0)$"),
}


def _draw_curves(ax, theta: np.ndarray, curves: Mapping[str, npt.ArrayLike], top: float,
                 note_at: tuple[float, float, str] = (0.97, 0.04, "right")) -> None:
    """Each curve in its style; a curve that leaves the panel (or is infinite) says so in a note."""
    notes = []
    for key, values in curves.items():
        color, ls, label = DIVERGENCE_STYLE[key]
        y = np.asarray(values, dtype=float)
        outside = ~np.isfinite(y) | (y > top)
        ax.plot(theta, np.where(outside, np.nan, y), color=color, ls=ls, label=label)
        if np.isinf(y).sum() > 1:
            notes.append((label, color, r"$= \infty$ for $\theta \neq 0$"))
        elif outside.any():
            first = int(np.argmax(outside))
            notes.append((label, color, f"leaves at $\\theta = {theta[first]:.2g}$; {y[-1]:.3g} at "
                                        f"$\\theta = {theta[-1]:g}$"))
    x, y, ha = note_at
    step = 0.08 if y < 0.5 else -0.08  # stack upwards from the bottom, downwards from the top
    for k, (label, color, text) in enumerate(notes):
        ax.text(x, y + step * (len(notes) - 1 - k if y < 0.5 else k), f"{label} {text}", transform=ax.transAxes,
                color=color, va="bottom" if y < 0.5 else "top", ha=ha, fontsize=10.5)


def divergences_against_distance(
    theta: npt.ArrayLike,
    panels: Sequence[tuple[str, Mapping[str, npt.ArrayLike]]],
    *,
    top: float = 2.5,
    xlabel: str = r"distance $\theta$ between the means",
) -> Figure:
    """Every divergence against the distance, one panel per family: which saturate, which do not.

    Parameters
    ----------
    theta : array_like, shape (n,)
        Distances.
    panels : sequence of (title, {key: values})
        Keys of :data:`DIVERGENCE_STYLE` (``"W1"``, ``"js"``, ``"kl"``, ...); values of shape (n,),
        ``inf`` allowed (drawn as markers at the top of the panel).
    top : float
        Upper limit of the vertical axes (nats, and distance units for W1).
    """
    theta = np.asarray(theta, dtype=float)
    log2 = float(np.log(2.0))
    with style():
        fig = _figure(5.0 * len(panels), 4.8)
        axes = np.atleast_1d(fig.subplots(1, len(panels), sharey=True))
        for ax, (title, curves) in zip(axes, panels):
            _draw_curves(ax, theta, curves, top)
            ax.axhline(log2, color=COLORS["reference"], lw=0.8, alpha=0.5)
            ax.annotate("log 2", (theta[-1], log2), xytext=(-4, 3), textcoords="offset points", ha="right",
                        fontsize=10, alpha=0.7)
            ax.set(title=title, xlabel=xlabel, xlim=(theta[0], theta[-1]), ylim=(0, top))
        axes[0].set_ylabel(f"divergence ({_NATS}) or distance")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 6))
    return fig


def wgan_example1(
    theta: npt.ArrayLike,
    curves: Mapping[str, npt.ArrayLike],
    x: npt.ArrayLike,
    p_data: npt.ArrayLike,
    p_g: npt.ArrayLike,
    d_star: npt.ArrayLike,
    critic: npt.ArrayLike,
) -> Figure:
    """WGAN's Example 1 and Figure 1 in one dimension.

    (a) For :math:`P_0 = U[0, 1]` and :math:`P_\\theta = U[\\theta, 1 + \\theta]`: W1 = |θ| is
    continuous with slope 1, JS and TV jump and then saturate, KL is infinite.
    (b) Two Gaussians far apart: the optimal discriminator :math:`D^*` (eq. 7) is flat at 0 and 1
    where the generator's samples are, the optimal W1 critic has slope ±1 everywhere.

    Parameters
    ----------
    theta : array_like, shape (n,)
    curves : {key: values of shape (n,)}
        Keys of :data:`DIVERGENCE_STYLE`.
    x, p_data, p_g, d_star, critic : array_like, shape (m,)
        The grid, the two densities, :math:`D^*(x)` and the critic f(x).
    """
    theta = np.asarray(theta, dtype=float)
    with style():
        fig = _figure(12.0, 4.6)
        ax_a, ax_b = fig.subplots(1, 2)
        _draw_curves(ax_a, theta, curves, 2.2, note_at=(0.5, 0.97, "center"))
        ax_a.set(title=r"(a) $U[0,1]$ against $U[\theta, 1+\theta]$", xlabel=r"$\theta$",
                 ylabel=f"{_NATS} (W1: distance)", xlim=(theta[0], theta[-1]), ylim=(0, 2.5))
        ax_a.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=10)

        x = np.asarray(x, dtype=float)
        ax_b.fill_between(x, p_data, color=COLORS["data"], alpha=0.25, lw=0)
        ax_b.plot(x, p_data, color=COLORS["data"], label=r"$P_r$")
        ax_b.fill_between(x, p_g, color=COLORS["generator"], alpha=0.25, lw=0)
        ax_b.plot(x, p_g, color=COLORS["generator"], label=r"$P_g$")
        ax_b.set(xlabel="$x$", ylabel="density", title=r"(b) $D^*$ saturates; the $W_1$ critic does not",
                 xlim=(x[0], x[-1]))
        twin = ax_b.twinx()
        twin.plot(x, d_star, color=COLORS["saturating"], ls="--", label=r"$D^*(x)$ (eq. 7)")
        critic = np.asarray(critic, dtype=float)
        span = float(np.max(np.abs(critic))) or 1.0
        twin.plot(x, 0.5 + 0.5 * critic / span, color=COLORS["reference"], label=r"$W_1$ critic (slope $\pm1$, rescaled)")
        twin.set_ylim(-0.05, 1.05)
        twin.grid(False)
        twin.spines["right"].set_visible(True)
        twin.set_ylabel("discriminator / critic")
        handles = ax_b.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
        labels = ax_b.get_legend_handles_labels()[1] + twin.get_legend_handles_labels()[1]
        ax_b.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, fontsize=10)
    return fig


def instance_noise_js(
    theta: npt.ArrayLike,
    gaussians: Mapping[float, npt.ArrayLike],
    uniforms: Mapping[float, npt.ArrayLike],
    step: npt.ArrayLike,
    gradients: Mapping[float, npt.ArrayLike],
    *,
    gaussian_scale: float,
) -> Figure:
    """JS under instance noise against the distance, and the generator's gradient it restores.

    Parameters
    ----------
    theta : array_like, shape (n,)
    gaussians, uniforms : {eps: values of shape (n,)}
        JS between the noisy data and noisy generator densities for each noise level: Gaussians
        :math:`N(0, s^2)` against :math:`N(\\theta, s^2)` and uniforms :math:`U[0, 1]` against
        :math:`U[\\theta, 1 + \\theta]`.
    step : array_like, shape (n,)
        The noiseless JS of the uniforms, :math:`\\min(|\\theta|, 1) \\log 2`.
    gradients : {eps: values of shape (n,)}
        The saturating generator gradient under the noisy D* for the uniforms (2 dJS/dθ).
    gaussian_scale : float
        The s of the Gaussians, for the title.
    """
    theta = np.asarray(theta, dtype=float)
    log2 = float(np.log(2.0))
    levels = sorted(gaussians, reverse=True)
    palette = [COLORS["data"], COLORS["non_saturating"], COLORS["saturating"], COLORS["generator"], COLORS["accent"]]
    colors = dict(zip(levels, palette))
    with style():
        fig = _figure(15.0, 4.6)
        ax_g, ax_u, ax_d = fig.subplots(1, 3)
        for eps in levels:
            label = rf"$\varepsilon = {eps:g}$"
            ax_g.plot(theta, gaussians[eps], color=colors[eps], label=label)
            ax_u.plot(theta, uniforms[eps], color=colors[eps], label=label)
            ax_d.plot(theta, gradients[eps], color=colors[eps], label=label)
        ax_u.plot(theta, step, color=COLORS["reference"], ls=":", lw=1.8, label="no noise")
        ax_d.plot(theta, np.where(theta < 1, 2 * log2, 0.0), color=COLORS["reference"], ls=":", lw=1.8,
                  label="no noise")
        for ax in (ax_g, ax_u):
            ax.axhline(log2, color=COLORS["reference"], lw=0.8, alpha=0.5)
            ax.set(xlabel=r"distance $\theta$", ylabel=f"JS ({_NATS})", xlim=(theta[0], theta[-1]), ylim=(0, 0.75))
        ax_g.set_title(rf"(a) $N(0, {gaussian_scale:g}^2) * N(0, \varepsilon^2)$ against $N(\theta, \cdot)$")
        ax_u.set_title(r"(b) $U[0,1] * N(0, \varepsilon^2)$ against $U[\theta, 1+\theta] * \cdot$")
        ax_d.set(title=r"(c) generator's gradient in (b), noisy $D^*$", xlabel=r"distance $\theta$",
                 ylabel=r"$2\, d\mathrm{JS}/d\theta$ (saturating loss)", xlim=(theta[0], theta[-1]))
        ax_u.legend(loc="lower right", fontsize=10)
    return fig
