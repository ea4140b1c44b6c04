"""Figure builders: each takes the numbers to draw and returns a :class:`matplotlib.figure.Figure`.

Nothing here computes mathematics. The scripts in ``scripts/`` compute with gantheory (JS, D*,
gradients) and pass the arrays in, so what a figure shows is exactly what the library returned,
and a reader who wants the numbers behind a figure finds them in its script. Figures are built
with :class:`matplotlib.figure.Figure` directly (no pyplot), so no display or backend state is
involved, and :func:`save_figure` writes them reproducibly: rerunning a script leaves the files
byte-for-byte unchanged.

Conventions shared by every builder: :math:`P_r` (the data, ``p_data``) is blue and :math:`P_g`
(the generator, ``p_g``) red, as in the article; other series use the rest of the Okabe–Ito
palette, which stays distinguishable under the common colour-vision deficiencies. Divergences
are in nats; distances are in units of the common standard deviation :math:`\\sigma`. Font sizes
and line widths are chosen for a slide.

Builders of the article's figures (:mod:`gantheory.plotting.article`), in its order:

- :func:`training_progress` — Figure 3;
- :func:`js_and_slope` — Figure 4 (a) and (b);
- :func:`gradient_comparison` — saturating against non-saturating gradient (eq. 10); open to
  extra :class:`Series`, such as Monte-Carlo estimates from the NumPy GAN;
- :func:`optimal_discriminators` — D*(x) of eq. (7) as p_g moves away;
- :func:`criterion_identity` — C(G) against 2·JS − 2·log 2 along two independent paths, eq. (9).

Beyond eq. (9) (:mod:`gantheory.plotting.fgan`): :func:`divergences_against_distance` (every
divergence against the distance), :func:`wgan_example1` (WGAN's Example 1 and Figure 1 in 1-D),
:func:`instance_noise_js` (JS and the generator's gradient under instance noise).

NumPy GAN builders (:mod:`gantheory.plotting.gan`): :func:`gan_figure1` (Goodfellow et al.
2014, Figure 1, from a real run), :func:`gan_vanishing_gradients`, :func:`gan_mode_collapse`,
:func:`training_history`. Sweeps (:mod:`gantheory.plotting.sweep`): :func:`phase_diagram`,
:func:`phase_diagram_rows`.

Training-dynamics builders (:mod:`gantheory.plotting.dynamics`): :func:`dirac_vector_fields`,
:func:`eigenvalues_against_parameter`, :func:`dirac_norms`, :func:`oscillation_comparison`.

Regularized training (:mod:`gantheory.plotting.regularizers`): :func:`methods_from_afar`,
:func:`mlp_convergence`, :func:`regularized_oscillations`.

The palette, the style and :func:`save_figure` live in :mod:`gantheory.plotting.base`. New
builders go in a module of this package for their topic, take arrays, return a Figure, and are
re-exported here.
"""

from gantheory.plotting.article import (
    Series,
    criterion_identity,
    gradient_comparison,
    js_and_slope,
    optimal_discriminators,
    training_progress,
)
from gantheory.plotting.base import COLORS, figure, save_figure, style
from gantheory.plotting.dynamics import (
    dirac_norms,
    dirac_vector_fields,
    eigenvalues_against_parameter,
    oscillation_comparison,
)
from gantheory.plotting.fgan import divergences_against_distance, instance_noise_js, wgan_example1
from gantheory.plotting.gan import gan_figure1, gan_mode_collapse, gan_vanishing_gradients, training_history
from gantheory.plotting.regularizers import methods_from_afar, mlp_convergence, regularized_oscillations
from gantheory.plotting.sweep import phase_diagram, phase_diagram_rows

__all__ = [
    "COLORS",
    "Series",
    "criterion_identity",
    "dirac_norms",
    "dirac_vector_fields",
    "divergences_against_distance",
    "eigenvalues_against_parameter",
    "figure",
    "gan_figure1",
    "gan_mode_collapse",
    "gan_vanishing_gradients",
    "gradient_comparison",
    "instance_noise_js",
    "js_and_slope",
    "methods_from_afar",
    "mlp_convergence",
    "optimal_discriminators",
    "oscillation_comparison",
    "phase_diagram",
    "phase_diagram_rows",
    "regularized_oscillations",
    "save_figure",
    "style",
    "training_history",
    "training_progress",
    "wgan_example1",
]
