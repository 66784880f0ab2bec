"""The one base autoencoder: an MLP encoder f_θ and a mirrored decoder g_φ.

    h = f_θ(x),  x̂ = g_φ(h),  L(θ, φ) = mean (x − x̂)² + penalty(x, h)

Variants change the smallest piece: a ``penalty`` callable (sparse, contractive, ...)
passed at construction, or an override of ``training_loss`` (the VAE). A linear
autoencoder is this class with ``activation="identity"`` and no hidden layers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from aecore.config import Config, ConfigError, param

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "identity": nn.Identity,
}
MAX_WIDTH, MAX_DEPTH = 2048, 4


@dataclass(frozen=True)
class ModelConfig(Config):
    input_dim: int = param(64, "number of input features D", lo=1, hi=4096)
    hidden: tuple = param((64,), "encoder hidden widths; the decoder mirrors them")
    latent_dim: int = param(2, "size of the code h", lo=1, hi=MAX_WIDTH)
    activation: str = param("relu", "hidden-layer non-linearity", choices=tuple(ACTIVATIONS))
    latent_activation: str = param("identity", "non-linearity on the code h", choices=tuple(ACTIVATIONS))
    output: str = param("identity", "non-linearity on x̂", choices=("identity", "sigmoid"))

    def check(self) -> None:
        if len(self.hidden) > MAX_DEPTH:
            raise ConfigError(
                f"at most {MAX_DEPTH} hidden layers; got {len(self.hidden)}.",
                code="too_many_layers",
                params=dict(max=MAX_DEPTH, got=len(self.hidden)),
            )
        for w in self.hidden:
            if not 1 <= int(w) <= MAX_WIDTH:
                raise ConfigError(
                    f"hidden width {w} must be between 1 and {MAX_WIDTH}.",
                    code="hidden_width",
                    params=dict(width=w, max=MAX_WIDTH),
                )


Penalty = Callable[["Autoencoder", torch.Tensor, torch.Tensor], torch.Tensor]


def mlp(widths: list[int], activation: str, last: str) -> nn.Sequential:
    """Linear layers widths[0] → ... → widths[-1]; ``activation`` between, ``last`` at the end."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(nn.Linear(a, b))
        is_last = i == len(widths) - 2
        layers.append(ACTIVATIONS[last if is_last else activation]())
    return nn.Sequential(*layers)


class Autoencoder(nn.Module):
    """MLP autoencoder; ``penalty(model, x, h)`` adds a regulariser to the loss."""

    config_cls: type[ModelConfig] = ModelConfig  # variants with more settings override it

    def __init__(self, config: ModelConfig, penalty: Penalty | None = None):
        super().__init__()
        self.config = config
        enc = [config.input_dim, *map(int, config.hidden), config.latent_dim]
        self.encoder = mlp(enc, config.activation, config.latent_activation)
        self.decoder = mlp(enc[::-1], config.activation, config.output)
        self.penalty_fn = penalty

    def encode(self, x: torch.Tensor) -> torch.Tensor:  # (B, D) -> (B, k)
        return self.encoder(x)

    def decode(self, h: torch.Tensor) -> torch.Tensor:  # (B, k) -> (B, D)
        return self.decoder(h)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    def penalty(self, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """Regulariser Ω(x, h); zero for a plain autoencoder."""
        if self.penalty_fn is None:
            return h.new_zeros(())
        return self.penalty_fn(self, x, h)

    def training_loss(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """mean (target − g(f(x)))² + Ω(x, h); x may be a corrupted copy of target."""
        h = self.encode(x)
        recon = torch.mean((self.decode(h) - target) ** 2)
        return recon + self.penalty(x, h)

    def linear_layers(self, part: str = "decoder") -> list[nn.Linear]:
        return [m for m in getattr(self, part) if isinstance(m, nn.Linear)]


MODELS: dict[str, type[Autoencoder]] = {}  # kind -> class, filled in one place: aecore/models/__init__.py


def build_model(config: ModelConfig, penalty: Penalty | None = None, kind: str = "mlp", seed: int = 0) -> Autoencoder:
    """A registered model, its weights drawn from a generator seeded with ``seed`` (never
    the global RNG, which the app's users share).

    Parameters
    ----------
    config : input size, hidden widths, code size and activations (``ModelConfig``).
    penalty : a ``make_penalty`` callable added to the loss; kind : a key of ``MODELS``.

    Returns
    -------
    The model (an ``Autoencoder``); raises ConfigError for an unknown kind.

    Example
    -------
    >>> model = build_model(ModelConfig(input_dim=64, hidden=(32,), latent_dim=2), seed=0)
    >>> model.encoder[0].in_features, model.config.latent_dim
    (64, 2)
    """
    if kind not in MODELS:
        raise ConfigError(
            f"unknown model {kind!r}; choose one of {', '.join(MODELS)}.",
            code="not_a_choice",
            params=dict(name="model", value=kind, choices=", ".join(MODELS)),
        )
    model = MODELS[kind](config, penalty)
    reset_parameters(model, torch.Generator().manual_seed(seed))
    return model


def reset_parameters(model: nn.Module, gen: torch.Generator) -> None:
    """nn.Linear's default init, drawn from ``gen`` (the global RNG is shared by users)."""
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.kaiming_uniform_(m.weight, a=math.sqrt(5), generator=gen)
            bound = 1 / math.sqrt(m.in_features)
            if m.bias is not None:
                nn.init.uniform_(m.bias, -bound, bound, generator=gen)
