"""Fuzz: scipy's families at hard locations and scales, against invariants that need no reference.

The densities come from :func:`gantheory.testing.hard_densities`: bounded supports, half-lines,
heavy tails and densities singular at an edge, at locations up to 1e15 and scales from 1e-150 to
1e150. Every divergence must be a number in its range (or a loud refusal), and the identities that
hold for every pair must hold to the quadrature's accuracy:

* 0 <= JS <= log 2, and JS is symmetric;
* C(G) = V(D*, G) lies in [-log 4, 0] and equals 2 JS - 2 log 2 (eq. 9);
* KL >= 0, and KL(p || p) = JS(p || p) = 0;
* every divergence is unchanged by a common affine map x -> a x + b.

Tolerances: 1e-13 absolute for values of order one, as against the mpmath references (the
quadrature aims at 1e-14 per piece); 2e-13 for C(G) against 2 JS - 2 log 2 (two integrals). Where
the pipeline says, with an AccuracyWarning, that floats resolve an edge only coarsely (scipy writes
the semicircle on [-1, 1], so its edges are not at 0), the identities are checked to the accuracy
the warning states (as where the quadrature stops short of its tolerance and says by how much, for
tails such as x^-1.06 spanning 1e64 scales): a stated loss is a loud refusal, not a failure. Any
other warning fails.
"""

import re
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import gantheory as gt
from gantheory.quadrature import AccuracyWarning
from gantheory.testing import hard_densities

LOG2 = float(np.log(2.0))
TOL = 1e-13
EXAMPLES = settings(max_examples=80)


def _quiet(fn, *args):
    """``fn(*args)`` and the accuracy it states (TOL unless an AccuracyWarning says otherwise).

    Warnings other than AccuracyWarning stay errors (the suite's filterwarnings = error).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        warnings.simplefilter("always", AccuracyWarning)
        value = fn(*args)
    tolerance = TOL
    for warning in caught:
        stated = re.search(r"(?:accurate to about|with error estimate) ([0-9.e+-]+)", str(warning.message))
        assert stated, f"an AccuracyWarning that states no accuracy: {warning.message}"
        tolerance = max(tolerance, 10 * float(stated.group(1)))
    return value, tolerance


@EXAMPLES
@given(hard_densities(), hard_densities())
def test_js_is_bounded_symmetric_and_the_criterion_is_eq9(p, q):
    js, tol_pq = _quiet(gt.js_divergence, p, q)
    js_qp, tol_qp = _quiet(gt.js_divergence, q, p)
    c, tol_c = _quiet(gt.virtual_criterion, p, q)
    tol = max(tol_pq, tol_qp, tol_c)
    assert 0.0 <= js <= LOG2
    assert js_qp == pytest.approx(js, abs=tol)
    assert -2 * LOG2 <= c <= 0.0
    assert c == pytest.approx(2 * js - 2 * LOG2, abs=2 * tol)


@EXAMPLES
@given(hard_densities(), hard_densities())
def test_kl_is_non_negative_or_infinite(p, q):
    kl, _ = _quiet(gt.kl_divergence, p, q)
    assert kl >= 0.0  # NaN fails here too
    assert isinstance(kl, float)


@EXAMPLES
@given(hard_densities())
def test_a_density_is_at_divergence_zero_from_itself(p):
    kl, tol = _quiet(gt.kl_divergence, p, p)
    js, tol_js = _quiet(gt.js_divergence, p, p)
    assert kl == pytest.approx(0.0, abs=tol)
    assert js == pytest.approx(0.0, abs=tol_js)
    c, tol_c = _quiet(gt.virtual_criterion, p, p)
    assert c == pytest.approx(-2 * LOG2, abs=tol_c)  # Theorem 1


def _moved(dist, a: float, b: float):
    """The same family with loc -> a loc + b and scale -> a scale."""
    shapes, loc, scale = dist.dist._parse_args(*dist.args, **dist.kwds)
    return dist.dist(*shapes, loc=a * loc + b, scale=a * scale)


def _exact(loc: float, a: float, b: float) -> bool:
    """Whether a loc + b is computed without rounding (then the map is exactly the same map)."""
    return Fraction(a * loc + b) == Fraction(loc) * Fraction(a) + Fraction(b)


@EXAMPLES
@given(hard_densities(), hard_densities(), st.integers(-30, 30), st.integers(-2**20, 2**20), st.integers(-40, 30))
def test_divergences_are_invariant_under_a_common_affine_map(p, q, log2_a, shift, log2_unit):
    # x -> a x + b with a a power of 2 and b a dyadic number, drawn so that the moved locations
    # are exact: the moved pair is the same pair in other units, and its divergences are the same.
    a, b = 2.0**log2_a, shift * 2.0**log2_unit
    locs = [d.dist._parse_args(*d.args, **d.kwds)[1] for d in (p, q)]
    assume(all(_exact(loc, a, b) for loc in locs))
    moved = _moved(p, a, b), _moved(q, a, b)
    for fn in (gt.js_divergence, gt.kl_divergence):
        before, tol = _quiet(fn, p, q)
        after, tol_after = _quiet(fn, *moved)
        if np.isinf(before):
            assert after == before
        else:
            assert after == pytest.approx(before, abs=max(tol, tol_after), rel=TOL)
