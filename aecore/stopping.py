"""Ending a run nobody will look at: a check for cancellation inside long loops.

Two ways a run ends early. **Stop** (the user's button) goes through the progress callback
(``aecore.train.ProgressFn``: a truthy answer): the run ends its current training stage or
layout where it is and still shows what it has, so the steps after it (t-SNE's affinities,
scores, a posterior) still run. **Abandon** (the tab closed, the settings changed, the
session started another run, the server stops) means no one will see the result: the
caller installs ``abandoned`` for the run with ``watching``, and every long loop calls
``check()`` between small pieces of work (a batch, a t-SNE iteration, a UMAP epoch, a chunk
of neighbours, importance samples or grid points), which raises ``Abandoned`` once it is
true. ``check`` asks at most every ``POLL_S`` seconds; without a watcher (the command line,
the tests) it costs one context-variable read. The variable is per thread (a job's thread
runs in its own context), so one user's abandon never reaches another's run.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

POLL_S = 0.05  # seconds between two questions to the watcher


class Abandoned(Exception):
    """The run's result is no longer wanted: it ends at once, with nothing kept."""


@dataclass
class _Watch:
    abandoned: Callable[[], bool]
    next_at: float = 0.0


_watch: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("aecore_stop_watch", default=None)


@contextmanager
def watching(abandoned: Callable[[], bool]) -> Iterator[None]:
    """Within this block, ``check()`` in this thread raises once ``abandoned()`` is true."""
    token = _watch.set(_Watch(abandoned))
    try:
        yield
    finally:
        _watch.reset(token)


def check() -> None:
    """Raise ``Abandoned`` if the run being computed here is no longer wanted."""
    w = _watch.get()
    if w is None:
        return
    now = time.monotonic()
    if now < w.next_at:
        return
    w.next_at = now + POLL_S
    if w.abandoned():
        raise Abandoned
