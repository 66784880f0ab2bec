"""The linear autoencoder x̂ = x̄ + D E (x − x̄) and its solvers (lesson 2).

Squared error of a linear map on centred data depends on the data only through its
covariance S = (1/n) Σ (x_i − x̄)(x_i − x̄)ᵀ (ddof = 0):

    L(D, E) = (1/(nD)) Σ_i ‖(x_i − x̄) − D E (x_i − x̄)‖² = (1/D) tr((I − DE) S (I − DE)ᵀ)
            = (1/D) [tr S − 2 tr(E S D) + tr((DᵀD)(E S Eᵀ))],

so full-batch training works on S (D × D) instead of the n rows: the same loss and the
same gradients, n/D times cheaper on MNIST-size data.

Two solvers minimise it:
- alternating least squares (ALS): with D fixed the best encoder is the pseudo-inverse
  E = (DᵀD)⁻¹Dᵀ; with E fixed the best decoder is the least-squares regression of the data
  on its codes, D = S Eᵀ (E S Eᵀ)⁻¹. Each half-step can only lower L; together they map
  span(D) to span(S D), so the decoder's subspace turns towards the top-k eigenvectors by
  the factor λ_{k+1}/λ_k per sweep (subspace iteration; Roweis 1998, "EM algorithms for
  PCA and SPCA", is the same iteration as an EM algorithm).
- gradient descent (Adam) through ``aecore.train.fit``, on S (full batch) or on rows.

Baldi & Hornik (1989): every local minimum of L is global (D E = U_k U_kᵀ, the projection
onto the top-k eigenvectors U_k; Eckart & Young 1936), every other critical point a saddle.
How well the error pins the subspace: for a rank-k projection P with principal angles θ_i
to span(U_k), tr(U_kU_kᵀS) − tr(PS) ≥ (λ_k − λ_{k+1}) Σ sin²θ_i, so an excess error Δ per
feature bounds sin² θ_max ≤ D Δ / (λ_k − λ_{k+1}) (``angle_certificate_deg``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from aecore.theory import mse, principal_angles_deg
from aecore.train import Progress, ProgressFn, predict


def covariance(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x̄ (D,), S (D, D)) in float64, S with ddof = 0."""
    A = np.asarray(X, np.float64)
    mean = A.mean(0)
    Xc = A - mean
    return mean, Xc.T @ Xc / A.shape[0]


def covariance_loss(model, S: torch.Tensor, _target=None) -> torch.Tensor:
    """L(D, E) from the covariance (a ``loss_fn`` for ``fit`` with S passed as the data)."""
    E, D = model.encoder[0].weight, model.decoder[0].weight  # (k, D), (D, k)
    ES = E @ S
    return (torch.trace(S) - 2 * torch.sum(ES * D.T) + torch.sum((D.T @ D) * (ES @ E.T))) / S.shape[0]


def loss_from_cov(E: np.ndarray, D: np.ndarray, S: np.ndarray) -> float:
    """The same L(D, E) in float64 (E (k, D), D (D, k))."""
    ES = E @ S
    return float((np.trace(S) - 2 * np.sum(ES * D.T) + np.sum((D.T @ D) * (ES @ E.T))) / S.shape[0])


def best_encoder(D: np.ndarray) -> np.ndarray:
    """argmin_E L(D, E) = (DᵀD)⁻¹Dᵀ: the codes of the orthogonal projection onto span(D)."""
    return np.linalg.solve(D.T @ D, D.T)


def als(
    D0: np.ndarray,
    S: np.ndarray,
    sweeps: int,
    on_sweep: Callable[[int, float, np.ndarray], bool | None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Alternating least squares from decoder D0 (D, k): ``sweeps`` rounds of E-step then
    D-step; ``on_sweep(t, loss, D)`` after each (truthy = stop). Returns (E, D), E the best
    encoder for the final D."""
    D = np.asarray(D0, np.float64)
    E = best_encoder(D)
    for t in range(1, sweeps + 1):
        SE = S @ E.T  # (D, k)
        D = np.linalg.solve(E @ SE, SE.T).T  # S Eᵀ (E S Eᵀ)⁻¹, E S Eᵀ symmetric
        E = best_encoder(D)
        if on_sweep is not None and on_sweep(t, loss_from_cov(E, D, S), D):
            break
    return E, D


def sweep_reporter(stage: str, sweeps: int, on_progress: ProgressFn) -> Callable[[int, float, np.ndarray], bool]:
    """An ``on_sweep`` that reports each ALS sweep as an epoch of ``stage``."""
    return lambda t, loss, _D: bool(on_progress(Progress(stage, t, sweeps, loss)))


def weights(model) -> tuple[np.ndarray, np.ndarray]:
    """(E (k, D), D (D, k)) of a one-layer linear autoencoder, float64."""
    enc, dec = model.encoder[0].weight, model.decoder[0].weight
    return enc.detach().cpu().double().numpy(), dec.detach().cpu().double().numpy()


@torch.no_grad()
def set_weights(model, E: np.ndarray, D: np.ndarray, mean: np.ndarray) -> None:
    """Write E, D and the centring biases b_e = −E x̄, b_d = x̄, so that the model computes
    x̂ = x̄ + D E (x − x̄) on raw inputs."""
    enc, dec = model.encoder[0], model.decoder[0]
    enc.weight.copy_(torch.as_tensor(E, dtype=enc.weight.dtype))
    dec.weight.copy_(torch.as_tensor(D, dtype=dec.weight.dtype))
    enc.bias.copy_(torch.as_tensor(-E @ mean, dtype=enc.bias.dtype))
    dec.bias.copy_(torch.as_tensor(mean, dtype=dec.bias.dtype))


def angle_certificate_deg(excess: float, gap: float, dim: int) -> float:
    """The largest principal angle an excess error ``excess`` (per feature, over the
    optimum) still allows: arcsin √(D Δ / (λ_k − λ_{k+1})), 90° when that exceeds 1."""
    if gap <= 0:
        return 90.0
    s2 = dim * max(excess, 0.0) / gap
    return float(np.degrees(np.arcsin(np.sqrt(min(1.0, s2)))))


def best_linear_decoder(H: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The least-squares affine decoder x̂ = W h + b of codes H (n, k) for data X (n, D), in
    closed form: W = argmin ‖(X − x̄) − (H − h̄) Wᵀ‖²_F, b = x̄ − W h̄. Its outputs lie in a
    k-dimensional affine subspace, so its error is never below PCA's Σ_{i>k} λ_i / D
    (Eckart & Young 1936), whatever computed H.

    >>> H = np.arange(12.0).reshape(6, 2) ** 0.5; W, b = best_linear_decoder(H, 3 * H + 1)
    >>> bool(np.allclose(W, 3 * np.eye(2)) and np.allclose(b, 1))
    True
    """
    H, X = np.asarray(H, np.float64), np.asarray(X, np.float64)
    hbar, xbar = H.mean(0), X.mean(0)
    Wt, *_ = np.linalg.lstsq(H - hbar, X - xbar, rcond=None)
    return Wt.T, xbar - Wt.T @ hbar


def bias_free_bound(mean: np.ndarray, S: np.ndarray, k: int) -> float:
    """Least error of x̂ = D E x with no biases and no centring: Eckart–Young on the raw
    second moment (1/n) Σ x xᵀ = S + x̄x̄ᵀ, i.e. Σ_{i>k} μ_i / D of its eigenvalues μ."""
    mu = np.clip(np.linalg.eigvalsh(S + np.outer(mean, mean))[::-1], 0, None)
    return float(mu[k:].sum() / mu.size)


# The derivation shown on the lesson page (ui.kit.derivation): one line of maths per step, the
# catalog key of its sentence (pca.derivation.<key>) and of its check, and the check's numbers.
DERIVATION = (
    (r"\min_{W_d,\,W_e}\ \tfrac12\lVert X - W_dW_eX\rVert_F^2,\qquad X = [x_1-\bar x,\ \dots,\ x_n-\bar x]", "problem"),
    (r"A = W_dW_e,\quad \operatorname{rank}A \le k:\qquad \min_{A}\ \tfrac12\lVert X - AX\rVert_F^2", "rank"),
    (r"\min_A \lVert X - AX\rVert_F^2 = \lVert X - IX\rVert_F^2 = 0", "relax"),
    (
        r"X = U S V^\top:\quad \min_{\operatorname{rank}A\le k}\lVert X - AX\rVert_F^2"
        r" = \lVert X - U_kU_k^\top X\rVert_F^2 = \sum_{i>k} s_i^2 = n\sum_{i>k}\lambda_i",
        "eckart",
    ),
    (
        r"A^* = U_kU_k^\top = \underbrace{(U_kC)}_{W_d^*}\,\underbrace{(C^{-1}U_k^\top)}_{W_e^*},"
        r"\quad C \in \mathbb{R}^{k\times k}\ \text{invertible}",
        "factor",
    ),
    (
        r"\min\ \tfrac1{nD}\sum_i\lVert x_i - W_dW_ex_i\rVert^2 = \tfrac1D\sum_{i>k}\mu_i"
        r"\ \ge\ \tfrac1D\sum_{i>k}\lambda_i,"
        r"\quad \mu = \operatorname{eig}\big(\tfrac1n\textstyle\sum_i x_ix_i^\top\big)",
        "centre",
    ),
)


def derivation_checks(
    m: dict[str, float], k: int, dim: int, n: int, small: Callable[[float], str] = "{:.1e}".format
) -> dict[str, dict[str, str]]:
    """The numbers beside the derivation's steps, formatted, keyed by step (``small`` formats
    the tiny projector error: the page passes one that writes 4.2×10⁻⁸, not 4.2e-08)."""
    excess = 100 * (m["bias_free_mse"] / m["pca_bound"] - 1) if m["pca_bound"] > 0 else 0.0
    return {
        "problem": dict(dim=str(dim), n=str(n), k=str(k)),
        "rank": dict(rank=str(int(m["product_rank"])), dim=str(dim)),
        "relax": dict(gap=f"{m['identity_gap']:.3f}"),
        "eckart": dict(pca_mse=f"{m['pca_mse']:.6f}", bound=f"{m['pca_bound']:.6f}"),
        "factor": dict(proj=small(m["projector_error"])),
        "centre": dict(bias_free=f"{m['bias_free_mse']:.5f}", excess=f"{excess:.1f}", bound=f"{m['pca_bound']:.5f}"),
    }


def refits(X: np.ndarray, basis: np.ndarray, models: dict, gap: float, pca_mse: float) -> dict[str, float]:
    """The best linear decoder of each model's codes (least squares): its error, the largest
    principal angle between its columns and PCA's subspace, and the angle its excess error
    over PCA's still allows (λ_k − λ_{k+1} = ``gap``)."""
    out = {}
    for name, model in models.items():
        H = predict(model.encode, X)
        W, b = best_linear_decoder(H, X)
        out[f"{name}_refit_mse"] = err = mse(X, H.astype(np.float64) @ W.T + b)
        out[f"{name}_refit_angle_deg"] = float(principal_angles_deg(W, basis)[0])
        out[f"{name}_refit_certificate_deg"] = angle_certificate_deg(err - pca_mse, gap, X.shape[1])
    return out
