"""Figures of lesson 3's t-SNE explanation: the Gaussian affinity of the data against the
Student-t (one degree of freedom) of the map (van der Maaten & Hinton 2008).

With both kernels at 1 for distance 0, the same affinity a sits at distance √(−2 ln a) under
the Gaussian and √(1/a − 1) under the Student-t: the heavy tail gives moderately similar
pairs more room in the map.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from aecore.figures.common import METHOD_COLORS, base_layout


def kernel_figure(names: dict[str, str], level: float = 0.1) -> go.Figure:
    """exp(−d²/2) and 1/(1 + d²) against d; a dashed level where both reach ``level``."""
    d = np.linspace(0, 5, 201)
    d_gauss, d_t = np.sqrt(-2 * np.log(level)), np.sqrt(1 / level - 1)
    fig = go.Figure(
        [
            go.Scatter(x=d, y=np.exp(-(d**2) / 2), name=names["gauss"], line=dict(color=METHOD_COLORS["pca"], width=3)),
            go.Scatter(x=d, y=1 / (1 + d**2), name=names["student"], line=dict(color=METHOD_COLORS["ae"], width=3)),
            go.Scatter(
                x=[d_gauss, d_t],
                y=[level, level],
                mode="markers+lines",
                name=names["level"],
                line=dict(color=METHOD_COLORS["ref"], dash="dash"),
                marker=dict(size=9),
            ),
        ]
    )
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"], range=[0, 1.05])
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return base_layout(fig, names["title"], height=320)


def manifold_figure(X: np.ndarray, t: np.ndarray, height: np.ndarray, names: dict[str, str]) -> go.Figure:
    """A 2-D manifold rolled up in 3-D: the points X (n, 3) beside their two coordinates on
    the sheet, (t, height), both coloured by t. ``names``: title, the two panel titles
    (``rolled``, ``unrolled``) and the sheet's axes (``t``, ``height``)."""
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        specs=[[{"type": "scene"}, {"type": "xy"}]],
        subplot_titles=[names["rolled"], names["unrolled"]],
        horizontal_spacing=0.08,
    )
    marker = dict(size=2.5, color=t, colorscale="Viridis", showscale=False)
    fig.add_trace(
        go.Scatter3d(x=X[:, 0], y=X[:, 1], z=X[:, 2], mode="markers", marker=marker, hoverinfo="skip"), row=1, col=1
    )
    fig.add_trace(
        go.Scattergl(x=t, y=height, mode="markers", marker=dict(marker, size=4), hoverinfo="skip"), row=1, col=2
    )
    fig.update_xaxes(title=names["t"], row=1, col=2)
    fig.update_yaxes(title=names["height"], row=1, col=2)
    fig.update_scenes(xaxis_title="x₁", yaxis_title="x₂", zaxis_title="x₃", camera=dict(eye=dict(x=1.6, y=1.6, z=0.8)))
    fig = base_layout(fig, names["title"], height=400, showlegend=False)
    return fig
