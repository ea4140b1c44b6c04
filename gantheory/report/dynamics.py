"""Claims about training dynamics: the Dirac-GAN (Mescheder et al. 2018) and gan.train linearized.

Each reference is computed along a path that shares no code with :mod:`gantheory.dynamics`:

- eigenvalues and critical values: the vector fields as the paper and its published code write
  them, in mpmath at 30 digits, differentiated by ``mpmath.diff`` (instance noise by
  ``mpmath.quad`` over the noise), their Jacobians' eigenvalues by ``mpmath.eig``;
- reproduced norms: the numbers that the reference implementation of Mescheder et al.
  (github.com/LMescheder/GAN_stability, ``notebooks/diracgan``), run here with NumPy, printed;
- linear predictions: powers of the paper's closed-form Jacobian's update map, in mpmath;
- the Gaussian GAN's Jacobian: fourth-order central differences of the expected gradients that
  gan.models and gan.losses back-propagate (Gauss-Hermite weights in place of 1/m);
- the oscillation of gan.train: a damped cosine fitted to the logged means of 64 runs, its
  standard errors from resampling the runs.
"""

from __future__ import annotations

import contextlib
import functools
import math
from unittest import mock

import mpmath as mp
import numpy as np

from gantheory.report import Claim, Defect, Outcome, shared

__all__ = ["dirac", "gaussian", "REFERENCE_NORMS"]

#: ||(theta, psi)|| after 500 simultaneous steps of h = 0.2 from (1, 1), measured by running the
#: reference implementation of Mescheder et al. (2018) (LMescheder/GAN_stability,
#: notebooks/diracgan: trajectory_simgd with GAN(), WGAN(1.), GAN_GradPenalty(0.3) and
#: GAN_GradPenalty(1.)) here with NumPy 2.4; printed with repr, not typed from the paper.
REFERENCE_NORMS = {
    ("gan", ()): 3.096948666996066,
    ("wgan", (("clip", 1.0),)): 1.002152040504344,
    ("r1", (("gamma", 0.3),)): 2.6426562905311898e-06,
    ("r1", (("gamma", 1.0),)): 9.528715449593006e-22,
    ("nsgan", ()): 0.6402070811733717,
    ("wgan-gp", (("gamma", 0.7), ("target_norm", 1.0))): 1.8017931931603375,
}
#: Final (theta, psi) of the same code's trajectory_altgd(GAN(), 1., 1., hs_g=0.2, hs_d=0.2,
#: nsteps=500, dsteps=5) (one generator step, then five discriminator steps), measured here.
REFERENCE_ALTERNATING_GAN_5 = (0.7688565131351238, 1.677466597785633)



def _digits(n: int):
    """Run the decorated reference computation at ``n`` significant digits (mpmath's global
    precision is restored afterwards)."""
    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with mp.workdps(n):
                return function(*args, **kwargs)
        return wrapper
    return decorate


# --- independent references in mpmath ---------------------------------------------------------

def _fp(t):
    """f'(t) for f(t) = -log(1 + e^{-t}): 1 / (1 + e^t)."""
    return 1 / (1 + mp.exp(t))


def _gauss(g):
    """E g(u) for u ~ N(0, 1), by mpmath.quad."""
    return mp.quad(lambda u: g(u) * mp.exp(-u * u / 2), [-mp.inf, 0, mp.inf]) / mp.sqrt(2 * mp.pi)


def _paper_field(method: str, p):
    """The Dirac-GAN vector field (d theta, d psi) as Mescheder et al. (2018) and their code write it."""
    p = mp.mpf(p)

    def gan(th, ps):
        return -ps * _fp(ps * th), th * _fp(ps * th)

    if method == "gan":
        return gan
    if method == "nsgan":
        return lambda th, ps: (-ps * _fp(-ps * th), th * _fp(ps * th))
    if method == "wgan":
        return lambda th, ps: (-ps, th)
    if method in ("r1", "r2"):
        return lambda th, ps: (-ps * _fp(ps * th), th * _fp(ps * th) - p * ps)
    if method == "instance-noise":
        fake, real = _noise_terms(p)
        return lambda th, ps: (_gauss(lambda u: fake[0](u, th, ps)),
                               _gauss(lambda u: real[0](u, th, ps)) + _gauss(lambda u: real[1](u, th, ps)))
    if method == "consensus":
        def half_norm(th, ps):
            v1, v2 = gan(th, ps)
            return (v1 * v1 + v2 * v2) / 2
        return lambda th, ps: (gan(th, ps)[0] - p * mp.diff(lambda t: half_norm(t, ps), th),
                               gan(th, ps)[1] - p * mp.diff(lambda s: half_norm(th, s), ps))
    if method == "gradient-penalty":
        return lambda th, ps: (-ps * _fp(ps * th) - p * mp.diff(lambda t: (t * _fp(ps * t)) ** 2, th),
                               th * _fp(ps * th))
    raise KeyError(method)


def _noise_terms(p):
    """Instance noise: the field as integrands over u ~ N(0, 1) (fake and real noise enter separately)."""
    return ((lambda u, th, ps: -ps * _fp(ps * (th + p * u)),),
            (lambda u, th, ps: (th + p * u) * _fp(ps * (th + p * u)), lambda u, th, ps: -p * u * _fp(-p * u * ps)))


def _jacobian_at_zero(method: str, p) -> list:
    """d field / d(theta, psi) at (0, 0), by mpmath.diff (inside the noise's quadrature for instance noise)."""
    if method == "instance-noise":
        terms = _noise_terms(mp.mpf(p))
        return [[sum(_gauss(lambda u, g=g: mp.diff(lambda t: g(u, t, 0), 0)) for g in terms[i]),
                 sum(_gauss(lambda u, g=g: mp.diff(lambda s: g(u, 0, s), 0)) for g in terms[i])] for i in range(2)]
    field = _paper_field(method, p)
    return [[mp.diff(lambda t: field(t, 0)[i], 0), mp.diff(lambda s: field(0, s)[i], 0)] for i in range(2)]


@functools.lru_cache(maxsize=None)
def _paper_jacobian(method: str, p: float) -> mp.matrix:
    with mp.workdps(20 if method == "instance-noise" else 30):  # a quadrature of derivatives: 20 digits
        return mp.matrix(_jacobian_at_zero(method, p))


@_digits(30)
def _paper_eigenvalues(method: str, p: float) -> list:
    return list(mp.eig(_paper_jacobian(method, p), left=False, right=False))


def _set_error(computed, reference) -> float:
    """Max |difference| between two pairs of complex numbers, under the better pairing."""
    c = [complex(z) for z in computed]
    r = [complex(z) for z in reference]
    return min(max(abs(c[0] - r[0]), abs(c[1] - r[1])), max(abs(c[0] - r[1]), abs(c[1] - r[0])))


# --- defects: realistic bugs in the derivation, the compiled fields and the simulator ----------

@contextlib.contextmanager
def _rederived(*patches):
    """Apply ``patches`` and derive every method afresh under them (the caches are cleared)."""
    from gantheory.dynamics import dirac, symbolic

    def clear():
        symbolic.derive.cache_clear()
        symbolic.derive_gaussian.cache_clear()
        dirac._compiled.cache_clear()

    clear()
    try:
        with contextlib.ExitStack() as stack:
            for patch in patches:
                stack.enter_context(patch)
            yield
    finally:
        clear()


def _generator_ascends() -> Defect:
    import sympy as sp

    from gantheory.dynamics import symbolic as sym

    def wrong(loss_g, loss_d):
        return sp.Matrix([sp.diff(loss_g, sym.theta), sp.diff(loss_d, sym.psi)])

    return Defect("sign: the generator ascends its loss (v_theta = +dL_G/dtheta)",
                  lambda: _rederived(mock.patch("gantheory.dynamics.symbolic._field", wrong)))


def _penalty_halved() -> Defect:
    from gantheory.dynamics import symbolic as sym

    original = sym._input_gradient_squared
    return Defect("R1/R2 penalty's d/dpsi loses its factor 2 ((dD/dx)^2 taken as half)",
                  lambda: _rederived(mock.patch("gantheory.dynamics.symbolic._input_gradient_squared",
                                                lambda at: original(at) / 2)))


def _physicists_hermite() -> Defect:
    import sympy as sp

    from gantheory.dynamics import symbolic as sym

    def wrong(expr):
        expr = sp.expand(expr)
        for u in sym.NOISE:
            if expr.has(u):
                expr = sp.integrate(expr * sp.exp(-(u**2)) / sp.sqrt(sp.pi), (u, -sp.oo, sp.oo))
        return sp.simplify(expr)

    return Defect("noise moments under the physicists' weight e^{-u^2} (variance 1/2, not 1)",
                  lambda: _rederived(mock.patch("gantheory.dynamics.symbolic._expectation", wrong)))


def _gauss_seidel() -> Defect:
    from gantheory.dynamics import trajectories

    return Defect("simultaneous steps that let the generator see the new psi (Gauss-Seidel for Jacobi)",
                  lambda: mock.patch("gantheory.dynamics.trajectories._simultaneous_step",
                                     trajectories._alternating_step))


def _sigmoid_sign() -> Defect:
    from scipy.special import expit, log_expit

    return Defect("f'(t) compiled as sigmoid(t) instead of sigmoid(-t)",
                  lambda: _rederived(mock.patch("gantheory.dynamics.dirac._MODULES",
                                                [{"Sigmoid": lambda t: expit(-t), "LogSigmoid": log_expit}, "numpy"])))


def _bound_without_two() -> Defect:
    return Defect("step-size bound |Re lambda| / |lambda|^2 (the factor 2 dropped)",
                  lambda: mock.patch("gantheory.dynamics.dirac._STEP_FACTOR", 1.0))


def _bound_of_real_eigenvalues() -> Defect:
    return Defect("step-size bound 2 / |lambda|, the rule for real eigenvalues, applied to a complex pair",
                  lambda: mock.patch("gantheory.dynamics.dirac._step_bounds", lambda lam: 2.0 / np.abs(lam)))


# --- the Dirac-GAN section ---------------------------------------------------------------------

GRIDS = {  # the parameter each method's eigenvalues depend on, over a grid through its critical value
    "gan": None, "nsgan": None, "wgan": None,
    "r1": np.linspace(0.0, 3.0, 13), "r2": np.linspace(0.0, 3.0, 13),
    "instance-noise": np.array([0.0, 0.7, 1.5, 3.0]), "consensus": np.linspace(0.0, 3.0, 7),
    "gradient-penalty": np.linspace(0.0, 5.0, 11),
}
CRITICAL = {"r1": "gamma", "r2": "gamma", "instance-noise": "sigma", "gradient-penalty": "eta"}


def _eigen_check(method: str) -> Outcome:
    from gantheory import dynamics

    grid = GRIDS[method]
    if grid is None:
        return Outcome.numeric(0.0, _set_error(dynamics.eigenvalues(method), _paper_eigenvalues(method, 0.0)), 1e-12)
    name = dynamics.PARAMETERS[method][0]
    closed = dynamics.eigenvalues(method, **{name: grid})
    worst = max(_set_error(closed[i], _paper_eigenvalues(method, float(p))) for i, p in enumerate(grid))
    return Outcome.numeric(0.0, worst, 1e-12)


@_digits(30)
def _critical_check(method: str) -> Outcome:
    from gantheory import dynamics

    def discriminant(p):
        j = _jacobian_at_zero(method, p)
        trace, det = j[0][0] + j[1][1], j[0][0] * j[1][1] - j[0][1] * j[1][0]
        return trace * trace / 4 - det

    with mp.workdps(20):  # the instance-noise field is a quadrature inside a derivative: 20 digits suffice
        reference = mp.findroot(discriminant, (mp.mpf("1.3"), mp.mpf("1.5")), solver="secant")
    computed = dynamics.critical_value(method)
    return Outcome.numeric(float(reference), math.nan if computed is None else computed, 1e-12)


def _norm_check(method: str, params: tuple) -> Outcome:
    from gantheory import dynamics

    reference = REFERENCE_NORMS[(method, params)]
    computed = float(dynamics.simulate(method, start=(1.0, 1.0), h=0.2, steps=500, **dict(params)).norm()[-1])
    return Outcome.numeric(1.0, computed / reference, 1e-11)


@_digits(30)
def _alternating_check() -> Outcome:
    """The reference steps G then D^5, Algorithm 1 D^5 then G: from y0 = G(x0), y_k = G(x_k)."""
    from gantheory import dynamics

    field = _paper_field("gan", 0.0)

    def g_step(theta, psi):  # the paper's generator step, in mpmath
        return theta + mp.mpf("0.2") * field(theta, psi)[0], psi

    start = [float(v) for v in g_step(mp.mpf(1), mp.mpf(1))]
    ours = dynamics.simulate("gan", start=start, h=0.2, steps=500, schedule="alternating", n_d=5)
    expected = g_step(*(mp.mpf(v) for v in REFERENCE_ALTERNATING_GAN_5))
    return Outcome.numeric(0.0, float(max(abs(mp.mpf(float(a)) - b) for a, b in zip(ours[-1], expected))), 1e-12)


def _generator_first() -> Defect:
    def wrong(fields, theta, psi, h, values, n_d, limit):  # G first, then n_d D steps
        new_theta = theta + h * fields.v_theta(theta, psi, *values)[0]
        new_psi = psi
        for _ in range(n_d):
            new_psi = new_psi + h * fields.v_psi(new_theta, new_psi, *values)[0]
        return new_theta, new_psi

    return Defect("alternating steps that move the generator first (the reference's order, not Algorithm 1's)",
                  lambda: mock.patch("gantheory.dynamics.trajectories._alternating_step", wrong))


def _paper_update_power(jac: mp.matrix, h: float, n: int) -> mp.matrix:
    return (mp.eye(2) + mp.mpf(h) * jac) ** n


@_digits(30)
def _linear_check(method: str, p: float, start_step: int, start: tuple[float, float] | None = None,
                  tolerance: float = 1e-8) -> Outcome:
    """||x_500|| simulated against (I + hJ)^(500 - start_step) x_start_step in mpmath.

    The field's next terms are cubic (f'(t) = 1/2 - t/4 + O(t^3) times psi or theta), so the
    relative error of the linear map is of order ||x||^2 / 4 over the window: below 1e-8 for
    ||x|| < 2e-4 (R1 after step 400), below 1e-6 for the GAN from 1e-4, whose norm grows to 1.7e-3.
    """
    from gantheory import dynamics

    kwargs = {} if method == "gan" else {"gamma": p}
    path = dynamics.simulate(method, start=start or (1.0, 1.0), h=0.2, steps=500, **kwargs)
    x = mp.matrix([mp.mpf(float(v)) for v in path.states[start_step]])
    predicted = mp.norm(_paper_update_power(_paper_jacobian(method, p), 0.2, 500 - start_step) * x)
    return Outcome.numeric(1.0, float(path.norm()[-1] / predicted), tolerance)


@_digits(30)
def _step_bound_check(side: str) -> Outcome:
    """R1, gamma = 0.3, from (1e-4, 1e-4): 2000 steps at 0.95 or 1.05 times the bound."""
    from gantheory import dynamics

    lam = _paper_eigenvalues("r1", 0.3)
    bound = float(min(2 * abs(mp.re(z)) / abs(z) ** 2 for z in lam))  # The Numerics of GANs
    h = dynamics.max_step("r1", gamma=0.3) * (0.95 if side == "below" else 1.05)
    path = dynamics.simulate("r1", start=(1e-4, 1e-4), h=h, steps=2000, gamma=0.3)
    growth = float(np.log(path.norm()[-1] / path.norm()[0]))
    # below the bound |1 + h lambda| < 1: the norm must shrink; above it must grow
    if side == "below":
        return Outcome.bound(0.0, growth if h < bound else math.inf)
    return Outcome.bound(0.0, growth if h > bound else -math.inf, below=False)


def dirac() -> list[Claim]:
    """Eigenvalues, critical values, reproduced norms, linear predictions, the step-size bound."""
    from gantheory.dynamics import PARAMETERS

    src = "Mescheder et al. 2018"
    ascends, halved, hermite = _generator_ascends(), _penalty_halved(), _physicists_hermite()
    derivation_defect = {"r1": halved, "r2": halved, "instance-noise": hermite}
    claims = []
    for method in ("gan", "nsgan", "wgan", "r1", "r2", "instance-noise", "consensus", "gradient-penalty"):
        grid = GRIDS[method]
        over = "" if grid is None else (f" over {grid.size} values of {PARAMETERS[method][0]} in "
                                        f"[{grid[0]:g}, {grid[-1]:g}]")
        claims.append(Claim(f"{src}, sec. 3, Dirac-GAN", f"{method}: closed-form eigenvalues of the Jacobian at "
                            f"(0, 0), derived by sympy from the losses{over} (largest error)",
                            "mpmath Jacobian of the paper's field, 30 digits", functools.partial(_eigen_check, method),
                            derivation_defect.get(method, ascends)))
    for method, name in CRITICAL.items():
        claims.append(Claim(f"{src}, sec. 3", f"{method}: critical {name} where the two eigenvalues meet",
                            "mpmath root of tr^2/4 - det", functools.partial(_critical_check, method),
                            derivation_defect.get(method, ascends)))
    jacobi, sigmoid = _gauss_seidel(), _sigmoid_sign()
    for (method, params), value in REFERENCE_NORMS.items():
        shown = ", ".join(f"{k} = {v:g}" for k, v in params)
        defect = jacobi if method in ("wgan", "wgan-gp") else sigmoid
        claims.append(Claim(f"{src}, Fig. 1-3 code", f"{method}{' (' + shown + ')' if shown else ''}: ||(theta, psi)|| "
                            f"after 500 simultaneous steps, h = 0.2, from (1, 1) ({value:.6g}); ratio to the "
                            "reference", "the authors' diracgan code, run here",
                            functools.partial(_norm_check, method, params), defect))
    claims.append(Claim(f"{src}, Fig. 1-3 code", "gan, alternating with n_d = 5 (Algorithm 1's order) from G(1, 1): "
                        "the end state is G of the reference's trajectory_altgd end state (largest difference)",
                        "the authors' diracgan code, run here; G in mpmath", _alternating_check, _generator_first()))
    for gamma in (0.3, 1.0):
        claims.append(Claim(f"{src}, sec. 3; Mescheder et al. 2017", f"r1 (gamma = {gamma:g}): the linear map "
                            "(I + hJ)^100 carries the state at step 400 to the simulated norm at step 500 (ratio)",
                            "mpmath powers of the paper's Jacobian", functools.partial(_linear_check, "r1", gamma, 400),
                            jacobi))
    claims.append(Claim(f"{src}, sec. 2", "gan from (1e-4, 1e-4): simultaneous steps spiral out by "
                        "sqrt(1 + h^2/4) per step, ||x_500|| against (I + hJ)^500 x_0 (ratio)",
                        "mpmath powers of the paper's Jacobian", functools.partial(_linear_check, "gan", 0.0, 0,
                                                                                   (1e-4, 1e-4), 1e-6), jacobi))
    for side in ("below", "above"):
        claims.append(Claim("Mescheder et al. 2017 (Numerics of GANs)", f"r1 (gamma = 0.3), h = {'0.95' if side == 'below' else '1.05'}"
                            f" x max_step: log(||x_2000|| / ||x_0||) from (1e-4, 1e-4) is "
                            f"{'negative (converges)' if side == 'below' else 'positive (moves away)'}",
                            "h < 2|Re lambda|/|lambda|^2 with mpmath eigenvalues",
                            functools.partial(_step_bound_check, side),
                            _bound_of_real_eigenvalues() if side == "below" else _bound_without_two()))
    claims.append(_wgan_gp_claim())
    return claims


def _wgan_gp_claim() -> Claim:
    def check() -> Outcome:
        from gantheory import dynamics

        try:
            dynamics.eigenvalues("wgan-gp")
        except ValueError:
            return Outcome.exact("no Jacobian at (0, 0)", "eigenvalues() raises ValueError", True)
        return Outcome.exact("no Jacobian at (0, 0)", "eigenvalues() returned numbers", False)

    import sympy as sp

    from gantheory.dynamics import symbolic as sym

    def signed(at):  # |dD/dx| written as dD/dx: the penalty (psi - target_norm)^2 becomes smooth
        return sp.diff(sym._discriminator(sym.x), sym.x).subs(sym.x, at)

    defect = Defect("WGAN-GP's |dD/dx| written as dD/dx (the penalty made smooth at psi = 0)",
                    lambda: _rederived(mock.patch("gantheory.dynamics.symbolic._input_gradient_norm", signed)))
    return Claim("Mescheder et al. 2018, sec. 3", "wgan-gp: the field's psi-component jumps with sign(psi), "
                 "so it has no Jacobian at the equilibrium", "the paper's analysis of |dD/dx| at psi = 0", check,
                 defect)


# --- the linearized Gaussian GAN ---------------------------------------------------------------

TARGET = (4.0, 1.25)
START = (4.0, 1.45)  # sigma 0.2 above the target, D = 1/2, no momentum
ENSEMBLE, STEPS, LOG_EVERY, FIT_FROM = 64, 6000, 10, 500
#: What the linearization leaves out, as a relative allowance on top of the noise: the quadratic
#: terms of the expected field at this amplitude (measured with gaussian.population_path: -0.17 %
#: on the frequency, +0.6 to +1.0 % on the decay rate) and the drift that minibatch noise induces
#: through them (second order in the noise).
ALLOWANCE = {"frequency": 0.01, "decay": 0.05}


@shared
def _oscillation_run(loss: str):
    from gantheory.dynamics import gaussian

    return gaussian.oscillation_run(*TARGET, start=START, loss=loss, ensemble=ENSEMBLE, steps=STEPS,
                                    log_every=LOG_EVERY, fit_from=FIT_FROM, bootstrap=100, seed=0).fitted


def _oscillation_check(loss: str, quantity: str) -> Outcome:
    from gantheory.dynamics import gaussian

    predicted = gaussian.predicted_oscillation(*TARGET, lr=0.005, momentum=0.9, loss=loss)
    measured = _oscillation_run(loss)
    value, se = getattr(measured, quantity), getattr(measured, f"{quantity}_se")
    reference = getattr(predicted, quantity)
    tolerance = 4 * se + ALLOWANCE[quantity] * reference
    sizes = (0.5, 1, 2, 4, 8, 16, 32)  # percent

    def fails(percent: float) -> bool:  # a prediction off by this much
        return abs(value - reference * (1 + percent / 100)) > tolerance

    return Outcome.numeric(reference, value, tolerance).with_sensitivity(sizes, fails, "a prediction {:g} % off")


def _jacobian_check(loss: str) -> Outcome:
    from gantheory.dynamics import gaussian

    x0 = np.array([*TARGET, 0.0, 0.0, 0.0])

    def field(x):
        g_theta, g_psi = gaussian.population_gradients(x[:, :2], x[:, 2:], *TARGET, loss)
        return -np.concatenate([g_theta, g_psi], axis=1)

    step = 1e-4  # fourth-order central differences: truncation ~ step^4, rounding ~ 1e-16 |F| / step
    offsets = np.array([-2, -1, 1, 2])[:, None, None] * step * np.eye(5)[None]  # (4, 5, 5)
    values = field((x0 + offsets).reshape(-1, 5)).reshape(4, 5, 5)  # (offset, direction, component)
    numeric = ((values[0] - 8 * values[1] + 8 * values[2] - values[3]) / (12 * step)).T
    derived = gaussian.jacobian(*TARGET, loss)
    return Outcome.numeric(0.0, float(np.abs(derived - numeric).max() / np.abs(numeric).max()), 1e-9)


def _momentum_dropped() -> Defect:
    from gantheory.dynamics import gaussian

    original = gaussian.sgd_update_matrix
    return Defect("the linearized update map leaves out SGD's momentum (beta = 0)",
                  lambda: mock.patch("gantheory.dynamics.gaussian.sgd_update_matrix",
                                     lambda jac, lr, momentum=0.9, k=1, **kw: original(jac, lr, 0.0, k, **kw)))


def _slope_without_two() -> Defect:
    from gantheory.gan import models

    original = models.quadratic_backward_input

    def wrong(psi, cache, d_s):  # ds/dx = a x + b instead of 2 a x + b
        return original(psi, cache, d_s) - psi[:, :1] * cache.x * d_s

    return Defect("the quadratic logit's slope taken as a x + b (the 2 of 2ax dropped) in the backward pass",
                  lambda: mock.patch("gantheory.gan.models.quadratic_backward_input", wrong))


def gaussian() -> list[Claim]:
    """gan.train's affine-quadratic GAN: its Jacobian, and the oscillation it predicts."""
    claims = []
    slope = _slope_without_two()
    for loss in ("non-saturating", "minimax"):
        claims.append(Claim("Mescheder et al. 2017; Nagarajan & Kolter 2017", f"gan.train, {loss}: the sympy Jacobian"
                            " at p_g = p_data, D = 1/2 equals the derivative of the expected back-propagated "
                            "gradients (largest relative error)", "4th-order differences of gan.models' gradients",
                            functools.partial(_jacobian_check, loss), slope))
    momentum = _momentum_dropped()  # one object: falsify reruns each loss's training once under it
    for loss in ("non-saturating", "minimax"):
        for quantity, unit in (("frequency", "rad/iteration"), ("decay", "per iteration")):
            claims.append(Claim("NumPy GAN, linearized", f"gan.train, {loss}, SGD lr 0.005 momentum 0.9, N(4, 1.25^2) "
                                f"from sigma + 0.2: {quantity} of the oscillation of mu and sigma ({unit}), "
                                f"fitted to the mean of {ENSEMBLE} runs; tolerance 4 SE + "
                                f"{ALLOWANCE[quantity]:.0%}", "the linearized update map's slowest mode",
                                functools.partial(_oscillation_check, loss, quantity), momentum))
    return claims
