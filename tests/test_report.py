"""The verification report: its rows hold, and its verdicts and formats say what they should."""

import contextlib
import json
import sys
from pathlib import Path
from unittest import mock

import pytest

from gantheory import cli, report
from gantheory.report import Claim, Defect, Outcome, Row

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_figures  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    return report.verify()


def test_every_claim_is_verified(rows):
    failed = [f"{r.source}: {r.claim}" for r in rows if not r.passed]
    assert not failed, failed
    counted = [r for r in rows if r.counted]
    assert len(counted) >= 35 and len(rows) - len(counted) <= 5


def test_every_counted_claim_names_an_independent_reference_and_a_falsifier(rows):
    for r in rows:
        if r.counted:
            assert r.reference_source and r.falsifier, r.claim
            assert "gantheory" not in r.reference_source.replace("gantheory's", ""), (r.claim, r.reference_source)


STATISTICAL = ("eq. (7), NumPy GAN", "sec. 6.1 and eq. (10), NumPy GAN", "Algorithm 1, NumPy GAN",
               "Algorithm 1, NumPy GAN", "erratum, Algorithm 1") + ("NumPy GAN, linearized",) * 4 \
    + ("NumPy GAN, linearized",) * 2 + ("sec. 6.1, NumPy GAN, regularized",) * 5  # R1/noise rates; from 10 sigma


def test_statistical_claims_state_the_smallest_error_they_catch(rows):
    # Every claim on random samples or training runs says what it can detect, measured by
    # injecting errors of growing size, and no deterministic claim pretends to.
    stated = [r.source for r in rows if r.counted and r.detects]
    assert sorted(stated) == sorted(STATISTICAL)
    for r in rows:
        if r.detects:
            assert "passes" in r.detects, (r.claim, r.detects)
    # The issue's yardstick: the D* of a generator 0.05 sigma away must fail the D -> D* claim.
    d_star = next(r for r in rows if r.source == "eq. (7), NumPy GAN")
    caught = float(d_star.detects.split("+- ")[1].split(",")[0])
    assert caught <= 0.01 < 0.05


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
    assert Outcome.numeric(1.0, 1.0 + 1e-9, 1e-8).passed
    failing = Outcome.numeric(1.0, 1.1, 1e-8)
    assert not failing.passed and failing.error == pytest.approx(0.1)
    assert Outcome.numeric(float("inf"), float("inf"), 0.0).passed
    assert not Outcome.numeric(0.0, float("nan"), 1.0).passed  # NaN never passes
    assert Outcome.bound(0.024, 0.0237).passed and not Outcome.bound(0.024, 0.03).passed
    assert Outcome.bound(9.0, 10.0, below=False).passed
    assert not Outcome.bound(9.0, float("nan"), below=False).passed
    assert not Outcome.exact("x", "y", False).passed


# A toy computation under test, its defect, and claims about it, to test the machinery itself.
TOY = {"factor": 2.0}
calls = []


@report.shared
def _toy_value(x):
    calls.append(x)
    return TOY["factor"] * x


def _toy_claims():
    doubled = Defect("factor 3 for 2", lambda: mock.patch.dict(TOY, factor=3.0))
    harmless = Defect("a defect the check cannot see", lambda: mock.patch.dict(TOY, unused=1.0))
    return [
        Claim("toy", "2 x at x = 1", "closed form", lambda: Outcome.numeric(2.0, _toy_value(1.0), 0.0), doubled),
        Claim("toy", "2 x at x = 1, again", "closed form", lambda: Outcome.numeric(2.0, _toy_value(1.0), 0.0),
              harmless),
        Claim("toy", "a note", "itself", lambda: Outcome.numeric(0.0, 0.0, 0.0), None),
    ]


def test_shared_results_are_not_reused_across_a_defect(monkeypatch):
    monkeypatch.setitem(report.SECTIONS, "toy", _toy_claims)
    calls.clear()
    rows = report.verify(["toy"])
    assert [r.passed for r in rows] == [True, True, True] and calls == [1.0]  # computed once
    results = report.falsify(["toy"])
    assert [(r.falsifier, r.caught) for r in results] == [("factor 3 for 2", True),
                                                          ("a defect the check cannot see", False)]
    assert results[0].computed == 3.0 and len(calls) == 3  # recomputed under each defect
    assert TOY == {"factor": 2.0}


def test_claims_that_share_a_defect_share_its_computation(monkeypatch):
    doubled = Defect("factor 3 for 2", lambda: mock.patch.dict(TOY, factor=3.0))
    check = lambda: Outcome.numeric(2.0, _toy_value(1.0), 0.0)  # noqa: E731
    monkeypatch.setitem(report.SECTIONS, "pair", lambda: [Claim("toy", "a", "closed form", check, doubled),
                                                          Claim("toy", "b", "closed form", check, doubled)])
    calls.clear()
    results = report.falsify(["pair"])
    assert [r.caught for r in results] == [True, True] and calls == [1.0]  # one computation, under the defect
    assert TOY == {"factor": 2.0}


def test_sensitivity_is_the_smallest_size_that_fails():
    out = Outcome.bound(4.0, 1.0)
    assert out.with_sensitivity([0.5, 1, 3, 5], lambda e: 1.0 + e > 4.0, "{:g} more").detects == "5 more (3 passes)"
    assert out.with_sensitivity([9], lambda e: True, "{:g}").detects == "9 (the smallest size tried)"
    assert out.with_sensitivity([1, 2], lambda e: False, "{:g}").detects == "not even 2"


def test_formats_report_failures():
    claim = Claim("eq. (1)", "a | b", "closed form", lambda: Outcome.numeric(0.0, 0.0, 0.0),
                  Defect("d", contextlib.nullcontext))
    rows = [Row.of(claim, Outcome.numeric(0.0, 0.0, 0.0)), Row.of(claim, Outcome.numeric(0.0, 1.0, 0.5)),
            Row.of(Claim("eq. (2)", "a note", "itself", claim.check, None), Outcome.numeric(0.0, 0.0, 0.0))]
    text = report.render(rows, "text")
    assert "FAIL" in text and "1 of 2 claims verified; 1 FAILED." in text and "Notes: 1" in text
    markdown = report.render(rows, "markdown")
    assert "| a \\| b |" in markdown
    assert json.loads(report.render(rows, "json"))[1]["passed"] is False


def test_verify_exits_1_when_a_claim_fails_or_survives_its_defect(monkeypatch, capsys):
    false = Claim("x", "a false claim", "closed form", lambda: Outcome.numeric(0, 1, 0),
                  Defect("d", contextlib.nullcontext))
    monkeypatch.setitem(report.SECTIONS, "broken", lambda: [false])
    monkeypatch.setitem(report.SECTIONS, "toy", _toy_claims)
    assert cli.main(["verify", "--section", "broken"]) == 1
    assert "FAIL" in capsys.readouterr().out
    assert cli.main(["verify", "--section", "toy"]) == 0
    assert cli.main(["verify", "--section", "toy", "--falsify"]) == 1
    assert "STILL PASSES" in capsys.readouterr().out


def test_verify_rejects_an_unknown_section(capsys):
    assert cli.main(["verify", "--section", "nonsense"]) == 2
    assert "unknown section 'nonsense'" in capsys.readouterr().err
