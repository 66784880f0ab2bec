"""Model registry: one base autoencoder; variants plug into its penalty hook or, like
the VAE, override its loss."""

from aecore.models.base import MODELS, Autoencoder, ModelConfig, build_model
from aecore.models.linear_decoder import LinearDecoderAutoencoder
from aecore.models.tied import TiedAutoencoder
from aecore.models.vae import VAE, VAEConfig

# Every kind ``build_model(..., kind=)`` and the result files know, registered here and nowhere else.
MODELS.update(
    mlp=Autoencoder,  # the base MLP autoencoder
    tied=TiedAutoencoder,  # decoder weights = encoder weightsᵀ (Rifai et al. 2011)
    linear_decoder=LinearDecoderAutoencoder,  # MLP encoder, one linear decoder layer (lesson 2)
    vae=VAE,  # Gaussian encoder, sampled code, ELBO loss (Kingma & Welling 2014)
)

__all__ = [
    "MODELS",
    "Autoencoder",
    "ModelConfig",
    "TiedAutoencoder",
    "LinearDecoderAutoencoder",
    "build_model",
    "VAE",
    "VAEConfig",
]
