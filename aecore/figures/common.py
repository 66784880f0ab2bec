"""Palette, layout and the figures shared by lessons (loss curves, image grids).

Colours: Paul Tol's "muted" scheme for classes and Okabe & Ito's for methods, both
distinguishable under the common colour-vision deficiencies.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

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


def base_layout(fig: go.Figure, title: str = "", height: int = 360, **kw) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0.01, font=dict(size=16)),
        height=height,
        margin=dict(l=50, r=20, t=50 if title else 20, b=45),
        template="plotly_white",
        font=dict(size=14),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
        **kw,
    )
    return fig


def downsample(values: Sequence[float], most: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) with at most ``most`` points, keeping the first and last."""
    y = np.asarray(values, float)
    x = np.arange(1, y.size + 1)
    if y.size <= most:
        return x, y
    keep = np.unique(np.linspace(0, y.size - 1, most).astype(int))
    return x[keep], y[keep]


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
    fig.update_yaxes(type="log", title=ylabel, dtick="D2", tickformat=".2g")
    fig.update_xaxes(title=xlabel)
    base_layout(fig, title, height=300)
    # Stage labels are long and curves many: a legend beside the plot never covers the title.
    return fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1.0, xanchor="left", x=1.02))


def tile_images(rows: Sequence[np.ndarray], shape: tuple[int, int], gap: int = 1) -> np.ndarray:
    """Stack rows of flat images (each (m, h·w)) into one 2-D array, NaN between tiles."""
    h, w = shape
    m = max(len(r) for r in rows)
    out = np.full((len(rows) * (h + gap) - gap, m * (w + gap) - gap), np.nan)
    for i, row in enumerate(rows):
        for j, img in enumerate(row):
            out[i * (h + gap) : i * (h + gap) + h, j * (w + gap) : j * (w + gap) + w] = np.asarray(img, float).reshape(
                h, w
            )
    return out


def image_grid(
    rows: dict[str, np.ndarray],
    shape: tuple[int, int],
    title: str = "",
    zrange: tuple[float, float] = (0.0, 1.0),
    height: int | None = None,
) -> go.Figure:
    """One labelled row of images per entry of ``rows`` (grey scale, 0 = black)."""
    names = list(rows)
    grid = tile_images([rows[n] for n in names], shape)
    h = shape[0]
    fig = go.Figure(
        go.Heatmap(z=grid, colorscale="gray", zmin=zrange[0], zmax=zrange[1], showscale=False, hoverinfo="skip")
    )
    fig.update_yaxes(
        autorange="reversed",
        tickmode="array",
        tickvals=[i * (h + 1) + h / 2 - 0.5 for i in range(len(names))],
        ticktext=names,
        showgrid=False,
        zeroline=False,
        scaleanchor="x",
    )
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig = base_layout(fig, title, height=height or 70 + 75 * len(names))
    fig.update_layout(plot_bgcolor="white", margin=dict(l=110, r=10, t=40 if title else 10, b=10))
    return fig
