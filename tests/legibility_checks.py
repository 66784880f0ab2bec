"""What makes a chart unreadable though nothing is broken, checked on its JSON:

* a log axis whose minor ticks plotly labels with bare digits ("5 2 1 5 2 0.1": its "D1"/"D2"
  ticks) unless only the decades are labelled (``minorloglabels="none"``) or whole numbers
  (``"complete"``), or the ticks are chosen (``tickvals``, a numeric ``dtick``);
* tick labels with SI prefixes ("100μ", "10n": plotly's default ``exponentformat="B"``) on an
  axis or colour bar that shows numbers;
* overprinting: the label of a horizontal line on an axis whose bars cross that line (the label
  lands on them); a value written above a bar that sits just under a horizontal line; a label
  above the top row of a category axis with no room above it (clipped);
* titles that do not fit: a title line longer than ``TITLE_CHARS`` characters; a title of several
  lines whose top margin is fixed at its height or more (plotly then places it by its first line
  and draws the others into the plot: only its automargin push places it); a subplot title
  wider than its panel on a phone (``PHONE_PLOT_PX`` shared by the panels of its row);
* in Portuguese or Spanish, a chart without the decimal comma (``layout.separators``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np

from aecore.figures.common import ROW_PX, TITLE_CHARS
from aecore.figures.legible import CHAR_PX, PANEL_MIN_CHARS, PHONE_PLOT_PX

AXIS = re.compile(r"[xy]axis\d*")
TAG = re.compile(r"<[^>]+>")


def _axes(layout: dict) -> Iterator[tuple[str, dict]]:
    for key, spec in layout.items():
        if AXIS.fullmatch(key) and isinstance(spec, dict):
            yield key, spec


def _values(v) -> np.ndarray:
    from tests.figure_checks import values

    return values(v)


def _used_axes(fig: dict) -> set[str]:
    used = set()
    for trace in fig.get("data", []):
        if trace.get("type", "scatter") in ("pie", "table", "sankey", "indicator", "parcoords"):
            continue
        used |= {f"xaxis{trace.get('xaxis', 'x')[1:]}", f"yaxis{trace.get('yaxis', 'y')[1:]}"}
    return used


def log_label_problems(fig: dict) -> list[str]:
    out = []
    for key, spec in _axes(fig.get("layout", {})):
        dtick = spec.get("dtick")
        if spec.get("type") != "log" or spec.get("tickvals") or spec.get("showticklabels") is False:
            continue
        if (dtick is None or str(dtick).startswith("D")) and spec.get("minorloglabels") not in ("none", "complete"):
            out.append(f"{key}: a log axis labels its minor ticks with bare digits ('5 2 1 5 2 0.1')")
    return out


def _shows_numbers(spec: dict) -> bool:
    return (
        spec.get("showticklabels") is not False
        and not spec.get("ticktext")
        and spec.get("type") not in ("category", "multicategory", "date")
        and spec.get("visible") is not False
    )


def si_prefix_problems(fig: dict) -> list[str]:
    layout = fig.get("layout", {})
    out = []
    for key in sorted(_used_axes(fig)):
        spec = layout.get(key, {}) or {}
        if _shows_numbers(spec) and spec.get("exponentformat") in (None, "B", "SI"):
            out.append(f"{key}: tick labels with SI prefixes ('100μ', '10n'): use exponentformat='power'")
    for i, trace in enumerate(fig.get("data", [])):
        shows = trace.get("type") in ("heatmap", "contour", "histogram2d") and trace.get("showscale") is not False
        shows = shows or (trace.get("marker") or {}).get("showscale") is True
        bar = trace.get("colorbar") or (trace.get("marker") or {}).get("colorbar") or {}
        if shows and not bar.get("ticktext") and bar.get("exponentformat") in (None, "B", "SI"):
            out.append(f"colour bar of trace {i}: tick labels with SI prefixes ('100μ')")
    return out


def _hlines(layout: dict) -> list[tuple[str, float]]:
    """(y axis id, y) of the horizontal lines drawn across an axis."""
    return [
        (s.get("yref", "y"), float(s["y0"]))
        for s in layout.get("shapes", []) or []
        if isinstance(s.get("y0"), (int, float)) and s.get("y0") == s.get("y1") and "domain" not in s.get("yref", "y")
    ]


def _position(layout: dict, ref: str, v: float) -> float:
    """Where ``v`` sits on axis ``ref`` in the units plotly lays it out in (log10 on a log axis)."""
    log = (layout.get(f"yaxis{ref[1:]}", {}) or {}).get("type") == "log"
    return math.log10(v) if log and v > 0 else (-math.inf if log else v)


def overprint_problems(fig: dict) -> list[str]:
    layout, out = fig.get("layout", {}), []
    lines = _hlines(layout)
    bars = [t for t in fig.get("data", []) if t.get("type") == "bar" and t.get("orientation") != "h"]
    for ref, y in lines:
        log = (layout.get(f"yaxis{ref[1:]}", {}) or {}).get("type") == "log"
        on_line = [a for a in layout.get("annotations", []) or [] if a.get("yref", "y") == ref]
        on_line = [
            a
            for a in on_line
            if isinstance(a.get("y"), (int, float)) and a["y"] in (y, math.log10(y) if log and y > 0 else y)
        ]
        crossing = [t for t in bars if t.get("yaxis", "y") == ref and (_values(t.get("y")) > y).any()]
        if on_line and crossing:
            out.append(
                f"the label {str(on_line[0].get('text'))[:30]!r} of the line at {y:g} overprints the bars that cross it"
            )
        for t in bars:
            if (
                t.get("yaxis", "y") != ref
                or t.get("textposition") != "outside"
                or not (t.get("text") or t.get("texttemplate"))
            ):
                continue
            heights = [_position(layout, ref, v) for v in _values(t.get("y")) if np.isfinite(v)]
            tops = [h for h in heights if math.isfinite(h)]
            span = (max(tops + [_position(layout, ref, y)]) - min(tops + [0.0 if not log else min(tops)])) or 1.0
            line = _position(layout, ref, y)
            if any(0 <= line - h < 0.08 * span for h in tops):
                out.append(f"a value written above a bar of {t.get('name')!r} sits on the line at {y:g}")
    for t in fig.get("data", []):
        if "text" not in t.get("mode", "") or not str(t.get("textposition", "")).startswith("top"):
            continue
        ys = t.get("y")
        spec = layout.get(f"yaxis{t.get('yaxis', 'y')[1:]}", {}) or {}
        if not isinstance(ys, list) or not ys or not all(isinstance(v, str) for v in ys):
            continue
        n, rng = len(set(ys)), spec.get("range")
        flipped = spec.get("autorange") == "reversed" or bool(rng and rng[0] > rng[1])
        edge = (min(rng) if flipped else max(rng)) if rng else (-0.5 if flipped else n - 0.5)
        room = (-0.5 - edge) if flipped else (edge - (n - 0.5))  # rows of space above the top row
        if room < 0.5:
            out.append(f"the label above the top row of {t.get('name') or 'a trace'!r} is clipped (no room above it)")
    return out


def _lines(text: str) -> list[str]:
    return [TAG.sub("", line) for line in str(text or "").split("<br>")]


def title_problems(fig: dict) -> list[str]:
    layout, out = fig.get("layout", {}), []
    title = layout.get("title") or {}
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    lines = _lines(text)
    long = [line for line in lines if len(line) > TITLE_CHARS + 2]
    if text and long:
        out.append(f"a title line of {len(long[0])} characters does not fit a half-width chart: {long[0][:40]!r}…")
    top = (layout.get("margin") or {}).get("t")
    if text and len(lines) > 1 and isinstance(title, dict) and title.get("yref", "container") == "paper":
        if not title.get("automargin") or (top is not None and top >= ROW_PX * len(lines)):
            out.append(f"a title of {len(lines)} lines runs into the plot (a fixed top margin of {top} px)")
    panels = [
        a
        for a in layout.get("annotations", []) or []
        if a.get("yref") == "paper"
        and a.get("xref") == "paper"
        and (a.get("y") or 0) >= 0.99
        and a.get("showarrow") is False
    ]
    for a in panels:
        row = sum(1 for b in panels if abs((b.get("y") or 0) - (a.get("y") or 0)) < 0.01)
        room = max(PANEL_MIN_CHARS, int(PHONE_PLOT_PX / row / CHAR_PX))
        wide = [line for line in _lines(a.get("text")) if len(line) > room and " " in line.strip()]
        if wide:
            out.append(f"the subplot title {wide[0][:30]!r} is wider than its panel on a phone ({room} characters)")
    return out


def separator_problems(fig: dict, lang: str) -> list[str]:
    """In pt and es a chart writes 0,5: plotly's ``separators`` start with the decimal comma."""
    if lang == "en":
        return []
    seps = fig.get("layout", {}).get("separators") or ".,"
    return [] if seps.startswith(",") else [f"the chart writes decimals with {seps[0]!r} in {lang}"]


def legibility_problems(fig: dict) -> list[str]:
    return log_label_problems(fig) + si_prefix_problems(fig) + overprint_problems(fig) + title_problems(fig)
