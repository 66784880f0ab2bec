"""Variational autoencoder (Kingma & Welling 2014) on the one base autoencoder.

Notation as in Kingma & Welling (2014): the encoder q_φ(z|x) (the approximate
posterior) and the decoder p_θ(x|z) (the likelihood). The encoder's last layer gives 2k
numbers, (μ, log σ²) of q_φ(z|x) = N(μ, diag σ²); a code is drawn by reparameterization,
z = μ + σ ⊙ ε with ε ~ N(0, I) from the model's own generator (seeded from the config,
never the global RNG), so gradients reach μ and σ. The decoder (the parent's) gives the
mean x̂ of p_θ(x|z). Per input,

    recon = −log p_θ(x|z)     Bernoulli: Σ_d BCE(x_d, x̂_d)
                              Gaussian:  Σ_d (x_d − x̂_d)² / (2σ_x²) + (D/2) log 2πσ_x²
    kl    = KL(q_φ(z|x) ‖ N(0, I)) = −½ Σ_j (1 + log σ_j² − μ_j² − σ_j²)
    ELBO  = −(recon + kl) ≤ log p_θ(x),  ℒ_β = mean(recon + β · kl)  (β-VAE: Higgins 2017)

The Gaussian normaliser moves no gradient: the training loss leaves it out (its curve stays
positive), every reported number keeps it, so that the ELBO is a true bound on the
log-density. On grey pixels the Bernoulli "likelihood" is not normalised over [0, 1]
(Loaiza-Ganem & Cunningham 2019): its numbers rank models but are not log-probabilities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from aecore.config import ConfigError, param
from aecore.models.base import Autoencoder, ModelConfig, Penalty, mlp
from aecore.theory import kl_std_normal_per_dim

LIKELIHOODS = ("bernoulli", "gaussian")
EPS = 1e-6  # Bernoulli probabilities are clamped to [EPS, 1 − EPS]: −log p ≤ 13.8 nats per pixel


@dataclass(frozen=True)
class VAEConfig(ModelConfig):
    output: str = param(
        "sigmoid",
        "non-linearity on the decoder's mean (sigmoid: pixel probabilities for the Bernoulli likelihood)",
        choices=("identity", "sigmoid"),
    )
    likelihood: str = param("bernoulli", "decoder likelihood p(x|z)", choices=LIKELIHOODS)
    beta: float = param(1.0, "weight β of the KL term", lo=0.0, hi=50.0)
    sigma_x: float = param(0.1, "σ_x of the Gaussian likelihood", lo=1e-3, hi=10.0)
    seed: int = param(0, "seed of the reparameterization noise ε", lo=0, hi=2**31 - 1)

    def check(self) -> None:
        super().check()
        if self.likelihood == "bernoulli" and self.output != "sigmoid":
            raise ConfigError(
                "the Bernoulli likelihood needs output='sigmoid' (the decoder gives pixel probabilities).",
                code="bernoulli_needs_sigmoid",
            )


@dataclass
class ElboTerms:
    recon: torch.Tensor  # (B,) −log p_θ(x|z), nats per input
    kl_per_dim: torch.Tensor  # (B, k) KL of each latent dimension

    @property
    def kl(self) -> torch.Tensor:  # (B,)
        return self.kl_per_dim.sum(-1)

    @property
    def elbo(self) -> torch.Tensor:  # (B,) a lower bound on log p_θ(x), whatever β trained the model
        return -(self.recon + self.kl)


class VAE(Autoencoder):
    """Encoder q_φ(z|x) → (μ, log σ²); z = μ + σ ⊙ ε; decoder → mean of p_θ(x|z)."""

    config_cls = VAEConfig

    def __init__(self, config: VAEConfig, penalty: Penalty | None = None):
        if not isinstance(config, VAEConfig):
            raise ConfigError("the VAE needs a VAEConfig (likelihood, β, σ_x, seed).", code="vae_needs_config")
        super().__init__(config, penalty)
        k = config.latent_dim  # the parent's decoder takes k; the encoder must give 2k
        self.encoder = mlp([config.input_dim, *map(int, config.hidden), 2 * k], config.activation, "identity")
        self.gen = torch.Generator().manual_seed(config.seed)

    def posterior(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(μ, log σ²) of q_φ(z|x), each (B, k)."""
        mu, logvar = self.encoder(x).chunk(2, dim=-1)
        return mu, logvar

    def encode(self, x: torch.Tensor) -> torch.Tensor:  # (B, D) -> (B, k): the mean μ
        return self.posterior(x)[0]

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        """z = μ + σ ⊙ ε, ε ~ N(0, I) drawn from the model's seeded generator."""
        eps = torch.randn(mu.shape, generator=self.gen).to(mu.device)
        return mu + torch.exp(0.5 * logvar) * eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """A sampled reconstruction while training; the decoded mean μ in eval mode."""
        mu, logvar = self.posterior(x)
        return self.decode(self.reparameterize(mu, logvar) if self.training else mu)

    def neg_log_likelihood(self, x_hat: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """−log p_θ(target | z) per input, (B,), for the decoder mean x̂ (constants included)."""
        cfg: VAEConfig = self.config
        if cfg.likelihood == "bernoulli":
            p = x_hat.clamp(EPS, 1 - EPS)
            return F.binary_cross_entropy(p, target.expand_as(p), reduction="none").sum(-1)
        return ((target - x_hat) ** 2).sum(-1) / (2 * cfg.sigma_x**2) + self.gaussian_constant()

    def gaussian_constant(self) -> float:
        """(D/2) log 2πσ_x²: the Gaussian's normaliser inside −log p_θ(x|z) (0 for Bernoulli)."""
        cfg: VAEConfig = self.config
        return 0.0 if cfg.likelihood == "bernoulli" else 0.5 * cfg.input_dim * math.log(2 * math.pi * cfg.sigma_x**2)

    def elbo_terms(self, x: torch.Tensor, target: torch.Tensor) -> ElboTerms:
        """One-sample ELBO terms of each input; x may be a corrupted copy of target."""
        mu, logvar = self.posterior(x)
        z = self.reparameterize(mu, logvar)
        return ElboTerms(self.neg_log_likelihood(self.decode(z), target), kl_std_normal_per_dim(mu, logvar))

    def objective(self, terms: ElboTerms) -> torch.Tensor:
        """ℒ_β = mean over the batch of recon + β · KL (β = 1: the negative ELBO), less the
        Gaussian normaliser, which moves no gradient (the loss curve stays positive)."""
        return torch.mean(terms.recon + self.config.beta * terms.kl) - self.gaussian_constant()

    def training_loss(self, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        loss = self.objective(self.elbo_terms(x, target))
        return loss + self.penalty(x, self.encode(x)) if self.penalty_fn else loss

    @torch.no_grad()
    def log_joint(self, x: np.ndarray, z: np.ndarray, chunk: int = 8192) -> np.ndarray:
        """log p(z) + log p_θ(x|z) of one input x (D,) at codes z (S, k): (S,) float64."""
        dev = next(self.parameters()).device
        xt = torch.tensor(np.asarray(x), dtype=torch.float32, device=dev)
        out = []
        for i in range(0, len(z), chunk):
            zt = torch.as_tensor(np.asarray(z[i : i + chunk], np.float32), device=dev)
            out.append(-self.neg_log_likelihood(self.decode(zt), xt).double().cpu().numpy())
        z64 = np.asarray(z, np.float64)
        log_prior = -0.5 * (z64**2).sum(1) - 0.5 * z64.shape[1] * math.log(2 * math.pi)
        return np.concatenate(out) + log_prior
