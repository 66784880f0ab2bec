"""Lesson 2, ``pca``: a linear autoencoder trained with squared error finds PCA.

The linear AE x̂ = x̄ + D E (x − x̄) (equivalently: biases b_e = −E x̄, b_d = x̄) minimises
(1/(nD)) Σ ‖(x_i − x̄) − D E (x_i − x̄)‖². Its least error is Σ_{i>k} λ_i / D, λ the
eigenvalues of the covariance (Eckart & Young 1936), reached when D E = U_k U_kᵀ; Baldi &
Hornik (1989): every local minimum is that one, every other critical point a saddle.
Without centring (no biases) the optimum is Eckart–Young on the raw second moment instead,
which is higher (``bias_free_mse``).

The linear AE is trained by alternating least squares (default; converges to the subspace
by λ_{k+1}/λ_k per sweep) or by Adam (``aecore.maths.linear_ae``). The decoder's column space is
compared with the top-k eigenvectors through principal angles; ``angle_certificate_deg`` is
what the error alone guarantees (sin²θ ≤ D Δ / (λ_k − λ_{k+1})). A non-linear AE shows what a
curved code gains; a non-linear encoder with a linear decoder cannot beat PCA (its outputs
lie in a k-dimensional affine subspace). To show that bound apart from how far training got,
the best linear decoder of each trained encoder's codes is also computed in closed form
(least squares, ``linear_ae.best_linear_decoder``): on the codes of the linear-decoder AE and
on those of the deep AE, whose own non-linear decoder goes below PCA.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from aecore import cost_terms as ct
from aecore.config import Config, ConfigError, param
from aecore.cost import data_size
from aecore.data.registry import dataset_names, load_dataset
from aecore.data.steps import epochs_for
from aecore.experiments import pca_why as why
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.maths import linear_ae as lae
from aecore.models import ModelConfig, build_model
from aecore.theory import gram, mse, pca_fit, principal_angles_deg
from aecore.train import Progress, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml); the sweep adds ":k=<k>" to DEEP_AE.
LINEAR_AE, DEEP_AE, LINDEC_AE = "linear_ae", "deep_ae", "lindec_ae"
SWEEP_KS = (1, 2, 4, 8, 16, 32)
DEEP_BATCH = 256  # rows per step of the non-linear AEs
ALS_TOL = 1e-10  # ALS stops once its subspace moves less than this (sine of the largest angle) in a sweep
# Claim linear_matches_pca: the linear AE's error is at most this many times PCA's optimum;
# ``tolerance_certificate_deg`` is the angle that slack still allows.
MSE_FACTOR = 1.02


@dataclass(frozen=True)
class PCAConfig(Config):
    dataset: str = param("digits", "data set (built-in or registered user data)", choices=dataset_names)
    latent_dim: int = param(8, "code size k", lo=1, hi=1024)
    linear_solver: str = param(
        "als", "how the linear AE is trained: als = alternating least squares, adam = gradient", choices=("als", "adam")
    )
    linear_epochs: int = param(2500, "ALS sweeps (it stops once converged) or Adam epochs", lo=1, hi=5000)
    linear_batch: int = param(0, "Adam's batch size; 0 = full batch (on the covariance)", lo=0, hi=65536)
    linear_lr: float = param(0.05, "Adam's initial rate (cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    deep_epochs: int = param(
        0,
        "epochs of the non-linear AEs (batches of {batch}); 0 = about {steps} steps, at most {max_epochs} epochs",
        lo=0,
        hi=2000,
        auto_steps=1600,  # 200 epochs on the 8×8 digits
        batch=DEEP_BATCH,
        epoch_range=(1, 200),
    )
    deep_width: int = param(128, "first hidden width of the non-linear AEs", lo=4, hi=1024)
    sweep: bool = param(False, "also train the non-linear AE at k = 1, 2, 4, 8, 16, 32")
    seed: int = param(0, "seed of weights and batch order", lo=0, hi=2**31 - 1)


def _deep(cfg: PCAConfig, X: np.ndarray, k: int, track: Tracker, stage: str, kind: str = "mlp"):
    mc = ModelConfig(
        input_dim=X.shape[1], hidden=(cfg.deep_width, cfg.deep_width // 2), latent_dim=k, activation="relu"
    )
    model = build_model(mc, kind=kind, seed=cfg.seed)
    tc = TrainConfig(epochs=epochs_for(cfg, "deep_epochs", len(X)), batch_size=DEEP_BATCH, lr=5e-3, seed=cfg.seed)
    track.fit(model, X, tc, stage=stage)
    return model


def _als(cfg: PCAConfig, linear, S: np.ndarray, basis: np.ndarray, track: Tracker) -> list:
    """Train ``linear`` by ALS (or load its replayed weights); the angle after each sweep."""
    trace: list[tuple[int, float]] = []
    track.trained.append((linear, LINEAR_AE))  # the Result records which stage it is (weights files)
    state = track.replay.get(LINEAR_AE)
    if state is not None:
        linear.load_state_dict(state, strict=True)
        E, D = lae.weights(linear)
        track(Progress(LINEAR_AE, cfg.linear_epochs, cfg.linear_epochs, lae.loss_from_cov(E, D, S)))
        return trace
    prev = [lae.weights(linear)[1]]

    def on_sweep(t: int, loss: float, D: np.ndarray) -> bool:
        stop = bool(track(Progress(LINEAR_AE, t, cfg.linear_epochs, loss)))
        if t > 20 and t % 5 and t != cfg.linear_epochs:  # angles: each sweep at first, then every 5th
            return stop
        trace.append((t, float(principal_angles_deg(D, basis)[0])))
        moved = math.sin(math.radians(principal_angles_deg(D, prev[0])[0]))  # since the last check
        prev[0] = D
        return stop or moved < ALS_TOL

    E, D = lae.als(prev[0], S, cfg.linear_epochs, on_sweep)
    lae.set_weights(linear, E, D, np.zeros(S.shape[0]))
    return trace


def _adam(cfg: PCAConfig, linear, X: np.ndarray, mean: np.ndarray, S: np.ndarray, basis, track: Tracker) -> list:
    """Train ``linear`` by Adam: full batch on the covariance, or mini-batches of centred rows."""
    trace: list[tuple[int, float]] = []

    def watch(p: Progress) -> bool:  # the largest principal angle, every 25 epochs
        if p.epoch % 25 == 0 or p.epoch == p.epochs:
            trace.append((p.epoch, float(principal_angles_deg(lae.weights(linear)[1], basis)[0])))
        return track(p)

    tc = TrainConfig(epochs=cfg.linear_epochs, lr=cfg.linear_lr, seed=cfg.seed, batch_size=cfg.linear_batch)
    if cfg.linear_batch == 0:
        S32 = torch.as_tensor(S, dtype=torch.float32)
        track.fit(linear, S32, tc, loss_fn=lae.covariance_loss, on_progress=watch, stage=LINEAR_AE)
    else:
        track.fit(linear, (X - mean).astype(np.float32), tc, on_progress=watch, stage=LINEAR_AE)
    return trace


def _linear(cfg: PCAConfig, ds, mean: np.ndarray, S: np.ndarray, basis: np.ndarray, track: Tracker):
    """The trained linear AE (centring biases set) and its angle trace (epoch, degrees)."""
    mc = ModelConfig(input_dim=ds.dim, hidden=(), latent_dim=cfg.latent_dim, activation="identity")
    linear = build_model(mc, seed=cfg.seed)
    if cfg.linear_solver == "als":
        trace = _als(cfg, linear, S, basis, track)
    else:
        trace = _adam(cfg, linear, ds.X, mean, S, basis, track)
    E, D = lae.weights(linear)
    lae.set_weights(linear, E, D, mean)
    return linear, np.array(trace, dtype=np.float64).reshape(-1, 2)


def gap_ratio(lam: np.ndarray, k: int) -> float:
    """λ_k / λ_{k+1}; 1 for a tie (both numerically zero), capped at 1e12 when only λ_{k+1} is."""
    tiny = 1e-12 * max(float(lam[0]), 1e-300)
    if lam[k] <= tiny:
        return 1.0 if lam[k - 1] <= tiny else 1e12
    return float(min(lam[k - 1] / lam[k], 1e12))


def _derivation(pca, linear, mean: np.ndarray, S: np.ndarray, k: int, linear_mse: float) -> dict[str, float]:
    """The numbers the derivation steps are checked with."""
    lam, dim = pca.eigvals, pca.eigvals.size
    U = pca.basis(k)
    E, D = lae.weights(linear)
    gap = float(lam[k - 1] - lam[k])
    return {
        "eigengap_ratio": gap_ratio(lam, k),
        "angle_certificate_deg": lae.angle_certificate_deg(linear_mse - pca.bound(k), gap, dim),
        "tolerance_certificate_deg": lae.angle_certificate_deg((MSE_FACTOR - 1) * pca.bound(k), gap, dim),
        "bias_free_mse": lae.bias_free_bound(mean, S, k),
        "projector_error": float(np.linalg.norm(D @ E - U @ U.T) / math.sqrt(k)),
        "product_rank": float(np.linalg.matrix_rank(D @ E)),
        "identity_gap": float(np.linalg.norm(U @ U.T - np.eye(dim))),
    }


def run(cfg: PCAConfig, on_progress=None) -> Result:
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
    mean, S = lae.covariance(X)
    basis = pca.basis(k)
    linear, angle_trace = _linear(cfg, ds, mean, S, basis, track)
    deep = _deep(cfg, X, k, track, DEEP_AE)
    lindec = _deep(cfg, X, k, track, LINDEC_AE, kind="linear_decoder")
    recon = {"pca": pca.reconstruct(X, k).astype(np.float32), "linear": predict(linear, X), "deep": predict(deep, X)}
    W = lae.weights(linear)[1]
    angles = principal_angles_deg(W, basis)
    metrics = {
        "pca_mse": mse(X, recon["pca"]),
        "pca_bound": pca.bound(k),
        "linear_ae_mse": mse(X, recon["linear"]),
        "max_principal_angle_deg": float(angles.max()),
        "deep_ae_mse": mse(X, recon["deep"]),
        "lindec_ae_mse": mse(X, predict(lindec, X)),
    }
    metrics.update(_derivation(pca, linear, mean, S, k, metrics["linear_ae_mse"]))
    metrics["lindec_mse_ratio"] = metrics["lindec_ae_mse"] / metrics["pca_mse"]
    metrics["lindec_max_angle_deg"] = float(principal_angles_deg(lae.weights(lindec)[1], basis)[0])
    gap = float(pca.eigvals[k - 1] - pca.eigvals[k])
    metrics["lindec_angle_certificate_deg"] = lae.angle_certificate_deg(
        metrics["lindec_ae_mse"] - metrics["pca_mse"], gap, ds.dim
    )
    metrics.update(lae.refits(X, basis, {"lindec": lindec, "deep": deep}, gap, metrics["pca_mse"]))
    sweep = {}
    if cfg.sweep:
        for kk in (kk for kk in SWEEP_KS if kk < ds.dim):
            sweep[kk] = mse(X, predict(_deep(cfg, X, kk, track, f"{DEEP_AE}:k={kk}"), X))
    arrays = {
        "eigvals": pca.eigvals,
        "angles": angles,
        "angle_trace": angle_trace,
        "gram": gram(W),
        "X": X,
        "labels": ds.y,
        "recon": recon,
        "image_shape": ds.image_shape,
        "pca_curve": np.array([pca.bound(j) for j in range(1, ds.dim)]),
        "sweep": sweep,
    }
    models = {LINEAR_AE: linear, DEEP_AE: deep, LINDEC_AE: lindec}  # keyed by stage id
    return track.result(metrics, arrays=arrays, models=models)


def _linear_cost(cfg: PCAConfig, n: int, d: int, k: int) -> float:
    """The linear AE's seconds (ALS: least squares on the covariance and the angles, about
    8 D²(k + 6) flops a sweep, costed at every sweep allowed though it stops once converged;
    Adam on the covariance: D²k per step; Adam on rows: an MLP)."""
    if cfg.linear_solver == "als":
        return cfg.linear_epochs * (8 * d * d * (k + 6) * ct.FLOP_S + ct.T_STEP)
    if cfg.linear_batch == 0:
        return cfg.linear_epochs * (12 * d * d * k * ct.FLOP_S + ct.T_STEP + 2 * ct.T_LAYER)
    return ct.stage(cfg, "linear_epochs", n, ct.autoencoder(d, (), k))


def stage_cost(cfg: PCAConfig) -> dict[str, float]:
    """Estimated one-core seconds per stage, in run order (aecore.cost): covariance and
    eigendecompositions with the linear AE, the two non-linear AEs, the sweep's."""
    n, d = data_size(cfg.dataset)
    k, w = min(cfg.latent_dim, d - 1), cfg.deep_width
    fixed = 3 * n * d * d * ct.FLOP_S + 3 * d**3 * ct.T_EIGH
    deep = ct.autoencoder(d, (w, w // 2), k)
    one = ct.stage(cfg, "deep_epochs", n, deep)
    parts = {LINEAR_AE: fixed + _linear_cost(cfg, n, d, k), DEEP_AE: one, LINDEC_AE: one + ct.predict(4 * n, deep)}
    for kk in (kk for kk in SWEEP_KS if kk < d and cfg.sweep):
        parts[f"{DEEP_AE}:k={kk}"] = ct.stage(cfg, "deep_epochs", n, ct.autoencoder(d, (w, w // 2), kk))
    return parts


def cost(cfg: PCAConfig) -> dict[str, float]:
    """Estimated one-core seconds per setting (aecore.cost): the stages of ``stage_cost``,
    the fixed work counted with the non-linear AEs."""
    n, d = data_size(cfg.dataset)
    linear = _linear_cost(cfg, n, d, min(cfg.latent_dim, d - 1))
    return {"linear_epochs": linear, "deep_epochs": sum(stage_cost(cfg).values()) - linear}


EXPERIMENTS = [
    Experiment(
        "pca",
        PCAConfig,
        run,
        "Linear autoencoder = PCA",
        budget_s=20,
        stages=(LINEAR_AE, DEEP_AE, LINDEC_AE),
        cost=cost,
        stage_cost=stage_cost,
        claims=(
            Claim.ratio_at_most(
                "linear_matches_pca", "linear_ae_mse", "pca_mse", MSE_FACTOR, why=why.linear_matches_pca
            ),
            Claim.at_most("same_subspace", "max_principal_angle_deg", 3.0, why=why.same_subspace),
            Claim.within_relative("bound_exact", "pca_mse", "pca_bound", 1e-4, why=why.bound_exact),
            Claim.less(
                "deep_beats_pca",
                "deep_ae_mse",
                "pca_mse",
                note="(a curved code beats the best flat one)",
                why=why.deep_beats_pca,
            ),
            # ≥ up to float rounding: a linear decoder cannot beat PCA, whatever the encoder
            Claim.ratio_at_least(
                "lindec_not_below_pca", "lindec_ae_mse", "pca_mse", 1 - 1e-6, why=why.lindec_not_below_pca
            ),
            # the same bound with the best linear decoder of each encoder's codes, and the deep
            # AE's own non-linear decoder below it: what breaks the bound is the decoder
            Claim.all_of(
                "refit_not_below_pca",
                lindec=Claim.ratio_at_least("", "lindec_refit_mse", "pca_mse", 1 - 1e-6),
                deep=Claim.ratio_at_least("", "deep_refit_mse", "pca_mse", 1 - 1e-6),
                nonlinear=Claim.less("", "deep_ae_mse", "pca_mse"),
                why=why.refit_not_below_pca,
            ),
        ),
    )
]
