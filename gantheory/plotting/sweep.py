"""Builders for sweeps: rates over a setting, one line per value of another, with their intervals."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from gantheory.plotting.base import COLORS, style
from gantheory.plotting.base import figure as _figure

__all__ = ["phase_diagram", "phase_diagram_rows"]

_LINES = {"minimax": ("saturating (minimax)", COLORS["saturating"], "o"),
          "non-saturating": ("non-saturating (eq. 10)", COLORS["non_saturating"], "s")}


def phase_diagram(
    x: npt.ArrayLike,
    rates: Mapping[str, Mapping[str, tuple]],
    *,
    titles: Mapping[str, str],
    xlabel: str = "learning rate",
    runs: int | str | None = None,
    note: str | None = None,
) -> Figure:
    """Rates of outcomes against a setting (log scale), one panel per outcome, one line per group.

    Parameters
    ----------
    x : array_like, shape (n,)
        The setting's values (such as learning rates).
    rates : dict
        Group (such as a generator loss) -> outcome -> ``(rate, low, high)``, each shaped (n,):
        the observed rate and its confidence interval, drawn as a band.
    titles : dict
        Outcome -> panel title, in panel order.
    xlabel : str
    runs : int or str, optional
        Runs per point, for the figure's title.
    note : str, optional
        A line under the title (the setting held fixed, the interval's kind).
    """
    return phase_diagram_rows(x, {"": rates}, titles=titles, xlabel=xlabel, runs=runs, note=note)


def phase_diagram_rows(
    x: npt.ArrayLike,
    rows: Mapping[str, Mapping[str, Mapping[str, tuple]]],
    *,
    titles: Mapping[str, str],
    xlabel: str = "learning rate",
    runs: int | str | None = None,
    note: str | None = None,
) -> Figure:
    """:func:`phase_diagram` for several studies at once: one row of panels per study.

    Parameters
    ----------
    rows : dict
        Row label (such as a generator loss, written before each row's y label) -> the ``rates``
        of :func:`phase_diagram` for that row: group (such as a penalty weight) -> outcome ->
        ``(rate, low, high)``.
    x, titles, xlabel, runs, note
        As in :func:`phase_diagram`.
    """
    x = np.asarray(x, dtype=float)
    palette = [COLORS[k] for k in ("generator", "data", "accent", "sky")]
    with style():
        fig = _figure(4.6 * len(titles), 0.8 + 4.0 * len(rows))
        axes = np.atleast_2d(fig.subplots(len(rows), len(titles), sharey=True, squeeze=False))
        for row_axes, (row, rates) in zip(axes, rows.items()):
            for ax, (outcome, title) in zip(row_axes, titles.items()):
                for i, (group, by_outcome) in enumerate(rates.items()):
                    label, color, marker = _LINES.get(group, (group, palette[i % len(palette)], "D"))
                    rate, low, high = (np.asarray(v, dtype=float) for v in by_outcome[outcome])
                    ax.fill_between(x, low, high, color=color, alpha=0.25, lw=0)
                    ax.plot(x, rate, color=color, marker=marker, label=label)
                ax.set_xscale("log")
                ax.set_xticks(x, [f"{v:g}" for v in x], minor=False)
                ax.minorticks_off()
                ax.set_ylim(-0.02, 1.02)
                ax.set_title(title)
                ax.set_xlabel(xlabel)
            row_axes[0].set_ylabel(f"{row}: fraction of runs" if row else "fraction of runs")
            row_axes[0].legend(loc="upper left")
        head = "Phase diagram of GAN training" + (f": {runs} runs per point" if runs else "")
        fig.suptitle(head if note is None else f"{head}\n{note}", fontsize=13)
    return fig
