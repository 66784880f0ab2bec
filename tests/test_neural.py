"""Lesson 0 (``neural``): backpropagation by hand, the descent bound, the toys, the claims."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aecore.experiments import get
from aecore.experiments.neural import NeuralConfig, backprop_error, bce_loss, spread_net, steps_up
from aecore.maths import neuralnet as nnb
from aecore.models.base import mlp, reset_parameters
from tests.sweep import SEEDS


def _net(depth: int, act: str, seed: int = 0) -> torch.nn.Sequential:
    net = mlp([2, *(5,) * depth, 1], act, "identity")
    reset_parameters(net, torch.Generator().manual_seed(seed))
    return net


@pytest.mark.parametrize("act", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_chain_rule_by_hand_equals_autograd(act, depth):
    X, y = nnb.toy_points("moons", 64, 0.2, seed=depth)
    assert backprop_error(_net(depth, act), X, y, act) <= 1e-12


def test_chain_rule_check_catches_a_wrong_derivative():
    """The check is not vacuous: the tanh net's gradient computed with ReLU's φ' differs."""
    X, y = nnb.toy_points("moons", 64, 0.2, seed=0)
    assert backprop_error(_net(2, "tanh"), X, y, "relu") > 1e-3


def test_gradient_and_surface_agree_with_autograd():
    X, y = nnb.toy_points("xor", 50, 0.3, seed=1)
    W = np.array([[0.3, -1.2], [2.0, 0.5]])
    neuron = torch.nn.Linear(2, 1, bias=False).double()
    for w, g in zip(W, nnb.loss_gradient(X, y, W)):
        with torch.no_grad():
            neuron.weight.copy_(torch.from_numpy(w[None]))
        neuron.zero_grad()
        loss = bce_loss(neuron, torch.from_numpy(X.astype(np.float64)), torch.from_numpy(y.astype(np.float64)))
        loss.backward()
        np.testing.assert_allclose(g, neuron.weight.grad.numpy()[0], rtol=1e-10, atol=1e-12)
        assert nnb.loss_surface(X, y, np.array([w[0]]), np.array([w[1]]))[0, 0] == pytest.approx(loss.item())


def test_smoothness_bounds_the_hessian():
    """L = λ_max(XᵀX/n)/4 is at least the largest Hessian eigenvalue anywhere."""
    X, y = nnb.toy_points("moons", 200, 0.1, seed=2)
    L = nnb.logistic_smoothness(X)
    A = X.astype(np.float64)
    for w in (np.zeros(2), np.array([1.0, -3.0]), np.array([-4.0, 0.5])):
        s = nnb.sigmoid(A @ w)
        hess = (A * (s * (1 - s))[:, None]).T @ A / len(A)
        assert np.linalg.eigvalsh(hess)[-1] <= L + 1e-12
    assert np.linalg.eigvalsh(A.T @ A / len(A) / 4)[-1] == pytest.approx(L)


def test_steps_up_ignores_rounding_but_counts_real_rises():
    assert steps_up([1.0, 0.5, 0.5 + 1e-17, 0.4]) == 0
    assert steps_up([1.0, 0.5, 0.6, 0.4, 0.45]) == 2


@pytest.mark.parametrize("toy", nnb.TOYS)
def test_toys_are_seeded_two_class_and_centred(toy):
    X, y = nnb.toy_points(toy, 400, 0.1, seed=3)
    X2, _ = nnb.toy_points(toy, 400, 0.1, seed=3)
    assert X.shape == (400, 2) and X.dtype == np.float32 and np.array_equal(X, X2)
    assert set(np.unique(y)) == {0.0, 1.0} and 0.3 < y.mean() < 0.7
    assert np.all(np.abs(X.mean(0)) < 0.25) and np.all(np.abs(X.std(0) - 1) < 0.35)


def test_spread_net_centres_lie_in_the_interval():
    net = spread_net(32, "relu", seed=5)
    centres = (-net[0].bias / net[0].weight[:, 0]).detach().numpy()
    assert np.all((centres >= nnb.X_RANGE[0]) & (centres <= nnb.X_RANGE[1]))


def test_too_large_a_step_breaks_monotone_descent():
    """Above 2/L the guarantee is gone: on the circles a step size of 10 makes the loss rise."""
    exp = get("neural")
    m = exp.run(NeuralConfig(toy="circles", epochs=60, lr=10.0, max_width=4, fit_epochs=2), None).metrics
    assert m["neuron_lr_limit"] < 10.0 and m["neuron_steps_up"] > 0
    assert not exp.check_claims(m)["descent"]


def test_the_default_step_is_within_the_descent_bound_and_every_step_is_drawn():
    """The default η is below the bound 2/L that guarantees descent, and the surface's path
    has one point per step (the default claims themselves: tests/test_claims.py)."""
    res = get("neural").run(NeuralConfig(max_width=4, fit_epochs=1), None)  # the 1-D fits play no part
    assert res.metrics["neuron_lr_limit"] > NeuralConfig().lr
    assert res.arrays["surface"]["path"].shape == (NeuralConfig().epochs + 1, 2)


def test_error_drop_compares_one_unit_with_the_widest_layer():
    exp = get("neural")
    m = exp.run(NeuralConfig(epochs=3, max_width=8, fit_epochs=300), None).metrics
    assert m["uat_widest"] == 8 and m["uat_widest_rel_mse"] == m["uat_rel_mse_8"]
    assert m["uat_error_drop"] == pytest.approx(m["uat_rel_mse_1"] / m["uat_rel_mse_8"])
    flat = {**m, "uat_error_drop": 1.0}  # the widest layer no better than one unit
    assert not exp.check_claims(flat)["error_falls_with_width"]


SETTINGS = [
    {},
    {"toy": "circles"},
    {"toy": "xor"},
    {"activation": "relu"},
    {"function": "bump"},
    {"function": "abs"},
    {"activation": "relu", "function": "abs"},  # two ReLUs fit |x| exactly: the rest is wobble
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "setting,seed",
    [(s, seed) for s in SETTINGS for seed in SEEDS if s or seed],  # the defaults: tests/test_claims.py
)
def test_claims_hold_on_every_offered_toy_function_and_seed(setting, seed):
    exp = get("neural")
    m = exp.run(NeuralConfig(seed=seed, **setting), None).metrics
    assert all(exp.check_claims(m).values()), (setting, seed, m)
