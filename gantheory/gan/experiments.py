"""Experiments that tie the trained NumPy GAN to the exact theory. Each returns data, not figures.

- :func:`discriminator_to_optimum`: D trained alone against a frozen N(theta, 1) recovers the
  analytic D* of eq. (7), whose logit coefficients come from :mod:`gantheory.symbolic`.
- :func:`generator_gradient_check`: Monte-Carlo generator gradients through the hand-derived
  backward passes, with D set to the exact D*, against :func:`gantheory.curves.generator_gradients`.
- :func:`convergence`: the affine/quadratic GAN on N(4, 1.25^2) from N(0, 1) over many seeds.
- :func:`vanishing_gradients`: the saturating and non-saturating losses started 10 sigma away
  with a discriminator trained near its optimum (section 6.1 of the article).
- :func:`methods_from_afar`: the same distant start for every training method (WGAN, WGAN-GP,
  R1, R2, instance noise beside the two losses): which converge, and how fast.
- :func:`mlp_convergence`: the MLP generator and discriminator on N(4, 1.25^2) under several
  training settings (momentum, R1, Adam): which make the pair converge.
- :func:`mode_collapse`: the MLP GAN on a two-mode mixture, with a precise definition of mode
  coverage, for both losses; runs cover both modes, one (collapse) or neither.
- :func:`figure1`: the four panels of Goodfellow et al. (2014), Figure 1, from a real run.

The plotting builders in :mod:`gantheory.plotting` and the scripts in ``scripts/`` draw these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special, stats

from gantheory.distributions import Density, Mixture, check_choice, check_distribution, check_int, check_real
from gantheory.gan.metrics import gaussian_js
from gantheory.gan.models import DISCRIMINATORS, GENERATORS
from gantheory.gan.train import TrainResult, generator_gradient, train

__all__ = [
    "Convergence",
    "DiscriminatorOptimum",
    "Figure1",
    "GradientCheck",
    "METHODS",
    "MLPConvergence",
    "MLP_METHODS",
    "MODE_CLASSES",
    "MethodComparison",
    "ModeCollapse",
    "VanishingGradients",
    "convergence",
    "discriminator_to_optimum",
    "figure1",
    "generator_gradient_check",
    "methods_from_afar",
    "mlp_convergence",
    "mode_coverage",
    "mode_collapse",
    "vanishing_gradients",
]


def _d_star_coefficients(mu_data: float, sigma_data: float, mu_g: float, sigma_g: float) -> np.ndarray:
    """(a, b, c) of logit D* = log p_data - log p_g for two Gaussians, from gantheory.symbolic."""
    from gantheory import symbolic  # sympy is slow to import: only when an experiment needs it

    return np.array(symbolic.gaussian_logit_coefficients_numeric(mu_data, sigma_data, mu_g, sigma_g))


# ------------------------------------------------------------------------------ D -> D*


@dataclass
class DiscriminatorOptimum:
    """D trained alone against a frozen generator, next to the analytic D*.

    Attributes
    ----------
    theta : float
        The frozen generator is N(theta, 1); the data N(0, 1).
    exact : ndarray, shape (3,)
        (a, b, c) of :math:`\\operatorname{logit} D^* = a x^2 + b x + c` (eq. 7, via sympy).
    learned : ndarray, shape (E, 3)
        Each member's final quadratic discriminator.
    x : ndarray, shape (n,)
        The bulk of both densities: from 3 below the data's mean to 3 above the generator's.
    d_exact : ndarray, shape (n,)
        :math:`D^*(x)`.
    d_learned : ndarray, shape (E, n)
        Each member's :math:`D(x)`.
    result : TrainResult
    """

    theta: float
    exact: np.ndarray
    learned: np.ndarray
    x: np.ndarray
    d_exact: np.ndarray
    d_learned: np.ndarray
    result: TrainResult

    @property
    def max_abs_error(self) -> np.ndarray:
        """Per member, :math:`\\max_x |D(x) - D^*(x)|` over the bulk, shape (E,)."""
        return np.abs(self.d_learned - self.d_exact).max(axis=1)


def discriminator_to_optimum(
    theta: float = 2.0, *, steps: int = 5000, ensemble: int = 16, lr: float = 0.005, seed: int = 0
) -> DiscriminatorOptimum:
    """Train the quadratic discriminator alone against a frozen N(theta, 1), data N(0, 1).

    The inner loop of Algorithm 1 with the generator frozen is logistic regression on the
    features :math:`(x^2, x, 1)`, whose population optimum is :math:`D^*` exactly (eq. 7).

    Examples
    --------
    >>> out = discriminator_to_optimum(2.0, steps=3000, ensemble=8)
    >>> out.exact                                     # logit D* = 2 - 2x
    array([ 0., -2.,  2.])
    >>> bool(np.abs(out.learned.mean(axis=0) - out.exact).max() < 0.05)
    True
    """
    theta = check_real(theta, "theta")
    result = train(
        stats.norm(0, 1), theta0=[theta, 1.0], freeze="generator", steps=steps, lr=lr,
        ensemble=ensemble, seed=seed, track_js=False,
    )
    exact = _d_star_coefficients(0.0, 1.0, theta, 1.0)
    x = np.linspace(min(0.0, theta) - 3.0, max(0.0, theta) + 3.0, 201)
    d_exact = special.expit(exact[0] * x**2 + exact[1] * x + exact[2])
    return DiscriminatorOptimum(theta, exact, result.psi.copy(), x, d_exact, result.d(x), result)


# ------------------------------------------------------------------------------ gradients under D*


@dataclass
class GradientCheck:
    """Monte-Carlo generator gradients under the exact D*, next to the quadrature values.

    All arrays have shape (len(distances),). ``*_mc`` are sample means of per-sample gradients
    from the hand-derived backward passes, ``*_se`` their standard errors, ``*_exact`` the values
    of :func:`gantheory.curves.generator_gradients`.
    """

    distances: np.ndarray
    samples: int
    saturating_mc: np.ndarray
    saturating_se: np.ndarray
    saturating_exact: np.ndarray
    non_saturating_mc: np.ndarray
    non_saturating_se: np.ndarray
    non_saturating_exact: np.ndarray

    def z_scores(self) -> tuple[np.ndarray, np.ndarray]:
        """(MC - exact) / SE for the saturating and non-saturating gradients."""
        return (
            (self.saturating_mc - self.saturating_exact) / self.saturating_se,
            (self.non_saturating_mc - self.non_saturating_exact) / self.non_saturating_se,
        )


def _per_sample_gradients(theta: float, z: np.ndarray, loss: str) -> np.ndarray:
    """d loss / d mu for each noise point, through the model code: one member per sample."""
    gen, disc = GENERATORS["affine"], DISCRIMINATORS["quadratic"]
    n = z.size
    params = np.broadcast_to([theta, 1.0], (n, 2)).copy()
    psi = np.broadcast_to(_d_star_coefficients(0.0, 1.0, theta, 1.0), (n, 3)).copy()
    grad, _ = generator_gradient(gen, disc, params, psi, z.reshape(n, 1), loss)
    return grad[:, 0]  # (n,): the mu component is the derivative in theta


def generator_gradient_check(
    distances: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0), *, samples: int = 20_000, seed: int = 0
) -> GradientCheck:
    """Monte-Carlo gradients of both generator losses with D frozen at the exact D*.

    Setting of :func:`gantheory.curves.generator_gradients`: :math:`p_{data} = N(0, 1)`,
    :math:`G(z) = \\theta + z`, D = D* for the current :math:`\\theta` (coefficients from
    :mod:`gantheory.symbolic`). Each noise point is one member of an ensemble with m = 1, so the
    training code's :func:`~gantheory.gan.train.generator_gradient` returns per-sample gradients.

    Far away both expectations depend on rare noise: the saturating gradient
    :math:`\\theta E_z D^*(\\theta + z)` is carried by z near :math:`-\\theta/2`, where D* is not
    yet 0 (probability about 1e-7 at distance 10), and the non-saturating one,
    :math:`\\theta E_z[1 - D^*]`, differs from :math:`\\theta` by exactly that amount. So the noise is
    drawn half from :math:`p_z = N(0, 1)` and half from :math:`N(-\\theta/2, 1)`, and each per-sample
    gradient is weighted by :math:`\\varphi(z) / q(z)` with :math:`q` the equal mixture of the two
    (multiple importance sampling with the balance heuristic; weights are at most 2). The
    estimate is unbiased; its standard error combines the two halves' sample variances.

    Examples
    --------
    >>> check = generator_gradient_check((1.0, 10.0), samples=4000)
    >>> sat_z, nonsat_z = check.z_scores()
    >>> bool((np.abs(sat_z) < 4).all() and (np.abs(nonsat_z) < 4).all())
    True
    """
    from gantheory.curves import generator_gradients

    samples = check_int(samples, "samples", minimum=4)
    d = np.array([check_real(v, "distances") for v in distances])
    rng = np.random.default_rng(seed)
    sat_exact, nonsat_exact = generator_gradients(d)
    half = samples // 2
    log_half = np.log(0.5)
    out = {key: np.empty(d.size) for key in ("minimax", "minimax_se", "non-saturating", "non-saturating_se")}
    for i, theta in enumerate(d):
        shift = -theta / 2
        strata = [rng.standard_normal(half), rng.standard_normal(samples - half) + shift]
        for loss in ("minimax", "non-saturating"):
            mean, var = 0.0, 0.0
            for z in strata:
                log_phi = -0.5 * z**2
                log_w = log_phi - np.logaddexp(log_half + log_phi, log_half - 0.5 * (z - shift) ** 2)
                g = np.exp(log_w) * _per_sample_gradients(theta, z, loss)
                mean += 0.5 * g.mean()
                var += 0.25 * g.var(ddof=1) / z.size
            out[loss][i], out[loss + "_se"][i] = mean, np.sqrt(var)
    return GradientCheck(
        d, samples, out["minimax"], out["minimax_se"], np.asarray(sat_exact), out["non-saturating"],
        out["non-saturating_se"], np.asarray(nonsat_exact),
    )


# ------------------------------------------------------------------------------ convergence


@dataclass
class Convergence:
    """Final state of many independent affine/quadratic GANs on one target.

    Attributes
    ----------
    js : ndarray, shape (E,)
        Exact final JS(p_g || p_data) per seed, nats.
    mu, sigma : ndarray, shape (E,)
        Final generator parameters (sigma as |sigma|).
    result : TrainResult
    """

    js: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray
    result: TrainResult

    def summary(self) -> dict:
        """Quantiles (0, 5, 50, 95, 100 %) of the final JS, mu and sigma, and the diverged count."""
        q = [0.0, 0.05, 0.5, 0.95, 1.0]
        return {
            "js": np.quantile(self.js, q),
            "mu": np.quantile(self.mu, q),
            "sigma": np.quantile(self.sigma, q),
            "diverged": int(self.result.diverged.sum()),
        }


def convergence(
    target: Density | None = None, *, ensemble: int = 64, steps: int = 10_000, seed: int = 0, **train_kwargs
) -> Convergence:
    """Train ``ensemble`` affine/quadratic GANs (non-saturating loss, defaults of :func:`train`).

    ``target`` defaults to N(4, 1.25^2); every generator starts at N(0, 1).

    Examples
    --------
    >>> out = convergence(ensemble=4, steps=10_000)
    >>> bool((out.js < 1e-2).all())
    True
    """
    target = stats.norm(4, 1.25) if target is None else check_distribution(target, "target")
    result = train(target, ensemble=ensemble, steps=steps, seed=seed, **train_kwargs)
    return Convergence(result.js(), result.theta[:, 0].copy(), np.abs(result.theta[:, 1]), result)


# ------------------------------------------------------------------------------ vanishing gradients


@dataclass
class VanishingGradients:
    """Saturating against non-saturating generator losses from a distant start.

    Attributes
    ----------
    step : ndarray, shape (n_logged,)
    js : dict
        ``{"minimax": (n_logged, E), "non-saturating": (n_logged, E)}``: exact JS per member.
    g_grad_norm : dict
        The same for the generator's gradient norm.
    d_fake : dict
        The same for the mean of D(G(z)) on the generator's minibatch.
    d_start : ndarray, shape (E, 3)
        The discriminators both runs start from (D* itself, or D trained alone).
    d_star : ndarray, shape (3,)
        The exact optimum for the starting generator, for comparison.
    distance : float
    """

    step: np.ndarray
    js: dict
    g_grad_norm: dict
    d_fake: dict
    d_start: np.ndarray
    d_star: np.ndarray
    distance: float

    def mean_and_spread(self, loss: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ensemble mean and the 10 % and 90 % quantiles of the JS over iterations."""
        js = self.js[loss]
        return js.mean(axis=1), np.quantile(js, 0.1, axis=1), np.quantile(js, 0.9, axis=1)


def vanishing_gradients(
    distance: float = 10.0,
    *,
    ensemble: int = 32,
    steps: int = 2000,
    discriminator_start: str = "optimal",
    pretrain_steps: int = 2000,
    lr: float = 0.005,
    seed: int = 0,
    log_every: int | None = None,
) -> VanishingGradients:
    """Start the generator ``distance`` standard deviations from the data, with D at its optimum.

    Data N(0, 1), generator N(distance, 1). With ``discriminator_start="optimal"`` (the default)
    the quadratic discriminator starts *at* the exact D* for that generator (coefficients from
    :mod:`gantheory.symbolic`; logit :math:`-d\\,x + d^2/2`), the situation of section 6.1. With
    ``"trained"`` it is first trained alone for ``pretrain_steps`` iterations against the frozen
    generator instead; SGD does not get near D* then (the optimum's logits grow like
    :math:`d^2/2` while the gradient vanishes as D saturates), but D still rejects the generated
    samples confidently. From that start the same seeds run Algorithm 1 for ``steps`` iterations
    with the minimax (saturating) loss and with the non-saturating loss (eq. 10). The saturating
    gradient is of the order of :math:`e^{s}` at the generated samples' logits s, so that run does
    not move.

    The non-saturating run moves, but from D* itself (d = 10, defaults) it does not simply
    converge: its first gradient is about 10, and with momentum the generator overshoots past the
    data, to where the unchanged quadratic D* accepts its samples (:math:`D(G(z)) \\to 1`); there
    its gradient :math:`\\sigma(-s)` falls to about 1e-9 as well, and JS climbs back towards
    log 2 before the discriminator catches up (mean final JS about 0.47 after 2000 iterations,
    32 seeds). From the discriminator trained alone, the non-saturating run converges.

    Examples
    --------
    >>> out = vanishing_gradients(10.0, ensemble=4, steps=400)
    >>> mean_sat = out.mean_and_spread("minimax")[0]
    >>> mean_ns = out.mean_and_spread("non-saturating")[0]
    >>> bool(mean_sat[-1] > 0.69 and mean_ns[-1] < mean_sat[-1])
    True
    """
    distance = check_real(distance, "distance")
    check_choice(discriminator_start, "discriminator_start", ("optimal", "trained"))
    target = stats.norm(0, 1)
    d_star = _d_star_coefficients(0, 1, distance, 1)
    if discriminator_start == "optimal":
        d_start = np.tile(d_star, (ensemble, 1))
    else:
        d_start = train(
            target, theta0=[distance, 1.0], freeze="generator", steps=pretrain_steps, lr=lr,
            ensemble=ensemble, seed=seed, track_js=False,
        ).psi
    js, norms, d_fake = {}, {}, {}
    step = None
    for loss in ("minimax", "non-saturating"):
        run = train(
            target, theta0=[distance, 1.0], psi0=d_start, steps=steps, lr=lr, ensemble=ensemble,
            seed=seed + 1, loss=loss, log_every=log_every,
        )
        js[loss], norms[loss], step = run.history.js, run.history.g_grad_norm, run.history.step
        d_fake[loss] = run.history.d_fake
    return VanishingGradients(step, js, norms, d_fake, d_start.copy(), d_star, distance)


# ------------------------------------------------------------------------------ mode collapse


def mode_coverage(samples: np.ndarray, target: Mixture, *, width: float = 3.0) -> np.ndarray:
    """Fraction of each mode's target mass that the samples put near it, shape (E, K).

    For component k with mean :math:`\\mu_k`, scale :math:`\\sigma_k` and weight :math:`w_k`,
    the coverage of member e is

    .. math:: c_{ek} = \\frac{\\#\\{i : |x_{ei} - \\mu_k| \\le \\text{width}\\,\\sigma_k\\} / n}
                            {w_k \\, P(|Y - \\mu_k| \\le \\text{width}\\,\\sigma_k), \\ Y \\sim p_k}

    about 1 for a generator that matches the target, about 0 for one that misses mode k.
    Components must be location-scale families (``mean()`` and ``std()``).
    """
    x = np.asarray(samples, dtype=np.float64)
    out = np.empty((x.shape[0], len(target.components)))
    for k, (comp, w) in enumerate(zip(target.components, target.weights)):
        mu, sd = float(comp.mean()), float(comp.std())
        inside = comp.cdf(mu + width * sd) - comp.cdf(mu - width * sd)
        out[:, k] = (np.abs(x - mu) <= width * sd).mean(axis=1) / (w * inside)
    return out


#: The classes of a mode-collapse run, by the number of modes it covers (see :class:`ModeCollapse`).
MODE_CLASSES = ("both modes", "one mode (collapsed)", "neither mode")


@dataclass
class ModeCollapse:
    """Mode coverage of MLP GANs on a mixture, for both generator losses.

    A mode is *covered* by a run when its coverage (:func:`mode_coverage`) is at least
    ``threshold``. Each run falls in one of :data:`MODE_CLASSES`: it covers both modes, exactly
    one (mode collapse: its mass sits on one mode), or neither (its mass is elsewhere, for example
    between the modes: a failure, but not a collapse onto a mode).

    Attributes
    ----------
    coverage : dict
        Loss name -> (E, K) coverage (:func:`mode_coverage`).
    modes_covered : dict
        Loss name -> (E,) int: how many of the K = 2 modes each run covers.
    samples : dict
        Loss name -> (E, n) final generator samples, for histograms.
    threshold : float
    results : dict
        Loss name -> TrainResult.
    """

    coverage: dict
    modes_covered: dict
    samples: dict
    threshold: float
    target: Mixture
    results: dict = field(repr=False)

    @property
    def collapsed(self) -> dict:
        """Loss name -> (E,) bool: the run covers exactly one mode."""
        return {loss: n == 1 for loss, n in self.modes_covered.items()}

    @property
    def missed_both(self) -> dict:
        """Loss name -> (E,) bool: the run covers neither mode."""
        return {loss: n == 0 for loss, n in self.modes_covered.items()}

    def classes(self, loss: str) -> np.ndarray:
        """Index into :data:`MODE_CLASSES` of each run of ``loss``, shape (E,): 0 both, 1 one, 2 neither."""
        return np.choose(np.clip(self.modes_covered[loss], 0, 2), [2, 1, 0])

    def fractions(self, loss: str) -> dict[str, float]:
        """The fraction of runs of ``loss`` in each of :data:`MODE_CLASSES` (diverged runs excluded)."""
        ok = ~self.results[loss].diverged
        classes = self.classes(loss)[ok]
        return {name: float(np.mean(classes == k)) if classes.size else float("nan")
                for k, name in enumerate(MODE_CLASSES)}

    def fraction_collapsed(self, loss: str) -> float:
        """Fraction of runs (excluding diverged ones) that cover exactly one mode."""
        return self.fractions(loss)[MODE_CLASSES[1]]


def bimodal_target() -> Mixture:
    """0.5 N(-3, 0.5^2) + 0.5 N(3, 0.5^2): two well-separated modes."""
    return Mixture([stats.norm(-3, 0.5), stats.norm(3, 0.5)], [0.5, 0.5])


def mode_collapse(
    *,
    ensemble: int = 256,
    steps: int = 4000,
    lr: float = 0.005,
    hidden: int = 16,
    samples: int = 4000,
    threshold: float = 0.2,
    seed: int = 0,
    losses: tuple[str, ...] = ("minimax", "non-saturating"),
    **train_kwargs,
) -> ModeCollapse:
    """Train MLP generators and discriminators on :func:`bimodal_target` with each loss.

    A run covers a mode if its coverage (:func:`mode_coverage`, width 3 sigma) of that mode is at
    least ``threshold``: the mode receives at least that share of the generated mass it should.
    A run that covers exactly one mode has *collapsed*; one that covers neither is counted apart
    (:class:`ModeCollapse`). Both losses use the same seeds, hence the same initial networks, data
    and noise.

    Examples
    --------
    >>> out = mode_collapse(ensemble=4, steps=200)
    >>> sum(out.fractions("minimax").values())
    1.0
    """
    target = bimodal_target()
    threshold = check_real(threshold, "threshold", positive=True)
    rng_seed = np.random.SeedSequence(seed).spawn(1)[0]
    coverage, covered, drawn, results = {}, {}, {}, {}
    for loss in losses:
        result = train(
            target, generator="mlp", discriminator="mlp", loss=loss, steps=steps, lr=lr,
            hidden=hidden, ensemble=ensemble, seed=seed, track_js=False, **train_kwargs,
        )
        x = result.sample(samples, np.random.default_rng(rng_seed))
        coverage[loss] = mode_coverage(x, target)
        covered[loss] = (coverage[loss] >= threshold).sum(axis=1)
        drawn[loss], results[loss] = x, result
    return ModeCollapse(coverage, covered, drawn, threshold, target, results)


# ------------------------------------------------------------------------------ Figure 1


@dataclass
class Figure1:
    """The four panels of Goodfellow et al. (2014), Figure 1, from one real run.

    Attributes
    ----------
    x : ndarray, shape (n,)
        Grid for the curves.
    p_data : ndarray, shape (n,)
    panels : list of dict
        For (a), (b), (c), (d): ``p_g`` (n,), ``d`` (n,) the discriminator's D(x), ``theta``
        and ``psi`` (the parameters), ``z`` (k,) and ``g_of_z`` (k,) for the mapping lines, and
        ``label``.
    d_star_b : ndarray, shape (n,)
        The exact optimal discriminator for panel (b)'s generator: what (b) should show.
    """

    x: np.ndarray
    p_data: np.ndarray
    panels: list
    d_star_b: np.ndarray


def figure1(*, seed: int = 0, lines: int = 11) -> Figure1:
    """Goodfellow et al. (2014), Figure 1, from a real affine/quadratic run on N(0, 1) data.

    (a) near convergence: a GAN started at N(-1.5, 1) after 20 iterations;
    (b) the discriminator trained alone to (near) optimality against (a)'s generator: it
    approaches :math:`D^* = p_{data}/(p_{data} + p_g)`; (c) after generator updates against the
    fixed D of (b), :math:`p_g` moves toward the data; (d) after training to equilibrium, where
    :math:`p_g = p_{data}` and D = 1/2.
    """
    target = stats.norm(0, 1)
    common = dict(seed=seed, track_js=False, lr=0.005)
    start = [-1.5, 1.0]
    a = train(target, theta0=start, steps=20, **common)
    b = train(target, theta0=a.theta[0], psi0=a.psi[0], freeze="generator", steps=4000, **common)
    c = train(target, theta0=b.theta[0], psi0=b.psi[0], freeze="discriminator", steps=20, **common)
    d = train(target, theta0=start, steps=10_000, **common)
    x = np.linspace(-5, 5, 401)
    z = np.linspace(-2, 2, lines)
    panels = []
    for label, run in zip("abcd", (a, b, c, d)):
        mu, sigma = run.theta[0]
        panels.append({
            "label": label,
            "theta": run.theta[0].copy(),
            "psi": run.psi[0].copy(),
            "p_g": stats.norm(mu, abs(sigma)).pdf(x),
            "d": run.d(x)[0],
            "z": z,
            "g_of_z": mu + sigma * z,
            "js": float(gaussian_js(mu, sigma, target)),
        })
    mu_b, sigma_b = b.theta[0]
    log_ratio = target.logpdf(x) - stats.norm(mu_b, abs(sigma_b)).logpdf(x)
    return Figure1(x, target.pdf(x), panels, special.expit(log_ratio))


# ------------------------------------------------------------------------------ every method from 10 sigma


#: The training methods compared from a distant start: ``gan.train`` settings by name. R1 and R2
#: take gamma = 1; instance noise has the data's scale; WGAN clips at 0.1, which for the quadratic
#: critic caps its slope 2ax + b near the data at a few tenths. WGAN-GP takes gamma = 2 (Gulrajani
#: et al.'s lambda = 1, since every penalty here carries gamma/2): their lambda = 10 puts the
#: penalty's curvature, gamma E[(2 x_hat)^2] with interpolates x_hat spread over [0, 10], near
#: 2700, far beyond the step-size bound 2(1 + momentum)/lr = 760 of SGD at lr 0.005, and the
#: critic's pre-training diverges.
METHODS: dict[str, dict] = {
    "minimax": {"loss": "minimax"},
    "non-saturating": {"loss": "non-saturating"},
    "minimax + instance noise": {"loss": "minimax", "noise": 1.0},
    "non-saturating + R1": {"loss": "non-saturating", "penalty": "r1", "gamma": 1.0},
    "non-saturating + R2": {"loss": "non-saturating", "penalty": "r2", "gamma": 1.0},
    "WGAN (clipping)": {"loss": "wgan", "clip": 0.1},
    "WGAN-GP": {"loss": "wgan", "penalty": "gp", "gamma": 2.0},
}


@dataclass
class MethodComparison:
    """Training methods started alike, far from the data: who converges, and how fast.

    Attributes
    ----------
    step : ndarray, shape (n_logged,)
    js : dict
        Method -> (n_logged, E) exact JS(p_g || p_data) per member (NaN after a divergence).
    final_js : dict
        Method -> (E,) the JS of the final generators.
    converged : dict
        Method -> (E,) bool: not diverged and final JS below ``tolerance``.
    settled : dict
        Method -> (E,) int: the first logged iteration from which JS stays below ``tolerance`` to
        the end, -1 for members that do not converge.
    theta : dict
        Method -> (E, 2) final (mu, sigma).
    diverged : dict
        Method -> (E,) bool.
    settings : dict
        Method -> the ``gan.train`` settings it used.
    distance, tolerance : float
    """

    step: np.ndarray
    js: dict
    final_js: dict
    converged: dict
    settled: dict
    theta: dict
    diverged: dict
    settings: dict
    distance: float
    tolerance: float

    def fraction(self, method: str) -> float:
        """Fraction of members of ``method`` that converge."""
        return float(self.converged[method].mean())

    def median_settling(self, method: str) -> float:
        """Median settling iteration over the members that converge (NaN if none)."""
        settled = self.settled[method]
        return float(np.median(settled[settled >= 0])) if (settled >= 0).any() else float("nan")


def _settled(step: np.ndarray, js: np.ndarray, tolerance: float) -> np.ndarray:
    """Per member (column), the first logged step from which ``js`` stays below ``tolerance``; -1 if never."""
    below = np.nan_to_num(js, nan=np.inf) < tolerance  # (n, E)
    stays = np.flip(np.logical_and.accumulate(np.flip(below, axis=0), axis=0), axis=0)  # below from row r on
    first = np.argmax(stays, axis=0)
    return np.where(stays[-1], step[first], -1)


def methods_from_afar(
    distance: float = 10.0,
    *,
    methods: dict[str, dict] | None = None,
    ensemble: int = 64,
    steps: int = 4000,
    pretrain_steps: int = 2000,
    lr: float = 0.005,
    tolerance: float = 1e-3,
    seed: int = 0,
    log_every: int = 20,
) -> MethodComparison:
    """Every training method from a generator ``distance`` standard deviations from the data.

    The vanishing-gradient experiment (:func:`vanishing_gradients`) for each of ``methods``
    (default :data:`METHODS`): data N(0, 1), generator N(distance, 1), affine generator and
    quadratic discriminator. Each method's discriminator is first trained alone against the frozen
    generator for ``pretrain_steps`` iterations with that method's own loss and regularizer (the
    situation of section 6.1: a discriminator that has learned to reject the generated samples),
    then the same seeds run Algorithm 1 for ``steps`` iterations.

    A member *converges* when it does not diverge and its final JS is below ``tolerance`` nats;
    its *settling time* is the first logged iteration from which JS stays below ``tolerance``.

    Examples
    --------
    >>> out = methods_from_afar(methods={"minimax": METHODS["minimax"], "R1": METHODS["non-saturating + R1"]},
    ...                         ensemble=4, steps=1500, pretrain_steps=500)
    >>> out.fraction("minimax"), out.fraction("R1")
    (0.0, 1.0)
    """
    distance = check_real(distance, "distance")
    tolerance = check_real(tolerance, "tolerance", positive=True)
    methods = METHODS if methods is None else dict(methods)
    target = stats.norm(0, 1)
    start = [distance, 1.0]
    out: dict[str, dict] = {name: {} for name in ("js", "final_js", "converged", "settled", "theta", "diverged")}
    step = None
    for name, settings in methods.items():
        pretrained = train(target, theta0=start, freeze="generator", steps=pretrain_steps, lr=lr, ensemble=ensemble,
                           seed=seed, track_js=False, **settings)
        run = train(target, theta0=start, psi0=pretrained.psi, steps=steps, lr=lr, ensemble=ensemble, seed=seed + 1,
                    log_every=log_every, **settings)
        step = run.history.step
        with np.errstate(invalid="ignore"):
            final = np.where(run.diverged, np.nan, run.js())
        out["js"][name], out["final_js"][name] = run.history.js, final
        out["converged"][name] = ~run.diverged & (np.nan_to_num(final, nan=np.inf) < tolerance)
        out["settled"][name] = np.where(out["converged"][name], _settled(step, run.history.js, tolerance), -1)
        out["theta"][name], out["diverged"][name] = run.theta.copy(), run.diverged.copy()
    return MethodComparison(step, out["js"], out["final_js"], out["converged"], out["settled"], out["theta"],
                            out["diverged"], {name: dict(s) for name, s in methods.items()}, distance, tolerance)


# ------------------------------------------------------------------------------ the MLP pair


#: The MLP pair's training settings compared by :func:`mlp_convergence`: the default of the issue
#: (SGD, lr 0.01, momentum 0.9), a smaller step, less or no momentum at the same effective step
#: lr / (1 - momentum), more discriminator steps, the R1 penalty at two weights, and Adam.
MLP_METHODS: dict[str, dict] = {
    "SGD lr 0.01, momentum 0.9": {},
    "SGD lr 0.005, momentum 0.9": {"lr": 0.005},
    "SGD lr 0.05, momentum 0.5": {"lr": 0.05, "momentum": 0.5},
    "SGD lr 0.1, no momentum": {"lr": 0.1, "momentum": 0.0},
    "SGD lr 0.01, momentum 0.9, k = 5": {"k": 5},
    "SGD lr 0.01, momentum 0.9, R1 gamma = 1": {"penalty": "r1", "gamma": 1.0},
    "SGD lr 0.01, momentum 0.9, R1 gamma = 3": {"penalty": "r1", "gamma": 3.0},
    "Adam lr 0.001": {"optimizer": "adam", "lr": 0.001},
}


@dataclass
class MLPConvergence:
    """The MLP pair on N(4, 1.25^2) under several training settings.

    Attributes
    ----------
    mean, std : dict
        Method -> (E,) mean and standard deviation of each final generator's output (exact for
        the network, by Gauss-Hermite quadrature over z).
    converged : dict
        Method -> (E,) bool: not diverged, mean within ``tolerance`` of 4 and std within
        ``tolerance`` of 1.25.
    history : dict
        Method -> (step, mean (n_logged, E), std (n_logged, E)) along training.
    settings : dict
        Method -> ``gan.train`` settings on top of the common ones.
    tolerance : float
    """

    mean: dict
    std: dict
    converged: dict
    history: dict
    settings: dict
    tolerance: float
    target: tuple = (4.0, 1.25)

    def fraction(self, method: str) -> float:
        """Fraction of the members of ``method`` that converge."""
        return float(self.converged[method].mean())


def mlp_convergence(
    methods: dict[str, dict] | None = None,
    *,
    ensemble: int = 64,
    steps: int = 20_000,
    lr: float = 0.01,
    hidden: int = 16,
    tolerance: float = 0.1,
    seed: int = 0,
    log_every: int = 500,
) -> MLPConvergence:
    """Train the MLP generator and discriminator on N(4, 1.25^2) with each of ``methods`` (default
    :data:`MLP_METHODS`), from the same seeds: which settings make the pair converge.

    Common settings: ``steps`` iterations of SGD at ``lr`` with momentum 0.9, k = 1, m = 128,
    the non-saturating loss; each method overrides some of them. The generator's mean and
    standard deviation are exact for the trained network (Gauss-Hermite over z), not sample
    estimates. A 1-16-1 tanh network does not produce a Gaussian exactly, so the JS to the target
    does not go to 0; matching the first two moments is the criterion.

    Examples
    --------
    >>> out = mlp_convergence({"R1": {"penalty": "r1", "gamma": 3.0}}, ensemble=2, steps=3000)
    >>> out.mean["R1"].shape, out.converged["R1"].dtype
    ((2,), dtype('bool'))
    """
    from gantheory.dynamics.linearized import generator_moments

    methods = MLP_METHODS if methods is None else dict(methods)
    tolerance = check_real(tolerance, "tolerance", positive=True)
    target = (4.0, 1.25)
    means, stds, converged, history = {}, {}, {}, {}
    for name, settings in methods.items():
        options = dict(generator="mlp", discriminator="mlp", hidden=hidden, steps=steps, lr=lr, ensemble=ensemble,
                       seed=seed, log_every=log_every, track_js=False) | settings
        run = train(stats.norm(*target), **options)
        mean, std = generator_moments(run.theta)
        n, e, p = run.theta_log.shape
        log_mean, log_std = generator_moments(run.theta_log.reshape(n * e, p))
        history[name] = (run.history.step, log_mean.reshape(n, e), log_std.reshape(n, e))
        means[name], stds[name] = mean, std
        converged[name] = ~run.diverged & (np.abs(mean - target[0]) < tolerance) & (np.abs(std - target[1]) < tolerance)
    return MLPConvergence(means, stds, converged, history, {k: dict(v) for k, v in methods.items()}, tolerance)
