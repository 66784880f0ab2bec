"""Shared pieces of lesson 8 (``vae`` and ``elbo_gap``): data-aware training budgets, the
models, the ELBO meter of the live chart, and how decoded samples are scored.

Budget: every model sees about ``ROWS_SEEN`` rows (200 epochs of the 1 797 digits; 36 of
the 10 000 MNIST-size rows), in batches of 128, or 512 on larger data to keep the matmuls
busy. Samples are scored by a logistic regression trained on the data set's own labels
(mean top-class probability) and by the squared distance to the nearest real image.
The fair baseline of a plain AE as a generator draws its codes from a Gaussian fitted to
its own codes (mean and full covariance), not from N(0, I), whose scale it never learned.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from aecore import theory
from aecore.config import Config, param
from aecore.data.dataset import Dataset
from aecore.data.registry import image_dataset_names, load_dataset
from aecore.errors import DataError
from aecore.experiments.base import Tracker
from aecore.models import ModelConfig, VAEConfig, build_model
from aecore.models.vae import LIKELIHOODS
from aecore.train import Progress, predict


@dataclass(frozen=True)
class VAEDataConfig(Config):
    """The settings lesson 8's experiments share: data, likelihood and training budget."""

    dataset: str = param("digits", "image data set (the sidebar's choice)", choices=image_dataset_names)
    likelihood: str = param("bernoulli", "decoder likelihood p(x|z)", choices=LIKELIHOODS)
    sigma_x: float = param(0.1, "σ_x of the Gaussian likelihood", lo=0.01, hi=1.0)
    epochs: int = param(0, "epochs of each model; 0 = automatic (about 360 000 rows seen)", lo=0, hi=2000)
    width: int = param(128, "first hidden width (the second is half)", lo=4, hi=512)
    lr: float = param(3e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=0.1, lo_open=True)


ROWS_SEEN = 360_000  # rows each model sees when epochs = 0 (automatic) ...
AUTO_EPOCHS = (5, 2000)  # ... within these epochs: so for ROWS_SEEN/2000 to ROWS_SEEN/5 rows
LARGE = 4000  # more rows than this: batches of 512


def schedule(n: int, epochs: int) -> tuple[int, int]:
    """(epochs, batch size) for n rows; epochs = 0 means automatic."""
    batch = 128 if n <= LARGE else 512
    return (epochs or int(np.clip(round(ROWS_SEEN / n), *AUTO_EPOCHS))), batch


def data_for(name: str, likelihood: str) -> tuple[Dataset, np.ndarray]:
    """The data set and its rows; the Bernoulli likelihood needs values in [0, 1]."""
    ds = load_dataset(name)
    X = ds.X
    if likelihood == "bernoulli" and (X.min() < 0 or X.max() > 1):
        lo, hi = float(X.min()), float(X.max())
        raise DataError(
            f"the Bernoulli likelihood needs values in [0, 1]; these data range from {lo:.3g} to {hi:.3g}. "
            "Choose the Gaussian likelihood, or rescale the data.",
            code="bernoulli_range",
            params=dict(lo=f"{lo:.3g}", hi=f"{hi:.3g}"),
        )
    return ds, X


def vae_config(dim: int, width: int, latent_dim: int, likelihood: str, beta: float, sigma_x: float, seed: int):
    out = "sigmoid" if likelihood == "bernoulli" else "identity"
    hidden = (width, max(width // 2, 2))
    return VAEConfig(
        input_dim=dim,
        hidden=hidden,
        latent_dim=latent_dim,
        output=out,
        likelihood=likelihood,
        beta=beta,
        sigma_x=sigma_x,
        seed=seed,
    )


def models_for(cfg, dim: int):
    """A VAE and a plain AE with the same architecture (``cfg``: the vae experiment's config)."""
    vc = vae_config(dim, cfg.width, cfg.latent_dim, cfg.likelihood, cfg.beta, cfg.sigma_x, cfg.seed)
    ac = ModelConfig(input_dim=dim, hidden=vc.hidden, latent_dim=vc.latent_dim, output=vc.output)
    return build_model(vc, kind="vae", seed=cfg.seed), build_model(ac, seed=cfg.seed)


class ElboMeter:
    """The ``loss_fn`` hook of ``fit``: trains on ℒ_β and sums each step's terms, then
    reports their epoch means to the live panel as two extra curves."""

    def __init__(self, track: Tracker, recon_stage: str, kl_stage: str, every: int = 1):
        self.track, self.stages, self.every = track, (recon_stage, kl_stage), max(1, every)
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
            self.track(Progress(self.stages[0], p.epoch, p.epochs, recon))
            self.track(Progress(self.stages[1], p.epoch, p.epochs, float(kl_dim.sum())))
        return self.track(p)


@lru_cache(maxsize=4)
def sample_classifier(dataset: str):
    """(logistic regression on 75 % of the data set's labelled rows, held-out accuracy),
    or (None, nan) when the data carry fewer than two classes. Cached read-only per data
    set (uploads are named by a hash of their content)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    ds = load_dataset(dataset)
    classes, counts = np.unique(ds.y, return_counts=True)
    if len(classes) < 2:
        return None, float("nan")
    strat = ds.y if counts.min() >= 2 else None
    Xtr, Xte, ytr, yte = train_test_split(ds.X, ds.y, test_size=0.25, random_state=0, stratify=strat)
    clf = LogisticRegression(C=1.0, max_iter=500).fit(Xtr, ytr)
    return clf, float(clf.score(Xte, yte))


def nearest_sq_distance(A: np.ndarray, B: np.ndarray, chunk: int = 256) -> np.ndarray:
    """For each row of A, the squared distance to its nearest row of B (float32 matmuls in chunks)."""
    B = np.asarray(B, np.float32)
    b2 = (B * B).sum(1)
    out = []
    for i in range(0, len(A), chunk):
        a = np.asarray(A[i : i + chunk], np.float32)
        d = (a * a).sum(1)[:, None] + b2[None, :] - 2.0 * (a @ B.T)
        out.append(np.maximum(d.min(1), 0.0))
    return np.concatenate(out).astype(np.float64)


def confidence(images: np.ndarray, clf) -> np.ndarray:
    """The classifier's top-class probability for each image (nan without a classifier)."""
    return clf.predict_proba(images).max(1) if clf is not None else np.full(len(images), np.nan)


def sample_scores(samples: np.ndarray, X: np.ndarray, clf) -> tuple[np.ndarray, np.ndarray]:
    """Per sample: the classifier's top-class probability, and the mean squared distance
    (per pixel) to the nearest real image."""
    return confidence(samples, clf), nearest_sq_distance(samples, X) / X.shape[1]


def share_inside(codes: np.ndarray, z: np.ndarray, mass: float = 0.95) -> float:
    """Share of the draws z inside the ellipsoid that holds ``mass`` of the Gaussian fitted to
    ``codes`` (squared Mahalanobis distance ≤ the χ²_k quantile): do the draws land where the
    codes are?"""
    from scipy.stats import chi2

    c = np.asarray(codes, np.float64)
    m = c.mean(0)
    C = np.atleast_2d(np.cov(c, rowvar=False, ddof=0)) + 1e-9 * np.eye(c.shape[1])
    d = np.asarray(z, np.float64) - m
    maha = np.einsum("ij,ij->i", d, np.linalg.solve(C, d.T).T)
    return float(np.mean(maha <= chi2.ppf(mass, c.shape[1])))


def fitted_gaussian_codes(codes: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n codes from N(m, C), the Gaussian fitted to ``codes`` (mean, full covariance)."""
    c = np.asarray(codes, np.float64)
    m = c.mean(0)
    C = np.atleast_2d(np.cov(c, rowvar=False, ddof=0)) + 1e-9 * np.eye(c.shape[1])
    L = np.linalg.cholesky(C)
    return (m + rng.standard_normal((n, c.shape[1])) @ L.T).astype(np.float32)


@torch.no_grad()
def interpolate(result, i: int, j: int, steps: int = 8) -> dict[str, np.ndarray]:
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
    """The KL calculator: q = N(μ₁, σ₁²) against p = N(μ₂, σ₂²), in one dimension."""

    mu1: float = param(0.0, "mean μ₁ of q", lo=-10.0, hi=10.0)
    sigma1: float = param(1.0, "standard deviation σ₁ of q", lo=0.05, hi=10.0)
    mu2: float = param(1.0, "mean μ₂ of p", lo=-10.0, hi=10.0)
    sigma2: float = param(2.0, "standard deviation σ₂ of p", lo=0.05, hi=10.0)
    samples: int = param(10_000, "Monte Carlo draws from q", lo=10, hi=1_000_000)
    seed: int = param(0, "seed of the Monte Carlo draws", lo=0, hi=2**31 - 1)


def kl_calculator(g: GaussianPair) -> dict[str, float]:
    """KL(q ‖ p) in closed form and by Monte Carlo (estimate, standard error, relative
    error, and the difference in standard errors), in nats."""
    m1, m2 = np.array([g.mu1]), np.array([g.mu2])
    lv1, lv2 = np.log([g.sigma1**2]), np.log([g.sigma2**2])
    est, se = theory.kl_monte_carlo(m1, lv1, m2, lv2, g.samples, np.random.default_rng(g.seed))
    closed = float(theory.kl_diag_gaussians(m1, lv1, m2, lv2))
    diff = abs(float(est) - closed)
    return {
        "closed": closed,
        "reverse": float(theory.kl_diag_gaussians(m2, lv2, m1, lv1)),
        "mc": float(est),
        "se": float(se),
        "rel_error": diff / closed if closed > 0 else float("nan"),
        "z": diff / float(se) if float(se) > 0 else float("nan"),
    }
