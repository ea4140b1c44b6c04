"""Claims beyond eq. (9): the f-GAN table and bound, the Wasserstein-1 distance, instance noise.

Three sections of ``gantheory verify``:

- :func:`fgan` (Nowozin, Cseke & Tomioka 2016): every f-divergence against its closed form or a
  25-digit mpmath integral of its definition column, the bound :math:`E_P T^* - E_Q f^*(T^*)`
  against the same references, no perturbed critic beating :math:`T^*`, the GAN row as eq. (6) and
  eq. (9), Neyman's infinite case, sympy's derivation of each conjugate, and the factor of the
  paper's JS row;
- :func:`wgan` (Arjovsky, Chintala & Bottou 2017): W1 against the Gaussian closed form and the
  quantile form, the optimal critic, and Example 1 for every divergence;
- :func:`instance_noise` (Arjovsky & Bottou 2017, sec. 3): the uniform * Gaussian closed forms
  against mpmath, JS under noise against mpmath, and the generator's gradient under the noisy D*.

Each defect is a slip a reviewer could miss in the code under test (a missing 1/2, a swapped
denominator, a dropped absolute value, ``log(ndtr)`` for ``log_ndtr``), injected into the table
row or module attribute that the computation reads; the references never go through it.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import replace
from types import MappingProxyType
from unittest import mock

import mpmath as mp
import numpy as np
from scipy import integrate as scipy_integrate
from scipy import special, stats

from gantheory.report import Claim, Defect, Outcome, shared

__all__ = ["fgan", "instance_noise", "wgan"]

LOG2 = math.log(2.0)
DIGITS = 25
# Against closed forms and 25-digit integrals the quadrature is asked for 1e-14 absolute or 1e-13
# relative, so the claims allow 1e-13 (relative above 1).
TOL = 1e-13

# The Gaussian pair of the f-GAN claims: all eight divergences are finite for it.
P_MU, P_S, Q_MU, Q_S = 0.0, 1.0, 0.5, 0.8


def _tol(value: float) -> float:
    return TOL * max(1.0, abs(value))


# --- references, computed without the code under test --------------------------------------------


def _kl_gauss(m1: float, s1: float, m2: float, s2: float) -> float:
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def _chi2_gauss(m1: float, s1: float, m2: float, s2: float) -> float:
    """int p^2/q - 1 for p = N(m1, s1^2), q = N(m2, s2^2) (finite when 2 s2^2 > s1^2)."""
    return s2 / (s1**2 * math.sqrt(2 / s1**2 - 1 / s2**2)) * math.exp((m1 - m2) ** 2 / (2 * s2**2 - s1**2)) - 1


def _tv_gauss(m1: float, s1: float, m2: float, s2: float) -> float:
    """P(A) - Q(A) on A = {p > q}, between the roots of the quadratic log p - log q."""
    a = 1 / (2 * s2**2) - 1 / (2 * s1**2)
    b = m1 / s1**2 - m2 / s2**2
    c = m2**2 / (2 * s2**2) - m1**2 / (2 * s1**2) + math.log(s2 / s1)
    lo, hi = sorted(np.roots([a, b, c]).real)
    mass = lambda m, s: special.ndtr((hi - m) / s) - special.ndtr((lo - m) / s)  # noqa: E731
    return float(mass(m1, s1) - mass(m2, s2)) if a < 0 else float(mass(m2, s2) - mass(m1, s1))


def _mp_norm(mu: float, s: float):
    mu, s = mp.mpf(mu), mp.mpf(s)
    return lambda x: mp.exp(-((x - mu) ** 2) / (2 * s**2)) / (s * mp.sqrt(2 * mp.pi))


def _mp_noisy_uniform(a: float, w: float, eps: float):
    """Density of U(a, a + w) + N(0, eps^2): (Phi((x-a)/eps) - Phi((x-a-w)/eps)) / w, with erfc."""
    a, w, eps = mp.mpf(a), mp.mpf(w), mp.mpf(eps)

    def pdf(x):
        u, v = (x - a) / eps, (x - a - w) / eps
        if u + v <= 0:
            return (mp.erfc(-u / mp.sqrt(2)) - mp.erfc(-v / mp.sqrt(2))) / (2 * w)
        return (mp.erfc(v / mp.sqrt(2)) - mp.erfc(u / mp.sqrt(2))) / (2 * w)

    return pdf


def _mp_js(p, q, nodes) -> float:
    """JS from its definition, 1/2 KL(p||m) + 1/2 KL(q||m), by mpmath's tanh-sinh."""
    def term(a, m):
        return mp.mpf(0) if a == 0 else a * mp.log(a / m)

    def integrand(x):
        a, b = p(x), q(x)
        m = (a + b) / 2
        return (term(a, m) + term(b, m)) / 2

    with mp.workdps(DIGITS):
        return float(mp.quad(integrand, [mp.mpf(x) for x in nodes]))


@shared
def _gauss_references() -> dict[str, float]:
    args = (P_MU, P_S, Q_MU, Q_S)
    js = _mp_js(_mp_norm(P_MU, P_S), _mp_norm(Q_MU, Q_S), [-mp.inf, -10, -5, -2, 0, 0.5, 2, 5, 10, mp.inf])
    return {
        "kl": _kl_gauss(*args),
        "reverse-kl": _kl_gauss(Q_MU, Q_S, P_MU, P_S),
        "pearson": _chi2_gauss(*args),
        "neyman": _chi2_gauss(Q_MU, Q_S, P_MU, P_S),
        "squared-hellinger": 2 - 2 * math.sqrt(2 * P_S * Q_S / (P_S**2 + Q_S**2))
        * math.exp(-((P_MU - Q_MU) ** 2) / (4 * (P_S**2 + Q_S**2))),
        "js": js,
        "gan": 2 * js - 2 * LOG2,
        "tv": _tv_gauss(*args),
    }


REFERENCE_SOURCE = {
    "kl": "closed form", "reverse-kl": "closed form", "pearson": "closed form int p^2/q - 1",
    "neyman": "closed form int q^2/p - 1", "squared-hellinger": "closed form 2 - 2 BC",
    "js": "mpmath, definition, 25 digits", "gan": "mpmath JS, 25 digits", "tv": "roots + normal CDFs",
}


# --- defects -----------------------------------------------------------------------------------


def _row_defect(name: str, what: str, **changes) -> Defect:
    """A slip in one row of the table: the row is replaced, for every reader, inside the context."""
    from gantheory import fdivergences as fd

    def inject():
        table = dict(fd.FDIVERGENCES)
        table[name] = replace(table[name], **changes)
        return mock.patch.object(fd, "FDIVERGENCES", MappingProxyType(table))

    return Defect(what, inject)


def _integrand_slips() -> dict[str, Defect]:
    from gantheory import fdivergences as fd

    return {
        "kl": _row_defect("kl", "log(q + 1e-300) for log q in the KL integrand",
                          integrand=lambda lp, lq: fd.kl_integrand(lp, np.logaddexp(lq, math.log(1e-300)) + 1e-3)),
        "reverse-kl": _row_defect("reverse-kl", "arguments not swapped: reverse KL integrates p log(p/q)",
                                  integrand=fd.kl_integrand),
        "pearson": _row_defect("pearson", "(p - q)^2 / p for (p - q)^2 / q (Neyman's denominator)",
                               integrand=lambda lp, lq: fd._chi2_integrand(lq, lp)),
        "neyman": _row_defect("neyman", "(p - q)^2 / q for (p - q)^2 / p (Pearson's denominator)",
                              integrand=fd._chi2_integrand, tail=fd._log_chi2),
        "squared-hellinger": _row_defect("squared-hellinger", "the square dropped: |sqrt p - sqrt q|",
                                         integrand=lambda lp, lq: np.abs(np.exp(lp / 2) - np.exp(lq / 2))),
        "js": _row_defect("js", "log 3 for log 2 in the JS offset", offset=math.log(3.0), bounds=(0.0, 2.0)),
        "gan": _row_defect("gan", "2 JS - log 4 written as JS - log 4 (the factor 2 dropped)",
                           integrand=lambda lp, lq: -fd.js_integrand(lp, lq), offset=-LOG2),
        "tv": _row_defect("tv", "the 1/2 of TV dropped: int |p - q|", integrand=lambda lp, lq: 2 * fd._tv_integrand(lp, lq),
                          bounds=(0.0, 2.0)),
    }


def _conjugate_slips() -> dict[str, Defect]:
    """A slip in f*(g_f(v)), which the bound at the optimal critic evaluates."""
    return {
        "kl": _row_defect("kl", "f*(t) = exp(t) for exp(t - 1)", conjugate_activation=lambda v, m: m.exp(v)),
        "reverse-kl": _row_defect("reverse-kl", "f*(t) = -1 - log(t) sign slip: v + 1 for v - 1",
                                  conjugate_activation=lambda v, m: v + 1),
        "pearson": _row_defect("pearson", "f*(t) = t^2/2 + t for t^2/4 + t",
                               conjugate_activation=lambda v, m: m.where(v >= -2, v + v**2 / 2, -1)),
        "neyman": _row_defect("neyman", "f*(t) = 2 - sqrt(1 - t) (the 2 dropped)",
                              conjugate_activation=lambda v, m: 2 - m.exp(-v / 2)),
        "squared-hellinger": _row_defect("squared-hellinger", "f*(t) = t/(1 + t) for t/(1 - t)",
                                         conjugate_activation=lambda v, m: -m.expm1(-v) / (2 + m.expm1(-v))),
        "js": _row_defect("js", "the paper's unhalved f*(t) = -log(2 - e^t) with the halved critic",
                          conjugate_activation=lambda v, m: m.softplus(v) - m.LOG2),
        "gan": _row_defect("gan", "f*(t) = -log(1 - e^t) evaluated as softplus(-v)",
                           conjugate_activation=lambda v, m: m.softplus(-v)),
        "tv": _row_defect("tv", "f*(t) = 2t for t", conjugate_activation=lambda v, m: m.tanh(v)),
    }


def _table_slips() -> dict[str, Defect]:
    """A slip in the typed f* itself, which sympy's derivation must reject."""
    return {
        "kl": _row_defect("kl", "f*(t) typed exp(t) for exp(t - 1)", conjugate=lambda t, m: m.exp(t)),
        "reverse-kl": _row_defect("reverse-kl", "f*(t) typed -1 + log(-t)", conjugate=lambda t, m: -1 + m.log(-t)),
        "pearson": _row_defect("pearson", "f*(t) typed t^2/4 + t on all of R (the paper's), not -1 below -2",
                               conjugate=lambda t, m: t + t**2 / 4),
        "neyman": _row_defect("neyman", "f*(t) typed 2 - 2 sqrt(1 + t)", conjugate=lambda t, m: 2 - 2 * m.sqrt(1 + t)),
        "squared-hellinger": _row_defect("squared-hellinger", "f*(t) typed t/(1 + t)",
                                         conjugate=lambda t, m: t / (1 + t)),
        "js": _row_defect("js", "f*(t) typed as the paper's -log(2 - e^t) with the halved generator",
                          conjugate=lambda t, m: -m.log(2 - m.exp(t))),
        "gan": _row_defect("gan", "f*(t) typed log(1 - e^t)", conjugate=lambda t, m: m.log(-m.expm1(t))),
        "tv": _row_defect("tv", "f*(t) typed t on all of (-inf, 1/2], not max(t, -1/2)", conjugate=lambda t, m: t),
    }


# --- f-GAN -------------------------------------------------------------------------------------


def fgan() -> list[Claim]:
    """The f-divergence table, the variational bound, and sympy's derivations (Nowozin et al. 2016)."""
    from gantheory import fdivergences as fd

    pair = f"N({P_MU:g},{P_S:g}) || N({Q_MU:g},{Q_S:g}^2)"
    claims = []
    integrand_slips, conjugate_slips, table_slips = _integrand_slips(), _conjugate_slips(), _table_slips()
    for name in fd.FDIVERGENCES:
        def divergence(name=name):
            import gantheory as gt

            ref = _gauss_references()[name]
            value = gt.f_divergence(stats.norm(P_MU, P_S), stats.norm(Q_MU, Q_S), name)
            return Outcome.numeric(ref, value, _tol(ref))

        claims.append(Claim("Nowozin et al. 2016, Table 1", f"D_f({pair}), {name}, by quadrature in log space",
                            REFERENCE_SOURCE[name], divergence, integrand_slips[name]))
    for name in fd.FDIVERGENCES:
        def bound(name=name):
            import gantheory as gt

            p, q = stats.norm(P_MU, P_S), stats.norm(Q_MU, Q_S)
            ref = _gauss_references()[name]
            return Outcome.numeric(ref, gt.variational_bound(gt.optimal_critic(p, q, name), p, q, name), _tol(ref))

        claims.append(Claim("Nowozin et al. 2016, eq. (4)-(5)",
                            f"E_P T* - E_Q f*(T*) = D_f at T* = f'(p/q), {name}, {pair}",
                            REFERENCE_SOURCE[name], bound, conjugate_slips[name]))
    claims.append(Claim("Nowozin et al. 2016, eq. (4)", "no perturbed critic g_f(V* + a tanh x + b) beats T*: "
                        "largest (bound - D_f) / max(1, D_f) over 8 divergences, 3 pairs, 4 perturbations",
                        "D_f (closed forms, mpmath)", _no_critic_beats_the_optimal,
                        _row_defect("pearson", "f*(t) typed 0.05 too small", conjugate_activation=lambda v, m:
                                    m.where(v >= -2, v + v**2 / 4, -1) - 0.05)))
    claims.append(Claim("Nowozin et al. 2016, Table 2; eq. (6)", "GAN row at T = log D (D = expit(0.3x - 1)) "
                        "gives the value function V(D, G) of eq. (6)", "tanh-sinh: E_p log D + E_q log(1 - D)",
                        _gan_bound_is_the_value_function,
                        _row_defect("gan", "f*(t) = -log(1 - e^t) evaluated as softplus(-v)",
                                    conjugate_activation=lambda v, m: m.softplus(-v))))
    claims.append(Claim("Nowozin et al. 2016, Table 1; eq. (9)", f"the GAN divergence is C(G) = 2 JS - log 4, {pair}",
                        "mpmath JS, 25 digits", lambda: _gan_is_eq9(), integrand_slips["gan"]))
    claims.append(Claim("f-GAN, infinite divergences", "Neyman chi2 of N(0,1) against N(1, 1.5^2) is inf (log(q^2/p) "
                        "~ +x^2/18), not the ~1e23 of naive quadrature", "analysis: -2/(2*1.5^2) + 1/2 = 1/18 > 0",
                        _neyman_is_infinite,
                        Defect("naive quadrature: tails not analysed (every end taken to converge), the line cut at the "
                               "1e-30 quantiles",
                               _naive_quadrature)))
    claims.append(Claim("f-GAN through the pipeline (issue 10)", "Pearson chi2 of U(0,1) against the arcsine law "
                        "beta(1/2, 1/2): its integrand ~ x^-1/2 at both edges, finite; and inf the other way "
                        "((p - q)^2/q ~ 1/(pi^2 x))", "closed form pi^2/8 - 1 = int pi sqrt(x(1-x)) - 1",
                        _pearson_at_a_singular_edge,
                        Defect("the verdicts at singular edges ignored: every edge taken to converge",
                               _trusted_verdicts)))
    for name in fd.FDIVERGENCES:
        def derived(name=name):
            from gantheory import conjugates

            d = conjugates.derivation(name)
            held = sum(c.holds for c in d.checks)
            failed = [c.claim for c in d.checks if not c.holds]
            computed = f"{held} of {len(d.checks)} hold" + (f" (failed: {failed[0]})" if failed else "")
            return Outcome.exact("sympy proves every entry", computed, d.verified)

        claims.append(Claim("Nowozin et al. 2016, Table 2", f"{name}: f* derived by sympy as sup_u [t u - f(u)], T* as "
                            "argmax, g_f, domain, range: every table entry proved equal", "sympy, from f alone",
                            derived, table_slips[name]))
    claims.append(Claim("erratum, Nowozin et al. 2016, Table 1", "the JS row's generator f = u log u - (u+1) "
                        "log((1+u)/2) gives 2 JS, not the 1/2-weighted JS of its definition column: "
                        "D_f_paper / JS at N(0,1) || N(2,1)", "sympy on the two integrands: 2",
                        _nowozin_js_factor,
                        Defect("the paper's generator halved before integrating (as if Table 1 were right)",
                               lambda: mock.patch("gantheory.fdivergences.NOWOZIN_JS",
                                                  replace(fd.NOWOZIN_JS, f=fd.FDIVERGENCES["js"].f)))))
    return claims


@shared
def _bound_battery() -> list[tuple[object, object, dict]]:
    """Three pairs with all eight divergences finite, with closed-form or mpmath references."""
    pairs = [((0.0, 1.0), (0.5, 0.8)), ((0.0, 1.0), (-1.0, 0.9)), ((1.0, 0.7), (0.0, 0.6))]
    out = []
    for (m1, s1), (m2, s2) in pairs:
        args = (m1, s1, m2, s2)
        js = _mp_js(_mp_norm(m1, s1), _mp_norm(m2, s2), [-mp.inf, -10, -3, -1, 0, 1, 3, 10, mp.inf])
        refs = {"kl": _kl_gauss(*args), "reverse-kl": _kl_gauss(m2, s2, m1, s1), "pearson": _chi2_gauss(*args),
                "neyman": _chi2_gauss(m2, s2, m1, s1),
                "squared-hellinger": 2 - 2 * math.sqrt(2 * s1 * s2 / (s1**2 + s2**2)) * math.exp(-((m1 - m2) ** 2)
                                                                                               / (4 * (s1**2 + s2**2))),
                "js": js, "gan": 2 * js - 2 * LOG2, "tv": _tv_gauss(*args)}
        out.append((stats.norm(m1, s1), stats.norm(m2, s2), refs))
    return out


class _Perturbed:
    def __init__(self, critic, a: float, b: float) -> None:
        self.critic, self.a, self.b = critic, a, b

    def __call__(self, x):
        return self.critic.divergence.activation(self.pre_activation(x), np)

    def pre_activation(self, x):
        return self.critic.pre_activation(x) + self.a * np.tanh(x) + self.b


def _no_critic_beats_the_optimal() -> Outcome:
    import gantheory as gt
    from gantheory import fdivergences as fd

    worst = -math.inf
    for p, q, refs in _bound_battery():
        for name in fd.FDIVERGENCES:
            critic = gt.optimal_critic(p, q, name)
            for a, b in ((0.3, 0.0), (0.0, -0.2), (-0.5, 0.1), (0.0, 0.0)):
                # Relative above 1, as every claim here (Pearson's 82 is integrated to 1e-13 relative).
                excess = gt.variational_bound(_Perturbed(critic, a, b), p, q, name) - refs[name]
                worst = max(worst, excess / max(1.0, abs(refs[name])))
    return Outcome.bound(TOL, worst)


def _gan_bound_is_the_value_function() -> Outcome:
    import gantheory as gt

    class Logistic:
        def logit(self, x):
            return 0.3 * x - 1.0

        def __call__(self, x):
            return special.expit(self.logit(x))

        pre_activation = logit

    from gantheory.report import independent

    D, p, q = Logistic(), stats.norm(0, 1), stats.laplace(1, 2)
    reference = (independent.expectation(p, lambda x, lp, lq: special.log_expit(D.logit(x)))
                 + independent.expectation(q, lambda x, lp, lq: special.log_expit(-D.logit(x))))
    return Outcome.numeric(reference, gt.variational_bound(D, p, q, "gan"), TOL)


def _gan_is_eq9() -> Outcome:
    import gantheory as gt

    ref = _gauss_references()["gan"]
    return Outcome.numeric(ref, gt.f_divergence(stats.norm(P_MU, P_S), stats.norm(Q_MU, Q_S), "gan"), TOL)


@contextlib.contextmanager
def _trusted_verdicts() -> Iterator[None]:
    from dataclasses import replace as replaced

    from gantheory import integrals

    original = integrals.tail_verdict

    def trusting(*args, **kwargs):  # every end taken to converge, its ladder never read
        return replaced(original(*args, **kwargs), converges=True)

    with mock.patch.object(integrals, "tail_verdict", trusting):
        yield


@contextlib.contextmanager
def _naive_quadrature() -> Iterator[None]:
    from gantheory import integrals

    original = integrals.integrate

    def truncated(integrand, breaks, **kwargs):  # the line cut at the outermost finite breakpoints
        breaks = np.array(breaks, dtype=np.float64)
        for row in np.atleast_2d(breaks):
            finite = row[np.isfinite(row)]
            row[:] = np.clip(row, finite.min(), finite.max()) if finite.size else row
        return original(integrand, breaks, **kwargs)

    with _trusted_verdicts(), mock.patch.object(integrals, "integrate", truncated):
        yield


def _pearson_at_a_singular_edge() -> Outcome:
    import gantheory as gt

    u, arcsine = stats.uniform(0, 1), stats.beta(0.5, 0.5)
    value = gt.f_divergence(u, arcsine, "pearson")
    if gt.f_divergence(arcsine, u, "pearson") != math.inf:
        return Outcome.exact("inf the other way", "finite the other way", False)
    return Outcome.numeric(math.pi**2 / 8 - 1, value, TOL)


def _neyman_is_infinite() -> Outcome:
    import warnings

    import gantheory as gt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # under the defect the quadrature warns before returning ~1e13
        value = gt.f_divergence(stats.norm(0, 1), stats.norm(1, 1.5), "neyman")
    return Outcome.exact("inf", repr(value), value == math.inf)


def _nowozin_js_factor() -> Outcome:
    from gantheory import conjugates
    from gantheory import fdivergences as fd

    p, q = stats.norm(0, 1), stats.norm(2, 1)
    # q f_paper(p/q) evaluated plainly and integrated by QUADPACK; JS from its definition by mpmath.
    paper = scipy_integrate.quad(lambda x: q.pdf(x) * fd.NOWOZIN_JS.f(p.pdf(x) / q.pdf(x), np), -20, 22,
                                 epsabs=1e-14, epsrel=1e-13, limit=200)[0]
    js = _mp_js(_mp_norm(0, 1), _mp_norm(2, 1), [-mp.inf, -5, 0, 1, 2, 7, mp.inf])
    return Outcome.numeric(float(conjugates.nowozin_js_factor()), paper / js, 1e-12)


# --- WGAN --------------------------------------------------------------------------------------


def _w1_gauss(m1: float, s1: float, m2: float, s2: float) -> float:
    """E|a + bZ|, a = m1 - m2, b = s1 - s2: the comonotone coupling of two Gaussians."""
    a, b = m1 - m2, abs(s1 - s2)
    if b == 0:
        return abs(a)
    c = a / b
    return b * (c * (2 * special.ndtr(c) - 1) + 2 * math.exp(-c * c / 2) / math.sqrt(2 * math.pi))


def _no_abs() -> Defect:
    return Defect("|F_P - F_Q| integrated without the absolute value",
                  lambda: mock.patch("gantheory.wasserstein._magnitude", lambda d: d))


def wgan() -> list[Claim]:
    """W1 and WGAN's Example 1 (Arjovsky, Chintala & Bottou 2017)."""
    import gantheory as gt

    claims = []

    def gaussian() -> Outcome:
        ref = _w1_gauss(0.7, 1.1, 0.0, 1.5)
        return Outcome.numeric(ref, gt.wasserstein1(stats.norm(0.7, 1.1), stats.norm(0, 1.5)), TOL)

    claims.append(Claim("Arjovsky et al. 2017, eq. (1)", "W1(N(0.7, 1.1^2), N(0, 1.5^2)) from CDFs and survival functions",
                        "closed form E|a + bZ|", gaussian, _no_abs()))

    def quantile() -> Outcome:
        p, q = stats.laplace(0.3, 0.8), stats.t(4, loc=-0.5)
        opts = dict(limit=500, epsabs=1e-14, epsrel=1e-13)
        ref = (scipy_integrate.quad(lambda u: abs(p.ppf(u) - q.ppf(u)), 0, 0.5, **opts)[0]
               + scipy_integrate.quad(lambda u: abs(p.isf(u) - q.isf(u)), 0, 0.5, **opts)[0])
        return Outcome.numeric(ref, gt.wasserstein1(p, q), 1e-12)

    claims.append(Claim("Arjovsky et al. 2017, eq. (1), 1-D", "W1(Laplace(0.3, 0.8), t4(-0.5)) = int_0^1 |F_P^-1 - "
                        "F_Q^-1| du (the quantile form)", "QUADPACK on the quantile form", quantile, _no_abs()))

    def duality() -> Outcome:
        p, q = stats.norm(0, 1), stats.norm(1, 1.5)
        f = gt.wasserstein1_critic(p, q)
        opts = dict(epsabs=1e-14, epsrel=1e-13, limit=200, points=list(f.crossings))
        gap = scipy_integrate.quad(lambda x: (p.pdf(x) - q.pdf(x)) * float(f(x)), -40, 40, **opts)[0]
        return Outcome.numeric(_w1_gauss(0, 1, 1, 1.5), gap, 1e-12)

    claims.append(Claim("Arjovsky et al. 2017, eq. (2)", "the critic of slope sign(F_Q - F_P) attains W1 = E_P f - E_Q f "
                        "(Kantorovich-Rubinstein), N(0,1) vs N(1, 1.5^2)", "closed form; E_P f - E_Q f by QUADPACK",
                        duality, Defect("critic slope sign(F_P - F_Q), flipped",
                                        lambda: mock.patch("gantheory.wasserstein._slope",
                                                           lambda d: np.where(d <= 0, -1.0, 1.0)))))
    def far() -> Outcome:
        return Outcome.numeric(math.sqrt(2 / math.pi), gt.wasserstein1(stats.norm(1e16, 1), stats.norm(1e16, 2)), TOL)

    claims.append(Claim("Arjovsky et al. 2017, eq. (1); issue 10", "W1(N(1e16, 1), N(1e16, 2)) = E|Z| (far "
                        "locations: distribution functions in each density's own frame)", "closed form sqrt(2/pi)",
                        far, Defect("distribution functions evaluated at the rounded abscissa x = 1e16 + y",
                                    _cdfs_at_rounded_x)))
    theta = np.linspace(-2.0, 2.0, 41)
    u = stats.uniform(0, 1)

    def example_w1() -> Outcome:
        return Outcome.numeric(0.0, float(np.max(np.abs(gt.wasserstein1_curve(u, u, theta) - np.abs(theta)))), 1e-14)

    claims.append(Claim("Arjovsky et al. 2017, Example 1", "U[0,1] vs U[theta, 1+theta]: W1 = |theta| (largest "
                        "deviation, 41 theta in [-2, 2]): it never saturates", "closed form |theta|", example_w1,
                        _no_abs()))
    overlap = np.minimum(np.abs(theta), 1.0)

    def example_js() -> Outcome:
        return Outcome.numeric(0.0, float(np.max(np.abs(gt.f_divergence_curve(u, u, theta, "js") - overlap * LOG2))),
                               1e-15)

    claims.append(Claim("Arjovsky et al. 2017, Example 1", "the same: JS = min(|theta|, 1) log 2, flat at log 2 "
                        "beyond |theta| = 1 (largest deviation)", "closed form", example_js, _integrand_slips()["js"]))

    def example_tv() -> Outcome:
        return Outcome.numeric(0.0, float(np.max(np.abs(gt.f_divergence_curve(u, u, theta, "tv") - overlap))), 1e-15)

    claims.append(Claim("Arjovsky et al. 2017, Example 1", "the same: TV = min(|theta|, 1) (largest deviation)",
                        "closed form", example_tv, _integrand_slips()["tv"]))

    def example_kl() -> Outcome:
        smallest = float(np.min(gt.f_divergence_curve(u, u, theta[theta != 0], "kl")))
        return Outcome.exact("inf", repr(smallest), smallest == math.inf)

    claims.append(Claim("Arjovsky et al. 2017, Example 1", "the same: KL = inf for every theta != 0 (smallest value "
                        "over the 40)", "p > 0 where q = 0", example_kl, _integrand_slips()["kl"]))

    def saturating_gaussians() -> Outcome:
        value = gt.f_divergence(stats.norm(0, 0.01), stats.norm(1, 0.01), "js")
        return Outcome.numeric(LOG2, value, 0.0)

    claims.append(Claim("Arjovsky et al. 2017, sec. 2; article sec. 6.1", "N(0, 0.01^2) vs N(1, 0.01^2): JS = log 2 "
                        "exactly (the overlap e^-1250 underflows) while W1 = 1", "closed form", saturating_gaussians,
                        _integrand_slips()["js"]))
    return claims


def _cdfs_at_rounded_x() -> contextlib.AbstractContextManager:
    """F_P - F_Q from the atoms' loc and scale at x = c + h y in the caller's coordinates, as a
    direct implementation would: at 1e16 the abscissae are multiples of 2."""
    from gantheory import integrals

    def difference(self, y, rows):
        x = self._x(y, rows)
        cdf, sf = [np.zeros(y.shape), np.zeros(y.shape)], [np.zeros(y.shape), np.zeros(y.shape)]
        for slot in self.slots:
            a = slot.atom
            weight = np.exp(a.log_weight[self.row_problem[rows]])[:, None]
            loc, scale = a.loc[self.row_problem[rows]][:, None], a.scale[self.row_problem[rows]][:, None]
            cdf[slot.density] += weight * a.family.cdf((x - loc) / scale, *a.shapes)
            sf[slot.density] += weight * a.family.sf((x - loc) / scale, *a.shapes)
        left = cdf[0] + cdf[1] <= sf[0] + sf[1]
        return np.where(left, cdf[0] - cdf[1], sf[1] - sf[0])

    return mock.patch.object(integrals.Plan, "distribution_difference", difference)


# --- instance noise ----------------------------------------------------------------------------


def instance_noise() -> list[Claim]:
    """The uniform * Gaussian density, JS under noise, and the gradient it restores (Arjovsky & Bottou 2017)."""
    import gantheory as gt
    from gantheory import noise

    claims = []
    xs = (-60.0, -3.0, -0.4, 0.0, 0.3, 0.5, 1.2, 2.5, 40.0)

    def log_density() -> Outcome:
        d = gt.instance_noise(stats.uniform(0, 1), 0.1)
        worst = 0.0
        with mp.workdps(40):
            pdf = _mp_noisy_uniform(0, 1, 0.1)
            for x in xs:
                ref = float(mp.log(pdf(mp.mpf(x))))
                worst = max(worst, abs(float(d.logpdf(x)) - ref) / max(1.0, abs(ref)))
        return Outcome.numeric(0.0, worst, 1e-14)

    claims.append(Claim("Arjovsky & Bottou 2017, sec. 3", "U(0,1) * N(0, 0.1^2): log-density in closed form, largest "
                        "relative error at x from -60 (density 1e-78000) to 40", "mpmath erfc, 40 digits", log_density,
                        Defect("log(ndtr(z)) for log_ndtr(z): the tails underflow",
                               lambda: mock.patch("gantheory.noise.special.log_ndtr", _log_of_ndtr))))

    def log_cdf() -> Outcome:
        d = gt.instance_noise(stats.uniform(0, 1), 0.1)
        worst = 0.0
        with mp.workdps(80):
            for x in xs:
                a, b = mp.mpf(x) / mp.mpf("0.1"), (mp.mpf(x) - 1) / mp.mpf("0.1")
                g = lambda z: z * mp.ncdf(z) + mp.npdf(z)  # noqa: E731
                ref = float(mp.log(mp.mpf("0.1") * (g(a) - g(b))))
                worst = max(worst, abs(float(d.logcdf(x)) - ref) / max(1.0, abs(ref)))
        return Outcome.numeric(0.0, worst, 1e-14)

    claims.append(Claim("Arjovsky & Bottou 2017, sec. 3", "the same: log CDF = log eps[G(x/eps) - G((x-1)/eps)], "
                        "G(z) = z Phi(z) + phi(z), largest relative error", "mpmath, 80 digits", log_cdf,
                        Defect("continued fraction for G truncated at 5 terms",
                               lambda: mock.patch("gantheory.noise._CF_DEPTHS",
                                                  ((2.0, np.inf, 5),)))))

    def noisy_js() -> Outcome:
        p = gt.instance_noise(stats.uniform(0, 1), 0.3)
        q = gt.instance_noise(stats.uniform(1.5, 1), 0.3)
        ref = _mp_js(_mp_noisy_uniform(0, 1, 0.3), _mp_noisy_uniform(1.5, 1, 0.3),
                     [-mp.inf, -3, -1, 0, 0.5, 1, 1.25, 1.5, 2, 2.5, 3.5, 5.5, mp.inf])
        return Outcome.numeric(ref, gt.js_divergence(p, q), TOL)

    claims.append(Claim("Arjovsky & Bottou 2017, sec. 3", "disjoint U(0,1) and U(1.5, 2.5), noise eps = 0.3: JS of the "
                        "noisy densities, below log 2", "mpmath, definition, 25 digits", noisy_js,
                        Defect("noise variance eps for eps^2", lambda: mock.patch(
                            "gantheory.noise.uniformnorm", _ScaledFamily(noise.uniformnorm)))))

    def gradient() -> Outcome:
        # Noisy Gaussians are Gaussians: the saturating gradient under the noisy D* is 2 dJS/dtheta,
        # with the slope from js_curve (its own rule) at the combined scale.
        s = math.hypot(1.0, 0.5)
        p = gt.instance_noise(stats.norm(0, 1), 0.5)
        theta = np.array([0.5, 2.0, 6.0])
        from gantheory.report import independent

        saturating, _ = noise.shift_gradients(p, p, theta)
        slope = np.array([independent.gaussian_js_slope(t, s) for t in theta])
        return Outcome.numeric(0.0, float(np.max(np.abs(saturating - 2 * slope))), 1e-12)

    claims.append(Claim("Goodfellow et al. 2014 + Arjovsky & Bottou 2017, sec. 3", "under instance noise the "
                        "generator's saturating gradient through the noisy D* is 2 dJS/dtheta (N(0,1) * N(0, 0.5^2), "
                        "theta = 0.5, 2, 6)", "tanh-sinh dJS/dtheta under the integral", gradient,
                        Defect("score with the wrong sign", lambda: mock.patch(
                            "gantheory.noise.score", _negated(noise.score)))))

    def restored() -> Outcome:
        p = gt.instance_noise(stats.uniform(0, 1), 0.3)
        theta = np.array([2.0])
        from gantheory.report import independent

        saturating, _ = noise.shift_gradients(p, p, theta)
        h = 1e-4
        js = [independent.js(p, gt.instance_noise(stats.uniform(2.0 + e, 1), 0.3)) for e in (-h, h)]
        return Outcome.numeric((js[1] - js[0]) / h, float(saturating[0]), 1e-7)

    claims.append(Claim("Arjovsky & Bottou 2017, sec. 3", "disjoint uniforms 1 apart (theta = 2), eps = 0.3: the "
                        "saturating gradient is 2 dJS/dtheta, not 0 as without noise", "central difference of tanh-sinh "
                        "JS, h = 1e-4 (error ~1e-9)", restored,
                        Defect("score with the wrong sign", lambda: mock.patch(
                            "gantheory.noise.score", _negated(noise.score)))))
    return claims


def _log_of_ndtr(z):
    with np.errstate(divide="ignore"):
        return np.log(special.ndtr(z))


class _ScaledFamily:
    """uniformnorm with the relative noise s squared: the defect 'variance eps for eps^2'."""

    def __init__(self, family) -> None:
        self.family = family

    def __call__(self, s, **kwargs):
        return self.family(math.sqrt(s * kwargs.get("scale", 1.0)) / kwargs.get("scale", 1.0), **kwargs)


def _negated(function):
    return lambda *args, **kwargs: -function(*args, **kwargs)
