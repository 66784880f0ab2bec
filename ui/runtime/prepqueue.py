"""The preparation queue: every page's default view on one data set, trained one after another
in the background (no Streamlit here: ``ui.runtime.prepare`` draws it and tested on its own).

The queue runs one ``ui.runtime.jobs.Job`` at a time, so it holds at most one training slot
and waits in the server's first-come queue like any job (``AE_MAX_JOBS``). An item whose
estimate is above the cap of a run is not started (``too_long``); an item already available
(a preset, a pack, an earlier run) is ``ready`` from the start. Stop ends the running item
and skips the rest. Finished results wait in the queue until the session's script run moves
them where the pages look (``take``): a job's thread cannot reach a session's own store.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ui.runtime.jobs import Job


@dataclass
class Item:
    experiment: str
    config: Any
    estimate_s: float | None = None  # aecore.cost's seconds for this run
    state: str = "waiting"  # waiting, training, trained, ready, too_long, failed, stopped
    job: Job | None = None
    error: BaseException | None = None
    taken: bool = False  # its result was moved where the pages look

    def seconds_left(self) -> float | None:
        """Seconds this item still needs: the running job's clock, else its estimate."""
        if self.state == "waiting":
            return self.estimate_s
        clock = self.job.clock() if self.state == "training" and self.job is not None else None
        return None if clock is None else clock.left(time.monotonic())


@dataclass(eq=False)
class PrepQueue:
    """Items trained in order by ``make_job(experiment, config) -> Job`` (not started)."""

    items: list[Item]
    make_job: Callable[[str, Any], Job]
    stop_event: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    started_at: float = field(default_factory=time.monotonic)

    def start(self) -> PrepQueue:
        """Run in a background thread, in a copy of the caller's context (its uploads)."""
        ctx = contextvars.copy_context()
        threading.Thread(target=ctx.run, args=(self._work,), name="prepare-queue", daemon=True).start()
        return self

    def _work(self) -> None:
        try:
            for item in self.items:
                if item.state != "waiting":
                    continue
                if self.stop_event.is_set():
                    item.state = "stopped"
                    continue
                self._run(item)
        finally:
            self.finished.set()

    def _run(self, item: Item) -> None:
        job = item.job = self.make_job(item.experiment, item.config)
        item.state = "training"
        job.start()
        job.done.wait()
        if job.error is not None:
            item.state, item.error = "failed", job.error
        elif job.result is None or job.stopped:
            item.state = "stopped"
        else:
            item.state = "trained"

    def stop(self) -> None:
        """End the running item (nothing partial is kept) and skip the rest."""
        self.stop_event.set()
        for item in self.items:
            if item.job is not None and not item.job.done.is_set():
                item.job.abandon.set()
                item.job.cancel.set()

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    def take(self) -> list[tuple[str, Any, Any]]:
        """The (experiment, config, result) trained since the last call."""
        out = []
        for item in self.items:
            if item.state == "trained" and not item.taken and item.job is not None:
                item.taken = True
                out.append((item.experiment, item.config, item.job.result))
        return out

    def seconds_left(self) -> float | None:
        """All items still to train together; None while the running one has no estimate."""
        parts = [i.seconds_left() for i in self.items if i.state in ("waiting", "training")]
        return None if any(p is None for p in parts) else sum(parts)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.state] = out.get(item.state, 0) + 1
        return out
