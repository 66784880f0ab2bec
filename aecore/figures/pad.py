"""Figures of the drawing pad: what a page's trained model makes of a drawn input.

Pure builders: arrays and a dict of translated labels in, a plotly Figure out. Images are
ink in [0, 1] (0 = black, as ``common.image_grid`` draws the data); a change r(x) − x is drawn
on a diverging scale centred on 0 (red: ink added, blue: ink removed; ColorBrewer's RdBu,
readable with the common colour-vision deficiencies).
The drawing's own point is a large ✖ drawn last, above the training codes (WebGL traces are
drawn in order, above any SVG trace).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import CLASS_COLORS, METHOD_COLORS, base_layout, wrap

MARK = "#D55E00"  # the drawing (Okabe & Ito vermillion)


def panels_figure(
    rows: Sequence[Sequence[tuple[str, np.ndarray | None, bool]]],
    title: str = "",
    row_labels: Sequence[str] | None = None,
) -> go.Figure:
    """A grid of small square images: ``rows`` of (panel title, image (h, w) or None for an
    empty cell, signed). Unsigned images are ink in [0, 1] in grey; signed ones (changes) share
    one diverging scale, symmetric about 0 up to their largest magnitude, with its colour bar.
    ``row_labels``: a label left of each row (then the panel titles of the first row serve as
    column titles and the others are not drawn: give them as "")."""
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    cells = [[*r, *[("", None, False)] * (n_cols - len(r))] for r in rows]
    width = max(12, 40 // n_cols)  # characters a panel title takes on one line
    titles = [wrap(name, width) for r in cells for name, _, _ in r]
    row_px = 170 if row_labels is None else 130  # a panel and its title of up to two lines
    gap = min(0.3, (55 if row_labels is None else 15) / (row_px * n_rows)) if n_rows > 1 else 0.0
    fig = make_subplots(n_rows, n_cols, subplot_titles=titles, horizontal_spacing=0.04, vertical_spacing=gap)
    signed = [np.abs(img).max() for r in cells for _, img, s in r if s and img is not None]
    top = max(max(signed, default=0.0), 1e-6)
    for i, row in enumerate(cells, start=1):
        for j, (_, img, sign) in enumerate(row, start=1):
            if img is None:
                continue
            gray = dict(colorscale="gray", zmin=0.0, zmax=1.0, showscale=False)
            hover = "%{z:.3f}<extra></extra>"
            fig.add_trace(
                go.Heatmap(z=np.asarray(img), hovertemplate=hover, **(dict(coloraxis="coloraxis") if sign else gray)),
                row=i,
                col=j,
            )
    fig.update_yaxes(autorange="reversed", showticklabels=False, showgrid=False, zeroline=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain")
    for k in range(1, n_rows * n_cols + 1):  # each panel square against its own x axis
        fig.update_yaxes(scaleanchor=f"x{'' if k == 1 else k}", row=(k - 1) // n_cols + 1, col=(k - 1) % n_cols + 1)
    for i, label in enumerate(row_labels or (), start=1):  # horizontal, left of the row's first panel
        h = next((np.shape(img)[0] for _, img, _ in cells[i - 1] if img is not None), 1)
        fig.update_yaxes(showticklabels=True, tickvals=[(h - 1) / 2], ticktext=[wrap(label, 16)], row=i, col=1)
    bar = dict(thickness=12, len=0.8)
    fig.update_layout(coloraxis=dict(colorscale="RdBu", reversescale=True, cmin=-top, cmax=top, colorbar=bar))
    fig.update_layout(coloraxis_showscale=bool(signed))
    fig = base_layout(fig, title, height=40 + row_px * n_rows)
    fig.update_layout(margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white")
    return fig


def _cloud(fig: go.Figure, Y: np.ndarray, labels: np.ndarray | None, name: str) -> None:
    """The training codes, faded, one trace per class (or one grey trace without labels)."""
    groups = [(None, np.ones(len(Y), bool))] if labels is None else [(c, labels == c) for c in np.unique(labels)]
    for c, m in groups:
        color = METHOD_COLORS["data"] if c is None else CLASS_COLORS[int(c) % len(CLASS_COLORS)]
        fig.add_trace(
            go.Scattergl(
                x=Y[m, 0],
                y=Y[m, 1],
                mode="markers",
                name=name if c is None else str(c),
                marker=dict(size=4, color=color, opacity=0.35),
                hoverinfo="skip",
            )
        )


def _ellipse(center: np.ndarray, radii: np.ndarray, n: int = 90) -> tuple[np.ndarray, np.ndarray]:
    a = np.linspace(0, 2 * np.pi, n)
    return center[0] + radii[0] * np.cos(a), center[1] + radii[1] * np.sin(a)


def code_map_figure(
    codes: np.ndarray,
    labels: np.ndarray | None,
    point: np.ndarray,
    names: dict[str, str],
    sigma: np.ndarray | None = None,
) -> go.Figure:
    """The training codes in the plane (2 columns) and the drawing's code ``point`` as ✖; with
    ``sigma``, q(z|x)'s ellipses μ ± σ and μ ± 2σ around it (its axes: the plane's dims).
    ``names``: title, x, y, data, drawing, sigma1, sigma2."""
    Y = np.asarray(codes, np.float64)
    p = np.asarray(point, np.float64)
    fig = go.Figure()
    _cloud(fig, Y, labels, names["data"])
    if sigma is not None:
        for r, dash in ((1, "solid"), (2, "dot")):
            xs, ys = _ellipse(p, r * np.asarray(sigma, np.float64))
            line = dict(color=MARK, width=2.5, dash=dash)
            fig.add_trace(go.Scattergl(x=xs, y=ys, mode="lines", line=line, name=names[f"sigma{r}"], hoverinfo="skip"))
    marker = dict(symbol="x", size=18 if sigma is None else 11, color=MARK, line=dict(width=1.5, color="white"))
    fig.add_trace(go.Scattergl(x=[p[0]], y=[p[1]], mode="markers", marker=marker, name=names["drawing"]))
    fig.update_xaxes(title=names["x"], zeroline=False)
    fig.update_yaxes(title=names["y"], zeroline=False, scaleanchor="x" if sigma is not None else None)
    return base_layout(fig, names["title"], height=380)


def _marker_line(x: float, top: float, name: str, color: str, dash: str = "solid") -> go.Scatter:
    """A vertical line at x from 0 to ``top`` as a trace (part of the data: it sets the axis)."""
    return go.Scatter(x=[x, x], y=[0, top], mode="lines", line=dict(color=color, width=3, dash=dash), name=name)


def _peak(values: np.ndarray, lo: float, hi: float, bins: int = 30) -> float:
    """The tallest bar of a histogram of ``values`` over [lo, hi] in ``bins`` bins (at least 1)."""
    return float(max(np.histogram(values, bins=bins, range=(lo, hi))[0].max(), 1))


def score_figure(
    scores: np.ndarray, anomalous: np.ndarray, score: float, threshold: float, names: dict[str, str]
) -> go.Figure:
    """Held-out anomaly scores (log₁₀ on the x axis) of the normal and the anomalous inputs,
    the threshold τ and the drawing's score. ``names``: title, x, y, normal, anomaly, threshold, drawing."""
    s = np.asarray(scores, np.float64)
    bad = np.asarray(anomalous, bool)
    floor = max(float(s[s > 0].min()) if (s > 0).any() else 1e-6, 1e-12)
    logs = np.log10(np.maximum(s, floor))
    at = {k: float(np.log10(max(v, floor))) for k, v in (("score", score), ("tau", threshold))}
    lo, hi = min(logs.min(), *at.values()), max(logs.max(), *at.values())
    hi = hi if hi > lo else lo + 1.0
    fig = go.Figure()
    for mask, key, color in ((~bad, "normal", METHOD_COLORS["ae"]), (bad, "anomaly", METHOD_COLORS["pca"])):
        bins = dict(start=lo, end=hi + 1e-9, size=(hi - lo) / 30)
        fig.add_trace(go.Histogram(x=logs[mask], xbins=bins, name=names[key], marker_color=color, opacity=0.6))
    top = max(_peak(logs[~bad], lo, hi), _peak(logs[bad], lo, hi))
    fig.add_trace(_marker_line(at["tau"], top, names["threshold"], "black", "dash"))
    fig.add_trace(_marker_line(at["score"], top, names["drawing"], MARK))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=320)


def elbo_figure(reference: np.ndarray, elbo: float, names: dict[str, str]) -> go.Figure:
    """The ELBOs of the data's images (histogram) and the drawing's (a line).
    ``names``: title, x, y, data, drawing."""
    ref = np.asarray(reference, np.float64)
    lo, hi = min(float(ref.min()), elbo), max(float(ref.max()), elbo)
    hi = hi if hi > lo else lo + 1.0
    bins = dict(start=lo, end=hi + 1e-9, size=(hi - lo) / 30)
    fig = go.Figure(go.Histogram(x=ref, xbins=bins, name=names["data"], marker_color=METHOD_COLORS["data"]))
    fig.add_trace(_marker_line(elbo, _peak(ref, lo, hi), names["drawing"], MARK))
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=300)


def features_figure(ids: np.ndarray, values: np.ndarray, names: dict[str, str], most: int = 16) -> go.Figure:
    """The SAE features that fire on the drawing, largest activation first (at most ``most``).
    ``names``: title, x, y."""
    ids, values = np.asarray(ids)[:most], np.asarray(values, np.float64)[:most]
    fig = go.Figure(go.Bar(x=[f"#{int(j)}" for j in ids], y=values, marker_color=METHOD_COLORS["ae"], showlegend=False))
    fig.update_xaxes(title=names["x"], type="category")
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=300)
