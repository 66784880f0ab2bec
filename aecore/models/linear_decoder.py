"""A non-linear encoder with a linear decoder: h = f_θ(x) (an MLP), x̂ = W h + b.

The slides' case "linear decoder + squared error" (lesson 2): every reconstruction lies in
the k-dimensional affine subspace b + span(W), so no encoder, however non-linear, can do
better than the orthogonal projection onto the best such subspace, which is PCA's
(Eckart & Young 1936): its error is at least Σ_{i>k} λ_i / D, and at that error span(W) is
the top-k principal subspace (when λ_k > λ_{k+1}).
"""

from __future__ import annotations

from torch import nn

from aecore.models.base import Autoencoder, ModelConfig, Penalty


class LinearDecoderAutoencoder(Autoencoder):
    """The base MLP encoder; the decoder is one linear layer k → D (``output`` still applies)."""

    def __init__(self, config: ModelConfig, penalty: Penalty | None = None):
        super().__init__(config, penalty)
        out = nn.Sigmoid() if config.output == "sigmoid" else nn.Identity()
        self.decoder = nn.Sequential(nn.Linear(config.latent_dim, config.input_dim), out)
