"""Claims about eq. (6)-(9) and Theorem 1, checked numerically over a battery of density pairs.

The code under test is :mod:`gantheory.divergences` (``optimal_discriminator``, ``value_function``,
``virtual_criterion``, ``js_divergence``). Its references come from
:mod:`gantheory.report.independent`: tanh-sinh integrals of the textbook definitions, each
expectation its own integral, sharing no code with gantheory's quadrature; the closed forms
-log 4, log 2 and 0 where the theory gives them. The identity of eq. (9) between the two
independent paths (C(G) as two expectations of log D*, JS as two KL divergences against m) involves
no code under test, so it is printed as a note; the counted eq. (9) claim is gantheory's C(G)
against the independent JS.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats

from gantheory.report import Claim, Outcome, shared
from gantheory.report import defects as D
from gantheory.report import independent

__all__ = ["BATTERY", "battery", "claims"]

LOG2, LOG4 = math.log(2.0), math.log(4.0)

#: Labels of the fixed battery of (p_data, p_g) pairs: every family the toolkit handles.
BATTERY = (
    "N(0,1) vs N(2,1)",
    "N(0,1) vs N(1,3)",
    "N(0,1) vs N(50,1)",
    "Laplace(0,1) vs N(0.5,1)",
    "Cauchy vs t3(2,1)",
    "bimodal mixture vs N(0,1)",
    "U(0,2) vs U(1,3)",
    "U(0,1) vs U(3,1), disjoint",
)

# The references are accurate to about 3e-14 (tests/test_report_independent.py holds them to 1e-13
# against 30-digit mpmath), gantheory's quadrature to about 1e-15: 1e-12 leaves room for both and
# is 1e6 times smaller than any defect below produces.
TOLERANCE = 1e-12


def battery() -> list[tuple[str, object, object]]:
    """The battery as (label, p_data, p_g), densities built fresh."""
    from gantheory.distributions import Mixture

    bimodal = Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5])
    pairs = [
        (stats.norm(0, 1), stats.norm(2, 1)),
        (stats.norm(0, 1), stats.norm(1, 3)),
        (stats.norm(0, 1), stats.norm(50, 1)),
        (stats.laplace(0, 1), stats.norm(0.5, 1)),
        (stats.t(1), stats.t(3, loc=2)),
        (bimodal, stats.norm(0, 1)),
        (stats.uniform(0, 2), stats.uniform(1, 2)),
        (stats.uniform(0, 1), stats.uniform(3, 1)),
    ]
    return [(label, p, q) for label, (p, q) in zip(BATTERY, pairs)]


@functools.lru_cache(maxsize=None)
def _references() -> dict[str, tuple[float, float]]:
    """(C(G), JS) of each battery pair along the independent paths.

    Cached for the process: the references call no gantheory code, so no defect can change them.
    """
    return {label: (independent.criterion(p, q), independent.js(p, q)) for label, p, q in battery()}


@shared
def _toolkit() -> dict[str, tuple[float, float]]:
    """(C(G), JS) of each battery pair as gantheory computes them (recomputed under a defect)."""
    import gantheory as gt

    return {label: (gt.virtual_criterion(p, q), gt.js_divergence(p, q)) for label, p, q in battery()}


def _largest(deviations: dict[str, float]) -> tuple[str, float]:
    label = max(deviations, key=lambda k: deviations[k])
    return label, deviations[label]


# --- the checks ---------------------------------------------------------------------------------

def _d_star_values() -> Outcome:
    import gantheory as gt

    worst = 0.0
    for _, p, q in battery():
        x = np.linspace(*np.nan_to_num(p.ppf([0.001, 0.999])), 201)
        x = np.concatenate([x, np.linspace(*np.nan_to_num(q.ppf([0.001, 0.999])), 201)])
        pdf_p, pdf_q = p.pdf(x), q.pdf(x)
        both = (pdf_p + pdf_q) > 1e-300
        reference = pdf_p[both] / (pdf_p[both] + pdf_q[both])  # eq. (7) as printed
        computed = gt.optimal_discriminator(p, q)(x[both])
        worst = max(worst, float(np.max(np.abs(computed - reference) / np.maximum(reference, 1e-300))))
    return Outcome.numeric(0.0, worst, 1e-13)


def _no_better_discriminator() -> Outcome:
    import gantheory as gt

    gaps = []
    for label, p, q in battery():
        d_star = gt.optimal_discriminator(p, q)
        others = [
            lambda x: np.full(np.shape(x), 0.5),
            lambda x: np.full(np.shape(x), 0.99),
            lambda x: np.full(np.shape(x), 0.01),
            lambda x, d=d_star: 0.9 * d(x) + 0.05,
        ]
        reference_c = _references()[label][0]
        gaps.append(max(gt.value_function(D_, p, q) for D_ in others) - reference_c)
    return Outcome.bound(0.0, max(gaps))


def _criterion() -> Outcome:
    deviations = {label: abs(_toolkit()[label][0] - _references()[label][0]) for label in BATTERY}
    return Outcome.numeric(0.0, _largest(deviations)[1], TOLERANCE)


def _js() -> Outcome:
    deviations = {label: abs(_toolkit()[label][1] - _references()[label][1]) for label in BATTERY}
    return Outcome.numeric(0.0, _largest(deviations)[1], TOLERANCE)


def _eq9() -> Outcome:
    deviations = {label: abs(_toolkit()[label][0] - (2 * _references()[label][1] - 2 * LOG2)) for label in BATTERY}
    return Outcome.numeric(0.0, _largest(deviations)[1], TOLERANCE)


def _eq9_independent_paths() -> Outcome:
    deviations = {label: abs(c - (2 * js - 2 * LOG2)) for label, (c, js) in _references().items()}
    return Outcome.numeric(0.0, _largest(deviations)[1], TOLERANCE)


THEOREM_1_DENSITIES = (("N(1,2)", stats.norm(1, 2)), ("Cauchy", stats.t(1)), ("U(0,3)", stats.uniform(0, 3)))


def _theorem_1() -> Outcome:
    import gantheory as gt

    worst = max(abs(gt.virtual_criterion(p, p) + LOG4) for _, p in THEOREM_1_DENSITIES)
    return Outcome.numeric(-LOG4, -LOG4 + worst, 1e-13)


DISJOINT = (stats.uniform(0, 1), stats.uniform(3, 1))


def _disjoint_js() -> Outcome:
    import gantheory as gt

    return Outcome.numeric(LOG2, gt.js_divergence(*DISJOINT), 0.0)


def _disjoint_criterion() -> Outcome:
    import gantheory as gt

    return Outcome.numeric(0.0, gt.virtual_criterion(*DISJOINT), 0.0)


def claims() -> list[Claim]:
    """The section "value function": eq. (7), (8), (9), Theorem 1 and disjoint supports, numerically."""
    pairs = f"{len(BATTERY)} pairs (Gaussian, Laplace, Cauchy, Student-t, a mixture, uniforms, disjoint)"
    quad = "tanh-sinh (scipy), each expectation its own integral"
    return [
        Claim("eq. (7)", f"D*(x) = p_data / (p_data + p_g) on the bulk of {pairs}: largest relative deviation "
              "of gantheory's D* from the printed formula", "eq. (7) as printed, from scipy's pdfs",
              _d_star_values, D.D_STAR_OFFSET),
        Claim("eq. (7)", f"no other discriminator beats D*: largest V(D, G) - C(G) over D = 1/2, 0.99, 0.01, "
              f"0.9 D* + 0.05 and {pairs}", f"C(G) = E_p log D* + E_q log(1 - D*) by {quad}",
              _no_better_discriminator, D.VALUE_TERM_DROPPED),
        Claim("eq. (8)", f"C(G) = V(D*, G) (gantheory.virtual_criterion): largest deviation over {pairs}",
              f"E_p[log D*] + E_q[log(1 - D*)] by {quad}, D* formed from the two densities",
              _criterion, D.D_STAR_SWAPPED),
        Claim("JS definition before eq. (9)", f"gantheory.js_divergence: largest deviation over {pairs}",
              f"1/2 KL(p||m) + 1/2 KL(q||m), m = (p + q)/2 formed explicitly, by {quad}",
              _js, D.JS_HALF_DROPPED),
        Claim("eq. (9)", f"C(G) (gantheory) = 2 JS - 2 log 2 (JS independent): largest deviation over {pairs}",
              f"JS = 1/2 KL(p||m) + 1/2 KL(q||m) by {quad}", _eq9, D.VALUE_DATA_TWICE),
        Claim("eq. (9)", f"along two independent paths, E_p log D* + E_q log(1 - D*) = 2 JS - 2 log 2 with JS "
              f"= 1/2 KL(p||m) + 1/2 KL(q||m): largest deviation over {pairs} (no gantheory code involved)",
              f"both sides by {quad}", _eq9_independent_paths, None),
        Claim("Goodfellow et al. 2014, Thm 1", "C(G) = -log 4 at p_g = p_data = N(1, 2^2), Cauchy and U(0, 3) "
              "(gantheory.virtual_criterion; worst of the three)", "closed form -log 4",
              _theorem_1, D.VALUE_TERM_DROPPED),
        Claim("sec. 6.1", "disjoint supports U(0,1), U(3,1): JS = log 2 exactly (gantheory.js_divergence)",
              "closed form log 2", _disjoint_js, D.JS_EPSILON),
        Claim("sec. 6.1", "disjoint supports U(0,1), U(3,1): C(G) = 0 exactly (gantheory.virtual_criterion)",
              "closed form 0 (D* is 1 on p_data's support, 0 on p_g's)", _disjoint_criterion, D.D_STAR_CLAMPED),
    ]
