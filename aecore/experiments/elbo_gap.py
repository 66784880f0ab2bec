"""Lesson 8, ``elbo_gap``: the gap between log p(x) and the ELBO, made visible.

A VAE with a 2-D latent (Kingma & Welling 2014) is trained on the chosen images; for one
image x the true posterior p_θ(z|x) ∝ p(z) p_θ(x|z) is computed on a grid, beside the
encoder's q_φ(z|x). The identity

    log p_θ(x) = ELBO + KL(q_φ(z|x) ‖ p_θ(z|x))

is checked with each term from its own method (``aecore.maths.posterior``): log p(x) by
importance sampling (Burda et al. 2016), the ELBO by Monte Carlo with the closed-form KL,
KL(q ‖ p(z|x)) on the grid. ``posterior_correlation`` says how far the true posterior is
from the diagonal Gaussians q can express; −½ log(1 − ρ²) is what independence costs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aecore.config import ConfigError, param
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.maths import posterior
from aecore.maths.generative import VAEDataConfig, data_for, schedule, vae_config
from aecore.models import build_model
from aecore.train import TrainConfig, predict

VAE_2D, POSTERIOR_GRID = "vae_2d", "posterior_grid"  # stage ids (labels: stages.toml)


@dataclass(frozen=True)
class ElboGapConfig(VAEDataConfig):
    image: int = param(0, "index of the image whose posterior is drawn", lo=0, hi=19_999)
    is_samples: int = param(20_000, "importance samples for log p(x)", lo=1000, hi=100_000)
    grid: int = param(201, "grid points per axis for the true posterior", lo=51, hi=401)
    seed: int = param(0, "seed of weights, batch order and every draw", lo=0, hi=2**31 - 1)


def gap_report(model, x: np.ndarray, is_samples: int = 20_000, grid: int = 201, seed: int = 0) -> tuple[dict, dict]:
    """Every number of the identity for one input x (D,), and the arrays of its figure."""
    mu, logvar = (a[0].astype(np.float64) for a in model_posterior(model, x[None]))
    rng = np.random.default_rng(seed)

    def log_joint(z):
        return model.log_joint(x, z)

    post = posterior.grid_posterior(log_joint, mu, np.exp(0.5 * logvar), grid)
    imp = posterior.importance_log_px(log_joint, mu, logvar, is_samples, rng)
    elbo = posterior.elbo_monte_carlo(log_joint, mu, logvar, is_samples, rng)
    kl_post, q_mass = posterior.kl_q_to_grid(post, mu, logvar)
    gauss = posterior.gaussian_comparison(post, mu, logvar, is_samples, rng)
    log_px = imp["log_px"]
    metrics = {
        "log_px": log_px,
        "log_px_se": imp["se"],
        "log_px_grid": post.log_px,
        "importance_ess": imp["ess"],
        "elbo": elbo["elbo"],
        "kl_to_posterior": kl_post,
        "identity_rel_error": abs(log_px - elbo["elbo"] - kl_post) / abs(log_px),
        "posterior_correlation": post.correlation,
        "beta_bound_threshold": 1.0 - kl_post / elbo["kl_prior"] if elbo["kl_prior"] > 0 else float("nan"),
        "grid_edge_mass": post.edge_mass,
        "q_mass_on_grid": q_mass,
        **{k: v for k, v in elbo.items() if k != "elbo"},
        **gauss,
    }
    keep = np.argsort(imp["log_w"])[-300:]  # the heaviest draws, for the figure
    arrays = {
        "grid_z1": post.z1,
        "grid_z2": post.z2,
        "log_post": post.log_post,
        "post_mean": post.mean,
        "post_cov": post.cov,
        "q_mu": mu,
        "q_sigma": np.exp(0.5 * logvar),
        "is_z": imp["z"][keep],
        "is_log_w": imp["log_w"][keep],
        "image": x,
        "recon": predict(model.decode, mu[None].astype(np.float32))[0],
    }
    return metrics, arrays


def model_posterior(model, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(μ, log σ²) of q_φ(z|x) for rows X, as NumPy arrays."""
    out = predict(model.encoder, X)  # (n, 2k): μ then log σ²
    k = out.shape[1] // 2
    return out[:, :k], out[:, k:]


def run(cfg: ElboGapConfig, on_progress=None) -> Result:
    ds, X = data_for(cfg.dataset, cfg.likelihood)
    if cfg.image >= len(X):
        raise ConfigError(
            f"image={cfg.image} is too large; it must be ≤ {len(X) - 1}.",
            code="too_large",
            params=dict(name="image", value=cfg.image, hi=len(X) - 1),
        )
    track = Tracker(on_progress)
    epochs, batch = schedule(len(X), cfg.epochs)
    vc = vae_config(ds.dim, cfg.width, 2, cfg.likelihood, 1.0, cfg.sigma_x, cfg.seed)
    model = build_model(vc, kind="vae", seed=cfg.seed)
    tc = TrainConfig(epochs=epochs, batch_size=batch, lr=cfg.lr, seed=cfg.seed)
    track.fit(model, X, tc, stage=VAE_2D)
    track.step(POSTERIOR_GRID)
    metrics, arrays = gap_report(model, X[cfg.image], cfg.is_samples, cfg.grid, cfg.seed)
    mu_all, _ = model_posterior(model, X)
    arrays.update(mu_all=mu_all, labels=ds.y, image_shape=ds.image_shape, image_index=cfg.image, epochs=epochs)
    return track.result(metrics, arrays=arrays, models={"vae": model})


EXPERIMENTS = [
    Experiment(
        "elbo_gap",
        ElboGapConfig,
        run,
        "The ELBO gap: log p(x) = ELBO + KL(q(z|x) ‖ p(z|x)) on a 2-D latent",
        budget_s=40,
        stages=(VAE_2D, POSTERIOR_GRID),
        claims=(Claim.at_most("identity", "identity_rel_error", 0.01),),
    ),
]
