"""Lesson 5, ``sparse``: a large code made sparse by a penalty (Ng, "Sparse autoencoder"
lecture notes, 2011; Goodfellow et al. 2016, §14.2.1).

One hidden layer h = σ(W x + b) (or ReLU, ``code``), a linear decoder, and one of five
penalties through the base model's hook (aecore.penalties): none; L1 on the code
α Σ_j |h_j|; KL sparsity β Σ_j KL(ρ ‖ ρ̂_j) with ρ̂_j the mini-batch mean of unit j
(sigmoid codes only: ρ̂ must be a probability); L2 on the weights λ Σ ‖W‖² (ridge);
L1 on the weights μ Σ |W_ij| (Lasso, the notes' sparse *connections*). All train on the
same data from the same seed; ``penalty`` picks the headline model.

A sigmoid unit is *active* on an input when h_j > 0.1 (a sigmoid is never exactly 0); a
ReLU unit when h_j > 0 (exact zeros). A unit is *dead* when it is active on no input.
Why L1 kills sigmoid units and KL does not: on h ∈ (0, 1), α Σ|h| = α Σ ρ̂_j, whose
gradient in ρ̂_j is the constant α, a pull with no target and no floor; the KL gradient
β(−ρ/ρ̂ + (1 − ρ)/(1 − ρ̂)) diverges as ρ̂ → 0 and pushes a fading unit back towards ρ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore import cost_terms as ct
from aecore.config import Config, ConfigError, param
from aecore.cost import data_size
from aecore.data.registry import image_dataset_names, load_dataset
from aecore.data.steps import auto_lr, epochs_for
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.penalties import kl_bernoulli, kl_sparsity_grad, make_penalty, weight_matrices
from aecore.theory import mse
from aecore.train import TrainConfig, predict

PENALTY_NAMES = ("none", "l1", "kl", "l2", "l1_weights")
CODES = ("sigmoid", "relu")
ACTIVE = {"sigmoid": 0.1, "relu": 0.0}  # an activation above this counts as "on"
BATCH = 256  # rows per step
SMALL_WEIGHT = 1e-3  # |w| below this counts as a pruned connection
# What the page's table sentences count as a difference (aecore.experiments.sparse metrics):
KL_COSTS = 1.1  # the KL model's reconstruction error above this × the plain AE's: KL costs reconstruction
DECODER_GREW = 1.05  # the L1 model's decoder norm above this × the plain AE's: the decoder grew
MOST = 0.5  # a share of small weights above this: most of them
# Stage ids (labels: assets/locales/<lang>/stages.toml): one per penalty.
STAGES = {name: f"penalty_{name}" for name in PENALTY_NAMES}


@dataclass(frozen=True)
class SparseConfig(Config):
    dataset: str = param("digits", "image data set", choices=image_dataset_names)
    code: str = param("sigmoid", "code units: sigmoid (in (0, 1)) or ReLU (exact zeros)", choices=CODES)
    penalty: str = param("kl", "penalty whose numbers are the headline metrics", choices=PENALTY_NAMES)
    hidden: int = param(128, "code units k", lo=1, hi=1024)
    rho: float = param(0.05, "KL target mean activation ρ, in (0, 1)", lo=0.0, hi=0.99, lo_open=True)
    beta: float = param(0.05, "weight β of the KL sparsity penalty", lo=0.0, hi=100.0)
    alpha: float = param(1.5e-3, "weight α of the L1 penalty on the code", lo=0.0, hi=10.0)
    lam: float = param(1e-4, "weight λ of the L2 penalty on the weights", lo=0.0, hi=10.0)
    mu: float = param(2e-5, "weight μ of the L1 penalty on the weights (Lasso)", lo=0.0, hi=10.0)
    epochs: int = param(
        0,
        "epochs per model (batches of {batch}); 0 = automatic, about {steps} steps",
        lo=0,
        hi=2000,
        auto_steps=1600,  # 200 epochs on the 8×8 digits
        batch=BATCH,
    )
    lr: float = param(
        0.0, "initial learning rate (Adam, cosine decay); 0 = automatic, 5e-3 × √(64/D) for D inputs", lo=0.0, hi=1.0
    )
    seed: int = param(0, "seed of weights and batch order", lo=0, hi=2**31 - 1)

    def check(self) -> None:
        if self.penalty == "kl" and self.code != "sigmoid":
            raise ConfigError(
                "KL sparsity needs sigmoid codes (ρ̂ must be a probability); pick another penalty or sigmoid codes.",
                code="kl_needs_sigmoid",
            )

    def weight(self, name: str) -> float:
        return {"none": 0.0, "l1": self.alpha, "kl": self.beta, "l2": self.lam, "l1_weights": self.mu}[name]

    def penalties(self) -> tuple[str, ...]:
        """The penalties trained: all five, less KL on ReLU codes."""
        return tuple(p for p in PENALTY_NAMES if p != "kl" or self.code == "sigmoid")


def code_stats(H: np.ndarray, active: float = ACTIVE["sigmoid"]) -> dict[str, float]:
    """Sparsity numbers of a code matrix H (n, k): 'on' means h > ``active``."""
    return {
        "mean_activation": float(H.mean()),
        "fraction_active": float((H > active).mean()),
        "dead_units": float((H.max(0) <= active).sum()),
        "zero_fraction": float((H == 0).mean()),
    }


def weight_stats(model) -> dict[str, float]:
    """‖W_enc‖_F, ‖W_dec‖_F, their joint norm and the share of weights below SMALL_WEIGHT."""
    W_enc, W_dec = (m.detach().cpu().numpy() for m in weight_matrices(model))
    both = np.concatenate([W_enc.ravel(), W_dec.ravel()])
    return {
        "w_enc": float(np.linalg.norm(W_enc)),
        "w_dec": float(np.linalg.norm(W_dec)),
        "weight_norm": float(np.linalg.norm(both)),
        "small_weights": float((np.abs(both) < SMALL_WEIGHT).mean()),
    }


def kl_gradient_check(rho: float, rho_hat: np.ndarray, beta: float) -> float:
    """Largest gap between the closed-form KL gradient and autograd at the values ρ̂,
    relative to the largest gradient (at ρ̂ = ρ the gradient itself is 0)."""
    q = torch.tensor(np.clip(rho_hat, 1e-6, 1 - 1e-6), dtype=torch.float64, requires_grad=True)
    (beta * kl_bernoulli(rho, q).sum()).backward()
    closed = kl_sparsity_grad(rho, q.detach(), beta)
    return float((closed - q.grad).abs().max() / closed.abs().max().clamp_min(1e-300))


def kl_batch_penalty(H: np.ndarray, rho: float, seed: int) -> float:
    """Σ_j KL(ρ ‖ ρ̂_j) with ρ̂ taken, as in training, over shuffled mini-batches; the mean over one epoch."""
    order = np.random.default_rng(seed).permutation(len(H))
    vals = [
        kl_bernoulli(rho, torch.as_tensor(H[order[i : i + BATCH]].mean(0), dtype=torch.float64)).sum()
        for i in range(0, len(H), BATCH)
    ]
    return float(torch.stack(vals).mean())


def run(cfg: SparseConfig, on_progress=None) -> Result:
    ds = load_dataset(cfg.dataset)
    X, track = ds.X, Tracker(on_progress)
    epochs = epochs_for(cfg, "epochs", ds.n)
    lr = auto_lr(cfg.lr, ds.dim, 5e-3)
    tc = TrainConfig(epochs=epochs, batch_size=BATCH, lr=lr, seed=cfg.seed)
    metrics: dict[str, float] = {
        "rho": cfg.rho,
        "epochs_run": epochs,
        "lr_used": lr,
        "hidden": cfg.hidden,
        "input_dim": ds.dim,
    }
    models, codes, features = {}, {}, {}
    for name in cfg.penalties():
        code = "sigmoid" if name == "kl" else cfg.code
        mc = ModelConfig(input_dim=ds.dim, hidden=(), latent_dim=cfg.hidden, latent_activation=code)
        model = build_model(mc, penalty=make_penalty(name, cfg.weight(name), rho=cfg.rho), seed=cfg.seed)
        track.fit(model, X, tc, stage=STAGES[name])
        H = predict(model.encode, X)  # (n, k)
        stats = {**code_stats(H, ACTIVE[code]), **weight_stats(model), "recon_mse": mse(X, predict(model, X))}
        metrics.update({f"{name}_{key}": value for key, value in stats.items()})
        models[name], codes[name] = model, H
        features[name] = model.decoder[0].weight.detach().cpu().numpy().T  # (k, D): unit j's image
    for key in ("mean_activation", "fraction_active", "dead_units", "recon_mse"):
        metrics[key] = metrics[f"{cfg.penalty}_{key}"]
    arrays = {"X": X, "labels": ds.y, "codes": codes, "features": features, "image_shape": ds.image_shape}
    if "kl" in codes:
        rho_hat = codes["kl"].astype(np.float64).mean(0)
        arrays["unit_kl"] = kl_bernoulli(cfg.rho, torch.as_tensor(rho_hat)).numpy()
        metrics["kl_grad_rel_error"] = kl_gradient_check(cfg.rho, rho_hat, cfg.beta)
        metrics["kl_penalty_full"] = float(arrays["unit_kl"].sum())
        metrics["kl_penalty_batch"] = kl_batch_penalty(codes["kl"], cfg.rho, cfg.seed)
    return track.result(metrics, arrays=arrays, models=models)


def cost_of(cfg: SparseConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): one model per penalty, each trained as the
    ``epochs`` budget says, then encoded and scored on every row."""
    n, d = data_size(cfg.dataset)
    net = ct.autoencoder(d, (), cfg.hidden)
    models = len(cfg.penalties())
    train = ct.stage(cfg, "epochs", n, net, models, extra=ct.T_CORRUPT)  # every penalty but one: a step's extra
    return {"epochs": train + models * ct.predict(2 * n, net)}


def _has_kl(m: dict[str, float]) -> bool:
    return "kl_mean_activation" in m


def _numbers(m) -> dict[str, float]:
    numbers = {"mean": m["kl_mean_activation"], "rho": m["rho"], "beta": m["beta"], "alpha": m["alpha"]}
    numbers |= {"l1": 100 * m["l1_fraction_active"], "none": 100 * m["none_fraction_active"]}
    return numbers | {"epochs": m["epochs_run"], "off": abs(m["kl_mean_activation"] - m["rho"])}


def _why_kl(m) -> tuple[str, dict[str, float]]:
    return "why.kl_off", _numbers(m)


def _why_share(m, penalty: str) -> tuple[str, dict[str, float]]:
    """Too many codes on: the KL penalty met a target that allows them (its mean activation is
    at ρ), or the penalty has not pushed the code down in this run."""
    numbers = (
        _numbers(m) | {"kl": 100 * m["kl_fraction_active"], "on": ACTIVE["sigmoid"]} if penalty == "kl" else _numbers(m)
    )
    if penalty == "kl" and abs(m["kl_mean_activation"] - m["rho"]) <= 0.02:
        return "why.kl_target_allows", numbers
    return f"why.{penalty}_weak", numbers


EXPERIMENTS = [
    Experiment(
        "sparse",
        SparseConfig,
        run,
        "Sparse autoencoders",
        budget_s=30,
        cost=cost_of,
        stages=tuple(STAGES.values()),
        codes=lambda a: {f"penalty_{k}": (v, a["labels"]) for k, v in a["codes"].items()},
        claims=(
            Claim.within(
                "kl_hits_rho",
                "kl_mean_activation",
                "rho",
                0.02,
                note="(under penalty=kl)",
                applies=_has_kl,
                why=_why_kl,
            ),
            Claim.ratio_at_most(
                "l1_sparser", "l1_fraction_active", "none_fraction_active", 0.5, why=lambda m: _why_share(m, "l1")
            ),
            Claim.ratio_at_most(
                "kl_sparser",
                "kl_fraction_active",
                "none_fraction_active",
                0.5,
                applies=_has_kl,
                why=lambda m: _why_share(m, "kl"),
            ),
        ),
    )
]
