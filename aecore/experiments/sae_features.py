"""Lesson 9c, ``sae_features``: a sparse autoencoder reads a classifier's hidden layer.

A scaled-down version of the SAEs trained on vision-transformer activations: a small MLP
classifier x → a = ReLU(W₁x + b₁) → logits = W₂a + b₂ learns the digits; an SAE with
``expansion`` × d features (``aecore.models.sae``, top-k or L1) is trained on its activations a.
Reported: explained variance 1 − Σ‖a − â‖² / Σ‖a − ā‖² on held-out digits, L0 (mean
active features per input), the dead fraction (features that never fire on any digit),
and per feature its top-activating digits, activation histogram and logit effect W₂ d_j.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from aecore.config import Config, ConfigError, param
from aecore.data import load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models.base import reset_parameters
from aecore.models.sae import SparseAutoencoder, dead_fraction, explained_variance, feature_stats, l0
from aecore.train import ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml).
CLASSIFIER, SAE = "classifier", "sae"


@dataclass(frozen=True)
class SAEConfig(Config):
    hidden: int = param(64, "classifier hidden width d (the activations the SAE reads)", lo=8, hi=256)
    clf_epochs: int = param(60, "classifier epochs (batches of 128)", lo=1, hi=1000)
    expansion: int = param(4, "dictionary size m = expansion × d", lo=1, hi=16)
    sparsity: str = param("topk", "how sparsity is enforced", choices=("topk", "l1"))
    k: int = param(16, "active features per input (top-k)", lo=1, hi=256)
    l1: float = param(3e-3, "L1 coefficient (L1 sparsity)", lo=0.0, hi=10.0)
    aux_coef: float = param(0.5, "weight of the AuxK loss that revives dead features (top-k)", lo=0.0, hi=10.0)
    sae_epochs: int = param(200, "SAE epochs (batches of 128)", lo=1, hi=2000)
    seed: int = param(0, "seed of the split, weights and batch order", lo=0, hi=2**31 - 1)

    def check(self) -> None:
        if self.sparsity == "topk" and self.k > self.expansion * self.hidden:
            size = self.expansion * self.hidden
            raise ConfigError(
                f"k={self.k} exceeds the dictionary size {size}.",
                code="k_exceeds_dictionary",
                params=dict(k=self.k, size=size),
            )


def classifier_loss(model: nn.Module, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy; the labels travel through ``fit`` as floats."""
    return F.cross_entropy(model(x), target.long())


def sae_loss(model: SparseAutoencoder, a: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return model.training_loss(a, target)


def run(cfg: SAEConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    ds = load_dataset("digits")
    X, y = ds.X, ds.y
    perm = np.random.default_rng(cfg.seed).permutation(len(X))
    te, tr = np.sort(perm[:400]), perm[400:]
    gen = torch.Generator().manual_seed(cfg.seed)
    clf = nn.Sequential(nn.Linear(X.shape[1], cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, 10))
    reset_parameters(clf, gen)
    track.fit(
        clf,
        X[tr],
        TrainConfig(epochs=cfg.clf_epochs, batch_size=128, lr=3e-3, seed=cfg.seed),
        target=y[tr].astype(np.float32),
        loss_fn=classifier_loss,
        stage=CLASSIFIER,
    )
    acts = predict(lambda x: clf[1](clf[0](x)), X)  # (n, d)
    accuracy = float((predict(clf, X[te]).argmax(1) == y[te]).mean())
    sae = SparseAutoencoder(
        cfg.hidden,
        cfg.expansion * cfg.hidden,
        cfg.sparsity,
        k=cfg.k,
        l1=cfg.l1,
        aux_coef=cfg.aux_coef,
        gen=gen,
    )
    with torch.no_grad():
        sae.b_dec.copy_(torch.from_numpy(acts[tr].mean(0)))
    track.fit(
        sae,
        acts[tr],
        TrainConfig(epochs=cfg.sae_epochs, batch_size=128, lr=3e-3, seed=cfg.seed),
        loss_fn=sae_loss,
        stage=SAE,
    )
    z = predict(sae.encode, acts)  # (n, m)
    recon = predict(sae, acts)
    dirs = sae.decoder_directions().detach().cpu().numpy()  # (d, m)
    head = clf[2].weight.detach().cpu().numpy()  # (10, d)
    with torch.no_grad():  # the classifier fed with the SAE's reconstruction instead of a
        spliced = clf[2](torch.from_numpy(recon)).argmax(1).numpy()
    metrics = {
        "explained_variance": explained_variance(acts[te], recon[te]),
        "l0": l0(z[te]),
        "dead_fraction": dead_fraction(z),
        "dict_size": sae.m,
        "classifier_accuracy": accuracy,
        "spliced_accuracy": float((spliced[te] == y[te]).mean()),
    }
    stats = feature_stats(z, dirs, head)
    arrays = {
        "z": z,
        "X": X,
        "y": y,
        "image_shape": ds.image_shape,
        **stats,
        "class_mean": np.stack([z[y == c].mean(0) for c in range(10)]),
    }  # (10, m)
    return track.result(metrics, arrays=arrays, models={"classifier": clf, "sae": sae})


EXPERIMENTS = [
    Experiment(
        "sae_features",
        SAEConfig,
        run,
        "Sparse autoencoder features of a classifier",
        budget_s=60,
        stages=(CLASSIFIER, SAE),
        claims=(
            Claim("faithful", "explained_variance ≥ 0.8", lambda m: m["explained_variance"] >= 0.8),
            Claim("sparse", "l0 ≤ 0.1 · dict_size", lambda m: m["l0"] <= 0.1 * m["dict_size"]),
            Claim("alive", "dead_fraction ≤ 0.2", lambda m: m["dead_fraction"] <= 0.2),
        ),
    )
]
