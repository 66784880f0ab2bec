"""The record every data loader returns: read-only float32 rows with labels; the caps on a
table's size and ``validate_matrix``, the check every matrix from outside passes.

Built-in data (``aecore.data.registry``), uploads (``aecore.data.userdata``) and MNIST files
(``aecore.io.mnist``) all return a ``Dataset``; it lives apart from the registry so that
the readers of ``aecore.io`` (below the registry) can build one, and use the caps, without
importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aecore.errors import DataError


@dataclass(frozen=True)
class Dataset:
    name: str
    X: np.ndarray  # (n, D) float32
    y: np.ndarray  # (n,) int64 labels (component index for curves)
    t: np.ndarray | None = None  # (n,) intrinsic coordinate of curve points
    image_shape: tuple[int, int] | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def dim(self) -> int:
        return self.X.shape[1]


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
