"""The page on the screen at hand: a projector (presenter mode) or a phone.

Presenter mode is turned on from the sidebar or with ``?present=1`` (which also starts with
the sidebar collapsed). It reads from the back row: prose and the values in fields ≥ 22 px
(a slider's value above its handle), metric values 44 px, chart ticks, legends and titles
≥ 18 px (``figure`` scales a copy of each figure where it is drawn, leaving the pure builders
alone); explanations are folded, and what only the lecturer needs is left out (the preset's
note, the Export & share panel, the settings' tooltips, the ← / → key hint Streamlit prints
after the pager's arrow icon, which read as a second arrow: it is kept for screen readers).
A page is shown as a deck of screens that fit 1280×720 (ui.kit.deck): the chart toolbar is
hidden, charts are at most ``MAX_HEIGHT`` tall, tables are enlarged like the text, and the
labels of metrics, of the pager and of the sidebar's lessons wrap instead of being cut.

On every screen: equations too wide for it scroll sideways instead of being clipped, and on
a narrow one (a phone) the chart toolbar, which would cover the chart's title, is hidden
(pinch and drag still zoom and pan) and tables wrap their cells to the screen's width. The CSS
is a fixed string of ours; no user text is ever injected as HTML.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ui.kit import deck
from ui.kit.i18n import t

TICK_PX, LEGEND_PX, AXIS_TITLE_PX, TITLE_PX = 18, 18, 20, 22  # chart text when presenting
HEIGHT_SCALE = 1.25  # presenting: taller charts, so the larger text leaves room for the data
MAX_HEIGHT = 430  # ... but none taller than a 720-pixel screen holds beside a title and the pager
SIDE_HEIGHT = 280  # ... and one in a column lower still: two rows of them share a screen

_SCREEN_CSS = """
<style>
.stMainBlockContainer .katex-display { overflow-x: auto; overflow-y: hidden; padding-bottom: 0.25rem; }
@media (max-width: 640px) {
  .stMainBlockContainer .js-plotly-plot .modebar-container { display: none; }
  .stMainBlockContainer [data-testid="stTable"] table { width: 100%; table-layout: auto; font-size: 0.8rem; }
  .stMainBlockContainer [data-testid="stTable"] th,
  .stMainBlockContainer [data-testid="stTable"] td { white-space: normal; overflow-wrap: anywhere; padding: 0.25rem; }
}
</style>
"""

_PRESENT_CSS = """
<style>
.stMainBlockContainer { max-width: 1500px; }
.stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.45rem; line-height: 1.5; }
.stMainBlockContainer [data-testid="stMetricValue"],
.stMainBlockContainer [data-testid="stMetricValue"] * { font-size: 2.5rem; line-height: 1.15; }
.stMainBlockContainer [data-testid="stMetricLabel"] p { font-size: 1.45rem; }
.stMainBlockContainer [data-testid="stCaptionContainer"],
.stMainBlockContainer [data-testid="stCaptionContainer"] p { font-size: 1.375rem; }
.stMainBlockContainer input, .stMainBlockContainer textarea,
.stMainBlockContainer [data-baseweb="select"] > div { font-size: 1.45rem; }
.stMainBlockContainer [data-testid="stSliderThumbValue"] { top: auto; bottom: 100%; }
.stMainBlockContainer [data-testid="stSliderThumbValue"] p { line-height: 1.2; }
.stMainBlockContainer [data-testid="stSlider"] [role="group"] { padding-top: 0.75rem; }
.stMainBlockContainer { padding-top: 0.75rem; padding-bottom: 1rem; }
header[data-testid="stHeader"] { background: transparent; }
header[data-testid="stHeader"], header[data-testid="stHeader"] * { pointer-events: none; }
header[data-testid="stHeader"] :is(button, a), header[data-testid="stHeader"] :is(button, a) * { pointer-events: auto; }
.stMainBlockContainer h1 { font-size: 2.2rem; padding: 0.125rem 0; }
.stMainBlockContainer [data-testid="stVerticalBlock"] { gap: 0.75rem; }
.stMainBlockContainer [data-testid="stMetricLabel"] *,
.st-key-deck-bar button p, [data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"],
[data-testid="stSidebarNavLink"] p {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere;
}
[data-testid="stSidebarNavLink"] { height: auto; min-height: 2rem; max-width: 100%; }
[data-testid="stSidebarNavLink"] > span:last-child { min-width: 0; }
.st-key-deck-counter p { white-space: nowrap; }
.st-key-deck-bar button p { text-align: left; line-height: 1.25; }
.stMainBlockContainer [data-testid="stDataFrame"], .stMainBlockContainer [data-testid="stTable"] {
  zoom: 1.3; max-width: calc(100% / 1.3);
}
.st-key-pager-top-previous kbd, .st-key-pager-top-next kbd {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
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
    st.toggle(
        t("present.toggle"), value=active(), key="present", help=t("present.help")
    )  # default: ui.shell.sidebar._KEEP
    if active():
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def apply_style() -> None:
    st.html(_SCREEN_CSS + (_PRESENT_CSS if active() else ""))


def prose(markdown: str) -> None:
    """Lesson prose: shown in full, or folded under 'Read the explanation' when presenting."""
    if active():
        with deck.part("note"), st.expander(t("present.read_more"), icon=":material/menu_book:"):
            st.markdown(markdown)
    else:
        st.markdown(markdown)


def _at_least(font: Any, px: int) -> dict:
    size = getattr(font, "size", None)
    return {"size": max(px, size or 0)}


def scaled(fig: go.Figure, side: bool = False) -> go.Figure:
    """A copy of ``fig`` with every text at least the presenting sizes (ticks, legend,
    axis and colour-bar titles, the title, annotations such as subplot titles) and taller,
    up to ``MAX_HEIGHT`` (``SIDE_HEIGHT`` for one in a column: ``side``)."""
    big = go.Figure(fig)
    layout = big.layout
    cap = SIDE_HEIGHT if side else MAX_HEIGHT
    big.update_layout(
        font=_at_least(layout.font, TICK_PX),
        title_font=_at_least(layout.title.font, TITLE_PX),
        height=min(int((layout.height or 360) * HEIGHT_SCALE), cap),
    )
    for legend in big.select_legends():  # legend, and legend2… of a figure with one per panel
        legend.update(font=_at_least(legend.font, LEGEND_PX))
    for axis in [*big.select_xaxes(), *big.select_yaxes()]:
        axis.update(tickfont=_at_least(axis.tickfont, TICK_PX), automargin=True)
        axis.title.update(font=_at_least(axis.title.font, AXIS_TITLE_PX))
    for note in layout.annotations or ():
        note.update(font=_at_least(note.font, TICK_PX))
    bars = [getattr(trace, "colorbar", None) for trace in big.data] + [c.colorbar for c in big.select_coloraxes()]
    for bar in filter(None, bars):
        bar.update(tickfont=_at_least(bar.tickfont, TICK_PX))
        bar.title.update(font=_at_least(bar.title.font, AXIS_TITLE_PX))
    return big


def figure(fig: Any, side: bool = False) -> Any:
    """``fig`` as drawn on this screen: ``scaled`` when presenting, else unchanged."""
    return scaled(fig, side) if active() and isinstance(fig, go.Figure) else fig
