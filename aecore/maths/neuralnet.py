"""Neural networks in one page: the toy problems, backpropagation written out by hand,
and the closed forms lesson 0 checks its numbers against.

A neuron is an affine map and a non-linearity, z = wᵀx + b, a = φ(z); a layer applies
many at once, h⁽ˡ⁾ = φ(W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾). Backpropagation (Rumelhart, Hinton & Williams
1986) is the chain rule applied layer by layer from the loss back to the input:
δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾, δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ φ'(z⁽ˡ⁾), ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ h⁽ˡ⁻¹⁾ᵀ,
∂L/∂b⁽ˡ⁾ = Σ δ⁽ˡ⁾. For the mean binary cross-entropy of p = σ(z⁽ᴸ⁾), δ⁽ᴸ⁾ = (p − y)/n.

Gradient descent on the logistic loss of one neuron is a descent method for any step
η < 2/L, where L = λ_max(XᵀX/n)/4 bounds the Hessian (1/n) Σ σ'(z_i) x_i x_iᵀ (σ' ≤ 1/4;
the descent lemma, e.g. Nesterov 2004, §1.2.3).

Universal approximation (Cybenko 1989; Hornik 1991; Leshno et al. 1993): one hidden
layer of a non-polynomial activation, wide enough, approximates any continuous function
on a closed bounded interval as closely as wanted. It says *some* width suffices; it does not
say that training finds that network, nor that every extra unit helps.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.datasets import make_circles, make_moons

TOYS = ("moons", "circles", "xor")
XOR_CENTRES = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])  # first two: class 0


def toy_points(name: str, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(X (n, 2) float32, standardised; y (n,) float32 in {0, 1}) for a two-class toy."""
    if name == "moons":
        X, y = make_moons(n, noise=noise, random_state=seed)
        X = (X - [0.5, 0.25]) / [0.87, 0.5]  # about zero mean and unit spread
    elif name == "circles":
        X, y = make_circles(n, noise=noise, factor=0.5, random_state=seed)
        X = X / 0.56
    else:
        rng = np.random.default_rng(seed)
        c = rng.integers(0, 4, n)
        X = XOR_CENTRES[c] + 2 * noise * rng.standard_normal((n, 2))
        y = (c >= 2).astype(float)
    return X.astype(np.float32), y.astype(np.float32)


# 1-D functions for the universal approximation theorem, on x ∈ [−3, 3].
FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "wave": lambda x: np.sin(2 * x) + 0.4 * np.sin(5 * x),
    "bump": lambda x: np.exp(-2 * x**2) - 0.6 * np.exp(-8 * (x - 1.5) ** 2),
    "abs": lambda x: np.abs(x) - 1.0,
}
X_RANGE = (-3.0, 3.0)

ACT: dict[str, tuple[Callable, Callable]] = {  # φ and φ' as functions of z
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(z.dtype)),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
}


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * z))  # = 1 / (1 + e^{−z}), without overflow


def backprop(Ws: list[np.ndarray], bs: list[np.ndarray], X: np.ndarray, y: np.ndarray, act: str):
    """Gradients of the mean binary cross-entropy of an MLP by the chain rule, by hand.

    Ws[l] has shape (out, in) like torch's nn.Linear; hidden layers use ``act``, the
    output layer is linear (a logit). Returns (dL/dW per layer, dL/db per layer)."""
    phi, dphi = ACT[act]
    hs, zs = [X], []  # h⁽⁰⁾ = x; z⁽ˡ⁾ = W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾
    for i, (W, b) in enumerate(zip(Ws, bs)):
        z = hs[-1] @ W.T + b  # (n, out)
        zs.append(z)
        hs.append(z if i == len(Ws) - 1 else phi(z))
    p = sigmoid(zs[-1][:, 0])
    delta = ((p - y) / len(y))[:, None]  # δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾, (n, 1)
    gW, gb = [None] * len(Ws), [None] * len(Ws)
    for i in range(len(Ws) - 1, -1, -1):
        gW[i] = delta.T @ hs[i]  # ∂L/∂W⁽ˡ⁾ = δ⁽ˡ⁾ h⁽ˡ⁻¹⁾ᵀ summed over points
        gb[i] = delta.sum(0)
        if i > 0:
            delta = (delta @ Ws[i]) * dphi(zs[i - 1])  # δ⁽ˡ⁻¹⁾ = (W⁽ˡ⁾ᵀ δ⁽ˡ⁾) ⊙ φ'(z⁽ˡ⁻¹⁾)
    return gW, gb


def bce(logits: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean binary cross-entropy of σ(logits) along the last axis, stable for large |z|."""
    return np.mean(np.logaddexp(0, logits) - y * logits, axis=-1)


def logistic_smoothness(X: np.ndarray) -> float:
    """L = λ_max(XᵀX/n)/4: the logistic loss's gradient is L-Lipschitz (σ' ≤ 1/4)."""
    A = np.asarray(X, np.float64)
    return float(np.linalg.eigvalsh(A.T @ A / len(A))[-1] / 4)


def loss_surface(X: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """Mean BCE of the bias-free neuron σ(w₁x₁ + w₂x₂) on the grid w1 × w2: (len(w2), len(w1))."""
    W = np.stack(np.meshgrid(w1, w2), -1)  # (n2, n1, 2)
    logits = W @ np.asarray(X, np.float64).T  # (n2, n1, n)
    return bce(logits, np.asarray(y, np.float64))


def loss_gradient(X: np.ndarray, y: np.ndarray, W: np.ndarray) -> np.ndarray:
    """∇_w of the neuron's mean BCE at each row of W (m, 2): Xᵀ(σ(Xw) − y)/n."""
    A = np.asarray(X, np.float64)
    P = sigmoid(np.asarray(W, np.float64) @ A.T)  # (m, n)
    return (P - np.asarray(y, np.float64)) @ A / len(A)
