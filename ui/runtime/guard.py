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
"""

from __future__ import annotations

import os
import time
from typing import Any

import streamlit as st

from aecore import check, cost
from aecore.experiments import get as get_experiment
from ui.kit.i18n import error_text, t, translate

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


def _too_long(lesson: str, experiment: str, config: Any, cap: float, seeds: int = 1) -> Refused | None:
    try:
        if seeds > 1:  # a claims check: its seeds' runs together (aecore.check)
            check.check_cost(get_experiment(experiment), config, seeds, cap)
        else:
            cost.check(get_experiment(experiment), config, cap)
    except cost.RunTooLong as exc:
        exc.params.update(knob=_knob(lesson, exc.params.get("knob")), batch=_knob(lesson, exc.params.get("batch")))
        return Refused(t("runcost.refused", message=error_text(exc)))
    return None


def _rate(now: float) -> Refused | None:
    starts = [s for s in st.session_state.get(_STARTS, []) if now - s < WINDOW_S]
    st.session_state[_STARTS] = starts
    if len(starts) >= MAX_STARTS:
        wait = int(WINDOW_S - (now - starts[0])) + 1
        return Refused(t("runcost.rate", count=len(starts), minutes=int(WINDOW_S // 60), wait=wait))
    return None


def refusal(lesson: str, experiment: str, config: Any, *, replay: bool = False, seeds: int = 1) -> Refused | None:
    """Why this session may not start ``config`` now (None: it may; the start is counted).
    ``seeds`` > 1: a check of ``config`` on that many seeds."""
    now = time.monotonic()
    refused = _rate(now) or (None if replay else _too_long(lesson, experiment, config, cost.SERVER_CAP_S, seeds))
    if refused is None:
        st.session_state[_STARTS].append(now)
    return refused


def may_autostart(lesson: str, experiment: str, config: Any) -> bool:
    """True when ``config`` may start without a click; otherwise show the estimate and a
    button (a click starts it: True on that run)."""
    try:
        seconds = cost.estimate(get_experiment(experiment), config).seconds
    except Exception:  # no estimate: let start() decide (it applies the server cap)
        return True
    if seconds <= cost.LINK_CAP_S or seconds > cost.SERVER_CAP_S:  # above: start() refuses it with the reason
        return True
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.info(t("runcost.ask", time=cost.human(seconds)), icon=":material/hourglass_top:")
    return right.button(t("runcost.start"), key=f"{lesson}.start_long", icon=":material/play_arrow:")
