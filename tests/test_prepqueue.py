"""The preparation queue's pure part (ui.runtime.prepqueue), without Streamlit: one job at a
time in order, skipped items never started, a failure does not end the queue, Stop ends the
running item and skips the rest, the caller's context (its uploads' owner) reaches the jobs."""

from __future__ import annotations

import contextvars
import threading

from aecore import stopping
from aecore.experiments import Result
from ui.runtime.jobs import Job
from ui.runtime.prepqueue import Item, PrepQueue

OWNER = contextvars.ContextVar("owner", default=None)


class Recorder:
    """Jobs whose run records the order, the concurrency and the owner they saw."""

    def __init__(self, fail: str = "", block: str = ""):
        self.order, self.owners, self.running, self.most = [], [], 0, 0
        self.lock, self.fail, self.block = threading.Lock(), fail, block
        self.blocked = threading.Event()

    def make_job(self, name: str, cfg: object) -> Job:
        def run(config, on_progress):
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
                self.order.append(name)
                self.owners.append(OWNER.get())
            try:
                if name == self.fail:
                    raise ValueError("boom")
                if name == self.block:
                    self.blocked.set()
                    while True:  # until Stop abandons it (aecore.stopping)
                        stopping.check()
                        threading.Event().wait(0.01)
                return Result({"m": float(config)})
            finally:
                with self.lock:
                    self.running -= 1

        return Job(name, cfg, run, share=False, estimate_s=1.0)


def _items(*names: str) -> list[Item]:
    return [Item(n, i, estimate_s=10.0 * (i + 1)) for i, n in enumerate(names)]


def test_items_train_one_at_a_time_in_order_and_are_taken_once():
    rec = Recorder()
    OWNER.set("session-a")
    q = PrepQueue(_items("pca", "latent", "vae"), rec.make_job).start()
    assert q.finished.wait(30)
    assert rec.order == ["pca", "latent", "vae"] and rec.most == 1
    assert rec.owners == ["session-a"] * 3  # the jobs see the session's uploads
    assert [i.state for i in q.items] == ["trained"] * 3
    taken = q.take()
    assert [(n, c, r.metrics["m"]) for n, c, r in taken] == [("pca", 0, 0.0), ("latent", 1, 1.0), ("vae", 2, 2.0)]
    assert q.take() == []


def test_ready_and_too_long_items_never_start():
    rec = Recorder()
    items = _items("pca", "latent", "vae")
    items[0].state, items[2].state = "ready", "too_long"
    q = PrepQueue(items, rec.make_job).start()
    assert q.finished.wait(30)
    assert rec.order == ["latent"] and [i.state for i in items] == ["ready", "trained", "too_long"]


def test_a_failure_is_kept_and_the_queue_goes_on():
    rec = Recorder(fail="latent")
    q = PrepQueue(_items("pca", "latent", "vae"), rec.make_job).start()
    assert q.finished.wait(30)
    assert [i.state for i in q.items] == ["trained", "failed", "trained"]
    assert str(q.items[1].error) == "boom"


def test_stop_ends_the_running_item_and_skips_the_rest():
    rec = Recorder(block="latent")
    q = PrepQueue(_items("pca", "latent", "vae"), rec.make_job).start()
    assert rec.blocked.wait(30)
    assert q.running and q.counts() == {"trained": 1, "training": 1, "waiting": 1}
    assert q.seconds_left() is None or q.seconds_left() >= 30.0  # the waiting one's estimate at least
    q.stop()
    assert q.finished.wait(30)
    assert [i.state for i in q.items] == ["trained", "stopped", "stopped"] and rec.order == ["pca", "latent"]
    assert [n for n, _, _ in q.take()] == ["pca"]


def test_time_left_is_the_sum_of_the_waiting_estimates():
    q = PrepQueue(_items("pca", "latent"), Recorder().make_job)
    assert q.seconds_left() == 30.0
    q.items[0].state = "ready"
    assert q.seconds_left() == 20.0
