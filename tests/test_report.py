"""The verification report: its rows hold, and its verdicts and formats say what they should."""

import json
import sys
from pathlib import Path

import pytest

from gantheory import cli, report
from gantheory.report import Row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_figures  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    return report.verify()


def test_every_claim_is_verified(rows):
    failed = [f"{r.source}: {r.claim}" for r in rows if not r.passed]
    assert not failed, failed
    assert len(rows) >= 35


def test_committed_verification_report_is_up_to_date(rows):
    committed = (ROOT / "docs" / "verification.md").read_text(encoding="utf-8")
    assert committed == make_figures.verification_markdown(rows), (
        "docs/verification.md is out of date: run `make figures` and commit it")


def test_rows_are_consistent(rows):
    for r in rows:
        assert r.error >= 0 and r.tolerance >= 0 and r.source and r.claim
        if isinstance(r.reference, float) and isinstance(r.computed, float):
            assert r.error == pytest.approx(abs(r.computed - r.reference), rel=1e-12, abs=0)
            assert r.passed == (r.error <= r.tolerance)


def test_every_source_the_issue_names_is_covered(rows):
    sources = " ".join(r.source for r in rows)
    for needed in ("eq. (7)", "eq. (8)", "Thm 1", "Fig. 3", "Fig. 4", "sec. 6.1", "eq. (10)",
                   "Thm 2.5", "erratum, sec. 3", "erratum, eq. (4)", "erratum, Algorithm 1",
                   "NumPy GAN", "ensemble semantics"):
        assert needed in sources, needed


def test_verdicts():
    assert Row.numeric("s", "c", 1.0, 1.0 + 1e-9, 1e-8).passed
    failing = Row.numeric("s", "c", 1.0, 1.1, 1e-8)
    assert not failing.passed and failing.error == pytest.approx(0.1)
    assert Row.numeric("s", "c", float("inf"), float("inf"), 0.0).passed
    assert Row.bound("s", "c", 0.024, 0.0237).passed and not Row.bound("s", "c", 0.024, 0.03).passed
    assert Row.bound("s", "c", 9.0, 10.0, below=False).passed
    assert not Row.exact("s", "c", "x", "y", False).passed


def test_formats_report_failures():
    rows = [Row.numeric("eq. (1)", "a | b", 0.0, 0.0, 0.0), Row.numeric("eq. (2)", "c", 0.0, 1.0, 0.5)]
    text = report.render(rows, "text")
    assert "FAIL" in text and text.rstrip().endswith("1 of 2 claims verified; 1 FAILED.")
    markdown = report.render(rows, "markdown")
    assert "| a \\| b |" in markdown and markdown.count("\n|") == 3
    assert json.loads(report.render(rows, "json"))[1]["passed"] is False


def test_verify_exits_1_when_a_claim_fails(monkeypatch, capsys):
    monkeypatch.setitem(report.SECTIONS, "broken", lambda: [Row.numeric("x", "a false claim", 0, 1, 0)])
    assert cli.main(["verify", "--section", "broken"]) == 1
    assert "FAIL" in capsys.readouterr().out
    assert cli.main(["verify", "--section", "errata"]) == 0


def test_verify_rejects_an_unknown_section(capsys):
    assert cli.main(["verify", "--section", "nonsense"]) == 2
    assert "unknown section 'nonsense'" in capsys.readouterr().err
