"""Which runs a session may start: the cost caps and a rate of job starts per session.

* **Cost** (``aecore.cost``): a run estimated above ``SERVER_CAP_S`` is refused, with the
  setting to lower named by its label. A run that would start without a click (a shared
  link, a page's first view, a revisit) and is estimated above the much smaller
  ``LINK_CAP_S`` is not started: the page asks first, with a button (the form's Train and
  Retrain are clicks already). Replaying loaded weights trains nothing and is not capped.
* **Rate**: a session may start at most ``MAX_STARTS`` jobs in any ``WINDOW_S`` seconds.
  One session runs one job at a time already (a new start ends the old one); this bounds
  the churn of starting and abandoning runs (each start loads data and builds models,
  and a script could start hundreds), while a student clicking Train now and then never
  meets it. It is per browser session: opening many tabs or sessions is a matter for the
  reverse proxy's connection limits (docs/DEPLOY.md).

The caps compare the estimate scaled by this server's learned speed (``ui.runtime.eta.
work_seconds``); the time the page states adds the current load and queue
(``ui.runtime.eta.expected_seconds``). A page run estimates a config once
(``ui.runtime.panel.decide``) and hands the estimate to ``too_long`` and ``refusal``.
"""

from __future__ import annotations

import dataclasses
import os
import time
from typing import Any

import streamlit as st

from aecore import check, cost
from aecore.experiments import get as get_experiment
from ui.kit.i18n import error_text, t, translate
from ui.runtime import eta, jobs

MAX_STARTS = int(os.environ.get("AE_SESSION_STARTS", "30"))
WINDOW_S = 600.0
_STARTS = "guard.starts"


class Refused(Exception):
    """A run this session may not start now; ``str(exc)`` is the reason, translated."""


def _knob(lesson: str, field: str | None) -> str:
    """The knob's label as the settings form shows it (its field name without one)."""
    if not field:
        return ""
    from ui.kit.i18n import current_lang

    text = translate(f"{lesson}.knob.{field}", current_lang())
    return field if text == f"{lesson}.knob.{field}" else text


def estimate(experiment: str, config: Any) -> cost.Estimate | None:
    """aecore.cost's estimate of one run of ``config``; None when it cannot be made (the
    run then shows no time left and meets no cost cap but the rate)."""
    try:
        return cost.estimate(get_experiment(experiment), config)
    except Exception:  # an estimate is a nicety: a run without one shows no time left
        return None


def too_long(
    lesson: str, experiment: str, est: cost.Estimate | None, cap: float = cost.SERVER_CAP_S, seeds: int = 1
) -> Refused | None:
    """Why a run (``seeds`` > 1: a claims check of that many runs) of estimate ``est`` may not
    start: its work on this server (``eta.work_seconds``) is above ``cap``; None when it fits
    or has no estimate."""
    if est is None:
        return None
    work = dataclasses.replace(est, seconds=eta.work_seconds(est.seconds, experiment))
    exc = check.over_cap(work, seeds, cap) if seeds > 1 else cost.over_cap(work, cap)
    if exc is None:
        return None
    exc.params.update(knob=_knob(lesson, exc.params.get("knob")), batch=_knob(lesson, exc.params.get("batch")))
    return Refused(t("runcost.refused", message=error_text(exc)))


def _rate(now: float) -> Refused | None:
    starts = [s for s in st.session_state.get(_STARTS, []) if now - s < WINDOW_S]
    st.session_state[_STARTS] = starts
    if len(starts) >= MAX_STARTS:
        wait = int(WINDOW_S - (now - starts[0])) + 1
        return Refused(t("runcost.rate", count=len(starts), minutes=int(WINDOW_S // 60), wait=wait))
    return None


def refusal(lesson: str, too_long_now: Refused | None = None, *, replay: bool = False) -> Refused | None:
    """Why this session may not start a run now (None: it may; the start is counted):
    too many starts, or ``too_long_now`` (``too_long`` of the page run's one estimate)."""
    now = time.monotonic()
    refused = _rate(now) or (None if replay else too_long_now)
    if refused is None:
        st.session_state[_STARTS].append(now)
    return refused


def needs_click(work_s: float | None) -> bool:
    """A run that would start without a click asks first when its work is above
    ``LINK_CAP_S`` (above ``SERVER_CAP_S`` it is refused with the reason instead)."""
    return work_s is not None and cost.LINK_CAP_S < work_s <= cost.SERVER_CAP_S


def ask(lesson: str, work_s: float) -> bool:
    """Show a long run's expected time (load and queue included) and a Start button; True
    on the page run where it is clicked."""
    about = eta.expected_seconds(work_s, waiting=jobs.waiting_jobs(), running=jobs.running_jobs(), slots=jobs.MAX_JOBS)
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.info(t("runcost.ask", time=cost.human(about)), icon=":material/hourglass_top:")
    return right.button(t("runcost.start"), key=f"{lesson}.start_long", icon=":material/play_arrow:")
