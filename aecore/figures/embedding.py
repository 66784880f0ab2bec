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
