"""The one GAN setting that every implementation in the training benchmark runs.

Target p_data = N(4, 1.25²); noise p_z = N(0, 1); Algorithm 1 of Goodfellow et al. with k = 1,
m samples per minibatch (fresh noise for the generator's step), the non-saturating generator loss
(eq. 10), SGD with momentum 0.9 in PyTorch's form (v ← μv + g, θ ← θ − ηv) on both players.

Models, with the initialization scheme of ``gantheory.gan.models`` (each framework draws its own
random numbers with that scheme: the comparison is of identical *schemes*, not identical draws):

- affine generator x = μ + σz, initialized μ = 0, σ = 1;
- quadratic discriminator s = a x² + b x + c (logit of D), initialized at zero;
- MLP 1-H-1 with tanh, y = w2·tanh(w1 x + b1) + b2, for both players: w1, b1 ~ N(0, 1),
  w2 ~ N(0, 1/H), b2 = 0; H = 16.

The learning rates and step counts are gantheory's defaults when its training loop is importable
(:func:`defaults`), so the peers cannot drift from the library; the fallback values below are only
used while it is not.

This module imports only the standard library and is shared by the workers of every framework.
"""

from __future__ import annotations

TARGET_MEAN = 4.0
TARGET_STD = 1.25
HIDDEN = 16
MOMENTUM = 0.9
MODELS = {"affine": ("affine", "quadratic"), "mlp": ("mlp", "mlp")}

# Convergence check, run once per implementation before the timings (not timed). ``None`` means
# gantheory's default. The affine + quadratic pair contains the equilibrium exactly, so every
# member must land on the target. The
# MLP pair trained by plain SGD keeps oscillating around it (gantheory itself, at lr = 0.01,
# stalls with a standard deviation near 0.5 even after 20 000 steps), so it is judged
# on the ensemble's medians, at a smaller learning rate and for longer; the per-member figures are
# reported too. The same settings are used for every implementation.
CONVERGENCE = {
    "affine": {"lr": None, "steps": None, "ensemble": 16, "mean_tol": 0.1, "std_tol": 0.1,
               "rule": "every member"},
    "mlp": {"lr": 0.003, "steps": 20_000, "ensemble": 16, "mean_tol": 0.3, "std_tol": 0.4,
            "rule": "ensemble median"},
}

_FALLBACK = {"affine": {"lr": 0.01, "steps": 2000}, "mlp": {"lr": 0.01, "steps": 2000}}


def defaults(model: str) -> dict:
    """Learning rate and number of steps that gantheory uses for this model, or the fallback."""
    try:
        import inspect

        from gantheory import gan
    except ImportError:
        return dict(_FALLBACK[model], source="fallback (gantheory.gan not importable)")
    settings = dict(_FALLBACK[model], source="fallback (gantheory.gan.train has no defaults)")
    config = getattr(gan, "Config", None)
    if config is not None:  # the settings' one home
        defaults = config()
        settings.update(lr=defaults.lr, steps=defaults.steps, source="gantheory.gan.train defaults")
        return settings
    train = getattr(gan, "train", None)
    if train is None:
        return settings
    params = inspect.signature(train).parameters
    for name in ("lr", "steps"):
        if name in params and params[name].default is not inspect.Parameter.empty:
            settings[name] = params[name].default
            settings["source"] = "gantheory.gan.train defaults"
    return settings


def judge(model: str, means, stds) -> dict:
    """Whether a run of ``model`` converged on the target, under the rule of :data:`CONVERGENCE`."""
    import statistics

    rule = CONVERGENCE[model]
    ok = [abs(m - TARGET_MEAN) <= rule["mean_tol"] and abs(s - TARGET_STD) <= rule["std_tol"]
          for m, s in zip(means, stds)]
    med_mean, med_std = statistics.median(means), statistics.median(stds)
    if rule["rule"] == "every member":
        passed = all(ok)
    else:
        passed = (abs(med_mean - TARGET_MEAN) <= rule["mean_tol"]
                  and abs(med_std - TARGET_STD) <= rule["std_tol"])
    return {"passed": bool(passed), "median_mean": med_mean, "median_std": med_std,
            "members_within": f"{sum(ok)}/{len(ok)}", "rule": rule["rule"],
            "mean_tol": rule["mean_tol"], "std_tol": rule["std_tol"]}
