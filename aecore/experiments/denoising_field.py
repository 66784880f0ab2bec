"""Lesson 7, ``denoising_field``: a denoising autoencoder learns the way back to the curve.

Train r = g∘f on pairs (x̃, x), x̃ = x + ε, ε ~ N(0, σ²I), with loss E‖g(f(x̃)) − x‖². The
best such map is the posterior mean r*(x̃) = E[x | x̃] = x̃ + σ² ∇ log p_σ(x̃) (Tweedie;
Vincent 2011, Alain & Bengio 2014), so the displacement r(x̃) − x̃ points back towards the
data and (r(x̃) − x̃)/σ² estimates the score of the noise-smoothed density. Both are
compared with the truth of ``aecore.curve_truth``: the nearest point of the true curve and
the true score of p_data ⊛ N(0, s²I), s² = σ² + (data noise)².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aecore import curve_truth
from aecore.config import Config, param
from aecore.data import load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.noise import corrupt_array, make_corrupt
from aecore.train import ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml).
DAE, GROUND_TRUTH = "dae_field", "ground_truth"

FIELD_CURVES = ("circle", "spiral", "moons")


@dataclass(frozen=True)
class FieldConfig(Config):
    dataset: str = param("circle", "2-D curve", choices=FIELD_CURVES)
    sigma: float = param(0.1, "σ of the Gaussian corruption x̃ = x + ε", lo=0.02, hi=0.5)
    n_samples: int = param(1000, "clean points on the curve", lo=100, hi=5000)
    data_noise: float = param(0.0, "noise of the clean points around the curve", lo=0.0, hi=0.2)
    width: int = param(64, "hidden units per layer (two layers each side)", lo=4, hi=512)
    latent_dim: int = param(16, "code size k (overcomplete is fine: the noise regularises)", lo=1, hi=64)
    epochs: int = param(600, "epochs; each draws fresh noise", lo=1, hi=5000)
    batch_size: int = param(128, "rows per step", lo=8, hi=5000)
    lr: float = param(1e-2, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    grid: int = param(25, "grid points per side of the field", lo=8, hi=60)
    seed: int = param(0, "seed of data, weights and noise", lo=0, hi=2**31 - 1)


def _cosine(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    num = (A * B).sum(1)
    den = np.linalg.norm(A, axis=1) * np.linalg.norm(B, axis=1)
    return num / np.maximum(den, 1e-12)


def _grid(X: np.ndarray, pad: float, n: int) -> np.ndarray:
    lo, hi = X.min(0) - pad, X.max(0) + pad
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return np.column_stack([gx.ravel(), gy.ravel()])


def run(cfg: FieldConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    name, sigma = cfg.dataset, cfg.sigma
    ds = load_dataset(name, cfg.n_samples, cfg.data_noise, cfg.seed)
    model = build_model(
        ModelConfig(input_dim=2, hidden=(cfg.width, cfg.width), latent_dim=cfg.latent_dim, activation="elu"),
        seed=cfg.seed,
    )
    track.fit(
        model,
        ds.X,
        TrainConfig(epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr, seed=cfg.seed),
        corrupt=make_corrupt("gaussian", sigma),
        stage=DAE,
    )
    track.step(GROUND_TRUTH)
    s = float(np.hypot(sigma, cfg.data_noise))  # the smoothed density's width
    G = _grid(ds.X, 2.5 * sigma, cfg.grid)
    proj, dist = curve_truth.project(name, G)
    near = dist <= 2 * sigma
    field = predict(model, G) - G  # r(x̃) − x̃ (grid, 2)
    true_score = curve_truth.score(name, G, s)
    optimal = curve_truth.optimal_denoiser(name, G, s) - G
    # fresh clean points, corrupted once: how far from the curve before and after
    test = load_dataset(name, cfg.n_samples, cfg.data_noise, cfg.seed + 1).X
    noisy = corrupt_array("gaussian", test, sigma, cfg.seed + 1)
    denoised = predict(model, noisy)
    d_before = curve_truth.project(name, noisy)[1]
    d_after = curve_truth.project(name, denoised)[1]
    d_opt = curve_truth.project(name, curve_truth.optimal_denoiser(name, noisy, s))[1]
    metrics = {
        "projection_cosine": _cosine(field[near], proj[near] - G[near]).mean(),
        "score_cosine": _cosine(field[near], true_score[near]).mean(),
        "distance_ratio": d_after.mean() / d_before.mean(),
        "optimal_projection_cosine": _cosine(optimal[near], proj[near] - G[near]).mean(),
        "optimal_distance_ratio": d_opt.mean() / d_before.mean(),
        "near_points": float(near.sum()),
    }
    t = np.linspace(0, 1, 400)
    curves = [c.fn(c.lo + t * (c.hi - c.lo)) for c in curve_truth.CURVES[name]]
    arrays = {
        "X": ds.X,
        "grid": G,
        "grid_dist": dist,
        "near": near,
        "field": field,
        "score": field / sigma**2,
        "true_score": true_score,
        "noisy": noisy,
        "denoised": denoised,
        "curves": curves,
        "tweedie": [curve_truth.optimal_denoiser(name, c, s) for c in curves],
        "sigma": sigma,
        "s": s,
        "d_before": float(d_before.mean()),
        "d_after": float(d_after.mean()),
    }
    return track.result(metrics, arrays=arrays, models={"denoising AE": model})


EXPERIMENTS = [
    Experiment(
        "denoising_field",
        FieldConfig,
        run,
        "Denoising autoencoder: the field back to the curve",
        budget_s=20,
        stages=(DAE, GROUND_TRUTH),
        claims=(
            Claim("projection", "projection_cosine ≥ 0.9", lambda m: m["projection_cosine"] >= 0.9),
            Claim("score", "score_cosine ≥ 0.8", lambda m: m["score_cosine"] >= 0.8),
            Claim("distance", "distance_ratio ≤ 0.5", lambda m: m["distance_ratio"] <= 0.5),
        ),
    )
]
