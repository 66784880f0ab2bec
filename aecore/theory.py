"""Closed forms the lessons check the trained models against.

PCA optimum (Eckart–Young 1936; Baldi & Hornik 1989 for the linear autoencoder): with
a linear encoder/decoder of rank k and squared error, the best reconstruction is the
orthogonal projection onto the top-k eigenvectors of the covariance C (ddof = 0), and
its mean squared error per feature is Σ_{i>k} λ_i / D.

Gaussian KL divergences (Kingma & Welling 2014): the closed form of the VAE's KL term,
the KL between two diagonal Gaussians, a Monte Carlo check and the active-unit count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import subspace_angles


@dataclass(frozen=True)
class PCAFit:
    mean: np.ndarray  # (D,)
    eigvals: np.ndarray  # (D,) descending, covariance with ddof = 0
    components: np.ndarray  # (D, D) columns are eigenvectors, deterministic signs

    def basis(self, k: int) -> np.ndarray:
        return self.components[:, :k]

    def bound(self, k: int) -> float:
        """Least mean squared error of any rank-k linear reconstruction: Σ_{i>k} λ_i / D."""
        return float(self.eigvals[k:].sum() / self.eigvals.size)

    def reconstruct(self, X: np.ndarray, k: int) -> np.ndarray:
        V = self.basis(k)
        Xc = np.asarray(X, np.float64) - self.mean
        return Xc @ V @ V.T + self.mean

    def transform(self, X: np.ndarray, k: int) -> np.ndarray:
        return (np.asarray(X, np.float64) - self.mean) @ self.basis(k)


def pca_fit(X: np.ndarray) -> PCAFit:
    """Eigendecomposition of the covariance in float64; each component's largest
    entry is made positive so results do not flip sign between runs."""
    A = np.asarray(X, np.float64)
    mean = A.mean(0)
    C = np.cov(A - mean, rowvar=False, ddof=0)
    vals, vecs = np.linalg.eigh(C)
    order = np.argsort(vals)[::-1]
    vals, vecs = np.clip(vals[order], 0, None), vecs[:, order]
    signs = np.sign(vecs[np.abs(vecs).argmax(0), np.arange(vecs.shape[1])])
    return PCAFit(mean, vals, vecs * np.where(signs == 0, 1, signs))


def mse(X: np.ndarray, Xhat: np.ndarray) -> float:
    """Mean over samples and features of (x − x̂)², in float64."""
    d = np.asarray(X, np.float64) - np.asarray(Xhat, np.float64)
    return float(np.mean(d * d))


def principal_angles_deg(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Principal angles (degrees, descending) between the column spaces of A and B
    (Björck & Golub 1973; scipy.linalg.subspace_angles)."""
    return np.degrees(subspace_angles(np.asarray(A, np.float64), np.asarray(B, np.float64)))


def gram(W: np.ndarray) -> np.ndarray:
    """WᵀW: the identity for orthonormal columns (PCA), anything for an autoencoder."""
    W = np.asarray(W, np.float64)
    return W.T @ W


# ---------------------------------------------------------------------------------------
# Gaussian KL divergences (Kingma & Welling 2014, appendix B), for lesson 8 (VAE).
# The closed forms accept NumPy arrays or torch tensors (the VAE trains with the very
# same function it is checked with); the last axis holds the latent dimensions.


def _exp(a):
    import torch

    return torch.exp(a) if torch.is_tensor(a) else np.exp(a)


def kl_std_normal_per_dim(mu, logvar):
    """KL(N(μ_j, σ_j²) ‖ N(0, 1)) for each dimension j: −½ (1 + log σ_j² − μ_j² − σ_j²)."""
    return -0.5 * (1.0 + logvar - mu * mu - _exp(logvar))


def kl_std_normal(mu, logvar):
    """KL(N(μ, diag σ²) ‖ N(0, I)) = −½ Σ_j (1 + log σ_j² − μ_j² − σ_j²), over the last axis."""
    return kl_std_normal_per_dim(mu, logvar).sum(-1)


def kl_diag_gaussians(mu1, logvar1, mu2, logvar2):
    """KL(N(μ₁, diag σ₁²) ‖ N(μ₂, diag σ₂²)), summed over the last axis:

        ½ Σ_j [ log(σ₂²/σ₁²) + σ₁²/σ₂² + (μ₁ − μ₂)²/σ₂² − 1 ].

    Expanding E_q[log q − log p] term by term: the log-normalisers give log(σ₂/σ₁), the
    quadratic of q averages to ½, and that of p to (σ₁² + (μ₁ − μ₂)²) / (2σ₂²).
    With μ₂ = 0, σ₂ = 1 it is ``kl_std_normal``."""
    d = mu1 - mu2
    terms = logvar2 - logvar1 + _exp(logvar1 - logvar2) + d * d * _exp(-logvar2) - 1.0
    return 0.5 * terms.sum(-1)


def kl_full_gaussians(mu1: np.ndarray, S1: np.ndarray, mu2: np.ndarray, S2: np.ndarray) -> float:
    """KL(N(μ₁, Σ₁) ‖ N(μ₂, Σ₂)) for full covariances (k × k), in float64:

        ½ [ tr(Σ₂⁻¹Σ₁) + (μ₂ − μ₁)ᵀ Σ₂⁻¹ (μ₂ − μ₁) − k + log det Σ₂ / det Σ₁ ].

    With diagonal Σ₁, Σ₂ it is ``kl_diag_gaussians``."""
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    S1, S2 = np.asarray(S1, np.float64), np.asarray(S2, np.float64)
    d = mu2 - mu1
    trace = np.trace(np.linalg.solve(S2, S1))
    maha = d @ np.linalg.solve(S2, d)
    logdet = np.linalg.slogdet(S2)[1] - np.linalg.slogdet(S1)[1]
    return float(0.5 * (trace + maha - d.size + logdet))


def normal_logpdf(z: np.ndarray, mu: np.ndarray, logvar: np.ndarray) -> np.ndarray:
    """log N(z; μ, diag σ²), summed over the last axis (float64)."""
    z, mu, logvar = (np.asarray(a, np.float64) for a in (z, mu, logvar))
    return (-0.5 * (np.log(2 * np.pi) + logvar + (z - mu) ** 2 / np.exp(logvar))).sum(-1)


def kl_monte_carlo(
    mu1, logvar1, mu2, logvar2, n_samples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Monte Carlo estimate of KL(q ‖ p) = E_{z∼q}[log q(z) − log p(z)] with z = μ₁ + σ₁ ε.

    Arrays (..., k); returns the estimate and its standard error, each of shape (...)."""
    mu1, logvar1 = np.asarray(mu1, np.float64), np.asarray(logvar1, np.float64)
    mu2, logvar2 = np.broadcast_arrays(np.asarray(mu2, np.float64), np.asarray(logvar2, np.float64))
    eps = rng.standard_normal((n_samples, *mu1.shape))  # (S, ..., k)
    z = mu1 + np.exp(0.5 * logvar1) * eps
    log_ratio = normal_logpdf(z, mu1, logvar1) - normal_logpdf(z, mu2, logvar2)  # (S, ...)
    return log_ratio.mean(0), log_ratio.std(0, ddof=1) / np.sqrt(n_samples)


def active_units(kl_per_dim: np.ndarray, threshold: float = 0.01) -> int:
    """Latent dimensions whose KL, averaged over the data, exceeds ``threshold`` nats
    (Burda et al. 2016 use the variance of μ_j; the KL is the same witness of collapse).
    ``kl_per_dim`` is (n, k) per input or (k,) already averaged."""
    kl = np.asarray(kl_per_dim, np.float64)
    mean = kl.mean(0) if kl.ndim == 2 else kl
    return int((mean > threshold).sum())
