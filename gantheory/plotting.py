"""Figure builders: each takes the numbers to draw and returns a :class:`matplotlib.figure.Figure`.

Nothing here computes mathematics. The scripts in ``scripts/`` compute with gantheory (JS, D*,
gradients) and pass the arrays in, so what a figure shows is exactly what the library returned,
and a reader who wants the numbers behind a figure finds them in its script. Figures are built
with :class:`matplotlib.figure.Figure` directly (no pyplot), so no display or backend state is
involved, and :func:`save_figure` writes them reproducibly: rerunning a script leaves the files
byte-for-byte unchanged.

Conventions shared by every builder: :math:`P_r` (the data, ``p_data``) is blue and :math:`P_g`
(the generator, ``p_g``) red, as in the article; other series use the rest of the Okabe–Ito
palette, which stays distinguishable under the common colour-vision deficiencies. Divergences
are in nats; distances are in units of the common standard deviation :math:`\\sigma`. Font sizes
and line widths are chosen for a slide.

Builders, in the order of the article:

- :func:`training_progress` — Figure 3;
- :func:`js_and_slope` — Figure 4 (a) and (b);
- :func:`gradient_comparison` — saturating against non-saturating gradient (eq. 10); open to
  extra :class:`Series`, such as Monte-Carlo estimates from the NumPy GAN;
- :func:`optimal_discriminators` — D*(x) of eq. (7) as p_g moves away;
- :func:`criterion_identity` — C(G) against 2·JS − 2·log 2, eq. (9).

NumPy GAN builders (their own section at the end): :func:`gan_figure1` (Goodfellow et al.
2014, Figure 1, from a real run), :func:`gan_vanishing_gradients`, :func:`gan_mode_collapse`.

New builders go in their own section below, take arrays, and return a Figure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from gantheory.files import atomic_write

__all__ = [
    "COLORS",
    "Series",
    "criterion_identity",
    "gan_figure1",
    "gan_mode_collapse",
    "gan_vanishing_gradients",
    "gradient_comparison",
    "js_and_slope",
    "optimal_discriminators",
    "save_figure",
    "style",
    "training_history",
    "training_progress",
]

#: Okabe–Ito colours. ``data`` and ``generator`` follow the article: P_r blue, P_g red.
COLORS = {
    "data": "#0072B2",  # blue
    "generator": "#D55E00",  # vermillion
    "saturating": "#E69F00",  # orange
    "non_saturating": "#009E73",  # bluish green
    "reference": "#000000",
    "accent": "#CC79A7",  # reddish purple
    "sky": "#56B4E9",
    "yellow": "#F0E442",
}

# Readable on a slide: large type, thick lines, light grid.
_RC = {
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "legend.fontsize": 11.5,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "lines.linewidth": 2.4,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "savefig.dpi": 150,
    "svg.fonttype": "path",
    "svg.hashsalt": "gantheory",  # fixed ids in SVG output
}

_NATS = "nats"
_DISTANCE_LABEL = r"distance between the means $d$ (units of $\sigma$)"


@contextmanager
def style() -> Iterator[None]:
    """The rcParams every builder uses; wrap your own figure in it to match."""
    with mpl.rc_context(_RC):
        yield


def _figure(width: float, height: float, **kwargs) -> Figure:
    return Figure(figsize=(width, height), layout="constrained", dpi=_RC["savefig.dpi"], **kwargs)


# --- saving --------------------------------------------------------------------------------------

# Metadata that would change from run to run (dates) or machine to machine (versions) is removed.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


def save_figure(
    fig: Figure, stem: str | os.PathLike, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Write ``fig`` as ``stem.png`` and ``stem.svg`` (or other formats), reproducibly and atomically.

    Each file is first written to a temporary file in the same folder and then moved into place
    with :func:`os.replace`, so a reader never sees half a file. Dates, software versions and
    random SVG ids are left out, and the layout is computed once and then frozen (the figure's
    layout engine is removed), so building and saving the same figure again, or saving it
    twice, gives identical bytes.

    Parameters
    ----------
    fig : Figure
    stem : path
        Output path without extension; its folder must exist.
    formats : sequence of {"png", "svg", "pdf"}

    Returns
    -------
    list of Path
        The files written.
    """
    stem = Path(stem)
    for fmt in formats:
        if fmt not in _METADATA:
            raise ValueError(f"`formats` must hold 'png', 'svg' or 'pdf'; got {fmt!r}.")
    # Constrained layout is recomputed at every draw and need not settle (successive draws can
    # alternate between two layouts), so lay the figure out once and freeze it: from here on
    # every save of this figure is the same.
    if fig.get_layout_engine() is not None:
        with style():
            fig.draw_without_rendering()
        fig.set_layout_engine("none")
    return [_save_one(fig, stem, fmt) for fmt in formats]


def _save_one(fig: Figure, stem: Path, fmt: str) -> Path:
    def write(stream: BinaryIO) -> None:
        with style():
            fig.savefig(stream, format=fmt, metadata=_METADATA[fmt])

    return atomic_write(stem.with_name(f"{stem.name}.{fmt}"), write)


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
) -> Figure:
    """C(G) = V(D*, G) against 2·JS(p_data ‖ p_g) − 2·log 2 for many pairs: eq. (9).

    Left: the pairs on the identity line, between its ends −log 4 (p_g = p_data) and 0 (disjoint
    supports). Right: the deviation of each pair from the line, with the largest printed.

    Parameters
    ----------
    js_side : array_like, shape (n,)
        :math:`2\\,\\mathrm{JS} - 2 \\log 2` for each pair (nats), from :func:`gantheory.js_divergence`.
    criterion : array_like, shape (n,)
        :math:`C(G)` for each pair (nats), from :func:`gantheory.virtual_criterion`.
    groups : sequence of n str
        The families of each pair, such as ``"Gaussian vs Laplace"``; one marker per group.
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
        ax_id.annotate(r"$p_g = p_{data}$: $-\log 4$", (-log4, -log4), xytext=(10, -2),
                       textcoords="offset points", va="top", fontsize=11)
        ax_id.annotate("disjoint\nsupports: 0", (0, 0), xytext=(0.05, -0.3), ha="right", va="top",
                       fontsize=11, arrowprops={"arrowstyle": "->", "lw": 1.0})
        ax_id.set(xlabel=r"$2\,\mathrm{JS}(p_{data} \,\|\, p_g) - 2\log 2$ (nats)",
                  ylabel=r"$C(G) = V(D^*_G, G)$ (nats)",
                  title=f"eq. (9) on {len(js_side)} pairs of densities",
                  xlim=(-1.5, 0.1), ylim=(-1.5, 0.1), aspect="equal")
        ax_id.legend(loc="upper left", fontsize=10.5)
        ax_dev.axhline(0.0, color=COLORS["reference"], lw=1.2)
        ax_dev.set(xlabel="pair", ylabel=r"$C(G) - (2\,\mathrm{JS} - 2\log 2)$ (nats)",
                   title=f"deviation from the identity\nlargest: {worst:.1e} nats")
        limit = max(worst, 1e-16) * 1.6
        ax_dev.set_ylim(-limit, limit)
        ax_dev.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
    return fig


# =================================================================================================
# The NumPy GAN (gantheory.gan): Goodfellow et al.'s Figure 1 from a real run, vanishing gradients
# in practice, mode collapse. Data come from gantheory.gan.experiments, through scripts/gan_*.py.
# =================================================================================================


def gan_figure1(
    x: npt.ArrayLike,
    p_data: npt.ArrayLike,
    panels: Sequence[dict],
    *,
    d_star: npt.ArrayLike | None = None,
) -> Figure:
    """Goodfellow et al. (2014), Figure 1, drawn from a real run of the NumPy GAN.

    As in the paper: :math:`p_{data}` black dotted, :math:`p_g` green solid, D blue dashed, and
    below each panel the map :math:`z \\mapsto x = G(z)` as lines from the noise line to the data
    line.

    Parameters
    ----------
    x : array_like, shape (n,)
    p_data : array_like, shape (n,)
    panels : sequence of 4 dicts
        Each with ``p_g`` (n,), ``d`` (n,), ``z`` (k,), ``g_of_z`` (k,), ``label`` and ``js``,
        as :func:`gantheory.gan.experiments.figure1` returns them.
    d_star : array_like, shape (n,), optional
        The exact D* for panel (b)'s generator, drawn thin for comparison.
    """
    x, p_data = np.asarray(x, dtype=float), np.asarray(p_data, dtype=float)
    titles = {
        "a": "(a) near convergence",
        "b": "(b) D trained to optimality",
        "c": "(c) after generator updates",
        "d": "(d) equilibrium: $p_g = p_{data}$, $D = 1/2$",
    }
    green, blue = COLORS["non_saturating"], COLORS["data"]
    top = 1.05
    x_line, z_line = -0.12, -0.42
    with style():
        fig = _figure(15.0, 4.6)
        axes = fig.subplots(1, len(panels), sharey=True)
        for ax, panel in zip(np.atleast_1d(axes), panels):
            ax.plot(x, p_data, color="black", ls=":", lw=2.2, label=r"$p_{data}$")
            ax.plot(x, panel["p_g"], color=green, lw=2.2, label=r"$p_g$")
            ax.plot(x, panel["d"], color=blue, ls="--", lw=2.2, label=r"$D(x)$")
            if d_star is not None and panel["label"] == "b":
                ax.plot(x, d_star, color=COLORS["reference"], lw=0.9, label=r"exact $D^*$")
            ax.axhline(x_line, color="0.3", lw=1.0)
            ax.axhline(z_line, color="0.3", lw=1.0)
            for z, gz in zip(panel["z"], panel["g_of_z"]):
                ax.annotate("", xy=(gz, x_line), xytext=(z, z_line),
                            arrowprops={"arrowstyle": "->", "lw": 0.9, "color": "0.35"})
            ax.text(x[0], x_line, " x", va="bottom", fontsize=11)
            ax.text(x[0], z_line, " z", va="bottom", fontsize=11)
            ax.set_title(f"{titles.get(panel['label'], panel['label'])}\nJS = {panel['js']:.3f} {_NATS}")
            ax.set(xlim=(x[0], x[-1]), ylim=(z_line - 0.08, top), xlabel=r"$x$")
            ax.grid(False)
        np.atleast_1d(axes)[0].legend(loc="upper left", fontsize=10.5)
    return fig


def gan_vanishing_gradients(
    step: npt.ArrayLike,
    runs: dict,
    *,
    distance: float,
) -> Figure:
    """Exact JS of the generator over training from far away, for each generator loss and start.

    One row per starting discriminator. Left: ensemble mean (line) and 10-90 % band of
    JS(p_g || p_data). Right: median norm of the generator's gradient, log scale: the saturating
    loss's gradient is tiny, the non-saturating one's is not.

    Parameters
    ----------
    step : array_like, shape (n_logged,)
    runs : dict
        Row title (how D started) -> ``(js, grad_norm)``, each a dict loss name -> array
        (n_logged, E), as in :class:`gantheory.gan.experiments.VanishingGradients`.
    distance : float
        Starting distance in units of sigma, for the title.
    """
    step = np.asarray(step, dtype=float)
    colors = {"minimax": COLORS["saturating"], "non-saturating": COLORS["non_saturating"]}
    names = {"minimax": "saturating (minimax, Algorithm 1)", "non-saturating": "non-saturating (eq. 10)"}
    with style():
        fig = _figure(12.0, 4.2 * len(runs))
        axes = np.atleast_2d(fig.subplots(len(runs), 2, sharex=True))
        for (ax_js, ax_grad), (start, (js, grad_norm)) in zip(axes, runs.items()):
            for loss, values in js.items():
                values = np.asarray(values, dtype=float)
                color = colors.get(loss, COLORS["accent"])
                lo, hi = np.quantile(values, [0.1, 0.9], axis=1)
                ax_js.fill_between(step, lo, hi, color=color, alpha=0.25, lw=0)
                ax_js.plot(step, values.mean(axis=1), color=color, label=names.get(loss, loss))
                norms = np.median(np.asarray(grad_norm[loss], dtype=float), axis=1)
                ax_grad.plot(step, norms, color=color, label=names.get(loss, loss))
            ax_js.axhline(np.log(2), color=COLORS["reference"], ls=":", lw=1.4, label="log 2")
            ax_js.set(ylabel=f"JS$(p_g \\,\\|\\, p_{{data}})$ ({_NATS}), exact", ylim=(-0.02, 0.75),
                      title=f"G starts {distance:g}$\\sigma$ away, {start}\nmean and 10-90 % of the ensemble")
            ax_grad.set_yscale("log")
            ax_grad.set(ylabel="generator gradient norm\n(median over the ensemble)",
                        title="the saturating gradient has vanished")
        axes[-1, 0].legend(loc="center right")
        for ax in axes[-1]:
            ax.set_xlabel("iteration")
    return fig


def gan_mode_collapse(
    x: npt.ArrayLike,
    p_data: npt.ArrayLike,
    samples: dict,
    collapsed: dict,
    *,
    bins: npt.ArrayLike,
    examples: int = 5,
) -> Figure:
    """Generated samples of healthy and of collapsed runs, per generator loss.

    Each panel shows the histogram of ``examples`` individual runs (outlines, one colour each) over
    the target density: a collapsed run puts its mass on one mode.

    Parameters
    ----------
    x, p_data : array_like, shape (n,)
        The target density on a grid.
    samples : dict
        Loss name -> (E, n_samples) generated samples of each member.
    collapsed : dict
        Loss name -> (E,) bool, as in :class:`gantheory.gan.experiments.ModeCollapse`.
    bins : array_like
        Histogram bin edges.
    examples : int
        Runs drawn per panel (the first ones of each group, in member order).
    """
    names = {"minimax": "saturating (minimax)", "non-saturating": "non-saturating (eq. 10)"}
    palette = [COLORS[k] for k in ("generator", "non_saturating", "accent", "saturating", "sky")]
    with style():
        fig = _figure(12.0, 7.0)
        axes = fig.subplots(len(samples), 2, sharex=True, sharey="col", squeeze=False)
        for row, (loss, drawn) in enumerate(samples.items()):
            drawn = np.asarray(drawn, dtype=float)
            flags = np.asarray(collapsed[loss], dtype=bool)
            for col, (which, label) in enumerate(((~flags, "healthy"), (flags, "collapsed"))):
                ax = axes[row, col]
                ax.fill_between(x, p_data, color=COLORS["data"], alpha=0.18, lw=0)
                ax.plot(x, p_data, color=COLORS["data"], label=r"$p_{data}$")
                members = np.flatnonzero(which)
                for i, member in enumerate(members[:examples]):
                    ax.hist(drawn[member], bins=bins, density=True, histtype="step", lw=1.6,
                            color=palette[i % len(palette)], label=f"run {member}")
                share = members.size / max(len(flags), 1)
                ax.set_title(f"{names.get(loss, loss)}: {label}\n{members.size}/{len(flags)} runs ({share:.0%})")
                if row == len(samples) - 1:
                    ax.set_xlabel(r"$x$")
                if col == 0:
                    ax.set_ylabel("density")
                ax.legend(loc="upper center", fontsize=9, ncols=3)
    return fig


# --- a training run (gantheory train) --------------------------------------------------------------


def training_history(
    step: npt.ArrayLike,
    js: npt.ArrayLike,
    d_loss: npt.ArrayLike,
    g_loss: npt.ArrayLike,
    d_real: npt.ArrayLike,
    d_fake: npt.ArrayLike,
    *,
    js_exact: bool,
    loss: str,
    title: str = "",
) -> Figure:
    """One training run of the NumPy GAN: JS, the two losses and mean D, over iterations.

    Each quantity is drawn as the ensemble median (line) and its 10-90 % band. The dotted lines are
    the values at the equilibrium :math:`p_g = p_{data}`, :math:`D = 1/2`: JS = 0, the
    discriminator's loss log 4, the generator's loss log 2 (non-saturating, eq. 10) or -log 2
    (minimax), and D = 1/2 on real and fake samples alike.

    Parameters
    ----------
    step : array_like, shape (n_logged,)
    js, d_loss, g_loss, d_real, d_fake : array_like, shape (n_logged, E)
        As in :class:`gantheory.gan.History`; ``js`` is exact or an estimate (``js_exact``).
    js_exact : bool
        Label JS as exact (affine generator, quadrature) or as a histogram estimate.
    loss : {"non-saturating", "minimax", "saturating"}
        The generator's loss, for its equilibrium value.
    title : str
        Printed above the panels (the run's settings, for example).
    """
    step = np.asarray(step, dtype=float)

    def band(ax, values, color, label):
        values = np.asarray(values, dtype=float)
        lo, mid, hi = np.nanquantile(values, [0.1, 0.5, 0.9], axis=1)
        ax.fill_between(step, lo, hi, color=color, alpha=0.25, lw=0)
        ax.plot(step, mid, color=color, label=label)

    with style():
        fig = _figure(15.0, 4.6)
        ax_js, ax_loss, ax_d = fig.subplots(1, 3)
        band(ax_js, np.maximum(np.asarray(js, dtype=float), 1e-12), COLORS["generator"],
             "exact, by quadrature" if js_exact else "histogram estimate")
        ax_js.set_yscale("log")
        ax_js.set(xlabel="iteration", ylabel=f"JS$(p_g \\,\\|\\, p_{{data}})$ ({_NATS})",
                  title="distance to the data" + ("" if js_exact else " (estimate)"))
        ax_js.legend(loc="upper right")
        band(ax_loss, d_loss, COLORS["data"], "discriminator")
        band(ax_loss, g_loss, COLORS["generator"], f"generator ({loss})")
        ax_loss.axhline(np.log(4), color=COLORS["data"], ls=":", lw=1.4, label="log 4 (equilibrium)")
        g_eq = -np.log(2) if loss in ("minimax", "saturating") else np.log(2)
        ax_loss.axhline(g_eq, color=COLORS["generator"], ls=":", lw=1.4,
                        label=f"{'-' if g_eq < 0 else ''}log 2 (equilibrium)")
        ax_loss.set(xlabel="iteration", ylabel=f"loss ({_NATS})", title="losses")
        ax_loss.legend(loc="best", fontsize="small")
        band(ax_d, d_real, COLORS["data"], "mean D on data")
        band(ax_d, d_fake, COLORS["generator"], "mean D on generated")
        ax_d.axhline(0.5, color=COLORS["reference"], ls=":", lw=1.4, label="1/2 (equilibrium)")
        ax_d.set(xlabel="iteration", ylabel="D(x)", ylim=(-0.02, 1.02), title="the discriminator")
        ax_d.legend(loc="best", fontsize="small")
        if title:
            fig.suptitle(title)
    return fig
