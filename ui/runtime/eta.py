"""What the page says about time: the estimate before a run starts and the time left while
it runs, in steady steps. The arithmetic is ``aecore.eta``'s (pure, tested on a simulated
clock); this module adds this server's state: its learned speed, its load and its queue.

* ``work_seconds``: the estimate (``aecore.cost``) × the learned speed, what the start caps
  compare (a busy minute must not refuse a run the same server finishes in time when quiet).
* ``expected_seconds``: how long that work should take here if started now: × the load
  factor, plus the runs of the jobs queued ahead (``aecore.eta.queue_wait``). The page's
  "about N s" says this.
* ``rounded`` / ``worth_showing``: shown only for runs expected to last over ``SHOW_ABOVE_S``.
"""

from __future__ import annotations

import math

from aecore import eta

SHOW_ABOVE_S = 10.0


def work_seconds(estimate_s: float, experiment: str | None = None, speed: eta.Speed | None = None) -> float:
    """The estimate scaled by this server's learned speed (measured ÷ expected; ``speed``:
    default the process's, ``aecore.eta.SPEED``)."""
    return estimate_s * (speed or eta.SPEED).ratio(experiment)


def expected_seconds(
    work_s: float, *, load: float | None = None, waiting: int = 0, running: int = 0, slots: int = 1
) -> float:
    """Seconds until a run of ``work_s`` (``work_seconds``) started now ends: its work ×
    the load factor (``load``; default now's, ``aecore.eta.current_load``), after the jobs
    ahead of it in the queue."""
    run_s = work_s * (eta.current_load() if load is None else load)
    return run_s + eta.queue_wait(run_s, waiting, running, slots)


def worth_showing(elapsed_s: float, left_s: float | None) -> bool:
    """An estimate is shown for runs expected to last over ``SHOW_ABOVE_S`` in all."""
    return left_s is not None and elapsed_s + left_s > SHOW_ABOVE_S


def rounded(seconds: float) -> tuple[str, int]:
    """(unit, value) of a duration as people say it, in steady steps so that it does not
    flicker: whole seconds below 20 s, 5 s steps below 90 s, minutes after."""
    s = max(0.0, seconds)
    if s < 20:
        return "s", max(1, math.ceil(s))
    if s < 90:
        return "s", 5 * math.ceil(s / 5)
    return "min", math.ceil(s / 60)
