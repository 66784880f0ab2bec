"""Arrays behind figures: a long curve thinned to a few hundred points, rows of images tiled."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def downsample(values: Sequence[float], most: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) with at most ``most`` points, keeping the first and last."""
    y = np.asarray(values, float)
    x = np.arange(1, y.size + 1)
    if y.size <= most:
        return x, y
    keep = np.unique(np.linspace(0, y.size - 1, most).astype(int))
    return x[keep], y[keep]


def tile_images(
    rows: Sequence[np.ndarray], shape: tuple[int, int], gap: int = 1, row_gap: int | None = None
) -> np.ndarray:
    """Stack rows of flat images (each (m, h·w)) into one 2-D array, NaN between tiles
    (``gap`` pixels between images, ``row_gap`` between rows: ``gap`` unless given)."""
    h, w = shape
    rg = gap if row_gap is None else row_gap
    m = max(len(r) for r in rows)
    out = np.full((len(rows) * (h + rg) - rg, m * (w + gap) - gap), np.nan)
    for i, row in enumerate(rows):
        for j, img in enumerate(row):
            top, left = i * (h + rg), j * (w + gap)
            out[top : top + h, left : left + w] = np.asarray(img, float).reshape(h, w)
    return out
