"""Probes of a trained autoencoder r(x) = g_φ(f_θ(x)): what it copies, and what its units
respond to at each depth.

Copying (Goodfellow, Bengio & Courville 2016, §14.1): an overcomplete code can learn
r(x) ≈ x. A training error cannot show it; a small change δ to an unseen input can:
the share of δ that reaches the output, 1 − ‖r(x + δ) − r(x) − δ‖² / ‖δ‖², is 1 for
the identity and at most about k/d for a k-dimensional code. Measured separately for
changes inside the span of the data's top principal directions (those holding 99 % of
the training variance) and outside it, it shows *what* a model copies: the directions
the data varies in, not the others, since training never showed it any other.

Hierarchical features (Bengio, Courville & Vincent 2013; Tschannen, Bachem & Lucic
2018): for each unit of each encoder layer, the mean of its top-activating inputs, and
how often those inputs share a label ("purity") as a rough measure of abstraction.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from aecore.theory import PCAFit
from aecore.train import as_tensor, predict

VARIANCE_KEPT = 0.99
PERTURBATION_RMS = 0.05  # per feature; small enough that every model here is near-linear


def data_directions(pca: PCAFit, kept: float = VARIANCE_KEPT) -> int:
    """The number r of principal directions that hold ``kept`` of the training variance
    (at most D − 1, so that some direction is always left outside)."""
    total = pca.eigvals.sum()
    if total <= 0:
        return 0
    return int(min(np.searchsorted(np.cumsum(pca.eigvals) / total, kept) + 1, pca.eigvals.size - 1))


def copy_share(model: Callable, X: np.ndarray, basis: np.ndarray, seed: int, rms: float = PERTURBATION_RMS) -> float:
    """Share of a random change δ within span(basis) that passes through ``model``:
    1 − ‖r(x+δ) − r(x) − δ‖² / ‖δ‖², summed over the rows of X (float64)."""
    if basis.shape[1] == 0:
        return float("nan")
    rng = np.random.default_rng(seed)
    delta = rng.standard_normal((X.shape[0], basis.shape[1])) @ basis.T  # (n, D) inside the span
    delta *= rms / np.sqrt(np.mean(delta**2))
    X64 = np.asarray(X, np.float64)
    moved = predict(model, (X64 + delta).astype(np.float32)).astype(np.float64)
    still = predict(model, X64.astype(np.float32)).astype(np.float64)
    return float(1 - np.sum((moved - still - delta) ** 2) / np.sum(delta**2))


def layer_activations(encoder: nn.Sequential, X: np.ndarray) -> list[np.ndarray]:
    """The output of every non-linearity of ``encoder`` (hidden layers, then the code)."""
    out, h = [], as_tensor(X)
    with torch.no_grad():
        for layer in encoder:
            h = layer(h)
            if not isinstance(layer, nn.Linear):
                out.append(h.float().cpu().numpy())
    return out


def top_inputs(acts: np.ndarray, X: np.ndarray, units: int = 8, top: int = 16) -> np.ndarray:
    """Mean of the ``top`` inputs that drive each of the ``units`` most variable units
    hardest: (units, D), one "what this unit responds to" image per unit."""
    order = np.argsort(-acts.std(0))[:units]
    best = np.argsort(-acts[:, order], axis=0)[:top]  # (top, units) row indices
    return np.stack([X[best[:, j]].mean(0) for j in range(len(order))])


def purity(acts: np.ndarray, labels: np.ndarray, top: int = 20) -> float:
    """Mean over live units of the share of the commonest label among a unit's ``top``
    most activating inputs (1/classes for a unit blind to labels, 1 for a one-class unit)."""
    alive = acts.std(0) > 1e-6
    if not alive.any():
        return float("nan")
    best = np.argsort(-acts[:, alive], axis=0)[:top]  # (top, live units)
    counts = [np.bincount(labels[best[:, j]]).max() for j in range(best.shape[1])]
    return float(np.mean(counts) / min(top, len(labels)))


def hierarchy(encoder: nn.Sequential, X: np.ndarray, y: np.ndarray) -> tuple[dict, list[np.ndarray]]:
    """Per encoder layer: the label purity of its units' top inputs (when there are
    labels), and what its 8 most variable units respond to (mean top-16 inputs)."""
    acts = layer_activations(encoder, X)
    metrics = {}
    if len(np.unique(y)) > 1:
        metrics = {f"purity_layer_{i + 1}": purity(a, y) for i, a in enumerate(acts)}
    return metrics, [top_inputs(a, X) for a in acts]
