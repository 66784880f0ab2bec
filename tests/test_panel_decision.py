"""The training panel decides once per page run: one cost estimate of the config on screen,
handed to the job's time left and to the guard's cap (ui.runtime.panel.decide)."""

from __future__ import annotations

import pytest

from aecore import cost, eta
from aecore.experiments import get
from aecore.experiments.intro import IntroConfig
from tests.apptest_utils import no_errors, open_page, submit_form, wait_until_trained
from ui.runtime import guard

pytestmark = pytest.mark.usefixtures("clean_app_state")
PAGE = "lessons/01_intro.py"


@pytest.fixture
def counted(monkeypatch):
    """Every call of aecore.cost.estimate, with its config."""
    calls, real = [], cost.estimate

    def estimate(experiment, cfg):
        calls.append(cfg)
        return real(experiment, cfg)

    monkeypatch.setattr(cost, "estimate", estimate)
    return calls


def test_a_page_run_that_starts_training_estimates_once(counted):
    at = open_page(PAGE)
    counted.clear()
    submit_form(at, "intro", epochs=30)  # one page run: plan, ask?, cap, job's prior
    job = at.session_state["intro.job"]
    assert job.config == IntroConfig(epochs=30)
    assert counted.count(IntroConfig(epochs=30)) == 1, counted
    assert job.estimate_s == pytest.approx(cost.estimate(get("intro"), job.config).seconds)  # handed on
    assert sum(job.shares.values()) == pytest.approx(1.0)
    wait_until_trained(at)
    no_errors(at)


def test_a_page_run_showing_a_result_estimates_nothing(counted):
    at = open_page(PAGE)
    submit_form(at, "intro", epochs=30)
    wait_until_trained(at)
    counted.clear()
    at.run()  # the trained result is shown: nothing to start, nothing to estimate
    no_errors(at)
    assert IntroConfig(epochs=30) not in counted


def test_a_long_run_asks_and_a_too_long_one_is_refused(monkeypatch):
    monkeypatch.setattr(cost, "LINK_CAP_S", 10.0)
    monkeypatch.setattr(cost, "SERVER_CAP_S", 100.0)
    assert not guard.needs_click(5.0) and guard.needs_click(50.0)
    assert not guard.needs_click(500.0)  # above the server's cap: refused with the reason, not asked
    assert not guard.needs_click(None)


def test_the_cap_compares_the_work_at_this_servers_learned_speed(monkeypatch):
    """A run that fits the cap on the reference machine is refused on a server that has
    shown itself three times slower, with the scaled time in the reason."""
    exp = get("intro")
    est = cost.estimate(exp, IntroConfig())
    monkeypatch.setattr(eta, "SPEED", eta.Speed())
    cap = 2 * est.seconds
    assert guard.too_long("intro", "intro", est, cap=cap) is None
    eta.SPEED.learn("intro", 3 * est.seconds, est.seconds)
    refused = guard.too_long("intro", "intro", est, cap=cap)
    assert isinstance(refused, guard.Refused)
    assert guard.too_long("intro", "intro", None, cap=cap) is None  # no estimate: only the rate applies
