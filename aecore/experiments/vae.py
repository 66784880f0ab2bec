"""Lesson 8, ``vae``: a variational autoencoder against a plain one, as generators.

Kingma & Welling (2014): the encoder q_φ(z|x) and decoder p_θ(x|z) maximise
ELBO = E_q[log p_θ(x|z)] − KL(q_φ(z|x) ‖ N(0, I)) ≤ log p_θ(x). With a weight β on the KL
(Higgins et al. 2017) the model minimises ℒ_β = −E_q[log p_θ(x|z)] + β·KL, and
−ℒ_β = ELBO + (1 − β)·KL: a lower bound on log p_θ(x) only for β ≥ 1. Both are reported
(``elbo`` always at β = 1, ``beta_objective`` = ℒ_β).

Generation: the VAE and a plain autoencoder with the same latent size, data, architecture
and budget decode codes from N(0, I); the plain AE also decodes codes from a Gaussian
fitted to its own codes (the fair baseline: its code scale is arbitrary). Whether the
prior's draws land among a model's own codes is measured in code space (the share inside
the 95 % ellipsoid of a Gaussian fitted to them), apart from how sharp its decoder is. A
logistic regression trained on the data's labels scores how class-like the decodes are
(mean top-class probability: it also rewards sharpness, so it is reported, not claimed)
and the distance to the nearest real image how far they fall from the data. The
closed-form KL of the trained encoder is checked against a Monte Carlo estimate;
dimensions whose KL stays below 0.01 nats are inactive (Burda et al. 2016).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore import theory
from aecore.config import param
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.maths.generative import (
    ElboMeter,
    GaussianPair,
    VAEDataConfig,
    confidence,
    data_for,
    fitted_gaussian_codes,
    interpolate,
    kl_calculator,
    latent_grid,
    models_for,
    nearest_sq_distance,
    sample_classifier,
    sample_scores,
    schedule,
    share_inside,
)
from aecore.train import TrainConfig, as_tensor, predict

__all__ = [
    "VAEExperimentConfig",
    "GaussianPair",
    "interpolate",
    "interpolation_nn_mse",
    "kl_calculator",
    "latent_grid",
    "run",
]

# Stage ids (labels: assets/locales/<lang>/stages.toml); VAE_RECON and VAE_KL are the two
# terms of the VAE's loss, reported beside it for the live chart (aecore.maths.generative.ElboMeter).
VAE, VAE_RECON, VAE_KL, PLAIN_AE, SCORES = "vae", "vae_recon", "vae_kl", "plain_ae", "scores"
ACTIVE_THRESHOLD = 0.01  # nats: a dimension below this carries no information about x
PRIOR_RADIUS = 2.0  # ‖μ‖ ≤ 2: a posterior mean inside the prior's 2σ ball (86 % of its mass in 2-D)
INTERP_PAIR, INTERP_STEPS = (0, 1), 10  # the interpolation the page opens with: inputs 0 → 1, 10 frames
DIMMER = 0.9  # one model's prior samples are "dimmer" when their mean pixel is below this × the other's


@dataclass(frozen=True)
class VAEExperimentConfig(VAEDataConfig):
    latent_dim: int = param(8, "size k of the latent code z", lo=1, hi=32)
    beta: float = param(1.0, "weight β of the KL term", lo=0.0, hi=20.0)
    n_samples: int = param(1000, "codes drawn from the prior for each model", lo=10, hi=5000)
    mc_samples: int = param(64, "Monte Carlo draws per input for the KL check", lo=2, hi=1000)
    seed: int = param(0, "seed of weights, batch order, ε and prior draws", lo=0, hi=2**31 - 1)


def _elbo_metrics(vae, X: np.ndarray, beta: float, mc_samples: int, rng) -> tuple[dict, dict]:
    """ELBO (β = 1), ℒ_β, the KL per dimension and its Monte Carlo check, on all of X."""
    with torch.no_grad():
        mu, logvar = (a.double().cpu().numpy() for a in vae.posterior(as_tensor(X)))
        recon = float(np.mean(np.concatenate([vae.elbo_terms(xb, xb).recon.cpu().numpy() for xb in _batches(X)])))
        floor = float(np.mean(np.concatenate([vae.neg_log_likelihood(xb, xb).cpu().numpy() for xb in _batches(X)])))
    kl_dim = theory.kl_std_normal_per_dim(mu, logvar)  # (n, k) float64
    kl = float(kl_dim.sum(1).mean())
    kl_mc, kl_se = theory.kl_monte_carlo(mu, logvar, 0.0, 0.0, mc_samples, rng)  # (n,) each
    mc_mean = float(kl_mc.mean())
    mc_se = float(np.sqrt(np.sum(kl_se**2)) / len(kl_mc))  # SE of the mean over independent inputs
    metrics = {
        "elbo": -(recon + kl),
        "beta_objective": recon + beta * kl,
        "recon": recon,
        "recon_floor": floor,
        "kl": kl,
        "active_units": theory.active_units(kl_dim, ACTIVE_THRESHOLD),
        "kl_mc": mc_mean,
        "kl_mc_se": mc_se,
        "kl_mc_rel_error": abs(mc_mean - kl) / max(kl, 1e-12),
    }
    return metrics, {"mu": mu, "logvar": logvar, "kl_per_dim": kl_dim.mean(0)}


def _batches(X: np.ndarray, size: int = 4096):
    for i in range(0, len(X), size):
        yield as_tensor(X[i : i + size])


def _generation(cfg, vae, ae, X, vae_codes, vae_logvar, rng) -> tuple[dict, dict]:
    """Decodes of prior codes (both models) and of AE-fitted Gaussian codes, scored; and the
    share of the prior draws inside each model's own codes (a Gaussian fitted to them; for the
    VAE one draw z ~ q(z|x) per input, the aggregate posterior, not the means alone)."""
    z = rng.standard_normal((cfg.n_samples, cfg.latent_dim)).astype(np.float32)
    ae_codes = predict(ae.encode, X)
    z_fit = fitted_gaussian_codes(ae_codes, cfg.n_samples, rng)
    samples = {"vae": predict(vae.decode, z), "ae": predict(ae.decode, z), "ae_fitted": predict(ae.decode, z_fit)}
    clf, clf_acc = sample_classifier(cfg.dataset)
    ref = X[rng.permutation(len(X))[: cfg.n_samples]]  # real rows, and both models' reconstructions of them
    references = {"data": ref, "vae_recon": predict(lambda x: vae.decode(vae.encode(x)), ref)}
    references["ae_recon"] = predict(ae, ref)
    metrics = {f"confidence_{m}": float(confidence(s, clf).mean()) for m, s in references.items()}
    metrics["prior_inside_ae_codes"] = share_inside(ae_codes, z)
    sigma = np.exp(0.5 * vae_logvar)
    metrics["prior_inside_vae_codes"] = share_inside(vae_codes + sigma * rng.standard_normal(sigma.shape), z)
    conf_shown = {}
    for m, s in samples.items():
        conf, nn = sample_scores(s, X, clf)
        metrics[f"sample_confidence_{m}"] = float(conf.mean())
        metrics[f"sample_nn_mse_{m}"] = float(nn.mean())
        conf_shown[m] = conf[:30]
    metrics |= _looks(samples, X)
    arrays = {
        "samples": {m: s[:30] for m, s in samples.items()},
        "sample_confidence": conf_shown,
        "ae_codes": ae_codes,
        "classifier_accuracy": clf_acc,
    }
    return metrics, arrays


def interpolation_nn_mse(path: dict[str, np.ndarray], X: np.ndarray) -> dict[str, float]:
    """Per model, the mean squared distance per feature from the in-between frames of an
    interpolation (``interpolate``: the ends are the inputs' own decodes) to the nearest row of X."""
    return {k: float(nearest_sq_distance(p[1:-1], X).mean() / X.shape[1]) for k, p in path.items()}


def mu_inside_2sd(mu: np.ndarray) -> float:
    """The share of posterior means inside the prior's 2σ ball, ‖μ‖ ≤ PRIOR_RADIUS."""
    return float(np.mean(np.linalg.norm(mu, axis=1) <= PRIOR_RADIUS))


def _looks(samples: dict[str, np.ndarray], X: np.ndarray) -> dict[str, float]:
    """How bright and how grey the prior samples and the data are: the mean value, and the share
    of values in the middle half of the data's range (between the background and the strokes)."""
    lo, hi = float(X.min()), float(X.max())
    mid = (lo + (hi - lo) / 4, hi - (hi - lo) / 4)
    out = {"data_mean": float(X.mean()), "data_grey": float(np.mean((X > mid[0]) & (X < mid[1])))}
    for m in ("vae", "ae"):
        out[f"sample_mean_{m}"] = float(samples[m].mean())
        out[f"sample_grey_{m}"] = float(np.mean((samples[m] > mid[0]) & (samples[m] < mid[1])))
    return out


def _why_far(m: dict[str, float]) -> tuple[str, dict[str, float]]:
    """Why the VAE's prior samples are not nearer to real images than the plain AE's. Squared
    distance rewards dim and blurry images: the plain AE's samples are dimmer (a faint image is
    near every mostly-background one), or greyer (an average of several images is far from none
    of them); else the plain AE's codes cover the prior's region too, so its sharp decodes of the
    draws come close to its training images while the VAE's average images lie between them."""
    numbers = {k: m[k] for k in ("sample_nn_mse_vae", "sample_nn_mse_ae", "sample_mean_vae", "sample_mean_ae")}
    numbers |= {"data_mean": m["data_mean"]}
    numbers |= {k: 100 * m[k] for k in ("sample_grey_vae", "sample_grey_ae", "data_grey")}
    numbers |= {f"inside_{k}": 100 * m[f"prior_inside_{k}_codes"] for k in ("vae", "ae")}
    if m["sample_mean_ae"] < DIMMER * m["sample_mean_vae"]:
        return "why.samples_dim", numbers
    if m["sample_grey_ae"] > m["sample_grey_vae"]:
        return "why.samples_blurry", numbers
    return "why.samples_codes", numbers


def run(cfg: VAEExperimentConfig, on_progress=None) -> Result:
    ds, X = data_for(cfg.dataset, cfg.likelihood)
    track = Tracker(on_progress)
    epochs, batch = schedule(len(X), cfg.epochs)
    vae, ae = models_for(cfg, ds.dim)
    tc = TrainConfig(epochs=epochs, batch_size=batch, lr=cfg.lr, seed=cfg.seed)
    meter = ElboMeter(track, VAE_RECON, VAE_KL, every=max(1, epochs // 50))
    track.fit(vae, X, tc, loss_fn=meter.loss, on_progress=meter.progress, stage=VAE)
    track.fit(ae, X, tc, stage=PLAIN_AE)
    track.step(SCORES)
    rng = np.random.default_rng(cfg.seed)
    metrics, arrays = _elbo_metrics(vae, X, cfg.beta, cfg.mc_samples, rng)
    gen_metrics, gen_arrays = _generation(cfg, vae, ae, X, arrays["mu"], arrays["logvar"], rng)
    metrics.update(gen_metrics)
    arrays.update(gen_arrays)
    arrays.update(
        X=X,
        labels=ds.y,
        image_shape=ds.image_shape,
        kl_dim_history=np.array(meter.kl_dim_hist),
        recon_history=np.array(meter.recon_hist),
        active_threshold=ACTIVE_THRESHOLD,
        epochs=epochs,
        batch_size=batch,
    )
    metrics["mu_inside_2sd"] = mu_inside_2sd(arrays["mu"])
    res = track.result(metrics, arrays=arrays, models={"vae": vae, "ae": ae})
    path = interpolate(res, *INTERP_PAIR, INTERP_STEPS)
    res.metrics |= {f"interp_nn_mse_{k}": v for k, v in interpolation_nn_mse(path, X).items()}
    return res


EXPERIMENTS = [
    Experiment(
        "vae",
        VAEExperimentConfig,
        run,
        "Variational autoencoder vs plain AE as generators",
        budget_s=40,
        stages=(VAE, VAE_RECON, VAE_KL, PLAIN_AE, SCORES),
        views=({}, {"latent_dim": 2}),
        codes=lambda a: {"vae_mu": (a["mu"], a["labels"]), "ae": (a["ae_codes"], a["labels"])},
        claims=(
            Claim.at_most("kl_closed_form", "kl_mc_rel_error", 0.02),
            Claim.greater("prior_lands_in_codes", "prior_inside_vae_codes", "prior_inside_ae_codes"),
            Claim.less("vae_samples_near_data", "sample_nn_mse_vae", "sample_nn_mse_ae", why=_why_far),
        ),
    ),
]
