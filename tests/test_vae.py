"""Lesson 8: Gaussian KL closed forms against torch.distributions, the VAE's ELBO terms
and reparameterization gradients, and the `vae` claims through the experiment API."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.distributions import Independent, Normal, kl_divergence

from aecore import theory
from aecore.config import ConfigError
from aecore.models import MODELS, VAE, VAEConfig, build_model


def _params(rng, shape):
    return rng.normal(0, 1.5, shape), rng.uniform(-3, 2, shape)  # μ, log σ²


def _diag(mu, logvar):
    return Independent(Normal(torch.as_tensor(mu), torch.as_tensor(np.exp(0.5 * logvar))), 1)


@pytest.mark.parametrize("k", [1, 7, 64])
def test_kl_std_normal_matches_torch(k):
    rng = np.random.default_rng(k)
    mu, logvar = _params(rng, (50, k))
    ref = kl_divergence(_diag(mu, logvar), _diag(np.zeros_like(mu), np.zeros_like(mu))).numpy()
    np.testing.assert_allclose(theory.kl_std_normal(mu, logvar), ref, rtol=1e-10, atol=1e-12)
    # the same function on tensors (how the VAE trains) gives the same numbers
    t = theory.kl_std_normal(torch.as_tensor(mu), torch.as_tensor(logvar)).numpy()
    np.testing.assert_allclose(t, ref, rtol=1e-10)


@pytest.mark.parametrize("k", [1, 5, 32])
def test_kl_between_diagonal_gaussians_matches_torch(k):
    rng = np.random.default_rng(100 + k)
    mu1, lv1 = _params(rng, (40, k))
    mu2, lv2 = _params(rng, (40, k))
    ref = kl_divergence(_diag(mu1, lv1), _diag(mu2, lv2)).numpy()
    np.testing.assert_allclose(theory.kl_diag_gaussians(mu1, lv1, mu2, lv2), ref, rtol=1e-10)
    # against the standard normal it reduces to the VAE's closed form
    z = np.zeros_like(mu1)
    np.testing.assert_allclose(theory.kl_diag_gaussians(mu1, lv1, z, z), theory.kl_std_normal(mu1, lv1), rtol=1e-12)
    assert np.all(theory.kl_diag_gaussians(mu1, lv1, mu1, lv1) == pytest.approx(0.0, abs=1e-12))


def test_monte_carlo_kl_agrees_within_its_error():
    rng = np.random.default_rng(0)
    mu1, lv1 = _params(rng, (3,))
    mu2, lv2 = _params(rng, (3,))
    exact = float(theory.kl_diag_gaussians(mu1, lv1, mu2, lv2))
    est, se = theory.kl_monte_carlo(mu1, lv1, mu2, lv2, 200_000, np.random.default_rng(1))
    assert abs(float(est) - exact) < 5 * float(se)
    assert float(se) < 0.05 * exact


def test_active_units_counts_mean_kl_above_threshold():
    kl = np.array([[0.5, 0.001, 0.02], [0.3, 0.003, 0.0]])
    assert theory.active_units(kl) == 1  # means 0.4, 0.002, 0.01 (not > 0.01)
    assert theory.active_units(kl.mean(0), 0.005) == 2


def _vae(likelihood="bernoulli", k=3, seed=0):
    out = "sigmoid" if likelihood == "bernoulli" else "identity"
    cfg = VAEConfig(input_dim=10, hidden=(16,), latent_dim=k, output=out, likelihood=likelihood, seed=seed)
    return build_model(cfg, kind="vae", seed=seed)


def test_vae_is_registered_and_built_on_the_base():
    assert MODELS["vae"] is VAE
    model = _vae(k=3)
    assert model.linear_layers("encoder")[-1].out_features == 6  # μ and log σ²
    assert model.linear_layers("decoder")[0].in_features == 3
    with pytest.raises(ConfigError, match="sigmoid"):
        VAEConfig(likelihood="bernoulli", output="identity")


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_elbo_terms_signs_and_shapes(likelihood):
    model = _vae(likelihood, k=3)
    x = torch.rand(12, 10, generator=torch.Generator().manual_seed(0))
    terms = model.elbo_terms(x, x)
    assert terms.recon.shape == (12,) and terms.kl_per_dim.shape == (12, 3)
    assert torch.all(terms.recon >= 0) and torch.all(terms.kl_per_dim >= 0)
    assert torch.all(terms.elbo <= 0)
    assert torch.allclose(terms.elbo, -(terms.recon + terms.kl))
    loss = model.training_loss(x, x)
    assert loss.shape == () and loss.item() > 0


def test_beta_weights_only_the_kl():
    x = torch.rand(8, 10, generator=torch.Generator().manual_seed(1))
    losses = {}
    for beta in (0.0, 1.0, 3.0):
        cfg = VAEConfig(input_dim=10, hidden=(16,), latent_dim=2, output="sigmoid", beta=beta)
        losses[beta] = build_model(cfg, kind="vae", seed=0).training_loss(x, x).item()
    kl = losses[1.0] - losses[0.0]  # same weights, same ε: the difference is the KL
    assert kl > 0
    assert losses[3.0] - losses[0.0] == pytest.approx(3 * kl, rel=1e-5)


def test_reparameterization_gradients_reach_mu_and_sigma():
    model = _vae(k=2)
    mu = torch.zeros(4, 2, requires_grad=True)
    logvar = torch.zeros(4, 2, requires_grad=True)
    z = model.reparameterize(mu, logvar)
    (z**2).sum().backward()
    assert mu.grad is not None and torch.any(mu.grad != 0)
    assert logvar.grad is not None and torch.any(logvar.grad != 0)
    # and through the model: the encoder's last layer gets a gradient from the loss
    x = torch.rand(6, 10, generator=torch.Generator().manual_seed(2))
    model.training_loss(x, x).backward()
    last = model.linear_layers("encoder")[-1]
    assert torch.all(last.weight.grad.abs().sum(1) > 0)  # rows of μ and of log σ² alike


def test_noise_comes_from_the_seeded_generator_only():
    x = torch.rand(5, 10, generator=torch.Generator().manual_seed(3))
    a, b = _vae(seed=4), _vae(seed=4)
    la = a.training_loss(x, x).item()
    torch.rand(1000)  # advancing the global RNG must not matter
    assert b.training_loss(x, x).item() == la
    a.eval()
    assert torch.equal(a(x), a.decode(a.encode(x)))  # eval: decode the posterior mean


def test_experiment_rejects_bad_settings():
    from aecore.experiments.vae import VAEExperimentConfig

    with pytest.raises(ConfigError):
        VAEExperimentConfig(beta=-1.0)
    with pytest.raises(ConfigError):
        VAEExperimentConfig(likelihood="poisson")


def test_tiny_run_has_every_metric_and_helpers_work():
    from aecore.experiments import get
    from aecore.experiments.vae import VAEExperimentConfig, interpolate, latent_grid

    res = get("vae").run(VAEExperimentConfig(latent_dim=2, epochs=3, width=16, n_samples=20, mc_samples=4))
    for key in (
        "elbo",
        "recon",
        "kl",
        "active_units",
        "kl_mc_rel_error",
        "sample_confidence_vae",
        "sample_confidence_ae",
        "sample_nn_mse_vae",
        "sample_nn_mse_ae",
    ):
        assert np.isfinite(res.metrics[key]), key
    assert res.metrics["elbo"] == pytest.approx(-(res.metrics["recon"] + res.metrics["kl"]))
    assert res.arrays["kl_dim_history"].shape == (3, 2)
    assert res.arrays["recon_history"].shape == (3,)
    assert set(res.histories) >= {"vae", "vae_recon", "vae_kl", "plain_ae"}
    path = interpolate(res, 0, 5, steps=6)
    assert path["vae"].shape == (6, 64) and path["ae"].shape == (6, 64)
    v, imgs = latent_grid(res.models["vae"], 5)
    assert imgs.shape == (25, 64) and v[2] == pytest.approx(0.0, abs=1e-6)
    assert np.all(np.diff(v) > 0)


def test_kl_calculator_closed_form_and_monte_carlo():
    from aecore.experiments.vae import GaussianPair, kl_calculator

    out = kl_calculator(GaussianPair(mu1=0.5, sigma1=0.7, mu2=-1.0, sigma2=1.5, samples=100_000))
    exact = np.log(1.5 / 0.7) + (0.7**2 + (0.5 + 1.0) ** 2) / (2 * 1.5**2) - 0.5
    assert out["closed"] == pytest.approx(exact, rel=1e-12)
    assert abs(out["mc"] - exact) < 5 * out["se"]
    assert out["reverse"] != pytest.approx(out["closed"], rel=1e-3)
    with pytest.raises(ConfigError):
        GaussianPair(sigma1=0.0)
