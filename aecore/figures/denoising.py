"""Figures of lesson 7: the denoising field over a 2-D curve, learned vs true score, the
denoiser's Jacobian against σ (Alain & Bengio 2014), PSNR against the noise level and
linear-probe accuracies. Pure builders, no torch."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import METHOD_COLORS, SEQ, base_layout

ARROW = "#0072B2"
TRUE = "#D55E00"


def arrows(
    start: np.ndarray, vec: np.ndarray, head: float = 0.3, head_max: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """x, y of 2-D arrows start → start + vec as NaN-separated segments with two-stroke heads."""
    start, vec = np.asarray(start, float), np.asarray(vec, float)
    tip = start + vec
    length = np.linalg.norm(vec, axis=1, keepdims=True)
    h = head * length if head_max is None else np.minimum(head * length, head_max)
    unit = -vec / np.maximum(length, 1e-12)  # from the tip backwards
    c, s = np.cos(np.radians(25)), np.sin(np.radians(25))
    left = np.column_stack([c * unit[:, 0] - s * unit[:, 1], s * unit[:, 0] + c * unit[:, 1]])
    right = np.column_stack([c * unit[:, 0] + s * unit[:, 1], -s * unit[:, 0] + c * unit[:, 1]])
    nan = np.full((len(start), 2), np.nan)
    pts = np.stack([start, tip, nan, tip + h * left, tip, tip + h * right, nan], 1)  # (n, 7, 2)
    return pts[..., 0].ravel(), pts[..., 1].ravel()


def _curve_traces(fig, curves, tweedie, names, row=None, col=None, legend=True, trace=go.Scatter):
    """The clean curve(s) and Tweedie's E[x | x̃] curve(s); ``trace=go.Scattergl`` over a WebGL
    cloud (plotly draws every WebGL trace above every SVG one)."""
    kw = {} if row is None else {"row": row, "col": col}
    for i, c in enumerate(curves):
        fig.add_trace(
            trace(
                x=c[:, 0],
                y=c[:, 1],
                mode="lines",
                name=names["curve"],
                line=dict(color="black", width=2),
                legendgroup="curve",
                showlegend=legend and i == 0,
            ),
            **kw,
        )
    for i, c in enumerate(tweedie or []):
        fig.add_trace(
            trace(
                x=c[:, 0],
                y=c[:, 1],
                mode="lines",
                name=names["tweedie"],
                line=dict(color=TRUE, width=2, dash="dash"),
                legendgroup="tw",
                showlegend=legend and i == 0,
            ),
            **kw,
        )


def field_figure(a: dict, names: dict[str, str], band: float = 3.0) -> go.Figure:
    """Clean points and corrupted samples beneath; arrows r(x̃) − x̃ at grid points within
    ``band`` σ of the curve, drawn at true length (each arrow ends where the DAE sends x̃)."""
    G, F, sigma = a["grid"], a["field"], a["sigma"]
    dist = a.get("grid_dist")
    show = np.ones(len(G), bool) if dist is None else dist <= band * sigma
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=a["noisy"][:, 0],
            y=a["noisy"][:, 1],
            mode="markers",
            name=names["noisy"],
            marker=dict(size=4, color="#E69F00", opacity=0.35),
        )
    )
    fig.add_trace(
        go.Scattergl(
            x=a["X"][:, 0], y=a["X"][:, 1], mode="markers", name=names["clean"], marker=dict(size=3, color="#777777")
        )
    )
    # curves and arrows in WebGL too, added after the clouds: drawn above them
    _curve_traces(fig, a["curves"], a["tweedie"], names, trace=go.Scattergl)
    step = float(np.ptp(G[:, 0])) / max(np.sqrt(len(G)) - 1, 1)
    xs, ys = arrows(G[show], F[show], head=0.35, head_max=0.4 * step)
    fig.add_trace(
        go.Scattergl(
            x=xs, y=ys, mode="lines", name=names["arrows"], hoverinfo="skip", line=dict(color=ARROW, width=1.6)
        )
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return base_layout(fig, names["title"], height=560)


def score_figure(a: dict, names: dict[str, str]) -> go.Figure:
    """Learned score (r(x̃) − x̃)/σ² beside the true score of p_σ, same grid, same scale."""
    G, near = a["grid"], a["near"]
    learned, true = a["score"][near], a["true_score"][near]
    step = float(np.ptp(G[:, 0])) / max(np.sqrt(len(G)) - 1, 1)
    scale = 0.9 * step / max(np.percentile(np.linalg.norm(true, axis=1), 95), 1e-12)
    fig = make_subplots(1, 2, subplot_titles=(names["learned"], names["true"]), horizontal_spacing=0.05)
    for col, (vec, color) in enumerate(((learned, ARROW), (true, TRUE)), 1):
        _curve_traces(fig, a["curves"], None, names, 1, col, legend=False)
        xs, ys = arrows(G[near], vec * scale, head=0.35, head_max=0.4 * step)
        fig.add_trace(
            go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False, line=dict(color=color, width=1.5)),
            1,
            col,
        )
    fig.update_yaxes(scaleanchor="x", row=1, col=1)
    fig.update_yaxes(scaleanchor="x2", row=1, col=2)
    fig.update_xaxes(matches="x")
    return base_layout(fig, names["title"], height=460)


def psnr_sweep_figure(sweep: dict[str, np.ndarray], levels: dict[str, float], names: dict[str, str]) -> go.Figure:
    """One panel per corruption: PSNR of noisy input, DAE output and PCA against the level."""
    keys = list(sweep)
    fig = make_subplots(1, len(keys), subplot_titles=[names[k] for k in keys], horizontal_spacing=0.07)
    series = (("noisy", 1, METHOD_COLORS["data"]), ("dae", 2, METHOD_COLORS["ae"]), ("pca", 3, METHOD_COLORS["pca"]))
    for col, k in enumerate(keys, 1):
        s = sweep[k]
        for label, j, color in series:
            fig.add_trace(
                go.Scatter(
                    x=s[:, 0],
                    y=s[:, j],
                    mode="lines+markers",
                    name=names[label],
                    line=dict(color=color, width=3),
                    legendgroup=label,
                    showlegend=col == 1,
                ),
                1,
                col,
            )
        fig.add_vline(x=levels[k], line=dict(color=METHOD_COLORS["ref"], dash="dot"), row=1, col=col)
        fig.update_xaxes(title=names[f"x_{k}"], row=1, col=col)
    fig.update_yaxes(title="PSNR (dB)", row=1, col=1)
    fig = base_layout(fig, names["title"], height=400)
    fig.update_layout(margin=dict(t=100), legend=dict(y=1.12))  # clear of the panel titles
    return fig


def jacobian_sweep_figure(sweep: np.ndarray, names: dict[str, str]) -> go.Figure:
    """Mean ‖J_r‖_F on the clean curve against σ: the learned DAEs and the best denoiser.
    sweep rows: (σ, learned, best)."""
    fig = go.Figure()
    for j, key, color, dash in ((2, "best", TRUE, "dash"), (1, "learned", ARROW, None)):
        fig.add_trace(
            go.Scatter(
                x=sweep[:, 0],
                y=sweep[:, j],
                mode="lines+markers",
                name=names[key],
                line=dict(color=color, width=3, dash=dash),
            )
        )
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"])
    fig = base_layout(fig, names["title"], height=360)
    fig.update_layout(margin=dict(t=90), legend=dict(y=1.02))
    return fig


def probe_figure(acc: dict[str, float], title: str, xlabel: str = "accuracy") -> go.Figure:
    """Linear-probe accuracy per feature set: a dot plot with value labels (dots, not bars:
    the axis starts near the smallest accuracy so that close values stay apart, and a bar
    cut short of zero would misstate its length)."""
    labels, values = list(acc), [acc[k] for k in acc]
    fig = go.Figure(
        go.Scatter(
            x=values,
            y=labels,
            mode="markers+text",
            text=[f"{v:.3f}" for v in values],  # with a point; finish() gives pt/es their comma
            textposition="top center",
            marker=dict(color=SEQ[: len(labels)], size=14),
            showlegend=False,
        )
    )
    lo = max(0.0, min(values) - 0.05)
    fig.update_xaxes(range=[lo, 1.0], title=xlabel)
    fig.update_yaxes(range=[len(labels) - 0.5, -1.1])  # reversed, with room for the top label
    return base_layout(fig, title, height=300)


def robust_probe_figure(acc: dict[str, dict[str, tuple[float, float]]], names: dict[str, str]) -> go.Figure:
    """Linear-probe accuracy on clean and on corrupted held-out images, one panel per
    corruption, one pair of bars per feature set: ``acc[corruption][features] = (clean,
    corrupted)``. ``names``: title, clean, corrupted, y. Bars start at 0."""
    fig = make_subplots(rows=1, cols=len(acc), shared_yaxes=True, subplot_titles=list(acc))
    for col, panel in enumerate(acc.values(), start=1):
        for i, (key, color) in enumerate((("clean", SEQ[0]), ("corrupted", SEQ[1]))):
            values = [pair[i] for pair in panel.values()]
            bar = go.Bar(x=list(panel), y=values, name=names[key], marker_color=color, showlegend=col == 1)
            fig.add_trace(bar.update(text=[f"{v:.2f}" for v in values], textposition="outside"), row=1, col=col)
    fig.update_yaxes(range=[0, 1.12])
    fig.update_yaxes(title=names["y"], row=1, col=1)
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=-0.22))
    return base_layout(fig, names["title"], height=380)
