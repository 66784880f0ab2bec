"""The 2-D curves: one registry of point functions, parameter ranges, tangents and the
nearest-point projection (the truth that lessons 1, 6 and 7 compare learned maps with).

A curve is one or more branches γ_b(t), t ∈ [lo_b, hi_b], drawn with equal probability
(moons: two half circles, ½ each). A data set draws a branch b, t ~ U[lo_b, hi_b] and the
point γ_b(t) + noise · N(0, I). Each branch also gives its exact tangent γ_b'(t), so the
contractive lesson compares the encoder's Jacobian with the true tangent, and the
projection π(x) = γ_b(t*), (b, t*) = argmin ‖x − γ_b(t)‖, found by a dense grid in t and a
vectorised golden-section refinement around the best grid point. The noise-smoothed
density and its score live in ``aecore.data.curve_truth``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Fn = Callable[[np.ndarray], np.ndarray]  # t (m,) -> (m, 2)
GOLDEN = (np.sqrt(5) - 1) / 2
CHUNK = 512  # rows of x per block of the (n, M) distance matrix


@dataclass(frozen=True)
class Branch:
    point: Fn  # γ(t)
    tangent: Fn  # γ'(t), not normalised
    lo: float
    hi: float


@dataclass(frozen=True)
class Curve:
    name: str
    branches: tuple[Branch, ...]

    def _per_branch(self, part: str, t: np.ndarray, branch: np.ndarray) -> np.ndarray:
        """Each branch's ``part`` (point or tangent) at the (t_i, b_i) of that branch: (n, 2)."""
        t, branch = np.asarray(t, np.float64), np.asarray(branch)
        out = np.zeros((t.size, 2))
        for b, br in enumerate(self.branches):
            on = branch == b
            out[on] = getattr(br, part)(t[on])
        return out

    def points(self, t: np.ndarray, branch: np.ndarray) -> np.ndarray:
        """γ_b(t) for each (t_i, b_i): (n, 2)."""
        return self._per_branch("point", t, branch)

    def unit_tangents(self, t: np.ndarray, branch: np.ndarray) -> np.ndarray:
        """γ_b'(t) / ‖γ_b'(t)‖ for each (t_i, b_i): (n, 2)."""
        out = self._per_branch("tangent", t, branch)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def sample(self, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """n noisy points: X (n, 2) float32, branch labels (n,) int64, parameters t (n,)."""
        rng = np.random.default_rng(seed)
        lo = np.array([b.lo for b in self.branches])
        hi = np.array([b.hi for b in self.branches])
        u = rng.uniform(0.0, 1.0, n)  # drawn first: t = lo + u (hi − lo) on the chosen branch
        k = len(self.branches)
        branch = rng.integers(0, k, n) if k > 1 else np.zeros(n, np.int64)
        t = lo[branch] + u * (hi[branch] - lo[branch])
        pts = self.points(t, branch)
        X = (pts + noise * rng.standard_normal(pts.shape)).astype(np.float32)
        return X, branch.astype(np.int64), t

    def dense(self, m: int = 4000) -> tuple[np.ndarray, np.ndarray]:
        """Midpoint quadrature of the curve's density: points (M, 2) and log-weights (M,)."""
        pts, logw = [], []
        for br in self.branches:
            t = br.lo + (np.arange(m) + 0.5) * (br.hi - br.lo) / m
            pts.append(br.point(t))
            logw.append(np.full(m, -np.log(len(self.branches) * m)))
        return np.concatenate(pts), np.concatenate(logw)

    def drawn(self, m: int = 400) -> list[np.ndarray]:
        """Each branch as a polyline of m points, for figures."""
        return [br.point(np.linspace(br.lo, br.hi, m)) for br in self.branches]

    def project(self, X: np.ndarray, m: int = 2000, iters: int = 40) -> tuple[np.ndarray, np.ndarray]:
        """Nearest point of the curve to each row of X: (points (n, 2), distances (n,))."""
        X = np.asarray(X, np.float64)
        best_p, best_d = np.zeros_like(X), np.full(X.shape[0], np.inf)
        for br in self.branches:
            grid = np.linspace(br.lo, br.hi, m)
            G = br.point(grid)
            t0 = np.concatenate([grid[sqdist(X[i : i + CHUNK], G).argmin(1)] for i in range(0, len(X), CHUNK)])
            P = br.point(_refine(br, X, t0, (br.hi - br.lo) / (m - 1), iters))
            d = np.sqrt(((X - P) ** 2).sum(1))
            better = d < best_d
            best_p[better], best_d[better] = P[better], d[better]
        return best_p, best_d


def sqdist(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Squared distances between the rows of X (n, 2) and Y (M, 2): (n, M)."""
    return (X * X).sum(1)[:, None] - 2 * X @ Y.T + (Y * Y).sum(1)[None, :]


def _refine(br: Branch, X: np.ndarray, t0: np.ndarray, h: float, iters: int) -> np.ndarray:
    """Golden-section search of ‖x − γ(t)‖² on [t0 − h, t0 + h] (clipped to the range)."""
    a, b = np.clip(t0 - h, br.lo, br.hi), np.clip(t0 + h, br.lo, br.hi)

    def f(t):
        return ((X - br.point(t)) ** 2).sum(1)

    for _ in range(iters):
        t1, t2 = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
        left = f(t1) < f(t2)
        b = np.where(left, t2, b)
        a = np.where(left, a, t1)
    return (a + b) / 2


# --- the point functions and their tangents ----------------------------------------------

SPIRAL_GROWTH = 0.75 / (3 * np.pi)  # spiral radius r(t) = 0.25 + SPIRAL_GROWTH · t


def _xy(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.stack([a, b], 1)


def _spiral(t: np.ndarray) -> np.ndarray:
    r = 0.25 + SPIRAL_GROWTH * t
    return _xy(r * np.cos(t), r * np.sin(t))


def _spiral_tangent(t: np.ndarray) -> np.ndarray:
    r = 0.25 + SPIRAL_GROWTH * t
    return _xy(SPIRAL_GROWTH * np.cos(t) - r * np.sin(t), SPIRAL_GROWTH * np.sin(t) + r * np.cos(t))


UPPER_MOON = Branch(lambda t: _xy(np.cos(t), np.sin(t)), lambda t: _xy(-np.sin(t), np.cos(t)), 0.0, np.pi)
LOWER_MOON = Branch(lambda t: _xy(1 - np.cos(t), 0.5 - np.sin(t)), lambda t: _xy(np.sin(t), -np.cos(t)), 0.0, np.pi)

CURVES: dict[str, Curve] = {
    # unit circle, t ∈ [0, 2π)
    "circle": Curve(
        "circle",
        (Branch(lambda t: _xy(np.cos(t), np.sin(t)), lambda t: _xy(-np.sin(t), np.cos(t)), 0.0, 2 * np.pi),),
    ),
    # Archimedean spiral r = 0.25 + 0.75 t / (3π), t ∈ [0, 3π]
    "spiral": Curve("spiral", (Branch(_spiral, _spiral_tangent, 0.0, 3 * np.pi),)),
    # scikit-learn's two half moons: upper (label 0) and the shifted lower one (label 1)
    "moons": Curve("moons", (UPPER_MOON, LOWER_MOON)),
    # y = 0.8 sin(2x), x = t ∈ [−1.5, 1.5]
    "sine": Curve(
        "sine",
        (
            Branch(
                lambda t: _xy(t, 0.8 * np.sin(2 * t)), lambda t: _xy(np.ones_like(t), 1.6 * np.cos(2 * t)), -1.5, 1.5
            ),
        ),
    ),
}


def get_curve(name: str) -> Curve:
    """The registered curve ``name``; a clear error for any other name."""
    if name not in CURVES:
        raise ValueError(f"no curve {name!r}; curves: {', '.join(CURVES)}.")
    return CURVES[name]
