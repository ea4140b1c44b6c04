"""Every counted claim of the verification report fails under its defect: ``gantheory verify --falsify``.

A claim counts only if a realistic bug, injected into the computation it checks, makes it fail;
this file runs every claim of every section under its defect and requires each to fail. It is
apart from tests/test_report.py so that the two expensive runs (the full report there, this one
here) go to different workers.

Cost: the falsification retrains every GAN of the report under its defect. It uses the report's
QUICK budget (gantheory.report.gan.QUICK): 16 instead of 32 seeds for D -> D*, 8 instead of 64 for
the converged GAN, 4000 instead of 20 000 Monte-Carlo and generated samples, and the same numbers
of iterations. The GAN claims compare with their own sampling error (z-scores) or with tolerances
far above it, so they keep their meaning at that size; only the smallest error they catch grows,
and the claims are first checked to hold at the quick size, so that failing under a defect is a
flip and not a failure of the smaller run.
"""

import importlib

import pytest

from gantheory import report
from gantheory.report import defects
from gantheory.report import gan as report_gan
from gantheory.report import regularized as report_regularized


@pytest.fixture(scope="module")
def quick():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_gan, "BUDGET", report_gan.QUICK)
        patch.setattr(report_regularized, "BUDGET", report_regularized.QUICK)
        rows = report.verify(["gan", "errata", "methods from afar", "MLP pair"])
        results = report.falsify()
        counted = [claim for claim in report.claims() if claim.counted]
    return rows, results, counted


def test_the_gan_claims_hold_at_the_quick_size(quick):
    rows, _, _ = quick
    failed = [f"{r.source}: {r.claim} ({r.computed})" for r in rows if not r.passed]
    assert not failed, failed


def test_every_counted_claim_has_a_defect_and_fails_under_it(quick):
    _, results, counted = quick
    assert len(results) == len(counted) >= 35
    survived = [f"{r.source}: {r.claim} under {r.falsifier!r}" for r in results if not r.caught]
    assert not survived, survived


def test_defects_break_the_numbers_rather_than_crash(quick):
    # A defect that only crashed the check (or raised a warning turned error by the suite) would
    # be caught for the wrong reason: every one must produce a wrong number instead.
    _, results, _ = quick
    raised = [f"{r.claim}: {r.raised}" for r in results if r.raised]
    assert not raised, raised


def test_every_patched_name_exists():
    # The defects patch these attributes; if one is renamed, its defect would patch nothing.
    for path in defects.PATCHED:
        module, _, dotted = path.partition(":")
        owner = importlib.import_module(module)
        for name in dotted.split("."):
            owner = getattr(owner, name)


def test_a_defect_is_undone_after_the_falsification(quick):
    from gantheory import curves, symbolic

    assert float(curves.js_curve(2.0)[0]) == pytest.approx(0.3368308203468314, abs=1e-15)
    assert symbolic.theorem_1().verified
