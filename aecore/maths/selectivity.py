"""How much a unit (a neuron or an SAE feature) prefers one class: the class selectivity index.

Morcos et al. (2018, "On the importance of single directions for generalization"): for a unit
with non-negative activations z ≥ 0 and class-conditional means μ_c = mean{z(x) : x in class c},

    selectivity = (μ_max − μ_rest) / (μ_max + μ_rest),   μ_rest = mean of μ_c over the other classes,

0 when the unit responds equally to every class, 1 when it responds to one class only. The
network-level number here averages the live units weighted by how often each fires, so a
feature that fires on two inputs by chance cannot inflate the mean.
"""

from __future__ import annotations

import numpy as np


def class_selectivity(z: np.ndarray, y: np.ndarray, n_classes: int) -> np.ndarray:
    """Selectivity of each column of z (n, m) ≥ 0 given labels y in 0..n_classes−1; NaN for
    a unit that never fires. Needs at least two classes."""
    z = np.asarray(z, np.float64)
    mu = np.stack([z[y == c].mean(0) if np.any(y == c) else np.zeros(z.shape[1]) for c in range(n_classes)])
    top = mu.max(0)  # (m,)
    rest = (mu.sum(0) - top) / (n_classes - 1)
    live = (z > 0).any(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(live, (top - rest) / (top + rest), np.nan)


def mean_selectivity(z: np.ndarray, y: np.ndarray, n_classes: int) -> float:
    """Frequency-weighted mean selectivity over the live units: Σ_j f_j s_j / Σ_j f_j with
    f_j the share of inputs on which unit j is active (> 0)."""
    s = class_selectivity(z, y, n_classes)
    freq = (np.asarray(z) > 0).mean(0)
    live = ~np.isnan(s)
    return float((s[live] * freq[live]).sum() / freq[live].sum()) if live.any() else 0.0
