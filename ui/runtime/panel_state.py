"""The training panel's state, as one pure function (no Streamlit): tested on its own.

``plan(cached, job, pressed, auto, self_start)`` maps what the result cache holds for the
settings on screen, this session's job, whether Train/Retrain was just pressed, whether this
is the page's default view and whether the page may start a run by itself to one ``State`` (what
``ui.runtime.panel.training_panel`` draws) and the action to take first (start a job, cancel a
stale one). The rules, in order:

1. Train or Retrain always trains what the form shows; a cached result of these settings
   must not answer the press, so the job then trains live (``start="live"``).
2. Otherwise this session's own job for these settings is shown: queued, training,
   failed, replaying loaded weights, stopped (the partial model) or trained.
3. Otherwise a cached result is shown at once, saying where it comes from (a lecture preset
   or a result trained before on this server), with Retrain.
4. Otherwise the page's default view starts training by itself when ``auto`` and
   ``self_start``. On the lecturer's own data (an upload, MNIST files) ``self_start`` is
   False: opening a page must neither train for minutes nor end the job of the page before,
   so the view says it is not trained on this data yet and offers Train (``UNTRAINED``).
   Otherwise idle.

A job still running for settings no longer on screen is cancelled (``cancel_stale``).

One page run decides once: ``Decision`` holds the plan with what it was made from and, when
it starts a job, the run's one cost estimate, whether the page asks before starting and why
it would be refused; the panel renders from it and hands the estimate on (to the job's
time left and the guard) instead of estimating the same config again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class State(StrEnum):
    PRESET = "preset"  # a lecture preset of these settings, shown at once
    CACHED = "cached"  # a result trained before for these settings (shared by the server)
    QUEUED = "queued"  # this session's job waits for a free training slot
    TRAINING = "training"  # ... trains (or replays loaded weights) now
    TRAINED = "trained"  # ... finished: shown and shared with other sessions
    STOPPED = "stopped"  # ... was stopped: the partial model, never shared
    FAILED = "failed"  # ... raised: a translated message, the page stays
    REPLAYED = "replayed"  # ... measured weights loaded back from files (never shared)
    UNTRAINED = "untrained"  # the default view on the lecturer's own data: Train is offered, nothing starts
    IDLE = "idle"  # nothing to show and nothing asked


@dataclass(frozen=True)
class JobFacts:
    """What the panel needs to know about the session's job."""

    same_settings: bool  # it runs the config the page shows now
    superseded: bool = False  # cancelled because the session started another job
    done: bool = False
    queued: bool = False
    failed: bool = False
    stopped: bool = False  # Stop pressed (or stopped before it started)
    replay: bool = False  # replays weights loaded from files


@dataclass(frozen=True)
class Plan:
    state: State
    start: str | None = None  # "shared" or "live": start a job first (see ``start``)
    cancel_stale: bool = False  # the session's job trains settings no longer shown


@dataclass(frozen=True)
class Decision:
    """Everything one page run of the training panel acts on, computed once."""

    plan: Plan
    cached: Any = None  # the cached Result for these settings (``results.get``), or None
    estimate: Any = None  # aecore.cost.Estimate of one run; only when plan.start
    work_s: float | None = None  # its seconds × this server's learned speed (what the caps compare)
    ask: bool = False  # a long run without a click: show its time and a Start button first
    too_long: Exception | None = None  # the cost cap's refusal of that estimate, if any


def plan(cached: str | None, job: JobFacts | None, pressed: bool, auto: bool, self_start: bool = True) -> Plan:
    """The panel's state and first action, by the rules of the module docstring.

    Parameters
    ----------
    cached : None, "preset" or "shared": what ``results.get`` holds for these settings.
    job : the session's job for this panel (``JobFacts``), or None.
    pressed : Train/Retrain was just pressed; auto : this is the page's default view, which
        may train by itself; self_start : the page may start a run without a click (False
        on the lecturer's own data).

    Returns
    -------
    Plan: the ``State`` to draw, whether to start a job first (``start``: "live" trains,
    "shared" may reuse a result) and whether to cancel a stale job.

    Example
    -------
    >>> plan("preset", None, pressed=False, auto=True)
    Plan(state=<State.PRESET: 'preset'>, start=None, cancel_stale=False)
    >>> plan("preset", None, pressed=True, auto=True).start
    'live'
    >>> plan(None, None, pressed=False, auto=True, self_start=False).state
    <State.UNTRAINED: 'untrained'>
    """
    stale = job is not None and not job.same_settings and not job.done
    if pressed:  # a cached result must not answer a Train press: train live then
        return Plan(State.TRAINING, start="live" if cached else "shared", cancel_stale=stale)
    mine = job is not None and job.same_settings and not job.superseded
    if mine and not job.done:
        return Plan(State.QUEUED if job.queued else State.TRAINING)
    if mine and job.failed:
        return Plan(State.FAILED)
    if mine and job.replay:
        return Plan(State.REPLAYED)
    if mine:
        return Plan(State.STOPPED if job.stopped else State.TRAINED)
    if cached is not None:
        return Plan(State.PRESET if cached == "preset" else State.CACHED, cancel_stale=stale)
    if auto and self_start:
        return Plan(State.TRAINING, start="shared", cancel_stale=stale)
    if auto:
        return Plan(State.UNTRAINED, cancel_stale=stale)
    return Plan(State.IDLE, cancel_stale=stale)
