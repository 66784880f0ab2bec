"""Lesson 5, ``sparse``: an overcomplete sigmoid code made sparse by a penalty.

One hidden layer h = σ(W x + b) with more units than inputs, a linear decoder, and one
of four penalties through the base model's hook (aecore.penalties):
none; L1 on the code α Σ_j |h_j|; KL sparsity β Σ_j KL(ρ ‖ ρ̂_j) (Ng, "Sparse
autoencoder" lecture notes, 2011); L2 on the weights λ Σ ‖W‖², the contrast that shrinks
weights without making codes sparse. All four train on the same data from the same
seed, so they can be compared side by side; ``penalty`` picks the one whose numbers are
the headline metrics. A unit is *active* on an input when h_j > 0.1, and *dead* when it
is active on no training input at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore.config import Config, param
from aecore.data import IMAGE_DATASETS, load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.penalties import kl_bernoulli, make_penalty, weight_matrices
from aecore.theory import mse
from aecore.train import TrainConfig, predict

PENALTY_NAMES = ("none", "l1", "kl", "l2")
# Stage ids (labels: assets/locales/<lang>/stages.toml): one per penalty.
STAGES = {name: f"penalty_{name}" for name in PENALTY_NAMES}
ACTIVE = 0.1  # an activation above this counts as "on"


@dataclass(frozen=True)
class SparseConfig(Config):
    dataset: str = param("digits", "image data set", choices=IMAGE_DATASETS)
    penalty: str = param("kl", "penalty whose numbers are the headline metrics", choices=PENALTY_NAMES)
    hidden: int = param(128, "sigmoid code units (more than the inputs: overcomplete)", lo=1, hi=1024)
    rho: float = param(0.05, "KL target mean activation ρ, in (0, 1)", lo=0.0, hi=0.99, lo_open=True)
    beta: float = param(0.05, "weight β of the KL sparsity penalty", lo=0.0, hi=100.0)
    alpha: float = param(5e-4, "weight α of the L1 penalty on the code", lo=0.0, hi=10.0)
    lam: float = param(1e-4, "weight λ of the L2 penalty on the weights", lo=0.0, hi=10.0)
    epochs: int = param(200, "epochs per model (batches of 256)", lo=1, hi=2000)
    lr: float = param(5e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    seed: int = param(0, "seed of weights and batch order", lo=0, hi=2**31 - 1)

    def weight(self, name: str) -> float:
        return {"none": 0.0, "l1": self.alpha, "kl": self.beta, "l2": self.lam}[name]


def code_stats(H: np.ndarray) -> dict[str, float]:
    """Sparsity numbers of a code matrix H (n, k) with entries in [0, 1]."""
    return {
        "mean_activation": float(H.mean()),
        "fraction_active": float((H > ACTIVE).mean()),
        "dead_units": float((H.max(0) <= ACTIVE).sum()),
    }


def run(cfg: SparseConfig, on_progress=None) -> Result:
    ds = load_dataset(cfg.dataset)
    X = ds.X
    track = Tracker(on_progress)
    mc = ModelConfig(
        input_dim=ds.dim,
        hidden=(),
        latent_dim=cfg.hidden,
        latent_activation="sigmoid",
        output="identity",
    )
    metrics: dict[str, float] = {"rho": cfg.rho}
    models, codes, features = {}, {}, {}
    for name in PENALTY_NAMES:
        penalty = make_penalty(name, cfg.weight(name), rho=cfg.rho)
        model = build_model(mc, penalty=penalty, seed=cfg.seed)
        tc = TrainConfig(epochs=cfg.epochs, batch_size=256, lr=cfg.lr, seed=cfg.seed)
        track.fit(model, X, tc, stage=STAGES[name])
        H = predict(model.encode, X)  # (n, k)
        stats = code_stats(H)
        stats["recon_mse"] = mse(X, predict(model, X))
        stats["weight_norm"] = float(sum(float((W.detach() ** 2).sum()) for W in weight_matrices(model)) ** 0.5)
        for key, value in stats.items():
            metrics[f"{name}_{key}"] = value
        models[name], codes[name] = model, H
        features[name] = model.decoder[0].weight.detach().cpu().numpy().T  # (k, D): unit j's image
    for key in ("mean_activation", "fraction_active", "dead_units", "recon_mse"):
        metrics[key] = metrics[f"{cfg.penalty}_{key}"]
    rho_hat = torch.as_tensor(codes["kl"].mean(0), dtype=torch.float64)
    arrays = {
        "X": X,
        "labels": ds.y,
        "codes": codes,
        "features": features,
        "image_shape": ds.image_shape,
        "unit_kl": kl_bernoulli(cfg.rho, rho_hat).numpy(),
    }
    return track.result(metrics, arrays=arrays, models=models)


EXPERIMENTS = [
    Experiment(
        "sparse",
        SparseConfig,
        run,
        "Sparse autoencoders",
        budget_s=30,
        stages=tuple(STAGES.values()),
        codes=lambda a: {f"penalty_{k}": (v, a["labels"]) for k, v in a["codes"].items()},
        claims=(
            Claim(
                "kl_hits_rho",
                "under penalty=kl, |mean activation − ρ| ≤ 0.02",
                lambda m: abs(m["kl_mean_activation"] - m["rho"]) <= 0.02,
            ),
            Claim(
                "l1_sparser",
                "fraction_active under l1 ≤ 0.5 · fraction_active under none",
                lambda m: m["l1_fraction_active"] <= 0.5 * m["none_fraction_active"],
            ),
            Claim(
                "kl_sparser",
                "fraction_active under kl ≤ 0.5 · fraction_active under none",
                lambda m: m["kl_fraction_active"] <= 0.5 * m["none_fraction_active"],
            ),
        ),
    )
]
