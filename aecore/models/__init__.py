"""Model registry: one base autoencoder; variants plug into its penalty hook."""

from aecore.models.base import MODELS, Autoencoder, ModelConfig, build_model

__all__ = ["MODELS", "Autoencoder", "ModelConfig", "build_model"]
