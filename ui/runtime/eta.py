"""How far a running job is and how long it has left: pure arithmetic, no Streamlit.

A job is a sequence of ``units`` equal runs (1 for training, the seeds for a claims
check), each a sequence of training stages that report ``epoch`` of ``epochs``. With
``t_unit`` the time spent in the current unit and ``E`` its expected length,

    left = max(E − t_unit, stage_left) + (units − index − 1) · E,
    stage_left = t_stage · (epochs − epoch) / epoch   (the current stage's own rate),

where ``E`` is the mean length of the units already finished, or before any has finished
the run-cost estimate (``aecore.cost``) times the speed this server has shown on that
experiment (``speed``: measured seconds ÷ estimated seconds of earlier runs; 1 at first).
The ``max`` keeps the estimate honest when the prior was optimistic: the current stage
alone still needs ``stage_left``. Shown only for runs expected to last over ``SHOW_ABOVE_S``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SHOW_ABOVE_S = 10.0


@dataclass(frozen=True)
class Clock:
    """What the page knows about a running job, at ``now`` (seconds, monotonic)."""

    now: float
    unit_start: float  # when the current unit (seed's run) began
    stage_start: float  # when the current stage reported its first epoch
    epoch: int  # epochs of the current stage done (0: none yet, or not a training stage)
    epochs: int
    index: int = 0  # 0-based current unit
    units: int = 1
    unit_prior_s: float | None = None  # expected seconds of one unit before any finished
    finished_units_s: float = 0.0  # seconds spent on the units already done (index of them)


def fraction(epoch: int, epochs: int, index: int = 0, units: int = 1) -> float:
    """Share of the job done, in [0, 1]: finished units plus the current stage's share
    of the current unit (stages within a unit are not weighed: their number is unknown)."""
    inner = 0.0 if epochs <= 0 else min(1.0, max(0.0, epoch / epochs))
    return min(1.0, (index + inner) / max(units, 1))


def stage_left(c: Clock) -> float | None:
    """Seconds the current stage still needs at its own rate; None before its first epoch."""
    if c.epoch <= 0 or c.epochs <= 0:
        return None
    return (c.now - c.stage_start) * max(c.epochs - c.epoch, 0) / c.epoch


def unit_expected(c: Clock) -> float | None:
    """Expected seconds of one unit: the mean of the finished ones, else the prior."""
    if c.index > 0 and c.finished_units_s > 0:
        return c.finished_units_s / c.index
    return c.unit_prior_s


def seconds_left(c: Clock) -> float | None:
    """The formula of the module docstring; None when nothing is known yet."""
    expected, stage = unit_expected(c), stage_left(c)
    if expected is None and stage is None:
        return None
    in_unit = max(expected - (c.now - c.unit_start) if expected is not None else 0.0, stage or 0.0)
    later = max(c.units - c.index - 1, 0) * (expected if expected is not None else 0.0)
    return in_unit + later


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


def learn_speed(old: float | None, measured_s: float, estimated_s: float, weight: float = 0.5) -> float | None:
    """A server's speed on an experiment (measured ÷ estimated seconds), smoothed over runs."""
    if estimated_s <= 0 or measured_s <= 0:
        return old
    ratio = measured_s / estimated_s
    return ratio if old is None else (1 - weight) * old + weight * ratio
