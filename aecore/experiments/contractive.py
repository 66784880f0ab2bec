"""Lesson 6, ``contractive``: penalize the encoder's Jacobian (Rifai et al. 2011).

    L = mean ‖x − g(f(x))‖² + λ · mean ‖J_f(x)‖²_F

Part 1, images: a plain AE and a CAE with one sigmoid code layer (closed-form penalty
Σ_j (h_j(1 − h_j))² ‖W_j‖²), compared by ‖J_f(x)‖_F over the data, reconstruction error,
the whole map's Jacobian ‖J_{g∘f}(x)‖_F, the weight norms ‖W_enc‖, ‖W_dec‖ and the code
distance ‖f(x + εu) − f(x)‖ for random unit directions u. With untied weights the decoder
can grow to undo an encoder that shrinks, so the whole map's Jacobian falls far less than
the encoder's; tied weights (W_dec = W_encᵀ) forbid that trade.

Part 2, a 2-D curve: a deeper encoder (one tanh layer, then a sigmoid code; penalty by
autograd) and the singular vectors of J_f at points on the clean curve. The true tangent
comes from the curve's point function. ``tangent_alignment`` is the CAE's mean |cos|
between the top right-singular vector and the tangent; ``anisotropy_*`` is mean s₁/s₂.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore.config import Config, param
from aecore.data import CURVE_DATASETS, CURVES, IMAGE_DATASETS, load_dataset, moons_points
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.penalties import jacobian, make_penalty
from aecore.theory import mse
from aecore.train import TrainConfig, as_tensor, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml): plain and contractive AE, per part.
IMAGE_STAGES = {"ae": "ae_images", "cae": "cae_images"}
CURVE_STAGES = {"ae": "ae_curve", "cae": "cae_curve"}

EPS_GRID = np.logspace(-2, 0.5, 11)
N_PROBE = 300  # images used for the perturbation curve
N_ARROWS = 36  # curve points where the Jacobian's directions are drawn


@dataclass(frozen=True)
class ContractiveConfig(Config):
    dataset: str = param("digits", "image data set", choices=IMAGE_DATASETS)
    latent_dim: int = param(32, "sigmoid code units of the image models", lo=1, hi=1024)
    lam: float = param(3e-3, "contractive weight λ on images", lo=0.0, hi=100.0)
    tied: bool = param(False, "tie the decoder to the encoder: W_dec = W_encᵀ")
    epochs: int = param(200, "epochs on images (batches of 256)", lo=1, hi=2000)
    lr: float = param(5e-3, "initial learning rate on images", lo=0.0, hi=1.0, lo_open=True)
    curve: str = param("circle", "2-D curve of part 2", choices=CURVE_DATASETS)
    curve_noise: float = param(0.05, "noise around the curve", lo=0.0, hi=0.5)
    curve_width: int = param(32, "tanh units before the 2-unit sigmoid code", lo=2, hi=256)
    curve_lam: float = param(1.0, "contractive weight λ on the curve", lo=0.0, hi=100.0)
    curve_epochs: int = param(1000, "full-batch epochs on the curve", lo=1, hi=5000)
    seed: int = param(0, "seed of data, weights and batch order", lo=0, hi=2**31 - 1)


def _fro(J: torch.Tensor) -> np.ndarray:
    return torch.linalg.matrix_norm(J).detach().cpu().double().numpy()  # (B,)


def batched_jacobian_norms(fn, X: np.ndarray, batch: int = 512) -> np.ndarray:
    """‖J_fn(x)‖_F for every row of X, in batches (the Jacobians are (B, out, D))."""
    x = as_tensor(X)
    return np.concatenate([_fro(jacobian(fn, x[i : i + batch])) for i in range(0, len(x), batch)])


def weight_norm(model, part: str) -> float:
    lin = [m for m in getattr(model, part) if hasattr(m, "weight")]
    return float(sum(float((m.weight.detach() ** 2).sum()) for m in lin) ** 0.5)


def code_distance(model, X: np.ndarray, seed: int) -> np.ndarray:
    """Mean ‖f(x + εu) − f(x)‖ over rows x of X for each ε of EPS_GRID, u random unit vectors."""
    rng = np.random.default_rng(seed)
    U = rng.standard_normal(X.shape).astype(np.float32)
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    h0 = predict(model.encode, X)
    return np.array([np.linalg.norm(predict(model.encode, X + e * U) - h0, axis=1).mean() for e in EPS_GRID])


def true_tangents(name: str, t: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clean points P(t) and unit tangents dP/dt (central differences of the point function)."""
    P = (lambda s: moons_points(s, y)) if name == "moons" else CURVES[name]
    h = 1e-4
    T = (P(t + h) - P(t - h)) / (2 * h)
    return P(t), T / np.linalg.norm(T, axis=1, keepdims=True)


def _train(mc: ModelConfig, lam: float, kind: str, X, tc: TrainConfig, track, stage: str, seed: int):
    model = build_model(mc, penalty=make_penalty("contractive" if lam > 0 else "none", lam), kind=kind, seed=seed)
    track.fit(model, X, tc, stage=stage)
    return model


def run(cfg: ContractiveConfig, on_progress=None) -> Result:
    track = Tracker(on_progress)
    kind = "tied" if cfg.tied else "mlp"
    ds = load_dataset(cfg.dataset)
    X = ds.X
    mc = ModelConfig(
        input_dim=ds.dim,
        hidden=(),
        latent_dim=cfg.latent_dim,
        latent_activation="sigmoid",
        output="identity",
    )
    tc = TrainConfig(epochs=cfg.epochs, batch_size=256, lr=cfg.lr, seed=cfg.seed)
    probe = X[np.random.default_rng(cfg.seed).choice(len(X), min(N_PROBE, len(X)), replace=False)]
    metrics, models, jf, dist, norms = {}, {}, {}, {}, {}
    for name, lam in (("ae", 0.0), ("cae", cfg.lam)):
        model = _train(mc, lam, kind, X, tc, track, IMAGE_STAGES[name], cfg.seed)
        jf[name] = batched_jacobian_norms(model.encode, X)
        jmap = batched_jacobian_norms(model, X)
        metrics[f"jacobian_fro_{name}"] = float(jf[name].mean())
        metrics[f"recon_mse_{name}"] = mse(X, predict(model, X))
        metrics[f"map_jacobian_fro_{name}"] = float(jmap.mean())
        metrics[f"w_enc_{name}"] = weight_norm(model, "encoder")
        metrics[f"w_dec_{name}"] = weight_norm(model, "decoder")
        norms[name] = {
            "w_enc": metrics[f"w_enc_{name}"],
            "w_dec": metrics[f"w_dec_{name}"],
            "jac_f": metrics[f"jacobian_fro_{name}"],
            "jac_map": float(jmap.mean()),
        }
        dist[name] = code_distance(model, probe, cfg.seed)
        models[f"{name} (images)"] = model
    metrics["jacobian_ratio"] = metrics["jacobian_fro_cae"] / metrics["jacobian_fro_ae"]
    metrics["recon_jacobian_ratio"] = metrics["map_jacobian_fro_cae"] / metrics["map_jacobian_fro_ae"]

    cd = load_dataset(cfg.curve, 1000, cfg.curve_noise, cfg.seed)
    clean, tangent = true_tangents(cfg.curve, cd.t.astype(np.float64), cd.y)
    cmc = ModelConfig(
        input_dim=2,
        hidden=(cfg.curve_width,),
        latent_dim=2,
        activation="tanh",
        latent_activation="sigmoid",
        output="identity",
    )
    ctc = TrainConfig(epochs=cfg.curve_epochs, batch_size=0, lr=1e-2, seed=cfg.seed)
    order = np.argsort(cd.t)[np.linspace(0, cd.n - 1, N_ARROWS).astype(int)]
    dirs = {}
    for name, lam in (("ae", 0.0), ("cae", cfg.curve_lam)):
        model = _train(cmc, lam, kind, cd.X, ctc, track, CURVE_STAGES[name], cfg.seed)
        J = jacobian(model.encode, as_tensor(clean.astype(np.float32))).detach().cpu().double().numpy()
        _, S, Vt = np.linalg.svd(J)  # J (n, 2, 2); rows of Vt: v₁, v₂
        align = np.abs((Vt[:, 0, :] * tangent).sum(1))
        metrics[f"tangent_alignment_{name}"] = float(align.mean())
        metrics[f"anisotropy_{name}"] = float((S[:, 0] / np.maximum(S[:, 1], 1e-12)).mean())
        metrics[f"curve_recon_mse_{name}"] = mse(cd.X, predict(model, cd.X))
        dirs[name] = (Vt[order], S[order])
        models[f"{name} (curve)"] = model
    metrics["tangent_alignment"] = metrics["tangent_alignment_cae"]
    arrays = {
        "jf": jf,
        "eps": EPS_GRID,
        "dist": dist,
        "norms": norms,
        "curve_X": cd.X,
        "curve_points": clean[order],
        "dirs": dirs,
    }
    return track.result(metrics, arrays=arrays, models=models)


EXPERIMENTS = [
    Experiment(
        "contractive",
        ContractiveConfig,
        run,
        "Contractive autoencoders",
        budget_s=30,
        stages=(*IMAGE_STAGES.values(), *CURVE_STAGES.values()),
        claims=(
            Claim(
                "contracts",
                "jacobian_fro_cae ≤ 0.5 · jacobian_fro_ae and recon_mse_cae ≤ 2 · recon_mse_ae",
                lambda m: (
                    m["jacobian_fro_cae"] <= 0.5 * m["jacobian_fro_ae"] and m["recon_mse_cae"] <= 2 * m["recon_mse_ae"]
                ),
            ),
            Claim(
                "tangent_kept",
                "tangent_alignment ≥ 0.85 (the CAE's most sensitive direction is the tangent)",
                lambda m: m["tangent_alignment"] >= 0.85,
            ),
            Claim(
                "anisotropic",
                "anisotropy_cae > anisotropy_ae (stronger contraction across the curve)",
                lambda m: m["anisotropy_cae"] > m["anisotropy_ae"],
            ),
        ),
    )
]
