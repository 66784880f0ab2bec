"""Lesson 6 backend: closed-form Jacobian norms of the image models, the curve part's
measures against the exact tangent, the data sets, and the claims on every curve."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aecore.data.curves import CURVES
from aecore.experiments import get
from aecore.experiments.contractive import ContractiveConfig, curve_jacobian, image_jacobian_norms
from aecore.models import ModelConfig, build_model
from aecore.penalties import jacobian, map_jacobian_fro2_closed


@pytest.mark.parametrize("kind", ["mlp", "tied"])
def test_closed_form_jacobians_equal_autograd(kind):
    model = build_model(
        ModelConfig(input_dim=7, hidden=(), latent_dim=5, latent_activation="sigmoid"), kind=kind, seed=2
    )
    X = np.random.default_rng(0).random((9, 7)).astype(np.float32)
    enc, whole = image_jacobian_norms(model, X)
    x = torch.from_numpy(X)
    ref_enc = torch.linalg.matrix_norm(jacobian(model.encode, x)).detach().double().numpy()
    ref_whole = torch.linalg.matrix_norm(jacobian(model, x)).detach().double().numpy()
    np.testing.assert_allclose(enc, ref_enc, rtol=1e-5)
    np.testing.assert_allclose(whole, ref_whole, rtol=1e-5)
    W_dec = next(m for m in model.decoder if hasattr(m, "weight")).weight
    sq = map_jacobian_fro2_closed(model.encoder[0].weight, W_dec, model.encode(x))
    np.testing.assert_allclose(sq.detach().numpy(), ref_whole**2, rtol=1e-4)


def test_curve_measures_on_a_known_linear_map():
    """J = diag(3, 1) at points whose tangent is (1, 0): along/across = 3, v₁ = the tangent."""
    lin = torch.nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[3.0, 0.0], [0.0, 1.0]]))

    class Enc:
        encode = lin

    clean = np.zeros((4, 2), np.float32)
    tangent = np.tile([1.0, 0.0], (4, 1))
    numbers, Vt, S = curve_jacobian(Enc, clean, tangent)
    assert numbers["along_across"] == pytest.approx(3.0)
    assert numbers["anisotropy"] == pytest.approx(3.0)
    assert numbers["tangent_alignment"] == pytest.approx(1.0)
    # rotate the map: the stretch now points across the curve, s₁/s₂ is unchanged
    numbers, _, _ = curve_jacobian(Enc, clean, np.tile([0.0, 1.0], (4, 1)))
    assert numbers["anisotropy"] == pytest.approx(3.0) and numbers["along_across"] == pytest.approx(1 / 3)
    assert numbers["tangent_alignment"] == pytest.approx(0.0, abs=1e-9)


def test_contractive_metric_names_on_digits28():
    res = get("contractive").run(
        ContractiveConfig(dataset="digits28", epochs=1, curve_epochs=3, latent_dim=4, curve_width=4, curve="moons"),
        None,
    )
    m = res.metrics
    for key in ("jacobian_fro_ae", "recon_jacobian_ratio", "tangent_alignment", "along_across_cae", "anisotropy_ae"):
        assert np.isfinite(m[key]), key
    assert res.arrays["image_shape"] == (28, 28)
    assert res.arrays["dirs"]["cae"][0].shape == (36, 2, 2)


@pytest.mark.slow
@pytest.mark.parametrize("curve", [c for c in CURVES if c != "spiral"])
def test_contractive_claims_hold_on_the_other_curves(curve):
    exp = get("contractive")
    m = exp.run(ContractiveConfig(curve=curve, epochs=2), None).metrics
    checks = exp.check_claims(m)
    assert checks["tangent_kept"] and checks["anisotropic"], (curve, checks, m)


@pytest.mark.slow
def test_on_the_spiral_the_cae_pays_by_rescaling():
    """The page's explanation of a ❌ on the spiral, as numbers: the untied CAE shrinks its
    whole code (‖J_f‖ several times smaller) yet is barely more elongated along the curve."""
    m = get("contractive").run(ContractiveConfig(curve="spiral", epochs=2), None).metrics
    assert m["curve_jacobian_fro_cae"] < 0.3 * m["curve_jacobian_fro_ae"]
    assert m["along_across_cae"] < 1.5 * m["along_across_ae"]
    assert m["tangent_alignment_cae"] < 0.95
