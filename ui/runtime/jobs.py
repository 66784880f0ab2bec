"""Background training jobs: one per session, a bounded number at once per server.

A job runs an experiment in a worker thread (never calling st.*), so the page stays
responsive and can poll it. Stop (the button) makes the job's progress callback answer
True: training and layouts end where they are and the page shows what was done. A job
whose result no one will see is *abandoned* (``aecore.stopping``): its tab closed (the
session is no longer active on the server), its settings changed, the session started
another job, or the server stops. Its run then ends at the next check of its long loops
(a batch, an iteration, a chunk: well under a second of work) and keeps nothing. A global semaphore bounds
the jobs running together (cores ÷ torch threads per job); the others wait in a
first-come queue whose position the page shows.

A job also keeps the clock of its progress (``aecore.eta.RunClock``: the fraction done, its
stages weighed by their estimated cost, and the time left) from its run-cost estimate, the
server's learned speed and the load when it was admitted; finished runs teach the server its
speed (``aecore.eta.SPEED``: measured ÷ expected seconds).
"""

from __future__ import annotations

import atexit
import contextvars
import logging
import os
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aecore import eta, stopping
from aecore.train import Progress
from ui.runtime import results

log = logging.getLogger("autoencoder_lab.jobs")

MAX_JOBS = max(1, int(os.environ.get("AE_MAX_JOBS", os.cpu_count() or 1)))
_slots = threading.BoundedSemaphore(MAX_JOBS)
_queue: list[Job] = []
_queue_lock = threading.Lock()
_live: weakref.WeakSet[Job] = weakref.WeakSet()
_turn = threading.Condition(_queue_lock)  # signalled when a slot frees or the queue moves
MAX_POINTS = 400  # loss points kept per stage for the live chart


@dataclass(eq=False)  # identity semantics: jobs live in sets and queues
class Job:
    experiment: str  # the experiment it runs (aecore.experiments name)
    config: Any
    run: Callable[[Any, Callable[[Progress], bool]], Any]
    alive: Callable[[], bool] = lambda: True
    cancel: threading.Event = field(default_factory=threading.Event)  # Stop: end stages early, keep what was done
    abandon: threading.Event = field(default_factory=threading.Event)  # no one will see it: end now, keep nothing
    superseded: bool = False  # cancelled because the session started another job
    done: threading.Event = field(default_factory=threading.Event)
    last: Progress | None = None
    losses: dict[str, list[float]] = field(default_factory=dict)
    result: Any = None
    error: BaseException | None = None
    started: float = field(default_factory=time.monotonic)
    running_since: float | None = None
    share: bool = True  # may take a result another session finished meanwhile
    loaded_from: str | None = None  # replaying weights loaded from these files (never shared)
    lookup: Callable[[str, Any], Any] = results.get  # where a result another session finished is found
    estimate_s: float | None = None  # aecore.cost's seconds for one run (unit) of this job
    shares: dict[str, float] = field(default_factory=dict)  # stage id -> share of a unit's cost (aecore.eta)
    released: bool = False  # its result was dropped from the session's bounded store (ui.runtime.results.hold)
    too_big: int = 0  # bytes of a result over the session's bound (dropped at once)
    load: float = 1.0  # the load factor when it was admitted (aecore.eta.load_factor)
    run_clock: eta.RunClock | None = None  # from its first progress report

    def clock(self) -> eta.RunClock | None:
        """Where the job stands (``aecore.eta``); None before its first report."""
        return self.run_clock

    def prior_s(self, units: int = 1) -> float | None:
        """Expected seconds of the whole job: estimate × units × learned speed × load."""
        one = eta.prior_seconds(self.estimate_s, eta.SPEED.ratio(self.experiment), self.load)
        return None if one is None else one * units

    def _on_progress(self, p: Progress) -> bool:
        now, units = time.monotonic(), getattr(p, "seeds", 1)
        if self.run_clock is None:
            self.run_clock = eta.RunClock(self.shares, self.prior_s(units), self.running_since or now, units)
        self.run_clock.report(p.stage, p.epoch, p.epochs, now, getattr(p, "index", 0), units)
        self.last = p
        if p.loss == p.loss:  # skip NaN (non-training stages)
            pts = self.losses.setdefault(p.stage, [])
            pts.append(p.loss)
            if len(pts) > 2 * MAX_POINTS:  # keep memory flat on long runs
                del pts[::2]
        if self.abandoned():
            raise stopping.Abandoned
        return self.cancel.is_set()

    def abandoned(self) -> bool:
        """No one will see this job's result: abandoned, or its session is gone."""
        return self.abandon.is_set() or not self.alive()

    def _admitted(self) -> bool:
        """Wait for a slot in first-come order; False if cancelled while queued, or if
        another session finished the same experiment and config meanwhile (a class that
        opens the same default view trains it once; the others take the shared result)."""
        while not (self.cancel.is_set() or self.abandoned()):
            shared = self.lookup(self.experiment, self.config) if self.share else None
            if shared is not None:
                self.result = shared
                return False
            with _turn:
                # Only the head of the queue may take a free slot, so the position the
                # page shows is the order of service.
                if _queue and _queue[0] is self and _slots.acquire(blocking=False):
                    _queue.remove(self)
                    _turn.notify_all()
                    return True
                _turn.wait(0.25)
        return False

    def _work(self) -> None:
        with _queue_lock:
            _queue.append(self)
        try:
            if not self._admitted():
                return
            try:
                self.running_since, self.load = time.monotonic(), eta.current_load()
                with stopping.watching(self.abandoned):
                    self.result = self.run(self.config, self._on_progress)
                self._learn_speed()
            except stopping.Abandoned:
                self.result = None  # no one will look at it
            finally:
                _slots.release()
                with _turn:
                    _turn.notify_all()
        except BaseException as exc:  # reported on the page; never crashes the server
            self.error = exc
            if not _is_expected(exc):
                log.error("job %s failed:\n%s", self.experiment, traceback.format_exc())
        finally:
            with _turn:
                if self in _queue:
                    _queue.remove(self)
                    _turn.notify_all()
            self.done.set()

    def start(self) -> Job:
        _live.add(self)
        # The job runs in a copy of the starting run's context: it sees that session's own
        # uploads (aecore.data.userdata's owner) and no one else's.
        ctx = contextvars.copy_context()
        threading.Thread(target=ctx.run, args=(self._work,), name=f"job-{self.experiment}", daemon=True).start()
        return self

    def _learn_speed(self) -> None:
        p = self.last
        if self.estimate_s and p is not None and not self.stopped:
            units = getattr(p, "seeds", 1)
            measured = (time.monotonic() - (self.running_since or time.monotonic())) / units
            eta.SPEED.learn(self.experiment, measured, self.estimate_s, self.load)

    @property
    def queue_position(self) -> int:
        """1-based place among waiting jobs; 0 once running."""
        with _queue_lock:
            return _queue.index(self) + 1 if self in _queue else 0

    @property
    def stopped(self) -> bool:
        r = self.result  # a Result, or a claims check's dict (aecore.check)
        return bool(r.get("stopped") if isinstance(r, dict) else getattr(r, "stopped", False))


def _is_expected(exc: BaseException) -> bool:
    from aecore.config import ConfigError
    from aecore.errors import DataError
    from aecore.train import TrainingDiverged

    return isinstance(exc, (ConfigError, DataError, TrainingDiverged))


@atexit.register
def cancel_all(wait_s: float = 10.0) -> None:
    """Ask every job to stop and wait for them (shutdown, tests): a torch thread still
    running while the interpreter exits can abort the process."""
    jobs = list(_live)
    for job in jobs:
        job.abandon.set()
        job.cancel.set()
    end = time.monotonic() + wait_s
    for job in jobs:
        job.done.wait(max(0.0, end - time.monotonic()))


def waiting_jobs() -> int:
    with _queue_lock:
        return len(_queue)


def running_jobs() -> int:
    return MAX_JOBS - _slots._value  # noqa: SLF001  (read-only peek for the load report)
