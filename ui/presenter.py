"""Presenter mode for a projector: larger type, prose folded away, controls tucked in.

Turned on from the sidebar or with ``?present=1`` (which also starts with the sidebar
collapsed). The CSS is a fixed string of ours; no user text is ever injected as HTML.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

_CSS = """
<style>
.stMainBlockContainer { max-width: 1500px; }
.stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.3rem; line-height: 1.55; }
.stMainBlockContainer h1 { font-size: 3.1rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stCaptionContainer"] { font-size: 1.1rem; }
</style>
"""


def link_asks() -> bool:
    return st.query_params.get("present") == "1"


def active() -> bool:
    return bool(st.session_state.get("present", False))


def init_from_link() -> None:
    if "present" not in st.session_state:
        st.session_state["present"] = link_asks()


def toggle() -> None:
    """The sidebar switch; keeps ?present=1 in the URL while on."""
    st.toggle(t("present.toggle"), key="present", help=t("present.help"))
    if active():
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def apply_style() -> None:
    if active():
        st.html(_CSS)


def prose(markdown: str) -> None:
    """Lesson prose: shown in full, or folded under 'Read the explanation' when presenting."""
    if active():
        with st.expander(t("present.read_more"), icon=":material/menu_book:"):
            st.markdown(markdown)
    else:
        st.markdown(markdown)
