"""Every figure: it is made from the registry, writes its files reproducibly, and its script is thin."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from gantheory import figures, plotting

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
NOT_FIGURES = {"make_figures", "reproduction_note", "derivations_doc"}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Every registered figure once, with the GAN experiments at small size, in a temporary folder."""
    out = tmp_path_factory.mktemp("figures")
    return out, figures.make(out, quick=True)


def test_every_figure_writes_png_and_svg_and_no_temporary_file(made):
    out, _ = made
    assert {p.stem for p in out.glob("*.png")} == set(figures.FIGURES)
    for stem in figures.FIGURES:
        assert (out / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / f"{stem}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert not list(out.glob(".*"))


def test_every_figure_is_committed_and_has_its_script():
    for name in figures.FIGURES:
        assert (ROOT / "figures" / f"{name}.png").exists(), f"run `make figures` and commit {name}"
        assert f'script_main("{name}"' in (SCRIPTS / f"{name}.py").read_text(encoding="utf-8")
    scripts = {p.stem for p in SCRIPTS.glob("*.py")} - NOT_FIGURES
    assert scripts == set(figures.FIGURES)


def test_summary_reports_the_identities_and_the_figure_numbers(made):
    _, summary = made
    assert summary["Figure 3 JS to three decimals (article: 0.693, 0.693, 0.336)"] == (
        "d=10: 0.693, d=8: 0.693, d=2: 0.337")
    # The three identities hold to a few ulps (tolerances as in tests/test_curves.py and
    # tests/test_divergences.py; the summary prints what was measured).
    # eq. (9) along the two independent paths, and gantheory's C(G) against the independent one
    # (both tanh-sinh, measured within 1e-14 at these sizes; see tests/test_report_independent.py).
    deviations = [value for key, value in summary.items() if key.startswith(("max", "eq. (9)"))]
    assert len(deviations) == 4 and all(float(v.split()[0]) < 1e-13 for v in deviations)
    js = [float(v) for v in summary["GAN Figure 1: JS of panels (a)-(d), nats"].split(", ")]
    assert len(js) == 4 and js[2] < js[1] and js[3] < 1e-3  # (c) moved toward the data; (d) converged
    collapse = [value for key, value in summary.items() if key.startswith("GAN mode collapse")]
    assert len(collapse) == 2 and all("one mode (collapsed)" in v and "neither mode" in v for v in collapse)
    for start in figures.VANISHING_STARTS.values():
        assert any(key.startswith(f"GAN from 10 sigma, {start}, non-saturating") for key in summary)


def test_unknown_figure_names_are_rejected_with_the_list(tmp_path):
    with pytest.raises(ValueError, match="unknown figure 'figure5'; the figures are: figure3_training_progress"):
        figures.make(tmp_path, ["figure5"])
    assert not list(tmp_path.iterdir())


def test_building_and_saving_again_gives_identical_bytes(tmp_path):
    # What `make figures` relies on for a clean `git status`: a fresh figure from the same data
    # saves to the same bytes, and so does a second save of one figure (the layout is frozen).
    d = np.linspace(0.0, 10.0, 50)

    def build():
        return plotting.js_and_slope(d, d / 20, d / 40, steepest=(1.6, 0.23), flat_from=(5.0, 0.02))

    formats = ("png", "svg", "pdf")
    fig = build()
    first = plotting.save_figure(fig, tmp_path / "a", formats=formats)
    again = plotting.save_figure(fig, tmp_path / "b", formats=formats)
    fresh = plotting.save_figure(build(), tmp_path / "c", formats=formats)
    for one, two, three in zip(first, again, fresh):
        assert one.read_bytes() == two.read_bytes() == three.read_bytes(), one.name
    assert "<dc:date>" not in (tmp_path / "a.svg").read_text(encoding="utf-8")
    assert b"CreationDate" not in (tmp_path / "a.pdf").read_bytes()


def test_save_figure_rejects_unknown_formats(tmp_path):
    with pytest.raises(ValueError, match="`formats`"):
        plotting.save_figure(Figure(), tmp_path / "x", formats=("jpg",))
    assert not list(tmp_path.iterdir())


def test_gradient_figure_takes_extra_series():
    # The NumPy GAN overlays Monte-Carlo gradients with error bars on this figure.
    theta = np.linspace(0.1, 5.0, 20)
    extra = [plotting.Series(theta[::4], theta[::4], "Monte Carlo", yerr=0.1 * theta[::4]),
             plotting.Series(theta, theta / 2, "a line", marker="", linestyle="-")]
    fig = plotting.gradient_comparison(theta, np.exp(-theta), theta, extra=extra)
    linear, log = fig.axes
    for ax in (linear, log):
        labels = ax.get_legend_handles_labels()[1]
        assert "Monte Carlo" in labels and "a line" in labels
    assert len(linear.containers) == 1 and len(log.containers) == 0  # error bars: linear only


def test_a_script_runs_from_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "figure4_js_curve.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, check=True, env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert "Figure 4 steepest slope: 0.233660" in result.stdout
    assert (tmp_path / "figure4_js_curve.png").exists()
