"""How far a run is and how long it has left, and what this server's speed does to the
estimate: pure arithmetic on times the caller passes (tested on a simulated clock).

**Fraction done.** A run is ``units`` equal runs (1 for training, the seeds of a claims
check), each a sequence of stages reporting ``epoch`` of ``epochs``. Stage i weighs w_i, its
share of the per-stage cost estimate (``aecore.cost.stage_seconds``; Σ w_i = 1, in run order).
Within a unit

    f_unit = Σ_{stages before the current one} w_j + w_cur · epoch / epochs,
    F = (index + f_unit) / units                          (never moving back),

so a first stage at 80 % of its epochs is 80 % of the run only if it is the run's whole cost.

**Time left.** With P the prior (seconds of the whole run: the estimate × this server's
speed × its load, ``prior_seconds``), t₁ and F₁ the time and fraction of the first report
(the time before it, loading data and building models, is not work the fraction measures)
and d = F − F₁ the work measured since:

    rate_left  = (t − t₁) · (1 − F) / d                   (the run's own pace)
    prior_left = P · (1 − F)
    left = ω · rate_left + (1 − ω) · prior_left,   ω = d / (d + F0),

so the measured pace takes over after a few per cent of the work (ω = ½ at d = F0 = 1 %,
0.9 at 10 %); a run three times slower (or faster) than its prior is then within a few
per cent. The current stage alone still needs its own epochs at its own rate: ``left`` is
never below that.

**Speed and load.** ``Speed`` learns the ratio measured ÷ expected seconds of finished runs
(expected = estimate × the load factor at their start), as an exponential moving average
per experiment and over all of them, bounded to [``SPEED_LO``, ``SPEED_HI``]. The load factor
of a new single-threaded run on c cores with 1-minute load average L is (L + 1) / c (it
shares the cores with the L runnable threads; at least 1, at most ``LOAD_HI``). Jobs queued
ahead add their runs (``queue_wait``).
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import dataclass, field

F0 = 0.01  # work done at which the measured pace and the prior weigh the same
SPEED_LO, SPEED_HI = 0.2, 5.0  # bounds of a learned speed ratio
SPEED_WEIGHT = 0.3  # weight of the newest run in the moving average
LOAD_HI = 8.0  # the load factor is capped here (a spike must not make every run look endless)


def load_factor(load1: float, cpus: int) -> float:
    """Slow-down of a new single-threaded run: (L + 1) / c, in [1, ``LOAD_HI``]."""
    return min(LOAD_HI, max(1.0, (max(load1, 0.0) + 1.0) / max(cpus, 1)))


def current_load() -> float:
    """This machine's load factor now (1 where the load average cannot be read)."""
    try:
        return load_factor(os.getloadavg()[0], os.cpu_count() or 1)
    except OSError:
        return 1.0


def queue_wait(run_s: float, waiting: int, running: int, slots: int) -> float:
    """Seconds before a job started now gets a slot, taking the jobs ahead (``waiting``
    queued, ``running`` in ``slots`` slots) to last as long as this one (``run_s``):
    0 when a slot is free, else one run per round of ``slots`` jobs ahead."""
    ahead = waiting + running - max(slots, 1) + 1
    return 0.0 if ahead <= 0 else math.ceil(ahead / max(slots, 1)) * run_s


class Speed:
    """This server's speed (measured ÷ expected seconds), learned from finished runs:
    a bounded exponential moving average per experiment and one over all. Thread-safe."""

    def __init__(self, weight: float = SPEED_WEIGHT):
        self.weight, self._all, self._by = weight, None, {}
        self._lock = threading.Lock()

    def learn(self, experiment: str, measured_s: float, estimated_s: float, load: float = 1.0) -> None:
        """Count a finished run that took ``measured_s`` where ``estimated_s`` × ``load`` was expected."""
        if not (measured_s > 0 and estimated_s > 0 and load > 0):
            return
        ratio = min(SPEED_HI, max(SPEED_LO, measured_s / (estimated_s * load)))
        with self._lock:
            self._all = self._mix(self._all, ratio)
            self._by[experiment] = self._mix(self._by.get(experiment), ratio)

    def _mix(self, old: float | None, ratio: float) -> float:
        return ratio if old is None else (1 - self.weight) * old + self.weight * ratio

    def ratio(self, experiment: str | None = None) -> float:
        """The experiment's learned ratio, else the server's, else 1."""
        with self._lock:
            got = self._by.get(experiment) if experiment is not None else None
            return got if got is not None else (self._all if self._all is not None else 1.0)

    def reset(self) -> None:
        with self._lock:
            self._all, self._by = None, {}


SPEED = Speed()  # this process's (the server's) speed


def prior_seconds(estimate_s: float | None, ratio: float = 1.0, load: float = 1.0) -> float | None:
    """Expected seconds of a run: the estimate × the learned speed × the load factor."""
    return None if estimate_s is None else estimate_s * ratio * load


def weights(stage_seconds: dict[str, float]) -> dict[str, float]:
    """Per-stage seconds → shares summing to 1, in the same order ({} when all are 0)."""
    parts = {k: max(float(v), 0.0) for k, v in stage_seconds.items() if math.isfinite(float(v))}
    total = sum(parts.values())
    return {k: v / total for k, v in parts.items()} if total > 0 else {}


def unit_fraction(shares: dict[str, float], stage: str, epoch: int, epochs: int) -> float | None:
    """Share of one unit done when ``stage`` reports ``epoch`` of ``epochs`` (module
    docstring); a stage listed only by its id before ":" (a pool of sub-stages whose number
    is unknown) counts from its start; None for a stage not listed. Without shares: the
    stage's own share, as if it were the whole unit."""
    inner = 0.0 if epochs <= 0 else min(1.0, max(0.0, epoch / epochs))
    if not shares:
        return inner
    keys = list(shares)
    if stage in shares:
        i = keys.index(stage)
        return sum(shares[k] for k in keys[:i]) + shares[stage] * inner
    pool = stage.split(":", 1)[0]
    if pool in shares:
        return sum(shares[k] for k in keys[: keys.index(pool)])
    return None


def blend_left(elapsed_rate_s: float, done: float, first: float, prior_s: float | None) -> float | None:
    """Seconds left at fraction ``done`` (module docstring): the pace measured over
    ``elapsed_rate_s`` seconds since the first report (at fraction ``first``), blended with
    the prior; None when neither is known."""
    todo = max(0.0, 1.0 - done)
    d = done - first
    prior_left = None if prior_s is None else prior_s * todo
    if d <= 0 or elapsed_rate_s <= 0:
        return prior_left
    rate_left = elapsed_rate_s * todo / d
    if prior_left is None:
        return rate_left
    w = d / (d + F0)
    return w * rate_left + (1 - w) * prior_left


@dataclass
class RunClock:
    """The clock of one running job: feed it each progress report with its time (``report``),
    read ``fraction()`` and ``left(now)``. ``shares``: ``weights`` of the per-stage estimate;
    ``prior_s``: expected seconds of the whole run (``prior_seconds``) or None."""

    shares: dict[str, float]
    prior_s: float | None
    start: float
    units: int = 1
    done: float = 0.0  # F, the fraction of the run done
    index: int = 0  # the current unit
    first: tuple[float, float] | None = None  # (time, F) of the first report
    stage: tuple[str, int, int] | None = None  # (id, epoch, epochs) of the last report
    stage_start: float = 0.0  # when the current stage began (the previous one's last report)
    stage_from: int = 0  # its epochs done then (the first stage: those of the first report)
    last_at: float = 0.0
    _unit: float = field(default=0.0, repr=False)

    def report(self, stage: str, epoch: int, epochs: int, now: float, index: int = 0, units: int = 1) -> None:
        """A progress report at ``now``: stage ``stage`` finished ``epoch`` of ``epochs``
        (of unit ``index`` of ``units``)."""
        prev = self.stage
        if prev is None:  # the time before the first report (set-up) is not this stage's pace
            self.stage_start, self.stage_from = now, epoch
        elif index != self.index or stage != prev[0] or epoch < prev[1]:
            self.stage_start, self.stage_from = self.last_at, 0
        if index != self.index:
            self._unit = 0.0
        self.index, self.units = index, max(units, 1)
        got = unit_fraction(self.shares, stage, epoch, epochs)
        if got is not None:
            self._unit = max(self._unit, got)
        self.done = max(self.done, min(1.0, (index + self._unit) / self.units))
        self.stage, self.last_at = (stage, epoch, epochs), now
        if self.first is None:
            self.first = (now, self.done)

    def fraction(self) -> float:
        return self.done

    def stage_left(self, now: float) -> float | None:
        """Seconds the current stage still needs at its own rate; None before its first epoch."""
        if self.stage is None or self.stage[1] <= self.stage_from or self.stage[2] <= 0:
            return None
        _, epoch, epochs = self.stage
        return (now - self.stage_start) * max(epochs - epoch, 0) / (epoch - self.stage_from)

    def left(self, now: float) -> float | None:
        """Seconds left (module docstring); the prior alone before the first report."""
        if self.first is None:
            return None if self.prior_s is None else max(0.0, self.prior_s - (now - self.start))
        t1, f1 = self.first
        blended = blend_left(now - t1, self.done, f1, self.prior_s)
        own = self.stage_left(now)
        if blended is None:
            return own
        return max(blended, own or 0.0)
