"""docs/reproduction.md is generated: the committed copy must equal a fresh rendering."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import reproduction_note  # noqa: E402


@pytest.fixture(scope="module")
def fresh():
    return reproduction_note.render()


def test_committed_note_matches_a_fresh_rendering(fresh):
    committed = (ROOT / "docs" / "reproduction.md").read_text(encoding="utf-8")
    assert committed == fresh, "docs/reproduction.md is out of date: run `make figures`"


def test_note_states_the_exact_value_and_the_threshold(fresh):
    assert "JS(2) = 0.3368308" in fresh
    assert "| JS rounds to 0.693 (JS ≥ 0.6925) | 7.0242 |" in fresh
    assert "**0.336**" in fresh  # at least one method reproduces the article's number
