"""Builders for the NumPy GAN's figures: Goodfellow et al.'s Figure 1 from a real run, vanishing
gradients in practice, mode collapse, and the history of a training run (``gantheory train``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from gantheory.plotting.base import _NATS, COLORS, style
from gantheory.plotting.base import figure as _figure

__all__ = ["gan_figure1", "gan_mode_collapse", "gan_vanishing_gradients", "training_history"]

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
    notes: dict | None = None,
) -> Figure:
    """Training from far away, for each generator loss and each start of the discriminator.

    One row per starting discriminator. Left: ensemble mean (line) and 10-90 % band of the exact
    JS(p_g || p_data). Middle: median norm of the generator's gradient, log scale. Right (if the
    runs carry it): median over the ensemble of the mean D(G(z)) on the generator's minibatch,
    which shows where the discriminator accepts the generated samples (D(G(z)) near 1) and so
    gives the non-saturating loss no gradient either.

    Parameters
    ----------
    step : array_like, shape (n_logged,)
    runs : dict
        Row title (how D started) -> ``(js, grad_norm)`` or ``(js, grad_norm, d_fake)``, each a
        dict loss name -> array (n_logged, E), as in
        :class:`gantheory.gan.experiments.VanishingGradients`.
    distance : float
        Starting distance in units of sigma, for the titles.
    notes : dict, optional
        Row title -> a line saying what happens in that row (drawn under the row's first title),
        computed from the runs by the caller.
    """
    step = np.asarray(step, dtype=float)
    colors = {"minimax": COLORS["saturating"], "non-saturating": COLORS["non_saturating"]}
    names = {"minimax": "saturating (minimax, Algorithm 1)", "non-saturating": "non-saturating (eq. 10)"}
    columns = 3 if any(len(value) > 2 for value in runs.values()) else 2
    with style():
        fig = _figure(6.0 * columns, 4.6 * len(runs))
        axes = np.atleast_2d(fig.subplots(len(runs), columns, sharex=True))
        for row_axes, (start, data) in zip(axes, runs.items()):
            js, grad_norm = data[0], data[1]
            ax_js, ax_grad = row_axes[0], row_axes[1]
            for loss, values in js.items():
                values = np.asarray(values, dtype=float)
                color = colors.get(loss, COLORS["accent"])
                lo, hi = np.quantile(values, [0.1, 0.9], axis=1)
                ax_js.fill_between(step, lo, hi, color=color, alpha=0.25, lw=0)
                ax_js.plot(step, values.mean(axis=1), color=color, label=names.get(loss, loss))
                norms = np.median(np.asarray(grad_norm[loss], dtype=float), axis=1)
                ax_grad.plot(step, norms, color=color, label=names.get(loss, loss))
                if columns == 3 and len(data) > 2:
                    fake = np.median(np.asarray(data[2][loss], dtype=float), axis=1)
                    row_axes[2].plot(step, fake, color=color, label=names.get(loss, loss))
            ax_js.axhline(np.log(2), color=COLORS["reference"], ls=":", lw=1.4, label="log 2")
            note = (notes or {}).get(start, "")
            ax_js.set(ylabel=f"JS$(p_g \\,\\|\\, p_{{data}})$ ({_NATS}), exact", ylim=(-0.02, 0.75),
                      title=f"G starts {distance:g}$\\sigma$ away, {start}\n{note}".rstrip())
            ax_grad.set_yscale("log")
            ax_grad.set(ylabel="generator gradient norm\n(median over the ensemble)",
                        title="generator gradient norm")
            if columns == 3:
                row_axes[2].axhline(0.5, color=COLORS["reference"], ls=":", lw=1.4)
                row_axes[2].set(ylabel="mean D(G(z)) on the minibatch\n(median over the ensemble)",
                                ylim=(-0.02, 1.02), title="does D accept the generated samples?")
        axes[-1, 0].legend(loc="center right")
        for ax in axes[-1]:
            ax.set_xlabel("iteration")
    return fig


def gan_mode_collapse(
    x: npt.ArrayLike,
    p_data: npt.ArrayLike,
    samples: dict,
    classes: dict,
    *,
    bins: npt.ArrayLike,
    names: Sequence[str] = ("both modes", "one mode (collapsed)", "neither mode"),
    examples: int = 5,
) -> Figure:
    """Generated samples of runs that cover both modes, one mode, or neither, per generator loss.

    One row per loss, one column per class. Each panel shows the histograms of up to ``examples``
    runs of that class (outlines, one colour each) over the target density, and how many runs
    the class holds. Runs in the middle column cover exactly one mode (mode collapse): most put
    nearly all their mass on it, some keep that mode's share and put the rest away from both
    modes. Runs in the right column cover neither mode (their mass lies between or beside the
    modes). An empty class is shown as an empty panel with its count, 0.

    Parameters
    ----------
    x, p_data : array_like, shape (n,)
        The target density on a grid.
    samples : dict
        Loss name -> (E, n_samples) generated samples of each member.
    classes : dict
        Loss name -> (E,) int, the index into ``names`` of each member's class, as
        :meth:`gantheory.gan.experiments.ModeCollapse.classes` returns it.
    bins : array_like
        Histogram bin edges.
    names : sequence of str
        The classes' titles, in index order.
    examples : int
        Runs drawn per panel (the first ones of each class, in member order).
    """
    losses = {"minimax": "saturating (minimax)", "non-saturating": "non-saturating (eq. 10)"}
    palette = [COLORS[k] for k in ("generator", "non_saturating", "accent", "saturating", "sky")]
    with style():
        fig = _figure(5.0 * len(names), 7.0)
        axes = fig.subplots(len(samples), len(names), sharex=True, sharey="row", squeeze=False)
        for row, (loss, drawn) in enumerate(samples.items()):
            drawn = np.asarray(drawn, dtype=float)
            labels = np.asarray(classes[loss], dtype=int)
            for col, name in enumerate(names):
                ax = axes[row, col]
                ax.fill_between(x, p_data, color=COLORS["data"], alpha=0.18, lw=0)
                ax.plot(x, p_data, color=COLORS["data"], label=r"$p_{data}$")
                members = np.flatnonzero(labels == col)
                for i, member in enumerate(members[:examples]):
                    ax.hist(drawn[member], bins=bins, density=True, histtype="step", lw=1.6,
                            color=palette[i % len(palette)], label=f"run {member}")
                share = members.size / max(len(labels), 1)
                ax.set_title(f"{losses.get(loss, loss)}: {name}\n{members.size}/{len(labels)} runs ({share:.0%})")
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
        values = np.where(np.isfinite(values), values, np.nan)  # an infinite loss cannot be drawn
        lo, mid, hi = np.full((3, len(step)), np.nan)  # a gap where every member has diverged
        rows = ~np.isnan(values).all(axis=1)
        if rows.any():
            lo[rows], mid[rows], hi[rows] = np.nanquantile(values[rows], [0.1, 0.5, 0.9], axis=1)
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
