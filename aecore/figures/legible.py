"""Charts a reader can read on any screen and in any language: subplot titles wrapped to a
phone's panel width (``fit_panel_titles``), tick labels without SI prefixes and log axes
labelled only at their decades (``readable_axes``), numbers with the language's decimal mark
(``SEPARATORS`` for what plotly formats, ``decimal_comma`` for what a builder wrote as text).
"""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

PHONE_PLOT_PX = 290  # a chart's plot width on a phone (390 px less the page's padding and the axes' margins)
CHAR_PX = 8.5  # the mean width of a character of a 16 px panel title
PANEL_MIN_CHARS = 10  # a panel title is never wrapped narrower than this
_TAG = re.compile(r"<[^>]+>")


def wrap(text: str, width: int, hyphens: bool = False) -> str:
    """Break a long title or category label into lines of at most ``width`` shown characters
    (plotly wraps neither); markup such as ``p<sub>σ</sub>`` counts by what it shows and is
    never split. ``hyphens``: also break after a hyphen ("salt-and-|pepper")."""
    if "<" not in text:
        lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=hyphens)
        return "<br>".join(lines) or text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(_TAG.sub("", f"{line} {word}")) > width:
            lines, line = [*lines, line], word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])


def legend_below(fig: go.Figure, y: float = -0.18) -> go.Figure:
    """The legend in rows under the plot (``y`` in plot heights below its bottom edge, past
    the tick labels and axis title). ``yref="paper"``: base_layout's ``"container"`` reference,
    merged in otherwise, would put it outside the figure (``finish`` moves it to the bottom)."""
    return fig.update_layout(legend=dict(orientation="h", yanchor="top", y=y, x=0, yref="paper"))


def panel_titles(fig: go.Figure) -> list:
    """The subplot titles ``make_subplots`` writes: annotations above the plot, in paper units."""
    return [
        a
        for a in fig.layout.annotations or ()
        if a.yref == "paper" and a.xref == "paper" and (a.y or 0) >= 0.99 and a.showarrow is False
    ]


def fit_panel_titles(fig: go.Figure) -> int:
    """Wrap each subplot title to the width of its panel on a phone (``PHONE_PLOT_PX`` shared by
    the panels of its row), so that two neighbours never overprint; returns the most lines."""
    titles = panel_titles(fig)
    most = 0
    for a in titles:
        row = sum(1 for b in titles if abs((b.y or 0) - (a.y or 0)) < 0.01)
        text = str(a.text or "")
        if "<br>" not in text:
            a.text = wrap(text, max(PANEL_MIN_CHARS, int(PHONE_PLOT_PX / row / CHAR_PX)), hyphens=True)
        most = max(most, str(a.text).count("<br>") + 1)
    return most


SEPARATORS = {"en": ".\u202f", "pt": ",\u202f", "es": ",\u202f"}  # plotly: decimal mark, digit group


def readable_axes(fig: go.Figure) -> go.Figure:
    """Tick labels a reader can read: powers of ten as 10⁻⁴ (``exponentformat="power"``), never
    SI prefixes ("100μ", "10n" are no units here); on a log axis with ticks between decades
    (plotly's "D1"/"D2", which label 2 and 5 with bare digits: "5 2 1 5 2 0.1") only the decades
    are labelled (plotly picks them only over at least one decade, so one is always in view)."""
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        if axis.exponentformat in (None, "B", "SI"):
            axis.exponentformat = "power"
        if axis.type == "log" and (axis.dtick is None or str(axis.dtick).startswith("D")):
            axis.minorloglabels = "none"
    bars = [trace.colorbar for trace in fig.data if "colorbar" in trace and trace.showscale is not False]
    markers = [trace.marker for trace in fig.data if "marker" in trace]
    bars += [m.colorbar for m in markers if "colorbar" in m and m.showscale]
    bars += [c.colorbar for c in fig.select_coloraxes()]
    for bar in filter(None, bars):
        if bar.exponentformat in (None, "B", "SI"):
            bar.exponentformat = "power"
    return fig


_EN_NUMBER = re.compile(r"[-−+]?\d[\d\u202f]*\.\d+(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?")


def _comma(text: object) -> object:
    """A text that is one number written with a decimal point, with a comma instead."""
    return text.replace(".", ",") if isinstance(text, str) and _EN_NUMBER.fullmatch(text) else text


def decimal_comma(fig: go.Figure) -> go.Figure:
    """Numbers a builder wrote as text (tick labels, values on bars, labels) with a decimal
    comma; what plotly formats itself follows ``layout.separators``."""
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        if axis.ticktext:
            axis.ticktext = [_comma(v) for v in axis.ticktext]
    for trace in fig.data:
        text = getattr(trace, "text", None) if "text" in trace else None
        if isinstance(text, tuple) and any(isinstance(v, str) for v in text):
            trace.text = [_comma(v) for v in text]
        elif isinstance(text, str):
            trace.text = _comma(text)
    for note in fig.layout.annotations or ():
        note.text = _comma(note.text)
    return fig
