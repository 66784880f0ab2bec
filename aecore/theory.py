"""Closed forms the lessons check the trained models against.

PCA optimum (Eckart–Young 1936; Baldi & Hornik 1989 for the linear autoencoder): with
a linear encoder/decoder of rank k and squared error, the best reconstruction is the
orthogonal projection onto the top-k eigenvectors of the covariance C (ddof = 0), and
its mean squared error per feature is Σ_{i>k} λ_i / D.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import subspace_angles


@dataclass(frozen=True)
class PCAFit:
    mean: np.ndarray         # (D,)
    eigvals: np.ndarray      # (D,) descending, covariance with ddof = 0
    components: np.ndarray   # (D, D) columns are eigenvectors, deterministic signs

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
