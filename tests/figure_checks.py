"""What makes a chart or a page text look broken, checked on what a page hands the browser:
a plotly figure's JSON (``st.plotly_chart`` carries it) and the texts Streamlit renders.

``figure_problems(fig)`` -> sentences, one per problem:

* an axis with a fixed range that cuts its data, a log axis over more than ``MAX_DECADES``
  decades, data ≤ 0 on a log axis (plotly drops it silently), or a shape/annotation that
  stretches an axis far beyond its data (plotly reads an annotation's position on a log axis
  as log10: ``add_hline(y=3, annotation_text=...)`` on a log axis puts the label at 10³);
* z-order: a curve (a trace drawn with lines) under a cloud of markers on the same axes.
  WebGL traces (``scattergl``) are drawn above every SVG trace whatever their order;
* raw TeX in visible text (title, axis titles, legend names, annotations, tick labels, text
  drawn on the plot, colour-bar titles): plotly shows ``$``, ``\\``, ``_{``, ``^{`` as typed, and
  an underscore between a letter (Greek too) and a letter or digit (``g_φ(h)``, ``W_dᵀW_d``): write
  ``g<sub>φ</sub>(h)``; and numbers in ``e+04`` notation;
* a horizontal legend above the plot of a figure with a title (it covers the title).

``text_problems(text, math=True)``: raw TeX outside ``$…$`` (Streamlit renders ``$…$`` in
markdown, captions, alerts and widget labels; ``math=False`` for metric labels, which render
no TeX at all), an underscore subscript next to a non-ASCII letter (``σ_x``, ``ℒ_β``: write
``$\\sigma_x$``, or ``σₓ`` where no TeX renders), and ``e+04`` numbers.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterator
from typing import Any

import numpy as np

MAX_DECADES = 8
MIN_CLOUD = 20  # markers-only traces with at least this many points are a cloud
TEX = re.compile(r"\$|\\[A-Za-z]|_\{|\^\{|(?<![\w/.])[A-Za-z]_[A-Za-z0-9]{1,3}(?!\w)")  # J_f, W_enc, not x_train
TEX_IN_MD = re.compile(r"\\[A-Za-z]|_\{|\^\{|(?<![\w/.])[A-Za-z]_[A-Za-z0-9]{1,3}(?!\w)")  # \* is fine
# An ASCII underscore used as a subscript next to a Greek or other non-ASCII letter: σ_x, ℒ_β,
# g_φ, p_θ, ‖J‖²_F (catalog texts; `x_train` and other ASCII identifiers are left to TEX above).
GREEK_SUB = re.compile(r"[^\W\d_A-Za-z]_[^\W_]|[^\W\d_]_[^\W_A-Za-z0-9]")
# In a figure no identifier is shown: any underscore between a letter (any script) and a letter
# or digit is a subscript plotly draws as typed: g_φ(h), W_dᵀW_d (plotly: g<sub>φ</sub>).
FIGURE_SUB = re.compile(r"[^\W\d_]_[^\W_]")
E_NOTATION = re.compile(r"\d(?:\.\d+)?e[+-]\d", re.IGNORECASE)
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)  # Streamlit's inline math cannot span a line break
CODE = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)
FIELD = re.compile(r"\{\w+\}")  # str.format fields of catalog texts: {k_first}


# ------------------------------------------------------------------ data


def values(v: Any) -> np.ndarray:
    """Numeric values of a trace attribute: lists, nested lists or plotly's base64 typed arrays
    ({"dtype", "bdata", "shape"}); non-numbers (category names, None) become NaN."""
    if v is None:
        return np.array([])
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).astype(float).ravel()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return np.array([float(v)])
    if not isinstance(v, (list, tuple)):
        return np.array([])
    out: list[float] = []
    for item in v:
        if isinstance(item, (list, tuple, dict)):
            out.extend(values(item))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(float(item))
        else:
            out.append(math.nan)
    return np.array(out, float)


def _axis_key(ref: str) -> str:
    """'x' -> 'xaxis', 'y3' -> 'yaxis3'."""
    return f"{ref[0]}axis{ref[1:]}"


def _trace_axes(trace: dict) -> tuple[str, str]:
    return trace.get("xaxis", "x"), trace.get("yaxis", "y")


def _numeric_axis(layout: dict, ref: str, data: np.ndarray) -> bool:
    kind = layout.get(_axis_key(ref), {}).get("type")
    if kind in ("category", "multicategory", "date"):
        return False
    return kind in ("linear", "log") or (data.size > 0 and np.isfinite(data).any())


def _trace_data(trace: dict, layout: dict) -> dict[str, np.ndarray]:
    """Positions a trace occupies on its x and y axes (what autorange fits)."""
    kind = trace.get("type", "scatter")
    if kind in ("heatmap", "contour", "image") and ("x" not in trace or "y" not in trace):
        return {}
    if kind == "histogram":
        axis = "y" if trace.get("orientation") == "h" else "x"
        return {axis: values(trace.get(axis))}
    if kind in ("pie", "sankey", "table", "indicator"):
        return {}
    out = {a: values(trace.get(a)) for a in ("x", "y") if a in trace}
    if kind == "bar" and trace.get("base") is None:  # bars rise from 0 (on a log axis: from the bottom)
        axis = "x" if trace.get("orientation") == "h" else "y"
        ref = _trace_axes(trace)[0 if axis == "x" else 1]
        if axis in out and layout.get(_axis_key(ref), {}).get("type") != "log":
            out[axis] = np.append(out[axis], 0.0)
    return out


# ------------------------------------------------------------------ axes


def _extras(layout: dict, ref: str, log: bool) -> list[tuple[str, float]]:
    """(what, position in data units) of shapes and annotations placed on axis ``ref``."""
    found = []
    letter = ref[0]
    for s in layout.get("shapes", []) or []:
        if s.get(f"{letter}ref", letter) == ref:  # 'x domain' / 'paper' are not on the axis
            for end in (f"{letter}0", f"{letter}1"):
                if isinstance(s.get(end), (int, float)):
                    found.append(("shape", float(s[end])))
    for a in layout.get("annotations", []) or []:
        if a.get(f"{letter}ref", letter) == ref and isinstance(a.get(letter), (int, float)):
            v = float(a[letter])
            found.append((f"annotation {str(a.get('text', ''))[:30]!r}", 10**v if log and v < 300 else v))
    return found


def _axis_problems(layout: dict, ref: str, data: np.ndarray) -> Iterator[str]:
    spec = layout.get(_axis_key(ref), {}) or {}
    log = spec.get("type") == "log"
    name = f"{_axis_key(ref)} ({_title(spec.get('title'))!r})"
    finite = data[np.isfinite(data)]
    if log and (finite <= 0).any():
        yield f"{name}: {int((finite <= 0).sum())} values ≤ 0 on a log axis are not drawn"
        finite = finite[finite > 0]
    if finite.size == 0:
        return
    lo, hi = finite.min(), finite.max()
    fixed = spec.get("range")
    if fixed and spec.get("autorange") not in (True, "reversed") and None not in fixed:
        a, b = sorted(float(v) for v in fixed)
        if log:
            a, b = 10**a, 10**b
        span = (math.log10(b) - math.log10(a)) if log else (b - a)
        cut_lo = (math.log10(a) - math.log10(lo)) if log else (a - lo)
        cut_hi = (math.log10(hi) - math.log10(b)) if log else (hi - b)
        if max(cut_lo, cut_hi) > 0.02 * span:
            yield f"{name}: the fixed range {a:.3g}…{b:.3g} cuts the data ({lo:.3g}…{hi:.3g})"
        lo_all, hi_all = a, b
    else:
        lo_all, hi_all = lo, hi
        for what, v in _extras(layout, ref, log):
            if not math.isfinite(v) or (log and v <= 0):
                continue
            far = math.log10(max(v / hi, lo / v)) if log else max(v - hi, lo - v) / max(hi - lo, 1e-12)
            if far > (0.5 if log else 0.25):
                yield f"{name}: a {what} at {v:.3g} stretches the axis far beyond its data ({lo:.3g}…{hi:.3g})"
            lo_all, hi_all = min(lo_all, v), max(hi_all, v)
    pad = 0.5 if fixed else 0.0  # a fixed range may pad the data a little at each end
    if log and hi_all > 0 and lo_all > 0 and math.log10(hi_all / lo_all) > MAX_DECADES + pad:
        yield f"{name}: the log axis spans {math.log10(hi_all / lo_all):.0f} decades (at most {MAX_DECADES})"


def _guide(trace: dict) -> bool:
    """A straight line through the view (two points, lines only): a fixed range may clip it."""
    return (
        trace.get("mode") == "lines"
        and trace.get("type", "scatter") in ("scatter", "scattergl")
        and _points(trace) == 2
    )


def axis_problems(fig: dict) -> list[str]:
    layout = fig.get("layout", {})
    per_axis: dict[str, list[np.ndarray]] = {}
    for trace in fig.get("data", []):
        if trace.get("visible", True) is False:
            continue
        xref, yref = _trace_axes(trace)
        for axis, vals in _trace_data(trace, layout).items():
            ref = xref if axis == "x" else yref
            if _guide(trace) and (layout.get(_axis_key(ref), {}) or {}).get("range"):
                continue
            per_axis.setdefault(ref, []).append(vals)
    out = []
    for ref, chunks in per_axis.items():
        data = np.concatenate(chunks) if chunks else np.array([])
        if _numeric_axis(layout, ref, data):
            out.extend(_axis_problems(layout, ref, data))
    return out


# ------------------------------------------------------------------ z-order


def _layer(trace: dict) -> int:
    """Drawing layer: SVG under WebGL (plotly draws every gl trace above every SVG trace)."""
    return 1 if trace.get("type", "scatter").endswith("gl") else 0


def _points(trace: dict) -> int:
    return int(np.isfinite(values(trace.get("x"))).sum())


def zorder_problems(fig: dict) -> list[str]:
    """A curve drawn under a markers-only cloud on the same axes."""
    traces = [t for t in fig.get("data", []) if t.get("type", "scatter") in ("scatter", "scattergl")]
    traces = [t for t in traces if t.get("visible", True) is True]

    def key(i: int) -> tuple[int, int, int]:  # drawing order: layer, then zorder (SVG only), then index
        t = traces[i]
        return (_layer(t), 0 if _layer(t) else t.get("zorder", 0), i)

    out = []
    for i, curve in enumerate(traces):
        if "lines" not in curve.get("mode", "lines") or _points(curve) < 2:
            continue
        clouds = [
            j
            for j, cloud in enumerate(traces)
            if cloud.get("mode") == "markers"
            and _points(cloud) >= MIN_CLOUD
            and _trace_axes(cloud) == _trace_axes(curve)
            and key(i) < key(j)
        ]
        if clouds:
            cloud = traces[clouds[0]]
            out.append(
                f"curve {curve.get('name')!r} ({curve.get('type', 'scatter')}) is drawn under the cloud "
                f"{cloud.get('name')!r} ({cloud.get('type', 'scatter')})"
            )
    return out


# ------------------------------------------------------------------ texts


def _title(t: Any) -> str:
    if isinstance(t, dict):
        return str(t.get("text") or "")
    return str(t or "")


def visible_texts(fig: dict) -> Iterator[tuple[str, str]]:
    """(where, text) of every text plotly draws without a hover."""
    layout = fig.get("layout", {})
    yield "title", _title(layout.get("title"))
    yield "legend title", _title((layout.get("legend") or {}).get("title"))
    for key, spec in layout.items():
        if re.fullmatch(r"[xy]axis\d*", key) and isinstance(spec, dict):
            yield f"{key} title", _title(spec.get("title"))
            for tick in spec.get("ticktext", []) or []:
                yield f"{key} tick", str(tick)
    for a in layout.get("annotations", []) or []:
        yield "annotation", str(a.get("text", ""))
    shown_names, categories = set(), set()
    for trace in fig.get("data", []):
        for axis, ref in zip(("x", "y"), _trace_axes(trace)):
            spec = layout.get(_axis_key(ref), {}) or {}
            if isinstance(trace.get(axis), list) and spec.get("showticklabels", True) and not spec.get("ticktext"):
                categories.update(v for v in trace[axis] if isinstance(v, str))  # category names are tick labels
        if trace.get("showlegend", True) is not False and trace.get("name"):
            shown_names.add(str(trace["name"]))
        if "text" in trace.get("mode", "") or trace.get("texttemplate") or trace.get("type") in ("bar",):
            if "text" in trace and trace.get("textposition") != "none":
                text = trace["text"]
                for item in text if isinstance(text, list) else [text]:
                    yield f"text of {trace.get('name')!r}", str(item)
        cbar = (trace.get("colorbar") or (trace.get("marker") or {}).get("colorbar")) or {}
        yield "colour bar title", _title(cbar.get("title"))
    for name in shown_names:
        yield "legend", name
    for name in categories:
        yield "category", name


def text_problems(text: str, math_ok: bool = True) -> list[str]:
    """Raw TeX or e-notation numbers in a text Streamlit renders (``math_ok``: ``$…$`` renders)."""
    bare = FIELD.sub("0", CODE.sub(" ", text))
    if math_ok:
        bare = MATH.sub(" ", bare)
        raw = "$" in bare or TEX_IN_MD.search(bare) or GREEK_SUB.search(bare)
    else:
        raw = TEX.search(bare) or GREEK_SUB.search(bare)
    out = []
    if raw:
        out.append(f"raw TeX in {text[:90]!r}")
    if E_NOTATION.search(MATH.sub(" ", bare) if math_ok else bare):
        out.append(f"a number in e-notation in {text[:90]!r}")
    return out


def figure_text_problems(fig: dict) -> list[str]:
    out = []
    for where, text in visible_texts(fig):
        if TEX.search(text) or FIGURE_SUB.search(text):
            out.append(f"{where}: raw TeX in {text[:80]!r}")
        if E_NOTATION.search(text):
            out.append(f"{where}: a number in e-notation in {text[:80]!r}")
    return out


def legend_problems(fig: dict) -> list[str]:
    """A horizontal legend above the plot area covers a title."""
    layout = fig.get("layout", {})
    legend = layout.get("legend", {}) or {}
    if not _title(layout.get("title")) or layout.get("showlegend") is False:
        return []
    shown = [t for t in fig.get("data", []) if t.get("showlegend", True) is not False and t.get("name")]
    if len(shown) < 2 and not any(t.get("showlegend") is True for t in shown):
        return []
    horizontal = legend.get("orientation") == "h"
    y = float(legend.get("y", -0.1 if horizontal else 1.0))  # plotly's defaults
    above = y >= 1.0 and legend.get("yanchor", "auto") in ("bottom", "auto")
    beside = float(legend.get("x", 1.02)) >= 1.0
    if legend.get("yref") == "container" and not 0 <= y <= 1:
        return [f"the legend is outside the figure (y = {y} of the figure's height)"]
    if horizontal and above and legend.get("yref", "paper") == "paper":
        return [f"a horizontal legend above the plot covers the title {_title(layout.get('title'))[:40]!r}"]
    if not horizontal and not beside and above:
        return ["a legend above the plot covers the title"]
    return []


def figure_problems(fig: dict) -> list[str]:
    """Every check above, and those of ``tests.legibility_checks`` (ticks, overprinting, titles)."""
    from tests.legibility_checks import legibility_problems

    found = axis_problems(fig) + zorder_problems(fig) + figure_text_problems(fig) + legend_problems(fig)
    return found + legibility_problems(fig)
