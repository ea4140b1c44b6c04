"""Claims about the regularized NumPy GAN: R1, R2, WGAN, WGAN-GP and instance noise in ``gan.train``.

Three sections:

- ``regularized dynamics``: the sympy Jacobian of the affine-quadratic GAN with R1, instance noise
  and the WGAN critic against central differences of the gradients that gan.models and gan.losses
  back-propagate (two routes to one matrix), and the decay rates that the linearized SGD-momentum
  map predicts for R1 and instance noise against a damped cosine fitted to 64 runs;
- ``methods from afar``: every training method started 10 sigma from the data with a
  discriminator that has learned to reject the generated samples (section 6.1): which converge
  (WGAN-GP's penalty, centred at slope 1, keeps the mean circling; centred at 0 it converges);
- ``MLP pair``: why the MLP generator and discriminator do not learn N(4, 1.25^2) with SGD and
  momentum 0.9. At a stationary point of the expected field the linearized update map keeps 64 %
  of a kick to the mean after 20 000 iterations (a nearly rotational mode, lambda = -0.004 +-
  0.066i, sits at the heavy-ball step bound, which shrinks as (1 - momentum)^2); at the same
  effective step without momentum, or with R1 (gamma = 3), nothing of it is left. The members
  trained with those settings converge, those with the issue's do not.

References come from outside the code under test: sympy on the losses, closed forms (the
heavy-ball bound, the target's moments), fits to the runs with bootstrap errors.
:data:`BUDGET` sets the sizes, :data:`QUICK` for the test suite's falsification run.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np

from gantheory.report import Claim, Defect, Outcome, shared
from gantheory.report import defects as D
from gantheory.report.dynamics import ALLOWANCE, _momentum_dropped

__all__ = ["BUDGET", "FULL", "QUICK", "Budget", "dynamics", "methods", "mlp", "MLP_STATIONARY"]


@dataclass(frozen=True)
class Budget:
    """Sizes of the runs behind the claims."""

    oscillation_ensemble: int = 64  # runs fitted for the R1 and instance-noise decay rates
    methods_ensemble: int = 64  # members per method from 10 sigma
    mlp_ensemble: int = 16  # members of the MLP pair per setting


FULL = Budget()
QUICK = Budget(oscillation_ensemble=64, methods_ensemble=16, mlp_ensemble=8)
#: The sizes in use; the test suite sets :data:`QUICK` for its falsification run.
BUDGET = FULL

TARGET = (4.0, 1.25)
START = (4.0, 1.45)
STEPS, LOG_EVERY, FIT_FROM = 6000, 10, 500


# --- the Jacobian with R1, instance noise and WGAN: sympy against back-propagation --------------

JACOBIAN_CASES = {
    "R1 (gamma = 0.7)": dict(penalty="r1", gamma=0.7),
    "instance noise (epsilon = 0.8)": dict(noise=0.8),
    "WGAN critic": dict(loss="wgan"),
}


def _jacobian_check(options: dict) -> Outcome:
    from gantheory.dynamics import gaussian, linearized

    options = dict(options)
    loss = options.pop("loss", "non-saturating")
    state = np.array([*TARGET, 0.0, 0.0, 0.0])
    # h = 1e-6: the differences' truncation h^2 |F'''| / 6 is 1e-10 of the largest entry here
    numeric = linearized.numerical_jacobian(state, 2, *TARGET, loss=loss, step=1e-6, generator="affine",
                                            discriminator="quadratic", **options)
    derived = gaussian.jacobian(*TARGET, loss, **options)
    return Outcome.numeric(0.0, float(np.abs(derived - numeric).max() / np.abs(derived).max()), 1e-8)


# --- how much faster R1 and instance noise converge ---------------------------------------------

RATE_CASES = {"R1": dict(penalty="r1", gamma=1.0), "instance noise": dict(noise=1.0)}


@shared
def _rate_run(case: str, ensemble: int):
    from gantheory.dynamics import gaussian

    return gaussian.oscillation_run(*TARGET, start=START, ensemble=ensemble, steps=STEPS, log_every=LOG_EVERY,
                                    fit_from=FIT_FROM, bootstrap=100, seed=0, **RATE_CASES[case])


def _rate_check(case: str) -> Outcome:
    """The fitted decay rate of the mean of the runs against the linearized prediction. Tolerance:
    4 bootstrap standard errors over the members (the minibatch noise: 2.3e-5 and 2.5e-5 per
    iteration here, 3-4 % of the rate) plus ALLOWANCE["decay"] = 5 % for what the linearization
    leaves out. The quadratic terms alone, measured on gan.train's iteration over the exact
    expected gradients from the same start, move the fitted rate by -0.08 % (R1) and +0.28 %
    (noise); the rest of the allowance is the drift the minibatch noise induces through them,
    visible as the runs' offset below the target (figures/gan_regularized_oscillations.png)."""
    from gantheory.dynamics import gaussian

    predicted = gaussian.predicted_oscillation(*TARGET, lr=0.005, **RATE_CASES[case]).decay
    fitted = _rate_run(case, BUDGET.oscillation_ensemble).fitted
    tolerance = 4 * fitted.decay_se + ALLOWANCE["decay"] * predicted

    def fails(percent: float) -> bool:
        return abs(fitted.decay - predicted * (1 + percent / 100)) > tolerance

    return Outcome.numeric(predicted, fitted.decay, tolerance).with_sensitivity(
        (2, 4, 8, 16, 32, 64), fails, "a predicted rate {:g} % off")


def _penalty_halved():
    return D.defect("the penalty's gradient halved: d/ds' of gamma/2 s'^2 taken as gamma/2 s'",
                    "gantheory.gan.train:gradient_penalty_grad",
                    lambda original: lambda slope, gamma, target=0.0: 0.5 * original(slope, gamma, target))


def dynamics() -> list[Claim]:
    """The section "regularized dynamics"."""
    from gantheory.dynamics import gaussian

    claims = []
    defects = {"R1 (gamma = 0.7)": D.D_SLOPE_A_TWO_DROPPED, "instance noise (epsilon = 0.8)": D.D_INPUT_TWO_DROPPED,
               "WGAN critic": D.G_SIGMA_SIGN}
    for name, options in JACOBIAN_CASES.items():
        claims.append(Claim("Mescheder et al. 2018; NumPy GAN, linearized", f"gan.train with {name}: the sympy Jacobian "
                            "at the equilibrium equals the derivative of the expected back-propagated gradients "
                            "(largest relative error)", "sympy on the losses; 2nd-order differences of gan.models' "
                            "gradients", functools.partial(_jacobian_check, options), defects[name]))
    plain = gaussian.predicted_oscillation(*TARGET, lr=0.005).decay
    rate_defects = {"R1": _penalty_halved(), "instance noise": D.NOISE_ON_DATA_ONLY}
    for case, options in RATE_CASES.items():
        predicted = gaussian.predicted_oscillation(*TARGET, lr=0.005, **options).decay
        shown = ", ".join(f"{k} = {v:g}" if not isinstance(v, str) else v for k, v in options.items())
        claims.append(Claim("NumPy GAN, linearized", f"gan.train with {shown}, SGD lr 0.005 momentum 0.9, N(4, 1.25^2) "
                            f"from sigma + 0.2: decay rate of the oscillation of mu and sigma (per iteration), "
                            f"predicted {predicted / plain:.2f} times the unregularized {plain:.3g}, fitted to the "
                            f"mean of {BUDGET.oscillation_ensemble} runs; tolerance 4 SE + "
                            f"{ALLOWANCE['decay']:.0%}", "the linearized update map's slowest mode (sympy Jacobian)",
                            functools.partial(_rate_check, case), rate_defects[case]))
    return claims


# --- every method from 10 sigma ----------------------------------------------------------------

DISTANCE, METHOD_STEPS, PRETRAIN_STEPS, METHOD_TOLERANCE, NEAR = 10.0, 4000, 2000, 1e-3, 0.5
#: Each claim: (method, statistic, ">=" or "<=", limit). "converged": final JS below
#: METHOD_TOLERANCE nats; "near the data": the final mean within NEAR (half the data's standard
#: deviation) of the data's, whether or not the width is right and the generator is still moving.
EXPECTED = (
    ("minimax", "converged", "<=", 0.05),
    ("non-saturating", "converged", ">=", 0.9),
    ("minimax + instance noise", "converged", ">=", 0.9),
    ("non-saturating + R1", "converged", ">=", 0.9),
    ("non-saturating + R2", "converged", ">=", 0.9),
    ("WGAN (clipping)", "near the data", ">=", 0.9),
    ("WGAN-GP", "converged", "<=", 0.05),
)


@shared
def _method_run(method: str, ensemble: int):
    from gantheory.gan import experiments

    return experiments.methods_from_afar(DISTANCE, methods={method: experiments.METHODS[method]}, ensemble=ensemble,
                                         steps=METHOD_STEPS, pretrain_steps=PRETRAIN_STEPS,
                                         tolerance=METHOD_TOLERANCE, seed=0)


def _fraction(run, method: str, statistic: str, shift: float = 0.0) -> float:
    """The fraction of members whose final N(mu, sigma^2) meets ``statistic`` against N(shift, 1)."""
    from gantheory.report import independent as I

    theta = run.theta[method]
    ok = ~run.diverged[method] & np.isfinite(theta).all(axis=1)
    if statistic == "near the data":
        return float(np.mean(ok & (np.abs(theta[:, 0] - shift) < NEAR)))
    js = np.full(theta.shape[0], np.inf)
    if ok.any():
        js[ok] = I.gaussian_pair_js(theta[ok, 0], np.abs(theta[ok, 1]), shift, 1.0)
    return float(np.mean(js < METHOD_TOLERANCE))


def _method_check(method: str, statistic: str, side: str, limit: float) -> Outcome:
    run = _method_run(method, BUDGET.methods_ensemble)
    outcome = Outcome.bound(limit, _fraction(run, method, statistic), below=side == "<=")
    if side == "<=":
        return outcome
    sizes = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)

    def fails(shift: float) -> bool:  # the runs checked against a target moved by `shift`
        return all(_fraction(run, method, statistic, sign * shift) < limit for sign in (-1, 1))

    return outcome.with_sensitivity(sizes, fails, "a target mean off by {:g}")


def methods() -> list[Claim]:
    """The section "methods from afar"."""
    from gantheory.gan.experiments import METHODS

    b = BUDGET
    defects = {
        "minimax": D.MINIMAX_AS_NON_SATURATING,
        "non-saturating": D.G_ASCENDS,
        "minimax + instance noise": D.NOISE_ON_DATA_ONLY,
        "non-saturating + R1": D.PENALTY_ASCENDED,
        "non-saturating + R2": D.PENALTY_ASCENDED,
        "WGAN (clipping)": D.CRITIC_ASCENDS,
        "WGAN-GP": D.GP_CENTERED_AT_ZERO,  # a zero-centred penalty on the interpolates converges
    }
    what = {"converged": f"converge (final JS < {METHOD_TOLERANCE:g} nats)",
            "near the data": f"end with the mean within {NEAR:g} of the data's"}
    claims = []
    for method, statistic, side, limit in EXPECTED:
        settings = ", ".join(f"{k} {v}" for k, v in METHODS[method].items())
        verb = "at most" if side == "<=" else "at least"
        claims.append(Claim("sec. 6.1, NumPy GAN, regularized", f"{method} ({settings}) from N(10, 1) to N(0, 1), D "
                            f"pre-trained {PRETRAIN_STEPS} iterations, then {METHOD_STEPS} iterations, "
                            f"{b.methods_ensemble} members: {verb} {limit:.0%} {what[statistic]}; fraction",
                            "JS of the learned N(mu, sigma^2) to N(0, 1) by tanh-sinh; the data's mean",
                            functools.partial(_method_check, method, statistic, side, limit), defects[method]))
    return claims


# --- the MLP pair --------------------------------------------------------------------------------

#: Stationary points of the MLP pair's expected field (plain and with R1), found by
#: :func:`gantheory.figures.mlp_stationary_points` and committed; the claims re-check that they are
#: stationary before they linearize there.
MLP_STATIONARY = Path(__file__).resolve().parents[1] / "data" / "mlp_stationary_points.json"
MLP_LR, MLP_MOMENTUM, MLP_STEPS = 0.01, 0.9, 20_000
MLP_GAMMA = 3.0
#: The settings compared: the issue's (lr 0.01, momentum 0.9), the same effective step
#: lr / (1 - momentum) without momentum, and R1 at the issue's step.
MLP_CASES = {
    "plain": ("plain", dict(lr=MLP_LR, momentum=MLP_MOMENTUM), "SGD lr 0.01, momentum 0.9"),
    "no momentum": ("plain", dict(lr=0.1, momentum=0.0), "SGD lr 0.1, no momentum (the same effective step)"),
    "r1": ("r1", dict(lr=MLP_LR, momentum=MLP_MOMENTUM), f"SGD lr 0.01, momentum 0.9, R1 gamma = {MLP_GAMMA:g}"),
}
RESPONSE_KICK, RESPONSE_EVERY = 0.01, 1000


@functools.lru_cache(maxsize=None)
def _stationary_points() -> dict:
    return json.loads(MLP_STATIONARY.read_text())


@shared
def _linearization(name: str):
    """The expected field linearized at the committed stationary point ``name`` ("plain" or "r1")."""
    from gantheory.dynamics import linearized

    point = _stationary_points()[name]
    theta, psi, options = np.array(point["theta"]), np.array(point["psi"]), point["options"]
    state = np.concatenate([theta, psi])
    residual = float(np.linalg.norm(linearized.descent_field(state, theta.size, *TARGET, **options)))
    jac = linearized.numerical_jacobian(state, theta.size, *TARGET, **options)
    lam = np.linalg.eigvals(jac)
    return linearized.Linearization(state, theta.size, residual, jac, lam, np.abs(lam) < 1e-7 * np.abs(lam).max(),
                                    point["mean"], point["std"])


@shared
def _iterated(name: str) -> dict:
    """gan.train's SGD iteration on the expected gradients (no minibatch noise, no linearization)
    from the kicked point, for every case at the stationary point ``name`` at once (one member
    each, with its own lr and momentum): case -> the fraction of the kick left in the mean after
    MLP_STEPS iterations."""
    from gantheory.dynamics import linearized
    from gantheory.gan.optim import sgd_init, sgd_step

    lin, options = _linearization(name), _stationary_points()[name]["options"]
    cases = [case for case, (point, _, _) in MLP_CASES.items() if point == name]
    step = {key: np.array([[MLP_CASES[case][1][key]] for case in cases]) for key in ("lr", "momentum")}
    kicked = np.tile(lin.state + lin.kick("mean", RESPONSE_KICK), (len(cases), 1))
    size = lin.generator_size
    th, ps = kicked[:, :size].copy(), kicked[:, size:].copy()
    v_th, v_ps = sgd_init(th), sgd_init(ps)
    for t in range(MLP_STEPS):
        sgd_step(ps, linearized.expected_gradients(th, ps, *TARGET, **options)[1], v_ps, t + 1, **step)
        sgd_step(th, linearized.expected_gradients(th, ps, *TARGET, **options)[0], v_th, t + 1, **step)
    left = (linearized.generator_moments(th)[0] - lin.mean) / RESPONSE_KICK
    return dict(zip(cases, left.tolist()))


def _response_check(case: str) -> Outcome:
    """The fraction of a kick of the generator's mean that is left after MLP_STEPS iterations:
    predicted by the linearized update map (powers of its eigen-decomposition) against gan.train's
    SGD iteration on the expected gradients from the kicked point (:func:`_iterated`). The kick,
    0.01, keeps the quadratic terms and the drift from the Newton residual (below 1e-7) small:
    the two differ by at most 8e-4 of the kick (measured; 5e-5 without momentum, 2e-6 with R1),
    whence the tolerance 0.01 of the kick."""
    from gantheory.dynamics import linearized

    name, step, _ = MLP_CASES[case]
    point = _stationary_points()[name]
    theta, psi = np.array(point["theta"]), np.array(point["psi"])
    residual = float(np.linalg.norm(linearized.descent_field(np.concatenate([theta, psi]), theta.size, *TARGET,
                                                             **point["options"])))
    if residual > 1e-7:  # not stationary (measured 2e-8 and 4e-9): the field or the data changed
        return Outcome.exact("a stationary point", f"expected gradients of norm {residual:.2e}", False)
    predicted = _linearization(name).response([MLP_STEPS], size=RESPONSE_KICK, **step)[0] / RESPONSE_KICK
    return Outcome.numeric(predicted, _iterated(name)[case], 0.01)


@shared
def _mlp_run(case: str, ensemble: int):
    from gantheory.gan import experiments

    name, step, _ = MLP_CASES[case]
    settings = dict(step) | ({"penalty": "r1", "gamma": MLP_GAMMA} if name == "r1" else {})
    return experiments.mlp_convergence({case: settings}, ensemble=ensemble, steps=MLP_STEPS, seed=0)


#: What each setting's members do: (">=" or "<=", the fraction reaching the target's moments).
MLP_EXPECTED = {"plain": ("<=", 0.25), "no momentum": (">=", 0.5), "r1": (">=", 0.75)}


def _mlp_check(case: str) -> Outcome:
    side, limit = MLP_EXPECTED[case]
    return Outcome.bound(limit, _mlp_run(case, BUDGET.mlp_ensemble).fraction(case), below=side == "<=")


def _momentum_ignored() -> Defect:
    from gantheory.dynamics import gaussian

    original = gaussian.sgd_update_matrix
    return Defect("the linearized update map ignores the momentum it is given (its default 0.9)",
                  lambda: mock.patch("gantheory.dynamics.gaussian.sgd_update_matrix",
                                     lambda jac, lr, momentum=0.9, k=1, **kw: original(jac, lr, 0.9, k, **kw)))


def mlp() -> list[Claim]:
    """The section "MLP pair"."""
    b = BUDGET
    common = "MLP G and D (16 tanh units), N(4, 1.25^2)"
    where = {"plain": "a stationary point of the expected field (mean 4.00, std 1.198)",
             "no momentum": "the same point", "r1": "its stationary point with R1 (mean 4.00, std 1.200)"}
    response_defects = {"plain": _momentum_dropped(), "no momentum": _momentum_ignored(),
                        "r1": D.MLP_SLOPE_W2_DROPPED}
    run_defects = {"plain": D.MOMENTUM_FORGOTTEN, "no momentum": D.MLP_BACKWARD_SIGN, "r1": D.PENALTY_ASCENDED}
    claims = []
    for case, (_, _, label) in MLP_CASES.items():
        claims.append(Claim("Mescheder et al. 2017; NumPy GAN, MLP pair", f"{common}, {label}: at {where[case]}, the "
                            f"fraction of a kick of {RESPONSE_KICK:g} to the generator's mean left after {MLP_STEPS} "
                            "iterations, by the linearized update map", "gan.train's iteration on the expected "
                            "gradients from the kicked point (no linearization)", functools.partial(_response_check, case),
                            response_defects[case]))
    for case, (_, _, label) in MLP_CASES.items():
        side, limit = MLP_EXPECTED[case]
        verb = "at most" if side == "<=" else "at least"
        claims.append(Claim("NumPy GAN, MLP pair", f"{common}, {label}, {MLP_STEPS} iterations, {b.mlp_ensemble} "
                            f"members: {verb} {limit:.0%} reach mean 4 +- 0.1 and std 1.25 +- 0.1; fraction",
                            "the target's moments", functools.partial(_mlp_check, case), run_defects[case]))
    return claims
