"""Lesson 2: the best linear decoder of any encoder's codes stays at or above PCA's error."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.pca import DEEP_AE, LINDEC_AE, PCAConfig
from aecore.maths.linear_ae import best_linear_decoder
from aecore.theory import mse, pca_fit
from aecore.train import predict

EXP = get("pca")
SMALL = PCAConfig(deep_epochs=60)


@pytest.fixture(scope="module")
def small_run():
    return EXP.run(SMALL, None)


def test_best_linear_decoder_matches_sklearn():
    rng = np.random.default_rng(0)
    H = rng.normal(size=(300, 4))
    X = np.tanh(H @ rng.normal(size=(4, 10))) + 0.1 * rng.normal(size=(300, 10))
    W, b = best_linear_decoder(H, X)
    reg = LinearRegression().fit(H, X)
    assert np.allclose(W, reg.coef_) and np.allclose(b, reg.intercept_)


def test_no_linear_decoder_of_any_codes_beats_pca():
    """Eckart–Young: codes that are any function of X (here squared and sine features), decoded
    linearly, never go below the top-k PCA error."""
    X = load_dataset("digits").X.astype(np.float64)
    k = 4
    bound = pca_fit(X).bound(k)
    rng = np.random.default_rng(1)
    for H in (np.sin(X @ rng.normal(size=(64, k))), (X @ rng.normal(size=(64, k))) ** 2, X[:, :k]):
        W, b = best_linear_decoder(H, X)
        assert mse(X, H @ W.T + b) >= bound * (1 - 1e-9)


def test_refit_claim_holds_and_metrics_recompute(small_run):
    m = small_run.metrics
    assert EXP.check_claims(m)["refit_not_below_pca"]
    X = load_dataset(SMALL.dataset).X
    for name, stage in (("lindec", LINDEC_AE), ("deep", DEEP_AE)):
        H = predict(small_run.models[stage].encode, X)
        reg = LinearRegression().fit(H.astype(np.float64), X.astype(np.float64))
        assert m[f"{name}_refit_mse"] == pytest.approx(mse(X, reg.predict(H.astype(np.float64))), rel=1e-6)
    # the trained linear decoder is a linear decoder of the same codes: never better than the refit
    assert m["lindec_refit_mse"] <= m["lindec_ae_mse"] * (1 + 1e-6)


def test_nonlinear_decoder_in_place_of_the_linear_one_fails(small_run):
    """Planted fault: the deep AE's own non-linear decoder reported where the best linear
    decoder of its codes is meant: the claim fails and the ❌ is explained."""
    m = dict(small_run.metrics, deep_refit_mse=small_run.metrics["deep_ae_mse"])
    claim = EXP.claim("refit_not_below_pca")
    assert not claim.holds(m)
    assert claim.explain(m)[0] == "why.refit_rounding"


def test_deep_ae_not_below_pca_fails_with_its_reason(small_run):
    m = dict(small_run.metrics, deep_ae_mse=small_run.metrics["pca_mse"] * 1.01)
    claim = EXP.claim("refit_not_below_pca")
    assert not claim.holds(m)
    key, numbers = claim.explain(m)
    assert key == "why.refit_nonlinear" and numbers["deep_ae_ratio"] == pytest.approx(1.01)


@pytest.mark.slow
def test_refit_claim_on_digits28():
    m = EXP.run(replace(SMALL, dataset="digits28", deep_epochs=0), None).metrics
    assert EXP.check_claims(m)["refit_not_below_pca"]
