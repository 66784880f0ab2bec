"""Lesson 6, ``contractive``: penalize the encoder's Jacobian (Rifai et al. 2011).

    L = mean ‖x − g(f(x))‖² + λ · mean ‖J_f(x)‖²_F

Part 1, images (``run_images``): a plain AE and a CAE with one sigmoid code layer
(closed-form penalty Σ_j (h_j(1 − h_j))² ‖W_j‖²), compared by ‖J_f(x)‖_F over the data,
reconstruction error, the whole map's Jacobian ‖J_{g∘f}(x)‖_F (closed form
sᵀ((W_decᵀW_dec) ∘ (W_enc W_encᵀ))s, s = h(1 − h)), the weight norms ‖W_enc‖, ‖W_dec‖ and
the code distance ‖f(x + εu) − f(x)‖ for random unit directions u. With untied weights
the decoder can grow to undo an encoder that shrinks, so the whole map's Jacobian falls
far less than the encoder's; tied weights (W_dec = W_encᵀ) forbid that trade.

Part 2, a 2-D curve (``run_curve``): a deeper encoder (one tanh layer, then a sigmoid
code; penalty by autograd) and J_f at points of the clean curve, against the exact unit
tangent t and normal n of ``aecore.data.curves``. ``tangent_alignment`` is the mean |cos|
between the top right-singular vector v₁ and t; ``along_across`` the median gain ratio
‖J_f t‖ / ‖J_f n‖ (how much more the code follows the curve than it follows a step off
it). ``anisotropy`` (mean s₁/s₂) is blind to direction: a plain AE that stretches its
code along any other axis (the long side of the sine's box) scores high without
contracting across the curve, which is why the claim is made on ``along_across``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore import cost_terms as ct
from aecore.config import Config, param
from aecore.cost import data_size
from aecore.data.curves import CURVES
from aecore.data.registry import image_dataset_names, load_dataset
from aecore.data.steps import auto_lr, epochs_for
from aecore.experiments import contractive_why as why
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.penalties import jacobian, jacobian_fro2_closed, make_penalty, map_jacobian_fro2_closed
from aecore.theory import mse
from aecore.train import TrainConfig, as_tensor, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml): plain and contractive AE, per part.
IMAGE_STAGES = {"ae": "ae_images", "cae": "cae_images"}
CURVE_STAGES = {"ae": "ae_curve", "cae": "cae_curve"}
EPS_GRID = np.logspace(-2, 0.5, 11)
N_PROBE = 300  # images used for the perturbation curve
N_ARROWS = 36  # curve points where the Jacobian's directions are drawn
IMAGE_BATCH = 256  # rows per step on images
CURVE_POINTS = 1000  # points of the curve data set
CAE_EXTRA, JACOBIAN_PASSES = 0.5, 4  # the penalties' extra work, in training steps (measured)


@dataclass(frozen=True)
class ContractiveConfig(Config):
    dataset: str = param("digits", "image data set of part 1", choices=image_dataset_names)
    latent_dim: int = param(32, "sigmoid code units of the image models", lo=1, hi=1024)
    lam: float = param(3e-3, "contractive weight λ on images", lo=0.0, hi=100.0)
    tied: bool = param(False, "tie the decoder to the encoder: W_dec = W_encᵀ")
    epochs: int = param(
        0,
        "epochs on images (batches of {batch}); 0 = automatic, about {steps} steps",
        lo=0,
        hi=2000,
        auto_steps=1600,  # 200 epochs on the 8×8 digits
        batch=IMAGE_BATCH,
    )
    lr: float = param(
        0.0, "initial learning rate on images; 0 = automatic, 5e-3 × √(64/D) for D inputs", lo=0.0, hi=1.0
    )
    curve: str = param("circle", "2-D curve of part 2", choices=tuple(CURVES))
    curve_noise: float = param(0.05, "noise around the curve", lo=0.0, hi=0.5)
    curve_width: int = param(32, "tanh units before the 2-unit sigmoid code", lo=2, hi=256)
    curve_lam: float = param(1.0, "contractive weight λ on the curve", lo=0.0, hi=100.0)
    curve_epochs: int = param(1000, "full-batch epochs on the curve", lo=1, hi=5000, batch=0)
    seed: int = param(0, "seed of data, weights and batch order", lo=0, hi=2**31 - 1)


def _batched(fn, X: np.ndarray, batch: int = 1024) -> np.ndarray:
    """fn over row blocks of X (no autograd graph kept), concatenated as float64."""
    x = as_tensor(X)
    return np.concatenate([fn(x[i : i + batch]).detach().cpu().double().numpy() for i in range(0, len(x), batch)])


def image_jacobian_norms(model, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """‖J_f(x)‖_F and ‖J_{g∘f}(x)‖_F per row, by the closed forms of one sigmoid code
    layer and a linear decoder (the image models of this lesson); (n,) each."""
    W_enc = model.encoder[0].weight
    W_dec = next(m for m in model.decoder if hasattr(m, "weight")).weight

    def both(x: torch.Tensor) -> torch.Tensor:
        h = model.encode(x)
        return torch.stack([jacobian_fro2_closed(W_enc, h), map_jacobian_fro2_closed(W_enc, W_dec, h)], 1)

    with torch.no_grad():
        sq = _batched(both, X)
    return np.sqrt(sq[:, 0]), np.sqrt(sq[:, 1])


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


def _train(mc: ModelConfig, lam: float, kind: str, X, tc: TrainConfig, track, stage: str, seed: int):
    model = build_model(mc, penalty=make_penalty("contractive" if lam > 0 else "none", lam), kind=kind, seed=seed)
    track.fit(model, X, tc, stage=stage)
    return model


def run_images(cfg: ContractiveConfig, track: Tracker) -> tuple[dict, dict, dict]:
    """Part 1: plain AE against CAE on the images (metrics, arrays, models)."""
    ds = load_dataset(cfg.dataset)
    X = ds.X
    mc = ModelConfig(input_dim=ds.dim, hidden=(), latent_dim=cfg.latent_dim, latent_activation="sigmoid")
    epochs = epochs_for(cfg, "epochs", ds.n)
    lr = auto_lr(cfg.lr, ds.dim, 5e-3)
    tc = TrainConfig(epochs=epochs, batch_size=IMAGE_BATCH, lr=lr, seed=cfg.seed)
    probe = X[np.random.default_rng(cfg.seed).choice(len(X), min(N_PROBE, len(X)), replace=False)]
    metrics, models, jf, dist, norms = {"image_epochs": epochs, "image_lr": lr}, {}, {}, {}, {}
    for name, lam in (("ae", 0.0), ("cae", cfg.lam)):
        model = _train(mc, lam, "tied" if cfg.tied else "mlp", X, tc, track, IMAGE_STAGES[name], cfg.seed)
        jf[name], jmap = image_jacobian_norms(model, X)
        norms[name] = {
            "w_enc": weight_norm(model, "encoder"),
            "w_dec": weight_norm(model, "decoder"),
            "jac_f": float(jf[name].mean()),
            "jac_map": float(jmap.mean()),
        }
        metrics[f"recon_mse_{name}"] = mse(X, predict(model, X))
        for key, out in (
            ("w_enc", "w_enc"),
            ("w_dec", "w_dec"),
            ("jac_f", "jacobian_fro"),
            ("jac_map", "map_jacobian_fro"),
        ):
            metrics[f"{out}_{name}"] = norms[name][key]
        dist[name] = code_distance(model, probe, cfg.seed)
        models[f"{name}_images"] = model
    metrics["jacobian_ratio"] = metrics["jacobian_fro_cae"] / metrics["jacobian_fro_ae"]
    metrics["recon_jacobian_ratio"] = metrics["map_jacobian_fro_cae"] / metrics["map_jacobian_fro_ae"]
    arrays = {"jf": jf, "eps": EPS_GRID, "dist": dist, "norms": norms, "image_shape": ds.image_shape}
    return metrics, arrays, models


def curve_jacobian(model, clean: np.ndarray, tangent: np.ndarray) -> tuple[dict, np.ndarray, np.ndarray]:
    """J_f at the clean curve points against the true tangent t and normal n:
    its numbers, the right-singular vectors Vt (n, 2, 2) and singular values S (n, 2)."""
    J = jacobian(model.encode, as_tensor(clean)).detach().cpu().double().numpy()  # (n, 2, 2)
    _, S, Vt = np.linalg.svd(J)  # rows of Vt: v₁, v₂
    normal = np.stack([-tangent[:, 1], tangent[:, 0]], 1)
    along = np.linalg.norm(np.einsum("nij,nj->ni", J, tangent), axis=1)
    across = np.linalg.norm(np.einsum("nij,nj->ni", J, normal), axis=1)
    cos = np.abs((Vt[:, 0, :] * tangent).sum(1))
    numbers = {
        "tangent_alignment": float(cos.mean()),
        "misaligned": float((cos < 0.5).mean()),  # v₁ more than 60° off the tangent
        "anisotropy": float((S[:, 0] / np.maximum(S[:, 1], 1e-12)).mean()),
        "along_across": float(np.median(along / np.maximum(across, 1e-12))),
        "curve_jacobian_fro": float(np.sqrt((J**2).sum((1, 2))).mean()),
    }
    return numbers, Vt, S


def run_curve(cfg: ContractiveConfig, track: Tracker) -> tuple[dict, dict, dict]:
    """Part 2: plain AE against CAE on a 2-D curve (metrics, arrays, models)."""
    curve = CURVES[cfg.curve]
    cd = load_dataset(cfg.curve, CURVE_POINTS, cfg.curve_noise, cfg.seed)
    clean = curve.points(cd.t, cd.y)
    tangent = curve.unit_tangents(cd.t, cd.y)
    mc = ModelConfig(
        input_dim=2, hidden=(cfg.curve_width,), latent_dim=2, activation="tanh", latent_activation="sigmoid"
    )
    tc = TrainConfig(epochs=cfg.curve_epochs, batch_size=0, lr=1e-2, seed=cfg.seed)
    order = np.argsort(cd.y * 10.0 + cd.t)[np.linspace(0, cd.n - 1, N_ARROWS).astype(int)]
    metrics, models, dirs = {}, {}, {}
    for name, lam in (("ae", 0.0), ("cae", cfg.curve_lam)):
        model = _train(mc, lam, "tied" if cfg.tied else "mlp", cd.X, tc, track, CURVE_STAGES[name], cfg.seed)
        numbers, Vt, S = curve_jacobian(model, clean, tangent)
        metrics.update({f"{k}_{name}": v for k, v in numbers.items()})
        metrics[f"curve_recon_mse_{name}"] = mse(cd.X, predict(model, cd.X))
        dirs[name] = (Vt[order], S[order])
        models[f"{name}_curve"] = model
    metrics["tangent_alignment"] = metrics["tangent_alignment_cae"]
    arrays = {"curve_X": cd.X, "curve_points": clean[order], "dirs": dirs}
    return metrics, arrays, models


def cost_seconds(cfg: ContractiveConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): two image models (the CAE's closed-form
    penalty adds element-wise work, ``CAE_EXTRA``), their Jacobian norms and code distances;
    two curve models trained full batch on CURVE_POINTS points (the CAE's penalty by
    autograd: ``JACOBIAN_PASSES`` more passes a step) and their Jacobians on the curve."""
    n, d = data_size(cfg.dataset)
    image = ct.autoencoder(d, (), cfg.latent_dim)
    images = ct.stage(cfg, "epochs", n, image) * (2 + CAE_EXTRA) + ct.predict(4 * n + 12 * N_PROBE, image)
    curve = ct.autoencoder(2, (cfg.curve_width,), 2)
    curves = ct.stage(cfg, "curve_epochs", CURVE_POINTS, curve) * (2 + JACOBIAN_PASSES)
    return {"epochs": images, "curve_epochs": curves + ct.predict(2 * JACOBIAN_PASSES * CURVE_POINTS, curve)}


def run(cfg: ContractiveConfig, on_progress=None) -> Result:
    track = Tracker(on_progress)
    m_img, a_img, models_img = run_images(cfg, track)
    m_curve, a_curve, models_curve = run_curve(cfg, track)
    return track.result({**m_img, **m_curve}, arrays={**a_img, **a_curve}, models={**models_img, **models_curve})


EXPERIMENTS = [
    Experiment(
        "contractive",
        ContractiveConfig,
        run,
        "Contractive autoencoders",
        budget_s=30,
        cost=cost_seconds,
        stages=(*IMAGE_STAGES.values(), *CURVE_STAGES.values()),
        claims=(
            Claim.all_of(
                "contracts",
                jacobian=Claim.ratio_at_most("", "jacobian_fro_cae", "jacobian_fro_ae", 0.5),
                recon=Claim.ratio_at_most("", "recon_mse_cae", "recon_mse_ae", 2.0),
                why=why.contracts,
            ),
            Claim.at_least(
                "tangent_kept",
                "tangent_alignment",
                0.85,
                note="(the CAE's most sensitive direction is the tangent)",
                why=why.tangent_kept,
            ),
            Claim.greater(
                "anisotropic",
                "along_across_cae",
                "along_across_ae",
                note="(the CAE follows the curve more than a step off it)",
                why=why.anisotropic,
            ),
        ),
    )
]
