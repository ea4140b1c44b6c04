"""The realistic bugs that the report's claims must catch, each injected into the code it concerns.

Every :class:`~gantheory.report.Defect` here patches one module attribute that a computation under
test reads (with :func:`unittest.mock.patch`), so that the computation itself carries the bug: a
dropped factor, a swapped argument, a "stability" epsilon, a node missing from a quadrature rule,
a flipped sign in a hand-derived gradient. None touches a reference value. The attributes patched
are few and listed in :data:`PATCHED`, so that a change of those names elsewhere is noticed
(``tests/test_report.py`` checks that each still exists).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import numpy as np

from gantheory.report import Defect

__all__ = ["PATCHED"]

#: Every "module:attribute" that a defect of this module patches.
PATCHED = (
    "gantheory.curves:_WEIGHTS",
    "gantheory.curves:_REACH",
    "gantheory.divergences:OptimalDiscriminator.logit",
    "gantheory.divergences:js_integrand",
    "gantheory.divergences:kl_integrand",
    "gantheory.divergences:value_integrand",
    "gantheory.fdivergences:FDIVERGENCES",  # report/fgan.py: a slip in one row of the table
    "gantheory.fdivergences:NOWOZIN_JS",
    "gantheory.gan.losses:discriminator_loss",
    "gantheory.gan.models:AffineKernel.backward",
    "gantheory.gan.models:MLPKernel.backward",
    "gantheory.gan.models:MLPKernel.backward_slope",
    "gantheory.gan.models:QuadraticKernel.backward",
    "gantheory.gan.models:QuadraticKernel.backward_input",
    "gantheory.gan.models:QuadraticKernel.backward_slope",
    "gantheory.gan.train:OPTIMIZERS",
    "gantheory.gan.train:TrainResult.sample",
    "gantheory.gan.train:_instance_noise",
    "gantheory.gan.train:critic_loss_grad",
    "gantheory.gan.train:generator_loss_name",
    "gantheory.gan.train:gradient_penalty_grad",
    "gantheory.gan.train:member_rng",
    "gantheory.integrals:Plan.distribution_difference",  # report/fgan.py: W1 at rounded abscissae
    "gantheory.integrals:integrate",  # report/fgan.py: naive quadrature (ends cut, verdicts ignored)
    "gantheory.integrals:tail_verdict",
    "gantheory.symbolic:gaussian_density",
    "gantheory.symbolic:gibbs",
    "gantheory.symbolic:mixture",
    "gantheory.symbolic:pointwise_value",
    "gantheory.wasserstein:_magnitude",  # report/fgan.py: |F_P - F_Q| without the absolute value
    "gantheory.wasserstein:_slope",
)


def _target(path: str) -> tuple[Any, str]:
    """The object holding the attribute ``module:Class.attribute`` (or ``module:attribute``), and its name."""
    module, _, dotted = path.partition(":")
    owner: Any = importlib.import_module(module)
    *parents, name = dotted.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    return owner, name


def _patch(path: str, make: Callable[[Any], Any]) -> Callable[[], contextlib.AbstractContextManager]:
    """An ``inject`` that replaces the attribute at ``path`` by ``make(original)``."""
    if path not in PATCHED:
        raise ValueError(f"{path!r} is not listed in PATCHED")

    def inject() -> contextlib.AbstractContextManager:
        owner, name = _target(path)
        return mock.patch.object(owner, name, make(getattr(owner, name)))

    return inject


def defect(name: str, path: str, make: Callable[[Any], Any]) -> Defect:
    """A :class:`~gantheory.report.Defect` named ``name`` that patches ``path`` with ``make(original)``."""
    return Defect(name, _patch(path, make))


def symbolic_defect(name: str, path: str, make: Callable[[Any], Any]) -> Defect:
    """Like :func:`defect`, for a definition of :mod:`gantheory.symbolic`: its caches are cleared around it."""
    patch = _patch(path, make)

    @contextlib.contextmanager
    def inject() -> Iterator[None]:
        from gantheory import symbolic

        symbolic.cache_clear()
        try:
            with patch():
                yield
        finally:
            symbolic.cache_clear()

    return Defect(name, inject)


# --- gantheory.curves ----------------------------------------------------------------------------

def _drop_node(weights: np.ndarray) -> np.ndarray:
    out = weights.copy()
    out[4] = 0.0  # one interior node of the 12-point Gauss-Legendre rule
    return out


CURVE_NODE_DROPPED = defect("a Gauss-Legendre node dropped from js_curve's 12-point rule",
                            "gantheory.curves:_WEIGHTS", _drop_node)
CURVE_DOMAIN_CUT = defect("js_curve integrates the Gaussian factor to 4 sigma instead of 10 (a truncated domain)",
                          "gantheory.curves:_REACH", lambda reach: 4.0)


# --- gantheory.divergences -------------------------------------------------------------------------

def _logit(change: Callable[[np.ndarray], np.ndarray]) -> Callable[[Any], Any]:
    def make(original: Callable) -> Callable:
        def logit(self: Any, x: Any) -> np.ndarray:
            return change(original(self, x))
        return logit
    return make


D_STAR_OFFSET = defect("the logit of D* off by 1e-6", "gantheory.divergences:OptimalDiscriminator.logit",
                       _logit(lambda s: s + 1e-6))
D_STAR_SWAPPED = defect("D* with p_data and p_g swapped (logit log p_g - log p_data)",
                        "gantheory.divergences:OptimalDiscriminator.logit", _logit(lambda s: -s))
D_STAR_CLAMPED = defect("the logit of D* clamped to [-30, 30] 'for stability'",
                        "gantheory.divergences:OptimalDiscriminator.logit", _logit(lambda s: np.clip(s, -30.0, 30.0)))


def _js_integrand_epsilon(original: Callable) -> Callable:
    def js_integrand(log_p: np.ndarray, log_q: np.ndarray) -> np.ndarray:
        # log(1 + q/p + eps) for softplus(log q - log p): the "stability" epsilon of naive code.
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            p, q = np.exp(log_p), np.exp(log_q)
            term_p = np.where(p > 0, p * np.log(1.0 + np.exp(log_q - log_p) + 1e-12), 0.0)
            term_q = np.where(q > 0, q * np.log(1.0 + np.exp(log_p - log_q) + 1e-12), 0.0)
        return 0.5 * (term_p + term_q)
    return js_integrand


JS_HALF_DROPPED = defect("the factor 1/2 dropped from the JS integrand",
                         "gantheory.divergences:js_integrand", lambda original: lambda lp, lq: 2.0 * original(lp, lq))
JS_EPSILON = defect("a 'stability' epsilon in the JS integrand: log(1 + q/p + 1e-12)",
                    "gantheory.divergences:js_integrand", _js_integrand_epsilon)
KL_IN_BITS = defect("log2 for the natural log in the KL integrand",
                    "gantheory.divergences:kl_integrand", lambda original: lambda lp, lq: original(lp, lq) / np.log(2.0))
VALUE_DATA_TWICE = defect("p_data weights both terms of eq. (6)'s integrand (copy-paste: p log D + p log(1 - D))",
                          "gantheory.divergences:value_integrand",
                          lambda original: lambda lp, lq, ld, l1d: original(lp, lp, ld, l1d))
VALUE_TERM_DROPPED = defect("the p_g term of eq. (6)'s integrand dropped",
                            "gantheory.divergences:value_integrand",
                            lambda original: lambda lp, lq, ld, l1d: original(lp, np.full_like(lq, -np.inf), ld, l1d))


# --- gantheory.symbolic ----------------------------------------------------------------------------

OBJECTIVE_SWAPPED = symbolic_defect(
    "p_data and p_g swapped in the pointwise objective: p_g log D + p_data log(1 - D)",
    "gantheory.symbolic:pointwise_value", lambda original: lambda p, q, d: original(q, p, d))
MIXTURE_HALF_DROPPED = symbolic_defect("the mixture m = p_data + p_g, its 1/2 dropped",
                                       "gantheory.symbolic:mixture", lambda original: lambda p, q: p + q)
GIBBS_ONE_DROPPED = symbolic_defect("Gibbs' function t log t - t, its + 1 dropped",
                                    "gantheory.symbolic:gibbs", lambda original: lambda u: original(u) - 1)


def _density_variance_for_std(original: Callable) -> Callable:
    import sympy as sp

    def gaussian_density(mean: Any, std: Any) -> Any:
        from gantheory.symbolic import x
        return sp.exp(-((x - mean) ** 2) / (2 * std**2)) / (std**2 * sp.sqrt(2 * sp.pi))
    return gaussian_density


def _density_two_dropped(original: Callable) -> Callable:
    import sympy as sp

    def gaussian_density(mean: Any, std: Any) -> Any:
        from gantheory.symbolic import x
        return sp.exp(-((x - mean) ** 2) / std**2) / (std * sp.sqrt(2 * sp.pi))
    return gaussian_density


DENSITY_VARIANCE = symbolic_defect("the Gaussian density normalized by sigma^2 instead of sigma",
                                   "gantheory.symbolic:gaussian_density", _density_variance_for_std)
DENSITY_TWO_DROPPED = symbolic_defect("the 2 dropped from the Gaussian exponent: exp(-(x - mu)^2 / sigma^2)",
                                      "gantheory.symbolic:gaussian_density", _density_two_dropped)


# --- the NumPy GAN (gantheory.gan) ------------------------------------------------------------------

def _bias_gradient_dropped(original: Callable) -> Callable:
    def backward(self: Any, psi: np.ndarray, d_s: np.ndarray) -> np.ndarray:
        grads = np.array(original(self, psi, d_s))
        grads[:, 2] = 0.0
        return grads
    return backward


def _input_gradient(change: str) -> Callable[[Callable], Callable]:
    def make(original: Callable) -> Callable:
        def backward_input(self: Any, psi: np.ndarray, d_s: np.ndarray) -> np.ndarray:
            if change == "sign":
                return -np.array(original(self, psi, d_s))
            return (self.x * psi[:, 0:1] + psi[:, 1:2]) * d_s  # a x + b for 2 a x + b
        return backward_input
    return make


def _generator_backward(component: slice) -> Callable[[Callable], Callable]:
    def make(original: Callable) -> Callable:
        def backward(self: Any, theta: np.ndarray, d_x: np.ndarray) -> np.ndarray:
            grads = np.array(original(self, theta, d_x))
            grads[:, component] *= -1.0
            return grads
        return backward
    return make


def _shared_noise(original: Callable) -> Callable:
    return lambda seed, member: original(seed, 0)


def _noise_from_p_g(original: Callable) -> Callable:
    def sample(self: Any, n: int, rng: np.random.Generator) -> np.ndarray:
        z = original(self, n, rng)  # "noise prior p_g(z)": the generator's own samples
        return self.generator.forward(self.theta, z.astype(self.theta.dtype))[0]
    return sample


D_BIAS_GRADIENT_DROPPED = defect("the bias c's gradient dropped from the quadratic discriminator's backward pass",
                                 "gantheory.gan.models:QuadraticKernel.backward", _bias_gradient_dropped)
D_INPUT_SIGN = defect("d logit/dx = 2 a x + b with its sign flipped (hand-derived backward pass)",
                      "gantheory.gan.models:QuadraticKernel.backward_input", _input_gradient("sign"))
D_INPUT_TWO_DROPPED = defect("the factor 2 dropped from d logit/dx = 2 a x + b (hand-derived backward pass)",
                             "gantheory.gan.models:QuadraticKernel.backward_input", _input_gradient("two"))
G_SIGMA_SIGN = defect("the generator's gradient for sigma, sum_i d_i z_i, with its sign flipped",
                      "gantheory.gan.models:AffineKernel.backward", _generator_backward(slice(1, 2)))
G_ASCENDS = defect("the generator's backward pass with its sign flipped: it ascends its loss",
                   "gantheory.gan.models:AffineKernel.backward", _generator_backward(slice(None)))
MEMBERS_SHARE_NOISE = defect("every ensemble member seeded alike: member_rng ignores the member",
                             "gantheory.gan.train:member_rng", _shared_noise)
NOISE_FROM_P_G = defect("the generator fed noise from p_g, as Algorithm 1 prints, instead of p_z",
                        "gantheory.gan.train:TrainResult.sample", _noise_from_p_g)
BCE_AS_PRINTED = defect("the discriminator's cross-entropy as the article prints it, without its minus sign",
                        "gantheory.gan.losses:discriminator_loss", lambda original: lambda sr, sf: -original(sr, sf))


# --- the regularized NumPy GAN (WGAN, penalties, instance noise) ------------------------------------

def _slope_gradient_a_halved(original: Callable) -> Callable:
    def backward_slope(self: Any, psi: np.ndarray, d_slope: np.ndarray) -> np.ndarray:
        grads = np.array(original(self, psi, d_slope))
        grads[:, 0] *= 0.5  # d(2ax + b)/da taken as x
        return grads
    return backward_slope


def _mlp_slope_w2_dropped(original: Callable) -> Callable:
    def backward_slope(self: Any, params: np.ndarray, d_slope: np.ndarray) -> np.ndarray:
        grads = np.array(original(self, params, d_slope))
        hidden = self.hidden
        grads[:, 2 * hidden: 3 * hidden] = 0.0  # ds'/dw2_j = w1_j (1 - h_j^2) forgotten
        return grads
    return backward_slope


def _noise_on_data_only(original: Callable) -> Callable:
    def instance_noise(x: np.ndarray, noise: Any, u: np.ndarray, *, generated: bool) -> None:
        if not generated:
            original(x, noise, u, generated=generated)
    return instance_noise


def _as_non_saturating(original: Callable) -> Callable:
    return lambda loss: "non-saturating" if original(loss) == "minimax" else original(loss)


def _sgd_without_momentum(original: dict) -> dict:
    sgd = original["sgd"]

    def step(params: np.ndarray, grads: np.ndarray, state: list, t: int, **hyper: Any) -> None:
        state[0][...] = 0.0  # the velocity buffer reset before every step: plain SGD
        sgd.step(params, grads, state, t, **hyper)

    return {**original, "sgd": type(sgd)(sgd.name, sgd.init, step)}


D_SLOPE_A_TWO_DROPPED = defect("the mixed derivative d(2ax + b)/da taken as x, not 2x (R1's hand-derived gradient)",
                               "gantheory.gan.models:QuadraticKernel.backward_slope", _slope_gradient_a_halved)
MLP_SLOPE_W2_DROPPED = defect("the MLP's mixed derivative without its w2 term, ds'/dw2_j = w1_j (1 - h_j^2)",
                              "gantheory.gan.models:MLPKernel.backward_slope", _mlp_slope_w2_dropped)
NOISE_ON_DATA_ONLY = defect("instance noise added to the data only, not to the generated samples",
                            "gantheory.gan.train:_instance_noise", _noise_on_data_only)
MINIMAX_AS_NON_SATURATING = defect("the minimax loss's logit gradient taken as -sigma(-s)/m, the non-saturating one's",
                                   "gantheory.gan.train:generator_loss_name", _as_non_saturating)
PENALTY_ASCENDED = defect("the gradient penalty's gradient with its sign flipped: the discriminator ascends it",
                          "gantheory.gan.train:gradient_penalty_grad",
                          lambda original: lambda slope, gamma, target=0.0: -original(slope, gamma, target))
CRITIC_ASCENDS = defect("the WGAN critic's loss with its sign flipped: it minimizes its estimate of W1",
                        "gantheory.gan.train:critic_loss_grad",
                        lambda original: lambda s_real, s_fake: tuple(-g for g in original(s_real, s_fake)))
GP_CENTERED_AT_ZERO = defect("WGAN-GP's penalty (|s'| - 1)^2 taken as s'^2: its target norm 1 dropped",
                             "gantheory.gan.train:gradient_penalty_grad",
                             lambda original: lambda slope, gamma, target=0.0: original(slope, gamma, 0.0))
MLP_BACKWARD_SIGN = defect("the MLP's backward pass with its sign flipped: both players ascend their losses",
                           "gantheory.gan.models:MLPKernel.backward",
                           lambda original: lambda self, *args, **kwargs: -np.asarray(original(self, *args, **kwargs)))
MOMENTUM_FORGOTTEN = defect("SGD's velocity reset before every step (momentum 0.9 silently plain SGD)",
                            "gantheory.gan.train:OPTIMIZERS", _sgd_without_momentum)
