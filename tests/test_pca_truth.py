"""Lesson 2's statements, asserted from the backend: centring (E2), the solvers, the
derivation's numbers, the angle certificate, the linear-decoder case, and the subspace claim
across seeds, code sizes and data sets (digits, digits28)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.pca import LINEAR_AE, PCAConfig, gap_ratio
from aecore.maths import linear_ae as lae
from aecore.models import ModelConfig, build_model
from aecore.models.linear_decoder import LinearDecoderAutoencoder
from aecore.theory import mse, pca_fit
from tests.sweep import SEEDS

QUICK = dict(deep_epochs=3)  # the non-linear AEs barely train: these tests are about the linear AE


def _run(**kw):
    exp = get("pca")
    res = exp.run(PCAConfig(**kw), None)
    return res, exp.check_claims(res.metrics)


@pytest.fixture(scope="module")
def digits_k8():
    return _run(**QUICK)


def test_bias_free_optimum_is_above_the_centred_bound(digits_k8):
    """E2: without centring (no biases) the best rank-8 linear map on digits is more than the
    claim's tolerance above Σ_{i>k} λ_i / D; it is Eckart–Young on the raw data (checked by SVD)."""
    m = digits_k8[0].metrics
    X = load_dataset("digits").X.astype(np.float64)
    s = np.linalg.svd(X, compute_uv=False)
    assert m["bias_free_mse"] == pytest.approx((s[8:] ** 2).sum() / X.size, rel=1e-9)
    assert m["bias_free_mse"] > get("pca").claim("linear_matches_pca").threshold * m["pca_bound"]


def test_centred_equality(digits_k8):
    """The centred linear AE reaches the bound, and PCA's error equals it."""
    res, claims = digits_k8
    m = res.metrics
    assert m["pca_mse"] == pytest.approx(m["pca_bound"], rel=1e-6)
    assert m["linear_ae_mse"] == pytest.approx(m["pca_bound"], rel=1e-4)
    assert claims["linear_matches_pca"] and claims["same_subspace"] and claims["bound_exact"]
    X = load_dataset("digits").X
    lin = res.models[LINEAR_AE]  # biases b_e = −E x̄, b_d = x̄: raw inputs in, raw images out
    recon = lin(torch.as_tensor(X.copy())).detach().numpy()
    assert mse(X, recon) == pytest.approx(m["linear_ae_mse"], rel=1e-5)


def test_derivation_numbers(digits_k8):
    res, _ = digits_k8
    m, D, k = res.metrics, 64, 8
    assert m["product_rank"] == k
    assert m["identity_gap"] == pytest.approx(math.sqrt(D - k))
    assert m["projector_error"] < 1e-4  # the trained W_dW_e is U_kU_kᵀ
    checks = lae.derivation_checks(m, k, D, 1797)
    assert set(checks) == {key for _, key in lae.DERIVATION}
    assert float(checks["centre"]["excess"]) == pytest.approx(100 * (m["bias_free_mse"] / m["pca_bound"] - 1), abs=0.05)


def test_eckart_young_step_counts_n_times_the_discarded_eigenvalues(digits_k8):
    """The derivation's Eckart–Young step: the least error ‖X − U_kU_kᵀX‖²_F is the sum of the
    discarded squared singular values, which is n (not 1) times the discarded eigenvalues of
    the covariance. And the relaxed problem's XXᵀ is singular on the digits (constant pixels),
    so its solution is written as the identity, not as (XXᵀ)⁻¹XXᵀ."""
    m = digits_k8[0].metrics
    X = load_dataset("digits").X.astype(np.float64)
    Xc = X - X.mean(0)
    n, D = Xc.shape
    s2 = np.linalg.svd(Xc, compute_uv=False) ** 2
    assert s2[8:].sum() == pytest.approx(n * D * m["pca_bound"], rel=1e-9)
    assert s2[8:].sum() == pytest.approx(n * D * m["pca_mse"], rel=1e-5)
    assert np.linalg.matrix_rank(Xc.T @ Xc) < D


def test_covariance_loss_is_the_mean_squared_error_on_centred_rows():
    X = load_dataset("digits").X.astype(np.float64)
    mean, S = lae.covariance(X)
    model = build_model(ModelConfig(input_dim=64, hidden=(), latent_dim=5, activation="identity"), seed=3)
    E, D = lae.weights(model)
    Xc = X - mean
    direct = np.mean((Xc - Xc @ E.T @ D.T) ** 2)
    assert lae.loss_from_cov(E, D, S) == pytest.approx(direct, rel=1e-9)
    torch_loss = lae.covariance_loss(model.double(), torch.as_tensor(S))
    assert float(torch_loss.detach()) == pytest.approx(direct, rel=1e-9)


def test_angle_certificate_is_tight_for_a_rotation_in_the_gap_plane():
    """Rotating u_k by θ towards u_{k+1} costs (λ_k − λ_{k+1}) sin²θ / D: the certificate gives θ back."""
    X = load_dataset("digits").X
    pca, S, k = pca_fit(X), lae.covariance(X)[1], 8
    U = pca.basis(k + 1).copy()
    theta = math.radians(20)
    U[:, k - 1] = math.cos(theta) * U[:, k - 1] + math.sin(theta) * U[:, k]
    Dm = U[:, :k]
    excess = lae.loss_from_cov(lae.best_encoder(Dm), Dm, S) - pca.bound(k)
    gap = pca.eigvals[k - 1] - pca.eigvals[k]
    assert lae.angle_certificate_deg(excess, gap, 64) == pytest.approx(20.0, abs=1e-6)
    assert lae.angle_certificate_deg(1.0, 0.0, 64) == 90.0


def test_gap_ratio_calls_a_tie_one():
    assert gap_ratio(np.array([3.0, 2.0, 1.0]), 1) == pytest.approx(1.5)
    assert gap_ratio(np.array([3.0, 0.0, 0.0]), 2) == 1.0
    # only λ_{k+1} zero: a finite number (the JSON contract) above every measured gap
    gone = gap_ratio(np.array([3.0, 1.0, 0.0]), 2)
    assert math.isfinite(gone) and gone > gap_ratio(np.array([3.0, 1.0, 1e-9]), 2) > 1e8


def test_adam_on_the_covariance_also_finds_the_subspace():
    res, claims = _run(linear_solver="adam", **QUICK)
    assert claims["linear_matches_pca"] and claims["same_subspace"], res.metrics


def test_linear_decoder_cannot_beat_pca(digits_k8):
    """Every output of a linear decoder lies in the affine subspace b + span(W): the best point
    of it for each image (least squares, solved here) is on average no nearer than Eckart–Young's
    bound, and the trained model's own outputs are no nearer than those best points."""
    res, claims = digits_k8
    m = res.metrics
    model = next(net for net in res.models.values() if isinstance(net, LinearDecoderAutoencoder))
    assert isinstance(model.decoder[1], torch.nn.Identity)  # x̂ = W h + b exactly
    W, b = (p.detach().double().numpy() for p in (model.decoder[0].weight, model.decoder[0].bias))
    A = load_dataset("digits").X.astype(np.float64) - b
    Z = np.linalg.lstsq(W, A.T, rcond=None)[0]
    best = float(np.mean((A - (W @ Z).T) ** 2))
    assert m["pca_bound"] * (1 - 1e-9) <= best <= m["lindec_ae_mse"] * (1 + 1e-6)
    assert claims["lindec_not_below_pca"]
    assert 0 <= m["lindec_max_angle_deg"] <= 90 and m["lindec_angle_certificate_deg"] <= 90


@pytest.mark.slow
@pytest.mark.parametrize("k", [2, 4, 8, 16, 32])
def test_subspace_claim_on_digits_across_seeds(k):
    for seed in SEEDS:
        res, claims = _run(latent_dim=k, seed=seed, **QUICK)
        assert claims["linear_matches_pca"] and claims["same_subspace"], (k, seed, res.metrics)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", [2, 8, 16, 32])
def test_subspace_claim_on_digits28_across_seeds(k, seed):
    res, claims = _run(dataset="digits28", latent_dim=k, seed=seed, **QUICK)
    assert claims["linear_matches_pca"] and claims["same_subspace"], (k, seed, res.metrics)
