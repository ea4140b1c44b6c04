"""Fuzz for the f-divergences and W1: scipy's families at hard locations and scales (as in test_fuzz.py).

Every name goes through the pipeline of :mod:`gantheory.integrals`, so the invariants that need no
reference must hold on bounded supports, half-lines, heavy tails and densities singular at an edge,
at locations up to 1e15 and scales from 1e-150 to 1e150:

* D_f(p || q) >= f(1) (0, or -log 4 for the GAN row), within the row's bounds, never NaN;
* D_f(p || p) = f(1);
* D_f is unchanged by a common affine map x -> a x + b, and W1 is multiplied by |a|;
* JS, TV and squared Hellinger are symmetric.

Tolerances as in test_fuzz.py: 1e-13 absolute (relative above 1) unless an AccuracyWarning states a
larger loss, then ten times what it states.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gantheory as gt
from gantheory import fdivergences as fd
from gantheory.testing import hard_densities

from test_fuzz import TOL, _exact, _moved, _quiet

NAMES = tuple(fd.FDIVERGENCES)
EXAMPLES = settings(max_examples=40)


@EXAMPLES
@given(hard_densities(), hard_densities(), st.sampled_from(NAMES))
def test_f_divergences_are_in_their_range(p, q, name):
    value, _ = _quiet(gt.f_divergence, p, q, name)
    lower, upper = fd.FDIVERGENCES[name].bounds
    assert isinstance(value, float)
    assert lower <= value <= upper  # NaN fails here too


@EXAMPLES
@given(hard_densities(), st.sampled_from(NAMES))
def test_a_density_is_at_f_of_one_from_itself(p, name):
    value, tol = _quiet(gt.f_divergence, p, p, name)
    assert value == pytest.approx(fd.FDIVERGENCES[name].bounds[0], abs=tol)


@EXAMPLES
@given(hard_densities(), hard_densities(), st.sampled_from(("js", "tv", "squared-hellinger")))
def test_bounded_divergences_are_symmetric(p, q, name):
    value, tol = _quiet(gt.f_divergence, p, q, name)
    swapped, tol_swapped = _quiet(gt.f_divergence, q, p, name)
    assert swapped == pytest.approx(value, abs=max(tol, tol_swapped))


@EXAMPLES
@given(hard_densities(), hard_densities(), st.sampled_from(NAMES + ("w1",)), st.integers(-30, 30),
       st.integers(-2**20, 2**20), st.integers(-40, 30))
def test_invariant_under_a_common_affine_map(p, q, name, log2_a, shift, log2_unit):
    # As in test_fuzz.py: a a power of 2 and b dyadic, so that the moved pair is exactly the same
    # pair in other units. W1 is a length: it scales with a.
    a, b = 2.0**log2_a, shift * 2.0**log2_unit
    locs = [d.dist._parse_args(*d.args, **d.kwds)[1] for d in (p, q)]
    assume(all(_exact(loc, a, b) for loc in locs))
    moved = _moved(p, a, b), _moved(q, a, b)
    if name == "w1":
        before, tol = _quiet(gt.wasserstein1, p, q)
        after, tol_after = _quiet(gt.wasserstein1, *moved)
        before, tol = a * before, a * tol
        tol_after = max(tol_after, tol)
    else:
        before, tol = _quiet(gt.f_divergence, p, q, name)
        after, tol_after = _quiet(gt.f_divergence, *moved, name)
    if np.isinf(before):
        assert after == before
    else:
        assert after == pytest.approx(before, abs=max(tol, tol_after), rel=TOL)
