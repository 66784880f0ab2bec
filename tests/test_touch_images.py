"""A drawing or a PNG becomes a data row exactly like the data's images (aecore.touch.images):
same size (area averaging), range and orientation. A real image laid on the pad, as the pad
holds it, gets the very code the data path gives it (float precision), on digits and digits28;
planted faults (nearest-pixel sampling, a transposed image, another range) are caught."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from aecore.data.registry import load_dataset
from aecore.errors import DataError
from aecore.models import ModelConfig, build_model
from aecore.touch import images
from aecore.touch.images import ImageSpec, area_resample, cell_px, pad_row, png_row, spec_of, to_ink, upsample
from aecore.train import predict


def _png(array: np.ndarray, mode: str | None = None) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array, mode).save(buf, format="PNG")
    return buf.getvalue()


def _model(dim: int):
    return build_model(ModelConfig(input_dim=dim, hidden=(32,), latent_dim=2, activation="relu"), seed=1)


def _strokes(ink: np.ndarray, cell: int, color: int = 255) -> np.ndarray:
    """A stroke layer as the canvas sends it: one colour, the ink as alpha (uint8), upsampled."""
    big = upsample(ink, cell)
    rgba = np.zeros((*big.shape, 4), np.uint8)
    rgba[..., :3] = color
    rgba[..., 3] = np.round(255 * big).astype(np.uint8)
    return rgba


def test_area_matrix_rows_average_and_conserve_ink():
    for n_out, n_in in ((8, 280), (28, 280), (8, 100), (28, 3), (5, 7)):
        A = images.area_matrix(n_out, n_in)
        assert A.shape == (n_out, n_in) and np.allclose(A.sum(1), 1)
        assert np.allclose(A.sum(0) * n_in / n_out, 1)  # every source pixel counted once in total
    img = np.random.default_rng(0).random((37, 53))
    assert area_resample(img, (8, 8)).mean() == pytest.approx(img.mean())


def test_area_resample_is_the_overlap_matrices_product():
    rng = np.random.default_rng(4)
    for (H, W), shape in (((280, 280), (8, 8)), ((100, 37), (28, 28)), ((5, 3), (8, 8)), ((96, 120), (8, 10))):
        img = rng.random((H, W))
        product = images.area_matrix(shape[0], H) @ img @ images.area_matrix(shape[1], W).T
        assert np.allclose(area_resample(img, shape), product, atol=1e-12)


def test_area_resample_against_a_direct_block_mean():
    img = np.random.default_rng(1).random((280, 280))
    direct = img.reshape(8, 35, 8, 35).mean(axis=(1, 3))
    assert np.allclose(area_resample(img, (8, 8)), direct, atol=1e-12)
    nearest = img[17::35, 17::35]  # a planted fault: sampling instead of averaging
    assert not np.allclose(nearest, direct, atol=1e-3)


@pytest.mark.parametrize("name", ["digits", "digits28"])
def test_a_real_image_on_the_pad_gets_the_data_path_code(name):
    ds = load_dataset(name)
    spec = spec_of(ds)
    assert spec.shape == ds.image_shape and (spec.lo, spec.hi) == (0.0, 1.0)
    model = _model(ds.dim)
    rows = np.arange(0, ds.n, ds.n // 7)[:7]
    data_codes = predict(model.encode, ds.X[rows])
    cell = cell_px(spec.shape)
    assert cell * max(spec.shape) <= images.PAD_PX
    for i, row in zip(rows, data_codes):
        ink = to_ink(ds.X[i], spec)
        canvas = upsample(ink, cell)  # what the pad shows and holds, canvas pixel by pixel
        assert canvas.shape == (spec.shape[0] * cell, spec.shape[1] * cell)
        x = images.to_row(area_resample(canvas, spec.shape), spec)
        assert np.array_equal(x, ds.X[i]) or np.abs(x - ds.X[i]).max() < 1e-6
        assert np.allclose(predict(model.encode, x[None])[0], row, atol=1e-5)
        empty = np.zeros((*canvas.shape, 4), np.uint8)
        assert np.abs(pad_row(empty, spec, background=ink) - ds.X[i]).max() < 1e-6  # the start image, no stroke
        assert not np.allclose(images.to_row(ink.T, spec), ds.X[i])  # planted fault: a transposed image


def test_strokes_drawn_with_the_pen_and_the_eraser():
    ds = load_dataset("digits")
    spec = spec_of(ds)
    cell = cell_px(spec.shape)
    ink = to_ink(ds.X[5], spec)
    drawn = pad_row(_strokes(ink, cell), spec)  # the image traced as white strokes, alpha = ink
    assert np.abs(drawn - ds.X[5]).max() <= 0.5 / 255 + 1e-9  # the canvas's 8-bit alpha
    erased = pad_row(_strokes(np.ones(spec.shape), cell, color=0), spec, background=ink)
    assert np.allclose(erased, 0)  # black strokes everywhere: nothing left of the start image
    half = np.zeros(spec.shape)
    half[:, :4] = 1
    partial = pad_row(_strokes(half, cell, color=0), spec, background=ink).reshape(spec.shape)
    assert np.allclose(partial[:, :4], 0) and np.allclose(partial[:, 4:], ds.X[5].reshape(8, 8)[:, 4:])


def test_a_finer_canvas_gives_the_same_row():
    """A phone sends its canvas at more pixels: the row does not change."""
    spec = ImageSpec((8, 8))
    ink = np.random.default_rng(2).random(spec.shape)
    assert np.allclose(pad_row(_strokes(ink, 35), spec), pad_row(_strokes(ink, 105), spec), atol=1e-12)


def test_the_data_range_is_kept():
    spec = ImageSpec((4, 4), lo=-1.0, hi=3.0)
    full = pad_row(_strokes(np.ones((4, 4)), 10), spec)
    blank = pad_row(None, spec)
    assert np.allclose(full, 3.0) and np.allclose(blank, -1.0)
    assert np.allclose(to_ink(full, spec), 1.0)


def test_png_of_a_real_image_at_any_size_and_bit_depth():
    ds = load_dataset("digits")
    spec = spec_of(ds)
    x = ds.X[11]
    big = upsample(x.reshape(8, 8), 30)
    sixteen = np.round(big * 65535).astype(np.uint16)
    row, info = png_row(_png(sixteen), spec)
    assert np.abs(row - x).max() < 1e-4 and not info["inverted"] and info["scale"] == 65535
    raw = np.round(big * 16).astype(np.uint8)  # the digits' own 0–16 scale: read as the uploads are
    row, info = png_row(_png(raw), spec)
    assert np.abs(row - x).max() < 1e-6 and info["scale"] == 16
    paper = 255 - np.round(big * 255).astype(np.uint8)  # dark ink on white paper
    row, info = png_row(_png(paper), spec)
    assert info["inverted"] and np.abs(row - x).max() <= 0.5 / 255 + 1e-6


def test_png_with_transparency_reads_like_the_pad():
    spec = ImageSpec((8, 8))
    rgba = _strokes(np.random.default_rng(3).random(spec.shape) > 0.6, 20)
    row, _ = png_row(_png(rgba, "RGBA"), spec)
    assert np.allclose(row, pad_row(rgba, spec), atol=1e-6)


def test_png_of_another_shape_is_framed_not_stretched():
    spec = ImageSpec((8, 8))
    wide = np.zeros((40, 80), np.uint8)
    wide[10:30, :] = 255  # a bar as wide as the picture, half its height
    row, _ = png_row(_png(wide), spec)
    img = row.reshape(8, 8)  # the picture centred in an 80 × 80 frame: the bar on rows 30–50 of 80
    assert np.allclose(img[3:5], 1) and np.allclose(img[:3], 0) and np.allclose(img[5:], 0)


def test_the_pads_image_from_the_browser_is_checked():
    layer = _strokes(np.random.default_rng(5).random((8, 8)), 35)
    assert np.array_equal(images.stroke_layer(_png(layer, "RGBA"), 280), layer)
    with pytest.raises(DataError, match="at most 280"):
        images.stroke_layer(_png(np.zeros((300, 300, 4), np.uint8), "RGBA"), 280)
    with pytest.raises(DataError, match="not a PNG"):
        images.stroke_layer(b"<svg/>", 280)


def test_bad_files_are_refused_with_one_line(monkeypatch):
    spec = ImageSpec((8, 8))
    with pytest.raises(DataError, match="not a PNG"):
        png_row(b"GIF89a....", spec, "drawing.png")
    with pytest.raises(DataError, match="at most"):
        png_row(_png(np.zeros((1, images.MAX_SIDE + 1), np.uint8)), spec)
    good = _png(np.zeros((20, 20), np.uint8))
    with pytest.raises(DataError, match="could not be read"):
        png_row(good[: len(good) // 2], spec)  # truncated
    monkeypatch.setattr(images, "MAX_FILE_BYTES", 10)
    with pytest.raises(DataError, match="MB"):
        png_row(good, spec)
    for exc in (DataError,):
        try:
            png_row(b"\x89PNG\r\n\x1a\nrubbish", spec, "x.png")
        except exc as e:
            assert "\n" not in str(e)
