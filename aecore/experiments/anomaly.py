"""Lesson 9b, ``anomaly``: anomaly detection by reconstruction error.

Train the base autoencoder only on the *normal* digit classes; an input unlike anything
seen in training is reconstructed badly, so its error s(x) = ‖x − g(f(x))‖² / D serves
as an anomaly score. Over the held-out digits of every class, the ROC curve plots the
true-positive rate against the false-positive rate as the threshold on s falls; its
area (AUC) is the probability that a random anomaly scores above a random normal digit.
PCA with the same code size is the linear reference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aecore.config import Config, ConfigError, param
from aecore.data import load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.sae import roc_auc, roc_curve_points
from aecore.theory import pca_fit
from aecore.train import ProgressFn, TrainConfig, fit, predict

N_SHOW = 8  # best and worst reconstructions shown


@dataclass(frozen=True)
class AnomalyConfig(Config):
    normal_classes: tuple = param(
        (0, 1, 2, 3, 4), "digit classes seen in training (the normal ones)", choices=tuple(range(10))
    )
    latent_dim: int = param(8, "code size k", lo=1, hi=63)
    hidden: int = param(64, "hidden width of encoder and decoder", lo=4, hi=512)
    epochs: int = param(200, "training epochs (batches of 64)", lo=1, hi=2000)
    test_fraction: float = param(0.33, "share of the digits held out for scoring", lo=0.1, hi=0.9)
    seed: int = param(0, "seed of the split, weights and batch order", lo=0, hi=2**31 - 1)

    def check(self) -> None:
        classes = set(self.normal_classes)
        if not classes or not classes <= set(range(10)) or len(classes) == 10:
            raise ConfigError(
                f"normal_classes must name between 1 and 9 digits from 0 to 9, got {self.normal_classes!r}.",
                code="normal_classes",
                params=dict(value=self.normal_classes),
            )


def run(cfg: AnomalyConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    ds = load_dataset("digits")
    X, y = ds.X, ds.y
    perm = np.random.default_rng(cfg.seed).permutation(len(X))
    n_test = int(round(cfg.test_fraction * len(X)))
    te, tr = np.sort(perm[:n_test]), perm[n_test:]
    normal = np.isin(y, cfg.normal_classes)
    Xtr = X[tr][normal[tr]]
    model = build_model(
        ModelConfig(input_dim=X.shape[1], hidden=(cfg.hidden,), latent_dim=cfg.latent_dim, activation="relu"),
        seed=cfg.seed,
    )
    fit(
        model,
        Xtr,
        TrainConfig(epochs=cfg.epochs, batch_size=64, lr=3e-3, seed=cfg.seed),
        on_progress=track,
        stage="autoencoder on normal digits",
    )
    Xte, yte, anomalous = X[te], y[te], ~normal[te]
    recon = predict(model, Xte)
    scores = ((recon - Xte) ** 2).mean(1)
    pca = pca_fit(Xtr)
    pca_scores = ((pca.reconstruct(Xte, cfg.latent_dim) - Xte) ** 2).mean(1)
    fpr, tpr = roc_curve_points(scores, anomalous)
    pfpr, ptpr = roc_curve_points(pca_scores, anomalous)
    order = np.argsort(scores, kind="stable")
    metrics = {
        "roc_auc": roc_auc(scores, anomalous),
        "pca_roc_auc": roc_auc(pca_scores, anomalous),
        "normal_score_mean": float(scores[~anomalous].mean()),
        "anomaly_score_mean": float(scores[anomalous].mean()),
    }
    arrays = {
        "scores": scores,
        "labels": yte,
        "anomalous": anomalous,
        "roc": (fpr, tpr),
        "pca_roc": (pfpr, ptpr),
        "best": order[:N_SHOW],
        "worst": order[::-1][:N_SHOW],
        "X": Xte,
        "recon": recon,
        "image_shape": ds.image_shape,
    }
    return track.result(metrics, arrays=arrays, models={"autoencoder": model})


EXPERIMENTS = [
    Experiment(
        "anomaly",
        AnomalyConfig,
        run,
        "Anomaly detection by reconstruction error",
        budget_s=30,
        claims=(Claim("detects", "roc_auc ≥ 0.9", lambda m: m["roc_auc"] >= 0.9),),
    )
]
