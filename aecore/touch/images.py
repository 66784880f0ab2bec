"""Drawings and picture files as data rows, resampled exactly like the data set's images.

An image of a data set is a row x ∈ [lo, hi]^(h·w): the data's own range ([0, 1] for the
built-in 8×8 digits, digits28 and MNIST, which are scaled so when loaded; an upload's own
minimum and maximum otherwise), row-major with row 0 at the top, the order in which
``aecore.figures.common.image_grid`` draws it. Ink is high (white on black).

A drawing, or a PNG of any size, becomes such a row by area averaging (a box filter): each
target pixel is the mean of the source area it covers, with fractional weights where a
source pixel straddles two target pixels, i.e. x = R S Cᵀ with R (h × H) and C (w × W) the
row and column overlap matrices (rows summing to 1). Upsampling an image by whole pixels and
averaging back returns it exactly, so a data image laid on the drawing pad gives the data's
own row.

The pad returns its strokes as an RGBA layer over a background b (an image of the data, or
black). Its ink, composited with alpha α and stroke luminance L, is b(1 − α) + Lα per canvas
pixel; averaged over a target pixel where b is constant, that is b(1 − Ā) + B̄ with Ā the
mean of α and B̄ the mean of Lα, whatever the canvas's resolution (a phone sends more pixels).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from aecore.errors import DataError

PAD_PX = 280  # the pad's side on a normal screen (the data's 28×28 at 10 px a pixel)
MAX_FILE_BYTES = 8 * 2**20  # a PNG larger than this is refused before it is decoded
MAX_SIDE = 4096  # nor is a PNG wider or taller than this
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R BT.601 luma, as Pillow's convert("L")


@dataclass(frozen=True)
class ImageSpec:
    """What a row of the data set is: image shape (h, w) and value range [lo, hi]."""

    shape: tuple[int, int]
    lo: float = 0.0
    hi: float = 1.0

    @property
    def dim(self) -> int:
        return self.shape[0] * self.shape[1]


def spec_of(ds) -> ImageSpec | None:
    """The ImageSpec of a Dataset (None for data that are not images)."""
    if ds.image_shape is None:
        return None
    lo, hi = float(ds.X.min()), float(ds.X.max())
    return ImageSpec(tuple(int(s) for s in ds.image_shape), lo, hi if hi > lo else lo + 1.0)


def area_matrix(n_out: int, n_in: int) -> np.ndarray:
    """(n_out, n_in) weights of a box filter: output i averages input [i, i + 1)·n_in/n_out."""
    edges = np.arange(n_out + 1) * (n_in / n_out)
    left, right = edges[:-1, None], edges[1:, None]
    j = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(right, j + 1) - np.maximum(left, j), 0.0, None)
    return overlap / overlap.sum(1, keepdims=True)


def _box(a: np.ndarray, n_out: int) -> np.ndarray:
    """``area_matrix(n_out, len(a)) @ a`` without a matrix product: the integral of the
    piecewise-constant rows up to t is the cumulative sum, linear between whole t, so each
    output is a difference of it at its two edges over their distance. (A product would go to
    the BLAS, whose threads stall on a busy server: 60 ms instead of 0.1 ms for 280 → 28.)"""
    n_in = a.shape[0]
    cum = np.concatenate([np.zeros((1, *a.shape[1:])), np.cumsum(a, 0)])
    edges = np.arange(n_out + 1) * (n_in / n_out)
    i = np.minimum(edges.astype(int), n_in - 1)
    at_edges = cum[i] + (edges - i)[:, None] * a[i]
    return (at_edges[1:] - at_edges[:-1]) / (n_in / n_out)


def area_resample(img: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``img`` (H, W) averaged (or spread, when smaller) onto ``shape`` (h, w), float64:
    R img Cᵀ with the overlap matrices of ``area_matrix``."""
    a = np.asarray(img, np.float64)
    return _box(_box(a, shape[0]).T, shape[1]).T


def to_row(ink: np.ndarray, spec: ImageSpec) -> np.ndarray:
    """Ink in [0, 1] of shape ``spec.shape`` as a data row (float32, row-major) in [lo, hi]."""
    return (spec.lo + (spec.hi - spec.lo) * np.asarray(ink, np.float64)).reshape(-1).astype(np.float32)


def to_ink(row: np.ndarray, spec: ImageSpec) -> np.ndarray:
    """A data row back to ink in [0, 1], shape ``spec.shape`` (the inverse of ``to_row``)."""
    ink = (np.asarray(row, np.float64) - spec.lo) / (spec.hi - spec.lo)
    return np.clip(ink, 0.0, 1.0).reshape(spec.shape)


def cell_px(shape: tuple[int, int], side: int = PAD_PX) -> int:
    """Whole screen pixels per image pixel so that the pad is at most ``side`` wide and tall."""
    return max(1, side // max(shape))


def upsample(ink: np.ndarray, cell: int) -> np.ndarray:
    """Each pixel as a ``cell`` × ``cell`` block (what the pad shows behind the strokes)."""
    return np.kron(np.asarray(ink, np.float64), np.ones((cell, cell)))


def _luma(rgb: np.ndarray) -> np.ndarray:
    """Σ_c LUMA_c · rgb[..., c], written out (a matrix product would go to the BLAS threads)."""
    return LUMA[0] * rgb[..., 0] + LUMA[1] * rgb[..., 1] + LUMA[2] * rgb[..., 2]


def stroke_coverage(rgba: np.ndarray, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(Ā, B̄): the mean alpha and the mean luminance × alpha of a stroke layer per target pixel."""
    layer = np.asarray(rgba)
    alpha = layer[..., 3] / 255.0
    return area_resample(alpha, shape), area_resample(_luma(layer) / 255.0 * alpha, shape)


def pad_row(rgba: np.ndarray | None, spec: ImageSpec, background: np.ndarray | None = None) -> np.ndarray:
    """The data row of the pad: strokes ``rgba`` (H, W, 4, uint8; None: none yet) over
    ``background`` (ink in [0, 1] of shape ``spec.shape``; None: black)."""
    bg = np.zeros(spec.shape) if background is None else np.asarray(background, np.float64)
    if rgba is None:
        return to_row(bg, spec)
    cover, ink = stroke_coverage(rgba, spec.shape)
    return to_row(bg * (1.0 - cover) + ink, spec)


def _decode(data: bytes, name: str):
    """The PNG's first frame as a Pillow image, after the checks that need no decoding."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_FILE_BYTES:
        raise DataError(f"{name} is {len(data) / 2**20:.1f} MB; a drawing is at most {MAX_FILE_BYTES // 2**20} MB.")
    if not data.startswith(PNG_MAGIC):
        raise DataError(f"{name} is not a PNG image.")
    try:
        img = Image.open(io.BytesIO(data))
        w, h = img.size
        if max(w, h) > MAX_SIDE or min(w, h) < 1:
            raise DataError(f"{name} is {w}×{h} pixels; at most {MAX_SIDE}×{MAX_SIDE}.")
        if getattr(img, "n_frames", 1) > 1:
            raise DataError(f"{name} is an animated PNG; give a single greyscale image.")
        img.load()
    except DataError:
        raise
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise DataError(f"{name} could not be read as a greyscale image ({exc}).") from None
    return img


def stroke_layer(data: bytes, max_side: int) -> np.ndarray:
    """The pad's stroke layer (a PNG the browser sends) as RGBA uint8 (H, W, 4), checked like a
    file (``MAX_FILE_BYTES``) and no wider or taller than ``max_side``: what comes from a
    browser is not trusted."""
    img = _decode(data, "the pad's image")
    if max(img.size) > max_side:
        raise DataError(f"the pad's image is {img.size[0]}×{img.size[1]} pixels; at most {max_side}.")
    return np.asarray(img.convert("RGBA"))


def _grey(img) -> tuple[np.ndarray, float, np.ndarray | None]:
    """(grey values in the file's units, their full scale, alpha in [0, 1] or None)."""
    if img.mode in ("I", "I;16", "I;16B", "I;16L"):  # 16-bit greyscale
        return np.asarray(img, np.float64), 65535.0, None
    if img.mode in ("LA", "RGBA", "PA") or "transparency" in img.info:
        rgba = np.asarray(img.convert("RGBA"), np.float64)
        return _luma(rgba), 255.0, rgba[..., 3] / 255.0
    if img.mode not in ("1", "L", "P", "RGB"):
        raise DataError(f"its pixels ({img.mode}) have no greyscale reading.")
    grey = np.asarray(img.convert("L"), np.float64)
    return grey, (16.0 if grey.max() <= 16 else 255.0), None  # the uploads' rule: 0–16 is the digits' scale


def png_ink(data: bytes, name: str = "the image") -> tuple[np.ndarray, dict]:
    """A PNG file as ink in [0, 1] at its own size, and how it was read. Its values are
    scaled as uploaded images are (``aecore.io.uploads``): 16-bit ones by 65 535, 8-bit ones
    by 16 when none exceeds 16 (the 8×8 digits' scale) and by 255 otherwise. Transparent
    pixels are paper; dark ink on light paper (a border brighter than mid-grey) is inverted
    to the data's light ink on black."""
    img = _decode(data, name)
    try:
        grey, scale, alpha = _grey(img)
    except DataError as exc:
        raise DataError(f"{name} could not be read as a greyscale image ({exc}).") from None
    grey = np.clip(grey / scale, 0.0, 1.0)
    if alpha is not None:  # paper under the transparent parts: the opposite of the drawn ink
        drawn = float((grey * alpha).sum() / max(alpha.sum(), 1e-12))
        grey = grey * alpha + (0.0 if drawn >= 0.5 else 1.0) * (1.0 - alpha)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    inverted = bool(border.mean() > 0.5)
    ink = 1.0 - grey if inverted else grey
    size = [int(img.size[1]), int(img.size[0])]
    return ink, {"size": size, "mode": img.mode, "scale": scale, "inverted": inverted}


def png_row(data: bytes, spec: ImageSpec, name: str = "the image") -> tuple[np.ndarray, dict]:
    """A PNG file as a data row of ``spec``; ``png_ink`` says how it was read. An image of
    another shape is centred on a black frame of the data's aspect first (never stretched)."""
    ink, info = png_ink(data, name)
    h, w = ink.shape
    ratio = spec.shape[0] / spec.shape[1]
    H, W = max(h, round(w * ratio)), max(w, round(h / ratio))
    framed = np.zeros((H, W))
    top, left = (H - h) // 2, (W - w) // 2
    framed[top : top + h, left : left + w] = ink
    return to_row(area_resample(framed, spec.shape), spec), info
