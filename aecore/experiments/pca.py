"""Lesson 2, ``pca``: a linear autoencoder trained with squared error finds PCA.

Baldi & Hornik (1989): with x̂ = W_d W_e x (+ biases) and MSE, every minimum spans the
top-k eigenvectors of the covariance, and the least error is Σ_{i>k} λ_i / D. The
trained decoder's column space is compared with that subspace through principal angles;
its Gram matrix W_dᵀW_d shows that, unlike PCA, it need not be orthonormal.
Full-batch Adam with a cosine-decayed rate reaches the subspace itself, not only the
error: on digits λ₈ ≈ λ₉, so mini-batch noise leaves the 8th direction undetermined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aecore.config import Config, ConfigError, param
from aecore.data import dataset_names, load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.theory import gram, mse, pca_fit, principal_angles_deg
from aecore.train import Progress, ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml); the sweep adds ":k=<k>" to DEEP_AE.
LINEAR_AE = "linear_ae"
DEEP_AE = "deep_ae"

SWEEP_KS = (1, 2, 4, 8, 16, 32)


@dataclass(frozen=True)
class PCAConfig(Config):
    dataset: str = param("digits", "data set (built-in or registered user data)", choices=dataset_names)
    latent_dim: int = param(8, "code size k", lo=1, hi=1024)
    linear_epochs: int = param(2500, "full-batch epochs of the linear autoencoder", lo=1, hi=5000)
    linear_batch: int = param(0, "linear AE batch size; 0 = full batch", lo=0, hi=65536)
    linear_lr: float = param(0.05, "initial rate of the linear AE (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    deep_epochs: int = param(200, "epochs of the non-linear AE (batches of 256)", lo=1, hi=2000)
    deep_width: int = param(128, "first hidden width of the non-linear AE", lo=4, hi=1024)
    sweep: bool = param(False, "also train the non-linear AE at k = 1, 2, 4, 8, 16, 32")
    seed: int = param(0, "seed of weights and batch order", lo=0, hi=2**31 - 1)


def _decoder_weight(model) -> np.ndarray:
    return model.decoder[0].weight.detach().cpu().double().numpy()  # (D, k)


def _deep(cfg: PCAConfig, X: np.ndarray, k: int, track: Tracker, stage: str):
    mc = ModelConfig(
        input_dim=X.shape[1], hidden=(cfg.deep_width, cfg.deep_width // 2), latent_dim=k, activation="relu"
    )
    model = build_model(mc, seed=cfg.seed)
    track.fit(model, X, TrainConfig(epochs=cfg.deep_epochs, batch_size=256, lr=5e-3, seed=cfg.seed), stage=stage)
    return model


def run(cfg: PCAConfig, on_progress: ProgressFn | None = None) -> Result:
    ds = load_dataset(cfg.dataset)
    X, k = ds.X, cfg.latent_dim
    if k >= ds.dim:
        raise ConfigError(
            f"latent_dim={k} must be smaller than the {ds.dim} features of {ds.name}.",
            code="latent_not_smaller",
            params=dict(name="latent_dim", value=k, inputs=ds.dim),
        )
    track = Tracker(on_progress)
    pca = pca_fit(X)
    basis = pca.basis(k)
    linear = build_model(ModelConfig(input_dim=ds.dim, hidden=(), latent_dim=k, activation="identity"), seed=cfg.seed)
    angle_trace: list[tuple[int, float]] = []

    def watch(p: Progress) -> bool:  # the largest principal angle, every 25 epochs
        if p.epoch % 25 == 0 or p.epoch == p.epochs:
            angle_trace.append((p.epoch, float(principal_angles_deg(_decoder_weight(linear), basis)[0])))
        return track(p)

    track.fit(
        linear,
        X,
        TrainConfig(epochs=cfg.linear_epochs, lr=cfg.linear_lr, seed=cfg.seed, batch_size=cfg.linear_batch),
        on_progress=watch,
        stage=LINEAR_AE,
    )
    deep = _deep(cfg, X, k, track, DEEP_AE)
    W = _decoder_weight(linear)
    angles = principal_angles_deg(W, basis)
    recon = {"pca": pca.reconstruct(X, k).astype(np.float32), "linear": predict(linear, X), "deep": predict(deep, X)}
    sweep = {}
    if cfg.sweep:
        for kk in (kk for kk in SWEEP_KS if kk < ds.dim):
            sweep[kk] = mse(X, predict(_deep(cfg, X, kk, track, f"{DEEP_AE}:k={kk}"), X))
    metrics = {
        "pca_mse": mse(X, recon["pca"]),
        "pca_bound": pca.bound(k),
        "linear_ae_mse": mse(X, recon["linear"]),
        "max_principal_angle_deg": float(angles.max()),
        "deep_ae_mse": mse(X, recon["deep"]),
    }
    arrays = {
        "eigvals": pca.eigvals,
        "angles": angles,
        "angle_trace": np.array(angle_trace),
        "gram": gram(W),
        "X": X,
        "labels": ds.y,
        "recon": recon,
        "image_shape": ds.image_shape,
        "pca_curve": np.array([pca.bound(j) for j in range(1, ds.dim)]),
        "sweep": sweep,
    }
    return track.result(metrics, arrays=arrays, models={"linear AE": linear, "non-linear AE": deep})


EXPERIMENTS = [
    Experiment(
        "pca",
        PCAConfig,
        run,
        "Linear autoencoder = PCA",
        budget_s=20,
        stages=(LINEAR_AE, DEEP_AE),
        claims=(
            Claim(
                "linear_matches_pca",
                "linear_ae_mse ≤ 1.02 · pca_mse",
                lambda m: m["linear_ae_mse"] <= 1.02 * m["pca_mse"],
            ),
            Claim("same_subspace", "max_principal_angle_deg ≤ 3", lambda m: m["max_principal_angle_deg"] <= 3.0),
            Claim(
                "bound_exact",
                "pca_mse equals pca_bound (relative 1e-4)",
                lambda m: abs(m["pca_mse"] - m["pca_bound"]) <= 1e-4 * m["pca_bound"],
            ),
            Claim(
                "deep_beats_pca",
                "deep_ae_mse < pca_mse (a curved code beats the best flat one)",
                lambda m: m["deep_ae_mse"] < m["pca_mse"],
            ),
        ),
    )
]
