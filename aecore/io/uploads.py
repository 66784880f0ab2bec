"""User uploads (CSV, NPZ, NPY) -> a validated, read-only ``UploadedData``.

UI wiring (backend only, no Streamlit here)::

    f = st.file_uploader(..., type=["csv", "tsv", "txt", "npz", "npy"],
                         max_upload_size=MAX_UPLOAD_BYTES // 2**20)   # MB
    try:
        up = load_upload(f.name, f.getvalue())       # keep `up` in st.session_state only
    except DataError as exc:
        st.error(error_text(exc))                    # ui.i18n: translated by exc.code

Defends against (reliability anchors §4.2, §4.3, §7): oversize uploads (``MAX_UPLOAD_BYTES``
checked before parsing), binary or non-UTF-8 text, ragged rows, text cells, NaN/inf,
values beyond ±1e6, too few rows, too many rows or columns (``aecore.data.MAX_ROWS``,
``MAX_FEATURES``, ``MIN_ROWS`` via ``validate_matrix``), and hostile NPZ/NPY files
(pickles, declared-shape and zip bombs: see ``aecore.io.npyfile``). Every rejection is a
``DataError`` naming the problem and the fix; no other exception type escapes.
Memory: a 10 MB CSV peaks near 70 MB while parsing (measured with tracemalloc); an NPZ
member may unpack to at most ``MAX_UNPACKED_BYTES`` (float32 at the row/feature caps).

Formats
* CSV: delimiter sniffed from the first row (comma, semicolon, tab, else whitespace);
  UTF-8 with or without BOM (UTF-16 with BOM too); lines starting with ``#`` skipped;
  double quotes ignored. A first row that is not all numbers is a header. A header column
  named label/labels/y/target/class (any case) is the label column; text labels become
  class ids (0, 1, ... in sorted order). With ``;`` or tab as delimiter, ``,`` is a
  decimal comma.
* NPZ: arrays ``X`` (or ``x``/``data``) and optional ``y`` (or ``labels``/``target``).
  ``X`` may be (n, D) or (n, h, w) images (flattened, image_shape = (h, w)).
* NPY: one array, as ``X`` above, no labels.

Images and rescaling rule
* ``image_shape`` is set for (n, h, w) NPZ arrays, and for tables whose D is a perfect
  square s² with 8 ≤ s ≤ 28 and no negative value (8×8 digits up to 28×28 MNIST).
* Image values that are whole numbers in [0, 255] with a maximum above 1 are divided by
  16 when the maximum is ≤ 16 (scikit-learn digits) and by 255 otherwise (8-bit pixels);
  a note says so. Non-image tables are never rescaled (lessons standardise them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from aecore.data import MAX_FEATURES, MAX_ROWS, DataError, validate_matrix
from aecore.errors import Note
from aecore.io.npyfile import NPY_MAGIC, ZIP_MAGIC, ArraySpec, read_npy, read_npz

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE, MIN_IMAGE_SIDE = 28, 8
LABEL_NAMES = ("label", "labels", "y", "target", "class")
MAX_CLASSES = 1000
MAX_UNPACKED_BYTES = MAX_ROWS * MAX_FEATURES * 4 + 4096  # one NPZ member: float32 at the caps
MAX_LINE_CHARS = 64 * (MAX_FEATURES + 1)  # bounds the strings one row is split into
EXTENSIONS = (".csv", ".tsv", ".txt", ".npz", ".npy")

_X_SPEC = ArraySpec(ndims=(2, 3), max_rows=MAX_ROWS, max_row_size=MAX_FEATURES)
_Y_SPEC = ArraySpec(ndims=(1, 2), max_rows=MAX_ROWS, max_row_size=1, kinds="biufU", max_itemsize=4 * 64)
_NPZ_ALIASES = {"X": "X", "x": "X", "data": "X", "y": "y", "labels": "y", "target": "y"}


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


def load_upload(name: str, data: bytes) -> UploadedData:
    """Parse and validate an uploaded file (format from its first bytes, else its name)."""
    name = str(name)[:200] or "upload"
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
            f"{name} is empty; upload a CSV or NPZ file with at least 10 rows.",
            code="upload_empty",
            params=dict(name=name),
        )
    lower = name.lower()
    if lower.endswith((".xlsx", ".xls", ".ods", ".json", ".parquet", ".pkl", ".pickle")):
        raise DataError(
            f"{name}: this file type is not read; save the table as CSV (or the arrays as NPZ) and upload that.",
            code="unsupported_type",
            params=dict(name=name),
        )
    if data.startswith(ZIP_MAGIC) or lower.endswith(".npz"):
        X, y, shape, notes, classes = _from_npz(name, data)
        return _finish(name, X, y, shape, notes, None, classes)
    if data.startswith(NPY_MAGIC) or lower.endswith(".npy"):
        X = read_npy(data, name, _X_SPEC)
        X, shape = _flatten_images(name, X)
        return _finish(name, X, None, shape, [], None, None)
    X, y, columns, notes, classes = _from_csv(name, data)
    return _finish(name, X, y, None, notes, columns, classes)


# ---------------------------------------------------------------- NPZ / NPY


def _flatten_images(name: str, X: np.ndarray) -> tuple[np.ndarray, tuple[int, int] | None]:
    if X.ndim == 2:
        return X, None
    h, w = X.shape[1], X.shape[2]
    if max(h, w) > MAX_IMAGE_SIDE:
        raise DataError(
            f"{name} holds {h}×{w} images; at most {MAX_IMAGE_SIDE}×"
            f"{MAX_IMAGE_SIDE} are supported. Downscale them first.",
            code="images_too_large",
            params=dict(name=name, h=h, w=w, max=MAX_IMAGE_SIDE),
        )
    return X.reshape(X.shape[0], h * w), (int(h), int(w))


def _from_npz(name: str, data: bytes):
    arrays = read_npz(data, name, {"X": _X_SPEC, "y": _Y_SPEC}, _NPZ_ALIASES, max_member_bytes=MAX_UNPACKED_BYTES)
    X, shape = _flatten_images(name, arrays["X"])
    y, classes, notes = None, None, []
    if "y" in arrays:
        y = arrays["y"].reshape(-1) if arrays["y"].ndim == 2 else arrays["y"]
        if y.shape[0] != X.shape[0]:
            raise DataError(
                f"{name}: y has {y.shape[0]} labels but X has {X.shape[0]} rows; give one label per row.",
                code="label_count",
                params=dict(name=name, labels=y.shape[0], rows=X.shape[0]),
            )
        y, classes, notes = _encode_labels(name, y)
    return X, y, shape, notes, classes


# ---------------------------------------------------------------- CSV


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    else:
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise DataError(
            f"{name} is not a UTF-8 text file; upload a CSV (or an NPZ) saved as UTF-8.",
            code="not_utf8",
            params=dict(name=name),
        ) from None
    if "\x00" in text:
        raise DataError(
            f"{name} looks like a binary file; upload a CSV text file or an NPZ.",
            code="binary_file",
            params=dict(name=name),
        )
    return text


def _sniff(first: str) -> str | None:
    """Delimiter of the first row: tab, else semicolon, else comma, else whitespace (None).

    Numbers never contain a tab or a semicolon, so either one is the delimiter when present.
    """
    return next((d for d in ("\t", ";", ",") if d in first), None)


def _cells(line: str, delim: str | None) -> list[str]:
    return [c.strip() for c in (line.split(delim) if delim else line.split())]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _from_csv(name: str, data: bytes):
    text = _decode(name, data).replace('"', "")
    if text.count("\n") > 2 * MAX_ROWS + 100:  # before building a list of lines
        n_lines = text.count("\n")
        raise DataError(
            f"{name} has {n_lines} lines; the limit is {MAX_ROWS} rows. Upload a sample of the rows.",
            code="too_many_rows",
            params=dict(name=name, rows=n_lines, max=MAX_ROWS),
        )
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    del text
    if not lines:
        raise DataError(
            f"{name} has no rows of data; upload at least 10 rows of numbers.", code="no_rows", params=dict(name=name)
        )
    long = next((i for i, ln in enumerate(lines) if len(ln) > MAX_LINE_CHARS), None)
    if long is not None:
        raise DataError(
            f"{name}: row {long + 1} is {len(lines[long])} characters long; at "
            f"most {MAX_FEATURES} columns of numbers are accepted. Keep fewer "
            "columns.",
            code="row_too_long",
            params=dict(name=name, row=long + 1, max=MAX_FEATURES),
        )
    delim = _sniff(lines[0])
    notes: list[str] = []
    if delim in ("\t", ";") and any("," in ln for ln in lines[:50]):
        lines = [ln.replace(",", ".") for ln in lines]
        notes.append(Note("read ',' as a decimal comma", "decimal_comma"))
    first = _cells(lines[0], delim)
    has_header = not all(_is_number(c) for c in first)
    columns = first if has_header else None
    rows = lines[1:] if has_header else lines
    width = len(first)
    label_idx = None
    if columns is not None:
        lowered = [c.strip().lower() for c in columns]
        names = [n for n in LABEL_NAMES if not (n == "y" and "x" in lowered)]  # x, y = points
        hits = [i for i, c in enumerate(lowered) if c in names]
        label_idx = hits[0] if hits else None
    n_features = width - (label_idx is not None)
    if n_features > MAX_FEATURES:
        raise DataError(
            f"{name} has {n_features} columns; the limit is {MAX_FEATURES}. Keep fewer columns.",
            code="too_many_columns",
            params=dict(name=name, columns=n_features, max=MAX_FEATURES),
        )
    if len(rows) > MAX_ROWS:
        raise DataError(
            f"{name} has {len(rows)} rows; the limit is {MAX_ROWS}. Upload a sample of the rows.",
            code="too_many_rows",
            params=dict(name=name, rows=len(rows), max=MAX_ROWS),
        )
    if not rows:
        raise DataError(
            f"{name} has a header but no rows of data; add at least 10 rows.", code="no_rows", params=dict(name=name)
        )
    keep = [j for j in range(width) if j != label_idx]
    X = np.empty((len(rows), len(keep)), dtype=np.float64)  # ≤ 5 M cells under the byte cap
    col: list[str] = []
    for i, ln in enumerate(rows):
        cells = _cells(ln, delim)
        if len(cells) != width:
            raise DataError(
                f"{name}: row {i + 1 + has_header} has {len(cells)} cells, the "
                f"first row has {width}; every row needs the same columns.",
                code="ragged_row",
                params=dict(name=name, row=i + 1 + has_header, cells=len(cells), width=width),
            )
        if label_idx is not None:
            col.append(cells.pop(label_idx))
        try:
            X[i] = np.array(cells, dtype=np.float64)
        except (ValueError, OverflowError):
            j = next((k for k, c in enumerate(cells) if not _is_number(c)), 0)
            j_file = j + (label_idx is not None and j >= label_idx)
            raise DataError(
                f"{name}: row {i + 1 + has_header}, column {j_file + 1} holds "
                f"{cells[j][:30]!r}, which is not a number; numbers only "
                "(a text column may only be the label column).",
                code="not_a_number",
                params=dict(name=name, row=i + 1 + has_header, column=j_file + 1, cell=cells[j][:30]),
            ) from None
    y, classes = None, None
    if label_idx is not None:
        raw = np.array(col, dtype=float) if all(map(_is_number, col)) else np.array(col)
        y, classes, label_notes = _encode_labels(name, raw)
        notes += [
            Note(f"column {columns[label_idx]!r} used as labels", "label_column", column=columns[label_idx]),
            *label_notes,
        ]
        columns = [c for j, c in enumerate(columns) if j != label_idx]
    return X, y, tuple(columns) if columns else None, notes, classes


# ---------------------------------------------------------------- shared


def _encode_labels(name: str, y: np.ndarray):
    """Labels -> int64 class ids (text or whole numbers) or float32 values."""
    notes: list[str] = []
    if y.dtype.kind == "U":
        classes, ids = np.unique(y, return_inverse=True)
        if len(classes) > MAX_CLASSES:
            raise DataError(
                f"{name}: the labels have {len(classes)} different texts; at most {MAX_CLASSES} classes are supported.",
                code="too_many_classes",
                params=dict(name=name, classes=len(classes), max=MAX_CLASSES),
            )
        notes.append(
            Note(f"text labels mapped to class ids 0-{len(classes) - 1}", "text_labels", last=len(classes) - 1)
        )
        return ids.astype(np.int64), tuple(str(c) for c in classes), notes
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
        return y.astype(np.int64), None, notes
    notes.append(Note("labels are not whole numbers; they are kept as values", "real_labels"))
    return y.astype(np.float32), None, notes


def _image_shape(X: np.ndarray) -> tuple[int, int] | None:
    side = math.isqrt(X.shape[1])
    if side * side == X.shape[1] and MIN_IMAGE_SIDE <= side <= MAX_IMAGE_SIDE and X.min(initial=0) >= 0:
        return side, side
    return None


def _finish(name, X, y, shape, notes, columns, classes) -> UploadedData:
    notes = list(notes)
    if X.dtype == bool:
        X = X.astype(np.uint8)
    X = validate_matrix(X, name)  # finite, bounds, caps -> float32
    shape = shape or _image_shape(X)
    if shape is not None:
        lo, hi = float(X.min()), float(X.max())
        if lo >= 0 and 1 < hi <= 255 and np.all(X == np.round(X)):
            scale = 16.0 if hi <= 16 else 255.0
            X = X / np.float32(scale)
            notes.append(Note(f"rescaled from 0-{scale:g} to 0-1", "rescaled", scale=f"{scale:g}"))
        notes.append(Note(f"shown as {shape[0]}×{shape[1]} images", "images", h=shape[0], w=shape[1]))
    X = np.ascontiguousarray(X, dtype=np.float32)
    X.setflags(write=False)
    if y is not None:
        y = np.ascontiguousarray(y)
        y.setflags(write=False)
    return UploadedData(name, X, y, shape, tuple(notes), columns, classes)
