"""The Dirac-GAN derived by sympy: each method's losses, vector field, Jacobian and eigenvalues.

Mescheder, Geiger & Nowozin (2018), section 2: the data distribution is :math:`\\delta_0`, the
generator :math:`\\delta_\\theta`, the discriminator :math:`D_\\psi(x) = \\psi x` (a logit), and
the training objective

.. math:: L(\\theta, \\psi) = \\mathbb{E}_{x \\sim p_\\theta} f(D_\\psi(x))
          + \\mathbb{E}_{x \\sim p_{data}} f(-D_\\psi(x)) = f(\\psi\\theta) + f(0),
          \\qquad f(t) = -\\log(1 + e^{-t}) = \\log\\sigma(t).

The generator minimizes its loss :math:`L_G`, the discriminator maximizes its objective
:math:`L_D`; the training vector field is :math:`v = (-\\partial_\\theta L_G, \\partial_\\psi L_D)`,
the direction in which gradient descent moves :math:`(\\theta, \\psi)`. Nothing below is typed in
as a field or a Jacobian: each method writes down its two objectives (with its regularizer) and
sympy differentiates them. :math:`f` is the sympy function :class:`LogSigmoid`, whose derivative
is :class:`Sigmoid`, so that the fields lambdify to :func:`scipy.special.expit` (stable for any
logit) and the Jacobian at the equilibrium comes out in exact rationals.

========================  =================================================================
method                    objectives (generator minimizes L_G, discriminator maximizes L_D)
========================  =================================================================
``gan``                   L_G = L_D = L
``nsgan``                 L_G = -f(-psi theta) (non-saturating, eq. 10), L_D = L
``wgan``                  f(t) = t, L_G = L_D = psi theta; psi clipped to [-clip, clip]
``wgan-gp``               f(t) = t, L_D = psi theta - gamma/2 (abs(dD/dx) - target_norm)^2
``instance-noise``        L with x + eps on both sides, eps ~ N(0, sigma^2)
``r1``                    L_D = L - gamma/2 E_{p_data} (dD/dx)^2
``r2``                    L_D = L - gamma/2 E_{p_theta} (dD/dx)^2
``consensus``             both add gamma/2 |v|^2 to their losses (Mescheder et al. 2017)
``gradient-penalty``      L_G = L + eta |d L / d psi|^2 (Nagarajan & Kolter 2017)
========================  =================================================================

This module imports sympy: :mod:`gantheory.dynamics` imports it only when a derivation is first
needed, so ``import gantheory`` does not.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from gantheory.symbolic import Check, Step

__all__ = [
    "DiracDerivation",
    "GAUSSIAN_PENALTIES",
    "GaussianDerivation",
    "LogSigmoid",
    "NOISE",
    "PARAMETER_SYMBOLS",
    "PenaltyDerivation",
    "Sigmoid",
    "derive",
    "derive_gaussian",
    "derive_penalty_gradient",
    "psi",
    "theta",
]

theta, psi = sp.symbols("theta psi", real=True)
x = sp.Symbol("x", real=True)
gamma, sigma, eta, clip, target_norm = sp.symbols("gamma sigma eta clip target_norm", nonnegative=True)
u_fake, u_real = sp.symbols("u_fake u_real", real=True)  # standard normal noise of instance noise

#: The symbol of each parameter, by the name :func:`gantheory.dynamics.simulate` takes.
PARAMETER_SYMBOLS = {"gamma": gamma, "sigma": sigma, "eta": eta, "clip": clip, "target_norm": target_norm}
#: Standard normal variables over which an objective is an expectation (instance noise only).
NOISE = (u_fake, u_real)


class Sigmoid(sp.Function):
    """The logistic function :math:`\\sigma(t) = 1 / (1 + e^{-t})`, with its derivative
    :math:`\\sigma(t)\\sigma(-t)`; ``rewrite(sp.exp)`` gives the explicit formula."""

    @classmethod
    def eval(cls, t):  # noqa: D102 - sympy's hook for automatic evaluation
        if t.is_zero:
            return sp.S.Half

    def fdiff(self, argindex=1):  # noqa: D102
        t = self.args[0]
        return Sigmoid(t) * Sigmoid(-t)

    def _eval_rewrite_as_exp(self, t, **kwargs):
        return 1 / (1 + sp.exp(-t))

    def _latex(self, printer, exp=None):
        tex = r"\sigma\left(%s\right)" % printer._print(self.args[0])
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


class LogSigmoid(sp.Function):
    """:math:`f(t) = \\log\\sigma(t) = -\\log(1 + e^{-t})`, the GAN's f of Mescheder et al. (2018),
    with the derivative :math:`\\sigma(-t)`; ``rewrite(sp.exp)`` gives the explicit formula."""

    @classmethod
    def eval(cls, t):  # noqa: D102
        if t.is_zero:
            return -sp.log(2)

    def fdiff(self, argindex=1):  # noqa: D102
        return Sigmoid(-self.args[0])

    def _eval_rewrite_as_exp(self, t, **kwargs):
        return -sp.log(1 + sp.exp(-t))

    def _latex(self, printer, exp=None):
        tex = r"\log \sigma\left(%s\right)" % printer._print(self.args[0])
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)


def _discriminator(at: sp.Expr) -> sp.Expr:
    """D_psi(x) = psi x, evaluated at ``at``."""
    return psi * at


def _input_gradient_squared(at: sp.Expr) -> sp.Expr:
    """(dD/dx)^2 at x = ``at``: derived, not assumed to be psi^2."""
    return sp.diff(_discriminator(x), x).subs(x, at) ** 2


def _input_gradient_norm(at: sp.Expr) -> sp.Expr:
    """|dD/dx| at x = ``at``, as the square root of its square (psi is real: |psi|)."""
    return sp.sqrt(_input_gradient_squared(at))


def _objectives(method: str) -> tuple[sp.Expr, sp.Expr, str]:
    """(L_G, L_D, description) of ``method``, before any differentiation."""
    f = LogSigmoid
    gan = f(_discriminator(theta)) + f(-_discriminator(0))
    if method == "gan":
        return gan, gan, "L = f(psi theta) + f(0), f = log sigmoid; L_G = L_D = L"
    if method == "nsgan":
        return -f(-_discriminator(theta)), gan, "non-saturating generator loss -f(-psi theta), L_D = L"
    if method == "wgan":
        w = _discriminator(theta) - _discriminator(0)
        return w, w, "f(t) = t: L = psi theta; psi is clipped to [-clip, clip] after every step"
    if method == "wgan-gp":
        w = _discriminator(theta) - _discriminator(0)
        # the penalty at the interpolates t theta + (1 - t) 0: dD/dx is psi at every one of them
        t = sp.Symbol("t", nonnegative=True)
        penalty = (_input_gradient_norm(t * theta) - target_norm) ** 2
        return w, w - gamma / 2 * penalty, "L = psi theta, L_D minus gamma/2 (abs(dD/dx) - target_norm)^2"
    if method == "instance-noise":
        noisy = f(_discriminator(theta + sigma * u_fake)) + f(-_discriminator(0 + sigma * u_real))
        return noisy, noisy, "L = E f(psi (theta + sigma u)) + E f(-psi (0 + sigma u')), u, u' ~ N(0, 1)"
    if method == "r1":
        return gan, gan - gamma / 2 * _input_gradient_squared(0), "L_D = L - gamma/2 (dD/dx)^2 at the data x = 0"
    if method == "r2":
        return gan, gan - gamma / 2 * _input_gradient_squared(theta), "L_D = L - gamma/2 (dD/dx)^2 at x = theta"
    if method == "consensus":
        v = sp.Matrix([-sp.diff(gan, theta), sp.diff(gan, psi)])
        half_norm = (v.T * v)[0] / 2
        return gan + gamma * half_norm, gan - gamma * half_norm, "both players add gamma/2 |v|^2 to their losses"
    if method == "gradient-penalty":
        return gan + eta * sp.diff(gan, psi) ** 2, gan, "L_G = L + eta (dL/dpsi)^2, L_D = L"
    raise KeyError(method)


def _field(loss_g: sp.Expr, loss_d: sp.Expr) -> sp.Matrix:
    """v = (-dL_G/dtheta, dL_D/dpsi): the generator descends its loss, the discriminator ascends."""
    return sp.Matrix([-sp.diff(loss_g, theta), sp.diff(loss_d, psi)])


def _expectation(expr: sp.Expr) -> sp.Expr:
    """E over the standard normal NOISE of a polynomial in them (exact Gaussian moments)."""
    expr = sp.expand(expr)
    for u in NOISE:
        if expr.has(u):
            density = sp.exp(-(u**2) / 2) / sp.sqrt(2 * sp.pi)
            expr = sp.integrate(expr * density, (u, -sp.oo, sp.oo))
    return sp.simplify(expr)


@dataclass(frozen=True)
class DiracDerivation:
    """A Dirac-GAN method as sympy derived it.

    Attributes
    ----------
    method : str
    description : str
        The objectives in words.
    loss_g, loss_d : sympy expressions
        The generator's loss (minimized) and the discriminator's objective (maximized); for
        instance noise, functions of the standard normal ``NOISE`` to be averaged over.
    field : sympy Matrix, shape (2, 1)
        :math:`v = (-\\partial_\\theta L_G, \\partial_\\psi L_D)` (before the expectation over noise).
    jacobian : sympy Matrix (2, 2) or None
        :math:`\\partial v / \\partial(\\theta, \\psi)` at the equilibrium (0, 0), averaged over
        the noise; None where ``v`` is not differentiable there (WGAN-GP).
    eigenvalues : tuple of two sympy expressions, or None
        :math:`\\lambda_\\pm = \\operatorname{tr}/2 \\pm \\sqrt{\\operatorname{tr}^2/4 - \\det}`.
    discriminant : sympy expression or None
        :math:`\\operatorname{tr}^2/4 - \\det`: the eigenvalues are complex where it is negative.
    critical : sympy expression or None
        The positive parameter value at which the discriminant vanishes and the two eigenvalues
        meet (None for a method without a parameter, or whose eigenvalues never meet).
    parameter : str or None
        The parameter the eigenvalues depend on.
    steps : tuple of Step
    checks : tuple of Check
    """

    method: str
    description: str
    loss_g: sp.Expr
    loss_d: sp.Expr
    field: sp.Matrix
    jacobian: sp.Matrix | None
    eigenvalues: tuple[sp.Expr, sp.Expr] | None
    discriminant: sp.Expr | None
    critical: sp.Expr | None
    parameter: str | None
    steps: tuple[Step, ...]
    checks: tuple[Check, ...]

    @property
    def verified(self) -> bool:
        """Whether every check sympy made holds."""
        return all(c.holds for c in self.checks)


@functools.cache
def derive(method: str) -> DiracDerivation:
    """Derive the vector field, Jacobian, eigenvalues and critical value of one method.

    Examples
    --------
    >>> d = derive("r1")
    >>> d.jacobian
    Matrix([
    [  0, -1/2],
    [1/2, -gamma]])
    >>> d.critical
    1
    """
    loss_g, loss_d, description = _objectives(method)
    field = _field(loss_g, loss_d)
    at_zero = {theta: 0, psi: 0}
    steps = [
        Step("the generator's loss L_G (minimized)", loss_g),
        Step("the discriminator's objective L_D (maximized)", loss_d),
        Step("the vector field v = (-dL_G/dtheta, dL_D/dpsi), by sympy.diff", field),
    ]
    checks = []
    origin = field.subs(at_zero)
    if method == "instance-noise":
        origin = origin.applyfunc(_expectation)
    checks.append(Check("(theta, psi) = (0, 0) is a stationary point: v(0, 0) = 0", origin == sp.zeros(2, 1)))
    raw = field.jacobian([theta, psi]).subs(at_zero)
    parameter = {"wgan-gp": None, "instance-noise": "sigma", "r1": "gamma", "r2": "gamma",
                 "consensus": "gamma", "gradient-penalty": "eta"}.get(method)
    if raw.has(sp.DiracDelta) or raw.has(sp.sign) or raw.has(sp.nan) or raw.has(sp.zoo):
        checks.append(Check("the Jacobian at (0, 0) does not exist: dv/dpsi jumps with sign(psi)",
                            raw.has(sp.DiracDelta) or raw.has(sp.sign)))
        return DiracDerivation(method, description, loss_g, loss_d, field, None, None, None, None, None,
                               tuple(steps), tuple(checks))
    jac = sp.simplify(raw.applyfunc(_expectation) if method == "instance-noise" else raw)
    steps.append(Step("the Jacobian dv/d(theta, psi) at the equilibrium (0, 0)", jac))
    trace, det = jac.trace(), jac.det()
    disc = sp.simplify(trace**2 / 4 - det)
    plus, minus = sp.simplify(trace / 2 + sp.sqrt(disc)), sp.simplify(trace / 2 - sp.sqrt(disc))
    lam = sp.Symbol("lambda")
    charpoly = jac.charpoly(lam).as_expr()
    steps.append(Step("its characteristic polynomial det(lambda I - J)", sp.Eq(sp.Function("p")(lam), charpoly)))
    steps.append(Step("the eigenvalues tr/2 +- sqrt(tr^2/4 - det)", sp.Matrix([plus, minus])))
    roots = all(sp.simplify(charpoly.subs(lam, root)) == 0 for root in (plus, minus))
    checks.append(Check("both closed forms are roots of the characteristic polynomial", roots))
    by_sympy = sp.Matrix(sorted(jac.eigenvals(multiple=True), key=sp.default_sort_key))
    ours = sp.Matrix(sorted((plus, minus), key=sp.default_sort_key))
    checks.append(Check("they are the eigenvalues sympy's eigenvals finds",
                        sp.simplify(by_sympy - ours) == sp.zeros(2, 1)
                        or sp.simplify(by_sympy[::-1, :] - ours) == sp.zeros(2, 1)))
    critical = None
    if parameter is not None:
        symbol = PARAMETER_SYMBOLS[parameter]
        solutions = [s for s in sp.solve(sp.Eq(disc, 0), symbol) if s.is_positive]
        if solutions:
            critical = sp.nsimplify(min(solutions)) if len(solutions) > 1 else solutions[0]
            steps.append(Step(f"the critical {parameter}: the positive root of tr^2/4 - det = 0",
                              sp.Eq(symbol, critical)))
            met = sp.simplify((plus - minus).subs(symbol, critical)) == 0
            checks.append(Check(f"at {parameter} = {critical} the two eigenvalues meet", met))
        else:
            steps.append(Step(f"tr^2/4 - det never vanishes for {parameter} > 0: the eigenvalues never meet", disc))
    return DiracDerivation(method, description, loss_g, loss_d, field, jac, (plus, minus), disc, critical,
                           parameter, tuple(steps), tuple(checks))


# --- the 1-D Gaussian GAN of gantheory.gan.train, linearized -------------------------------------

mu, s = sp.symbols("mu sigma_g", real=True)  # the affine generator x = mu + sigma_g z
a, b, c = sp.symbols("a b c", real=True)  # the quadratic discriminator's logit a x^2 + b x + c
mu0 = sp.Symbol("mu_0", real=True)  # the target N(mu_0, s_0^2)
s0 = sp.Symbol("s_0", positive=True)
z, u = sp.symbols("z u", real=True)  # standard normal: the generator's noise, the data's


def _gaussian_mean(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> sp.Expr:
    """E of a polynomial in independent standard normal ``variables`` (exact Gaussian moments)."""
    expr = sp.expand(expr)
    for v in variables:
        if expr.has(v):
            poly = sp.Poly(expr, v)
            # E[v^n] = (n - 1)!! for even n, 0 for odd n
            expr = sum(coeff * (sp.factorial2(n - 1) if n % 2 == 0 else 0) for (n,), coeff in poly.terms())
    return sp.expand(expr)


epsilon = sp.Symbol("epsilon", nonnegative=True)  # instance noise: the discriminator sees x + epsilon v
v_real, v_fake, v_gen = sp.symbols("v_r v_f v_g", real=True)  # its standard normal draws, one per sample
#: The penalties of the linearization: R1 at the data, R2 at the generated samples.
GAUSSIAN_PENALTIES = (None, "r1", "r2")


@dataclass(frozen=True)
class GaussianDerivation:
    """The linearization of :func:`gantheory.gan.train`'s affine-quadratic GAN at its equilibrium.

    Attributes
    ----------
    loss : str
        "non-saturating", "minimax" or "wgan".
    penalty : {None, "r1", "r2"}
        The gradient penalty :math:`\\frac\\gamma2 s'(x)^2` of the discriminator's loss, if any.
    noise : bool
        Whether the discriminator sees every sample with instance noise :math:`\\epsilon v`.
    loss_g, loss_d : sympy expressions
        Integrands of the generator's and the discriminator's losses (both minimized, as in
        :mod:`gantheory.gan.losses`), functions of the standard normal ``z`` (noise) and ``u``
        (data :math:`x = \\mu_0 + s_0 u`), and of the instance noise's ``v_r``, ``v_f``, ``v_g``.
    state : tuple of sympy symbols
        (mu, sigma_g, a, b, c).
    jacobian : sympy Matrix (5, 5)
        Of the descent field :math:`-(\\nabla_\\theta L_G, \\nabla_\\psi L_D)` at the equilibrium
        :math:`(\\mu_0, s_0, 0, 0, 0)`, in the target's :math:`\\mu_0, s_0` (and :math:`\\gamma`,
        :math:`\\epsilon`).
    steps, checks : tuples of Step and Check
    """

    loss: str
    loss_g: sp.Expr
    loss_d: sp.Expr
    state: tuple
    jacobian: sp.Matrix
    steps: tuple[Step, ...]
    checks: tuple[Check, ...]
    penalty: str | None = None
    noise: bool = False

    @property
    def verified(self) -> bool:
        """Whether every check sympy made holds."""
        return all(c.holds for c in self.checks)


@functools.cache
def derive_gaussian(loss: str = "non-saturating", penalty: str | None = None, noise: bool = False) -> GaussianDerivation:
    """Linearize the 1-D Gaussian GAN (affine G, quadratic D) at p_g = p_data, D = 1/2.

    The losses are those of :mod:`gantheory.gan.losses` in expectation: the discriminator
    minimizes :math:`-\\mathbb{E}\\log\\sigma(s(x)) - \\mathbb{E}\\log\\sigma(-s(G(z)))`, the generator
    :math:`-\\mathbb{E}\\log\\sigma(s(G(z)))` (non-saturating) or :math:`\\mathbb{E}\\log\\sigma(-s(G(z)))`
    (minimax); for "wgan" the critic minimizes :math:`\\mathbb{E} s(G(z)) - \\mathbb{E} s(x)` and the
    generator :math:`-\\mathbb{E} s(G(z))`. With ``penalty`` the discriminator's loss gains
    :math:`\\frac\\gamma2 s'(x)^2` at the data (R1) or at the generated samples (R2); with ``noise``
    every sample the discriminator sees, in both players' losses, is shifted by
    :math:`\\epsilon v`, v standard normal (instance noise). sympy differentiates the integrands
    twice, sets :math:`\\psi = 0` (where every sigmoid is 1/2, so the integrands become
    polynomials) and takes the Gaussian expectations exactly.

    Examples
    --------
    The generator's block is zero and the coupling is antisymmetric, J = [[0, C], [-C^T, -Q]]:

    >>> d = derive_gaussian("non-saturating")
    >>> d.jacobian[:2, :2], d.jacobian[:2, 2:]
    (Matrix([
    [0, 0],
    [0, 0]]), Matrix([
    [mu_0, 1/2, 0],
    [ s_0,   0, 0]]))

    R1 adds :math:`\\gamma \\mathbb{E}[(2x, 1, 0)^T (2x, 1, 0)]` to Q; the coupling C stays:

    >>> r1 = derive_gaussian("non-saturating", "r1")
    >>> sp.simplify(r1.jacobian - d.jacobian)[3, 2:]
    Matrix([[-2*gamma*mu_0, -gamma, 0]])
    """
    if loss not in ("non-saturating", "minimax", "wgan"):
        raise ValueError(f"`loss` must be 'non-saturating', 'minimax' or 'wgan'; got {loss!r}.")
    if penalty not in GAUSSIAN_PENALTIES:
        raise ValueError(f"`penalty` must be None, 'r1' or 'r2'; got {penalty!r}.")
    logit = lambda at: a * at**2 + b * at + c  # noqa: E731
    slope = lambda at: sp.diff(logit(x), x).subs(x, at)  # noqa: E731 - derived, not typed: 2 a x + b
    shift = epsilon if noise else 0
    fake, real, seen_by_g = mu + s * z + shift * v_fake, mu0 + s0 * u + shift * v_real, mu + s * z + shift * v_gen
    if loss == "wgan":
        loss_d = logit(fake) - logit(real)
        loss_g = -logit(seen_by_g)
    else:
        loss_d = -LogSigmoid(logit(real)) - LogSigmoid(-logit(fake))
        loss_g = -LogSigmoid(logit(seen_by_g)) if loss == "non-saturating" else LogSigmoid(-logit(seen_by_g))
    if penalty is not None:
        loss_d = loss_d + gamma / 2 * slope(real if penalty == "r1" else fake) ** 2
    theta, psi = (mu, s), (a, b, c)
    state = (*theta, *psi)
    field = sp.Matrix([-sp.diff(loss_g, p) for p in theta] + [-sp.diff(loss_d, p) for p in psi])
    at_eq = {mu: mu0, s: s0, a: 0, b: 0, c: 0}
    variables = (z, u, v_real, v_fake, v_gen)
    raw = field.jacobian(state).subs(at_eq)
    jac = raw.applyfunc(lambda e: sp.simplify(_gaussian_mean(e, variables)))
    what = {"non-saturating": "", "minimax": "", "wgan": " (WGAN critic)"}[loss]
    steps = [
        Step("the generator's loss (integrand, minimized)", loss_g),
        Step(f"the discriminator's loss{what} (integrand, minimized)", loss_d),
        Step("the Jacobian of -(grad_theta L_G, grad_psi L_D) at (mu_0, s_0, 0, 0, 0), in expectation", jac),
    ]
    origin = field.subs(at_eq).applyfunc(lambda e: sp.simplify(_gaussian_mean(e, variables)))
    q = -jac[2:, 2:]
    seen = mu0 + s0 * u + shift * v_real  # the data as the discriminator sees them
    features = (seen**2, seen, 1)
    weight = 0 if loss == "wgan" else sp.Rational(1, 2)
    moments = sp.Matrix(3, 3, lambda i, j: _gaussian_mean(features[i] * features[j], variables))
    slope_features = [sp.diff(slope(seen), p) for p in psi]  # (2x, 1, 0)
    curvature = sp.Matrix(3, 3, lambda i, j: _gaussian_mean(slope_features[i] * slope_features[j], variables))
    expected_q = weight * moments + (gamma * curvature if penalty is not None else sp.zeros(3, 3))
    scale = 1 if loss == "wgan" else sp.Rational(1, 2)
    expected_c = sp.Matrix([[2 * mu0 * scale, scale, 0], [2 * s0 * scale, 0, 0]])
    block = {None: "", "r1": " + gamma E[grad_psi s' grad_psi s'^T], s' = 2ax + b", "r2": (
        " + gamma E[grad_psi s' grad_psi s'^T] at the generated samples, which are the data at the equilibrium")}
    q_claim = ("the discriminator's block is -(1/2) E[phi phi^T], phi = (x^2, x, 1)" if loss != "wgan"
               else "the critic's loss is linear in psi: no curvature of its own") + block[penalty]
    if noise:
        q_claim += ", under the data seen through the noise, N(mu_0, s_0^2 + epsilon^2)"
    checks = [
        Check("(mu_0, s_0, 0, 0, 0) is a stationary point of the expected field", origin == sp.zeros(5, 1)),
        Check("the generator's block is zero (no generator curvature at D = 1/2)", jac[:2, :2] == sp.zeros(2, 2)),
        Check("the coupling is antisymmetric: J_psi_theta = -J_theta_psi^T", sp.simplify(jac[2:, :2] + jac[:2, 2:].T)
              == sp.zeros(3, 2)),
        Check(f"the coupling is C = {'' if loss == 'wgan' else '1/2 '}dE[phi(G(z))]/dtheta = "
              f"{'' if loss == 'wgan' else '1/2 '}[[2 mu_0, 1, 0], [2 s_0, 0, 0]], whatever the penalty and noise",
              sp.simplify(jac[:2, 2:] - expected_c) == sp.zeros(2, 3)),
        Check(q_claim, sp.simplify(q - expected_q) == sp.zeros(3, 3)),
    ]
    return GaussianDerivation(loss, loss_g, loss_d, state, jac, tuple(steps), tuple(checks), penalty, noise)


# --- the gradient penalties' mixed second derivatives, as gan.models computes them ------------------


@dataclass(frozen=True)
class PenaltyDerivation:
    """The parameter gradient of a logit's slope, :math:`\\partial s'(x)/\\partial\\psi`, derived by sympy
    and compared with the hand-derived formulas of :mod:`gantheory.gan.models`.

    Attributes
    ----------
    model : str
        "quadratic" or "mlp" (one hidden unit: the MLP's slope is a sum over units).
    slope : sympy expression
        :math:`s'(x)`.
    gradient : sympy Matrix
        :math:`\\partial s'/\\partial\\psi`, by sympy.
    steps, checks : tuples of Step and Check
    """

    model: str
    slope: sp.Expr
    gradient: sp.Matrix
    steps: tuple[Step, ...]
    checks: tuple[Check, ...]

    @property
    def verified(self) -> bool:
        """Whether every check sympy made holds."""
        return all(c.holds for c in self.checks)


@functools.cache
def derive_penalty_gradient(model: str = "quadratic") -> PenaltyDerivation:
    """The mixed second derivative :math:`\\partial^2 s / \\partial x\\,\\partial\\psi` that the R1, R2 and
    WGAN-GP penalties need, by sympy, against the formulas ``backward_slope`` implements.

    With :math:`\\Omega = \\frac\\gamma2 \\frac1m\\sum_i (|s'(x_i)| - t)^2` the discriminator's gradient is
    :math:`\\frac\\gamma m \\sum_i (s'_i - t\\,\\mathrm{sign}\\,s'_i)\\,\\partial s'_i/\\partial\\psi`.

    Examples
    --------
    >>> d = derive_penalty_gradient("quadratic")
    >>> d.gradient.T
    Matrix([[2*x, 1, 0]])
    >>> derive_penalty_gradient("mlp").verified
    True
    """
    if model == "quadratic":
        params = (a, b, c)
        logit = a * x**2 + b * x + c
        hand = sp.Matrix([2 * x, 1, 0])
        described = "the quadratic logit a x^2 + b x + c"
    elif model == "mlp":
        w1, b1, w2, b2 = sp.symbols("w_1 b_1 w_2 b_2", real=True)
        params = (w1, b1, w2, b2)
        logit = w2 * sp.tanh(w1 * x + b1) + b2
        h = sp.tanh(w1 * x + b1)
        hand = sp.Matrix([w2 * (1 - h**2) * (1 - 2 * w1 * h * x), -2 * w2 * w1 * h * (1 - h**2), w1 * (1 - h**2), 0])
        described = "one tanh unit of the MLP, w_2 tanh(w_1 x + b_1) + b_2 (the slope sums over units)"
    else:
        raise ValueError(f"`model` must be 'quadratic' or 'mlp'; got {model!r}.")
    slope = sp.diff(logit, x)
    gradient = sp.Matrix([sp.diff(slope, p) for p in params])
    rewritten = gradient.applyfunc(lambda e: sp.simplify(e.rewrite(sp.exp)))
    expected = hand.applyfunc(lambda e: sp.simplify(sp.sympify(e).rewrite(sp.exp)))
    steps = (
        Step(f"the logit: {described}", logit),
        Step("its slope in the input, s'(x) = ds/dx, by sympy.diff", slope),
        Step(f"the slope's gradient in the parameters {', '.join(str(p) for p in params)}", gradient),
    )
    symmetric = sp.simplify(sp.Matrix([sp.diff(sp.diff(logit, p), x) for p in params]) - gradient) == sp.zeros(
        len(params), 1)
    checks = (
        Check("the mixed partials commute: d/dpsi (ds/dx) = d/dx (ds/dpsi)", symmetric),
        Check("they equal the formulas that gan.models' backward_slope documents", sp.simplify(rewritten - expected)
              == sp.zeros(len(params), 1)),
        Check("at 20 random points and parameters, gan.models' backward_slope computes them to 1e-12",
              _backward_slope_agrees(model, params, gradient)),
    )
    return PenaltyDerivation(model, slope, gradient, steps, checks)


def _backward_slope_agrees(model: str, params: tuple, gradient: sp.Matrix) -> bool:
    """gan.models' backward_slope (one hidden unit for the MLP, whose layout is then (w1, b1, w2, b2))
    against the sympy gradient, lambdified, at random parameters and inputs."""
    import numpy as np

    from gantheory.gan.models import DISCRIMINATORS

    disc = DISCRIMINATORS[model]
    rng = np.random.default_rng(0)
    psi, inputs = rng.uniform(-2, 2, (20, len(params))), rng.uniform(-3, 3, (20, 1))
    _, cache = disc.forward(psi, inputs)
    computed = disc.backward_slope(psi, cache, np.ones((20, 1)))
    function = sp.lambdify((x, *params), list(gradient), modules="numpy")
    exact = np.stack([np.broadcast_to(np.asarray(v, dtype=float), 20) for v in function(inputs[:, 0], *psi.T)], axis=1)
    return bool(np.abs(computed - exact).max() <= 1e-12 * max(1.0, np.abs(exact).max()))
