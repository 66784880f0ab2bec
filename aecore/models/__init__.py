"""Model registry: one base autoencoder; variants plug into its penalty hook or, like
the VAE, override its loss."""

from aecore.models.base import MODELS, Autoencoder, ModelConfig, build_model
from aecore.models.vae import VAE, VAEConfig

__all__ = ["MODELS", "Autoencoder", "ModelConfig", "build_model", "VAE", "VAEConfig"]
