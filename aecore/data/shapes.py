"""Synthetic segmentation data: discs, squares and triangles in clutter and noise.

Each image holds a few filled shapes (the objects to segment) drawn at random places,
sizes and brightnesses, plus clutter that is *not* to be segmented: thin straight lines
and small specks as bright as the shapes, a smooth brightness ramp, and Gaussian pixel
noise. The mask is the union of the shapes, rasterised from the same analytic
point-in-shape tests that draw them (pixel centres), so image and mask agree exactly.
Everything is generated on the fly from one seed (``np.random.default_rng``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SHAPES = ("disc", "square", "triangle")


@dataclass(frozen=True)
class Shape:
    kind: str  # one of SHAPES
    cx: float  # centre column (pixels)
    cy: float  # centre row (pixels)
    r: float  # radius (disc), half side (square), circumradius (triangle)
    angle: float  # rotation in radians (square, triangle)
    value: float  # brightness of the filled shape


def shape_mask(s: Shape, size: int) -> np.ndarray:
    """Boolean (size, size) mask of the pixels whose centre lies inside the shape."""
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    dx, dy = xx - s.cx, yy - s.cy
    if s.kind == "disc":
        return dx**2 + dy**2 <= s.r**2
    c, si = np.cos(-s.angle), np.sin(-s.angle)
    u, v = c * dx - si * dy, si * dx + c * dy  # coordinates in the shape's frame
    if s.kind == "square":
        return (np.abs(u) <= s.r) & (np.abs(v) <= s.r)
    # equilateral triangle: inside the three half-planes whose normals point outwards
    inside = np.ones_like(u, dtype=bool)
    for k in range(3):
        a = 2 * np.pi * k / 3 + np.pi / 2
        inside &= (u * np.cos(a) + v * np.sin(a)) <= s.r / 2
    return inside


def _line(rng: np.random.Generator, size: int) -> np.ndarray:
    """A thin straight segment (about one pixel wide) between two random points."""
    p, q = rng.uniform(0, size, 2), rng.uniform(0, size, 2)
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    d = q - p
    t = np.clip(((xx - p[0]) * d[0] + (yy - p[1]) * d[1]) / max(d @ d, 1e-9), 0, 1)
    dist = np.hypot(xx - p[0] - t * d[0], yy - p[1] - t * d[1])
    return dist <= 0.5


def draw_image(
    rng: np.random.Generator,
    size: int,
    n_shapes: int,
    clutter: int,
    noise: float,
    rng_clutter: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray, list[Shape]]:
    """One image (size, size) in [0, 1]-ish, its mask (bool) and the shapes drawn.

    Shapes come from ``rng``, clutter and noise from ``rng_clutter`` (default: the same)."""
    img = np.zeros((size, size))
    mask = np.zeros((size, size), dtype=bool)
    shapes = []
    for _ in range(n_shapes):
        s = Shape(
            kind=SHAPES[rng.integers(len(SHAPES))],
            cx=rng.uniform(4, size - 4),
            cy=rng.uniform(4, size - 4),
            r=rng.uniform(size / 12, size / 6),
            angle=rng.uniform(0, 2 * np.pi),
            value=rng.uniform(0.5, 1.0),
        )
        m = shape_mask(s, size)
        img[m] = s.value
        mask |= m
        shapes.append(s)
    rng = rng if rng_clutter is None else rng_clutter
    if clutter:
        for _ in range(clutter):  # lines and specks: bright but not objects
            if rng.random() < 0.5:
                c = _line(rng, size)
            else:
                speck = Shape("disc", *rng.uniform(0, size, 2), rng.uniform(0.6, 1.2), 0.0, 0.0)
                c = shape_mask(speck, size)
            img[c & ~mask] = rng.uniform(0.5, 1.0)
        ramp = rng.uniform(-0.25, 0.25, 2)
        yy, xx = np.mgrid[0:size, 0:size] / size - 0.5
        img += ramp[0] * xx + ramp[1] * yy
    if noise > 0:
        img += rng.normal(0.0, noise, img.shape)
    return img.astype(np.float32), mask, shapes


def make_segmentation(
    n: int,
    size: int = 32,
    seed: int = 0,
    n_shapes: tuple[int, int] = (1, 3),
    clutter: int = 6,
    noise: float = 0.15,
):
    """n images (n, 1, size, size) float32, masks (n, 1, size, size) float32 and shapes.

    Two seeded streams: the shapes (hence the masks) do not change with clutter or noise."""
    rng, rng_clutter = np.random.default_rng([seed, 0]), np.random.default_rng([seed, 1])
    X = np.empty((n, 1, size, size), np.float32)
    Y = np.empty((n, 1, size, size), np.float32)
    all_shapes = []
    for i in range(n):
        k = int(rng.integers(n_shapes[0], n_shapes[1] + 1))
        img, mask, shapes = draw_image(rng, size, k, clutter, noise, rng_clutter)
        X[i, 0], Y[i, 0] = img, mask
        all_shapes.append(shapes)
    return X, Y, all_shapes
