"""The noise-smoothed density of a 2-D curve and its exact score (the truth of lesson 7).

For a curve of ``aecore.data.curves`` (branches γ_b, t uniform on each range, branches equally
likely) blurred by Gaussian noise of width s,

    p_s(x) = Σ_b w_b ∫ N(x; γ_b(t), s²I) dt / |T_b|,

computed by midpoint quadrature in t and a log-sum-exp, and its score

    ∇ log p_s(x) = (E[γ | x] − x) / s²,

with E[γ | x] the posterior mean of the curve point (softmax weights). By Tweedie's
formula the best denoiser of x̃ = x + σε under squared error is
E[x | x̃] = x̃ + σ² ∇ log p_s(x̃), s² = σ² + (data noise)² (Efron 2011; Vincent 2011;
Alain & Bengio 2014), so the denoising lesson compares a learned field with the truth,
not with itself.
"""

from __future__ import annotations

import numpy as np

from aecore.data.curves import CHUNK, get_curve, sqdist


def _posterior(name: str, X: np.ndarray, s: float, m: int) -> tuple[np.ndarray, np.ndarray]:
    """log p_s(x) (n,) and the posterior mean E[γ | x] (n, 2) by quadrature."""
    X = np.asarray(X, np.float64)
    Y, logw = get_curve(name).dense(m)
    logp, mean = np.empty(X.shape[0]), np.empty_like(X)
    for i in range(0, X.shape[0], CHUNK):
        L = logw[None, :] - np.maximum(sqdist(X[i : i + CHUNK], Y), 0) / (2 * s * s)  # (b, M)
        top = L.max(1, keepdims=True)
        E = np.exp(L - top)
        Z = E.sum(1, keepdims=True)
        logp[i : i + CHUNK] = (top + np.log(Z))[:, 0] - np.log(2 * np.pi * s * s)
        mean[i : i + CHUNK] = (E @ Y) / Z
    return logp, mean


def log_density(name: str, X: np.ndarray, s: float, m: int = 4000) -> np.ndarray:
    """log p_s(x): the curve's density smoothed by N(0, s²I)."""
    return _posterior(name, X, s, m)[0]


def score(name: str, X: np.ndarray, s: float, m: int = 4000) -> np.ndarray:
    """∇_x log p_s(x) = (E[γ | x] − x) / s² (n, 2)."""
    mean = _posterior(name, X, s, m)[1]
    return (mean - np.asarray(X, np.float64)) / (s * s)


def optimal_denoiser(name: str, X: np.ndarray, sigma: float, data_noise: float = 0.0, m: int = 4000) -> np.ndarray:
    """Where the best denoiser sends x̃ = x + σε when the clean x lie around the curve with
    noise ``data_noise``: E[x | x̃] = x̃ + σ² ∇ log p_s(x̃), s² = σ² + data_noise² (Tweedie)."""
    s = float(np.hypot(sigma, data_noise))
    return np.asarray(X, np.float64) + sigma**2 * score(name, X, s, m)
