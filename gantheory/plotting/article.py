"""Builders for the article's figures: Figure 3, Figure 4, the generator gradients, D*, eq. (9)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from gantheory.plotting.base import _DISTANCE_LABEL, _NATS, COLORS, style
from gantheory.plotting.base import figure as _figure

__all__ = ["Series", "criterion_identity", "gradient_comparison", "js_and_slope", "optimal_discriminators",
           "training_progress"]

# --- Figure 3: training progress -------------------------------------------------------------------


def training_progress(
    x: npt.ArrayLike,
    p_data: npt.ArrayLike,
    p_g: npt.ArrayLike,
    distances: Sequence[float],
    js: Sequence[float],
    *,
    d_star: npt.ArrayLike | None = None,
    stages: Sequence[str] = ("initial state", "during training", "converging"),
) -> Figure:
    """Figure 3 of the article: P_g (red) approaching P_r (blue), each panel titled with its JS.

    Parameters
    ----------
    x : array_like, shape (n,)
        Grid of the horizontal axis.
    p_data : array_like, shape (n,)
        Density of P_r on ``x``.
    p_g : array_like, shape (k, n)
        Density of P_g on ``x`` at each of the k stages, left to right.
    distances, js : sequences of k floats
        Distance between the means (in units of sigma) and the JS divergence (nats) at each
        stage, printed in the panel titles.
    d_star : array_like, shape (k, n), optional
        The optimal discriminator D*(x) of eq. (7) at each stage, drawn dashed on a [0, 1] axis.
    stages : sequence of k str
        Caption of each panel.
    """
    p_g = np.atleast_2d(np.asarray(p_g, dtype=float))
    with style():
        fig = _figure(4.6 * len(p_g), 4.2)
        axes = fig.subplots(1, len(p_g), sharey=True)
        for i, ax in enumerate(np.atleast_1d(axes)):
            ax.fill_between(x, p_data, color=COLORS["data"], alpha=0.25, lw=0)
            ax.plot(x, p_data, color=COLORS["data"], label=r"$P_r$ (data)")
            ax.fill_between(x, p_g[i], color=COLORS["generator"], alpha=0.25, lw=0)
            ax.plot(x, p_g[i], color=COLORS["generator"], label=r"$P_g$ (generator)")
            ax.set_title(f"{stages[i]}: $d = {distances[i]:g}\\sigma$\nJS = {js[i]:.4f} {_NATS}")
            ax.set_xlabel(r"$x$ (units of $\sigma$)")
            ax.xaxis.set_major_locator(mpl.ticker.MultipleLocator(5))
            ax.set_ylim(0, None)
            if d_star is not None:
                twin = ax.twinx()
                twin.plot(x, np.asarray(d_star)[i], color=COLORS["reference"], lw=1.6, ls="--")
                twin.set_ylim(0, 1.05)
                twin.grid(False)
                if i == len(p_g) - 1:
                    twin.spines["right"].set_visible(True)
                    twin.set_ylabel(r"optimal discriminator $D^*(x)$")
                else:
                    twin.tick_params(right=False, labelright=False)
        first = np.atleast_1d(axes)[0]
        first.set_ylabel("density")
        handles, labels = first.get_legend_handles_labels()
        if d_star is not None:
            handles.append(mpl.lines.Line2D([], [], color=COLORS["reference"], lw=1.6, ls="--"))
            labels.append(r"$D^*(x)$ of eq. (7), right axis")
        fig.legend(handles, labels, loc="outside lower center", ncols=len(handles))
    return fig


# --- Figure 4: the JS curve and its slope ----------------------------------------------------------


def js_and_slope(
    distances: npt.ArrayLike,
    js: npt.ArrayLike,
    slope: npt.ArrayLike,
    *,
    steepest: tuple[float, float],
    flat_from: tuple[float, float],
    prints_log2_from: float | None = None,
    highlight: tuple[float, float] | None = None,
) -> Figure:
    """Figure 4 of the article: (a) JS against distance, (b) its slope dJS/dd.

    Parameters
    ----------
    distances, js, slope : array_like, shape (n,)
        The curve: distances (units of sigma), JS (nats) and dJS/dd (nats per sigma).
    steepest : (float, float)
        Distance and slope at the maximum of the slope, marked in (b).
    flat_from : (float, float)
        A distance and the slope there; the region beyond it is shaded in (b) as "almost flat".
    prints_log2_from : float, optional
        Distance from which JS rounds to 0.693 (three decimals), marked in (a).
    highlight : (float, float), optional
        A distance and its JS to mark and label in (a), such as Figure 3's distance 2.
    """
    d = np.asarray(distances, dtype=float)
    log2 = float(np.log(2.0))
    with style():
        fig = _figure(12.0, 4.4)
        ax_js, ax_slope = fig.subplots(1, 2)
        ax_js.plot(d, js, color=COLORS["data"], label=r"JS$(P_r \,\|\, P_g)$")
        ax_js.axhline(log2, color=COLORS["reference"], ls=":", lw=1.6,
                      label=f"log 2 = {log2:.4f} {_NATS}")
        if prints_log2_from is not None:
            ax_js.axvline(prints_log2_from, color=COLORS["accent"], ls="--", lw=1.6,
                          label=f"rounds to 0.693 from $d = {prints_log2_from:.2f}\\sigma$")
        if highlight is not None:
            ax_js.plot([highlight[0]], [highlight[1]], "o", color=COLORS["reference"], ms=7)
            ax_js.annotate(f"JS = {highlight[1]:.4f} at $d = {highlight[0]:g}\\sigma$",
                           highlight, xytext=(14, -4), textcoords="offset points", va="top")
        ax_js.set(xlabel=_DISTANCE_LABEL, ylabel=f"JS divergence ({_NATS})",
                  title="(a) JS divergence against distance", xlim=(d[0], d[-1]), ylim=(0, 0.75))
        ax_js.legend(loc="lower right")

        ax_slope.plot(d, slope, color=COLORS["generator"], label=r"$d\,\mathrm{JS}/dd$")
        d_peak, s_peak = steepest
        ax_slope.plot([d_peak], [s_peak], "o", color=COLORS["reference"], ms=7)
        ax_slope.annotate(f"maximum {s_peak:.4f} at $d = {d_peak:.3f}\\sigma$", (d_peak, s_peak),
                          xytext=(12, 8), textcoords="offset points")
        d_flat, s_flat = flat_from
        ax_slope.axvspan(d_flat, d[-1], color=COLORS["sky"], alpha=0.25, lw=0,
                         label=f"$d > {d_flat:g}\\sigma$: slope < {s_flat:.4f}")
        ax_slope.set(xlabel=_DISTANCE_LABEL, ylabel=f"slope ({_NATS} per $\\sigma$)",
                     title="(b) its gradient against distance", xlim=(d[0], d[-1]),
                     ylim=(0, 1.2 * s_peak))
        ax_slope.legend(loc="center right")
    return fig


# --- generator gradients: saturating against non-saturating (eq. 10) -----------------------------


@dataclass(frozen=True)
class Series:
    """An extra set of points or a line to overlay on a figure.

    For example Monte-Carlo gradient estimates from the NumPy GAN's backpropagation, with their
    standard errors, on :func:`gradient_comparison`.

    Parameters
    ----------
    x, y : array_like, shape (n,)
    label : str
    yerr : array_like, shape (n,), optional
        Error bars (drawn on the linear panels only).
    color : str, optional
        Defaults to the next unused palette colour.
    marker : str, default "o"
        ``""`` draws a line without markers.
    linestyle : str, default "none"
    """

    x: npt.ArrayLike
    y: npt.ArrayLike
    label: str
    yerr: npt.ArrayLike | None = None
    color: str | None = None
    marker: str = "o"
    linestyle: str = "none"


def _draw_series(ax, series: Series, color: str, *, errors: bool) -> None:
    x, y = np.asarray(series.x, dtype=float), np.asarray(series.y, dtype=float)
    if errors and series.yerr is not None:
        ax.errorbar(x, y, yerr=series.yerr, color=color, marker=series.marker or None,
                    ls=series.linestyle, ms=6, capsize=3, lw=1.6, label=series.label)
    else:
        ax.plot(x, y, color=color, marker=series.marker or None, ls=series.linestyle, ms=6,
                label=series.label)


def gradient_comparison(
    theta: npt.ArrayLike,
    saturating: npt.ArrayLike,
    non_saturating: npt.ArrayLike,
    *,
    kl_slope: npt.ArrayLike | None = None,
    extra: Sequence[Series] = (),
) -> Figure:
    """The generator's gradient under the optimal D: saturating (eq. 6) against non-saturating (eq. 10).

    Two panels over the same distances: linear scale, where the saturating gradient visibly dies
    while the non-saturating one grows, and log scale, where the saturating one falls like
    :math:`e^{-\\theta^2/8}`.

    Parameters
    ----------
    theta : array_like, shape (n,)
        Generator positions (distance from P_r, units of sigma), positive.
    saturating, non_saturating : array_like, shape (n,)
        The gradients (nats per sigma), as from :func:`gantheory.generator_gradients`.
    kl_slope : array_like, shape (n,), optional
        :math:`\\partial_\\theta \\mathrm{KL}(p_g \\| p_{data})`, drawn dotted: the non-saturating
        gradient approaches it (Arjovsky & Bottou 2017, Theorem 2.5).
    extra : sequence of Series
        Drawn on both panels (error bars on the linear one), after the curves.
    """
    palette = [COLORS[k] for k in ("generator", "data", "accent", "sky", "reference")]
    with style():
        fig = _figure(12.0, 4.6)
        ax_lin, ax_log = fig.subplots(1, 2, sharex=True)
        for ax, errors in ((ax_lin, True), (ax_log, False)):
            ax.plot(theta, saturating, color=COLORS["saturating"],
                    label=r"saturating: $\partial_\theta\, E_z \log(1 - D^*(G(z)))$")
            ax.plot(theta, non_saturating, color=COLORS["non_saturating"],
                    label=r"non-saturating: $E_z[-\partial_\theta \log D^*(G(z))]$")
            if kl_slope is not None:
                ax.plot(theta, kl_slope, color=COLORS["reference"], ls=":", lw=1.6,
                        label=r"$\partial_\theta\, \mathrm{KL}(P_g \,\|\, P_r) = \theta/\sigma^2$")
            for i, series in enumerate(extra):
                _draw_series(ax, series, series.color or palette[i % len(palette)], errors=errors)
            ax.set_xlabel(r"generator position $\theta$ = distance from $P_r$ (units of $\sigma$)")
            ax.set_ylabel(f"gradient ({_NATS} per $\\sigma$)")
        ax_lin.set_title("(a) linear scale")
        ax_lin.set_ylim(0, None)
        ax_lin.legend(loc="upper left")
        ax_log.set_yscale("log")
        ax_log.set_title("(b) log scale: the saturating gradient vanishes")
    return fig


# --- the optimal discriminator (eq. 7) -------------------------------------------------------------


def optimal_discriminators(
    x: npt.ArrayLike,
    p_data: npt.ArrayLike,
    p_g: npt.ArrayLike,
    d_star: npt.ArrayLike,
    positions: Sequence[float],
) -> Figure:
    """D*(x) = p_data / (p_data + p_g), eq. (7), as p_g moves away from p_data.

    Top: the densities; bottom: D*(x) for each position of p_g, in the same colour. As the
    distributions separate, D* becomes a step from 1 to 0 at the midpoint.

    Parameters
    ----------
    x : array_like, shape (n,)
    p_data : array_like, shape (n,)
    p_g : array_like, shape (k, n)
        p_g on ``x`` at each of the k positions.
    d_star : array_like, shape (k, n)
        D*(x) at each position.
    positions : sequence of k floats
        Mean of p_g at each position (units of sigma), for the legend.
    """
    p_g, d_star = np.atleast_2d(p_g), np.atleast_2d(d_star)
    # Reds from light to dark, and a different dash for each position: lightness and dashes,
    # not hue, tell the positions apart.
    shades = mpl.colormaps["Reds"](np.linspace(0.35, 1.0, len(positions)))
    dashes = [(0, ()), (0, (6, 2)), (0, (3, 1.5, 1, 1.5)), (0, (1.2, 1.2)), (0, (8, 2, 2, 2))]
    with style():
        fig = _figure(9.0, 7.0)
        ax_density, ax_d = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1.5))
        ax_density.fill_between(x, p_data, color=COLORS["data"], alpha=0.25, lw=0)
        ax_density.plot(x, p_data, color=COLORS["data"], label=r"$P_r = N(0, \sigma^2)$")
        for k, density in enumerate(p_g):
            last = k == len(positions) - 1
            ax_density.plot(x, density, color=shades[k], ls=dashes[k % len(dashes)], lw=2.2,
                            label=r"$P_g$ (one per $\theta$, as below)" if last else None)
        ax_density.set(ylabel="density", ylim=(0, 1.4 * np.max(p_data)),
                       title=r"$P_g = N(\theta, \sigma^2)$ at several positions $\theta$")
        ax_density.legend(loc="upper center", ncols=2)
        ax_d.axhline(0.5, color=COLORS["reference"], ls=":", lw=1.4)
        for k, (curve, position) in enumerate(zip(d_star, positions)):
            ax_d.plot(x, curve, color=shades[k], ls=dashes[k % len(dashes)],
                      label=f"$\\theta = {position:g}\\sigma$")
        ax_d.set(xlabel=r"$x$ (units of $\sigma$)", ylim=(-0.02, 1.02),
                 ylabel=r"$D^*(x) = \dfrac{p_{data}(x)}{p_{data}(x) + p_g(x)}$")
        ax_d.legend(loc="upper right", ncols=1)
    return fig


# --- the identity C(G) = 2 JS - 2 log 2 (eq. 9) --------------------------------------------------


def criterion_identity(
    js_side: npt.ArrayLike,
    criterion: npt.ArrayLike,
    groups: Sequence[str],
    *,
    toolkit: npt.ArrayLike | None = None,
) -> Figure:
    """C(G) = V(D*, G) against 2·JS(p_data ‖ p_g) − 2·log 2 for many pairs: eq. (9), along two paths.

    Left: the pairs on the identity line, between its ends −log 4 (p_g = p_data) and 0 (disjoint
    supports). Right: the deviation of each pair from the line, and (if ``toolkit`` is given) the
    deviation of gantheory's C(G) from the independent one, with the largest of each printed.

    Parameters
    ----------
    js_side : array_like, shape (n,)
        :math:`2\\,\\mathrm{JS} - 2 \\log 2` for each pair (nats), JS computed as
        :math:`\\tfrac12 \\mathrm{KL}(p \\| m) + \\tfrac12 \\mathrm{KL}(q \\| m)`.
    criterion : array_like, shape (n,)
        :math:`C(G) = E_{p_{data}}[\\log D^*] + E_{p_g}[\\log(1 - D^*)]` for each pair (nats), along
        a path that shares no integrand with ``js_side``.
    groups : sequence of n str
        The families of each pair, such as ``"Gaussian vs Laplace"``; one marker per group.
    toolkit : array_like, shape (n,), optional
        :math:`C(G)` as :func:`gantheory.virtual_criterion` computes it, drawn as its deviation from
        ``criterion``.
    """
    js_side, criterion = np.asarray(js_side, dtype=float), np.asarray(criterion, dtype=float)
    deviation = criterion - js_side
    worst = float(np.max(np.abs(deviation)))
    names = list(dict.fromkeys(groups))
    markers = ["o", "s", "^", "D", "v", "P", "X", "*"]
    palette = [COLORS[k] for k in ("data", "generator", "non_saturating", "saturating", "accent",
                                   "sky", "reference")]
    log4 = float(np.log(4.0))
    with style():
        fig = _figure(12.0, 5.4)
        ax_id, ax_dev = fig.subplots(1, 2, width_ratios=(1.1, 1))
        ax_id.plot([-log4, 0], [-log4, 0], color=COLORS["reference"], lw=1.4, ls=":",
                   label=r"identity $C(G) = 2\,\mathrm{JS} - 2\log 2$")
        index = np.arange(len(js_side))
        for k, name in enumerate(names):
            mine = np.array([g == name for g in groups])
            style_k = dict(marker=markers[k % len(markers)], color=palette[k % len(palette)],
                           ls="none", ms=7, mfc="none", mew=1.8)
            ax_id.plot(js_side[mine], criterion[mine], label=name, **style_k)
            ax_dev.plot(index[mine], deviation[mine], **style_k)
        limit = max(worst, 1e-16)
        title = f"deviation from the identity (open markers)\nlargest: {worst:.1e} nats"
        if toolkit is not None:
            against = np.asarray(toolkit, dtype=float) - criterion
            ax_dev.plot(index, against, ls="none", marker=".", ms=6, color="0.25",
                        label="gantheory's C(G) minus the independent C(G)")
            limit = max(limit, float(np.max(np.abs(against))))
            title += f"; gantheory's C(G) (dots): {float(np.max(np.abs(against))):.1e}"
            ax_dev.legend(loc="lower left", fontsize=10)
        ax_id.annotate(r"$p_g = p_{data}$: $-\log 4$", (-log4, -log4), xytext=(10, -2),
                       textcoords="offset points", va="top", fontsize=11)
        ax_id.annotate("disjoint\nsupports: 0", (0, 0), xytext=(0.05, -0.3), ha="right", va="top",
                       fontsize=11, arrowprops={"arrowstyle": "->", "lw": 1.0})
        ax_id.set(xlabel=r"$2\,\mathrm{JS} - 2\log 2$, JS $= \frac{1}{2}\mathrm{KL}(p \,\|\, m) + "
                         r"\frac{1}{2}\mathrm{KL}(q \,\|\, m)$ (nats)",
                  ylabel=r"$C(G) = E_{p}\log D^* + E_{q}\log(1 - D^*)$ (nats)",
                  title=f"eq. (9) on {len(js_side)} pairs, two independent integrals per side",
                  xlim=(-1.5, 0.1), ylim=(-1.5, 0.1), aspect="equal")
        ax_id.legend(loc="upper left", fontsize=10.5)
        ax_dev.axhline(0.0, color=COLORS["reference"], lw=1.2)
        ax_dev.set(xlabel="pair", ylabel="deviation (nats)", title=title)
        ax_dev.set_ylim(-1.6 * limit, 1.6 * limit)
        ax_dev.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    return fig
