"""Tied weights: the decoder reuses the encoder's matrices transposed (Rifai et al. 2011).

    h = f(W x + b),  x̂ = g(Wᵀ h + c)

Only the decoder's linear maps change: each becomes a ``TiedLinear`` reading the mirrored
encoder layer's weight (with its own bias), so the base class's encode/decode/forward and
penalty hook are reused as they are. With tied weights the decoder cannot undo an
encoder that shrinks its weights by growing its own: a contraction stays a contraction.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from aecore.models.base import Autoencoder, ModelConfig, Penalty


class TiedLinear(nn.Module):
    """y = W_srcᵀ x + c: the weight is read from ``source`` at every call; the bias is its own."""

    def __init__(self, source: nn.Linear):
        super().__init__()
        self._source = (source,)  # a tuple: not registered twice as a submodule
        self.in_features, self.out_features = source.out_features, source.in_features
        self.bias = nn.Parameter(torch.zeros(source.in_features))

    @property
    def weight(self) -> torch.Tensor:  # (out, in) = (src.in, src.out)
        return self._source[0].weight.t()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias)


class TiedAutoencoder(Autoencoder):
    """The base MLP autoencoder with decoder weights tied to the encoder's (transposed)."""

    def __init__(self, config: ModelConfig, penalty: Penalty | None = None):
        super().__init__(config, penalty)
        enc = [m for m in self.encoder if isinstance(m, nn.Linear)]
        positions = [i for i, m in enumerate(self.decoder) if isinstance(m, nn.Linear)]
        for pos, src in zip(positions, reversed(enc)):
            self.decoder[pos] = TiedLinear(src)
