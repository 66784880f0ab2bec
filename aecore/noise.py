"""Corruption registry of the denoising autoencoder (Vincent et al., 2008, 2010).

Every corruption has one signature, ``corrupt(x, level, generator) -> x̃``: seeded by a
``torch.Generator`` (drawn on the CPU, then moved to x's device, so CPU and CUDA runs
agree), shape- and dtype-preserving, and never touching the global RNG.

    gaussian         x̃ = x + ε,  ε ~ N(0, σ² I)                     (level = σ)
    masking          x̃_i = 0 with probability ν, else x_i            (level = ν)
    salt_and_pepper  x̃_i = 0 with probability ν/2, 1 with ν/2, else x_i  (level = ν)

Denoising is a training setting, not a model: ``fit(..., corrupt=make_corrupt(name, level))``
trains any model of the registry to map x̃ back to the clean x.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from aecore.config import ConfigError


def _uniform(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """U(0, 1) of x's shape, drawn from ``generator`` on the CPU, on x's device."""
    return torch.rand(x.shape, generator=generator, dtype=torch.float32).to(x.device)


def gaussian(x: torch.Tensor, level: float, generator: torch.Generator) -> torch.Tensor:
    """x + ε with ε ~ N(0, σ²I), σ = level (additive, values may leave [0, 1])."""
    eps = torch.randn(x.shape, generator=generator, dtype=torch.float32).to(x.device, x.dtype)
    return x + level * eps


def masking(x: torch.Tensor, level: float, generator: torch.Generator) -> torch.Tensor:
    """Each entry set to 0 independently with probability ν = level."""
    drop = _uniform(x, generator) < level
    return torch.where(drop, torch.zeros_like(x), x)


def salt_and_pepper(x: torch.Tensor, level: float, generator: torch.Generator) -> torch.Tensor:
    """Each entry set to 0 with probability ν/2 and to 1 with probability ν/2 (ν = level)."""
    u = _uniform(x, generator)
    out = torch.where(u < level / 2, torch.zeros_like(x), x)
    return torch.where((u >= level / 2) & (u < level), torch.ones_like(x), out)


@dataclass(frozen=True)
class Corruption:
    fn: Callable[[torch.Tensor, float, torch.Generator], torch.Tensor]
    symbol: str  # the level's symbol in the formulas (σ or ν)
    hi: float  # largest admissible level
    formula: str  # LaTeX of the corruption


CORRUPTIONS: dict[str, Corruption] = {
    "gaussian": Corruption(
        gaussian, "σ", 2.0, r"\tilde x = x + \varepsilon,\ \varepsilon \sim \mathcal N(0, \sigma^2 I)"
    ),
    "masking": Corruption(
        masking, "ν", 1.0, r"\tilde x_i = \begin{cases}0 & \text{prob. } \nu\\ x_i & \text{prob. } 1-\nu\end{cases}"
    ),
    "salt_and_pepper": Corruption(
        salt_and_pepper,
        "ν",
        1.0,
        r"\tilde x_i = \begin{cases}0 & \text{prob. } \nu/2\\ 1 & \text{prob. } \nu/2"
        r"\\ x_i & \text{prob. } 1-\nu\end{cases}",
    ),
}


def corrupt(name: str, x: torch.Tensor, level: float, generator: torch.Generator) -> torch.Tensor:
    """Apply the registered corruption ``name`` at ``level``; a clear error for bad input."""
    if name not in CORRUPTIONS:
        raise ConfigError(
            f"unknown corruption {name!r}; choose one of {', '.join(CORRUPTIONS)}.",
            code="not_a_choice",
            params=dict(name="corruption", value=name, choices=", ".join(CORRUPTIONS)),
        )
    spec = CORRUPTIONS[name]
    if not 0.0 <= level <= spec.hi:
        raise ConfigError(
            f"{name} level {level!r} must be between 0 and {spec.hi}.",
            code="noise_level",
            params=dict(name=name, value=f"{level!r}", hi=spec.hi),
        )
    return spec.fn(x, float(level), generator)


def make_corrupt(name: str, level: float) -> Callable[[torch.Tensor, torch.Generator], torch.Tensor]:
    """The ``corrupt(x, generator)`` hook of ``train.fit`` for one corruption and level."""
    corrupt(name, torch.zeros(1), level, torch.Generator())  # validate now, not mid-training
    return lambda x, g: corrupt(name, x, level, g)


def corrupt_array(name: str, X: np.ndarray, level: float, seed: int = 0) -> np.ndarray:
    """NumPy convenience for figures and metrics: a corrupted float32 copy of X."""
    x = torch.from_numpy(np.array(X, np.float32))
    return corrupt(name, x, level, torch.Generator().manual_seed(seed)).numpy()
