"""Ground truth for the 2-D curves of ``aecore.data``: nearest points and true scores.

A curve data set draws t uniformly on its range (CURVE_RANGES) and maps it through its
point function γ(t) (moons: one of two half circles with probability ½ each). Two exact
references follow, so the denoising lesson compares a learned field with the truth, not
with itself:

* nearest-point projection π(x) = γ(t*), t* = argmin_t ‖x − γ(t)‖: a dense grid in t, then
  a vectorised golden-section refinement around the best grid point;
* the noise-smoothed density p_s = p_data ⊛ N(0, s²I), i.e.
  p_s(x) = Σ_c w_c ∫ N(x; γ_c(t), s²I) dt / |T_c|, by midpoint quadrature in t and a
  log-sum-exp, and its score ∇ log p_s(x) = (E[γ | x] − x) / s², with E[γ | x] the
  posterior mean of the curve point (softmax weights). By Tweedie's formula that posterior
  mean is also the optimal denoiser E[x | x̃] (Vincent, 2011; Alain & Bengio, 2014).

Kept apart from ``theory.py`` so that lessons adding closed forms do not collide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from aecore.data import CURVE_RANGES, circle_points, moons_points, sine_points, spiral_points

GOLDEN = (np.sqrt(5) - 1) / 2
CHUNK = 512  # rows of x per block of the (n, M) distance matrix


@dataclass(frozen=True)
class Component:
    fn: Callable[[np.ndarray], np.ndarray]  # t (m,) -> points (m, 2)
    lo: float
    hi: float
    weight: float  # probability of this component


def _moon(label: int) -> Callable[[np.ndarray], np.ndarray]:
    return lambda t: moons_points(t, np.full(np.shape(t), label))


def _one(fn, name: str) -> tuple[Component, ...]:
    return (Component(fn, *CURVE_RANGES[name], 1.0),)


CURVES: dict[str, tuple[Component, ...]] = {
    "circle": _one(circle_points, "circle"),
    "spiral": _one(spiral_points, "spiral"),
    "sine": _one(sine_points, "sine"),
    "moons": (Component(_moon(0), *CURVE_RANGES["moons"], 0.5), Component(_moon(1), *CURVE_RANGES["moons"], 0.5)),
}


def _components(name: str) -> tuple[Component, ...]:
    if name not in CURVES:
        raise ValueError(f"no ground truth for {name!r}; curves: {', '.join(CURVES)}.")
    return CURVES[name]


def dense_curve(name: str, m: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Midpoint quadrature of the data density: points (M, 2) and log-weights (M,)."""
    pts, logw = [], []
    for c in _components(name):
        t = c.lo + (np.arange(m) + 0.5) * (c.hi - c.lo) / m
        pts.append(c.fn(t))
        logw.append(np.full(m, np.log(c.weight / m)))
    return np.concatenate(pts), np.concatenate(logw)


def _sqdist(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    return (X * X).sum(1)[:, None] - 2 * X @ Y.T + (Y * Y).sum(1)[None, :]


def _refine(c: Component, X: np.ndarray, t0: np.ndarray, h: float, iters: int) -> np.ndarray:
    """Golden-section search of ‖x − γ(t)‖² on [t0 − h, t0 + h] (clipped to the range)."""
    a, b = np.clip(t0 - h, c.lo, c.hi), np.clip(t0 + h, c.lo, c.hi)

    def f(t):
        return ((X - c.fn(t)) ** 2).sum(1)

    for _ in range(iters):
        t1, t2 = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
        left = f(t1) < f(t2)
        b = np.where(left, t2, b)
        a = np.where(left, a, t1)
    return (a + b) / 2


def project(name: str, X: np.ndarray, m: int = 2000, iters: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Nearest point of the true curve to each row of X: (points (n, 2), distances (n,))."""
    X = np.asarray(X, np.float64)
    best_p, best_d = np.zeros_like(X), np.full(X.shape[0], np.inf)
    for c in _components(name):
        grid = np.linspace(c.lo, c.hi, m)
        G = c.fn(grid)
        t0 = np.concatenate([grid[_sqdist(X[i : i + CHUNK], G).argmin(1)] for i in range(0, X.shape[0], CHUNK)])
        t = _refine(c, X, t0, (c.hi - c.lo) / (m - 1), iters)
        P = c.fn(t)
        d = np.sqrt(((X - P) ** 2).sum(1))
        better = d < best_d
        best_p[better], best_d[better] = P[better], d[better]
    return best_p, best_d


def _posterior(name: str, X: np.ndarray, s: float, m: int) -> tuple[np.ndarray, np.ndarray]:
    """log p_s(x) (n,) and the posterior mean E[γ | x] (n, 2) by quadrature."""
    X = np.asarray(X, np.float64)
    Y, logw = dense_curve(name, m)
    logp, mean = np.empty(X.shape[0]), np.empty_like(X)
    for i in range(0, X.shape[0], CHUNK):
        L = logw[None, :] - np.maximum(_sqdist(X[i : i + CHUNK], Y), 0) / (2 * s * s)  # (b, M)
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


def optimal_denoiser(name: str, X: np.ndarray, s: float, m: int = 4000) -> np.ndarray:
    """E[x | x̃] = x̃ + s² ∇ log p_s(x̃) (Tweedie): where the best denoiser sends x̃."""
    return _posterior(name, X, s, m)[1]
