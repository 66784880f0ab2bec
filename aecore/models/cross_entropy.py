"""The base MLP autoencoder trained with the binary cross-entropy instead of the squared error.

With a sigmoid output each x̂_d ∈ (0, 1) is read as the mean of a Bernoulli pixel, and the loss
is its negative log-likelihood averaged over pixels,

    L(x, x̂) = −(1/D) Σ_d [x_d log x̂_d + (1 − x_d) log(1 − x̂_d)],

the cross-entropy loss the slides list beside the squared error for denoising autoencoders
(Vincent et al. 2010, §4.2). It suits data in [0, 1] (grey levels or near-binary pixels); the
targets may be grey, and then the minimum is at x̂ = x but is not zero (the pixels' own entropy).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.nn import functional as F

from aecore.config import param
from aecore.models.base import Autoencoder, ModelConfig


@dataclass(frozen=True)
class CrossEntropyConfig(ModelConfig):
    output: str = param("sigmoid", "non-linearity on x̂: a sigmoid, so x̂ ∈ (0, 1)", choices=("sigmoid",))


class CrossEntropyAutoencoder(Autoencoder):
    """The base autoencoder with a Bernoulli (cross-entropy) reconstruction loss; the output
    is a sigmoid (its config offers nothing else)."""

    config_cls = CrossEntropyConfig

    def training_loss(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """mean BCE(g(f(x)), target) + Ω(x, h); x may be a corrupted copy of target."""
        h = self.encode(x)
        recon = F.binary_cross_entropy(self.decode(h), target)
        return recon + self.penalty(x, h)
