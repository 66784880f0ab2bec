"""Generated images scored the way the field scores them, in a classifier's feature space.

Feature space: the penultimate layer φ(x) = ReLU(W₁x + b₁) of a small digit classifier
(one hidden layer, trained once per data set through ``aecore.train.fit`` on 75 % of the
labelled rows; cached). Its softmax also gives the confidence and the predicted class.

The manifold of a set Φ = {φ_i} is the union of balls B(φ_i, r_k(φ_i)), r_k the distance
to the k-th nearest other member of Φ (k = 3, as in both papers):

    precision = share of generated φ(x̃) inside the real features' manifold
    recall    = share of real φ(x) inside the generated features' manifold
                (Kynkäänniemi, Karras, Laine, Lehtinen & Aila 2019)
    density   = mean over generated rows of (number of real balls holding it) / k
    coverage  = share of real balls that hold at least one generated row
                (Naeem, Oh, Uh, Choi & Yoo 2020)
    confidence = mean_i max_c p(c | x̃_i)
    class entropy H = −Σ_c π_c log π_c, π_c the share of samples predicted as class c
                (0: one class only; log C: every class equally often)

What each rewards: precision, decodes that look like some real image, however many are the
same; recall, decodes spread widely (scattered outliers inflate it: their own balls are
large); coverage, decodes near many different real images (neither repeats nor outliers
raise it); confidence, clear prototypical digits; class entropy, decodes spread over the
classes, whatever they look like.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch
from scipy.spatial.distance import cdist
from torch import nn
from torch.nn import functional as F

from aecore.data.registry import load_dataset
from aecore.models.base import reset_parameters
from aecore.train import TrainConfig, fit, predict

K_NN = 3  # neighbours that set a feature's radius (both papers use k = 3)
FEATURES = 64  # penultimate width of the feature classifier
CLF_STEPS, CLF_BATCH, CLF_LR = 400, 256, 3e-3  # about 400 Adam steps, whatever the data size
CLF_TRAIN = 0.75  # share of the labelled rows the classifier trains on (the rest scores it)


class FeatureNet(nn.Module):
    """x → φ(x) = ReLU(W₁x + b₁) → logits W₂φ + b₂, trained on the cross-entropy (``fit``'s
    target holds the one-hot labels)."""

    def __init__(self, dim: int, classes: int, width: int = FEATURES):
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(dim, width), nn.ReLU())
        self.head = nn.Linear(width, classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:  # (B, D) -> (B, width)
        return self.hidden(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # logits (B, C)
        return self.head(self.hidden(x))

    def training_loss(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(self(x), target)  # one-hot rows: the soft-label form

    def proba(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self(x), 1)


@lru_cache(maxsize=4)
def feature_classifier(dataset: str) -> tuple[FeatureNet | None, float]:
    """(classifier trained on 75 % of the data set's labelled rows, its held-out accuracy),
    or (None, nan) when the data carry fewer than two classes. Cached read-only per data
    set (uploads are named by a hash of their content)."""
    ds = load_dataset(dataset)
    classes = np.unique(ds.y) if ds.y is not None else np.array([])
    if len(classes) < 2:
        return None, float("nan")
    y = np.searchsorted(classes, ds.y)
    order = np.random.default_rng(0).permutation(ds.n)
    cut = int(CLF_TRAIN * ds.n)
    tr, te = order[:cut], order[cut:]
    net = FeatureNet(ds.dim, len(classes))
    reset_parameters(net, torch.Generator().manual_seed(0))
    epochs = max(1, round(CLF_STEPS / np.ceil(cut / CLF_BATCH)))
    onehot = np.eye(len(classes), dtype=np.float32)[y[tr]]
    fit(net, ds.X[tr], TrainConfig(epochs=epochs, batch_size=CLF_BATCH, lr=CLF_LR), target=onehot, stage="classifier")
    for p in net.parameters():
        p.requires_grad_(False)
    acc = float((predict(net, ds.X[te]).argmax(1) == y[te]).mean())
    return net, acc


def knn_radii(feats: np.ndarray, k: int = K_NN) -> np.ndarray:
    """r_k(φ_i): the distance from each row to its k-th nearest other row, (n,)."""
    d = cdist(feats, feats)
    np.fill_diagonal(d, np.inf)
    return np.partition(d, k - 1, axis=1)[:, k - 1]


def precision_recall(real: np.ndarray, gen: np.ndarray, k: int = K_NN) -> tuple[float, float]:
    """Improved precision and recall of ``gen`` against ``real`` (feature rows)."""
    d = cdist(gen, real)  # (n_gen, n_real)
    precision = (d <= knn_radii(real, k)[None, :]).any(1).mean()
    recall = (d <= knn_radii(gen, k)[:, None]).any(0).mean()
    return float(precision), float(recall)


def density_coverage(real: np.ndarray, gen: np.ndarray, k: int = K_NN) -> tuple[float, float]:
    """Density and coverage, both from the real rows' balls only."""
    inside = cdist(gen, real) <= knn_radii(real, k)[None, :]  # (n_gen, n_real)
    return float(inside.sum() / (k * len(gen))), float(inside.any(0).mean())


def class_entropy(pred: np.ndarray, classes: int) -> float:
    """−Σ_c π_c log π_c of the predicted classes, in nats (at most log classes)."""
    pi = np.bincount(pred, minlength=classes) / len(pred)
    pi = pi[pi > 0]
    return float(-(pi * np.log(pi)).sum()) + 0.0  # + 0.0: one class gives 0, not −0


def generation_scores(samples: dict[str, np.ndarray], real: np.ndarray, net: FeatureNet, k: int = K_NN) -> dict:
    """Per generator ``name`` of ``samples``: precision_, recall_, density_, coverage_,
    confidence_ and class_entropy_<name>; ``real`` rows define the real manifold."""
    phi_real = predict(net.features, real)
    classes = net.head.out_features
    out = {}
    for name, s in samples.items():
        phi = predict(net.features, s)
        p, r = precision_recall(phi_real, phi, k)
        dens, cov = density_coverage(phi_real, phi, k)
        prob = predict(net.proba, s)
        out |= {
            f"precision_{name}": p,
            f"recall_{name}": r,
            f"density_{name}": dens,
            f"coverage_{name}": cov,
            f"confidence_{name}": float(prob.max(1).mean()),
            f"class_entropy_{name}": class_entropy(prob.argmax(1), classes),
        }
    return out


def mean_confidence(images: np.ndarray, net: FeatureNet | None) -> float:
    """The classifier's mean top-class probability on ``images`` (nan without a classifier)."""
    return float(predict(net.proba, images).max(1).mean()) if net is not None else float("nan")
