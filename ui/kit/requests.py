"""A Train/Retrain press, recorded for the page's training panel to answer.

The settings form (``ui.kit.widgets``) and a page's own buttons only ask; the training
panel (``ui.runtime.panel``) takes the request on its next run and trains. This one
session-state flag is all the kit shares with the runtime, so the kit imports none of it.
"""

from __future__ import annotations

import streamlit as st


def _flag(key: str) -> str:
    return f"{key}.press"


def ask_to_train(key: str) -> None:
    """Record a Train/Retrain press for ``key``; the next ``training_panel(key, ...)`` trains."""
    st.session_state[_flag(key)] = True


def take_press(key: str) -> bool:
    """Whether Train/Retrain was pressed for ``key`` since the panel last looked (and forget it)."""
    return bool(st.session_state.pop(_flag(key), False))
