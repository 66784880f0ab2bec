"""Lesson 9c, ``sae_features``: a sparse autoencoder reads a classifier's hidden layer.

A scaled-down version of the SAE that Stevens et al. (2025) trained on a vision transformer
(CLIP ViT-B/16, layer 11, 768 → 24 576 features): a small MLP classifier
x → a = ReLU(W₁x + b₁) → logits = W₂a + b₂ learns the classes of the chosen image data; an SAE
with m = ``expansion`` × d features (``aecore.models.sae``, top-k or L1) is trained on its activations a.
Reported: explained variance 1 − Σ‖a − â‖² / Σ‖a − ā‖² on held-out images, L0 (mean active
features per input), the dead fraction, and the class selectivity (Morcos et al. 2018,
``aecore.maths.selectivity``) of the features against that of the classifier's own neurons, of the
neurons' axes read by the SAE's own code rule (the claim's baseline: a raw neuron is neither
centred nor sparse, so beating it is no test) and of the same SAE before training (which
separates what the reading gives from what learning gives).
Per feature: its top-activating images, activation histogram and logit effect W₂ d_j.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from aecore import cost_terms as ct
from aecore.config import Config, ConfigError, param
from aecore.cost import data_size
from aecore.data.registry import class_labels, image_dataset_names, load_dataset
from aecore.data.steps import epochs_for
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.maths.selectivity import mean_selectivity
from aecore.models.base import reset_parameters
from aecore.models.sae import SparseAutoencoder, dead_fraction, explained_variance, feature_stats, l0
from aecore.train import ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml).
CLASSIFIER, SAE = "classifier", "sae"

BATCH, TEST_SHARE, MAX_DICT = 128, 0.2, 4096
SAE_UNITS, READ_PASSES = 6, 12  # element-wise passes over the features: per SAE step, and reading the codes
T_SAE_STEP = 3e-3  # s an SAE step spends beyond its two layers (top-k, AuxK, decoder norms; measured)


@dataclass(frozen=True)
class SAEConfig(Config):
    dataset: str = param("digits", "image data set with class labels", choices=image_dataset_names)
    hidden: int = param(64, "classifier hidden width d (the activations the SAE reads)", lo=8, hi=256)
    clf_steps: int = param(700, "classifier training steps (batches of {batch})", lo=10, hi=20000, batch=BATCH)
    expansion: int = param(4, "dictionary size m = expansion × d (the slides' study used 32)", lo=1, hi=32)
    sparsity: str = param("topk", "how sparsity is enforced", choices=("topk", "l1"))
    k: int = param(16, "active features per input (top-k)", lo=1, hi=256)
    l1: float = param(3e-3, "L1 coefficient (L1 sparsity)", lo=0.0, hi=10.0)
    aux_coef: float = param(0.5, "weight of the AuxK loss that revives dead features (top-k)", lo=0.0, hi=10.0)
    sae_steps: int = param(2200, "SAE training steps (batches of {batch})", lo=10, hi=50000, batch=BATCH)
    seed: int = param(0, "seed of the split, weights and batch order", lo=0, hi=2**31 - 1)

    def check(self) -> None:
        size = self.expansion * self.hidden
        if size > MAX_DICT:
            raise ConfigError(
                f"the dictionary would have {size} features; at most {MAX_DICT}: lower the expansion or the width.",
                code="dictionary_too_large",
                params=dict(size=size, max=MAX_DICT),
            )
        if self.sparsity == "topk" and self.k > size:
            raise ConfigError(
                f"k={self.k} exceeds the dictionary size {size}.",
                code="k_exceeds_dictionary",
                params=dict(k=self.k, size=size),
            )


def cost(cfg: SAEConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): both step budgets (an SAE step also ranks
    its m = expansion × d features for top-k and AuxK: ``SAE_UNITS`` element-wise passes and
    ``T_SAE_STEP`` of overhead),
    then every row's code (n × m) read ``READ_PASSES`` times for the metrics and figures."""
    n, d = data_size(cfg.dataset)
    m, tr = cfg.expansion * cfg.hidden, n - round(TEST_SHARE * n)
    clf = ct.stage(cfg, "clf_steps", tr, ct.mlp([d, cfg.hidden, 10]))
    weights, units, layers = ct.mlp([cfg.hidden, m, cfg.hidden])
    sae = ct.stage(cfg, "sae_steps", tr, (weights, units + SAE_UNITS * m, layers), extra=T_SAE_STEP)
    read = n * m * READ_PASSES * ct.T_NUMPY + ct.predict(3 * n, (weights, units, layers))
    return {"clf_steps": clf, "sae_steps": sae, "expansion": read}


def classifier_loss(model: nn.Module, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy; the labels travel through ``fit`` as floats."""
    return F.cross_entropy(model(x), target.long())


def sae_loss(model: SparseAutoencoder, a: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return model.training_loss(a, target)


def _classifier(cfg: SAEConfig, X, y, n_classes, tr, gen, track: Tracker) -> nn.Sequential:
    clf = nn.Sequential(nn.Linear(X.shape[1], cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, n_classes))
    reset_parameters(clf, gen)
    epochs = epochs_for(cfg, "clf_steps", len(tr))
    train = TrainConfig(epochs=epochs, batch_size=BATCH, lr=3e-3, seed=cfg.seed)
    target = y[tr].astype(np.float32)
    track.fit(clf, X[tr], train, target=target, loss_fn=classifier_loss, stage=CLASSIFIER)
    return clf


def _sae(cfg: SAEConfig, acts: np.ndarray, tr, gen) -> SparseAutoencoder:
    sae = SparseAutoencoder(
        cfg.hidden, cfg.expansion * cfg.hidden, cfg.sparsity, k=cfg.k, l1=cfg.l1, aux_coef=cfg.aux_coef, gen=gen
    )
    with torch.no_grad():
        sae.b_dec.copy_(torch.from_numpy(acts[tr].mean(0)))
    return sae


def neuron_axes_code(cfg: SAEConfig, acts: np.ndarray, tr) -> np.ndarray:
    """The SAE's own code rule on a fixed dictionary of the neuron axes ±e_i (2d features):
    each neuron's deviation from its mean, split into its positive and negative part, with the
    same top-k (k capped at 2d) or ReLU. The fair "neurons" baseline for the learned directions."""
    d = acts.shape[1]
    axes = SparseAutoencoder(d, 2 * d, cfg.sparsity, k=min(cfg.k, 2 * d))
    with torch.no_grad():
        eye = torch.eye(d)
        axes.W_dec.copy_(torch.cat([eye, -eye], 1))  # (d, 2d)
        axes.W_enc.copy_(axes.W_dec.T)
        axes.b_dec.copy_(torch.from_numpy(acts[tr].mean(0)))
    return predict(axes.encode, acts)  # (n, 2d)


def sparse_columns(z: np.ndarray) -> dict[str, np.ndarray]:
    """z (n, m) by columns, keeping only the non-zeros: column j is rows[ptr[j]:ptr[j+1]] with
    values vals[...]. A top-k code of 10 000 inputs × 2 048 features is 0.8 % of its dense size."""
    feat, rows = np.nonzero(z.T)  # sorted by feature, then row
    ptr = np.searchsorted(feat, np.arange(z.shape[1] + 1))
    return {"ptr": ptr, "rows": rows.astype(np.int64), "vals": z.T[feat, rows].astype(np.float32)}


def feature_column(cols: dict[str, np.ndarray], j: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, activations) where feature j fires."""
    lo, hi = int(cols["ptr"][j]), int(cols["ptr"][j + 1])
    return cols["rows"][lo:hi], cols["vals"][lo:hi]


def run(cfg: SAEConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    ds = load_dataset(cfg.dataset)
    classes, y = class_labels(ds)
    X, C = ds.X, len(classes)
    perm = np.random.default_rng(cfg.seed).permutation(len(X))
    n_test = int(round(TEST_SHARE * len(X)))
    te, tr = np.sort(perm[:n_test]), perm[n_test:]
    gen = torch.Generator().manual_seed(cfg.seed)
    clf = _classifier(cfg, X, y, C, tr, gen, track)
    acts = predict(lambda x: clf[1](clf[0](x)), X)  # (n, d)
    sae = _sae(cfg, acts, tr, gen)
    z0, recon0 = predict(sae.encode, acts), predict(sae, acts)  # the same SAE before training
    train = TrainConfig(epochs=epochs_for(cfg, "sae_steps", len(tr)), batch_size=BATCH, lr=3e-3, seed=cfg.seed)
    track.fit(sae, acts[tr], train, loss_fn=sae_loss, stage=SAE)
    z, recon = predict(sae.encode, acts), predict(sae, acts)  # (n, m), (n, d)
    dirs = sae.decoder_directions().detach().cpu().numpy()  # (d, m)
    head = clf[2].weight.detach().cpu().numpy()  # (C, d)
    with torch.no_grad():  # the classifier fed with the SAE's reconstruction instead of a
        spliced = clf[2](torch.from_numpy(recon)).argmax(1).numpy()
    metrics = {
        "explained_variance": explained_variance(acts[te], recon[te]),
        "l0": l0(z[te]),
        "dead_fraction": dead_fraction(z),
        "dict_size": sae.m,
        "classifier_accuracy": float((predict(clf, X[te]).argmax(1) == y[te]).mean()),
        "spliced_accuracy": float((spliced[te] == y[te]).mean()),
        "feature_selectivity": mean_selectivity(z, y, C),
        "neuron_selectivity": mean_selectivity(acts, y, C),
        "untrained_selectivity": mean_selectivity(z0, y, C),
        "axes_selectivity": mean_selectivity(neuron_axes_code(cfg, acts, tr), y, C),
        "untrained_explained_variance": explained_variance(acts[te], recon0[te]),
    }
    stats = feature_stats(z, dirs, head)
    arrays = {
        "cols": sparse_columns(z),
        "m": sae.m,
        "classes": classes,
        "X": X,
        "y": y,
        "image_shape": ds.image_shape,
        **stats,
        "class_mean": np.stack([z[y == c].mean(0) for c in range(C)]),  # (C, m)
    }
    return track.result(metrics, arrays=arrays, models={"classifier": clf, "sae": sae})


def _numbers(m) -> dict[str, float]:
    keys = dict(ev="explained_variance", ev0="untrained_explained_variance", l0="l0", m="dict_size")
    keys |= dict(features="feature_selectivity", axes="axes_selectivity", untrained="untrained_selectivity")
    numbers = {w: m[k] for w, k in keys.items()}
    return numbers | {"steps": m["sae_steps"], "dead": round(m["dead_fraction"] * m["dict_size"]), "d": m["hidden"]}


def why_dead(m) -> tuple[str, dict[str, float]]:
    """Dead features: under L1 nothing revives a feature whose input is negative everywhere;
    under top-k without AuxK nothing revives one that left the k largest; else the size."""
    cause = "l1" if m["sparsity"] == "l1" else ("noaux" if m["aux_coef"] == 0 else "size")
    return f"dead_note_{cause}", _numbers(m)


EXPERIMENTS = [
    Experiment(
        "sae_features",
        SAEConfig,
        run,
        "Sparse autoencoder features of a classifier",
        budget_s=60,
        cost=cost,
        stages=(CLASSIFIER, SAE),
        claims=(
            Claim.at_least("faithful", "explained_variance", 0.8, why=lambda m: ("why.faithful", _numbers(m))),
            # against the fair baseline: the neurons' axes under the same code rule
            Claim.greater(
                "selective", "feature_selectivity", "axes_selectivity", why=lambda m: ("why.selective", _numbers(m))
            ),
            Claim.at_most("alive", "dead_fraction", 0.2, why=why_dead),
        ),
    )
]
