"""The training queue serves jobs in the order it shows them (first come, first served)."""

from __future__ import annotations

import threading
import time

from ui.runtime import jobs


def _wait(cond, timeout=20.0):
    t0 = time.monotonic()
    while not cond():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.01)


def test_queue_is_served_in_order_and_positions_are_truthful():
    gates: dict[str, threading.Event] = {}
    started: list[str] = []

    def run(name, _progress):
        started.append(name)
        gates[name].wait(20)
        return name

    blockers = []
    for i in range(jobs.MAX_JOBS):  # occupy every slot
        name = f"blocker{i}"
        gates[name] = threading.Event()
        blockers.append(jobs.Job("fifo", name, run).start())
    _wait(lambda: len(started) == jobs.MAX_JOBS)

    queued = []
    for i in range(10):
        name = f"q{i}"
        gates[name] = threading.Event()
        queued.append(jobs.Job("fifo", name, run).start())
        _wait(lambda n=i + 1: queued[-1].queue_position == n)
    assert [j.queue_position for j in queued] == list(range(1, 11))

    # a cancelled job leaves the queue and does not hold up the ones behind it
    queued[2].cancel.set()
    _wait(lambda: queued[2].done.is_set())
    assert [j.queue_position for j in queued] == [1, 2, 0, *range(3, 10)]

    for name in [b.config for b in blockers] + [j.config for j in queued]:
        gates[name].set()  # free one slot at a time, in order
        time.sleep(0.05)
    for j in blockers + queued:
        _wait(j.done.is_set)
    order = [n for n in started if n.startswith("q")]
    assert order == [f"q{i}" for i in range(10) if i != 2]
    assert queued[2].result is None and queued[2].running_since is None
    assert jobs.running_jobs() == 0
