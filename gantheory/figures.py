"""Every figure of the toolkit by name: compute its data with the library, draw it, save it.

Each function here takes the output folder and returns the numbers the figure shows, as a
``{label: value}`` summary that ``make figures`` prints. The data comes from the library
(:mod:`gantheory.curves`, :mod:`gantheory.divergences`, :mod:`gantheory.gan.experiments`), the
drawing from :mod:`gantheory.plotting`; nothing here is mathematics of its own. :data:`FIGURES`
lists them for ``gantheory figures`` and the thin scripts in ``scripts/``.

``quick=True`` shrinks the GAN experiments (small ensembles, few iterations) for smoke tests; the
committed figures are made with the defaults.
"""

from __future__ import annotations

import argparse
import inspect
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

import gantheory as gt
from gantheory import plotting
from gantheory.curves import distance_for_js, generator_gradients, js_curve, steepest_distance

__all__ = ["FIGURES", "FigureJob", "make", "script_main"]

Summary = dict[str, str]


# --- the article's Figures 3 and 4, and the theory around them ----------------------------------

FIGURE3_DISTANCES = (10.0, 8.0, 2.0)  # initial state, during training, converging (units of sigma)


def figure3_training_progress(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Figure 3: P_g approaching P_r, each panel titled with its exact JS."""
    x = np.linspace(-4.0, 14.0, 721)
    p_data = stats.norm(0.0, 1.0)
    p_g = [stats.norm(d, 1.0) for d in FIGURE3_DISTANCES]
    js, _ = js_curve(FIGURE3_DISTANCES)
    d_star = [gt.optimal_discriminator(p_data, q)(x) for q in p_g]
    fig = plotting.training_progress(x, p_data.pdf(x), [q.pdf(x) for q in p_g], FIGURE3_DISTANCES, js, d_star=d_star)
    plotting.save_figure(fig, Path(out) / "figure3_training_progress")
    shown = ", ".join(f"d={d:g}: {v:.3f}" for d, v in zip(FIGURE3_DISTANCES, js))
    return {"Figure 3 JS to three decimals (article: 0.693, 0.693, 0.336)": shown}


FLAT_FROM = 5.0  # the article: beyond distance 5 the JS is constant and its slope close to 0


def figure4_js_curve(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Figure 4: (a) JS against the distance, (b) its slope, with the landmarks computed."""
    d = np.linspace(0.0, 10.0, 401)
    js, slope = js_curve(d)
    d_peak = steepest_distance()
    _, s_peak = js_curve(d_peak)
    _, s_flat = js_curve(FLAT_FROM)
    d_693 = distance_for_js(0.6925)  # the smallest JS that rounds to 0.693
    js_2, _ = js_curve(2.0)  # Figure 3's right panel
    fig = plotting.js_and_slope(d, js, slope, steepest=(d_peak, s_peak), flat_from=(FLAT_FROM, s_flat),
                                prints_log2_from=d_693, highlight=(2.0, js_2))
    plotting.save_figure(fig, Path(out) / "figure4_js_curve")
    return {
        "Figure 4 steepest slope": f"{s_peak:.6f} nats/sigma at d = {d_peak:.6f} sigma",
        "Figure 4 slope at d = 5": f"{s_flat:.6f} nats/sigma, {s_flat / s_peak:.2%} of the peak",
        "JS rounds to 0.693 from": f"d = {d_693:.4f} sigma",
    }


def generator_gradients_figure(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """The generator's gradient under D*: saturating vanishes, non-saturating grows; NumPy GAN points."""
    from gantheory.gan.experiments import generator_gradient_check

    theta = np.linspace(0.025, 10.0, 400)  # theta > 0 for the log-scale panel
    saturating, non_saturating = generator_gradients(theta)
    kl_slope = theta  # d/dtheta of KL(N(theta, 1) || N(0, 1)) = theta^2 / 2
    mc = generator_gradient_check((1.0, 2.0, 5.0, 10.0), samples=2_000 if quick else 20_000, seed=seed)
    extra = [
        plotting.Series(mc.distances, mc.saturating_mc, "NumPy GAN backprop, saturating (MC, 2 SE)",
                        yerr=2 * mc.saturating_se, color=plotting.COLORS["saturating"], marker="s"),
        plotting.Series(mc.distances, mc.non_saturating_mc, "NumPy GAN backprop, non-saturating (MC, 2 SE)",
                        yerr=2 * mc.non_saturating_se, color=plotting.COLORS["non_saturating"], marker="D"),
    ]
    fig = plotting.gradient_comparison(theta, saturating, non_saturating, kl_slope=kl_slope, extra=extra)
    plotting.save_figure(fig, Path(out) / "generator_gradients")
    _, djs = js_curve(theta)
    at_5 = generator_gradients(5.0)
    return {
        "gradients at theta = 5 (saturating, non-saturating)": f"{at_5[0]:.4g}, {at_5[1]:.4f}",
        "max |saturating - 2 dJS/dtheta| (Goodfellow Thm 1)": f"{np.max(np.abs(saturating - 2 * djs)):.1e}",
        "max |non-saturating - (dKL/dtheta - 2 dJS/dtheta)| (Arjovsky-Bottou Thm 2.5)":
            f"{np.max(np.abs(non_saturating - (kl_slope - 2 * djs))):.1e}",
        "NumPy GAN Monte-Carlo gradients at d = 1, 2, 5, 10: largest |z| (saturating, non-sat.)":
            ", ".join(f"{np.abs(z).max():.2f}" for z in mc.z_scores()),
    }


D_STAR_POSITIONS = (0.5, 1.0, 2.0, 4.0, 8.0)


def optimal_discriminator(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """D*(x) of eq. (7) for several positions of P_g: it saturates to 0/1 as they separate."""
    x = np.linspace(-4.0, 12.0, 1601)
    p_data = stats.norm(0.0, 1.0)
    p_g = [stats.norm(theta, 1.0) for theta in D_STAR_POSITIONS]
    d_star = [gt.optimal_discriminator(p_data, q) for q in p_g]
    fig = plotting.optimal_discriminators(x, p_data.pdf(x), [q.pdf(x) for q in p_g], [d(x) for d in d_star],
                                          D_STAR_POSITIONS)
    plotting.save_figure(fig, Path(out) / "optimal_discriminator")
    at_zero = ", ".join(f"{float(d(0.0)):.4f}" for d in d_star)
    return {f"D*(0) for theta = {', '.join(f'{t:g}' for t in D_STAR_POSITIONS)}": at_zero}


IDENTITY_GROUPS = (
    ("Gaussian", "Laplace"), ("Student-t", "Gaussian"), ("Mixture", "Laplace"),
    ("Uniform", "Gaussian"), ("Mixture", "Student-t"), ("Uniform", "Uniform"),
)
PAIRS_PER_GROUP = 6


def _random_density(family: str, rng: np.random.Generator):
    """One density of ``family`` with random location (in [-3, 3]) and scale (0.3 to 3)."""
    loc, scale = rng.uniform(-3.0, 3.0), float(np.exp(rng.uniform(np.log(0.3), np.log(3.0))))
    if family == "Gaussian":
        return stats.norm(loc, scale)
    if family == "Laplace":
        return stats.laplace(loc, scale)
    if family == "Student-t":
        return stats.t(rng.choice([1.5, 3.0, 5.0, 10.0]), loc=loc, scale=scale)
    if family == "Uniform":
        return stats.uniform(loc, 2 * scale)
    components = [_random_density("Gaussian", rng), _random_density("Laplace", rng)]
    weight = rng.uniform(0.2, 0.8)
    return gt.Mixture(components, [weight, 1.0 - weight])


def criterion_identity(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Eq. (9) along two independent paths, for seeded random pairs of five families, and gantheory against them.

    C(G) is E_p[log D*] + E_q[log(1 - D*)], each expectation its own integral; JS is
    1/2 KL(p||m) + 1/2 KL(q||m) with m formed explicitly: both by tanh-sinh
    (:mod:`gantheory.report.independent`), which shares no code with gantheory's quadrature.
    """
    from gantheory.report import independent

    rng = np.random.default_rng(seed)
    js_side, criterion, toolkit, groups = [], [], [], []
    for data_family, generator_family in IDENTITY_GROUPS:
        for _ in range(1 if quick else PAIRS_PER_GROUP):
            p_data, p_g = _random_density(data_family, rng), _random_density(generator_family, rng)
            js_side.append(2 * independent.js(p_data, p_g) - 2 * np.log(2.0))
            criterion.append(independent.criterion(p_data, p_g))
            toolkit.append(gt.virtual_criterion(p_data, p_g))
            groups.append(f"{data_family} vs {generator_family}")
    fig = plotting.criterion_identity(js_side, criterion, groups, toolkit=toolkit)
    plotting.save_figure(fig, Path(out) / "criterion_identity")
    worst = np.max(np.abs(np.subtract(criterion, js_side)))
    worst_toolkit = np.max(np.abs(np.subtract(toolkit, criterion)))
    return {
        f"eq. (9) along independent paths, max |C(G) - (2 JS - 2 log 2)| over {len(groups)} pairs":
            f"{worst:.2e} nats",
        f"max |gantheory's C(G) - independent C(G)| over {len(groups)} pairs": f"{worst_toolkit:.2e} nats",
    }


# --- the NumPy GAN's experiments ---------------------------------------------------------------

def gan_figure1(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Goodfellow et al. 2014, Figure 1, from a real run of the NumPy GAN."""
    from gantheory.gan import experiments

    fig1 = experiments.figure1(seed=seed)
    fig = plotting.gan_figure1(fig1.x, fig1.p_data, fig1.panels, d_star=fig1.d_star_b)
    plotting.save_figure(fig, Path(out) / "gan_figure1")
    bulk = (fig1.x > -3) & (fig1.x < 2)
    return {
        "GAN Figure 1: JS of panels (a)-(d), nats": ", ".join(f"{p['js']:.4f}" for p in fig1.panels),
        "GAN Figure 1 (b): max |D - D*| on [-3, 2]": f"{np.abs(fig1.panels[1]['d'] - fig1.d_star_b)[bulk].max():.4f}",
    }


VANISHING_STARTS = {"optimal": "D starts at D*", "trained": "D trained alone first"}


def _vanishing_note(run) -> str:
    """What the non-saturating run of ``run`` does, in numbers: its JS path and where D puts its samples."""
    js = np.nanmean(run.js["non-saturating"], axis=1)
    fake = np.nanmedian(run.d_fake["non-saturating"], axis=1)
    low = int(np.argmin(js))
    if js[-1] > js[low] + 0.05:  # it did not stay near the data: say how far back it went and why
        return (f"eq. (10) overshoots past the data, D(G(z)) -> {fake[low:].max():.2f}:\n"
                f"JS {js[low]:.2f} (it. {int(run.step[low])}), back up to {js[low:].max():.2f}, "
                f"ends at {js[-1]:.2f} (mean)")
    return f"eq. (10) converges: final JS {js[-1]:.1e} (mean)"


def gan_vanishing_gradients(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Section 6.1 in a real run: from 10 sigma away, the saturating loss is stuck; eq. (10) moves.

    From D* itself the non-saturating run overshoots past the data, where D accepts its samples
    (D(G(z)) ~ 1) and its gradient vanishes too (~1e-9), and JS ends near 0.45; from a
    discriminator trained alone first, it converges. The figure's notes give the numbers.
    """
    from gantheory.gan import experiments

    ensemble, steps = (2, 150) if quick else (32, 2000)
    runs, notes, summary = {}, {}, {}
    for start, label in VANISHING_STARTS.items():
        run = experiments.vanishing_gradients(10.0, ensemble=ensemble, steps=steps, discriminator_start=start,
                                              pretrain_steps=steps, seed=seed, log_every=max(1, steps // 50))
        runs[label] = (run.js, run.g_grad_norm, run.d_fake)
        notes[label] = _vanishing_note(run)
        for loss in ("minimax", "non-saturating"):
            final = run.js[loss][-1]
            summary[f"GAN from 10 sigma, {label}, {loss}: final JS mean [min, max], nats ({ensemble} seeds)"] = (
                f"{final.mean():.4f} [{final.min():.4f}, {final.max():.4f}]")
            summary[f"GAN from 10 sigma, {label}, {loss}: smallest median generator gradient"] = (
                f"{np.nanmin(np.nanmedian(run.g_grad_norm[loss], axis=1)):.1e}")
        summary[f"GAN from 10 sigma, {label}: non-saturating run"] = notes[label].replace("\n", " ")
    fig = plotting.gan_vanishing_gradients(run.step, runs, distance=run.distance, notes=notes)
    plotting.save_figure(fig, Path(out) / "gan_vanishing_gradients")
    return summary


def gan_mode_collapse(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Mode collapse on a bimodal target: runs covering both modes, one (collapse) or neither, per loss.

    The runs use :func:`gantheory.gan.experiments.mode_collapse`'s defaults (iterations, dtype),
    256 seeds per loss.
    """
    from gantheory.gan import experiments

    run = experiments.mode_collapse(ensemble=8, steps=150, seed=seed) if quick else \
        experiments.mode_collapse(ensemble=256, seed=seed)
    x = np.linspace(-6, 6, 601)
    classes = {loss: run.classes(loss) for loss in run.coverage}
    fig = plotting.gan_mode_collapse(x, run.target.pdf(x), run.samples, classes, bins=np.linspace(-6, 6, 121),
                                     names=experiments.MODE_CLASSES)
    plotting.save_figure(fig, Path(out) / "gan_mode_collapse")
    summary = {}
    config = run.results[next(iter(run.results))].config
    for loss in run.coverage:
        diverged = int(run.results[loss].diverged.sum())
        shares = ", ".join(f"{name} {share:.3f}" for name, share in run.fractions(loss).items())
        summary[f"GAN mode collapse, {loss} ({config.ensemble} seeds, {config.steps} its, "
                f"{config.dtype})"] = f"{shares} ({diverged} diverged)"
    return summary


# --- beyond eq. (9): f-GAN, WGAN, instance noise ------------------------------------------------

DIVERGENCE_KEYS = ("js", "kl", "reverse-kl", "tv", "squared-hellinger")


def _all_curves(p, theta: np.ndarray) -> dict[str, np.ndarray]:
    """Every divergence of DIVERGENCE_KEYS and W1 between p and p shifted by each theta."""
    curves = {"W1": gt.wasserstein1_curve(p, p, theta)}
    curves.update({name: gt.f_divergence_curve(p, p, theta, name) for name in DIVERGENCE_KEYS})
    return curves


def divergences_vs_distance(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Every divergence against the distance: Gaussians as the scale shrinks, and uniforms."""
    theta = np.linspace(0.0, 2.0, 401)
    families = (("(a) $N(0, 1)$ against $N(\\theta, 1)$", stats.norm(0, 1)),
                ("(b) $N(0, 0.1^2)$ against $N(\\theta, 0.1^2)$", stats.norm(0, 0.1)),
                ("(c) $U[0, 1]$ against $U[\\theta, 1 + \\theta]$", stats.uniform(0, 1)))
    panels = [(title, _all_curves(p, theta)) for title, p in families]
    fig = plotting.divergences_against_distance(theta, panels)
    plotting.save_figure(fig, Path(out) / "divergences_vs_distance")
    at = int(np.searchsorted(theta, 1.5))
    summary = {}
    for (title, curves), label in zip(panels, ("N(0,1)", "N(0,0.1^2)", "U[0,1]")):
        shown = ", ".join(f"{k} {curves[k][at]:.4g}" for k in ("W1", "js", "tv", "squared-hellinger", "kl"))
        summary[f"every divergence at theta = 1.5, {label}"] = shown
    return summary


def wgan_example1(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """WGAN's Example 1 (uniforms) and its Figure 1 (D* against the W1 critic) in one dimension."""
    theta = np.linspace(-2.0, 2.0, 401)
    u = stats.uniform(0, 1)
    curves = {"W1": gt.wasserstein1_curve(u, u, theta)}
    curves.update({name: gt.f_divergence_curve(u, u, theta, name) for name in ("js", "tv", "kl")})
    x = np.linspace(-2.0, 6.0, 801)
    p_data, p_g = stats.norm(0.0, 0.3), stats.norm(4.0, 0.3)
    d_star = gt.optimal_discriminator(p_data, p_g)(x)
    critic = gt.wasserstein1_critic(p_data, p_g)
    fig = plotting.wgan_example1(theta, curves, x, p_data.pdf(x), p_g.pdf(x), d_star, critic(x))
    plotting.save_figure(fig, Path(out) / "wgan_example1")
    w1, js = curves["W1"], curves["js"]
    return {
        "WGAN Example 1 at theta = 0.5, 1, 2 (W1; JS)": (
            f"{np.interp(0.5, theta, w1):.4f}, {np.interp(1, theta, w1):.4f}, {w1[-1]:.4f}; "
            f"{np.interp(0.5, theta, js):.4f}, {np.interp(1, theta, js):.4f}, {js[-1]:.4f}"),
        "WGAN Figure 1 in 1-D: D* at the generator's mean; critic slope there":
            f"{float(gt.optimal_discriminator(p_data, p_g)(4.0)):.3g}; {float(critic.slope(4.0)):+g}",
    }


NOISE_LEVELS = (1.0, 0.3, 0.1, 0.01)
NOISE_GAUSSIAN_SCALE = 0.01


def instance_noise(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """JS under instance noise for eps in 1, 0.3, 0.1, 0.01, and the generator's gradient it restores."""
    from gantheory.noise import shift_gradients

    theta = np.linspace(0.0, 3.0, 61 if quick else 301)
    gaussians, uniforms, gradients = {}, {}, {}
    for eps in NOISE_LEVELS:
        g = gt.instance_noise(stats.norm(0, NOISE_GAUSSIAN_SCALE), eps)
        gaussians[eps] = gt.f_divergence_curve(g, g, theta, "js")
        u = gt.instance_noise(stats.uniform(0, 1), eps)
        uniforms[eps] = gt.f_divergence_curve(u, u, theta, "js")
        gradients[eps], _ = shift_gradients(u, u, theta)
    step = np.minimum(theta, 1.0) * np.log(2.0)
    fig = plotting.instance_noise_js(theta, gaussians, uniforms, step, gradients, gaussian_scale=NOISE_GAUSSIAN_SCALE)
    plotting.save_figure(fig, Path(out) / "instance_noise")
    at = int(np.searchsorted(theta, 2.0))
    return {
        "instance noise, uniforms 1 apart (theta = 2): JS for eps = 1, 0.3, 0.1, 0.01":
            ", ".join(f"{uniforms[e][at]:.4f}" for e in NOISE_LEVELS),
        "the same: saturating generator gradient 2 dJS/dtheta (0 without noise)":
            ", ".join(f"{gradients[e][at]:.3g}" for e in NOISE_LEVELS),
    }


# --- training dynamics: the Dirac-GAN and gan.train linearized -------------------------------------

def _dirac_methods() -> list[tuple[str, dict]]:
    """Every Dirac-GAN method at its default parameters, and R1 at its critical gamma = 1."""
    from gantheory import dynamics

    methods = [(m, dict(dynamics.DEFAULTS[m])) for m in dynamics.METHODS]
    return methods[:6] + [("r1", {"gamma": 1.0})] + methods[6:]


def dirac_vector_fields(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Mescheder et al. (2018), Figs. 1-3: each method's field on [-2, 2]^2 and its trajectory."""
    from gantheory import dynamics
    from gantheory.dynamics.trajectories import label

    axis = np.linspace(-2.0, 2.0, 15)
    theta, psi = np.meshgrid(axis, axis)
    panels, summary = [], {}
    methods = [(m, dict(dynamics.DEFAULTS[m])) for m in dynamics.METHODS]
    for method, params in methods:
        v_theta, v_psi = dynamics.vector_field(method, theta, psi, **params)
        path = dynamics.simulate(method, start=(1.0, 1.0), h=0.2, steps=500, **params)
        note = ""
        if method != "wgan-gp":
            lam = dynamics.eigenvalues(method, **params)[0]
            note = rf"$\lambda = {lam.real:.3g} \pm {abs(lam.imag):.3g}i$" if lam.imag else (
                rf"$\lambda = {lam.real:.3g}, {dynamics.eigenvalues(method, **params)[1].real:.3g}$")
        else:
            note = "no Jacobian at (0, 0)"
        panels.append({"title": label(method, params), "v_theta": v_theta, "v_psi": v_psi,
                       "trajectory": path.states, "clip": params.get("clip"), "note": note})
        summary[f"Dirac-GAN {label(method, params)}: ||(theta, psi)|| after 500 steps"] = f"{path.norm()[-1]:.4g}"
    fig = plotting.dirac_vector_fields(axis, axis, panels)
    plotting.save_figure(fig, Path(out) / "dirac_vector_fields")
    return summary


def dirac_r1_eigenvalues(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """The two eigenvalues of R1's Jacobian against gamma: they meet at the critical gamma = 1."""
    from gantheory import dynamics

    gamma = np.linspace(0.0, 2.5, 126)
    lam = dynamics.eigenvalues("r1", gamma=gamma)
    critical = dynamics.critical_value("r1")
    fig = plotting.eigenvalues_against_parameter(
        gamma, lam, name=r"\gamma", critical=critical,
        title=r"Dirac-GAN with the R1 penalty: $\lambda_\pm = -\gamma/2 \pm \sqrt{\gamma^2/4 - f'(0)^2}$")
    plotting.save_figure(fig, Path(out) / "dirac_r1_eigenvalues")
    fastest = gamma[np.argmin(lam.real.max(axis=1))]
    return {"R1 critical gamma (eigenvalues meet)": f"{critical:g}",
            "R1 gamma of the fastest local convergence (largest Re lambda smallest)": f"{fastest:g}"}


def dirac_norms(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """||(theta, psi)|| against the iteration for every method, with the linear predictions."""
    from gantheory import dynamics

    methods = _dirac_methods()
    grid = dynamics.simulate_grid(methods, [(1.0, 1.0)], h=0.2, steps=500)
    steps = np.arange(501)
    norms = {name: grid.norm()[i, 0, 0] for i, name in enumerate(grid.methods)}
    norms["r1 = r2 (gamma=0.3)"] = norms.pop("r1(gamma=0.3)")  # R1 and R2 coincide for the Dirac-GAN
    del norms["r2(gamma=0.3)"]
    predictions, summary = {}, {}
    for (method, params), name in zip(methods, grid.methods):
        if method in ("wgan", "wgan-gp"):
            continue  # no Jacobian (WGAN-GP); WGAN's clipping is active from the start
        radius = dynamics.spectral_radius(method, 0.2, **params)
        summary[f"Dirac-GAN {name}: spectral radius of I + hJ, h = 0.2"] = f"{radius:.6f}"
        name = "r1 = r2 (gamma=0.3)" if name in ("r1(gamma=0.3)", "r2(gamma=0.3)") else name
        if radius >= 1:
            continue  # the unregularized GANs leave the linear regime: a limit cycle, not the spiral
        # anchored at the end: the rate the linear map predicts for the last 250 steps
        predictions[name] = np.where(steps >= 250, norms[name][-1] * radius ** (steps - 500.0), np.nan)
    fig = plotting.dirac_norms(steps, norms, predictions=predictions,
                               title=r"Dirac-GAN, simultaneous steps $h = 0.2$ from $(1, 1)$")
    plotting.save_figure(fig, Path(out) / "dirac_norms")
    return summary


def gan_oscillation(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """gan.train's oscillation of mu and sigma against the linearized SGD-momentum map."""
    from gantheory import gan
    from gantheory.dynamics import gaussian

    target = (4.0, 1.25)
    ensemble, steps, default_steps = (8, 1500, 1500) if quick else (64, 6000, 10_000)
    run = gaussian.oscillation_run(*target, ensemble=ensemble, steps=steps, seed=seed,
                                   bootstrap=10 if quick else 100)
    default = gan.train(stats.norm(*target), ensemble=ensemble // 4, steps=default_steps, log_every=20, seed=seed,
                        track_js=False)
    d_steps, d_mean = default.history.step, default.theta_log.mean(axis=1)
    late = d_steps >= default_steps * 0.4
    placed = np.full_like(d_mean, np.nan)
    placed[late] = gaussian.fitted_mode(d_steps[late], d_mean[late] - np.array(target), run.theory) + np.array(target)
    fig = plotting.oscillation_comparison(
        run.steps, run.mean, run.standard_error, run.predicted, target,
        default_steps=d_steps, default_measured=d_mean, default_predicted=placed,
        titles=(f"from $\\sigma_0 + 0.2$, D = 1/2: {ensemble} runs against the linear map",
                f"from N(0, 1) (gan.train's default): {ensemble // 4} runs"))
    plotting.save_figure(fig, Path(out) / "gan_oscillation")
    fit, theory = run.fitted, run.theory
    return {
        "gan.train oscillation period, predicted / fitted (iterations)":
            f"{theory.period:.1f} / {fit.period:.1f} +- {fit.period * fit.frequency_se / fit.frequency:.1f}",
        "gan.train oscillation decay rate, predicted / fitted (per iteration)":
            f"{theory.decay:.3e} / {fit.decay:.3e} +- {fit.decay_se:.1e}",
    }


# --- a phase diagram from a sweep of 10 000 runs -------------------------------------------------

#: The study behind the phase diagram: the MLP GAN of the mode-collapse figure on its bimodal target.
PHASE_GRID = {"lr": [0.002, 0.005, 0.01, 0.02, 0.05], "loss": ["minimax", "non-saturating"]}
PHASE_SEEDS = 1000
PHASE_SETTINGS = dict(generator="mlp", discriminator="mlp", hidden=16, steps=1500, dtype="float32", js_samples=4000)
PHASE_JS_TOLERANCE = 0.1  # nats; the histogram estimate's noise floor is about 0.003 with 4000 samples
#: The committed runs (one row each, the columns the figure needs): ``--full`` recomputes them.
PHASE_TABLE = Path(__file__).resolve().parent / "data" / "gan_phase_diagram_runs.csv"
_PHASE_COLUMNS = ("cell", "lr", "loss", "seed", "member", "diverged_step", "js_estimate", "coverage_0",
                  "coverage_1", "collapse")


def phase_diagram_runs(*, seed: int = 0, seeds: int = PHASE_SEEDS, steps: int | None = None,
                       out: Path | None = None) -> gt.gan.RunTable:
    """Run the phase diagram's sweep (resumable in ``out``); the columns the figure needs."""
    from gantheory import gan
    from gantheory.gan.experiments import bimodal_target

    settings = {**PHASE_SETTINGS, "seed": seed} | ({} if steps is None else {"steps": steps})
    runs = gan.sweep(bimodal_target(), PHASE_GRID, seeds, config=gan.Config(**settings), out=out)
    return gan.RunTable({name: runs[name] for name in _PHASE_COLUMNS})


def _phase_study_folder(seed: int) -> Path:
    """Where ``--full`` keeps its shards, so that a rerun resumes it: the user's cache folder."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "gantheory" / f"gan_phase_diagram_seed{seed}"


def gan_phase_diagram(out: Path, *, seed: int = 0, quick: bool = False, full: bool = False) -> Summary:
    """Collapse, coverage and convergence rates over learning rate x loss, 1000 runs per point.

    From the committed table of 10 000 runs (:data:`PHASE_TABLE`) unless ``full`` (the whole
    sweep again, about 15 minutes on two quiet cores, rewriting the table), ``quick`` (8 short runs
    per point) or a seed other than 0 (the whole sweep for that seed). The sweeps keep their shards
    in ``~/.cache/gantheory/`` (``$XDG_CACHE_HOME``), so an interrupted one resumes.
    """
    from gantheory import gan

    if quick:
        runs, steps = phase_diagram_runs(seed=seed, seeds=8, steps=100), 100
    elif full or seed != 0:
        runs, steps = phase_diagram_runs(seed=seed, out=_phase_study_folder(seed)), None
        if seed == 0:
            runs.to_csv(PHASE_TABLE)
    else:
        runs, steps = gan.read_table(PHASE_TABLE), None
    summary = gan.summarize(runs, js_tolerance=PHASE_JS_TOLERANCE)
    lrs, losses = PHASE_GRID["lr"], PHASE_GRID["loss"]
    rates = {}
    for loss in losses:
        rows = [int(np.flatnonzero((summary["lr"] == lr) & (summary["loss"] == loss))[0]) for lr in lrs]
        rates[loss] = {name: (summary[name][rows], summary[name + "_low"][rows], summary[name + "_high"][rows])
                       for name in ("collapsed", "covered", "missed", "converged")}
    per_point = int(summary["runs"][0])
    titles = {"collapsed": "collapsed: one mode only", "missed": "missed both modes",
              "converged": f"converged: final JS < {PHASE_JS_TOLERANCE:g} nats"}
    note = (f"MLP G and D (16 tanh units) on 0.5 N(-3, 0.5²) + 0.5 N(3, 0.5²), "
            f"{steps or PHASE_SETTINGS['steps']} iterations; bands: 95 % Wilson intervals")
    fig = plotting.phase_diagram(lrs, rates, titles=titles, runs=per_point, note=note)
    plotting.save_figure(fig, Path(out) / "gan_phase_diagram")
    result = {"GAN phase diagram: runs": f"{len(runs)} ({per_point} per point, {len(summary)} points)"}
    for loss in losses:
        for name in ("collapsed", "converged"):
            shown = ", ".join(f"lr {lr:g}: {r:.3f} [{lo:.3f}, {hi:.3f}]" for lr, r, lo, hi in zip(lrs, *rates[loss][name]))
            result[f"GAN phase diagram, {loss}, {name}"] = shown
    return result


# --- regularized training: every method from afar, the MLP pair, R1 and instance noise -------------

def gan_methods_from_afar(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """Every training method from a generator 10 sigma away, 64 members each: who converges, how fast."""
    from gantheory.gan import experiments, wilson_interval

    ensemble, steps, pretrain = (4, 300, 200) if quick else (64, 4000, 2000)
    run = experiments.methods_from_afar(10.0, ensemble=ensemble, steps=steps, pretrain_steps=pretrain, seed=seed)
    converged, settling, summary = {}, {}, {}
    for method in run.js:
        count = int(run.converged[method].sum())
        low, high = wilson_interval(count, ensemble)
        converged[method] = (count / ensemble, float(low), float(high))
        settling[method] = run.median_settling(method)
        mu = run.theta[method][:, 0]
        summary[f"from 10 sigma, {method}: converged (JS < {run.tolerance:g}), median settling iteration, "
                f"median |mu|"] = (f"{count} of {ensemble}, "
                                   f"{'never' if not np.isfinite(settling[method]) else f'{settling[method]:.0f}'}, "
                                   f"{np.nanmedian(np.abs(mu)):.3g}")
    fig = plotting.methods_from_afar(run.step, run.js, converged, settling, distance=run.distance,
                                     tolerance=run.tolerance, members=ensemble)
    plotting.save_figure(fig, Path(out) / "gan_methods_from_afar")
    return summary


#: The committed stationary points of the MLP pair's expected field (see :func:`mlp_stationary_points`).
MLP_STATIONARY = Path(__file__).resolve().parent / "data" / "mlp_stationary_points.json"
MLP_STATIONARY_GAMMA = 3.0


def mlp_stationary_points(*, seed: int = 0, member: int = 2, steps: int = 40_000) -> dict:
    """Stationary points of the MLP pair's expected field near the data, without and with R1.

    Member ``member``'s initial networks (those ``gan.train`` draws for it) run ``steps``
    iterations of SGD (lr 0.01, momentum 0.9) on the expected gradients, without minibatch noise
    (:func:`gantheory.dynamics.linearized.population_path`), and Newton's method from there gives
    a stationary point of the plain field; from that point, 5000 iterations with R1 (gamma = 3)
    and Newton's method give the stationary point with the penalty. A minute or two of work: the
    result is committed (:data:`MLP_STATIONARY`), and the figure and the report read it.
    """
    from gantheory import gan
    from gantheory.dynamics import linearized

    gen, disc = gan.GENERATORS["mlp"], gan.DISCRIMINATORS["mlp"]
    rng = gan.member_rng(seed, member)
    theta, psi = gen.init(rng, 16), disc.init(rng, 16)
    points = {}
    for name, options, path in (("plain", {}, steps), ("r1", {"penalty": "r1", "gamma": MLP_STATIONARY_GAMMA}, 5000)):
        theta, psi = linearized.population_path(theta, psi, 4.0, 1.25, path, lr=0.01, **options)
        lin = linearized.linearize(theta[0], psi[0], 4.0, 1.25, **options)
        theta, psi = lin.state[:lin.generator_size], lin.state[lin.generator_size:]
        points[name] = {"theta": theta.tolist(), "psi": psi.tolist(), "options": options, "residual": lin.residual,
                        "mean": lin.mean, "std": lin.std}
    return points


#: The committed runs behind the MLP figure: one row per member and setting (``--full`` trains them again).
MLP_RUNS = Path(__file__).resolve().parent / "data" / "gan_mlp_convergence_runs.csv"


def mlp_convergence_runs(*, seed: int = 0, ensemble: int = 64, steps: int = 20_000) -> gt.gan.RunTable:
    """The MLP pair under :data:`gantheory.gan.experiments.MLP_METHODS`: each member's final mean and std."""
    from gantheory import gan
    from gantheory.gan import experiments

    run = experiments.mlp_convergence(ensemble=ensemble, steps=steps, seed=seed)
    methods = list(run.mean)
    return gan.RunTable({
        "method": np.repeat(np.array(methods, dtype=object), ensemble),
        "member": np.tile(np.arange(ensemble), len(methods)),
        "mean": np.concatenate([run.mean[m] for m in methods]),
        "std": np.concatenate([run.std[m] for m in methods]),
        "converged": np.concatenate([run.converged[m] for m in methods]),
    })


def gan_mlp_convergence(out: Path, *, seed: int = 0, quick: bool = False, full: bool = False) -> Summary:
    """The MLP pair on N(4, 1.25^2): SGD with momentum 0.9 fails; without momentum (at the same
    effective step) or with R1 it converges; the spectrum and the heavy-ball bound explain it.

    From the committed runs (:data:`MLP_RUNS`, 64 members x 20 000 iterations per setting) and
    stationary points (:data:`MLP_STATIONARY`) unless ``full`` (both again: about 15 minutes on
    two quiet cores) or ``quick`` (4 short runs per setting, the committed stationary points).
    """
    import json

    from gantheory import gan
    from gantheory.dynamics import linearized
    from gantheory.files import write_text

    if quick:
        runs = mlp_convergence_runs(seed=seed, ensemble=4, steps=500)
    elif full or seed != 0:
        runs = mlp_convergence_runs(seed=seed)
        if seed == 0:
            write_text(MLP_STATIONARY, json.dumps(mlp_stationary_points(seed=seed), indent=1) + "\n")
            runs.to_csv(MLP_RUNS)
    else:
        runs = gan.read_table(MLP_RUNS)
    methods = list(dict.fromkeys(runs["method"].tolist()))
    mean, std, converged, summary = {}, {}, {}, {}
    for method in methods:
        rows = runs["method"] == method
        mean[method], std[method] = runs["mean"][rows], runs["std"][rows]
        count, n = int(runs["converged"][rows].sum()), int(rows.sum())
        low, high = gan.wilson_interval(count, n)
        converged[method] = (count / n, float(low), float(high))
        summary[f"MLP pair, {method}: in the box (mean 4 +- 0.1, std 1.25 +- 0.1); means; stds"] = (
            f"{count} of {n}; {mean[method].min():.2f}-{mean[method].max():.2f}; "
            f"{std[method].min():.2f}-{std[method].max():.2f}")
    spectra = {}
    points = json.loads(MLP_STATIONARY.read_text())
    for name, label in (("plain", "no penalty"), ("r1", f"R1 gamma = {MLP_STATIONARY_GAMMA:g}")):
        point = points[name]
        theta, psi = np.array(point["theta"]), np.array(point["psi"])
        jac = linearized.numerical_jacobian(np.concatenate([theta, psi]), theta.size, 4.0, 1.25, **point["options"])
        lam = np.linalg.eigvals(jac)
        lam = lam[np.abs(lam) >= 1e-7 * np.abs(lam).max()]  # the neutral modes: the manifold of stationary points
        spectra[f"{label} (mean {point['mean']:.2f}, std {point['std']:.3f})"] = lam
        bound = min(linearized.momentum_step_bound(v, 0.9) for v in lam)
        summary[f"MLP pair stationary point, {label}: least heavy-ball bound on lr at momentum 0.9"] = f"{bound:.4g}"
    fig = plotting.mlp_convergence(mean, std, converged, target=(4.0, 1.25), tolerance=0.1, spectra=spectra,
                                   boundary=[(0.01, 0.9), (0.1, 0.0)])
    plotting.save_figure(fig, Path(out) / "gan_mlp_convergence")
    return summary


def gan_regularized_oscillations(out: Path, *, seed: int = 0, quick: bool = False) -> Summary:
    """R1 and instance noise make gan.train's oscillation decay faster, as the linearized map predicts."""
    from gantheory.dynamics import gaussian

    target = (4.0, 1.25)
    ensemble, steps = (8, 1500) if quick else (64, 6000)
    cases = {"no regularizer": {}, "R1, gamma = 1": {"penalty": "r1", "gamma": 1.0},
             "instance noise, epsilon = 1": {"noise": 1.0}}
    runs, rates, summary = {}, {}, {}
    for label, options in cases.items():
        run = gaussian.oscillation_run(*target, ensemble=ensemble, steps=steps, seed=seed,
                                       bootstrap=10 if quick else 100, **options)
        runs[label] = (run.mean, run.standard_error, run.predicted)
        rates[label] = (run.theory.decay, run.fitted.decay, run.fitted.decay_se)
        summary[f"gan.train decay rate per iteration, {label}: predicted / fitted"] = (
            f"{run.theory.decay:.3e} / {run.fitted.decay:.3e} +- {run.fitted.decay_se:.1e}")
    fig = plotting.regularized_oscillations(run.steps, runs, target, rates=rates)
    plotting.save_figure(fig, Path(out) / "gan_regularized_oscillations")
    return summary


# --- the same study with an R1 penalty on the discriminator --------------------------------------

#: R1 weights of the second study (Mescheder et al. 2018); gamma = 0 is the study above.
PHASE_R1_GAMMAS = [0.1, 1.0, 10.0]
PHASE_R1_SEEDS = 500
#: The committed runs of the R1 study: 5 learning rates x 2 losses x 3 weights x 500 seeds.
PHASE_R1_TABLE = PHASE_TABLE.with_name("gan_phase_diagram_r1_runs.csv")


def phase_diagram_r1_runs(*, seed: int = 0, seeds: int = PHASE_R1_SEEDS, steps: int | None = None,
                          out: Path | None = None) -> gt.gan.RunTable:
    """Run the R1 study's sweep (resumable in ``out``); the columns the figure needs."""
    from gantheory import gan
    from gantheory.gan.experiments import bimodal_target

    settings = {**PHASE_SETTINGS, "seed": seed, "penalty": "r1", "gamma": PHASE_R1_GAMMAS[0]}
    settings |= {} if steps is None else {"steps": steps}
    grid = {**PHASE_GRID, "gamma": PHASE_R1_GAMMAS}
    runs = gan.sweep(bimodal_target(), grid, seeds, config=gan.Config(**settings), out=out)
    return gan.RunTable({name: runs[name] for name in (*_PHASE_COLUMNS[:3], "gamma", *_PHASE_COLUMNS[3:])})


def gan_phase_diagram_r1(out: Path, *, seed: int = 0, quick: bool = False, full: bool = False) -> Summary:
    """Collapse, coverage and convergence rates over learning rate x R1 weight, for both losses.

    The study of :func:`gan_phase_diagram` (its runs are the weight 0) and 15 000 more runs with
    the R1 penalty (gamma/2) E_data[s'(x)^2] on the discriminator's logit slope, gamma in
    :data:`PHASE_R1_GAMMAS`, 500 seeds per point. From the committed tables unless ``full``
    (both sweeps again, about 40 minutes on two quiet cores, rewriting the tables), ``quick`` (8
    short runs per point) or a seed other than 0. An interrupted sweep resumes from its shards in
    ``~/.cache/gantheory/``.
    """
    from gantheory import gan

    if quick:
        plain, runs, steps = (phase_diagram_runs(seed=seed, seeds=8, steps=100),
                              phase_diagram_r1_runs(seed=seed, seeds=8, steps=100), 100)
    elif full or seed != 0:
        plain = phase_diagram_runs(seed=seed, out=_phase_study_folder(seed))
        runs = phase_diagram_r1_runs(seed=seed, out=_phase_study_folder(seed).with_name(f"gan_phase_diagram_r1_seed{seed}"))
        steps = None
        if seed == 0:
            plain.to_csv(PHASE_TABLE)
            runs.to_csv(PHASE_R1_TABLE)
    else:
        plain, runs, steps = gan.read_table(PHASE_TABLE), gan.read_table(PHASE_R1_TABLE), None
    plain_summary = gan.summarize(plain, js_tolerance=PHASE_JS_TOLERANCE)
    summary = gan.summarize(runs, js_tolerance=PHASE_JS_TOLERANCE)
    lrs, losses = PHASE_GRID["lr"], PHASE_GRID["loss"]
    outcomes = ("collapsed", "missed", "converged")
    rows: dict = {}
    for loss in losses:
        groups = {}
        for gamma, table in ((0.0, plain_summary), *((g, summary) for g in PHASE_R1_GAMMAS)):
            chosen = (table["loss"] == loss) & ((table["gamma"] == gamma) if gamma else True)
            index = [int(np.flatnonzero(chosen & (table["lr"] == lr))[0]) for lr in lrs]
            label = "no penalty" if gamma == 0 else f"R1, gamma = {gamma:g}"
            groups[label] = {name: (table[name][index], table[name + "_low"][index], table[name + "_high"][index])
                             for name in outcomes}
        rows[loss] = groups
    per_plain, per_r1 = int(plain_summary["runs"][0]), int(summary["runs"][0])
    titles = {"collapsed": "collapsed: one mode only", "missed": "missed both modes",
              "converged": f"converged: final JS < {PHASE_JS_TOLERANCE:g} nats"}
    note = (f"MLP G and D (16 tanh units) on 0.5 N(-3, 0.5²) + 0.5 N(3, 0.5²), "
            f"{steps or PHASE_SETTINGS['steps']} iterations\nR1 penalty (γ/2)·E_data[s'(x)²] on the "
            "discriminator's logit s; bands: 95 % Wilson intervals")
    fig = plotting.phase_diagram_rows(lrs, rows, titles=titles, runs=f"{per_plain} (no penalty) or {per_r1} (R1)",
                                      note=note)
    plotting.save_figure(fig, Path(out) / "gan_phase_diagram_r1")
    result = {"GAN phase diagram x R1: runs": f"{len(plain) + len(runs)} ({per_plain} per point without "
                                              f"the penalty, {per_r1} with it)"}
    for loss in losses:
        for label, by_outcome in rows[loss].items():
            rate, low, high = by_outcome["collapsed"]
            shown = ", ".join(f"lr {lr:g}: {r:.3f} [{lo:.3f}, {hi:.3f}]" for lr, r, lo, hi in zip(lrs, rate, low, high))
            result[f"GAN phase diagram x R1, {loss}, {label}, collapsed"] = shown
    return result


# --- the registry ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureJob:
    """A figure by name: what it shows, and the function that makes it."""

    name: str
    description: str
    make: Callable[..., Summary]


FIGURES: dict[str, FigureJob] = {
    job.name: job
    for job in (
        FigureJob("figure3_training_progress", "Figure 3 of the article: training progress with exact JS",
                  figure3_training_progress),
        FigureJob("figure4_js_curve", "Figure 4 of the article: JS and its slope against the distance",
                  figure4_js_curve),
        FigureJob("generator_gradients", "saturating vs non-saturating generator gradient under D* (eq. 10)",
                  generator_gradients_figure),
        FigureJob("optimal_discriminator", "D*(x) of eq. (7) for several positions of P_g", optimal_discriminator),
        FigureJob("criterion_identity", "eq. (9) along independent paths: C(G) against 2 JS - 2 log 2 for random pairs",
                  criterion_identity),
        FigureJob("gan_figure1", "Goodfellow et al. 2014, Figure 1, from a NumPy GAN run", gan_figure1),
        FigureJob("gan_vanishing_gradients", "section 6.1 in practice: both losses from 10 sigma away",
                  gan_vanishing_gradients),
        FigureJob("gan_mode_collapse", "mode collapse on a bimodal target: runs covering both, one or neither mode, "
                  "256 per loss", gan_mode_collapse),
        FigureJob("gan_phase_diagram", "collapse and convergence rates over learning rate x loss, 10 000 runs",
                  gan_phase_diagram),
        FigureJob("gan_phase_diagram_r1", "the same rates with an R1 penalty of weight 0.1, 1 or 10, 15 000 more runs",
                  gan_phase_diagram_r1),
        FigureJob("divergences_vs_distance", "every divergence and W1 against the distance: which saturate",
                  divergences_vs_distance),
        FigureJob("wgan_example1", "WGAN's Example 1 and Figure 1 in one dimension", wgan_example1),
        FigureJob("instance_noise", "JS and the generator's gradient under instance noise", instance_noise),
        FigureJob("dirac_vector_fields", "Dirac-GAN: the vector field and a trajectory of each method",
                  dirac_vector_fields),
        FigureJob("dirac_r1_eigenvalues", "Dirac-GAN: the R1 eigenvalues against gamma", dirac_r1_eigenvalues),
        FigureJob("dirac_norms", "Dirac-GAN: distance to the equilibrium against the iteration, every method",
                  dirac_norms),
        FigureJob("gan_oscillation", "gan.train's oscillation of mu and sigma against the linearized prediction",
                  gan_oscillation),
        FigureJob("gan_methods_from_afar", "every training method from 10 sigma away: who converges, how fast",
                  gan_methods_from_afar),
        FigureJob("gan_mlp_convergence", "the MLP pair: momentum 0.9 fails, no momentum or R1 converges; the spectrum why",
                  gan_mlp_convergence),
        FigureJob("gan_regularized_oscillations", "R1 and instance noise against their linearized decay rates",
                  gan_regularized_oscillations),
    )
}


def make(out: str | Path, names: Iterable[str] | None = None, *, seed: int = 0, quick: bool = False) -> Summary:
    """Make the named figures (all by default) in folder ``out``; return their joint summary.

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    names = list(FIGURES) if names is None else list(names)
    for name in names:
        if name not in FIGURES:
            raise ValueError(f"unknown figure {name!r}; the figures are: {', '.join(FIGURES)}.")
    summary: Summary = {}
    for name in names:
        summary.update(FIGURES[name].make(Path(out), seed=seed, quick=quick))
    return summary


def script_main(name: str, argv: Sequence[str] | None = None, *, default_out: Path | None = None) -> int:
    """The command line of a figure script: ``--out``, ``--seed``, ``--quick``; prints the summary."""
    from gantheory import cli

    job = FIGURES[name]
    parser = argparse.ArgumentParser(description=f"Make {name}.png/.svg: {job.description}.")
    parser.add_argument("--out", type=cli.output_folder, default=default_out or Path("figures"),
                        help="output folder, created if needed (default: the repository's figures/)")
    parser.add_argument("--seed", type=cli.seed, default=0, help="seed of any randomness (default 0)")
    parser.add_argument("--quick", action="store_true", help="small GAN runs, for a smoke test")
    cached = "full" in inspect.signature(job.make).parameters  # a figure drawn from a committed table
    if cached:
        parser.add_argument("--full", action="store_true", help="compute the committed table again (slow)")
    args = parser.parse_args(argv)
    options = {"full": args.full} if cached else {}
    Path(args.out).mkdir(parents=True, exist_ok=True)
    for key, value in job.make(args.out, seed=args.seed, quick=args.quick, **options).items():
        print(f"{key}: {value}")
    return 0
