"""Training dynamics: why GAN training oscillates, and what makes it converge.

The theory is local: the Jacobian of the training vector field at the equilibrium (Mescheder,
Nowozin & Geiger 2017, "The Numerics of GANs"; Nagarajan & Kolter 2017; Mescheder, Geiger &
Nowozin 2018, "Which training methods for GANs do actually converge?"). Two models carry it:

- the **Dirac-GAN** of Mescheder et al. (2018): data :math:`\\delta_0`, generator
  :math:`\\delta_\\theta`, discriminator :math:`D_\\psi(x) = \\psi x`. Its nine training methods
  (:data:`METHODS`) are derived by sympy from their losses (:mod:`~gantheory.dynamics.symbolic`),
  evaluated in numbers (:mod:`~gantheory.dynamics.dirac`) and simulated, vectorized over starts,
  step sizes and methods (:mod:`~gantheory.dynamics.trajectories`);
- the **1-D Gaussian GAN** that :func:`gantheory.gan.train` trains (affine generator, quadratic
  discriminator), linearized at its equilibrium with exact expectations, with the update maps of
  SGD with momentum and Adam (:mod:`~gantheory.dynamics.gaussian`).

>>> from gantheory import dynamics
>>> dynamics.eigenvalues("r1", gamma=0.3).round(4)      # -gamma/2 +- i sqrt(1/4 - gamma^2/4)
array([-0.15+0.477j, -0.15-0.477j])
>>> trajectory = dynamics.simulate("gan", start=(1.0, 1.0), h=0.2, steps=500)
>>> trajectory.shape, round(float(trajectory.norm()[-1]), 4)   # spirals away from (0, 0)
((501, 2), 3.0969)

sympy is imported only when a method is first derived, so ``import gantheory`` does not import it.
"""

from gantheory.dynamics.dirac import (
    DEFAULTS,
    METHODS,
    PARAMETERS,
    SCHEDULES,
    critical_value,
    eigenvalues,
    jacobian,
    max_step,
    spectral_radius,
    update_matrix,
    vector_field,
)
from gantheory.dynamics.trajectories import DEFAULT_BOUND, GridTrajectory, Trajectory, simulate, simulate_grid

__all__ = [
    "DEFAULTS",
    "DEFAULT_BOUND",
    "GridTrajectory",
    "METHODS",
    "PARAMETERS",
    "SCHEDULES",
    "Trajectory",
    "critical_value",
    "eigenvalues",
    "jacobian",
    "max_step",
    "simulate",
    "simulate_grid",
    "spectral_radius",
    "update_matrix",
    "vector_field",
]
