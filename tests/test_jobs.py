"""Background jobs: cooperative stop, closed sessions, the global cap and its queue."""

from __future__ import annotations

import threading
import time

import pytest

from aecore.experiments.base import Tracker
from aecore.train import Progress
from ui.runtime import jobs


def _slow_run(epochs: int = 10_000, step_s: float = 0.01):
    def run(config, on_progress):
        track = Tracker(on_progress)
        for e in range(1, epochs + 1):
            time.sleep(step_s)
            if track(Progress("toy", e, epochs, 1.0 / e)):
                break
        return track.result({"epochs": e})

    return run


def _wait(event: threading.Event, s: float = 10) -> None:
    assert event.wait(s), "job did not finish"


def test_stop_keeps_what_was_done():
    job = jobs.Job("toy", 1, _slow_run()).start()
    time.sleep(0.2)
    job.cancel.set()
    _wait(job.done)
    assert job.error is None and job.stopped
    assert 1 <= job.result.metrics["epochs"] < 10_000
    assert job.losses["toy"]


def test_closed_session_ends_the_job():
    alive = threading.Event()
    alive.set()
    job = jobs.Job("toy", 1, _slow_run(), alive=alive.is_set).start()
    time.sleep(0.1)
    alive.clear()  # the browser tab went away
    _wait(job.done, 3)
    assert job.stopped


def test_errors_are_kept_not_raised():
    def boom(config, on_progress):
        raise RuntimeError("bad")

    job = jobs.Job("toy", 1, boom).start()
    _wait(job.done)
    assert isinstance(job.error, RuntimeError)


def test_global_cap_queues_with_positions(monkeypatch):
    monkeypatch.setattr(jobs, "_slots", threading.BoundedSemaphore(1))
    first = jobs.Job("a", 1, _slow_run()).start()
    time.sleep(0.1)
    second = jobs.Job("b", 1, _slow_run(epochs=3)).start()
    time.sleep(0.5)
    assert first.queue_position == 0 and second.queue_position == 1
    assert second.last is None  # waiting, not running
    first.cancel.set()
    _wait(first.done)
    _wait(second.done)
    assert second.result.metrics["epochs"] == 3 and not second.stopped


def test_cancel_all_stops_everything():
    started = [jobs.Job("t", i, _slow_run()).start() for i in range(3)]
    jobs.cancel_all(5)
    assert all(j.done.is_set() for j in started)


@pytest.mark.parametrize("n", [1, 5000])
def test_live_loss_memory_is_bounded(n):
    job = jobs.Job("toy", 1, lambda c, cb: None)
    for e in range(n):
        job._on_progress(Progress("s", e, n, 0.5))
    assert len(job.losses["s"]) <= 2 * jobs.MAX_POINTS


def test_queued_job_takes_a_result_another_session_finished(monkeypatch):
    from ui.runtime import results

    monkeypatch.setattr(jobs, "_slots", threading.BoundedSemaphore(1))
    blocker = jobs.Job("busy", 0, _slow_run()).start()
    ran = []
    waiting = jobs.Job("shared", 7, lambda c, cb: ran.append(1)).start()
    time.sleep(0.3)
    assert waiting.queue_position == 1
    results.put("shared", 7, "the class's result")
    _wait(waiting.done, 5)
    assert waiting.result == "the class's result" and not ran
    blocker.cancel.set()
    _wait(blocker.done)
    results.clear()
