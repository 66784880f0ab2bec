"""Class selectivity (Morcos et al. 2018) and the SAE's sparse column storage."""

from __future__ import annotations

import numpy as np
import pytest

from aecore.experiments.sae_features import feature_column, sparse_columns
from aecore.maths.selectivity import class_selectivity, mean_selectivity


def test_selectivity_is_one_for_a_single_class_unit_zero_for_an_even_one_nan_when_dead():
    y = np.repeat(np.arange(4), 5)  # 4 classes × 5 inputs
    z = np.zeros((20, 3))
    z[y == 2, 0] = 1.0  # fires only on class 2
    z[:, 1] = 0.7  # the same on every class
    s = class_selectivity(z, y, 4)
    assert s[0] == pytest.approx(1.0) and s[1] == pytest.approx(0.0) and np.isnan(s[2])


def test_selectivity_matches_the_formula_on_random_activations():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 60)
    z = np.maximum(rng.normal(size=(60, 5)), 0)
    mu = np.stack([z[y == c].mean(0) for c in range(3)])
    top, rest = mu.max(0), (mu.sum(0) - mu.max(0)) / 2
    assert np.allclose(class_selectivity(z, y, 3), (top - rest) / (top + rest))


def test_mean_is_weighted_by_firing_frequency_and_ignores_dead_units():
    y = np.repeat(np.arange(2), 10)
    z = np.zeros((20, 3))
    z[0, 0] = 1.0  # fires once (on class 0): selectivity 1, frequency 1/20
    z[:, 1] = 1.0  # fires on everything alike: selectivity 0, frequency 1
    # unit 2 is dead and left out; an unweighted mean would say 0.5
    assert mean_selectivity(z, y, 2) == pytest.approx((1 / 20) / (1 / 20 + 1))


def test_sparse_columns_give_back_every_column():
    rng = np.random.default_rng(1)
    z = np.maximum(rng.normal(size=(30, 7)) - 0.8, 0).astype(np.float32)
    z[:, 4] = 0.0
    cols = sparse_columns(z)
    assert cols["vals"].size == np.count_nonzero(z)
    for j in range(7):
        rows, vals = feature_column(cols, j)
        dense = np.zeros(30, np.float32)
        dense[rows] = vals
        assert np.array_equal(dense, z[:, j])


def test_neuron_axes_code_is_each_neurons_centred_positive_and_negative_part():
    from aecore.experiments.sae_features import SAEConfig, neuron_axes_code

    rng = np.random.default_rng(2)
    acts = np.maximum(rng.normal(size=(40, 8)), 0).astype(np.float32)
    tr = np.arange(30)
    dev = acts - acts[tr].mean(0)
    z = neuron_axes_code(SAEConfig(sparsity="l1", hidden=8), acts, tr)
    assert np.allclose(z, np.concatenate([np.maximum(dev, 0), np.maximum(-dev, 0)], 1), atol=1e-6)
    z3 = neuron_axes_code(SAEConfig(sparsity="topk", hidden=8, k=3), acts, tr)
    assert ((z3 > 0).sum(1) <= 3).all() and np.allclose(z3[z3 > 0], z[z3 > 0], atol=1e-6)


def test_the_selectivity_claim_is_against_the_neuron_axes_read_the_same_way():
    """Beating the raw neurons is no test (they are neither centred nor sparse): the claim
    compares the features with the neurons' axes under the SAE's code rule."""
    from aecore.experiments import get

    claims = get("sae_features").check_claims
    base = dict(explained_variance=0.95, dead_fraction=0.0)
    straw = dict(base, feature_selectivity=0.7, neuron_selectivity=0.35, axes_selectivity=0.75)
    assert not claims(straw)["selective"]
    assert claims(dict(straw, axes_selectivity=0.65))["selective"]
