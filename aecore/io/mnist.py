"""MNIST and Fashion-MNIST from local files (or, only when allowed, OpenML).

Where the files go (``data_dir()``: env ``AE_DATA_DIR``, else ``data/`` at the repo root;
see ``data/README.md`` and ``aecore.io.mnist_files``), first match wins:

1. ``<data>/<kind>.npz`` with arrays x_train, y_train, x_test, y_test (Keras layout);
2. ``<data>/<kind>/`` with the four IDX files ``train-images-idx3-ubyte``,
   ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``,
   each gzip-compressed (``.gz``) or not;
3. only with ``allow_download=True``: OpenML (``mnist_784`` / ``Fashion-MNIST``) through
   scikit-learn, cached in ``<data>/openml``.

``kind`` is ``"mnist"`` or ``"fashion_mnist"``. These files are never needed for the tests
or the default runs. Images come back as (n, 784) float32 in [0, 1], labels int64,
read-only, ``image_shape=(28, 28)``.

Defends against: malformed, damaged (bad gzip data) or crafted IDX files (magic number, element type, number of
dimensions, 28×28 size, counts ≤ ``MAX_MNIST_ROWS`` and matching the payload exactly,
gzip output bounded by the declared size), NPZ files through ``aecore.io.npyfile``
(no pickles, header-checked shapes, zip-bomb ratio), label/image count mismatches and
labels outside 0-9, and a silent network access (off unless asked). Messages name files,
never the server's folders. Memory: the raw uint8 arrays of at most two datasets are
cached (about 55 MB each).
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from aecore.data.dataset import Dataset
from aecore.errors import DataError
from aecore.io.mnist_files import IDX_FILES, KINDS, data_dir, find_file, fingerprint, how_to_add
from aecore.io.npyfile import ArraySpec, read_npz

__all__ = ["IDX_FILES", "KINDS", "clear_cache", "data_dir", "load_mnist", "parse_idx"]

SIDE, N_CLASSES, MAX_MNIST_ROWS = 28, 10, 70_000
MAX_FILE_BYTES = 128 * 1024 * 1024
N_TRAIN = 60_000


# ---------------------------------------------------------------- IDX


def parse_idx(raw: bytes | gzip.GzipFile, label: str, ndim: int) -> np.ndarray:
    """Parse an IDX file of unsigned bytes (bytes or an open gzip stream) with checks."""
    read = raw.read if hasattr(raw, "read") else _reader(raw)
    head = read(4)
    if len(head) != 4 or head[0] != 0 or head[1] != 0:
        raise DataError(
            f"{label} is not an IDX file (bad magic number).", code="idx_bad_magic", params=dict(name=label)
        )
    if head[2] != 0x08:
        raise DataError(
            f"{label} holds IDX element type 0x{head[2]:02x}; MNIST files hold unsigned bytes (0x08).",
            code="idx_element_type",
            params=dict(name=label, type=f"0x{head[2]:02x}"),
        )
    if head[3] != ndim:
        raise DataError(
            f"{label} has {head[3]} dimension(s); {ndim} expected.",
            code="idx_ndim",
            params=dict(name=label, ndim=head[3], expected=ndim),
        )
    dims_raw = read(4 * ndim)
    if len(dims_raw) != 4 * ndim:
        raise DataError(f"{label} is truncated in its header.", code="idx_truncated", params=dict(name=label))
    dims = tuple(int(d) for d in np.frombuffer(dims_raw, dtype=">u4"))
    if not 1 <= dims[0] <= MAX_MNIST_ROWS or (ndim == 3 and dims[1:] != (SIDE, SIDE)):
        raise DataError(
            f"{label} declares shape {dims}; expected up to {MAX_MNIST_ROWS} "
            f"items{f' of {SIDE}×{SIDE} pixels' if ndim == 3 else ''}.",
            code="idx_shape_images" if ndim == 3 else "idx_shape",
            params=dict(name=label, shape=dims, max=MAX_MNIST_ROWS, side=SIDE),
        )
    size = math.prod(dims)
    payload = read(size + 1)  # bounded: never more than declared + 1
    if len(payload) != size:
        raise DataError(
            f"{label} holds {len(payload)} bytes of data for a declared {dims} ({size} bytes); the file is damaged.",
            code="idx_damaged",
            params=dict(name=label, got=len(payload), shape=dims, size=size),
        )
    return np.frombuffer(payload, dtype=np.uint8).reshape(dims)


def _reader(buf: bytes):
    pos = 0

    def read(n: int) -> bytes:
        nonlocal pos
        out = buf[pos : pos + n]
        pos += len(out)
        return out

    return read


def read_idx_file(path: Path, ndim: int) -> np.ndarray:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataError(
            f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB; not an MNIST file.",
            code="idx_too_large",
            params=dict(name=path.name, limit=MAX_FILE_BYTES // 2**20),
        )
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as fp:
                return parse_idx(fp, path.name, ndim)
        return parse_idx(path.read_bytes(), path.name, ndim)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise DataError(
            f"{path.name} could not be read ({type(exc).__name__}): it is damaged or unreadable; copy it again.",
            code="file_unreadable",
            params=dict(name=path.name),
        ) from None


def _from_idx(folder: Path) -> dict[str, np.ndarray] | None:
    paths = {split: tuple(find_file(folder, s) for s in stems) for split, stems in IDX_FILES.items()}
    if not all(p for pair in paths.values() for p in pair):
        return None
    out = {}
    for split, (img, lab) in paths.items():
        out[f"x_{split}"] = read_idx_file(img, 3)
        out[f"y_{split}"] = read_idx_file(lab, 1)
    return out


def _from_npz(path: Path) -> dict[str, np.ndarray]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataError(
            f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB.",
            code="file_too_large",
            params=dict(name=path.name, limit=MAX_FILE_BYTES // 2**20),
        )
    x = ArraySpec(ndims=(2, 3), max_rows=MAX_MNIST_ROWS, max_row_size=SIDE * SIDE, kinds="u", max_itemsize=1)
    y = ArraySpec(ndims=(1,), max_rows=MAX_MNIST_ROWS, max_row_size=1, kinds="iu")
    names = ("x_train", "y_train", "x_test", "y_test")
    arrays = read_npz(
        path.read_bytes(),
        path.name,
        {n: x if n[0] == "x" else y for n in names},
        {n: n for n in names},
        max_member_bytes=MAX_MNIST_ROWS * SIDE * SIDE + 4096,
        required=names,
    )
    for n in ("x_train", "x_test"):
        if arrays[n].shape[1:] not in ((SIDE * SIDE,), (SIDE, SIDE)):
            raise DataError(
                f"{path.name}: {n} has shape {arrays[n].shape}; 28×28 images expected.",
                code="mnist_image_shape",
                params=dict(name=path.name, array=n, shape=arrays[n].shape),
            )
    return arrays


def _from_openml(kind: str, folder: Path) -> dict[str, np.ndarray]:
    try:
        from sklearn.datasets import fetch_openml

        bunch = fetch_openml(
            KINDS[kind], version=1, as_frame=False, parser="liac-arff", data_home=str(folder / "openml")
        )
    except Exception as exc:  # network, HTTP, cache and parse errors have no common base
        if isinstance(exc, MemoryError):
            raise
        raise DataError(  # the exception's text may name the cache folder: its type only
            f"downloading {kind} from OpenML failed ({type(exc).__name__}). " + how_to_add(kind),
            code="mnist_download_failed",
            params=dict(kind=kind, error=type(exc).__name__),
        ) from None
    X = np.asarray(bunch.data)
    if X.shape != (N_TRAIN + 10_000, SIDE * SIDE):
        raise DataError(
            f"OpenML returned {kind} with shape {X.shape}; expected (70000, 784).",
            code="openml_shape",
            params=dict(kind=kind, shape=X.shape),
        )
    X = np.clip(np.rint(X), 0, 255).astype(np.uint8)
    y = np.asarray(bunch.target).astype(np.int64)
    return {"x_train": X[:N_TRAIN], "y_train": y[:N_TRAIN], "x_test": X[N_TRAIN:], "y_test": y[N_TRAIN:]}


@lru_cache(maxsize=2)
def _raw(kind: str, folder: str, allow_download: bool, files: str = "") -> tuple[dict[str, np.ndarray], str]:
    """``files``: the files' fingerprint, part of the cache key (files replaced: read again)."""
    base = Path(folder)
    if (base / f"{kind}.npz").is_file():
        arrays, source = _from_npz(base / f"{kind}.npz"), f"{kind}.npz"
    elif (arrays := _from_idx(base / kind)) is not None:
        source = f"IDX files in {kind}/"
    elif allow_download:
        arrays, source = _from_openml(kind, base), "OpenML (cached in data/openml)"
    else:
        raise DataError(how_to_add(kind), code="mnist_missing", params=dict(kind=kind))
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if len(x) != len(y):
            raise DataError(
                f"{source}: {len(x)} {split} images but {len(y)} labels.",
                code="mnist_label_count",
                params=dict(source=source, images=len(x), split=split, labels=len(y)),
            )
        if y.size and (y.min() < 0 or y.max() >= N_CLASSES):
            raise DataError(
                f"{source}: {split} labels outside 0-9.",
                code="mnist_label_range",
                params=dict(source=source, split=split),
            )
        arrays[f"x_{split}"] = x.reshape(len(x), SIDE * SIDE)
        for a in (arrays[f"x_{split}"], y):
            a.setflags(write=False)
    return arrays, source


def load_mnist(
    kind: str = "mnist",
    split: str = "train",
    n: int | None = None,
    folder: str | os.PathLike | None = None,
    allow_download: bool = False,
) -> Dataset:
    """MNIST or Fashion-MNIST as a read-only ``Dataset`` (first ``n`` rows of ``split``).

    ``split``: "train" (60 000), "test" (10 000) or "all" (train then test). Raises
    ``DataError`` saying where to put the files when they are absent and downloading is
    not allowed (the default) or fails.
    """
    kind = {"fashion": "fashion_mnist", "fashion-mnist": "fashion_mnist"}.get(kind, kind)
    if kind not in KINDS:
        raise DataError(
            f"unknown dataset {kind!r}; choose mnist or fashion_mnist.",
            code="unknown_dataset",
            params=dict(name=kind, choices=", ".join(KINDS)),
        )
    if split not in ("train", "test", "all"):
        raise DataError(
            f"unknown split {split!r}; choose train, test or all.",
            code="not_a_choice",
            params=dict(name="split", value=split, choices="train, test, all"),
        )
    if n is not None and not 1 <= int(n) <= MAX_MNIST_ROWS:
        raise DataError(
            f"n={n} must be between 1 and {MAX_MNIST_ROWS}.",
            code="out_of_range",
            params=dict(name="n", value=n, lo=1, hi=MAX_MNIST_ROWS),
        )
    folder = Path(folder) if folder is not None else data_dir()
    arrays, source = _raw(kind, str(folder.resolve()), bool(allow_download), fingerprint(kind, folder))
    if split == "all":  # slice before joining: no 55 MB copy for small n
        n_tr = len(arrays["x_train"])
        rest = None if n is None else max(0, n - n_tr)
        x = np.concatenate([arrays["x_train"][:n], arrays["x_test"][:rest]])
        y = np.concatenate([arrays["y_train"][:n], arrays["y_test"][:rest]])
    else:
        x, y = arrays[f"x_{split}"][:n], arrays[f"y_{split}"][:n]
    y = y.astype(np.int64)
    X = x.astype(np.float32) / np.float32(255.0)
    X.setflags(write=False)
    y.setflags(write=False)
    return Dataset(kind, X, y, image_shape=(SIDE, SIDE), meta={"classes": N_CLASSES, "source": source, "split": split})


def clear_cache() -> None:
    """Forget the cached raw arrays (tests, or after adding files)."""
    _raw.cache_clear()
