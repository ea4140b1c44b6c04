"""docs/reproduction.md is generated: the committed copy must equal a fresh rendering."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import reproduction_note  # noqa: E402


def test_committed_note_matches_a_fresh_rendering():
    committed = (ROOT / "docs" / "reproduction.md").read_text(encoding="utf-8")
    fresh = reproduction_note.render()
    assert committed == fresh, "docs/reproduction.md is out of date: run `make figures`"


def test_note_states_the_exact_value_and_the_threshold():
    text = reproduction_note.render()
    assert "JS(2) = 0.3368308" in text
    assert "| JS rounds to 0.693 (JS ≥ 0.6925) | 7.0242 |" in text
    assert "**0.336**" in text  # at least one method reproduces the article's number
