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
``TOTAL_BYTES``. Data of owners whose sessions are gone (``alive``, installed by the UI,
and not seen for ``GRACE_S``) are dropped at every registration. When a newcomer still
needs room, the total is shared fairly: with ``n`` owners holding data (the newcomer
included) each is entitled to ``TOTAL_BYTES / n``. Room is made first from owners above
that share (their oldest data sets, down to the share; the longest idle owner first), then
from owners idle for over ``IDLE_S`` (all their data, longest idle first). If that is still
not enough, the newcomer asks for more than its share and is refused with the time after
which enough of the others' data will have been idle for ``IDLE_S`` (if they stay idle).
Environment: ``AE_UPLOAD_SESSION_MB`` (default 100), ``AE_UPLOAD_TOTAL_MB`` (600),
``AE_UPLOAD_IDLE_MIN`` (15).
"""

from __future__ import annotations

import hashlib
import math
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
IDLE_S = float(os.environ.get("AE_UPLOAD_IDLE_MIN", "15")) * 60  # idle this long: data may go to a newcomer

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
    """Owner -> its data sets (oldest first), with per-owner and total byte budgets shared
    fairly among owners (module docstring). ``clock``: monotonic seconds (tests pass their own)."""

    def __init__(
        self,
        session_bytes: int = SESSION_BYTES,
        total_bytes: int = TOTAL_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_bytes, self.total_bytes, self.clock = session_bytes, total_bytes, clock
        self.alive: Callable[[Hashable], bool] = lambda owner: True  # the UI installs a real test
        self._sets: dict[Hashable | None, OrderedDict[str, Dataset]] = {}
        self._seen: dict[Hashable | None, float] = {}
        self._lock = threading.Lock()

    def touch(self, owner: Hashable | None) -> None:
        """The owner is active now (only owners with data are remembered)."""
        if owner in self._sets:
            self._seen[owner] = self.clock()

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
            self.forget_locked(owner)

    def forget_locked(self, owner: Hashable | None) -> None:
        self._sets.pop(owner, None)
        self._seen.pop(owner, None)

    def _purge_gone(self, now: float) -> None:
        """Drop owners whose session is gone (not alive and not seen for ``GRACE_S``)."""
        for owner in list(self._sets):
            if now - self._seen.get(owner, now) > GRACE_S and not self.alive(owner):
                self._sets.pop(owner)
                self._seen.pop(owner, None)

    def _held(self, owner: Hashable | None) -> int:
        return sum(_nbytes(d) for d in self._sets.get(owner, {}).values())

    def _room(self, owner: Hashable | None, need: int, now: float) -> tuple[list[tuple], int]:
        """Data sets of other owners to drop for ``need`` bytes, in the fair order (module
        docstring), and the bytes they free (less than ``need`` when it cannot be done now)."""
        others = sorted((o for o in self._sets if o != owner and self._sets[o]), key=lambda o: self._seen.get(o, now))
        share = self.total_bytes // (len(others) + 1)
        plan, freed = [], 0
        for o in others:  # above their share, down to it; the longest idle first
            held = self._held(o)
            for name, d in self._sets[o].items():
                if held <= share or freed >= need:
                    break
                plan.append((o, name))
                held, freed = held - _nbytes(d), freed + _nbytes(d)
        for o in others:  # idle for over IDLE_S: all of it
            if freed >= need or now - self._seen.get(o, now) <= IDLE_S:
                break
            for name, d in self._sets[o].items():
                if (o, name) not in plan:
                    plan.append((o, name))
                    freed += _nbytes(d)
        return plan, freed

    def _wait_s(self, owner: Hashable | None, short: int, plan: list[tuple], now: float) -> float:
        """Seconds until ``short`` more bytes of other owners will have been idle for
        ``IDLE_S``, if none of them is active again meanwhile."""
        others = sorted((o for o in self._sets if o != owner and self._sets[o]), key=lambda o: self._seen.get(o, now))
        for o in others:
            short -= sum(_nbytes(d) for name, d in self._sets[o].items() if (o, name) not in plan)
            if short <= 0:
                return max(0.0, self._seen.get(o, now) + IDLE_S - now)
        return IDLE_S

    def _refuse(self, owner: Hashable | None, wanted: int, short: int, plan: list[tuple], now: float) -> DataError:
        owners = len([o for o in self._sets if o != owner and self._sets[o]]) + 1
        limit, share = f"{self.total_bytes / MB:.0f}", f"{self.total_bytes / owners / MB:.0f}"
        wait = f"{max(1, math.ceil(self._wait_s(owner, short, plan, now) / 60))}"
        size = f"{wanted / MB:.0f}"
        return DataError(
            f"the server keeps at most {limit} MB of uploaded data, shared by the {owners} sessions holding some: "
            f"{share} MB each, and yours would need {size} MB. Try again in about {wait} min (when other "
            "sessions' data may have been idle long enough to make room), upload a smaller file, or use a "
            "built-in data set.",
            code="upload_server_full",
            params=dict(limit=limit, owners=owners, share=share, size=size, wait=wait),
        )

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
            now = self.clock()
            self._purge_gone(now)
            own = self._sets.get(owner, OrderedDict())
            own.pop(ds.name, None)
            drop, kept = [], sum(_nbytes(d) for d in own.values())
            for name, old in own.items():  # the owner's oldest first, until the new one fits
                if kept + size <= self.session_bytes:
                    break
                drop.append(name)
                kept -= _nbytes(old)
            need = sum(self._held(o) for o in self._sets if o != owner) + kept + size - self.total_bytes
            plan, freed = self._room(owner, need, now) if need > 0 else ([], 0)
            if freed < need:
                raise self._refuse(owner, kept + size, need - freed, plan, now)
            for o, name in plan:  # other owners' data, in the fair order
                self._sets[o].pop(name)
                if not self._sets[o]:
                    self.forget_locked(o)
            for name in drop:
                own.pop(name)
            own[ds.name] = ds
            self._sets[owner] = own
            self._seen[owner] = now
            return drop


STORE = UploadStore()  # the app registers it with aecore.data.registry.set_user_data at start-up


def content_digest(X: np.ndarray, y: np.ndarray, image_shape: tuple[int, int] | None) -> str:
    """SHA-256 (hex) of a data set's content: its float32 rows, labels and image shape. An
    upload is named by its first 16 digits; a class pack (``aecore.store.pack``) records it."""
    h = hashlib.sha256(np.ascontiguousarray(X).data)
    h.update(np.ascontiguousarray(y).data)
    h.update(str(image_shape).encode())
    return h.hexdigest()


def register_dataset(
    X: np.ndarray, y: np.ndarray | None = None, image_shape: tuple[int, int] | None = None, label: str = ""
) -> str:
    """Keep validated user data (float32 (n, D)) for the current owner; returns the name
    experiments accept. Raises DataError if it is invalid or cannot fit the budgets."""
    X = validate_matrix(X, label or "data")
    y = np.zeros(len(X), np.int64) if y is None else np.asarray(y)
    name = f"upload-{content_digest(X, y, image_shape)[:16]}"
    ds = Dataset(name, X, y, image_shape=image_shape, meta={"label": f"{label or name} ({X.shape[0]}×{X.shape[1]})"})
    for a in (ds.X, ds.y):
        a.setflags(write=False)
    STORE.add(ds, current_owner())
    return name


__all__ = ["STORE", "UploadStore", "content_digest", "current_owner", "register_dataset", "set_owner", "user_label"]
