"""Claims about the article's errata (DESIGN.md section 1), each shown on the code that gets it right.

- The binary cross-entropy is printed without its minus sign: gantheory's discriminator loss is
  the negative Bernoulli log-likelihood, checked against ``scipy.stats.bernoulli``.
- Eq. (4) keeps a term, :math:`\\log D(x)`, in which the generator does not occur: Algorithm 1's
  generator step drops it, and its gradient equals the gradient of the whole of eq. (4), which
  is differentiated numerically here with both terms in it.
The other errata are claims of the sections whose computations they need: Algorithm 1's noise
prior (:math:`p_z`, printed as :math:`p_g`) of the "gan" section, which trains the generators it
feeds; the Figure 3 erratum (0.336) and the distances at which JS reads 0.693 of "curves".
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from gantheory.report import Claim, Outcome
from gantheory.report import defects as D
from gantheory.report import independent as I

__all__ = ["claims"]


def _bce() -> Outcome:
    from gantheory.gan.losses import discriminator_loss

    rng = np.random.default_rng(0)
    s_real, s_fake = rng.normal(1.0, 2.0, (4, 50)), rng.normal(-1.0, 2.0, (4, 70))
    # The negative log-likelihood of y = 1 on data and y = 0 on generated samples, D = expit(s).
    reference = -(stats.bernoulli.logpmf(1, special.expit(s_real)).mean(axis=-1)
                  + stats.bernoulli.logpmf(0, special.expit(s_fake)).mean(axis=-1))
    computed = discriminator_loss(s_real, s_fake)
    worst = float(np.max(np.abs(computed - reference) / np.abs(reference)))
    return Outcome.numeric(0.0, worst, 1e-12)


# Eq. (4) at a discriminator that is not optimal: D(x) = expit(a x^2 + b x + c), data N(0, 1).
PSI = np.array([-0.2, 0.8, 0.3])
THETA = (1.0, 1.5)
STEP = 1e-3  # the 5-point difference: truncation ~ h^4 f^(5)/30 ~ 1e-13, rounding ~ 1e-15/h ~ 1e-12


def _eq4_objective(mu: float, sigma: float) -> float:
    """V(D, G) of eq. (4), both terms, by tanh-sinh: E_{x ~ N(0,1)} log D(x) + E_z log(1 - D(mu + sigma z))."""
    a, b, c = PSI

    def log_d(x: np.ndarray) -> np.ndarray:
        return special.log_expit(a * x * x + b * x + c)

    def log_one_minus_d(x: np.ndarray) -> np.ndarray:
        return special.log_expit(-(a * x * x + b * x + c))

    return I.normal_expectation(log_d) + I.normal_expectation(lambda z: log_one_minus_d(mu + sigma * z))


def _eq4() -> Outcome:
    from gantheory.report.gan import expected_gradient

    mu, sigma = THETA
    h = STEP
    reference = []
    for direction in (np.array([1.0, 0.0]), np.array([0.0, 1.0])):
        values = [_eq4_objective(*(np.array(THETA) + k * h * direction)) for k in (-2, -1, 1, 2)]
        reference.append((values[0] - 8 * values[1] + 8 * values[2] - values[3]) / (12 * h))
    computed = expected_gradient(mu, sigma, "minimax", PSI)
    worst = float(np.max(np.abs(computed - np.array(reference))))
    return Outcome.numeric(0.0, worst, 1e-9)


def claims() -> list[Claim]:
    """The section "errata": the binary cross-entropy's sign and eq. (4)."""
    return [
        Claim("erratum, sec. 3", "the binary cross-entropy needs its minus sign: gantheory's discriminator "
              "loss is -[mean log D(x) + mean log(1 - D(G(z)))], the negative log-likelihood that training "
              "minimizes (the printed form would be maximized): largest relative deviation on random logits",
              "-log Bernoulli(y; D) from scipy.stats.bernoulli, y = 1 on data, 0 on generated samples",
              _bce, D.BCE_AS_PRINTED),
        Claim("erratum, eq. (4)", "eq. (4)'s term log D(x) does not involve G: the NumPy GAN's minimax generator "
              "gradient (log(1 - D(G(z))) only, averaged over p_z) equals the gradient of the whole of eq. (4) "
              f"at a non-optimal D, G = N({THETA[0]:g}, {THETA[1]:g}^2): largest deviation",
              "5-point differences of both terms of eq. (4), each by tanh-sinh (scipy)", _eq4, D.G_ASCENDS),
    ]
