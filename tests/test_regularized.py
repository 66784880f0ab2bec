"""Penalties of lessons 4-6 against independent computations; tied weights; greedy
stacking; the experiments' claims through the experiment API; bad settings on the CLI."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from aecore.config import ConfigError
from aecore.experiments import get
from aecore.models import ModelConfig, TiedAutoencoder, build_model
from aecore.penalties import (
    PENALTIES,
    contractive,
    jacobian_fro2,
    jacobian_fro2_autograd,
    jacobian_fro2_closed,
    kl_bernoulli,
    kl_sparsity,
    l1_code,
    l2_weights,
    make_penalty,
)
from tests.conftest import ROOT


def _sigmoid_model(D=5, k=7, kind="mlp", seed=0):
    return build_model(
        ModelConfig(input_dim=D, hidden=(), latent_dim=k, latent_activation="sigmoid"),
        kind=kind,
        seed=seed,
    )


def test_l1_on_a_known_code():
    h = torch.tensor([[0.5, -1.0, 0.0], [2.0, 0.0, -0.5]])
    # rows: 1.5 and 2.5 -> mean 2.0; times alpha
    assert l1_code(0.1)(None, None, h).item() == pytest.approx(0.2)


def test_kl_on_hand_made_activations():
    h = torch.tensor([[0.1, 0.3], [0.3, 0.5]], dtype=torch.float64)  # unit means 0.2 and 0.4
    rho = 0.05
    want = sum(rho * math.log(rho / q) + (1 - rho) * math.log((1 - rho) / (1 - q)) for q in (0.2, 0.4))
    assert kl_sparsity(2.0, rho=rho)(None, None, h).item() == pytest.approx(2.0 * want, rel=1e-12)
    # KL is zero exactly at the target and positive elsewhere
    assert kl_bernoulli(0.3, torch.tensor([0.3], dtype=torch.float64)).item() == pytest.approx(0.0, abs=1e-15)
    assert (kl_bernoulli(0.3, torch.tensor([0.1, 0.6])) > 0).all()


def test_l2_on_known_weights_counts_weights_not_biases():
    model = _sigmoid_model(D=2, k=3)
    with torch.no_grad():
        model.encoder[0].weight.fill_(1.0)  # 3 x 2 ones: 6
        model.decoder[0].weight.fill_(-2.0)  # 2 x 3 of -2: 24
        model.encoder[0].bias.fill_(100.0)
    assert l2_weights(0.5)(model, None, None).item() == pytest.approx(0.5 * 30)


def test_l2_counts_tied_weights_once():
    model = _sigmoid_model(D=2, k=3, kind="tied")
    with torch.no_grad():
        model.encoder[0].weight.fill_(1.0)
    assert l2_weights(1.0)(model, None, None).item() == pytest.approx(6.0)


@pytest.mark.parametrize("kind", ["mlp", "tied"])
def test_closed_form_contractive_equals_autograd_jacobian(kind):
    model = _sigmoid_model(D=6, k=9, kind=kind, seed=3)
    x = torch.randn(11, 6, generator=torch.Generator().manual_seed(1))
    closed = jacobian_fro2_closed(model.encoder[0].weight, model.encode(x))
    auto = jacobian_fro2_autograd(model, x)
    # and against torch.autograd.functional.jacobian, one sample at a time
    ref = torch.stack([torch.autograd.functional.jacobian(model.encode, xi).pow(2).sum() for xi in x])
    torch.testing.assert_close(closed, auto, rtol=1e-5, atol=1e-7)
    torch.testing.assert_close(closed, ref, rtol=1e-5, atol=1e-7)


def test_deep_contractive_penalty_uses_autograd_and_has_gradients():
    model = build_model(
        ModelConfig(input_dim=4, hidden=(8,), latent_dim=3, activation="tanh", latent_activation="sigmoid"),
        penalty=contractive(0.5),
        seed=0,
    )
    x = torch.randn(5, 4, generator=torch.Generator().manual_seed(2))
    ref = torch.stack([torch.autograd.functional.jacobian(model.encode, xi).pow(2).sum() for xi in x])
    torch.testing.assert_close(jacobian_fro2(model, x), ref, rtol=1e-5, atol=1e-7)
    pen = model.penalty(x, model.encode(x))
    assert pen.item() == pytest.approx(0.5 * ref.mean().item(), rel=1e-5)
    pen.backward()
    assert model.encoder[0].weight.grad is not None and model.encoder[0].weight.grad.abs().sum() > 0


def test_tied_model_shares_the_encoder_matrix():
    model = _sigmoid_model(D=5, k=7, kind="tied")
    assert isinstance(model, TiedAutoencoder)
    assert model.decoder[0].weight.data_ptr() == model.encoder[0].weight.data_ptr()
    torch.testing.assert_close(model.decoder[0].weight, model.encoder[0].weight.t())
    n_params = sum(p.numel() for p in model.parameters())
    assert n_params == 5 * 7 + 7 + 5  # one matrix, two biases
    x = torch.rand(3, 5)
    want = model.encode(x) @ model.encoder[0].weight + model.decoder[0].bias
    torch.testing.assert_close(model(x), want)


def test_penalty_registry_and_bad_weights():
    assert set(PENALTIES) >= {"none", "l1", "kl", "l2", "contractive"}
    assert make_penalty("none") is None
    for name in ("l1", "kl", "l2", "contractive"):
        with pytest.raises(ConfigError):
            make_penalty(name, -1.0)
    for rho in (0.0, 1.0, 1.5, -0.2):
        with pytest.raises(ConfigError, match="strictly between 0 and 1"):
            kl_sparsity(1.0, rho=rho)
    with pytest.raises(ConfigError):
        make_penalty("l3")


@pytest.mark.parametrize(
    "name,pairs",
    [
        ("sparse", {"rho": "1.5"}),
        ("sparse", {"rho": "0"}),
        ("sparse", {"rho": "1"}),
        ("sparse", {"beta": "-1"}),
        ("sparse", {"alpha": "-0.1"}),
        ("sparse", {"lam": "-1e-4"}),
        ("sparse", {"hidden": "0"}),
        ("sparse", {"penalty": "l3"}),
        ("capacity", {"under_latent": "0"}),
        ("capacity", {"width": "-3"}),
        ("contractive", {"lam": "-1"}),
        ("contractive", {"curve_lam": "-0.5"}),
        ("contractive", {"latent_dim": "0"}),
    ],
)
def test_configs_refuse_invalid_settings(name, pairs):
    with pytest.raises(ConfigError):
        get(name).config_cls.from_strings(pairs)


@pytest.mark.parametrize(
    "name,sets",
    [
        ("sparse", ["rho=1.5"]),
        ("sparse", ["beta=-1"]),
        ("capacity", ["under_latent=64"]),
        ("contractive", ["latent_dim=0"]),
    ],
)
def test_cli_refuses_invalid_settings_with_status_2(name, sets):
    args = [sys.executable, "-m", "aecore", "run", name]
    for s in sets:
        args += ["--set", s]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("error:") and out.stdout == ""


def test_sparse_stats_and_metric_names_on_a_short_run():
    from aecore.experiments.sparse import SparseConfig, code_stats

    H = np.array([[0.0, 0.5, 0.05], [0.2, 0.0, 0.1]])
    assert code_stats(H) == {
        "mean_activation": pytest.approx(0.85 / 6),
        "fraction_active": pytest.approx(2 / 6),
        "dead_units": 1.0,
        "zero_fraction": pytest.approx(2 / 6),
    }
    res = get("sparse").run(SparseConfig(epochs=2, hidden=16, penalty="l1"), None)
    for key in ("mean_activation", "fraction_active", "dead_units", "recon_mse"):
        assert res.metrics[key] == res.metrics[f"l1_{key}"]


def test_contractive_metric_names_on_a_short_run():
    from aecore.experiments.contractive import ContractiveConfig

    res = get("contractive").run(
        ContractiveConfig(epochs=2, curve_epochs=3, latent_dim=4, curve_width=4, tied=True), None
    )
    m = res.metrics
    for key in (
        "jacobian_fro_ae",
        "jacobian_fro_cae",
        "recon_mse_ae",
        "recon_mse_cae",
        "recon_jacobian_ratio",
        "tangent_alignment",
        "anisotropy_ae",
        "anisotropy_cae",
    ):
        assert np.isfinite(m[key]), key
    assert m["w_enc_cae"] == pytest.approx(m["w_dec_cae"])  # tied: one matrix
    assert 0 <= m["tangent_alignment"] <= 1 and m["anisotropy_ae"] >= 1


@pytest.mark.slow
def test_sigmoid_output_hides_the_copying():
    """Measured: with a sigmoid output the noise ratio is closer to 1."""
    from aecore.experiments.capacity import CapacityConfig

    exp = get("capacity")
    lin = exp.run(CapacityConfig(sweep=False), None).metrics["noise_ratio"]
    sig = exp.run(CapacityConfig(sweep=False, output="sigmoid"), None).metrics["noise_ratio"]
    assert lin < 0.5 < sig


@pytest.mark.slow
def test_sparse_measured_notes_l2_keeps_units_alive():
    from aecore.experiments.sparse import SparseConfig

    m = get("sparse").run(SparseConfig(), None).metrics
    assert m["l2_dead_units"] == 0 and m["l1_dead_units"] > 0
    assert m["l2_weight_norm"] < m["none_weight_norm"]
