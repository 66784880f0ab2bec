"""Memory held by results, measured in bytes, and stores bounded by those bytes.

``nbytes(obj)`` walks what ``obj`` reaches (a ``Result``'s arrays, models, histories ...;
dicts, lists, tuples, sets, dataclasses and other objects' attributes, closures): NumPy
arrays count the buffer they view (once, however many views share it), torch tensors the
storage they use (once; parameters' gradients too), every other object its own
``sys.getsizeof``. Arrays frozen read-only are shared data owned elsewhere (the data-set
caches of ``aecore.data.registry`` and the upload store, each bounded there) and are not counted.

``ByteLRU`` is a thread-safe least-recently-used store whose values' ``nbytes`` stay under
a limit: a put evicts the least recently used values until the new one fits, and a value
larger than the limit is not kept; ``on_evict`` hears of each value the bound drops.
Several stores can share a ``Pool`` (e.g. every session's own store): when their sum
passes the pool's limit, the least recently used value of any member goes.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
import types
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import partial
from typing import Any

import numpy as np

MB = 2**20
ARRAY_HEADER = 112  # bytes of an ndarray object without its data
MAX_OBJECTS = 1_000_000  # a walk stops here (a pathological graph is counted in part)
_SCALARS = (str, bytes, bytearray, int, float, complex, bool, type(None))
_SKIP = (type, types.ModuleType, types.BuiltinFunctionType, types.CodeType)


def _array_bytes(a: np.ndarray, seen: set[int], push: Callable[[Any], None]) -> int:
    base = a
    while isinstance(base.base, np.ndarray):
        base = base.base
    if base is not a and id(base) in seen:
        return 0
    seen.add(id(base))
    if a.dtype == object:
        for item in a.ravel():
            push(item)
    if not base.flags.writeable:
        return 0  # shared data, owned and bounded elsewhere
    return int(base.nbytes)


def _tensor_bytes(t: Any, storages: set[tuple[str, int]], push: Callable[[Any], None]) -> int:
    grad = getattr(t, "grad", None) if t.requires_grad else None
    if grad is not None:
        push(grad)
    storage = t.untyped_storage()
    key = (storage.device.type, storage.data_ptr())
    if key in storages or key[1] == 0:
        return 0
    storages.add(key)
    return int(storage.nbytes())


def _children(o: Any) -> list[Any]:
    """The objects ``o`` holds (not modules, classes or a function's globals)."""
    if isinstance(o, dict):
        return [*o.keys(), *o.values()]
    if isinstance(o, (list, tuple, set, frozenset)):
        return list(o)
    if isinstance(o, types.FunctionType):
        return [c.cell_contents for c in (o.__closure__ or ()) if _filled(c)] + list(o.__defaults__ or ())
    if isinstance(o, types.MethodType):
        return [o.__self__, o.__func__]
    if isinstance(o, partial):
        return [o.func, *o.args, *o.keywords.values()]
    out = list(vars(o).values()) if hasattr(o, "__dict__") else []
    for name in getattr(type(o), "__slots__", ()):
        if isinstance(name, str) and hasattr(o, name):
            out.append(getattr(o, name))
    return out


def _filled(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:  # an empty cell (a name not bound yet)
        return False
    return True


def nbytes(obj: Any) -> int:
    """Bytes held by ``obj`` and what it reaches (module docstring)."""
    torch = sys.modules.get("torch")
    seen: set[int] = set()  # ids of objects walked, and of array buffers counted
    storages: set[tuple[str, int]] = set()  # torch storages counted
    stack: list[Any] = [obj]
    total = 0
    for _ in range(MAX_OBJECTS):
        if not stack:
            break
        o = stack.pop()
        if id(o) in seen or isinstance(o, _SKIP):
            continue
        seen.add(id(o))
        if isinstance(o, np.ndarray):  # (getsizeof would count an owner's buffer, frozen or not)
            total += ARRAY_HEADER + _array_bytes(o, seen, stack.append)
            continue
        total += sys.getsizeof(o, 64)
        if torch is not None and isinstance(o, torch.Tensor):
            total += _tensor_bytes(o, storages, stack.append)
        elif not isinstance(o, _SCALARS):
            stack.extend(_children(o))
    return total


class Pool:
    """A byte limit shared by several ``ByteLRU`` stores (its members)."""

    def __init__(self, limit: int):
        self.limit = int(limit)
        self.lock = threading.RLock()
        self.members: weakref.WeakSet[ByteLRU] = weakref.WeakSet()

    @property
    def bytes(self) -> int:
        with self.lock:
            return sum(m.bytes for m in list(self.members))

    def _trim(self) -> None:
        """Evict the least recently used value of any member until the sum fits."""
        while (members := [m for m in list(self.members) if len(m)]) and self.bytes > self.limit:
            min(members, key=lambda m: m.oldest_use()).evict_oldest()


class ByteLRU:
    """A thread-safe LRU whose values' bytes (``size``, default ``nbytes``) stay ≤ ``limit``."""

    _clock = itertools.count()  # use order across stores (a Pool evicts the oldest of all)

    def __init__(
        self,
        limit: int,
        size: Callable[[Any], int] = nbytes,
        pool: Pool | None = None,
        on_evict: Callable[[Hashable, Any], None] | None = None,
    ):
        self.limit, self.size, self.pool, self.on_evict = int(limit), size, pool, on_evict
        self._items: OrderedDict[Hashable, tuple[Any, int, int]] = OrderedDict()  # key -> (value, bytes, last use)
        self._bytes = 0
        self._lock = pool.lock if pool is not None else threading.RLock()
        if pool is not None:
            pool.members.add(self)

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items[key] = (item[0], item[1], next(self._clock))
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: Any) -> bool:
        """Keep ``value`` under ``key``, evicting the least recently used values until it
        fits; False (and nothing kept or evicted) when it alone is over the limit."""
        with self._lock:
            if key in self._items and self._items[key][0] is value:
                return self.get(key) is value  # already kept: only used again
        size = self.size(value)
        limit = self.limit if self.pool is None else min(self.limit, self.pool.limit)
        with self._lock:
            self._drop(key)
            if size > limit:
                return False
            while self._items and self._bytes + size > self.limit:
                self.evict_oldest()
            self._items[key] = (value, size, next(self._clock))
            self._bytes += size
            if self.pool is not None:
                self.pool._trim()
            return key in self._items

    def _drop(self, key: Hashable) -> None:
        item = self._items.pop(key, None)
        if item is not None:
            self._bytes -= item[1]

    def evict_oldest(self) -> None:
        """Drop the least recently used value (``on_evict(key, value)`` is told)."""
        with self._lock:
            if self._items:
                key = next(iter(self._items))
                value = self._items[key][0]
                self._drop(key)
                if self.on_evict is not None:
                    self.on_evict(key, value)

    def oldest_use(self) -> int:
        with self._lock:
            return next(iter(self._items.values()))[2] if self._items else sys.maxsize

    def keys(self) -> list[Hashable]:
        """Keys from the least to the most recently used."""
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


def env_mb(name: str, default: float) -> int:
    """A byte bound from the environment variable ``name`` in MB (2**20 bytes)."""
    return int(float(os.environ.get(name, default)) * MB)
