"""Shared figure machinery: the palette, the slide style, and reproducible atomic saving."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import matplotlib as mpl
from matplotlib.figure import Figure

from gantheory.files import atomic_write

__all__ = ["COLORS", "figure", "save_figure", "style"]

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


def figure(width: float, height: float, **kwargs) -> Figure:
    """An empty constrained-layout Figure of ``width`` x ``height`` inches at the saving resolution."""
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


