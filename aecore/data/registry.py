"""Dataset registry: built-in data as read-only float32 arrays, by name.

``digits`` is scikit-learn's bundled 8x8 handwritten digits (1 797 images, no network
needed), scaled to [0, 1]. The 2-D curves (circle, spiral, moons, sine: the registry of
``aecore.data.curves``) and 3-D surfaces (swiss roll, S-curve) are generated on the spot from a
seed; each curve keeps its intrinsic coordinate ``t`` and branch label so lessons can
compare with the true manifold.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Protocol

import numpy as np

from aecore.data.curves import CURVES
from aecore.data.dataset import Dataset
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
    from aecore.data.digits28 import make_digits28

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
    """One data set of the registry. ``features``: the columns a row has (the cost model
    reads it); ``in_sidebar``: the sidebar offers it to every general lesson (more than two
    features). Both are keyword-only and required: a new entry cannot forget them."""

    loader: Callable[[int, float, int], Dataset]
    kind: str  # "images" or "points"
    default_n: int
    default_noise: float
    description: str
    files: Callable[[], str] | None = None  # data read from files: their fingerprint, "" if absent
    features: int = field(kw_only=True)
    in_sidebar: bool = field(kw_only=True)


def _file_spec(kind: str, description: str) -> DatasetSpec:
    """MNIST-format data read from the data folder, offered only when its files are there
    (``fingerprint``: a few stat calls, no parsing); ``load_mnist`` explains what is wrong."""
    load = lambda n, noise, seed: load_mnist(kind, "train", n=n)  # noqa: E731
    description = f"{description}, 10 000 training images"
    return DatasetSpec(
        load, "images", 10000, 0.0, description, partial(fingerprint, kind), features=784, in_sidebar=True
    )


def _curve_spec(name: str, noise: float, description: str) -> DatasetSpec:
    return DatasetSpec(_curve(name), "points", 1000, noise, description, features=2, in_sidebar=False)


def _surface_spec(name: str, description: str) -> DatasetSpec:
    return DatasetSpec(_surface(name), "points", 1500, 0.05, description, features=3, in_sidebar=True)


DATASETS: dict[str, DatasetSpec] = {
    "digits": DatasetSpec(
        _digits,
        "images",
        1797,
        0.0,
        "8×8 handwritten digits (scikit-learn), 1 797 images, 64 pixels",
        features=64,
        in_sidebar=True,
    ),
    "digits28": DatasetSpec(
        _digits28,
        "images",
        10000,
        0.0,
        "built-in MNIST-size stand-in: the 8×8 digits upscaled to 28×28 with elastic deformations, 10 000 images",
        features=784,
        in_sidebar=True,
    ),
    "circle": _curve_spec("circle", 0.05, "noisy unit circle (2-D)"),
    "spiral": _curve_spec("spiral", 0.03, "noisy spiral (2-D)"),
    "moons": _curve_spec("moons", 0.05, "two half moons (2-D)"),
    "sine": _curve_spec("sine", 0.05, "noisy sine curve (2-D)"),
    "swiss_roll": _surface_spec("swiss_roll", "swiss roll (3-D)"),
    "s_curve": _surface_spec("s_curve", "S-curve (3-D)"),
    "mnist": _file_spec("mnist", "MNIST 28×28 handwritten digits"),
    "fashion_mnist": _file_spec("fashion_mnist", "Fashion-MNIST 28×28 clothing images"),
}

POINT_DATASETS = tuple(k for k, s in DATASETS.items() if s.kind == "points")
IMAGE_DATASETS = tuple(k for k, s in DATASETS.items() if s.kind == "images")
CURVE_DATASETS = tuple(CURVES)  # the 2-D curves of aecore.data.curves
SIDEBAR_DATASETS = tuple(k for k, s in DATASETS.items() if s.in_sidebar)  # MNIST files: when installed


class UserData(Protocol):
    """Where the caller's own uploads are found, per owner (``aecore.data.userdata.UploadStore``)."""

    def names(self, owner: object) -> tuple[str, ...]: ...

    def get(self, name: str, owner: object) -> Dataset | None: ...


class _NoUserData:
    """No uploads: what the registry sees until ``set_user_data`` names a store."""

    def names(self, owner: object) -> tuple[str, ...]:
        return ()

    def get(self, name: str, owner: object) -> Dataset | None:
        return None


_user_data: UserData = _NoUserData()
# Whose uploads this context sees: a browser session id, set by aecore.data.userdata.set_owner.
OWNER: ContextVar[object] = ContextVar("aecore_data_owner", default=None)


def set_user_data(store: UserData | None) -> UserData:
    """Make ``store`` the place where ``load_dataset`` and the name lists find uploads (the
    app calls it once at start-up with ``aecore.data.userdata.STORE``; ``None``: no uploads).

    Parameters
    ----------
    store : an object with ``names(owner)`` and ``get(name, owner)``, or None.

    Returns
    -------
    The store it replaces, so that a test can put it back.

    Example
    -------
    >>> from aecore.data import registry, userdata
    >>> previous = registry.set_user_data(userdata.STORE)
    """
    global _user_data
    previous, _user_data = _user_data, store if store is not None else _NoUserData()
    return previous


def user_dataset(name: str, owner: object = ...) -> Dataset | None:
    """The current (or the given) owner's upload ``name``; None if it has none of that name."""
    return _user_data.get(name, OWNER.get() if owner is ... else owner)


def user_label(name: str, owner: object = ...) -> str | None:
    """The label the current (or the given) owner's upload ``name`` was given; None otherwise."""
    ds = user_dataset(name, owner)
    return ds.meta.get("label") if ds is not None else None


def dataset_names() -> tuple[str, ...]:
    """Every name a general lesson accepts: built-in data plus the caller's own uploads."""
    return tuple(DATASETS) + _user_data.names(OWNER.get())


def image_dataset_names() -> tuple[str, ...]:
    """Every name a lesson on images accepts: built-in image data plus the caller's own
    uploads (an upload without a square number of features trains as vectors)."""
    return IMAGE_DATASETS + _user_data.names(OWNER.get())


def installed(name: str) -> bool:
    """Whether data set ``name`` can be offered: built-in data always, data read from files
    (MNIST, Fashion-MNIST) when they are in the data folder (cheap: no parsing)."""
    spec = DATASETS.get(name)
    return spec is not None and (spec.files is None or bool(spec.files()))


def load_dataset(name: str, n: int | None = None, noise: float | None = None, seed: int = 0) -> Dataset:
    """A data set by name, its arrays read-only (shared safely between users).

    Parameters
    ----------
    name : a key of ``DATASETS`` ("digits", "moons", ...) or an upload's "upload-…" name,
        found only for the owner that registered it (``set_user_data``, ``userdata``).
    n, noise : rows and noise of a generated set (default: the entry's); seed : its draw.

    Returns
    -------
    Dataset: X (n, D) float32, y (n,) labels, t (curves' coordinate), image_shape.
    Raises DataError for an unknown name, missing files or an upload no longer kept.

    Example
    -------
    >>> load_dataset("digits").X.shape
    (1797, 64)
    >>> load_dataset("moons", n=200, seed=1).image_shape is None
    True
    """
    if name.startswith("upload-"):
        ds = user_dataset(name)
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
