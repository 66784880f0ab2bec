"""The training panel's state machine (ui.runtime.panel_state.plan), without Streamlit: every
state from the cache lookup, the session's job and what the session asked."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from ui.runtime.panel_state import JobFacts, Plan, State, plan

RUNNING = JobFacts(same_settings=True)
QUEUED = JobFacts(same_settings=True, queued=True)
TRAINED = JobFacts(same_settings=True, done=True)
STOPPED = JobFacts(same_settings=True, done=True, stopped=True)
FAILED = JobFacts(same_settings=True, done=True, failed=True, stopped=True)
REPLAYING = JobFacts(same_settings=True, replay=True)
REPLAYED = JobFacts(same_settings=True, done=True, replay=True)
OTHER_RUNNING = JobFacts(same_settings=False)
OTHER_DONE = JobFacts(same_settings=False, done=True)
SUPERSEDED = JobFacts(same_settings=True, superseded=True, done=True, stopped=True)


@pytest.mark.parametrize(
    "cached,job,pressed,auto,expected",
    [
        # first view: a preset opens at once, nothing trains
        ("preset", None, False, True, Plan(State.PRESET)),
        # Train with the settings of the preset trains them live (the preset must not answer)
        ("preset", None, True, True, Plan(State.TRAINING, start="live")),
        # a result trained before (shared): said so; Train/Retrain trains live anyway
        ("shared", None, False, True, Plan(State.CACHED)),
        ("shared", None, True, False, Plan(State.TRAINING, start="live")),
        # nothing cached: Train trains (and may take a result another session finishes meanwhile)
        (None, None, True, False, Plan(State.TRAINING, start="shared")),
        # nothing cached, nothing asked: the default view trains by itself, another part waits
        (None, None, False, True, Plan(State.TRAINING, start="shared")),
        (None, None, False, False, Plan(State.IDLE)),
        # this session's job for these settings wins over any cached result
        ("preset", RUNNING, False, True, Plan(State.TRAINING)),
        (None, QUEUED, False, True, Plan(State.QUEUED)),
        ("shared", TRAINED, False, True, Plan(State.TRAINED)),
        (None, STOPPED, False, True, Plan(State.STOPPED)),
        (None, FAILED, False, True, Plan(State.FAILED)),
        ("shared", REPLAYING, False, False, Plan(State.TRAINING)),
        ("shared", REPLAYED, False, False, Plan(State.REPLAYED)),
        # Train again after a run, a stop, a failure or a replay: a new live run
        ("shared", TRAINED, True, True, Plan(State.TRAINING, start="live")),
        (None, STOPPED, True, True, Plan(State.TRAINING, start="shared")),
        ("shared", REPLAYED, True, True, Plan(State.TRAINING, start="live")),
        # settings changed without Train (sidebar, link): the old run is cancelled
        ("preset", OTHER_RUNNING, False, True, Plan(State.PRESET, cancel_stale=True)),
        (None, OTHER_RUNNING, False, True, Plan(State.TRAINING, start="shared", cancel_stale=True)),
        (None, OTHER_RUNNING, False, False, Plan(State.IDLE, cancel_stale=True)),
        (None, OTHER_DONE, False, False, Plan(State.IDLE)),
        # a job cut short because the session trained elsewhere restarts when its page is revisited
        (None, SUPERSEDED, False, True, Plan(State.TRAINING, start="shared")),
        ("preset", SUPERSEDED, False, True, Plan(State.PRESET)),
    ],
)
def test_plan(cached, job, pressed, auto, expected):
    assert plan(cached, job, pressed, auto) == expected


@pytest.mark.parametrize(
    "cached,job,pressed,auto,expected",
    [
        # the lecturer's own data, nothing prepared: nothing starts, Train is offered
        (None, None, False, True, Plan(State.UNTRAINED)),
        # ... nor does arriving end the job of the page before (no start, so no supersede)
        (None, OTHER_DONE, False, True, Plan(State.UNTRAINED)),
        # a page part that does not train by itself stays idle as before
        (None, None, False, False, Plan(State.IDLE)),
        # a run cut short when the session trained elsewhere does not restart by itself here
        (None, SUPERSEDED, False, True, Plan(State.UNTRAINED)),
        # settings changed on the page: the old run is still cancelled
        (None, OTHER_RUNNING, False, True, Plan(State.UNTRAINED, cancel_stale=True)),
        # prepared (a class pack, the preparation queue, a preset on MNIST files): at once
        ("preset", None, False, True, Plan(State.PRESET)),
        ("shared", None, False, True, Plan(State.CACHED)),
        # a click trains, and the session's own job is shown as everywhere
        (None, None, True, True, Plan(State.TRAINING, start="shared")),
        ("shared", None, True, True, Plan(State.TRAINING, start="live")),
        (None, RUNNING, False, True, Plan(State.TRAINING)),
        (None, TRAINED, False, True, Plan(State.TRAINED)),
        (None, STOPPED, False, True, Plan(State.STOPPED)),
    ],
)
def test_plan_on_own_data(cached, job, pressed, auto, expected):
    assert plan(cached, job, pressed, auto, self_start=False) == expected


def test_every_state_is_reachable():
    seen = {
        plan(c, j, p, a, s).state
        for c in (None, "preset", "shared")
        for j in (None, RUNNING, QUEUED, TRAINED, STOPPED, FAILED, REPLAYING, REPLAYED, OTHER_RUNNING, SUPERSEDED)
        for p in (False, True)
        for a in (False, True)
        for s in (False, True)
    }
    assert seen == set(State)


def test_a_press_always_starts_a_job():
    for c in (None, "preset", "shared"):
        for j in (None, RUNNING, TRAINED, STOPPED, FAILED, REPLAYED, OTHER_RUNNING, SUPERSEDED):
            p = plan(c, j, True, False)
            assert p.start == ("live" if c else "shared") and p.state is State.TRAINING


def test_the_state_module_needs_no_streamlit():
    code = "import sys, ui.runtime.panel_state; sys.exit('streamlit' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr or "importing ui.runtime.panel_state loaded streamlit"
