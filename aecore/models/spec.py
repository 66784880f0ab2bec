"""Describe a trained module as plain JSON and rebuild it: the architecture half of a
saved result (the weights half is a safetensors state dict).

``describe(model) -> dict`` and ``rebuild(spec) -> nn.Module`` cover every module an
experiment returns: the registered autoencoders (config dataclass + kind), the U-Net,
the sparse autoencoder and plain Linear/ReLU stacks. Only these names are ever
constructed — a spec cannot name arbitrary code.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from aecore.models.base import MODELS, Autoencoder
from aecore.models.sae import SparseAutoencoder
from aecore.models.unet import UNet

_SAE_ARGS = ("d", "m", "sparsity", "k", "l1", "k_aux", "aux_coef")
_LAYERS = {"Linear": nn.Linear, "ReLU": nn.ReLU, "Tanh": nn.Tanh, "Sigmoid": nn.Sigmoid, "Identity": nn.Identity}


def describe(model: nn.Module) -> dict[str, Any]:
    """A JSON-able description from which ``rebuild`` makes the same architecture."""
    if isinstance(model, Autoencoder):
        kind = next((k for k, cls in MODELS.items() if type(model) is cls), None)
        if kind is None:
            raise TypeError(f"{type(model).__name__} is not a registered model kind.")
        return {"kind": kind, "config": model.config.to_dict()}
    if isinstance(model, UNet):
        return {
            "kind": "unet",
            "args": {"width": model.width, "depth": model.depth, "skips": model.skips, "in_ch": model.in_ch},
        }
    if isinstance(model, SparseAutoencoder):
        return {"kind": "sae", "args": {a: getattr(model, a) for a in _SAE_ARGS}}
    if isinstance(model, nn.Sequential):
        layers = []
        for layer in model:
            name = type(layer).__name__
            if name not in _LAYERS:
                raise TypeError(f"cannot describe a Sequential holding {name}.")
            layers.append([name, layer.in_features, layer.out_features] if name == "Linear" else [name])
        return {"kind": "sequential", "layers": layers}
    raise TypeError(f"cannot describe a {type(model).__name__}.")


def rebuild(spec: dict[str, Any]) -> nn.Module:
    """A fresh module of the described architecture (weights to be loaded by the caller)."""
    kind = spec.get("kind")
    if kind in MODELS:
        cls = MODELS[kind]
        cfg = dict(spec["config"])
        cfg["hidden"] = tuple(cfg.get("hidden", ()))
        return cls(cls.config_cls(**cfg))
    if kind == "unet":
        return UNet(**spec["args"])
    if kind == "sae":
        return SparseAutoencoder(**spec["args"])
    if kind == "sequential":
        return nn.Sequential(*(_LAYERS[name](*args) for name, *args in spec["layers"]))
    raise ValueError(f"unknown model kind {kind!r}.")
