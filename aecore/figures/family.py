"""The family page's figure: each member's 2-D map of its codes (PCA of the codes when
k > 2), and under it decodes of random codes z ~ N(0, I) with their generation scores."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import CLASS_COLORS, base_layout, tile_images

GRID = 4  # decodes shown per member: a GRID × GRID tile


def _scatter(xy: np.ndarray, labels: np.ndarray | None, show_legend: bool) -> list[go.Scatter]:
    """One trace per class (a legend entry each in the first panel), or one grey trace."""
    if labels is None or len(np.unique(labels)) < 2:
        return [
            go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode="markers", marker=dict(size=3, color="#555"), showlegend=False)
        ]
    traces = []
    for i, c in enumerate(np.unique(labels)):
        pts = xy[labels == c]
        marker = dict(size=3, color=CLASS_COLORS[i % len(CLASS_COLORS)])
        traces.append(
            go.Scattergl(
                x=pts[:, 0],
                y=pts[:, 1],
                mode="markers",
                marker=marker,
                name=str(c),
                legendgroup=str(c),
                showlegend=show_legend,
            )
        )
    return traces


def family_figure(
    maps: dict[str, np.ndarray],
    labels: np.ndarray | None,
    decodes: dict[str, np.ndarray] | None,
    shape: tuple[int, int] | None,
    names: dict[str, str],
    scores: dict[str, str],
) -> go.Figure:
    """Row 1: the 2-D map of each member's held-out codes, coloured by class; row 2 (image
    data only): GRID² decodes of z ~ N(0, I) per member. ``names``: a title per member key,
    ``title`` and ``map`` (the first row's y title); ``scores``: a caption per member above
    its decodes (its generation scores)."""
    members = list(maps)
    rows = 2 if decodes is not None and shape is not None else 1
    titles = [names[m] for m in members] + ([scores.get(m, "") for m in members] if rows == 2 else [])
    fig = make_subplots(
        rows=rows, cols=len(members), subplot_titles=titles, vertical_spacing=0.12, horizontal_spacing=0.03
    )
    for j, m in enumerate(members):
        for trace in _scatter(np.asarray(maps[m]), labels, show_legend=j == 0):
            fig.add_trace(trace, row=1, col=j + 1)
        fig.update_xaxes(showticklabels=False, row=1, col=j + 1)
        fig.update_yaxes(showticklabels=False, row=1, col=j + 1)
        if rows == 2:
            n = GRID * GRID
            imgs = np.asarray(decodes[m][:n])
            tile = tile_images([imgs[i : i + GRID] for i in range(0, len(imgs), GRID)], shape)
            heat = go.Heatmap(z=tile, colorscale="gray", zmin=0, zmax=1, showscale=False, hoverinfo="skip")
            fig.add_trace(heat, row=2, col=j + 1)
            fig.update_yaxes(autorange="reversed", scaleanchor=f"x{len(members) + j + 1}", row=2, col=j + 1)
            fig.update_xaxes(visible=False, row=2, col=j + 1)
            fig.update_yaxes(visible=False, row=2, col=j + 1)
    fig.update_yaxes(title_text=names["map"], row=1, col=1)
    for a in fig.layout.annotations[len(members) :]:
        a.font = dict(size=12)
    fig = base_layout(fig, names["title"], height=300 + 230 * (rows - 1))
    fig.update_layout(plot_bgcolor="white", legend=dict(itemsizing="constant"))
    return fig
