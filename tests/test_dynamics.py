"""The Dirac-GAN: derivations, closed-form eigenvalues, update maps, the simulator, bad input.

Reference numbers marked "measured" were produced by running the reference implementation of
Mescheder, Geiger & Nowozin (2018), github.com/LMescheder/GAN_stability, notebooks/diracgan
(``trajectory_simgd`` / ``trajectory_altgd`` with h = 0.2, start (1, 1), 500 steps), here, with
NumPy 2.4, and printing ``repr`` of the results. Its code is not part of this repository.
"""

import subprocess
import sys

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gantheory import dynamics
from gantheory.dynamics import dirac, symbolic
from gantheory.report import dynamics as report_dynamics

# ||(theta, psi)|| after 500 simultaneous steps: measured with the reference implementation.
REFERENCE_SIMULTANEOUS = {
    ("gan", ()): 3.096948666996066,
    ("nsgan", ()): 0.6402070811733717,
    ("wgan", (("clip", 1.0),)): 1.002152040504344,
    ("wgan-gp", (("gamma", 0.7), ("target_norm", 1.0))): 1.8017931931603375,
    ("r1", (("gamma", 0.3),)): 2.6426562905311898e-06,
    ("r1", (("gamma", 1.0),)): 9.528715449593006e-22,
}
# Final (theta, psi) of trajectory_altgd (one generator step, then dsteps discriminator steps),
# measured with the reference implementation.
REFERENCE_ALTERNATING = {
    ("gan", (), 1): (0.6868336612231268, 1.2440072943196263),
    ("gan", (), 5): (0.7688565131351238, 1.677466597785633),
    ("r1", (("gamma", 0.3),), 1): (-5.167048431700619e-08, -2.2421453821894787e-07),
    ("wgan", (("clip", 1.0),), 1): (0.9790762972911974, 0.3003815197789117),
    ("wgan", (("clip", 1.0),), 5): (0.0867733356706048, -0.9127693968138666),
}
# The reference's GAN_Consensus(1.) ends at 2.0808429357736624e-10 (measured); ours differs, see
# test_consensus_field_is_the_gradient_of_half_the_squared_norm.


def test_reference_norms_of_the_report_are_the_measured_ones():
    for key, value in report_dynamics.REFERENCE_NORMS.items():
        assert REFERENCE_SIMULTANEOUS[key] == value


@pytest.mark.parametrize("key", list(REFERENCE_SIMULTANEOUS))
def test_simultaneous_steps_reproduce_the_reference_implementation(key):
    method, params = key
    norm = dynamics.simulate(method, start=(1.0, 1.0), h=0.2, steps=500, **dict(params)).norm()[-1]
    # 500 steps of the same arithmetic with a different logistic function: rounding differences
    # grow at most like the trajectory's own contraction; 1e-12 relative covers them.
    assert norm == pytest.approx(REFERENCE_SIMULTANEOUS[key], rel=1e-12)


@pytest.mark.parametrize("key", list(REFERENCE_ALTERNATING))
def test_alternating_steps_are_the_reference_shifted_by_one_generator_step(key):
    """The reference steps G then D^n; Algorithm 1 (and this simulator) D^n then G. From
    y0 = G(x0), ours gives y_k = G(x_k) for the reference's x_k."""
    method, params, n_d = key
    params = dict(params)

    def g_step(theta, psi):
        return theta + 0.2 * dynamics.vector_field(method, theta, psi, **params)[0], psi

    clip = params.get("clip", np.inf)
    y0 = g_step(1.0, min(1.0, clip))
    ours = dynamics.simulate(method, start=y0, h=0.2, steps=500, schedule="alternating", n_d=n_d, **params)
    expected = g_step(*REFERENCE_ALTERNATING[key])
    np.testing.assert_allclose(ours[-1], expected, rtol=1e-9, atol=1e-300)


# --- derivations and closed forms -----------------------------------------------------------------

def test_every_derivation_verifies_and_is_lazy():
    for method in dynamics.METHODS:
        assert symbolic.derive(method).verified, method
    code = "import gantheory, gantheory.dynamics, sys; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_jacobians_are_the_papers():
    """Mescheder et al. (2018), sec. 3, with f'(0) = 1/2 and f''(0) = -1/4."""
    g = np.linspace(0.0, 3.0, 7)
    np.testing.assert_array_equal(dynamics.jacobian("gan"), [[0, -0.5], [0.5, 0]])
    np.testing.assert_array_equal(dynamics.jacobian("wgan"), [[0, -1], [1, 0]])
    np.testing.assert_array_equal(dynamics.jacobian("r1", gamma=g)[:, 1, 1], -g)
    np.testing.assert_array_equal(dynamics.jacobian("consensus", gamma=g)[:, 0, 0], -g / 4)  # -gamma f'(0)^2
    np.testing.assert_allclose(dynamics.jacobian("instance-noise", sigma=g)[:, 1, 1], -g**2 / 2, rtol=1e-15)
    np.testing.assert_array_equal(dynamics.jacobian("gradient-penalty", eta=g)[:, 0, 0], -g / 2)


GRIDS = {"r1": "gamma", "r2": "gamma", "consensus": "gamma", "instance-noise": "sigma", "gradient-penalty": "eta"}


@pytest.mark.parametrize("method", list(GRIDS))
def test_closed_form_eigenvalues_match_numerical_ones_over_a_grid(method):
    grid = np.concatenate([np.linspace(0.0, 4.0, 401), [dynamics.critical_value(method) or 1.0]])
    closed = dynamics.eigenvalues(method, **{GRIDS[method]: grid})
    numeric = np.linalg.eigvals(dynamics.jacobian(method, **{GRIDS[method]: grid}))
    # eigvals of a 2x2 is accurate to ~1e-16 |J| except at a double root, where a perturbation
    # of eps moves the roots by sqrt(eps) ~ 1e-8: compare the sums and products there instead.
    np.testing.assert_allclose(closed.sum(-1), numeric.sum(-1), atol=1e-12)
    np.testing.assert_allclose(closed.prod(-1), numeric.prod(-1), atol=1e-12)
    apart = np.abs(closed[:, 0] - closed[:, 1]) > 1e-4
    c, n = np.sort_complex(closed[apart]), np.sort_complex(numeric[apart])
    assert np.abs(c - n).max() < 1e-12


def test_eigenvalues_agree_with_the_paper_closed_forms():
    g = np.linspace(0.0, 3.0, 31)
    root = np.sqrt(g.astype(complex) ** 2 / 4 - 0.25)  # f'(0) = 1/2
    np.testing.assert_allclose(dynamics.eigenvalues("r1", gamma=g), np.stack([-g / 2 + root, -g / 2 - root], -1),
                               atol=1e-15)
    np.testing.assert_allclose(dynamics.eigenvalues("consensus", gamma=g),
                               np.stack([-g / 4 + 0.5j, -g / 4 - 0.5j], -1), atol=1e-15)
    assert dynamics.critical_value("r1") == dynamics.critical_value("r2") == 1.0
    assert dynamics.critical_value("instance-noise") == pytest.approx(np.sqrt(2), abs=1e-15)
    assert dynamics.critical_value("gradient-penalty") == 2.0
    assert dynamics.critical_value("consensus") is None and dynamics.critical_value("gan") is None


def test_consensus_field_is_the_gradient_of_half_the_squared_norm():
    """v - gamma grad(|v|^2 / 2). The reference code's GAN_Consensus writes the second term of
    grad with a factor 1/2 too many (0.5 * psi (psi^2 + theta^2) f' f''); the Jacobian at (0, 0)
    is the same, the trajectories are not."""
    def f1(t):
        return 1 / (1 + np.exp(t))

    def f2(t):
        return -f1(t) * f1(-t)

    th, ps, gamma = np.array([0.3, -1.2, 0.7]), np.array([0.9, 0.4, -1.5]), 1.0
    v1, v2 = -ps * f1(ps * th), th * f1(ps * th)
    grad1 = th * f1(ps * th) ** 2 + ps * (ps**2 + th**2) * f1(ps * th) * f2(ps * th)
    grad2 = ps * f1(ps * th) ** 2 + th * (ps**2 + th**2) * f1(ps * th) * f2(ps * th)
    ours = dynamics.vector_field("consensus", th, ps, gamma=gamma)
    np.testing.assert_allclose(ours, (v1 - gamma * grad1, v2 - gamma * grad2), rtol=1e-14)
    assert dynamics.simulate("consensus", gamma=1.0).norm()[-1] != pytest.approx(2.0808429357736624e-10, rel=1e-3)


def test_instance_noise_quadrature_against_mpmath():
    mp.mp.dps = 30

    def reference(th, ps, s):
        def e(g):
            return mp.quad(lambda u: g(u) * mp.exp(-u * u / 2), [-mp.inf, 0, mp.inf]) / mp.sqrt(2 * mp.pi)

        def fp(t):
            return 1 / (1 + mp.exp(t))

        return (e(lambda u: -ps * fp(ps * (th + s * u))),
                e(lambda u: (th + s * u) * fp(ps * (th + s * u)) - s * u * fp(-s * u * ps)))

    # 64 Hermite nodes: to rounding (a 64-term sum, ~1e-14) while |psi sigma| <= 1.3, the field
    # near the equilibrium; 5e-5 at |psi sigma| = 4, as dirac.HERMITE_NODES states
    for th, ps, s, tol in ((0.5, 0.8, 0.7, 1e-14), (-1.0, 1.3, 1.0, 1e-14), (2.0, -0.4, 1.4, 1e-14),
                           (0.5, 4.0, 1.0, 5e-5)):
        got = dynamics.vector_field("instance-noise", th, ps, sigma=s)
        want = [float(v) for v in reference(mp.mpf(th), mp.mpf(ps), mp.mpf(s))]
        np.testing.assert_allclose(got, want, rtol=0, atol=tol)


# --- discrete dynamics ------------------------------------------------------------------------------

@pytest.mark.parametrize("method, params", [("r1", {"gamma": 0.3}), ("r1", {"gamma": 2.0}), ("gan", {}),
                                            ("consensus", {"gamma": 1.0}), ("instance-noise", {"sigma": 0.7}),
                                            ("gradient-penalty", {"eta": 1.0})])
@pytest.mark.parametrize("schedule, n_d", [("simultaneous", 1), ("alternating", 1), ("alternating", 5)])
def test_small_trajectories_follow_the_update_map(method, params, schedule, n_d):
    """From 1e-6 the cubic terms are ~1e-12 relative: the simulator is the linear map.

    The absolute tolerance is 1e-9 of the start: instance noise's Hermite sums of odd integrands
    leave ~1e-17 where the field vanishes exactly."""
    x0 = np.array([1e-6, -2e-6])
    path = dynamics.simulate(method, start=x0, h=0.1, steps=200, schedule=schedule, n_d=n_d, **params)
    update = dynamics.update_matrix(method, 0.1, schedule, n_d=n_d, **params)
    expected = np.linalg.matrix_power(update, 200) @ x0
    np.testing.assert_allclose(path[-1], expected, rtol=1e-9, atol=1e-9 * np.abs(x0).max())


@pytest.mark.parametrize("method, params", [("r1", {"gamma": 0.3}), ("r1", {"gamma": 2.5}),
                                            ("consensus", {"gamma": 1.0}), ("instance-noise", {"sigma": 1.0}),
                                            ("gradient-penalty", {"eta": 3.0})])
def test_step_size_bound_is_where_the_spectral_radius_crosses_one(method, params):
    bound = dynamics.max_step(method, **params)
    for factor in (0.5, 0.9, 0.99):
        assert dynamics.spectral_radius(method, bound * factor, **params) < 1
    for factor in (1.01, 1.1, 2.0):
        assert dynamics.spectral_radius(method, bound * factor, **params) > 1
    assert dynamics.spectral_radius(method, bound, **params) == pytest.approx(1.0, abs=1e-12)
    # and in simulation, from a small start, on both sides
    below = dynamics.simulate(method, start=(1e-5, 1e-5), h=0.95 * bound, steps=3000, **params).norm()
    above = dynamics.simulate(method, start=(1e-5, 1e-5), h=1.05 * bound, steps=3000, **params).norm()
    assert below[-1] < below[0] < above[-1]


def test_unregularized_methods_have_no_convergent_step():
    assert dynamics.max_step("gan") == dynamics.max_step("wgan") == 0.0
    for h in (0.01, 0.2, 1.0):
        assert dynamics.spectral_radius("gan", h) == pytest.approx(np.sqrt(1 + h**2 / 4), abs=1e-15)
        # alternating steps conserve a quadratic form: eigenvalues on the unit circle (h < 4)
        assert dynamics.spectral_radius("gan", h, "alternating") == pytest.approx(1.0, abs=1e-14)


# --- the simulator ------------------------------------------------------------------------------------

def test_grid_equals_single_runs_bit_for_bit():
    starts = np.array([[1.0, 1.0], [-0.5, 1.5], [2.0, -2.0]])
    methods = ["gan", ("r1", {"gamma": 0.3}), ("wgan", {"clip": 0.5}), "instance-noise"]
    grid = dynamics.simulate_grid(methods, starts, h=[0.1, 0.3], steps=50, schedule="alternating", n_d=2)
    assert grid.states.shape == (4, 2, 3, 51, 2)
    for i, entry in enumerate(methods):
        name, params = (entry, {}) if isinstance(entry, str) else entry
        for j, h in enumerate((0.1, 0.3)):
            single = dynamics.simulate(name, start=starts, h=h, steps=50, schedule="alternating", n_d=2, **params)
            np.testing.assert_array_equal(grid.states[i, j], single.states)
    last = dynamics.simulate_grid(methods, starts, h=[0.1, 0.3], steps=50, schedule="alternating", n_d=2, keep="last")
    np.testing.assert_array_equal(last.states, grid.states[..., -1, :])


def test_shapes_and_array_behaviour():
    one = dynamics.simulate("gan", steps=10)
    assert one.shape == (11, 2) and len(one) == 11 and np.asarray(one).shape == (11, 2)
    np.testing.assert_array_equal(one[0], [1.0, 1.0])
    many = dynamics.simulate("gan", start=np.ones((4, 2)), steps=10)
    assert many.shape == (4, 11, 2) and many.diverged.shape == (4,)
    assert dynamics.simulate("gan", steps=0).shape == (1, 2)
    assert dynamics.simulate("wgan", start=(0.0, 3.0), clip=1.0, steps=0)[0, 1] == 1.0  # clipped at the start


def test_divergence_is_reported_not_nan():
    # WGAN's field is linear: unclipped (clip huge), steps of 5 grow by |1 + 5i| = 5.1 each
    starts = np.array([[1.0, 1.0], [1e-3, 1e-3]])
    path = dynamics.simulate("wgan", start=starts, h=5.0, steps=500, clip=1e250)
    assert np.isfinite(path.states).all()
    assert path.diverged.tolist() == [True, True] and (path.diverged_step > 0).all()
    first = path.diverged_step[0]
    np.testing.assert_array_equal(path.states[0, first:], np.broadcast_to(path.states[0, first - 1], (501 - first, 2)))
    assert np.hypot(*path.states[0, first - 1]) <= dynamics.DEFAULT_BOUND
    overflow = dynamics.simulate("wgan", start=(1.0, 1.0), h=5.0, steps=500, clip=1e300, bound=1e150)
    assert overflow.diverged and np.isfinite(overflow.states).all()
    calm = dynamics.simulate("r1", gamma=1.0)
    assert calm.diverged is False and calm.diverged_step == -1


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([m for m in dynamics.METHODS if m not in ("wgan", "wgan-gp")]),
       st.floats(-3, 3), st.floats(-3, 3))
def test_fields_are_odd(method, theta, psi):
    """Every method's field is odd: v(-theta, -psi) = -v(theta, psi) (the Dirac-GAN's symmetry)."""
    plus = np.array(dynamics.vector_field(method, theta, psi))
    minus = np.array(dynamics.vector_field(method, -theta, -psi))
    np.testing.assert_allclose(minus, -plus, atol=1e-15)


# --- bad input ----------------------------------------------------------------------------------------

def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="`method` must be one of 'gan', 'nsgan'.*got 'gann'"):
        dynamics.simulate("gann")
    with pytest.raises(ValueError, match="`schedule` must be one of 'simultaneous', 'alternating'"):
        dynamics.simulate("gan", schedule="jacobi")
    with pytest.raises(ValueError, match="`h` must be a finite number > 0, got 0.0"):
        dynamics.simulate("gan", h=0.0)
    with pytest.raises(ValueError, match="`gamma` must be a finite number >= 0, got -0.1"):
        dynamics.simulate("r1", gamma=-0.1)
    with pytest.raises(ValueError, match="`gamma` must be a finite number >= 0"):
        dynamics.eigenvalues("r1", gamma=[0.1, -1.0])
    with pytest.raises(ValueError, match="`clip` must be a finite number > 0"):
        dynamics.simulate("wgan", clip=0.0)
    with pytest.raises(TypeError, match="method 'gan' takes no parameters; got `gamma`"):
        dynamics.simulate("gan", gamma=1.0)
    with pytest.raises(TypeError, match="method 'r1' takes `gamma`; got `sigma`"):
        dynamics.eigenvalues("r1", sigma=1.0)
    with pytest.raises(ValueError, match="`n_d`.*needs schedule='alternating'"):
        dynamics.simulate("gan", n_d=3)
    with pytest.raises(ValueError, match="`start` must be a pair"):
        dynamics.simulate("gan", start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="`bound` must be a number in"):
        dynamics.simulate("gan", bound=1e200)
    with pytest.raises(ValueError, match="`start` must be finite"):
        dynamics.simulate("gan", start=(np.nan, 1.0))
    with pytest.raises(ValueError, match="not differentiable at the equilibrium"):
        dynamics.eigenvalues("wgan-gp")
    with pytest.raises(ValueError, match="`h` must be a step size > 0"):
        dynamics.simulate_grid(["gan"], [(1.0, 1.0)], h=[0.1, -0.1])
    with pytest.raises(TypeError, match="each entry of `methods`"):
        dynamics.simulate_grid([3], [(1.0, 1.0)])
    assert isinstance(dirac.METHODS, tuple)


# --- the command line ---------------------------------------------------------------------------------

def test_cli_dynamics_prints_the_table_and_draws(tmp_path, capsys):
    from gantheory import cli

    assert cli.main(["dynamics", "r1", "gan", "--gamma", "1", "--start", "1,1", "--start", "0.5,-1",
                     "--out", str(tmp_path / "dirac")]) == 0
    out = capsys.readouterr().out
    assert "r1(gamma=1)" in out and "9.529e-22, " in out and "1.004988" in out
    assert (tmp_path / "dirac.png").stat().st_size > 0 and (tmp_path / "dirac.svg").exists()
    for argv, message in ((["dynamics", "gann"], "`method` must be one of"),
                          (["dynamics", "gan", "--gamma", "1"], "--gamma is taken by none"),
                          (["dynamics", "r1", "--h", "-1"], "argument --h: must be a finite number > 0"),
                          (["dynamics", "r1", "--start", "1;1"], "--start must be THETA,PSI")):
        assert cli.main(argv) == 2
        assert message in capsys.readouterr().err


def test_benchmark_script_runs_and_its_loop_is_the_same_update(monkeypatch, capsys):
    """benchmarks/bench_dynamics.py in its tiny mode: the per-trajectory loop gives the same bits."""
    import json
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "benchmarks"
    monkeypatch.syspath_prepend(str(bench))
    import bench_dynamics

    monkeypatch.setattr(sys, "argv", ["bench_dynamics.py", "--quick"])
    bench_dynamics.main()
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["loop_equals_vectorized_bit_for_bit"] is True


def test_every_dirac_claim_holds_and_fails_under_its_defect():
    from gantheory import report

    rows = report.verify(["dirac-gan"])
    assert all(r.passed for r in rows) and sum(r.counted for r in rows) >= 20
    caught = report.falsify(["dirac-gan"])
    assert [c.claim for c in caught if not c.caught] == []
    assert [c.raised for c in caught if c.raised] == []  # each defect makes its claim fail, not crash
    # the defects were undone: a fresh derivation is the right one again
    assert dynamics.critical_value("r1") == 1.0
