"""Sparse autoencoders over a network's activations, and the tools to read their features.

A sparse autoencoder (SAE) rewrites an activation vector a ∈ ℝᵈ as a sparse, non-negative
combination of m = expansion·d learned directions (the dictionary):

    z = TopK(W_e (a − b_d) + b_e)   or   z = ReLU(W_e (a − b_d) + b_e) with an L1 penalty,
    â = W_d z + b_d,   columns of W_d kept at unit norm.

Top-k follows Gao et al. (2024, "Scaling and evaluating sparse autoencoders"), with their
remedies against dead features: the encoder initialised as the decoder's transpose and
an auxiliary loss (AuxK) that asks the k_aux most active *dead* features to reconstruct
the residual a − â. The L1 variant follows Bricken et al. (2023). The features are read as
Cunningham et al. (2023) and the ViT-SAE work do: top-activating inputs, the histogram of
activations, and the direct effect of a feature's decoder direction on the class logits.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

DEAD_AFTER_STEPS = 10  # a feature that has not fired for this many steps counts as dead


class SparseAutoencoder(nn.Module):
    def __init__(
        self,
        d: int,
        m: int,
        sparsity: str = "topk",
        k: int = 8,
        l1: float = 1e-3,
        k_aux: int = 32,
        aux_coef: float = 1 / 32,
        gen: torch.Generator | None = None,
    ):
        super().__init__()
        self.d, self.m, self.sparsity, self.k, self.l1 = d, m, sparsity, k, l1
        self.k_aux, self.aux_coef = k_aux, aux_coef
        w = torch.randn(d, m, generator=gen)
        w = w / w.norm(dim=0, keepdim=True)  # (d, m) unit columns
        self.W_dec = nn.Parameter(w)
        self.W_enc = nn.Parameter(w.T.clone())  # (m, d) tied at init
        self.b_enc = nn.Parameter(torch.zeros(m))
        self.b_dec = nn.Parameter(torch.zeros(d))
        self.register_buffer("since_fired", torch.zeros(m, dtype=torch.long))

    def decoder_directions(self) -> torch.Tensor:  # (d, m), unit columns
        return self.W_dec / self.W_dec.norm(dim=0, keepdim=True).clamp_min(1e-8)

    def pre_acts(self, a: torch.Tensor) -> torch.Tensor:  # (B, d) -> (B, m)
        return (a - self.b_dec) @ self.W_enc.T + self.b_enc

    def activate(self, pre: torch.Tensor) -> torch.Tensor:
        if self.sparsity == "topk":
            vals, idx = pre.topk(self.k, dim=1)
            return torch.zeros_like(pre).scatter(1, idx, F.relu(vals))
        return F.relu(pre)

    def encode(self, a: torch.Tensor) -> torch.Tensor:
        return self.activate(self.pre_acts(a))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return z @ self.decoder_directions().T + self.b_dec

    def forward(self, a: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(a))

    def training_loss(self, a: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """Normalised MSE + (L1 of z, or AuxK on the dead features)."""
        pre = self.pre_acts(a)
        z = self.activate(pre)
        recon = self.decode(z)
        scale = (target - target.mean(0)).pow(2).sum(1).mean().clamp_min(1e-8)
        loss = (recon - target).pow(2).sum(1).mean() / scale
        with torch.no_grad():
            fired = (z > 0).any(0)
            self.since_fired += 1
            self.since_fired[fired] = 0
        if self.sparsity == "l1":
            return loss + self.l1 * z.sum(1).mean()
        dead = self.since_fired > DEAD_AFTER_STEPS
        if dead.any():
            k_aux = min(self.k_aux, int(dead.sum()))
            masked = pre.masked_fill(~dead, float("-inf"))
            vals, idx = masked.topk(k_aux, dim=1)
            z_aux = torch.zeros_like(pre).scatter(1, idx, F.relu(vals))
            resid = (target - recon).detach()
            aux = (z_aux @ self.decoder_directions().T - resid).pow(2).sum(1).mean() / scale
            loss = loss + self.aux_coef * torch.nan_to_num(aux)
        return loss


def explained_variance(a: np.ndarray, a_hat: np.ndarray) -> float:
    """1 − Σ‖a − â‖² / Σ‖a − ā‖² over all inputs and dimensions."""
    a, a_hat = np.asarray(a, float), np.asarray(a_hat, float)
    return float(1 - ((a - a_hat) ** 2).sum() / ((a - a.mean(0)) ** 2).sum())


def l0(z: np.ndarray) -> float:
    """Mean number of non-zero features per input."""
    return float((np.asarray(z) > 0).sum(1).mean())


def dead_fraction(z: np.ndarray) -> float:
    """Fraction of features that never fire on any input of ``z``."""
    return float(1 - (np.asarray(z) > 0).any(0).mean())


def feature_stats(z: np.ndarray, dec_dirs: np.ndarray, head_weight: np.ndarray, top: int = 12) -> dict[str, np.ndarray]:
    """Per feature: firing frequency, mean activation when on, top inputs, logit effect.

    ``logit_effect[j] = W_head @ d_j``: how the class logits move per unit activation of
    feature j (exact for a linear head on the activations)."""
    freq = (z > 0).mean(0)
    on_mean = np.where(freq > 0, z.sum(0) / np.maximum((z > 0).sum(0), 1), 0.0)
    top_idx = np.argsort(-z, axis=0, kind="stable")[:top].T  # (m, top)
    return {
        "freq": freq,
        "on_mean": on_mean,
        "top_idx": top_idx,
        "logit_effect": (head_weight @ dec_dirs).T,
    }  # (m, classes)
