"""``digits28``: a built-in stand-in for MNIST at MNIST size (28×28 pixels, 10 000 rows).

CI and a fresh server have no MNIST files, yet every image lesson must run (and hold its
claims) at MNIST scale. This data set is made on the spot from scikit-learn's bundled 8×8
digits: each image is upscaled to 20×20 (cubic spline), centred in a 28×28 frame like
MNIST's 20×20 box, and given a random elastic deformation (Simard, Steinkraus & Platt,
2003: a Gaussian-smoothed random displacement field, σ = 4 px, scale α = 8 px) plus a small
random shift, so that no two rows are copies. Deterministic for a seed; no network.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

SIDE, BOX = 28, 20  # MNIST: digits fitted in a 20×20 box, centred in 28×28
ALPHA, SIGMA, MAX_SHIFT = 8.0, 4.0, 1.5


def _upscaled(images8: np.ndarray) -> np.ndarray:
    """(n, 8, 8) in [0, 1] -> (n, 28, 28): cubic zoom to 20×20, padded to 28×28."""
    big = ndimage.zoom(images8, (1, BOX / 8, BOX / 8), order=3, mode="nearest")
    pad = (SIDE - BOX) // 2
    return np.clip(np.pad(big, ((0, 0), (pad, pad), (pad, pad))), 0.0, 1.0)


def _deform(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One elastic deformation plus a sub-pixel shift (Simard et al. 2003)."""
    dy, dx = (ALPHA * ndimage.gaussian_filter(rng.uniform(-1, 1, img.shape), SIGMA) for _ in range(2))
    sy, sx = rng.uniform(-MAX_SHIFT, MAX_SHIFT, 2)
    yy, xx = np.meshgrid(np.arange(SIDE), np.arange(SIDE), indexing="ij")
    coords = np.array([yy + dy + sy, xx + dx + sx])
    return ndimage.map_coordinates(img, coords, order=1, mode="constant")


def make_digits28(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(X (n, 784) float32 in [0, 1], y (n,) int64): n deformed 28×28 digits."""
    from sklearn.datasets import load_digits

    d = load_digits()
    base = _upscaled(d.images / 16.0)
    rng = np.random.default_rng(seed)
    src = rng.permutation(np.resize(np.arange(len(base)), n))  # every digit used about equally
    X = np.stack([_deform(base[i], rng) for i in src]).reshape(n, SIDE * SIDE)
    return np.clip(X, 0.0, 1.0).astype(np.float32), d.target[src].astype(np.int64)
