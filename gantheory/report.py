"""The verification report: every claim of the article, its reference value, what we compute.

Each row names its source (an equation or figure of the article, or a paper and theorem), states
the claim, and gives the reference value, the computed value, the absolute error, the tolerance
and the verdict. :func:`verify` computes the rows; :func:`render` prints them as text, Markdown or
JSON. ``gantheory verify`` runs both and exits non-zero if any row fails.

Reference values come from closed forms, sympy, or definitions evaluated independently of the
computed value (for example C(G) from D* against 2·JS − 2·log 2 from the JS integral), never from
the same expression twice.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

__all__ = ["Row", "verify", "render", "SECTIONS"]

LOG2 = math.log(2.0)


@dataclass(frozen=True)
class Row:
    """One checked claim.

    ``reference`` and ``computed`` are numbers, or strings for symbolic results (then ``error`` is
    0 when sympy proves them equal and ``tolerance`` is 0). ``passed`` is the verdict.
    """

    source: str
    claim: str
    reference: float | str
    computed: float | str
    error: float
    tolerance: float
    passed: bool

    @classmethod
    def numeric(cls, source: str, claim: str, reference: float, computed: float, tolerance: float) -> Row:
        """A row comparing two numbers: passes when ``|computed - reference| <= tolerance``."""
        reference, computed = float(reference), float(computed)
        if reference == computed:  # also covers equal infinities
            error = 0.0
        else:
            error = abs(computed - reference)
        return cls(source, claim, reference, computed, error, tolerance, bool(error <= tolerance))

    @classmethod
    def bound(cls, source: str, claim: str, limit: float, computed: float, *, below: bool = True) -> Row:
        """A row checking an inequality ``computed <= limit`` (or ``>=`` with ``below=False``).

        The error column holds the amount by which the bound is violated (0 when it holds).
        """
        limit, computed = float(limit), float(computed)
        violation = max(0.0, computed - limit if below else limit - computed)
        sign = "<=" if below else ">="
        return cls(source, claim, f"{sign} {limit:.6g}", computed, violation, 0.0, violation == 0.0)

    @classmethod
    def exact(cls, source: str, claim: str, reference: str, computed: str, holds: bool) -> Row:
        """A row for a symbolic identity proved (or not) by sympy."""
        return cls(source, claim, reference, computed, 0.0 if holds else math.inf, 0.0, bool(holds))


# --- the rows, by theme ------------------------------------------------------------------------

def _battery() -> list[tuple[str, object, object]]:
    """A fixed battery of (label, p_data, p_g) pairs covering every family the toolkit handles."""
    from gantheory.distributions import Mixture

    bimodal = Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5])
    return [
        ("N(0,1) vs N(2,1)", stats.norm(0, 1), stats.norm(2, 1)),
        ("N(0,1) vs N(1,3)", stats.norm(0, 1), stats.norm(1, 3)),
        ("N(0,1) vs N(50,1)", stats.norm(0, 1), stats.norm(50, 1)),
        ("Laplace(0,1) vs N(0.5,1)", stats.laplace(0, 1), stats.norm(0.5, 1)),
        ("Cauchy vs t3(2,1)", stats.t(1), stats.t(3, loc=2)),
        ("bimodal mixture vs N(0,1)", bimodal, stats.norm(0, 1)),
        ("U(0,2) vs U(1,3)", stats.uniform(0, 2), stats.uniform(1, 2)),
        ("U(0,1) vs U(3,1), disjoint", stats.uniform(0, 1), stats.uniform(3, 1)),
    ]


def rows_symbolic() -> list[Row]:
    """Each sympy derivation (eq. 7, eq. 8 -> 9, Theorem 1, Gaussian forms) and its numeric twin."""
    import sympy as sp

    import gantheory as gt
    from gantheory import symbolic

    rows = []
    for d in symbolic.all_derivations():
        held = [c.claim for c in d.checks if c.holds]
        failed = [c.claim for c in d.checks if not c.holds]
        computed = f"sympy: {len(held)} of {len(d.checks)} steps hold"
        computed += f" (failed: {'; '.join(failed)})" if failed else ""
        rows.append(Row.exact(d.source, f"{d.title} (derived by sympy)", sp.sstr(d.statement), computed, d.verified))
    # The closed forms agree with the quadrature that knows nothing of them.
    p, q = stats.norm(0.5, 0.7), stats.norm(-1.0, 2.5)
    rows.append(Row.numeric(
        "KL definition, Gaussians", "sympy's closed-form KL(N(0.5, 0.7^2) || N(-1, 2.5^2)) equals quadrature",
        symbolic.gaussian_kl_numeric(0.5, 0.7, -1.0, 2.5), gt.kl_divergence(p, q), 1e-13))
    a, b, c = symbolic.gaussian_logit_coefficients_numeric(0.5, 0.7, -1.0, 2.5)
    x = np.linspace(-8.0, 8.0, 161)
    rows.append(Row.numeric(
        "eq. (7), Gaussians", "sympy's quadratic a x^2 + b x + c equals logit D*(x) = log p_data - log p_g "
        "on [-8, 8] (largest deviation)", 0.0,
        np.max(np.abs(a * x**2 + b * x + c - gt.optimal_discriminator(p, q).logit(x))), 1e-12))
    return rows


def rows_value_function() -> list[Row]:
    """Eq. (6)-(9) and Theorem 1, numerically, over the battery of pairs."""
    import gantheory as gt

    rows = []
    deviations, gaps = [], []
    for _, p, q in _battery():
        c = gt.virtual_criterion(p, q)
        deviations.append(abs(c - (2 * gt.js_divergence(p, q) - 2 * LOG2)))
        # The pointwise maximization behind eq. (7): D* beats a family of other discriminators.
        d_star = gt.optimal_discriminator(p, q)
        others = [lambda x: np.full(np.shape(x), 0.5), lambda x, d=d_star: 0.9 * d(x) + 0.05]
        gaps.append(max(gt.value_function(D, p, q) for D in others) - c)
    rows.append(Row.bound(
        "eq. (7)", f"V(D*, G) >= V(D, G) for other discriminators, over {len(gaps)} pairs "
        "(largest V(D) - V(D*))", 0.0, max(gaps)))
    rows.append(Row.numeric(
        "eq. (8)-(9)", f"C(G) = V(D*, G) equals 2 JS - 2 log 2, largest deviation over {len(deviations)} "
        "pairs (C from D*, JS from its definition)", 0.0, max(deviations), 1e-12))
    for label, p in (("N(1,2)", stats.norm(1, 2)), ("Cauchy", stats.t(1)), ("U(0,3)", stats.uniform(0, 3))):
        rows.append(Row.numeric(
            "Goodfellow et al. 2014, Thm 1", f"C(G) = -log 4 at p_g = p_data = {label}",
            -math.log(4), gt.virtual_criterion(p, p), 1e-13))
    disjoint = (stats.uniform(0, 1), stats.uniform(3, 1))
    rows.append(Row.numeric("sec. 6.1", "disjoint supports: JS = log 2 exactly", LOG2,
                            gt.js_divergence(*disjoint), 0.0))
    rows.append(Row.numeric("sec. 6.1", "disjoint supports: C(G) = 0 exactly", 0.0,
                            gt.virtual_criterion(*disjoint), 0.0))
    return rows


def rows_curves() -> list[Row]:
    """Figures 3-4, section 6.1 and eq. (10): the numbers printed in the article, and the theorems."""
    import gantheory as gt
    from gantheory import curves

    rows = []
    js2 = gt.js_divergence(stats.norm(0, 1), stats.norm(2, 1))
    rows.append(Row.numeric("Fig. 3, right", "JS(N(0,1) || N(2,1)): js_curve against the general quadrature",
                            js2, float(gt.js_curve(2.0)[0]), 1e-13))
    rows.append(Row.numeric("erratum, Fig. 3", "the printed 0.336 is the exact 0.33683 truncated, not rounded "
                            "(rounded it reads 0.337)", 0.336, math.floor(js2 * 1000) / 1000, 0.0))
    for d in (8.0, 10.0):
        rows.append(Row.numeric("Fig. 3, left and middle", f"JS at distance {d:g} sigma prints as 0.693",
                                0.693, round(float(gt.js_curve(d)[0]), 3), 0.0))
    d_693 = curves.distance_for_js(0.6925)
    rows.append(Row.numeric("erratum, Fig. 3", f"JS first rounds to 0.693 at d = {d_693:.4f} sigma "
                            "(checked: JS there is 0.6925)", 0.6925, float(gt.js_curve(d_693)[0]), 1e-12))
    peak = curves.steepest_distance()
    near = np.linspace(1.0, 3.0, 20_001)  # a 1e-4 grid around the peak
    rows.append(Row.numeric("Fig. 4(b)", f"the slope peaks at d = {peak:.4f} sigma: root of d2JS/dd2 against "
                            "the argmax of the slope on a 1e-4 grid", float(near[np.argmax(gt.js_curve(near)[1])]),
                            peak, 1e-4))
    beyond = np.linspace(5.0, 50.0, 4501)
    rows.append(Row.bound("Fig. 4(b), sec. 6.1", "beyond d = 5 the slope of JS is below 0.024 (max over [5, 50])",
                          0.024, float(gt.js_curve(beyond)[1].max())))
    rows.append(Row.bound("Fig. 4(a), sec. 6.1", "'constant beyond 5' is only approximate: JS still gains "
                          "log 2 - JS(5) nats after d = 5", 0.01, LOG2 - float(gt.js_curve(5.0)[0]), below=False))
    # Section 6.1 and eq. (10) through the two generator-gradient theorems, each gradient computed
    # by its own quadrature and compared with the JS slope and the Gaussian KL's derivative.
    theta = np.linspace(0.0, 50.0, 2001)
    worst_sat = worst_ns = 0.0
    for scale in (0.1, 1.0, 10.0):
        saturating, non_saturating = gt.generator_gradients(theta * scale, scale=scale)
        djs = gt.js_curve(theta * scale, scale=scale)[1]
        worst_sat = max(worst_sat, float(np.max(np.abs(saturating - 2 * djs))))
        worst_ns = max(worst_ns, float(np.max(np.abs(non_saturating - (theta / scale - 2 * djs)))))
    rows.append(Row.numeric("Goodfellow et al. 2014, Thm 1 + envelope", "saturating gradient = 2 dJS/dtheta "
                            "(largest deviation, theta in [0, 50] sigma, sigma = 0.1, 1, 10)", 0.0, worst_sat, 1e-12))
    rows.append(Row.numeric("Arjovsky & Bottou 2017, Thm 2.5", "non-saturating gradient = dKL(p_g||p_data)/dtheta "
                            "- 2 dJS/dtheta (largest deviation, same grid)", 0.0, worst_ns, 1e-12))
    saturating, non_saturating = gt.generator_gradients(np.array([10.0]))
    rows.append(Row.bound("sec. 6.1", "the saturating gradient vanishes at 10 sigma (below 1e-5)", 1e-5,
                          float(saturating[0])))
    rows.append(Row.bound("eq. (10)", "the non-saturating gradient does not vanish at 10 sigma (above 9)", 9.0,
                          float(non_saturating[0]), below=False))
    return rows


def rows_gan() -> list[Row]:
    """The NumPy GAN against the theory: D -> D*, its backprop against quadrature, convergence."""
    from gantheory import gan
    from gantheory.gan import experiments

    rows = []
    # D alone against a frozen N(2, 1) reaches D* = expit(2 - 2x) up to the stationary noise of
    # SGD with lr 0.005 and m = 128 (measured: at most 0.022 over 16 seeds), hence 0.03.
    optimum = experiments.discriminator_to_optimum(2.0, steps=5000, ensemble=16)
    rows.append(Row.numeric(
        "eq. (7), NumPy GAN", "the quadratic D trained alone against N(2, 1) recovers D* (sympy's "
        "coefficients): largest |D - D*| over the bulk, 16 seeds", 0.0, float(optimum.max_abs_error.max()), 0.03))
    # Monte-Carlo generator gradients through the hand-derived backward passes, D set to D*: a
    # |z| above 4 has probability 6e-5 per comparison under the central limit theorem.
    check = experiments.generator_gradient_check((1.0, 2.0, 5.0, 10.0), samples=20_000, seed=0)
    worst = max(float(np.abs(z).max()) for z in check.z_scores())
    rows.append(Row.bound(
        "sec. 6.1 and eq. (10), NumPy GAN", "backprop gradients under D* (Monte Carlo) match "
        "generator_gradients at d = 1, 2, 5, 10, both losses: largest |z-score|", 4.0, worst))
    # Convergence on N(4, 1.25^2) from N(0, 1), the defaults, 64 seeds (measured: worst JS
    # 6.9e-4, mu within 0.05 of 4, sigma within 0.07 of 1.25).
    run = experiments.convergence(ensemble=64, steps=10_000, seed=0, track_js=False)
    rows.append(Row.bound("Algorithm 1, NumPy GAN", "affine G, quadratic D, eq. (10), 10 000 iterations, "
                          "64 seeds: worst final exact JS(p_g || p_data) in nats", 1e-3, float(run.js.max())))
    rows.append(Row.bound("Algorithm 1, NumPy GAN", "the same runs: largest |mu - 4| and |sigma - 1.25| "
                          "of the learned N(mu, sigma^2)", 0.1,
                          float(max(np.abs(run.mu - 4).max(), np.abs(run.sigma - 1.25).max()))))
    # An ensemble is E independent runs: member 5 of 8 equals the same member trained alone.
    together = gan.train(stats.norm(4, 1.25), steps=500, ensemble=8, seed=3, track_js=False)
    alone = gan.train(stats.norm(4, 1.25), steps=500, ensemble=1, seed=3, first_member=5, track_js=False)
    rows.append(Row.numeric("ensemble semantics", "member 5 of an ensemble of 8 follows the same trajectory "
                            "as when trained alone: largest parameter difference", 0.0,
                            float(np.abs(together.theta[5] - alone.theta[0]).max()), 0.0))
    return rows


def rows_errata() -> list[Row]:
    """The article's errata (DESIGN.md section 1), each shown by a computation."""
    import sympy as sp

    import gantheory as gt

    rows = []
    # Binary cross-entropy needs its minus sign: without it the "loss" of a confident correct
    # prediction (y = 1, y_hat = 0.9) is log 0.9 < 0, and minimizing it would push y_hat to 0.
    rows.append(Row.bound(
        "erratum, sec. 3", "BCE as printed, y log y_hat + (1-y) log(1-y_hat), at y = 1, y_hat = 0.9 "
        "is negative, so the loss needs a minus sign", 0.0, math.log(0.9)))
    # Eq. (4): the generator's objective keeps log D(x), which does not depend on G: sympy shows
    # the generator's gradient of the whole bracket equals that of log(1 - D(G(z))) alone.
    x, z, theta = sp.symbols("x z theta", real=True)
    D, G = sp.Function("D"), sp.Function("G")
    whole = sp.diff(sp.log(D(x)) + sp.log(1 - D(G(z, theta))), theta)
    second = sp.diff(sp.log(1 - D(G(z, theta))), theta)
    rows.append(Row.exact(
        "erratum, eq. (4)", "d/dtheta_g [log D(x) + log(1 - D(G(z)))] = d/dtheta_g log(1 - D(G(z))): "
        "the first term of eq. (4) does not depend on G", sp.sstr(second), sp.sstr(whole),
        sp.simplify(whole - second) == 0))
    # Algorithm 1 samples noise from the prior p_z, not from p_g: with p_z = N(0, 1), the perfect
    # generator G(z) = 4 + 1.25 z of p_data = N(4, 1.25^2) has JS = 0; fed z ~ p_g as printed, its
    # output is N(4 + 1.25*4, (1.25*1.25)^2), far from p_data.
    p_data = stats.norm(4, 1.25)
    misread = stats.norm(4 + 1.25 * 4, 1.25 * 1.25)
    rows.append(Row.numeric(
        "erratum, Algorithm 1", "noise comes from p_z(z): the perfect G(z) = 4 + 1.25 z reaches "
        "JS = 0 with z ~ p_z = N(0, 1)", 0.0, gt.js_divergence(p_data, stats.norm(4, 1.25)), 1e-13))
    rows.append(Row.bound(
        "erratum, Algorithm 1", "fed z ~ p_g as printed, the same G misses p_data: JS(p_data, law "
        "of G(z)) is far from 0", 0.1, gt.js_divergence(p_data, misread), below=False))
    return rows


SECTIONS: dict[str, Callable[[], list[Row]]] = {
    "symbolic": rows_symbolic,
    "value function": rows_value_function,
    "curves": rows_curves,
    "gan": rows_gan,
    "errata": rows_errata,
}


def verify(sections: Iterable[str] | None = None) -> list[Row]:
    """Compute every row of the report (or those of the named ``sections``)."""
    names = list(SECTIONS) if sections is None else list(sections)
    return [row for name in names for row in SECTIONS[name]()]


def _fmt(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    return f"{value:.12g}" if 1e-4 <= abs(value) < 1e6 else f"{value:.3e}"


def render(rows: list[Row], fmt: str = "text") -> str:
    """The rows as ``text`` (a table for the terminal), ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps([asdict(r) for r in rows], indent=2, allow_nan=True)
    header = ("source", "claim", "reference", "computed", "error", "tolerance", "verdict")
    body = [(r.source, r.claim, _fmt(r.reference), _fmt(r.computed), _fmt(r.error),
             _fmt(r.tolerance), "pass" if r.passed else "FAIL") for r in rows]
    passed = sum(r.passed for r in rows)
    summary = f"{passed} of {len(rows)} claims verified" + ("" if passed == len(rows) else f"; {len(rows) - passed} FAILED")
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
        return "\n".join(lines + ["", f"**{summary}.**", ""])
    widths = [max([len(h)] + [len(row[i]) for row in body]) for i, h in enumerate(header)]
    widths[1], widths[2], widths[3] = min(widths[1], 72), min(widths[2], 22), min(widths[3], 22)
    out = []
    for row in [header, *body]:
        cells = [c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths)]
        out.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    return "\n".join(out + ["", summary + "."])
