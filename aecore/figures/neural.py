"""Figures of lesson 0 (neural networks in one page): decision regions on the plane,
the loss surface of one neuron with its gradient-descent path and the arrows of −∇L,
and the universal approximation theorem as fits and error against width.

Pure builders: NumPy arrays and translated label dicts in, plotly Figures out.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from aecore.figures.common import METHOD_COLORS, SEQ, base_layout, legend_below, wrap

CLASS_PAIR = ("#0072B2", "#E69F00")  # Okabe & Ito blue / orange: classes 0 and 1


def _arrows(starts: np.ndarray, vectors: np.ndarray, length: float) -> tuple[np.ndarray, np.ndarray]:
    """Line segments with a small head, scaled so the longest arrow has ``length``."""
    norm = np.linalg.norm(vectors, axis=1).max() or 1.0
    v = vectors * (length / norm)
    ends = starts + v
    rot = np.array([[np.cos(2.6), -np.sin(2.6)], [np.sin(2.6), np.cos(2.6)]])
    heads = (v @ rot.T, v @ rot)  # two barbs at ±149° from the shaft, 30 % long
    xs, ys = [], []
    for a, b, h1, h2 in zip(starts, ends, 0.3 * heads[0], 0.3 * heads[1]):
        xs += [a[0], b[0], None, b[0], b[0] + h1[0], None, b[0], b[0] + h2[0], None]
        ys += [a[1], b[1], None, b[1], b[1] + h1[1], None, b[1], b[1] + h2[1], None]
    return np.array(xs, float), np.array(ys, float)


def decision_figure(regions: dict, X: np.ndarray, y: np.ndarray, w_neuron: np.ndarray, names: dict) -> go.Figure:
    """The network's P(class 1) over the plane, its 0.5 boundary, the points, and the
    single neuron's straight boundary wᵀx = 0 for comparison."""
    g1, g2, prob = regions["g1"], regions["g2"], regions["prob"]
    scale = [[0, "#D6E9F8"], [0.5, "#FFFFFF"], [1, "#FBE3C1"]]
    fig = go.Figure(go.Heatmap(x=g1, y=g2, z=prob, colorscale=scale, zmin=0, zmax=1, showscale=False, hoverinfo="skip"))
    fig.add_trace(
        go.Contour(
            x=g1,
            y=g2,
            z=prob,
            contours=dict(start=0.5, end=0.5, coloring="none"),
            showscale=False,
            line=dict(color="#333333", width=3),
            name=names["network"],
            showlegend=True,
            hoverinfo="skip",
        )
    )
    for c in (0, 1):
        pts = X[y == c]
        fig.add_trace(
            go.Scatter(
                x=pts[:, 0],
                y=pts[:, 1],
                mode="markers",
                name=names[f"class{c}"],
                marker=dict(size=5, color=CLASS_PAIR[c], line=dict(width=0.5, color="white")),
            )
        )
    w = np.asarray(w_neuron, float)
    if np.linalg.norm(w) > 0:  # the line wᵀx = 0 runs along (−w₂, w₁)
        d = np.array([-w[1], w[0]]) / np.linalg.norm(w)
        t = np.array([-10.0, 10.0])
        fig.add_trace(
            go.Scatter(
                x=t * d[0],
                y=t * d[1],
                mode="lines",
                name=names["neuron"],
                line=dict(color=METHOD_COLORS["ref"], width=3, dash="dash"),
            )
        )
    fig.update_xaxes(title=names["x1"], range=[g1[0], g1[-1]], constrain="domain")
    fig.update_yaxes(title=names["x2"], range=[g2[0], g2[-1]], scaleanchor="x", constrain="domain")
    return _half_width_layout(fig, names["title"])


def _half_width_layout(fig: go.Figure, title: str) -> go.Figure:
    """Layout for a figure drawn in half the page: the title wrapped (it would be cut
    otherwise, at 1280 px and on a phone), the legend below the plot."""
    title = wrap(title, 38)
    fig = base_layout(fig, title, height=470 + 22 * title.count("<br>"))
    return legend_below(fig, -0.16).update_layout(margin=dict(b=20))


def surface_figure(s: dict, names: dict) -> go.Figure:
    """Contours of the neuron's loss L(w₁, w₂), the arrows of −∇L, and the path of
    gradient descent from its start to its end."""
    w1, w2, path = s["w1"], s["w2"], s["path"]
    fig = go.Figure(
        go.Contour(
            x=w1,
            y=w2,
            z=np.log10(s["loss"]),
            colorscale="Viridis",
            ncontours=24,
            hoverinfo="skip",
            colorbar=dict(title=names["log_loss"], thickness=14),
        )
    )
    span = min(np.ptp(w1), np.ptp(w2)) / 14
    ax, ay = _arrows(s["arrows"], s["descent"], span)
    fig.add_trace(go.Scatter(x=ax, y=ay, mode="lines", name=names["arrows"], line=dict(color="#222222", width=1.5)))
    fig.add_trace(
        go.Scatter(
            x=path[:, 0], y=path[:, 1], mode="lines", name=names["path"], line=dict(color=METHOD_COLORS["ref"], width=3)
        )
    )
    for i, key in ((0, "start"), (-1, "end")):
        fig.add_trace(
            go.Scatter(
                x=[path[i, 0]],
                y=[path[i, 1]],
                mode="markers",
                name=names[key],
                marker=dict(
                    size=12,
                    symbol="circle" if i == 0 else "star",
                    color=METHOD_COLORS["ref"],
                    line=dict(width=1.5, color="white"),
                ),
            )
        )
    fig.update_xaxes(title=names["w1"], range=[w1[0], w1[-1]], constrain="domain")
    fig.update_yaxes(title=names["w2"], range=[w2[0], w2[-1]], scaleanchor="x", constrain="domain")
    return _half_width_layout(fig, names["title"])


def fits_figure(fits: dict, widths: np.ndarray, names: dict) -> go.Figure:
    """The function and one-hidden-layer fits of a few widths (narrowest, middle, widest)."""
    fig = go.Figure(
        go.Scatter(x=fits["x"], y=fits["truth"], mode="lines", name=names["truth"], line=dict(color="#333333", width=5))
    )
    shown = sorted({int(widths[0]), int(widths[len(widths) // 2]), int(widths[-1])})
    for i, w in enumerate(shown):
        fig.add_trace(
            go.Scatter(
                x=fits["x"],
                y=fits[f"w{w}"],
                mode="lines",
                name=names["width"].format(w=w),
                line=dict(color=SEQ[i % len(SEQ)], width=2.5, dash="solid" if w == shown[-1] else "dot"),
            )
        )
    fig.update_xaxes(title_text="x")
    return legend_below(base_layout(fig, wrap(names["fits"], 38), height=400)).update_layout(margin=dict(b=20))


def width_error_figure(widths: np.ndarray, errors: np.ndarray, names: dict) -> go.Figure:
    """Relative error (MSE / Var f) against width, both axes logarithmic. Drawn apart from
    the fits so that the two stack on a phone instead of squeezing side by side."""
    fig = go.Figure(
        go.Scatter(
            x=widths, y=errors, mode="lines+markers", name=names["error"], line=dict(color=METHOD_COLORS["ae"], width=3)
        )
    )
    fig.update_traces(marker=dict(size=9))
    fig.update_xaxes(title_text=names["x_width"], type="log", tickvals=widths)
    fig.update_yaxes(title_text=names["y_error"], type="log", dtick=1)
    return base_layout(fig, wrap(names["errors"], 38), height=400)
