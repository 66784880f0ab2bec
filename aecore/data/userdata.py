"""A user's own data sets, kept per owner (one browser session) and bounded in bytes.

An upload is registered under ``upload-<sha256 of its content>`` for the *owner* that
uploaded it: only that owner is offered the name (``aecore.data.registry.dataset_names`` and
``image_dataset_names``, the configs' ``choices``) and only that owner can load it
(``aecore.data.registry.load_dataset``), so a config or a link made in one session can never read
another session's data. The owner is a context variable: the UI sets it to the session's
id at the start of every script run (``set_owner``) and a background job inherits it from
the run that started it (``contextvars``); without one (command line, tests) the owner is
``None``. The registry reads ``STORE`` once the app has registered it
(``aecore.data.registry.set_user_data(STORE)``, at start-up); a test that loads uploads
registers it the same way (the ``user_data`` fixture).

Budgets: each owner keeps at most ``SESSION_BYTES`` of arrays (its own oldest data sets
are dropped to make room, never anyone else's); all owners together at most
``TOTAL_BYTES``, and if that is full the upload is refused with a message. Data of owners
whose sessions are gone (``alive``, installed by the UI, and not seen for ``GRACE_S``) are
dropped at every registration. Environment: ``AE_UPLOAD_SESSION_MB`` (default 100), ``AE_UPLOAD_TOTAL_MB`` (600).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

from aecore.data import registry as data
from aecore.data.dataset import validate_matrix
from aecore.data.registry import Dataset, user_label
from aecore.errors import DataError

MB = 2**20
SESSION_BYTES = int(float(os.environ.get("AE_UPLOAD_SESSION_MB", "100")) * MB)
TOTAL_BYTES = int(float(os.environ.get("AE_UPLOAD_TOTAL_MB", "600")) * MB)
GRACE_S = 120.0  # an owner not seen for this long may be dropped if its session is gone

_owner = data.OWNER


def set_owner(owner: Hashable | None) -> None:
    """The owner of the data this thread registers and sees (the UI: the session id)."""
    _owner.set(owner)
    STORE.touch(owner)


def current_owner() -> Hashable | None:
    return _owner.get()


def _nbytes(ds: Dataset) -> int:
    return int(ds.X.nbytes + ds.y.nbytes)


class UploadStore:
    """Owner -> its data sets (oldest first), with per-owner and total byte budgets."""

    def __init__(self, session_bytes: int = SESSION_BYTES, total_bytes: int = TOTAL_BYTES) -> None:
        self.session_bytes, self.total_bytes = session_bytes, total_bytes
        self.alive: Callable[[Hashable], bool] = lambda owner: True  # the UI installs a real test
        self._sets: dict[Hashable | None, OrderedDict[str, Dataset]] = {}
        self._seen: dict[Hashable | None, float] = {}
        self._lock = threading.Lock()

    def touch(self, owner: Hashable | None) -> None:
        """The owner is active now (only owners with data are remembered)."""
        if owner in self._sets:
            self._seen[owner] = time.monotonic()

    def used(self, owner: Hashable | None = ..., /) -> int:
        """Bytes held by ``owner`` (all owners when omitted)."""
        with self._lock:
            sets = self._sets.values() if owner is ... else [self._sets.get(owner, {})]
            return sum(_nbytes(ds) for own in sets for ds in own.values())

    def names(self, owner: Hashable | None) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._sets.get(owner, ()))

    def get(self, name: str, owner: Hashable | None) -> Dataset | None:
        with self._lock:
            return self._sets.get(owner, {}).get(name)

    def forget(self, owner: Hashable | None) -> None:
        with self._lock:
            self._sets.pop(owner, None)
            self._seen.pop(owner, None)

    def _purge_gone(self) -> None:
        """Drop owners whose session is gone (not alive and not seen for ``GRACE_S``)."""
        now = time.monotonic()
        for owner in list(self._sets):
            if now - self._seen.get(owner, now) > GRACE_S and not self.alive(owner):
                self._sets.pop(owner)
                self._seen.pop(owner, None)

    def add(self, ds: Dataset, owner: Hashable | None) -> list[str]:
        """Keep ``ds`` for ``owner``; returns the names of the owner's data sets dropped to
        make room. Refuses (DataError) when it cannot fit; nothing is dropped then."""
        size, label = _nbytes(ds), ds.meta.get("label", ds.name)
        if size > self.session_bytes:
            mb, limit = f"{size / MB:.0f}", f"{self.session_bytes / MB:.0f}"
            raise DataError(
                f"{label} needs {mb} MB in memory; each session may keep {limit} MB of uploaded data. "
                "Upload fewer rows or columns.",
                code="upload_over_session_budget",
                params=dict(name=label, size=mb, limit=limit),
            )
        with self._lock:
            self._purge_gone()
            own = self._sets.get(owner, OrderedDict())
            own.pop(ds.name, None)
            drop, kept = [], sum(_nbytes(d) for d in own.values())
            for name, old in own.items():  # the owner's oldest first, until the new one fits
                if kept + size <= self.session_bytes:
                    break
                drop.append(name)
                kept -= _nbytes(old)
            others = sum(_nbytes(d) for o, sets in self._sets.items() if o != owner for d in sets.values())
            if others + kept + size > self.total_bytes:
                limit = f"{self.total_bytes / MB:.0f}"
                raise DataError(
                    f"the server holds as much uploaded data as it may ({limit} MB for all users together); "
                    "try again in a few minutes, or use a built-in data set.",
                    code="upload_server_full",
                    params=dict(limit=limit),
                )
            for name in drop:
                own.pop(name)
            own[ds.name] = ds
            self._sets[owner] = own
            self._seen[owner] = time.monotonic()
            return drop


STORE = UploadStore()  # the app registers it with aecore.data.registry.set_user_data at start-up


def register_dataset(
    X: np.ndarray, y: np.ndarray | None = None, image_shape: tuple[int, int] | None = None, label: str = ""
) -> str:
    """Keep validated user data (float32 (n, D)) for the current owner; returns the name
    experiments accept. Raises DataError if it is invalid or cannot fit the budgets."""
    X = validate_matrix(X, label or "data")
    y = np.zeros(len(X), np.int64) if y is None else np.asarray(y)
    digest = hashlib.sha256(X.tobytes() + y.tobytes() + str(image_shape).encode()).hexdigest()
    name = f"upload-{digest[:16]}"
    ds = Dataset(name, X, y, image_shape=image_shape, meta={"label": f"{label or name} ({X.shape[0]}×{X.shape[1]})"})
    for a in (ds.X, ds.y):
        a.setflags(write=False)
    STORE.add(ds, current_owner())
    return name


__all__ = ["STORE", "UploadStore", "current_owner", "register_dataset", "set_owner", "user_label"]
