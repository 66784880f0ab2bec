"""Palette, layout and the figures shared by lessons (loss curves, image grids).

Colours: Paul Tol's "muted" scheme for classes and Okabe & Ito's for methods, both
distinguishable under the common colour-vision deficiencies.

Layout (``base_layout``) that never looks broken in any language: the title wraps at
``TITLE_CHARS`` characters and pushes the plot down (plotly never wraps or shrinks a title);
the legend sits at the bottom of the figure, below the axis title, so it never covers the
title or a panel's title; the figure grows by the rows the title and legend take. Log axes:
plotly reads an annotation's position on a log axis as log10 of the value, while shapes use
the value itself (plotly.py issues #2580, #4012), so ``add_hline(y=3, annotation_text=...)``
on a log axis puts the label at 10³ and stretches the axis to it; ``base_layout`` moves such
labels to their line. ``log_floor`` and ``log_range`` keep a log axis within
``MAX_DECADES`` decades (values that are numerically zero are drawn at the floor).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from aecore.figures.arrays import downsample, tile_images  # noqa: F401  (builders import them from here)
from aecore.figures.legible import (  # noqa: F401  (legend_below, wrap: builders import them from here)
    SEPARATORS,
    decimal_comma,
    fit_panel_titles,
    legend_below,
    panel_titles,
    readable_axes,
    wrap,
)

CLASS_COLORS = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#555555",
]
METHOD_COLORS = {
    "ae": "#0072B2",
    "pca": "#E69F00",
    "tsne": "#009E73",
    "umap": "#CC79A7",
    "linear": "#E69F00",
    "deep": "#0072B2",
    "data": "#999999",
    "ref": "#D55E00",
}
SEQ = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


TITLE_CHARS = 48  # a title line fits a half-width chart (about 450 px at 16 px) in every language
MAX_DECADES = 8  # a log axis spans at most this many powers of ten
LEGEND_WIDTH = 560  # px a bottom legend is assumed to have when its rows are counted
ROW_PX = 22  # one line of title or legend


def wrap_title(text: str, width: int = TITLE_CHARS) -> str:
    """``text`` broken into lines of at most ``width`` characters (plotly's ``<br>``)."""
    if not text or "<br>" in text:  # already laid out
        return text or ""
    return wrap(text, width)


def _legend_rows(fig: go.Figure) -> int:
    """Rows a horizontal legend of the figure's named traces takes at ``LEGEND_WIDTH`` px."""
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    if len(names) < 2 and not any(t.showlegend for t in fig.data):
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = 40 + 7.5 * len(name)  # symbol + text at 14 px
        if used and used + item > LEGEND_WIDTH:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def base_layout(fig: go.Figure, title: str = "", height: int = 360, **kw) -> go.Figure:
    """White template, 14 px text; a wrapped title above the plot, the legend at the bottom.
    ``height`` is the figure's height for a one-line title and one legend row; more rows
    add to it, so the plot itself keeps its size. Subplot titles wrap to their panel's width
    on a phone; the title sits above their lines."""
    text = wrap_title(title)
    lines = text.count("<br>") + 1 if text else 0
    legend_rows = _legend_rows(fig)
    panel_lines = fit_panel_titles(fig)
    fig.update_layout(
        # automargin: the title pushes the plot down instead of running into it
        title=dict(text=text, x=0.01, xanchor="left", y=1, yanchor="bottom", yref="paper", automargin=True),
        title_font=dict(size=16),
        title_pad=dict(b=10 + ROW_PX * panel_lines),  # above the panels' own titles
        height=height + ROW_PX * (max(lines, 1) - 1 + max(legend_rows - 1, 0) + max(panel_lines - 1, 0)),
        # a fixed top margin only where no title pushes its own (plotly places a title of several
        # lines by its first line: only automargin's push keeps the others out of the plot)
        margin=dict(l=50, r=20, t=20 if text or not panel_lines else 6 + ROW_PX * panel_lines, b=45),
        template="plotly_white",
        font=dict(size=14),
        # yref="container": measured from the figure's bottom edge; the margin grows to fit it
        legend=dict(orientation="h", x=0, xanchor="left", y=0, yanchor="bottom", yref="container"),
        **kw,
    )
    return fix_log_annotations(readable_axes(fig))


def finish(fig: go.Figure, lang: str = "en") -> go.Figure:
    """The last word before a figure is shown (``ui.kit.page.chart``): whatever a builder set after
    ``base_layout``, a legend above the plot (over the title or the panels' titles) or a
    horizontal one placed below in plot-height fractions (which run into the axis title on a
    short plot) goes to the bottom of the figure; a legend beside the plot stays. Long titles
    wrap; labels of lines on log axes move to their line; ticks are readable (``readable_axes``)
    and numbers use ``lang``'s decimal mark (0,5 in pt and es). Returns ``fig``, changed in place."""
    fig.update_layout(separators=SEPARATORS.get(lang, SEPARATORS["en"]))
    readable_axes(fig)
    if SEPARATORS.get(lang, ".")[0] == ",":
        decimal_comma(fig)
    legend = fig.layout.legend
    at_bottom = legend.yref == "container" and legend.y == 0 and legend.yanchor == "bottom"  # base_layout's
    # a y a builder set after base_layout is meant in plot-height fractions ("paper")
    beside = legend.orientation != "h" and legend.x is not None and legend.x >= 1
    inside = legend.orientation != "h" and (legend.y is None or legend.y < 1) and not beside
    if beside or inside:
        fig.update_layout(legend_yref="paper")
    elif not at_bottom:
        if legend.y is not None and legend.y >= 1 and fig.layout.margin.t and fig.layout.margin.t > 40:
            fig.update_layout(margin_t=20)  # the room kept for it above; the title makes its own
        x = legend.x if legend.x is not None and 0 <= legend.x < 1 else 0
        fig.update_layout(legend=dict(orientation="h", x=x, xanchor="left", y=0, yanchor="bottom", yref="container"))
    title = fig.layout.title
    if title.text and "<br>" not in title.text and len(wrap_title(title.text)) > len(title.text):
        fig.update_layout(title_text=wrap_title(title.text), title_automargin=True, title_yref="paper")
    panel_lines = max((str(a.text).count("<br>") + 1 for a in panel_titles(fig)), default=0)
    if panel_lines and not title.text and (fig.layout.margin.t or 0) < 6 + ROW_PX * panel_lines:
        fig.update_layout(margin_t=6 + ROW_PX * panel_lines)  # no title pushes the panels' titles into view
    lines = str(title.text or "").count("<br>") + 1
    if lines > 1 and title.automargin and (fig.layout.margin.t or 0) >= ROW_PX * lines:
        # a fixed margin that holds the title keeps automargin from placing it: plotly then
        # draws the first line above the plot and the others into it
        fig.update_layout(margin_t=20)
    return fix_log_annotations(fig)


def _log_axes(fig: go.Figure) -> set[str]:
    """Axis ids ('x', 'y2', ...) of the figure's log axes (the layout only: no copy of the data)."""
    layout = fig.layout.to_plotly_json()
    return {k[0] + k[5:] for k, v in layout.items() if k[1:5] == "axis" and (v or {}).get("type") == "log"}


def fix_log_annotations(fig: go.Figure) -> go.Figure:
    """Move the label of a line drawn with ``add_hline``/``add_vline`` on a log axis to the line:
    the shape is in data units, its annotation must be in log10 units (plotly.py #2580)."""
    if not fig.layout.annotations:  # most figures: nothing to move, no layout to read
        return fig
    logs = _log_axes(fig)
    for a in fig.layout.annotations:
        for letter in ("x", "y"):
            ref, v = a[f"{letter}ref"] or letter, a[letter]
            if ref not in logs or not isinstance(v, (int, float)) or v <= 0:
                continue
            lines = [s for s in fig.layout.shapes or () if (s[f"{letter}ref"] or letter) == ref]
            if any(s[f"{letter}0"] == v == s[f"{letter}1"] for s in lines):
                a[letter] = math.log10(v)
    return fig


def log_floor(values: np.ndarray, decades: float = MAX_DECADES) -> np.ndarray:
    """``values`` raised to at least max·10^−decades: what is numerically zero on a log axis
    is drawn at the axis floor instead of ten or twenty decades further down (or not at all)."""
    v = np.asarray(values, float)
    finite = v[np.isfinite(v) & (v > 0)]
    if finite.size == 0:
        return v
    return np.where(np.isfinite(v), np.maximum(v, finite.max() * 10.0**-decades), v)


def log_range(values: np.ndarray, decades: float = MAX_DECADES, pad: float = 0.1) -> list[float]:
    """A log axis ``range`` (log10 units) covering the positive values, at most ``decades``
    deep below the largest; pair it with ``log_floor`` so that nothing falls below it."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return [-1.0, 0.0]
    top = math.log10(v.max())
    bottom = max(math.log10(v.min()), top - decades)
    return [bottom - pad, top + pad]


def loss_figure(
    histories: dict[str, Sequence[float]],
    title: str = "",
    refs: dict[str, float] | None = None,
    xlabel: str = "epoch",
    ylabel: str = "loss",
) -> go.Figure:
    """Training curves on a log scale, with optional horizontal reference lines."""
    fig = go.Figure()
    for i, (stage, losses) in enumerate(histories.items()):
        x, y = downsample(losses)
        y = np.where(np.isfinite(y), y, np.nan)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=stage, line=dict(color=SEQ[i % len(SEQ)], width=2)))
    for name, value in (refs or {}).items():
        fig.add_hline(
            y=value,
            line=dict(color=METHOD_COLORS["ref"], dash="dash"),
            annotation_text=name,
            annotation_position="top right",
        )
    # "D2" ticks sit only at 1, 2, 5 × 10ⁿ: a curve within one such step (an ALS loss from 0.045
    # to 0.024) would get no tick label at all, so narrow ranges keep plotly's own ticks.
    values = np.concatenate(
        [np.ravel(np.asarray(v, float)) for v in histories.values()] + [list((refs or {}).values())]
    )
    values = values[np.isfinite(values) & (values > 0)]
    wide = values.size > 0 and values.max() >= 10 * values.min()
    fig.update_yaxes(type="log", title=ylabel, dtick="D2" if wide else None, tickformat=".2g")
    fig.update_xaxes(title=xlabel)
    return base_layout(fig, title, height=300)


def image_grid(
    rows: dict[str, np.ndarray],
    shape: tuple[int, int],
    title: str = "",
    zrange: tuple[float, float] = (0.0, 1.0),
    height: int | None = None,
) -> go.Figure:
    """One labelled row of images per entry of ``rows`` (grey scale, 0 = black). Each row's
    label sits above it, in the gap between rows, so the images span the chart's whole width
    (on a phone too: labels beside the rows took a third of it)."""
    names = list(rows)
    h = shape[0]
    gap = max(2, math.ceil(0.6 * h))  # about 20 px at a phone's width for 8×8 and 28×28 images alike
    grid = tile_images([rows[n] for n in names], shape, row_gap=gap)
    grid = np.vstack([np.full((gap, grid.shape[1]), np.nan), grid])  # room for the first row's label
    fig = go.Figure(
        go.Heatmap(z=grid, colorscale="gray", zmin=zrange[0], zmax=zrange[1], showscale=False, hoverinfo="skip")
    )
    for i, name in enumerate(names):
        top = gap + i * (h + gap) - 0.5  # the row's upper edge, in pixels of the grid
        fig.add_annotation(
            x=-0.5,
            y=top,
            xref="x",
            yref="y",
            text=name,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font_size=13,
        )
    fig.update_yaxes(
        autorange="reversed",
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        scaleanchor="x",
        constraintoward="top",
    )
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig = base_layout(fig, title, height=height or 70 + 75 * len(names))
    fig.update_layout(plot_bgcolor="white", margin=dict(l=10, r=10, t=40 if title else 10, b=10))
    return fig


def data_points(X: np.ndarray, name: str, color: str, size: int = 4, legend: bool = True) -> go.Scattergl:
    """The data of a 2-D curve lesson as plain WebGL markers (``X``: (n, 2))."""
    return go.Scattergl(
        x=X[:, 0], y=X[:, 1], mode="markers", name=name, marker=dict(size=size, color=color), showlegend=legend
    )
