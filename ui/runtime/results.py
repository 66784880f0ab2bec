"""Finished results, kept per (experiment, frozen config) so revisits are instant.

Two kinds of store, both bounded in bytes (``aecore.memory.nbytes`` of what they hold:
arrays, models, histories) and evicting the least recently used result:

- the **shared** store (``AE_RESULTS_MB``, default 512): results on built-in data are
  deterministic for a config, so a lecturer's run also serves the class. Behind it, the
  lecture presets shipped in assets/presets (aecore.presets) answer for each page's
  default view on a fresh server;
- each session's **own** store (``AE_SESSION_RESULTS_MB`` per session, default 256, and
  ``AE_SESSION_RESULTS_TOTAL_MB`` for all sessions together, default 512: past it the
  least recently used result of any session goes). It lives in ``st.session_state``, so it
  ends with the session. Results trained on an uploaded data set (a config naming an
  ``upload-`` data set) go there and nowhere else: only that session may use them, even
  when another session uploads the same bytes. The results the session's jobs hold are
  counted there too (``hold``), and pages keep their own derived results there
  (``remember``).

Entries are read-only by convention: pages draw from them and never train or mutate what
they hold. ``Cache`` is the pair (shared store, session stores) for one kind of result
(claims checks keep theirs in one too: ui.runtime.checks).
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Hashable
from typing import Any

from aecore import presets
from aecore.io.mnist_files import KINDS as FILE_DATA
from aecore.memory import ByteLRU, Pool, env_mb

SHARED_BYTES = env_mb("AE_RESULTS_MB", 512)
SESSION_BYTES = env_mb("AE_SESSION_RESULTS_MB", 256)
SESSIONS_BYTES = env_mb("AE_SESSION_RESULTS_TOTAL_MB", 512)
SESSIONS = Pool(SESSIONS_BYTES)  # every session's own store shares this limit
_OWN = "_own_results"  # session key of the session's own store


def private(config: Any) -> bool:
    """Whether ``config`` names an uploaded data set (its results belong to one session)."""
    if not dataclasses.is_dataclass(config):
        return False
    values = (getattr(config, f.name) for f in dataclasses.fields(config))
    return any(isinstance(v, str) and v.startswith("upload-") for v in values)


def own_data(config: Any) -> bool:
    """Whether ``config`` trains on the lecturer's own data: an upload, or MNIST-format files
    (``aecore.io.mnist_files``). Such a view is not started by opening its page."""
    return private(config) or getattr(config, "dataset", None) in FILE_DATA


def own() -> ByteLRU | None:
    """This session's own store (None outside a session's script run: a job's thread, the
    command line)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    import streamlit as st

    store = st.session_state.get(_OWN)
    if not isinstance(store, ByteLRU):
        store = st.session_state[_OWN] = ByteLRU(SESSION_BYTES, pool=SESSIONS, on_evict=_released)
    return store


def hold(page: str, job: Any) -> bool:
    """Count the result of this session's finished ``job`` of page part ``page`` in the
    session's own store: what a session's jobs hold is bounded with the rest. When the
    store drops it (the session's or all sessions' bound), the job lets it go and its page
    shows the settings as if they had never been trained here (the shared store, or a new
    run). False, and the job lets its result go at once, when it alone is over the bound."""
    store, result = own(), getattr(job, "result", None)
    if store is None or result is None:
        return True
    key = ("job", page)
    held = store.get(key)
    if held is not None and held[0] is result:
        return True
    if store.put(key, (result, weakref.ref(job))):
        return True
    job.too_big = store.size(result)
    _released(key, (result, weakref.ref(job)))
    return False


def _released(key: Hashable, value: Any) -> None:
    if isinstance(key, tuple) and key[:1] == ("job",):
        result, ref = value
        job = ref()
        if job is not None and job.result is result:
            job.result, job.released = None, True


class Cache:
    """One kind of result (``tag``): shared ones in ``shared``, private ones in the
    session's own store under ``(tag, name, config)``."""

    def __init__(self, tag: str, shared: ByteLRU):
        self.tag, self.shared = tag, shared

    def get(self, name: str, config: Any) -> Any | None:
        if private(config):
            store = own()
            return None if store is None else store.get((self.tag, name, config))
        return self.shared.get((name, config))

    def put(self, name: str, config: Any, value: Any) -> bool:
        """Keep ``value``; False when it is not kept (over its store's bound, or a private
        result outside a session)."""
        if private(config):
            store = own()
            return store is not None and store.put((self.tag, name, config), value)
        return self.shared.put((name, config), value)

    def clear(self) -> None:
        self.shared.clear()


_results = Cache("result", ByteLRU(SHARED_BYTES))


def get(name: str, config: Any) -> Any | None:
    found = _results.get(name, config)
    return found if found is not None or private(config) else presets.lookup(name, config)


def put(name: str, config: Any, result: Any) -> bool:
    return _results.put(name, config, result)


def remember(key: Hashable, value: Any) -> Any:
    """Keep a page's derived ``value`` in the session's own store under ``key``; returns it."""
    store = own()
    if store is not None:
        store.put(("page", key), value)
    return value


def recall(key: Hashable) -> Any | None:
    store = own()
    return None if store is None else store.get(("page", key))


def clear() -> None:
    _results.clear()


def size() -> int:
    return len(_results.shared)


def shared_bytes() -> int:
    return _results.shared.bytes
