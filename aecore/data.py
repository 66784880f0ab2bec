"""Dataset registry: built-in data as read-only float32 arrays, plus input validation.

``digits`` is scikit-learn's bundled 8x8 handwritten digits (1 797 images, no network
needed), scaled to [0, 1]. The 2-D curves (circle, spiral, moons, sine: the registry of
``aecore.curves``) and 3-D surfaces (swiss roll, S-curve) are generated on the spot from a
seed; each curve keeps its intrinsic coordinate ``t`` and branch label so lessons can
compare with the true manifold.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np

from aecore.curves import CURVES
from aecore.dataset import Dataset
from aecore.errors import DataError
from aecore.io.mnist import load_mnist
from aecore.io.mnist_files import fingerprint


def _freeze(*arrays: np.ndarray) -> None:
    for a in arrays:
        if a is not None:
            a.setflags(write=False)


def _digits(n: int, noise: float, seed: int) -> Dataset:
    from sklearn.datasets import load_digits

    d = load_digits()
    X = (d.data / 16.0).astype(np.float32)
    return Dataset("digits", X, d.target.astype(np.int64), image_shape=(8, 8), meta={"classes": 10})


def _digits28(n: int, noise: float, seed: int) -> Dataset:
    from aecore.digits28 import make_digits28

    X, y = make_digits28(n, seed)
    return Dataset("digits28", X, y, image_shape=(28, 28), meta={"classes": 10})


def _curve(name: str) -> Callable[[int, float, int], Dataset]:
    def load(n: int, noise: float, seed: int) -> Dataset:
        X, branch, t = CURVES[name].sample(n, noise, seed)
        return Dataset(name, X, branch, t=t.astype(np.float32), meta={"noise": noise, "curve": name})

    return load


def _surface(name: str) -> Callable[[int, float, int], Dataset]:
    def load(n: int, noise: float, seed: int) -> Dataset:
        from sklearn.datasets import make_s_curve, make_swiss_roll

        make = make_swiss_roll if name == "swiss_roll" else make_s_curve
        X, t = make(n, noise=noise, random_state=seed)
        X = (X / np.abs(X).max()).astype(np.float32)
        bins = np.digitize(t, np.quantile(t, [0.25, 0.5, 0.75]))
        return Dataset(name, X, bins.astype(np.int64), t=t.astype(np.float32), meta={"noise": noise})

    return load


@dataclass(frozen=True)
class DatasetSpec:
    loader: Callable[[int, float, int], Dataset]
    kind: str  # "images" or "points"
    default_n: int
    default_noise: float
    description: str
    files: Callable[[], str] | None = None  # data read from files: their fingerprint, "" if absent


def _file_spec(kind: str, description: str) -> DatasetSpec:
    """MNIST-format data read from the data folder, offered only when its files are there
    (``fingerprint``: a few stat calls, no parsing); ``load_mnist`` explains what is wrong."""
    load = lambda n, noise, seed: load_mnist(kind, "train", n=n)  # noqa: E731
    return DatasetSpec(load, "images", 10000, 0.0, f"{description}, 10 000 training images", partial(fingerprint, kind))


DATASETS: dict[str, DatasetSpec] = {
    "digits": DatasetSpec(
        _digits, "images", 1797, 0.0, "8×8 handwritten digits (scikit-learn), 1 797 images, 64 pixels"
    ),
    "digits28": DatasetSpec(
        _digits28,
        "images",
        10000,
        0.0,
        "built-in MNIST-size stand-in: the 8×8 digits upscaled to 28×28 with elastic deformations, 10 000 images",
    ),
    "circle": DatasetSpec(_curve("circle"), "points", 1000, 0.05, "noisy unit circle (2-D)"),
    "spiral": DatasetSpec(_curve("spiral"), "points", 1000, 0.03, "noisy spiral (2-D)"),
    "moons": DatasetSpec(_curve("moons"), "points", 1000, 0.05, "two half moons (2-D)"),
    "sine": DatasetSpec(_curve("sine"), "points", 1000, 0.05, "noisy sine curve (2-D)"),
    "swiss_roll": DatasetSpec(_surface("swiss_roll"), "points", 1500, 0.05, "swiss roll (3-D)"),
    "s_curve": DatasetSpec(_surface("s_curve"), "points", 1500, 0.05, "S-curve (3-D)"),
    "mnist": _file_spec("mnist", "MNIST 28×28 handwritten digits"),
    "fashion_mnist": _file_spec("fashion_mnist", "Fashion-MNIST 28×28 clothing images"),
}

POINT_DATASETS = tuple(k for k, s in DATASETS.items() if s.kind == "points")
IMAGE_DATASETS = tuple(k for k, s in DATASETS.items() if s.kind == "images")
CURVE_DATASETS = tuple(CURVES)  # the 2-D curves of aecore.curves


class _NoUserData:
    """Where the caller's own uploads are found: none until ``aecore.userdata`` (a store
    per owner, i.e. per browser session) installs itself as ``USER_DATA``."""

    def names(self, owner: object) -> tuple[str, ...]:
        return ()

    def get(self, name: str, owner: object) -> Dataset | None:
        return None


USER_DATA = _NoUserData()
# Whose uploads this context sees: a browser session id, set by aecore.userdata.set_owner.
OWNER: ContextVar[object] = ContextVar("aecore_data_owner", default=None)


def user_label(name: str, owner: object = ...) -> str | None:
    """The label the current (or the given) owner's upload ``name`` was given; None otherwise."""
    ds = USER_DATA.get(name, OWNER.get() if owner is ... else owner)
    return ds.meta.get("label") if ds is not None else None


def dataset_names() -> tuple[str, ...]:
    """Every name a general lesson accepts: built-in data plus the caller's own uploads."""
    return tuple(DATASETS) + USER_DATA.names(OWNER.get())


def image_dataset_names() -> tuple[str, ...]:
    """Every name a lesson on images accepts: built-in image data plus the caller's own
    uploads (an upload without a square number of features trains as vectors)."""
    return IMAGE_DATASETS + USER_DATA.names(OWNER.get())


def installed(name: str) -> bool:
    """Whether data set ``name`` can be offered: built-in data always, data read from files
    (MNIST, Fashion-MNIST) when they are in the data folder (cheap: no parsing)."""
    spec = DATASETS.get(name)
    return spec is not None and (spec.files is None or bool(spec.files()))


def load_dataset(name: str, n: int | None = None, noise: float | None = None, seed: int = 0) -> Dataset:
    """Load a dataset by name; arrays are read-only (shared safely between users). An
    upload is found only for the owner that registered it."""
    if name.startswith("upload-"):
        ds = USER_DATA.get(name, OWNER.get())
        if ds is None:
            raise DataError("that uploaded data set is no longer in memory; upload the file again.", code="upload_gone")
        return ds
    spec = DATASETS.get(name)
    return _load_builtin(name, n, noise, seed, spec.files() if spec and spec.files else "")


def class_labels(ds: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(classes, y) with y re-indexed to 0..C−1, for lessons that learn or score classes;
    a clear error for data without at least two classes (an upload with no label column)."""
    classes, y = np.unique(ds.y, return_inverse=True)
    if len(classes) < 2:
        name = ds.meta.get("label", ds.name)
        raise DataError(
            f"{name} has no class labels, and this lesson needs them: upload it with a label column (CSV) "
            "or an array y (NPZ), or pick another data set.",
            code="needs_labels",
            params=dict(name=name),
        )
    return classes, y.astype(np.int64)


@lru_cache(maxsize=32)
def _load_builtin(name: str, n: int | None, noise: float | None, seed: int, files: str = "") -> Dataset:
    """``files``: the data files' fingerprint, part of the cache key (new files, new data)."""
    if name not in DATASETS:
        raise DataError(
            f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}.",
            code="unknown_dataset",
            params=dict(name=name, choices=", ".join(DATASETS)),
        )
    spec = DATASETS[name]
    ds = spec.loader(n or spec.default_n, spec.default_noise if noise is None else noise, seed)
    _freeze(ds.X, ds.y, ds.t)
    return ds


MAX_ROWS, MAX_FEATURES, MIN_ROWS = 20_000, 1024, 10
MIN_FEATURES = 2  # columns that vary: a code smaller than the input needs at least two


def validate_matrix(X: object, name: str = "data") -> np.ndarray:
    """Check that X is a usable finite numeric (n, D) matrix; return it as float32."""
    try:
        A = np.asarray(X)
    except Exception as exc:  # ragged lists, objects that refuse conversion
        raise DataError(
            f"{name} could not be read as a table of numbers ({exc}).", code="not_a_table", params=dict(name=name)
        ) from None
    if A.dtype == object or not (np.issubdtype(A.dtype, np.number) or A.dtype == bool):
        raise DataError(
            f"{name} must contain numbers only; found values of type {A.dtype}.",
            code="not_numeric",
            params=dict(name=name, dtype=str(A.dtype)),
        )
    if np.issubdtype(A.dtype, np.complexfloating):
        raise DataError(f"{name} has complex numbers; give real values.", code="complex_values", params=dict(name=name))
    if A.ndim != 2:
        raise DataError(
            f"{name} must be a 2-D table (rows × features); got {A.ndim} dimension(s).",
            code="not_2d",
            params=dict(name=name, ndim=A.ndim),
        )
    n, d = A.shape
    if n < MIN_ROWS:
        raise DataError(
            f"{name} has {n} rows; at least {MIN_ROWS} are needed.",
            code="too_few_rows",
            params=dict(name=name, rows=n, min=MIN_ROWS),
        )
    if d < MIN_FEATURES:
        raise DataError(
            f"{name} has {d} feature(s); at least {MIN_FEATURES} are needed.",
            code="too_few_features",
            params=dict(name=name, features=d, min=MIN_FEATURES),
        )
    if n > MAX_ROWS or d > MAX_FEATURES:
        raise DataError(
            f"{name} is {n} × {d}; the limit is {MAX_ROWS} rows × {MAX_FEATURES} features.",
            code="table_too_large",
            params=dict(name=name, rows=n, features=d, max_rows=MAX_ROWS, max_features=MAX_FEATURES),
        )
    _check_finite(A, name)
    if max(abs(float(A.min())), abs(float(A.max()))) > 1e6:  # reductions: no full-size temporaries
        raise DataError(
            f"{name} has values beyond ±1e6; rescale it first.", code="values_too_large", params=dict(name=name)
        )
    if (A.max(axis=0) > A.min(axis=0)).sum() < MIN_FEATURES:
        raise DataError(
            f"{name} needs at least {MIN_FEATURES} columns that are not constant.",
            code="constant_columns",
            params=dict(name=name, min=MIN_FEATURES),
        )
    return A.astype(np.float32)  # a copy of our own, the only full-size allocation


def _check_finite(A: np.ndarray, name: str, block: int = 2**20) -> None:
    """No NaN or inf, checked in blocks of about ``block`` values (uploads can be 80 MB)."""
    if A.dtype.kind != "f":
        return
    rows, count, first = max(1, block // max(1, A.shape[1])), 0, None
    for i in range(0, len(A), rows):
        bad = ~np.isfinite(A[i : i + rows])
        if (n_bad := int(np.count_nonzero(bad))) and first is None:
            r, c = np.unravel_index(int(np.argmax(bad)), bad.shape)
            first = (i + int(r), int(c))
        count += n_bad
    if count:
        r, c = first
        raise DataError(
            f"{name} has {count} missing or infinite value(s), "
            f"the first at row {r + 1}, column {c + 1}; remove or fill them.",
            code="non_finite_values",
            params=dict(name=name, count=count, row=int(r) + 1, column=int(c) + 1),
        )
