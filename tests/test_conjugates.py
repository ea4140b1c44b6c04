"""The f-GAN table derived by sympy: every proof holds, each proof fails on a wrong entry, the JS factor."""

import math
from dataclasses import replace

import numpy as np
import pytest
import sympy as sp

from gantheory import conjugates as cj
from gantheory import fdivergences as fd

NAMES = tuple(fd.FDIVERGENCES)

# The conjugates as Nowozin et al. (2016), Table 2, print them, typed here as an independent check
# of what sympy derives (on the part of the domain where the paper's formula is the supremum over
# u > 0; see test_pearson_and_tv_conjugates_extend_the_paper_s_below_its_domain).
PAPER = {
    "kl": (lambda t: sp.exp(t - 1), sp.Reals),
    "reverse-kl": (lambda t: -1 - sp.log(-t), sp.Interval.open(-sp.oo, 0)),
    "pearson": (lambda t: t**2 / 4 + t, sp.Interval(-2, sp.oo)),
    "neyman": (lambda t: 2 - 2 * sp.sqrt(1 - t), sp.Interval(-sp.oo, 1)),
    "squared-hellinger": (lambda t: t / (1 - t), sp.Interval.open(-sp.oo, 1)),
    # Halved from the paper's -log(2 - exp(t)) with its generator (f* of f/2 is f*(2t)/2).
    "js": (lambda t: -sp.log(2 - sp.exp(2 * t)) / 2, sp.Interval.open(-sp.oo, sp.log(2) / 2)),
    "gan": (lambda t: -sp.log(1 - sp.exp(t)), sp.Interval.open(-sp.oo, 0)),
    "tv": (lambda t: t, sp.Interval(-sp.Rational(1, 2), sp.Rational(1, 2))),
}


@pytest.mark.parametrize("name", NAMES)
def test_every_check_of_every_derivation_holds(name):
    d = cj.derivation(name)
    failed = [c.claim for c in d.checks if not c.holds]
    assert not failed, failed
    assert len(d.checks) >= 10
    assert d.steps and d.statement.lhs == sp.Function("f^*")(cj.t)


@pytest.mark.parametrize("name", NAMES)
def test_derived_conjugate_agrees_with_the_paper_on_its_domain(name):
    formula, where = PAPER[name]
    c = cj.conjugate(name)
    for interval, value in c.regions:
        part = interval.intersect(where)
        if part is sp.S.EmptySet or part.measure == 0:
            continue
        for x in np.linspace(float(max(part.inf, -6)), float(min(part.sup, 6)), 9)[1:-1]:
            assert float(value.subs(cj.t, x)) == pytest.approx(float(formula(sp.Float(x))), rel=1e-14, abs=1e-15)


def test_pearson_and_tv_conjugates_extend_the_paper_s_below_its_domain():
    # Over u > 0 (the only ratios p/q), sup_u t u - (u - 1)^2 is -1 for t <= -2, not t^2/4 + t
    # (the paper's formula is the conjugate over all real u); both give a lower bound, and the
    # derived one is larger (a tighter bound) where they differ. TV is max(t, -1/2) on (-oo, 1/2].
    pearson = cj.conjugate("pearson").expr
    assert pearson.subs(cj.t, -3) == -1 and (-3) ** 2 / 4 - 3 > -1
    tv = cj.conjugate("tv").expr
    assert tv.subs(cj.t, -2) == -sp.Rational(1, 2) and tv.subs(cj.t, sp.Rational(1, 2)) == sp.Rational(1, 2)
    assert tv.subs(cj.t, 1) == sp.oo


def test_domains_and_critics():
    assert cj.conjugate("neyman").domain == sp.Interval(-sp.oo, 1)  # closed: f*(1) = 2 as a limit
    assert cj.conjugate("js").domain == sp.Interval.open(-sp.oo, sp.log(2) / 2)
    assert dict(cj.conjugate("tv").critic) == {sp.Interval.Lopen(0, 1): -sp.Rational(1, 2),
                                               sp.Interval(1, sp.oo): sp.Rational(1, 2)}
    critic = dict(cj.conjugate("gan").critic)[sp.Interval.open(0, sp.oo)]
    assert sp.simplify(critic - sp.log(cj.u / (cj.u + 1))) == 0  # log D*, eq. (7)


@pytest.mark.parametrize(("field", "wrong", "claim"), [
    ("conjugate", lambda t, m: m.exp(t), "f*(t) derived as the supremum"),
    ("critic", lambda s, m: s, "T* = argmax"),
    ("conjugate_activation", lambda v, m: m.exp(v), "f*(g_f(v))"),
    ("pre_activation", lambda s, m: 2 * s, "g_f(V*(s))"),
    ("log_conjugate", lambda t, m: t, "exp(2 log_conjugate(t))"),
    ("bounds", (0.0, 2.0), "the table's upper bound"),
    ("domain", fd.Domain(-math.inf, 1.0), "the domain of f*"),
])
def test_each_proof_fails_on_a_wrong_entry(field, wrong, claim):
    row = replace(fd.FDIVERGENCES["kl"], **{field: wrong})
    checks = {c.claim: c.holds for c in cj.derivation(row).checks}
    failing = [c for c, holds in checks.items() if not holds]
    assert any(c.startswith(claim) or claim in c for c in failing), (field, failing)


def test_a_generator_that_is_not_convex_is_caught():
    row = replace(fd.FDIVERGENCES["tv"], f=lambda u, m: -m.abs(u - 1) / 2)  # concave: slopes fall at the kink
    checks = {c.claim: c.holds for c in cj.derivation(row).checks}
    assert not checks["f is convex on u > 0 (f'' >= 0 on each piece, slopes increase at kinks)"]


def test_the_f_gan_js_row_gives_twice_js():
    assert cj.nowozin_js_factor() == 2
    d = cj.nowozin_js_derivation()
    assert d.verified and d.statement.rhs == 2 * sp.Symbol("JS")


def test_conjugates_evaluate_like_the_table():
    # The derived expressions, lambdified, give the table's NumPy values to rounding.
    for name in NAMES:
        row, c = fd.FDIVERGENCES[name], cj.conjugate(name)
        for interval, value in c.regions:
            if interval.measure == 0:
                continue
            xs = np.linspace(float(max(interval.inf, -4)), float(min(interval.sup, 4)), 7)[1:-1]
            derived = cj.numeric(value, cj.t)(xs) * np.ones_like(xs)
            np.testing.assert_allclose(derived, row.conjugate(xs, fd.NUMPY), rtol=1e-14, atol=1e-15)
