"""Predict, then run: a lesson's exercises under its result.

Each exercise asks for a prediction before a run. "Lock in and run" stores the answer, the
run on screen (the "before") and its settings in this session, puts the exercise's setting
change into the lesson's settings form (``<key>.cfg`` and the widgets ``<key>.w.<field>``)
and presses Train through the normal panel (queue, progress, Stop and the caps apply); when a
result of the target settings is already at hand (a lecture preset, a run trained before) it
is shown at once instead. When the panel shows the target's finished result, the page grades
the answer from that run's metrics (``aecore.exercises.grade``): ✅/❌, the prediction beside
the measured numbers and the explanation of the measured outcome. "Back to the view before"
restores the settings. Nothing of the answer is shown before the run.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from aecore import exercises
from aecore.exercises.targets import typed_overrides
from ui.kit import deck, presenter
from ui.kit.i18n import t
from ui.kit.page import num
from ui.kit.requests import ask_to_train
from ui.learn.progress import record
from ui.runtime import results


def _text(ex: exercises.Exercise, part: str, **numbers: Any) -> str:
    return t(f"learn.{ex.lesson}.exercise.{ex.id}.{part}", **numbers)


def option_label(ex: exercises.Exercise, option: str) -> str:
    if ex.kind == "direction":
        return t(f"teach.direction.{option}")
    return _text(ex, f"choice.{option}")


def _state_key(ex: exercises.Exercise) -> str:
    return f"learn.{ex.lesson}.{ex.id}"


def _set_form(key: str, cfg: Any, fields: Any) -> None:
    """Show ``cfg`` in the settings form of ``key``: its state and the widgets of ``fields``."""
    st.session_state[f"{key}.cfg"] = cfg
    for name in fields:
        st.session_state[f"{key}.w.{name}"] = getattr(cfg, name)


def _lock_in(ex: exercises.Exercise, key: str, experiment: str, cfg: Any, before: dict) -> None:
    """Button callback: store the prediction and the view before, switch to the target, train."""
    sk = _state_key(ex)
    raw = st.session_state.get(f"{sk}.answer")
    if raw is None:
        return
    target = exercises.target_config(ex, cfg)
    answer = exercises.parse_answer(ex, raw)
    st.session_state[sk] = {"answer": answer, "base": cfg, "before": before, "target": target, "grade": None}
    _set_form(key, target, typed_overrides(type(cfg), ex.overrides))
    if results.get(experiment, target) is None:
        ask_to_train(key)  # else the panel shows the preset / earlier run of the target at once


def _back(ex: exercises.Exercise, key: str, forget: bool) -> None:
    """Button callback: the view before; ``forget``: the exercise can be answered again."""
    entry = st.session_state.get(_state_key(ex))
    if entry is not None:
        _set_form(key, entry["base"], typed_overrides(type(entry["base"]), ex.overrides))
    if forget:
        st.session_state.pop(_state_key(ex), None)
        st.session_state.pop(f"{_state_key(ex)}.answer", None)


def _ask(ex: exercises.Exercise, key: str, experiment: str, cfg: Any, result: Any) -> None:
    sk = _state_key(ex)
    if ex.kind == "number":
        st.number_input(t("teach.your_number"), value=None, format="%g", key=f"{sk}.answer")
    else:
        st.radio(
            t("teach.your_answer"),
            ex.options,
            index=None,
            format_func=lambda o: option_label(ex, o),
            key=f"{sk}.answer",
            horizontal=ex.kind == "direction",
        )
    target = exercises.target_config(ex, cfg)
    ready = result is not None and not result.stopped
    if target == cfg:
        st.caption(t("teach.already_applied"))
    elif not ready:
        st.caption(t("teach.need_result"))
    before = dict(result.metrics) if ready else {}
    st.button(
        t("teach.lock_in"),
        key=f"{sk}.lock",
        icon=":material/lock:",
        type="primary",
        on_click=_lock_in,
        args=(ex, key, experiment, cfg, before),
        disabled=not ready or target == cfg or st.session_state.get(f"{sk}.answer") is None,
    )


def _measured(ex: exercises.Exercise, g: exercises.Grade) -> str:
    if g.outcome is None:
        return t("teach.unmeasurable")
    if ex.kind == "direction":
        before, after = num(g.params["before"]), num(g.params["after"])
        return t("teach.measured_direction", before=before, after=after, outcome=option_label(ex, g.outcome))
    if ex.kind == "choice":
        values = " · ".join(f"{option_label(ex, c)} {num(v)}" for c, v in g.measured.items())
        word = t("teach.highest" if ex.best == "max" else "teach.lowest")
        return t("teach.measured_choice", values=values, best=word, outcome=option_label(ex, g.outcome))
    return t("teach.measured_number", measured=num(g.measured), tolerance=num(g.params["tolerance"], 2))


def _verdict(ex: exercises.Exercise, key: str, entry: dict) -> None:
    g: exercises.Grade = entry["grade"]
    answer = num(g.answer) if ex.kind == "number" else option_label(ex, g.answer)
    mark = ":green[:material/check_circle:]" if g.correct else ":red[:material/cancel:]"
    verdict = t("teach.right" if g.correct else "teach.wrong")
    st.markdown(f"{mark} **{verdict}** {t('teach.you_said', answer=answer)} {_measured(ex, g)}")
    if g.outcome is not None:
        st.markdown(_text(ex, f"why.{g.outcome}", **{k: num(v) for k, v in g.params.items()}))
    left, right = st.columns(2)
    left.button(
        t("teach.back"), key=f"{_state_key(ex)}.back", icon=":material/undo:", on_click=_back, args=(ex, key, False)
    )
    right.button(
        t("teach.again"), key=f"{_state_key(ex)}.again", icon=":material/replay:", on_click=_back, args=(ex, key, True)
    )


def _pending(ex: exercises.Exercise, key: str, entry: dict, cfg: Any, result: Any) -> None:
    """A locked-in answer: grade it once the target's finished run is on screen."""
    if cfg == entry["target"] and result is not None and not result.stopped:
        g = exercises.grade(ex, entry["answer"], result.metrics, entry["before"], cfg, entry["base"])
        entry["grade"] = g
        record(ex.lesson, ex.id, g.correct)
        _verdict(ex, key, entry)
        return
    answer = num(entry["answer"]) if ex.kind == "number" else option_label(ex, entry["answer"])
    note = t("teach.stopped") if cfg == entry["target"] and result is not None else t("teach.waiting")
    st.caption(t("teach.locked", answer=answer) + " " + note)
    st.button(
        t("teach.cancel"), key=f"{_state_key(ex)}.cancel", icon=":material/close:", on_click=_back, args=(ex, key, True)
    )


def exercise(ex: exercises.Exercise, number: int, key: str, experiment: str, cfg: Any, result: Any) -> None:
    with st.container(border=True, key=f"{_state_key(ex)}.box"):
        st.markdown(f"**{t('teach.exercise_n', n=number)}** {_text(ex, 'question')}")
        entry = st.session_state.get(_state_key(ex))
        if entry is None:
            _ask(ex, key, experiment, cfg, result)
        elif entry["grade"] is not None:
            _verdict(ex, key, entry)
        else:
            _pending(ex, key, entry, cfg, result)


@deck.tagged("note")
def exercises_section(lesson: str, key: str, cfg: Any, result: Any, experiment: str | None = None) -> None:
    """The "Predict, then run" section of ``lesson``'s exercises on ``experiment`` (default:
    the lesson's); folded when presenting (the class answers aloud)."""
    if lesson not in exercises.lessons():
        return
    learn = exercises.load(lesson)
    name = experiment or learn.experiment
    mine = [ex for ex in learn.exercises if ex.experiment == name]
    if not mine:
        return
    holder = st.expander(t("teach.heading"), icon=":material/psychology:") if presenter.active() else st.container()
    with holder:
        if not presenter.active():
            st.subheader(t("teach.heading"), anchor=False)
        st.caption(t("teach.lead"))
        for i, ex in enumerate(mine, start=1):
            exercise(ex, i, key, name, cfg, result)
