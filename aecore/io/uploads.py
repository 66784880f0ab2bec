"""User uploads (CSV, NPZ, NPY) -> a validated, read-only ``UploadedData``.

Formats: text tables (``aecore.io.csvfile``); NPZ with arrays ``X`` (or ``x``/``data``)
and optional ``y`` (or ``labels``/``target``); NPY with one array, as ``X``. ``X`` may be
(n, D) or (n, h, w) images (flattened, ``image_shape = (h, w)``). Text labels become class
ids (0, 1, ... in sorted order).

Images: ``image_shape`` is also set for tables whose D is a perfect square s² with
8 ≤ s ≤ 28 and no negative value. Image values that are whole numbers in [0, 255] with a
maximum above 1 are divided by 16 when the maximum is ≤ 16 (scikit-learn digits), else by
255; a note says so. Other tables are never rescaled (lessons standardise them).

Defences: the byte cap (``MAX_UPLOAD_BYTES``) before parsing; NPZ/NPY headers checked
before allocating (``aecore.io.npyfile``); a memory budget proportional to the file size
(``memory_budget``: what an archive unpacks to is charged before it is unpacked); at most
``MAX_PARALLEL`` uploads parsed at once on a server; then ``validate_matrix`` (finite,
±1e6, rows, features). Every rejection is a ``DataError`` with a code; nothing else escapes.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np

from aecore.data.dataset import MAX_FEATURES, MAX_ROWS, MIN_ROWS, validate_matrix
from aecore.errors import DataError, Note
from aecore.io.csvfile import MAX_CLASSES, MAX_LABEL_CHARS, is_number, read_table
from aecore.io.npyfile import NPY_MAGIC, ZIP_MAGIC, ArraySpec, read_npy, read_npz

__all__ = ["MAX_LABEL_CHARS", "MAX_UPLOAD_BYTES", "UploadedData", "load_upload", "memory_budget"]

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE, MIN_IMAGE_SIDE = 28, 8
MAX_UNPACKED_BYTES = MAX_ROWS * MAX_FEATURES * 4 + 4096  # one NPZ member: float32 at the caps
MAX_PARALLEL = 2  # uploads parsed at once per server: bounds the parsing peaks together
EXTENSIONS = (".csv", ".tsv", ".txt", ".npz", ".npy")

_X_SPEC = ArraySpec(ndims=(2, 3), max_rows=MAX_ROWS, max_row_size=MAX_FEATURES)
_Y_SPEC = ArraySpec(ndims=(1, 2), max_rows=MAX_ROWS, max_row_size=1, kinds="biufU", max_itemsize=4 * MAX_LABEL_CHARS)
_NPZ_ALIASES = {"X": "X", "x": "X", "data": "X", "y": "y", "labels": "y", "target": "y"}
_parsing = threading.BoundedSemaphore(MAX_PARALLEL)


def memory_budget(size: int) -> int:
    """Bytes an upload of ``size`` bytes may cost its reader at the peak: 20× + 50 MB."""
    return 20 * size + 50 * 2**20


def _array_cost(shape: tuple[int, ...], dtype: np.dtype) -> int:
    """An unpacked array's bytes twice (read buffer, array) plus its float32 copy."""
    n = math.prod(shape)
    return n * (2 * dtype.itemsize + 4)


@dataclass(frozen=True)
class UploadedData:
    """A validated upload: X (n, D) float32 read-only; y (n,) read-only or None."""

    name: str
    X: np.ndarray
    y: np.ndarray | None = None
    image_shape: tuple[int, int] | None = None
    notes: tuple[str, ...] = ()
    columns: tuple[str, ...] | None = None  # CSV header names of the features
    classes: tuple[str, ...] | None = None  # text labels, indexed by y

    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    @property
    def dim(self) -> int:
        return int(self.X.shape[1])


def _check_bytes(name: str, data: object) -> bytes:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise DataError("the upload could not be read as bytes; upload the file again.", code="upload_unreadable")
    data = bytes(data)
    if len(data) > MAX_UPLOAD_BYTES:
        size, limit = f"{len(data) / 2**20:.1f}", MAX_UPLOAD_BYTES // 2**20
        raise DataError(
            f"{name} is {size} MB; the limit is {limit} MB. Upload a sample of the rows.",
            code="upload_too_large",
            params=dict(name=name, size=size, limit=limit),
        )
    if not data.strip():
        raise DataError(
            f"{name} is empty; upload a CSV or NPZ file with at least {MIN_ROWS} rows.",
            code="upload_empty",
            params=dict(name=name, min=MIN_ROWS),
        )
    if name.lower().endswith((".xlsx", ".xls", ".ods", ".json", ".parquet", ".pkl", ".pickle")):
        raise DataError(
            f"{name}: this file type is not read; save the table as CSV (or the arrays as NPZ) and upload that.",
            code="unsupported_type",
            params=dict(name=name),
        )
    return data


def load_upload(name: str, data: bytes) -> UploadedData:
    """Parse and validate an uploaded file (format from its first bytes, else its name).

    Parameters
    ----------
    name : the file's name, as the user gave it (shown escaped, cut to 200 characters).
    data : its bytes: a CSV table (an optional header, a label column), an .npy matrix,
        or an .npz with X (and y); the caps are checked before anything large is allocated.

    Returns
    -------
    UploadedData: X (n, D) float32 and y read-only, image_shape when D is a square,
    notes on what was read; raises DataError with a code saying what to fix.

    Example
    -------
    >>> up = load_upload("t.csv", b"a,b,label\\n" + b"0.1,0.2,0\\n0.3,0.4,1\\n" * 10)
    >>> up.X.shape, up.y[:2].tolist()
    ((20, 2), [0, 1])
    """
    name = str(name)[:200] or "upload"
    data = _check_bytes(name, data)
    lower = name.lower()
    with _parsing:
        if data.startswith(ZIP_MAGIC) or lower.endswith(".npz"):
            return _from_npz(name, data)
        if data.startswith(NPY_MAGIC) or lower.endswith(".npy"):
            X, shape = _flatten_images(name, read_npy(data, name, _X_SPEC))
            return _finish(name, X, None, shape, [], None, None)
        table = read_table(name, data)
        del data
        y, classes, notes = (None, None, []) if table.labels is None else _encode_labels(name, table.labels)
        return _finish(name, table.X, y, None, table.notes + notes, table.columns, classes)


def _flatten_images(name: str, X: np.ndarray) -> tuple[np.ndarray, tuple[int, int] | None]:
    if X.ndim == 2:
        return X, None
    h, w = X.shape[1], X.shape[2]
    if max(h, w) > MAX_IMAGE_SIDE:
        raise DataError(
            f"{name} holds {h}×{w} images; at most {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE} are supported. "
            "Downscale them first.",
            code="images_too_large",
            params=dict(name=name, h=h, w=w, max=MAX_IMAGE_SIDE),
        )
    return X.reshape(X.shape[0], h * w), (int(h), int(w))


def _from_npz(name: str, data: bytes) -> UploadedData:
    budget = (memory_budget(len(data)) - 8 * 2**20 - 2 * len(data), _array_cost)  # file and zip buffers aside
    specs = {"X": _X_SPEC, "y": _Y_SPEC}
    arrays = read_npz(data, name, specs, _NPZ_ALIASES, max_member_bytes=MAX_UNPACKED_BYTES, budget=budget)
    X, shape = _flatten_images(name, arrays.pop("X"))
    y, classes, notes = None, None, []
    if "y" in arrays:
        y = arrays["y"].reshape(-1)
        if y.shape[0] != X.shape[0]:
            raise DataError(
                f"{name}: y has {y.shape[0]} labels but X has {X.shape[0]} rows; give one label per row.",
                code="label_count",
                params=dict(name=name, labels=y.shape[0], rows=X.shape[0]),
            )
        y, classes, notes = _encode_labels(name, y)
    return _finish(name, X, y, shape, notes, None, classes)


def _text_classes(name: str, labels) -> tuple[np.ndarray, tuple[str, ...], list[Note]]:
    classes = sorted({str(v) for v in labels})
    if len(classes) > MAX_CLASSES:
        raise DataError(
            f"{name}: the labels have {len(classes)} different texts; at most {MAX_CLASSES} classes are supported.",
            code="too_many_classes",
            params=dict(name=name, classes=len(classes), max=MAX_CLASSES),
        )
    index = {c: i for i, c in enumerate(classes)}
    ids = np.fromiter((index[str(v)] for v in labels), dtype=np.int64, count=len(labels))
    note = Note(f"text labels mapped to class ids 0-{len(classes) - 1}", "text_labels", last=len(classes) - 1)
    return ids, tuple(classes), [note]


def _encode_labels(name: str, y) -> tuple[np.ndarray, tuple[str, ...] | None, list[Note]]:
    """Labels (an array, or a CSV column's cells) -> int64 class ids (text or whole
    numbers) or float32 values."""
    if isinstance(y, list):
        if not all(map(is_number, y)):
            return _text_classes(name, y)
        y = np.array(y, dtype=np.float64)
    elif y.dtype.kind == "U":
        return _text_classes(name, y.tolist())
    y = y.astype(np.float64)
    if not np.isfinite(y).all():
        raise DataError(
            f"{name}: the labels contain missing or infinite values; fill them.",
            code="labels_non_finite",
            params=dict(name=name),
        )
    if np.abs(y).max(initial=0) > 1e9:
        raise DataError(
            f"{name}: the labels go beyond ±1e9; use small class ids.", code="labels_too_large", params=dict(name=name)
        )
    if np.all(y == np.round(y)):
        return y.astype(np.int64), None, []
    return y.astype(np.float32), None, [Note("labels are not whole numbers; they are kept as values", "real_labels")]


def _image_shape(X: np.ndarray) -> tuple[int, int] | None:
    side = math.isqrt(X.shape[1])
    if side * side == X.shape[1] and MIN_IMAGE_SIDE <= side <= MAX_IMAGE_SIDE and X.min(initial=0) >= 0:
        return side, side
    return None


def _whole_numbers(X: np.ndarray, rows: int = 4096) -> bool:
    """All values whole, checked in row blocks (no full-size temporaries)."""
    return all(np.array_equal(X[i : i + rows], np.round(X[i : i + rows])) for i in range(0, len(X), rows))


def _finish(name, X, y, shape, notes, columns, classes) -> UploadedData:
    notes = list(notes)
    integral = X.dtype.kind in "biu"
    X = validate_matrix(X, name)  # finite, bounds, caps -> a float32 array of our own
    shape = shape or _image_shape(X)
    if shape is not None:
        lo, hi = float(X.min()), float(X.max())
        if lo >= 0 and 1 < hi <= 255 and (integral or _whole_numbers(X)):
            scale = 16.0 if hi <= 16 else 255.0
            X /= np.float32(scale)  # in place: X is our own copy
            notes.append(Note(f"rescaled from 0-{scale:g} to 0-1", "rescaled", scale=f"{scale:g}"))
        notes.append(Note(f"shown as {shape[0]}×{shape[1]} images", "images", h=shape[0], w=shape[1]))
    X.setflags(write=False)
    if y is not None:
        y = np.ascontiguousarray(y)
        y.setflags(write=False)
    return UploadedData(name, X, y, shape, tuple(notes), columns, classes)
