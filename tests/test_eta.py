"""The fraction done and the time left of a running job (aecore.eta), the server's speed and
load, and the clock a job keeps (ui.runtime.jobs): all on a simulated clock."""

from __future__ import annotations

import pytest

from aecore import cost, eta
from aecore.check import CheckProgress
from aecore.experiments import get
from aecore.train import Progress
from ui.runtime import eta as page_eta
from ui.runtime import jobs


def simulate(speedup: float, prior_s: float = 100.0, shares=None, overhead_s: float = 2.0, every_s: float = 1.0):
    """A run whose true length is ``prior_s / speedup`` (+ ``overhead_s`` before its first
    report), its stages as ``shares`` say and each stage's epochs evenly paced; yields
    (fraction, predicted left, true left) at each report."""
    shares = shares or {"a": 1.0}
    true_s = prior_s / speedup
    clock = eta.RunClock(eta.weights(shares), prior_s, start=0.0)
    stages, t, epochs = list(eta.weights(shares).items()), overhead_s, 50
    end = overhead_s + true_s
    for name, share in stages:
        per_epoch = share * true_s / epochs
        for epoch in range(1, epochs + 1):
            t += per_epoch
            clock.report(name, epoch, epochs, t)
            if t >= every_s:
                yield clock.fraction(), clock.left(t), end - t


def _at(samples, fraction: float):
    return next((f, left, true) for f, left, true in samples if f >= fraction)


@pytest.mark.parametrize("speedup", [1 / 3, 3.0, 1.0])
def test_time_left_is_within_30_percent_once_a_tenth_is_done(speedup):
    """A run 3× slower (or faster) than its estimate: after 10 % of its work the time left
    is within ±30 % of the truth (the prior alone would be off 3×)."""
    _, left, true = _at(list(simulate(speedup)), 0.10)
    assert abs(left - true) / true < 0.30, (left, true)


def test_the_pace_counts_from_the_first_report():
    """Loading data before the first report is not work: a long start-up does not make the
    pace look slow (100 s of set-up, then a run exactly as estimated)."""
    _, left, true = _at(list(simulate(1.0, overhead_s=100.0)), 0.10)
    assert abs(left - true) / true < 0.10, (left, true)


def test_without_a_prior_the_pace_alone_answers():
    clock = eta.RunClock({"a": 1.0}, None, start=0.0)
    assert clock.left(5.0) is None
    clock.report("a", 1, 10, 1.0)
    clock.report("a", 2, 10, 3.0)  # 2 s an epoch, 8 epochs to go
    assert clock.left(3.0) == pytest.approx(16.0)


def test_before_the_first_report_the_prior_counts_down():
    clock = eta.RunClock({}, 30.0, start=100.0)
    assert clock.left(110.0) == pytest.approx(20.0)


def test_stages_weigh_by_their_estimated_cost():
    """Lesson 0 (neural, defaults): its first stage at 80 % of its epochs is a small part of
    the run, not 80 % of it (nine stages by the estimate)."""
    exp = get("neural")
    shares = eta.weights(cost.stage_seconds(exp, exp.config_cls()))
    assert len(shares) >= 7 and sum(shares.values()) == pytest.approx(1.0)
    clock = eta.RunClock(shares, 10.0, start=0.0)
    clock.report("neuron", 80, 100, 1.0)
    assert clock.fraction() < 0.2
    clock.report("network", 1, 100, 2.0)
    assert clock.fraction() == pytest.approx(shares["neuron"] + shares["network"] / 100)
    clock.report("uat_width:64", 100, 100, 3.0)
    assert clock.fraction() == pytest.approx(1.0)


def test_pooled_and_unknown_stages_and_seeds():
    shares = eta.weights({"a": 1.0, "b": 3.0})
    assert eta.unit_fraction(shares, "b:k=2", 5, 10) == pytest.approx(0.25)  # a pool counts from its start
    assert eta.unit_fraction(shares, "zz", 5, 10) is None
    assert eta.unit_fraction({}, "zz", 5, 10) == pytest.approx(0.5)  # no weights: the stage's own epochs
    clock = eta.RunClock(shares, None, start=0.0)
    clock.report("b", 10, 10, 1.0, index=0, units=4)
    clock.report("zz", 1, 1, 2.0, index=0, units=4)  # unknown: the fraction stays
    assert clock.fraction() == pytest.approx(0.25)
    clock.report("a", 1, 1, 3.0, index=1, units=4)  # the second seed's run: a new unit
    assert clock.fraction() == pytest.approx((1 + 0.25) / 4)


def test_the_current_stage_alone_bounds_the_time_left():
    """An optimistic prior gives way to the current stage's own rate (20 epochs in 5 s,
    80 to go: 20 s)."""
    clock = eta.RunClock({"b": 0.01, "a": 0.99}, 1.0, start=100.0)
    clock.report("b", 1, 1, 104.0)
    clock.report("a", 20, 100, 109.0)
    assert clock.stage_left(109.0) == pytest.approx(20.0)
    assert clock.left(109.0) >= 20.0


def test_speed_is_a_bounded_moving_average_per_experiment():
    s = eta.Speed(weight=0.5)
    assert s.ratio("x") == 1.0
    s.learn("x", 20.0, 10.0)  # twice the estimate
    s.learn("x", 10.0, 10.0)
    assert s.ratio("x") == pytest.approx(1.5)
    assert s.ratio("never") == pytest.approx(1.5)  # the server's, for an experiment not seen
    s.learn("y", 30.0, 10.0, load=3.0)  # three times slower on a three-times busy machine: as estimated
    assert s.ratio("y") == pytest.approx(1.0)
    s.learn("z", 1e6, 1.0)
    assert s.ratio("z") == eta.SPEED_HI  # bounded
    s.learn("z", 0.0, 1.0)  # nothing measured: nothing learned
    assert s.ratio("z") == eta.SPEED_HI


def test_load_factor_and_queue():
    assert eta.load_factor(0.0, 2) == 1.0  # a quiet machine: a core free
    assert eta.load_factor(5.0, 2) == pytest.approx(3.0)  # six runnable threads on two cores
    assert eta.load_factor(500.0, 2) == eta.LOAD_HI
    assert eta.queue_wait(10.0, waiting=0, running=1, slots=2) == 0.0  # a slot is free
    assert eta.queue_wait(10.0, waiting=0, running=2, slots=2) == 10.0
    assert eta.queue_wait(10.0, waiting=3, running=2, slots=2) == 20.0  # the running two, then two waiting: two rounds


def test_the_start_figure_scales_with_speed_load_and_queue():
    s = eta.Speed()
    s.learn("toy", 20.0, 10.0)
    work = page_eta.work_seconds(10.0, "toy", s)
    assert work == pytest.approx(20.0)
    assert page_eta.expected_seconds(work, load=1.5) == pytest.approx(30.0)
    assert page_eta.expected_seconds(work, load=1.0, waiting=1, running=1, slots=1) == pytest.approx(60.0)


def test_shown_only_for_runs_expected_over_ten_seconds():
    assert not page_eta.worth_showing(2.0, 5.0)
    assert page_eta.worth_showing(2.0, 9.0)
    assert not page_eta.worth_showing(30.0, None)


@pytest.mark.parametrize(
    "seconds, said",
    [(0.2, ("s", 1)), (3.2, ("s", 4)), (19.5, ("s", 20)), (47.0, ("s", 50)), (89.0, ("s", 90)), (200, ("min", 4))],
)
def test_durations_are_said_in_steady_steps(seconds, said):
    assert page_eta.rounded(seconds) == said


class _Time:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_jobs_clock_uses_its_shares_prior_speed_and_load(monkeypatch):
    fake = _Time(50.0)
    monkeypatch.setattr(jobs.time, "monotonic", fake)
    monkeypatch.setattr(eta, "SPEED", eta.Speed())
    eta.SPEED.learn("toy", 20.0, 10.0)  # this server ran toy twice as slow as estimated
    job = jobs.Job("toy", 1, lambda c, cb: None, estimate_s=8.0, shares={"linear_ae": 0.25, "deep_ae": 0.75}, load=1.5)
    job.running_since = 50.0
    fake.now = 52.0
    job._on_progress(CheckProgress("linear_ae", 10, 10, 0.1, index=0, seeds=3, seed=7))
    c = job.clock()
    assert c.prior_s == pytest.approx(8.0 * 3 * 2.0 * 1.5) and c.units == 3
    assert c.fraction() == pytest.approx(0.25 / 3)
    fake.now = 60.0
    job._on_progress(CheckProgress("deep_ae", 1, 4, 0.1, index=0, seeds=3, seed=7))
    assert job.clock().stage_start == 52.0  # deep_ae began when linear_ae last reported
    job._learn_speed()
    assert eta.SPEED.ratio("toy") != pytest.approx(2.0)  # a finished run teaches the server


def test_a_training_jobs_clock_is_one_unit(monkeypatch):
    fake = _Time(10.0)
    monkeypatch.setattr(jobs.time, "monotonic", fake)
    job = jobs.Job("toy", 1, lambda c, cb: None)
    job.running_since = 10.0
    fake.now = 14.0  # 4 s of set-up before the first epoch's report: not the pace
    job._on_progress(Progress("deep_ae", 1, 40, 0.5))
    fake.now = 17.0
    job._on_progress(Progress("deep_ae", 4, 40, 0.5))
    c = job.clock()
    assert (c.units, c.index, c.prior_s) == (1, 0, None)
    assert c.left(17.0) == pytest.approx(36.0)  # 1 s per epoch, 36 to go
