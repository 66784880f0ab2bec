"""The "Derivation" section of a lesson: a result derived step by step, each step one
line of maths and one sentence, and at least one step checked on the current run.

Collapsed by default. In presenter mode the steps open one click at a time (a fragment,
so a click reruns only this section, never the lesson's training). Steps are plain data
built by the page from the catalog (text) and the run (the numbers), so the same
derivation reads the same in every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from ui.kit import deck, presenter
from ui.kit.i18n import t


@dataclass(frozen=True)
class Step:
    latex: str  # one line of maths (st.latex)
    text: str  # one sentence: why this line follows from the previous one (translated)
    check: str | None = None  # a number measured on the current run, shown beside the step


def _draw(step: Step, number: int) -> None:
    st.markdown(f"**{number}.** {step.text}")
    if step.check is None:
        st.latex(step.latex)
        return
    maths, measured = st.columns([3, 2], vertical_alignment="center")
    maths.latex(step.latex)
    measured.success(step.check, icon=":material/calculate:")


@st.fragment
def _stepper(key: str, steps: Sequence[Step]) -> None:
    shown_key = f"{key}.derivation.shown"
    shown = min(st.session_state.get(shown_key, 1), len(steps))
    for i, step in enumerate(steps[:shown], 1):
        _draw(step, i)
    left, right = st.columns(2)
    if shown < len(steps) and left.button(
        t("derivation.next", step=shown + 1, of=len(steps)),
        key=f"{key}.derivation.next",
        icon=":material/arrow_downward:",
    ):
        st.session_state[shown_key] = shown + 1
        st.rerun(scope="fragment")
    if shown > 1 and right.button(
        t("derivation.restart"), key=f"{key}.derivation.restart", icon=":material/restart_alt:"
    ):
        st.session_state[shown_key] = 1
        st.rerun(scope="fragment")


def derivation(key: str, title: str, steps: Sequence[Step]) -> None:
    """A collapsed "Derivation: <title>" section; step by step when presenting."""
    with deck.part("derivation"), st.expander(t("derivation.heading", title=title), icon=":material/function:"):
        if presenter.active():
            _stepper(key, steps)
            return
        for i, step in enumerate(steps, 1):
            _draw(step, i)
