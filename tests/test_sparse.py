"""Lesson 5 backend: the KL gradient, Lasso on the weights, ReLU codes, the data sets."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import torch

from aecore.config import ConfigError
from aecore.experiments import get
from aecore.experiments.sparse import MOST, SparseConfig, code_stats, kl_batch_penalty, kl_gradient_check
from aecore.penalties import kl_bernoulli, kl_sparsity_grad, l1_weights, make_penalty
from tests.conftest import ROOT


def test_kl_gradient_closed_form_against_autograd_and_its_shape():
    rho = 0.05
    q = torch.linspace(0.001, 0.9, 200, dtype=torch.float64, requires_grad=True)
    (0.3 * kl_bernoulli(rho, q).sum()).backward()
    torch.testing.assert_close(kl_sparsity_grad(rho, q.detach(), 0.3), q.grad)
    g = kl_sparsity_grad(rho, np.array([1e-4, rho, 0.5]), 1.0)
    assert g[0] < -400 and g[1] == pytest.approx(0.0, abs=1e-12) and g[2] > 0  # diverges below ρ, zero at ρ
    assert kl_gradient_check(rho, np.array([0.01, 0.05, 0.2]), 0.05) < 1e-10


def test_batch_kl_is_at_least_the_full_data_kl():
    H = np.random.default_rng(0).random((1000, 6)) ** 8  # skewed activations in (0, 1)
    full = float(kl_bernoulli(0.05, torch.as_tensor(H.mean(0))).sum())
    assert kl_batch_penalty(H, 0.05, seed=0) >= full  # KL is convex in ρ̂ (Jensen)


def test_lasso_on_known_weights():
    from aecore.models import ModelConfig, build_model

    model = build_model(ModelConfig(input_dim=2, hidden=(), latent_dim=3, latent_activation="sigmoid"))
    with torch.no_grad():
        model.encoder[0].weight.fill_(-1.0)  # 6 entries
        model.decoder[0].weight.fill_(0.5)  # 6 entries
    assert l1_weights(0.1)(model, None, None).item() == pytest.approx(0.1 * (6 + 3))
    with pytest.raises(ConfigError):
        make_penalty("l1_weights", -1.0)


def test_exact_zeros_are_counted():
    H = np.array([[0.0, 0.3], [0.0, 0.0]])
    assert code_stats(H, 0.0)["zero_fraction"] == pytest.approx(0.75)
    assert code_stats(H, 0.0)["dead_units"] == 1.0


def test_kl_needs_sigmoid_codes():
    with pytest.raises(ConfigError, match="sigmoid"):
        SparseConfig(code="relu", penalty="kl")


def test_relu_codes_skip_kl_and_its_claims():
    exp = get("sparse")
    res = exp.run(SparseConfig(code="relu", penalty="l1", epochs=2, hidden=16), None)
    m = res.metrics
    assert "kl_mean_activation" not in m and "kl" not in res.models
    assert set(exp.check_claims(m)) == {"l1_sparser"}
    assert m["l1_zero_fraction"] > 0  # ReLU codes have exact zeros
    sig = exp.run(SparseConfig(epochs=2, hidden=16), None).metrics
    assert sig["l1_zero_fraction"] == 0.0  # a sigmoid is never exactly 0
    assert set(exp.check_claims(sig)) == {"kl_hits_rho", "l1_sparser", "kl_sparser"}
    assert sig["kl_penalty_batch"] >= sig["kl_penalty_full"]


def test_sparse_runs_on_digits28_from_the_command_line():
    args = [sys.executable, "-m", "aecore", "run", "sparse", "--set", "dataset=digits28"]
    args += ["--set", "epochs=1", "--set", "hidden=8", "--json"]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert '"dataset": "digits28"' in out.stdout and '"input_dim": 784.0' in out.stdout


@pytest.mark.slow
@pytest.mark.parametrize("pairs", [{}, {"dataset": "digits28"}, {"code": "relu", "penalty": "l1"}])
def test_sparse_claims_and_their_mechanism(pairs):
    exp = get("sparse")
    m = exp.run(SparseConfig(**pairs), None).metrics
    checks = exp.check_claims(m)
    assert checks and all(checks.values()), (checks, m)
    # L1 on the weights prunes connections, not activity; L1 on the code does the reverse (the
    # page's "most weights small" sentence: sparse.MOST)
    assert m["l1_weights_small_weights"] > MOST > m["l1_small_weights"]
    assert m["l1_weights_fraction_active"] > m["l1_fraction_active"]
    if "kl_dead_units" in m:  # the floorless L1 pull lets sigmoid units die; KL's diverging pull does not
        assert m["kl_dead_units"] == 0 < m["l1_dead_units"]
