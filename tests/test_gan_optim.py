"""Optimizers: the update rules by hand (they are PyTorch's), in place, member by member."""

import numpy as np

from gantheory.gan import optim


def test_sgd_momentum_by_hand():
    p = np.array([[1.0, -2.0]])
    state = optim.sgd_init(p)
    g1, g2 = np.array([[0.5, 1.0]]), np.array([[-1.0, 2.0]])
    optim.sgd_step(p, g1, state, 1, lr=0.1, momentum=0.9)
    np.testing.assert_allclose(p, [[1.0 - 0.05, -2.0 - 0.1]], rtol=1e-15)
    optim.sgd_step(p, g2, state, 2, lr=0.1, momentum=0.9)
    v = 0.9 * g1 + g2
    np.testing.assert_allclose(p, [[0.95, -2.1]] - 0.1 * v, rtol=1e-15)


def test_zero_momentum_is_plain_gradient_descent():
    p = np.array([[3.0]])
    state = optim.sgd_init(p)
    for t in range(1, 4):
        optim.sgd_step(p, np.array([[1.0]]), state, t, lr=0.5, momentum=0.0)
    assert p[0, 0] == 1.5


def test_adam_by_hand_two_steps():
    p = np.array([[0.0]])
    state = optim.adam_init(p)
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    m = v = 0.0
    expected = 0.0
    for t, g in enumerate([1.0, -3.0], start=1):
        optim.adam_step(p, np.array([[g]]), state, t, lr=lr, beta1=b1, beta2=b2, eps=eps)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        expected -= lr / (1 - b1**t) * m / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(p, [[expected]], rtol=1e-14)


def test_updates_are_per_member():
    # Member 1's gradient never moves member 0.
    p = np.zeros((2, 3))
    for name, opt in optim.OPTIMIZERS.items():
        q = p.copy()
        state = opt.init(q)
        opt.step(q, np.array([[0.0] * 3, [1.0] * 3]), state, 1, lr=0.1, momentum=0.9)
        assert (q[0] == 0).all() and (q[1] != 0).all(), name
