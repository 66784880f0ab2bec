"""The time left of a running job: ui.runtime.eta's arithmetic and the clock a job keeps of
its stages and units (ui.runtime.jobs), on a simulated clock."""

from __future__ import annotations

import pytest

from aecore.check import CheckProgress
from aecore.train import Progress
from ui.runtime import eta, jobs


def _clock(**kw) -> eta.Clock:
    base = dict(now=100.0, unit_start=100.0, stage_start=100.0, epoch=0, epochs=0)
    return eta.Clock(**(base | kw))


def test_fraction_counts_finished_units_and_the_current_stage():
    assert eta.fraction(50, 200) == pytest.approx(0.25)
    assert eta.fraction(50, 200, index=2, units=5) == pytest.approx((2 + 0.25) / 5)
    assert eta.fraction(0, 1, index=4, units=5) == pytest.approx(0.8)  # a non-training stage
    assert eta.fraction(300, 200) == 1.0 and eta.fraction(3, 0) == 0.0


def test_stage_left_follows_the_stages_own_rate():
    # 10 of 100 epochs in 2 s: 90 more epochs at 0.2 s each
    assert eta.stage_left(_clock(now=102.0, epoch=10, epochs=100)) == pytest.approx(18.0)
    assert eta.stage_left(_clock(now=102.0, epoch=0, epochs=1)) is None  # no epoch yet: no rate


def test_prior_alone_then_finished_units_set_the_expected_length():
    assert eta.seconds_left(_clock()) is None  # nothing known
    # before any unit finished: the prior (aecore.cost × speed) minus the time spent
    assert eta.seconds_left(_clock(now=110.0, unit_prior_s=30.0)) == pytest.approx(20.0)
    # one of five seeds finished in 12 s: E = 12; 3 s into the second, 3 more to go after it
    c = _clock(now=103.0, index=1, units=5, unit_prior_s=99.0, finished_units_s=12.0)
    assert eta.unit_expected(c) == pytest.approx(12.0)
    assert eta.seconds_left(c) == pytest.approx((12 - 3) + 3 * 12)


def test_an_optimistic_prior_gives_way_to_the_stage_rate():
    # the prior expected 10 s and 9 have passed, but the stage alone needs 20 s more
    c = _clock(now=109.0, stage_start=104.0, epoch=20, epochs=100, unit_prior_s=10.0)
    assert eta.stage_left(c) == pytest.approx(20.0)
    assert eta.seconds_left(c) == pytest.approx(20.0)


def test_shown_only_for_runs_expected_over_ten_seconds():
    assert not eta.worth_showing(2.0, 5.0)
    assert eta.worth_showing(2.0, 9.0)
    assert not eta.worth_showing(30.0, None)


@pytest.mark.parametrize(
    "seconds, said",
    [(0.2, ("s", 1)), (3.2, ("s", 4)), (19.5, ("s", 20)), (47.0, ("s", 50)), (89.0, ("s", 90)), (200, ("min", 4))],
)
def test_durations_are_said_in_steady_steps(seconds, said):
    assert eta.rounded(seconds) == said


def test_speed_is_learned_from_finished_runs():
    assert eta.learn_speed(None, 20.0, 10.0) == pytest.approx(2.0)
    assert eta.learn_speed(2.0, 10.0, 10.0) == pytest.approx(1.5)
    assert eta.learn_speed(2.0, 10.0, 0.0) == 2.0  # no estimate: nothing learned


class _Time:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_jobs_clock_marks_where_stages_and_seeds_began(monkeypatch):
    fake = _Time(50.0)
    monkeypatch.setattr(jobs.time, "monotonic", fake)
    job = jobs.Job("toy", 1, lambda c, cb: None, estimate_s=8.0)
    job.running_since = 50.0
    reports = [  # (time, stage, epoch, epochs, seed index)
        (52.0, "linear_ae", 1, 10, 0),
        (56.0, "linear_ae", 10, 10, 0),
        (57.0, "deep_ae", 1, 4, 0),
        (60.0, "deep_ae", 2, 4, 0),
        (64.0, "linear_ae", 1, 10, 1),
    ]
    for now, stage, epoch, epochs, index in reports[:4]:
        fake.now = now
        job._on_progress(CheckProgress(stage, epoch, epochs, 0.1, index=index, seeds=3, seed=7 + index))
    c = job.clock()
    assert (c.stage_start, c.unit_start, c.index, c.units) == (56.0, 50.0, 0, 3)  # deep_ae began when linear ended
    assert eta.stage_left(c) == pytest.approx((60 - 56) * 2 / 2)
    assert c.unit_prior_s == pytest.approx(8.0 * jobs._speed.get("toy", 1.0))
    fake.now, (_, stage, epoch, epochs, index) = 64.0, reports[4]
    job._on_progress(CheckProgress(stage, epoch, epochs, 0.1, index=index, seeds=3, seed=8))
    c = job.clock()
    assert (c.unit_start, c.finished_units_s, c.index) == (60.0, 10.0, 1)  # seed 0 took 50 → 60 s
    assert eta.unit_expected(c) == pytest.approx(10.0)


def test_a_training_jobs_clock_is_one_unit(monkeypatch):
    fake = _Time(10.0)
    monkeypatch.setattr(jobs.time, "monotonic", fake)
    job = jobs.Job("toy", 1, lambda c, cb: None)
    job.running_since = 10.0
    fake.now = 14.0
    job._on_progress(Progress("deep_ae", 4, 40, 0.5))
    c = job.clock()
    assert (c.units, c.index, c.unit_prior_s) == (1, 0, None)
    assert eta.seconds_left(c) == pytest.approx(4.0 * 36 / 4)  # 1 s per epoch, 36 to go
