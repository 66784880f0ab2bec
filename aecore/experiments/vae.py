"""Lesson 8, ``vae``: a variational autoencoder against a plain one, as generators.

Kingma & Welling (2014): maximise ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, I)); β
weights the KL (Higgins et al. 2017). The VAE and a plain autoencoder with the same
latent size, data, architecture and training budget both decode codes drawn from the
prior N(0, I); a logistic-regression classifier trained on real digits scores how
digit-like the decodes are (mean top-class probability), and the distance to the
nearest real image says how far they fall from the data. The closed-form KL of the
trained encoder is checked against a Monte Carlo estimate; dimensions whose KL stays
below 0.01 nats have collapsed onto the prior (inactive units; Burda et al. 2016).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from aecore import theory
from aecore.config import Config, param
from aecore.data import load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, VAEConfig, build_model
from aecore.models.vae import LIKELIHOODS
from aecore.train import Progress, ProgressFn, TrainConfig, as_tensor, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml); VAE_RECON and VAE_KL are the
# two terms of the VAE's loss, reported beside it for the live chart.
CLASSIFIER, VAE, VAE_RECON, VAE_KL, PLAIN_AE, SCORES = "classifier", "vae", "vae_recon", "vae_kl", "plain_ae", "scores"

ACTIVE_THRESHOLD = 0.01  # nats: a dimension below this carries no information about x


@dataclass(frozen=True)
class VAEExperimentConfig(Config):
    latent_dim: int = param(8, "size k of the latent code z", lo=1, hi=32)
    likelihood: str = param("bernoulli", "decoder likelihood p(x|z)", choices=LIKELIHOODS)
    beta: float = param(1.0, "weight β of the KL term", lo=0.0, hi=20.0)
    sigma_x: float = param(0.1, "σ_x of the Gaussian likelihood", lo=0.01, hi=1.0)
    epochs: int = param(200, "epochs of each model (batches of 128)", lo=1, hi=2000)
    width: int = param(128, "first hidden width (the second is half)", lo=4, hi=512)
    lr: float = param(3e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=0.1, lo_open=True)
    n_samples: int = param(1000, "codes drawn from the prior for each model", lo=10, hi=5000)
    mc_samples: int = param(64, "Monte Carlo draws per input for the KL check", lo=2, hi=1000)
    seed: int = param(0, "seed of weights, batch order, ε and prior draws", lo=0, hi=2**31 - 1)


@lru_cache(maxsize=2)
def digits_classifier(seed: int = 0):
    """Logistic regression on 75 % of the real digits; (model, held-out accuracy).
    Cached read-only: it depends on nothing but the seed of the split."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    ds = load_dataset("digits")
    Xtr, Xte, ytr, yte = train_test_split(ds.X, ds.y, test_size=0.25, random_state=seed, stratify=ds.y)
    clf = LogisticRegression(C=1.0, max_iter=500).fit(Xtr, ytr)
    return clf, float(clf.score(Xte, yte))


class ElboMeter:
    """The ``loss_fn`` hook of ``fit``: trains on recon + β·KL and sums each step's terms,
    then reports their epoch means to the live panel as two extra curves."""

    def __init__(self, track: Tracker, every: int = 1):
        self.track, self.every = track, max(1, every)
        self.recon_hist: list[float] = []
        self.kl_dim_hist: list[np.ndarray] = []
        self._reset()

    def _reset(self) -> None:
        self.n, self.recon, self.kl_dim = 0, 0.0, 0.0

    def loss(self, model, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        terms = model.elbo_terms(x, target)
        self.n += x.shape[0]
        self.recon = self.recon + terms.recon.detach().sum()
        self.kl_dim = self.kl_dim + terms.kl_per_dim.detach().sum(0)  # (k,)
        return model.objective(terms)

    def progress(self, p: Progress) -> bool:
        recon = float(self.recon / self.n)
        kl_dim = (self.kl_dim / self.n).double().cpu().numpy()
        self.recon_hist.append(recon)
        self.kl_dim_hist.append(kl_dim)
        self._reset()
        if p.epoch % self.every == 0 or p.epoch == p.epochs:  # a light live chart
            self.track(Progress(VAE_RECON, p.epoch, p.epochs, recon))
            self.track(Progress(VAE_KL, p.epoch, p.epochs, float(kl_dim.sum())))
        return self.track(p)


def _models(cfg: VAEExperimentConfig, dim: int):
    hidden = (cfg.width, max(cfg.width // 2, 2))
    out = "sigmoid" if cfg.likelihood == "bernoulli" else "identity"
    vc = VAEConfig(
        input_dim=dim,
        hidden=hidden,
        latent_dim=cfg.latent_dim,
        output=out,
        likelihood=cfg.likelihood,
        beta=cfg.beta,
        sigma_x=cfg.sigma_x,
        seed=cfg.seed,
    )
    ac = ModelConfig(input_dim=dim, hidden=hidden, latent_dim=cfg.latent_dim, output=out)
    return build_model(vc, kind="vae", seed=cfg.seed), build_model(ac, seed=cfg.seed)


def sample_scores(samples: np.ndarray, X: np.ndarray, clf) -> tuple[np.ndarray, np.ndarray]:
    """Per sample: the classifier's top-class probability, and the mean squared distance
    (per pixel) to the nearest real image."""
    from scipy.spatial.distance import cdist

    conf = clf.predict_proba(samples).max(1)
    nn = cdist(np.asarray(samples, np.float64), np.asarray(X, np.float64), "sqeuclidean").min(1)
    return conf, nn / X.shape[1]


def run(cfg: VAEExperimentConfig, on_progress: ProgressFn | None = None) -> Result:
    ds = load_dataset("digits")
    X = ds.X
    track = Tracker(on_progress)
    track.step(CLASSIFIER)
    clf, clf_acc = digits_classifier(0)
    vae, ae = _models(cfg, ds.dim)
    tc = TrainConfig(epochs=cfg.epochs, batch_size=128, lr=cfg.lr, seed=cfg.seed)
    meter = ElboMeter(track, every=cfg.epochs // 50)
    track.fit(vae, X, tc, loss_fn=meter.loss, on_progress=meter.progress, stage=VAE)
    track.fit(ae, X, tc, stage=PLAIN_AE)
    track.step(SCORES)

    with torch.no_grad():
        xt = as_tensor(X)
        mu, logvar = (a.double().cpu().numpy() for a in vae.posterior(xt))
        terms = vae.elbo_terms(xt, xt)
        recon = float(terms.recon.mean())
    kl_dim = theory.kl_std_normal_per_dim(mu, logvar)  # (n, k) float64
    kl = float(kl_dim.sum(1).mean())
    rng = np.random.default_rng(cfg.seed)
    kl_mc, _ = theory.kl_monte_carlo(mu, logvar, 0.0, 0.0, cfg.mc_samples, rng)
    z = rng.standard_normal((cfg.n_samples, cfg.latent_dim)).astype(np.float32)
    samples = {"vae": predict(vae.decode, z), "ae": predict(ae.decode, z)}
    scores = {m: sample_scores(s, X, clf) for m, s in samples.items()}
    metrics = {
        "elbo": -(recon + kl),
        "recon": recon,
        "kl": kl,
        "active_units": theory.active_units(kl_dim, ACTIVE_THRESHOLD),
        "kl_mc_rel_error": abs(float(kl_mc.mean()) - kl) / max(kl, 1e-12),
    }
    for m, (conf, nn) in scores.items():
        metrics[f"sample_confidence_{m}"] = float(conf.mean())
        metrics[f"sample_nn_mse_{m}"] = float(nn.mean())
    arrays = {
        "X": X,
        "labels": ds.y,
        "image_shape": ds.image_shape,
        "mu": mu,
        "logvar": logvar,
        "kl_per_dim": kl_dim.mean(0),
        "kl_dim_history": np.array(meter.kl_dim_hist),
        "recon_history": np.array(meter.recon_hist),
        "samples": {m: s[:30] for m, s in samples.items()},
        "sample_confidence": {m: c[:30] for m, (c, _) in scores.items()},
        "ae_codes": predict(ae.encode, X),
        "classifier_accuracy": clf_acc,
        "active_threshold": ACTIVE_THRESHOLD,
    }
    return track.result(metrics, arrays=arrays, models={"vae": vae, "ae": ae})


@torch.no_grad()
def interpolate(result: Result, i: int, j: int, steps: int = 8) -> dict[str, np.ndarray]:
    """Decodes along the straight line between the codes of inputs i and j, per model
    (the VAE's posterior means, the plain AE's codes): {"vae": (steps, D), "ae": ...}."""
    X = result.arrays["X"]
    w = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    out = {}
    for name, model in result.models.items():
        za, zb = predict(model.encode, X[[i, j]])
        out[name] = predict(model.decode, (1 - w) * za + w * zb)
    return out


def latent_grid(model, n: int = 15, edge: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Decodes of a 2-D latent grid spaced by the inverse normal CDF: z = Φ⁻¹(p) for
    p evenly spaced in [edge, 1 − edge], so each cell holds the same prior mass.
    Returns (z values (n,), images (n·n, D) row by row, z₂ descending)."""
    from scipy.stats import norm

    v = norm.ppf(np.linspace(edge, 1 - edge, n)).astype(np.float32)
    z1, z2 = np.meshgrid(v, v[::-1])
    return v, predict(model.decode, np.stack([z1.ravel(), z2.ravel()], 1))


@dataclass(frozen=True)
class GaussianPair(Config):
    """The page's KL calculator: q = N(μ₁, σ₁²) against p = N(μ₂, σ₂²), in one dimension."""

    mu1: float = param(0.0, "mean μ₁ of q", lo=-10.0, hi=10.0)
    sigma1: float = param(1.0, "standard deviation σ₁ of q", lo=0.05, hi=10.0)
    mu2: float = param(1.0, "mean μ₂ of p", lo=-10.0, hi=10.0)
    sigma2: float = param(2.0, "standard deviation σ₂ of p", lo=0.05, hi=10.0)
    samples: int = param(10_000, "Monte Carlo draws from q", lo=10, hi=1_000_000)
    seed: int = param(0, "seed of the Monte Carlo draws", lo=0, hi=2**31 - 1)


def kl_calculator(g: GaussianPair) -> dict[str, float]:
    """KL(q ‖ p) in closed form and by Monte Carlo (estimate ± standard error), in nats."""
    m1, m2 = np.array([g.mu1]), np.array([g.mu2])
    lv1, lv2 = np.log([g.sigma1**2]), np.log([g.sigma2**2])
    est, se = theory.kl_monte_carlo(m1, lv1, m2, lv2, g.samples, np.random.default_rng(g.seed))
    return {
        "closed": float(theory.kl_diag_gaussians(m1, lv1, m2, lv2)),
        "reverse": float(theory.kl_diag_gaussians(m2, lv2, m1, lv1)),
        "mc": float(est),
        "se": float(se),
    }


EXPERIMENTS = [
    Experiment(
        "vae",
        VAEExperimentConfig,
        run,
        "Variational autoencoder vs plain AE as generators",
        budget_s=40,
        stages=(CLASSIFIER, VAE, VAE_RECON, VAE_KL, PLAIN_AE, SCORES),
        views=({}, {"latent_dim": 2}),
        codes=lambda a: {"vae_mu": (a["mu"], a["labels"]), "ae": (a["ae_codes"], a["labels"])},
        claims=(
            Claim("kl_closed_form", "kl_mc_rel_error ≤ 0.02", lambda m: m["kl_mc_rel_error"] <= 0.02),
            Claim(
                "vae_samples_confident",
                "sample_confidence_vae > sample_confidence_ae",
                lambda m: m["sample_confidence_vae"] > m["sample_confidence_ae"],
            ),
            Claim(
                "vae_samples_near_data",
                "sample_nn_mse_vae < sample_nn_mse_ae",
                lambda m: m["sample_nn_mse_vae"] < m["sample_nn_mse_ae"],
            ),
        ),
    ),
]
