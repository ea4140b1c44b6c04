"""The NumPy GAN's figure scripts: each runs (at small size here), writes its files, and is registered."""

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))  # the scripts import as modules, as make_figures does

import gan_figure1  # noqa: E402
import gan_mode_collapse  # noqa: E402
import gan_vanishing_gradients  # noqa: E402
import make_figures  # noqa: E402

STEMS = ("gan_figure1", "gan_vanishing_gradients", "gan_mode_collapse")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("gan_figures")
    summary = {}
    summary.update(gan_figure1.main(0, out))
    summary.update(gan_vanishing_gradients.main(0, out, ensemble=2, steps=150))
    summary.update(gan_mode_collapse.main(0, out, ensemble=4, steps=100))
    return out, summary


def test_each_script_writes_png_and_svg(made):
    out, _ = made
    for stem in STEMS:
        assert (out / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / f"{stem}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_summaries_report_the_measured_numbers(made):
    _, summary = made
    js = [float(v) for v in summary["GAN Figure 1: JS of panels (a)-(d), nats"].split(", ")]
    assert len(js) == 4 and js[2] < js[1] and js[3] < 1e-3  # (c) moved toward the data; (d) converged
    assert any(key.startswith("GAN mode collapse, minimax") for key in summary)
    assert any(key.startswith("GAN from 10 sigma, D starts at D*, non-saturating") for key in summary)
    assert any(key.startswith("GAN from 10 sigma, D trained alone first, non-saturating") for key in summary)


def test_scripts_are_registered_and_their_figures_committed():
    source = (ROOT / "scripts" / "make_figures.py").read_text(encoding="utf-8")
    for stem in STEMS:
        assert f"{stem}.main(" in source
        assert (ROOT / "figures" / f"{stem}.png").exists(), f"run `make figures` and commit {stem}"
    assert "gan" in make_figures.main.__kwdefaults__
