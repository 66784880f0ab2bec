"""Lesson 8, ``vae``: a variational autoencoder against a plain one, as generators.

Kingma & Welling (2014): the encoder q_φ(z|x) and decoder p_θ(x|z) maximise
ELBO = E_q[log p_θ(x|z)] − KL(q_φ(z|x) ‖ N(0, I)) ≤ log p_θ(x). With a weight β on the KL
(Higgins et al. 2017) the model minimises ℒ_β = −E_q[log p_θ(x|z)] + β·KL, and
−ℒ_β = ELBO + (1 − β)·KL: a lower bound on log p_θ(x) only for β ≥ 1. Both are reported
(``elbo`` always at β = 1, ``beta_objective`` = ℒ_β).

Generation: the VAE and a plain autoencoder with the same latent size, data, architecture
and budget decode codes from N(0, I); the plain AE also decodes codes from a Gaussian
fitted to its own codes (the fair baseline: its code scale is arbitrary). The decodes are
scored as the field scores generated images (``aecore.maths.genmetrics``): improved
precision and recall (Kynkäänniemi et al. 2019), density and coverage (Naeem et al. 2020)
in the feature space of a small classifier trained on the data's labels, its mean
confidence and the entropy of its predicted classes; real rows the scores were not built
from give the ceiling. Coverage is the claim: it rewards decodes near many different real
images, and neither a repeated typical digit nor scattered outliers raise it. Whether the
prior's draws land among a model's own codes is measured in code space (the share inside
the 95 % ellipsoid of a Gaussian fitted to them), apart from how sharp its decoder is. The
mean squared distance to the nearest real image is reported, not claimed: a blurry average
lies moderately near many images and wins it. The closed-form KL of the trained encoder is
checked against a Monte Carlo estimate; dimensions whose KL stays below 0.01 nats are
inactive (Burda et al. 2016).

At k = 2 the latent plane is walked: ``grid_confident_vae`` and ``grid_confident_ae`` are the
shares of a grid over the region each model's codes occupy whose decodes a logistic regression
on the data's labels recognises (top-class probability ≥ 0.9; ``aecore.maths.holes``),
``data_confident`` the same share of the training images. That classifier's weights are kept
in the arrays (the page's clicks are judged by it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore import cost_terms as ct
from aecore import theory
from aecore.config import param
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.maths import holes
from aecore.maths.generative import (
    SCORER_ITERS,
    ElboMeter,
    GaussianPair,
    VAEDataConfig,
    data_for,
    fitted_gaussian_codes,
    interpolate,
    kl_calculator,
    latent_grid,
    models_for,
    nearest_sq_distance,
    sample_classifier,
    schedule,
    share_inside,
    training_cost,
)
from aecore.maths.genmetrics import (
    CLF_BATCH,
    CLF_STEPS,
    FEATURES,
    feature_classifier,
    generation_scores,
    mean_confidence,
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
CEILING_ROWS = 100  # the real-image ceiling is scored when at least this many rows are left over
INTERP_PAIR, INTERP_STEPS = (0, 1), 10  # the interpolation the page opens with: inputs 0 → 1, 10 frames


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
    """Decodes of prior codes (both models) and of AE-fitted Gaussian codes, scored in the
    feature classifier's space against ``n_samples`` real rows (other real rows, "data",
    give the ceiling); and the share of the prior draws inside each model's own codes (a
    Gaussian fitted to them; for the VAE one draw z ~ q(z|x) per input, the aggregate
    posterior, not the means alone)."""
    z = rng.standard_normal((cfg.n_samples, cfg.latent_dim)).astype(np.float32)
    ae_codes = predict(ae.encode, X)
    z_fit = fitted_gaussian_codes(ae_codes, cfg.n_samples, rng)
    samples = {"vae": predict(vae.decode, z), "ae": predict(ae.decode, z), "ae_fitted": predict(ae.decode, z_fit)}
    order = rng.permutation(len(X))
    real = X[order[: cfg.n_samples]]
    scored = dict(samples)
    if len(X) >= cfg.n_samples + CEILING_ROWS:  # real rows the manifold was not built from: the ceiling
        scored["data"] = X[order[cfg.n_samples : 2 * cfg.n_samples]]
    metrics = {"prior_inside_ae_codes": share_inside(ae_codes, z), "ceiling_rows": len(scored.get("data", ()))}
    sigma = np.exp(0.5 * vae_logvar)
    metrics["prior_inside_vae_codes"] = share_inside(vae_codes + sigma * rng.standard_normal(sigma.shape), z)
    net, clf_acc = feature_classifier(cfg.dataset)
    if net is not None:
        scores = generation_scores(scored, real, net)
        metrics |= {k.replace("confidence_", "sample_confidence_"): v for k, v in scores.items()}
        recon = {"vae_recon": predict(lambda x: vae.decode(vae.encode(x)), real), "ae_recon": predict(ae, real)}
        metrics |= {f"confidence_{k}": mean_confidence(r, net) for k, r in recon.items()}
        metrics["max_class_entropy"] = float(np.log(net.head.out_features))  # log C: every class equally often
    for m in ("vae", "ae"):  # reported, not claimed: it rewards a blurry average
        metrics[f"sample_nn_mse_{m}"] = float(nearest_sq_distance(samples[m], X).mean() / X.shape[1])
    arrays = {"samples": {m: s[:30] for m, s in samples.items()}, "ae_codes": ae_codes, "classifier_accuracy": clf_acc}
    arrays["classifier"] = holes.classifier_arrays(sample_classifier(cfg.dataset)[0])  # judges the page's clicks
    return metrics, arrays


def interpolation_nn_mse(path: dict[str, np.ndarray], X: np.ndarray) -> dict[str, float]:
    """Per model, the mean squared distance per feature from the in-between frames of an
    interpolation (``interpolate``: the ends are the inputs' own decodes) to the nearest row of X."""
    return {k: float(nearest_sq_distance(p[1:-1], X).mean() / X.shape[1]) for k, p in path.items()}


def mu_inside_2sd(mu: np.ndarray) -> float:
    """The share of posterior means inside the prior's 2σ ball, ‖μ‖ ≤ PRIOR_RADIUS."""
    return float(np.mean(np.linalg.norm(mu, axis=1) <= PRIOR_RADIUS))


INSIDE = 0.5  # at least this share of N(0, I) draws inside the plain AE's codes: its codes hold the prior


def why_uncovered(m: dict[str, float]) -> tuple[str, dict[str, float]]:
    """Why the VAE's N(0, I) decodes do not cover more real images than the plain AE's: the
    prior's draws miss the VAE's own codes (its KL did not pull them onto the prior, e.g. at
    a small β); or the plain AE's codes happen to fill the prior's region, so that N(0, I) is
    a fair code distribution for it too (no score of the decodes can then separate the two);
    else the VAE's decodes land among real images yet near few of them."""
    numbers = {k: m[k] for k in ("coverage_vae", "coverage_ae", "precision_vae", "precision_ae", "kl")}
    numbers |= {f"inside_{k}": 100 * m[f"prior_inside_{k}_codes"] for k in ("vae", "ae")}
    if m["prior_inside_vae_codes"] <= m["prior_inside_ae_codes"]:
        return "why.cover_vae_codes", numbers
    if m["prior_inside_ae_codes"] >= INSIDE:
        return "why.cover_ae_codes", numbers | {"inside": 100 * INSIDE}
    return "why.cover_few", numbers


def why_codes(m: dict[str, float]) -> tuple[str, dict[str, float]]:
    """As many N(0, I) draws among the plain AE's codes as among the VAE's: nothing stops the
    plain AE's codes from covering the prior's region too."""
    numbers = {f"inside_{k}": 100 * m[f"prior_inside_{k}_codes"] for k in ("vae", "ae")}
    return "codes_fail", numbers | {"kl": m["kl"], "beta": m["beta"]}


def why_kl_off(m: dict[str, float]) -> tuple[str, dict[str, float]]:
    """The closed-form KL is exact for Gaussians: a gap within MC_SE standard errors of the
    Monte Carlo mean is its noise (too few samples for a small KL), a larger one a bug."""
    gap = abs(m["kl_mc"] - m["kl"])
    numbers = {"kl": m["kl"], "mc": m["kl_mc"], "se": m["kl_mc_se"], "z": gap / m["kl_mc_se"]}
    numbers |= {"rel": m["kl_mc_rel_error"], "samples": m["mc_samples"]}
    return ("why.kl_noise" if gap <= MC_SE * m["kl_mc_se"] else "why.kl_bug"), numbers


MC_SE = 3.0  # standard errors of the Monte Carlo mean within which it agrees with the closed form


def run(cfg: VAEExperimentConfig, on_progress=None) -> Result:
    ds, X = data_for(cfg.dataset, cfg.likelihood)
    track = Tracker(on_progress)
    epochs, batch = schedule(cfg, len(X))
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
    if cfg.latent_dim == 2 and arrays["classifier"] is not None:  # holes in the plane (aecore.maths.holes)
        planes = {"vae": (lambda z: predict(vae.decode, z), arrays["mu"])}  # the posterior means μ
        planes["ae"] = (lambda z: predict(ae.decode, z), arrays["ae_codes"])
        metrics |= holes.plane_metrics(planes, X, arrays["classifier"])
    res = track.result(metrics, arrays=arrays, models={"vae": vae, "ae": ae})
    path = interpolate(res, *INTERP_PAIR, INTERP_STEPS)
    res.metrics |= {f"interp_nn_mse_{k}": v for k, v in interpolation_nn_mse(path, X).items()}
    return res


def cost(cfg: VAEExperimentConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): the VAE and the plain AE, the ELBO metrics
    (the KL's Monte Carlo check: mc_samples draws per row), the two classifiers (a logistic
    regression judging clicked decodes and the feature classifier of the generation scores,
    each trained once per data set and kept) and n_samples decodes per source, each compared
    with every row (nearest neighbour)."""
    train, decoder, n, d = training_cost(cfg, cfg.latent_dim, plain=1)
    scores = ct.predict(6 * n, decoder) + ct.logistic(3 * n // 4, d, 10, SCORER_ITERS)  # the clicks' judge
    scores += ct.train(CLF_STEPS, CLF_STEPS * CLF_BATCH, ct.mlp((d, FEATURES, 10)))  # the feature classifier
    mc = n * cfg.mc_samples * cfg.latent_dim * 8 * ct.T_NUMPY
    samples = 5 * cfg.n_samples * (2 * n * d / ct.FLOPS + d * ct.T_NUMPY) + ct.predict(6 * cfg.n_samples, decoder)
    samples += 9 * ct.pairwise(cfg.n_samples, FEATURES) + 5 * ct.ranks(cfg.n_samples)  # k-NN radii and distances
    return {"epochs": train + scores, "mc_samples": mc, "n_samples": samples}


EXPERIMENTS = [
    Experiment(
        "vae",
        VAEExperimentConfig,
        run,
        "Variational autoencoder vs plain AE as generators",
        budget_s=40,
        cost=cost,
        stages=(VAE, VAE_RECON, VAE_KL, PLAIN_AE, SCORES),
        views=({}, {"latent_dim": 2}),
        codes=lambda a: {"vae_mu": (a["mu"], a["labels"]), "ae": (a["ae_codes"], a["labels"])},
        claims=(
            Claim.at_most("kl_closed_form", "kl_mc_rel_error", 0.02, why=why_kl_off),
            Claim.greater("prior_lands_in_codes", "prior_inside_vae_codes", "prior_inside_ae_codes", why=why_codes),
            Claim.greater(
                "vae_samples_cover_data",
                "coverage_vae",
                "coverage_ae",
                applies=lambda m: "coverage_vae" in m,  # unlabelled data: no classifier, no feature space
                why=why_uncovered,
            ),
        ),
    ),
]
