"""Figures of lesson 4 (capacity): reconstruction error on three kinds of input, the
share of a small change each model copies, error against code size, memorisation, and
what the units of each encoder layer respond to.

Pure builders: metric dicts or NumPy arrays and translated label dicts in, plotly Figures out.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from aecore.figures.common import METHOD_COLORS, SEQ, base_layout, image_grid, legend_below, wrap

MODEL_COLORS = {"undercomplete": SEQ[0], "overcomplete": SEQ[1], "mean": METHOD_COLORS["data"]}


def _bar(x: list[str], y: list[float], name: str, color: str, digits: int = 3, where: str = "outside") -> go.Bar:
    """Bars with their values written on them (with a point; ``finish`` gives pt/es their comma)."""
    text = [f"{v:.{digits}g}" for v in y]
    return go.Bar(x=x, y=y, name=name, marker_color=color, text=text, textposition=where)


def error_bars(metrics: dict[str, float], names: dict[str, str]) -> go.Figure:
    """MSE on training images, held-out images and uniform noise for the undercomplete
    model, the overcomplete model and the predict-the-mean baseline (log scale)."""
    parts = ["data", "heldout", "noise"]
    x = [wrap(names[p], 10) for p in parts]
    fig = go.Figure(
        [
            _bar(x, [metrics[f"{m}_{p}_mse"] for p in parts], names[m], MODEL_COLORS[m])
            for m in ("undercomplete", "overcomplete", "mean")
        ]
    )
    fig.update_yaxes(title=names["mse"], type="log", dtick=1)
    fig.update_xaxes(tickangle=0)  # wrapped labels stay level on a phone, clear of the legend
    return legend_below(base_layout(fig, wrap(names["title"], 38), height=400, barmode="group"), -0.2)


def copy_bars(metrics: dict[str, float], names: dict[str, str]) -> go.Figure:
    """Share of a small change passed through, inside and outside the data's directions."""
    parts = [("copy_share", wrap(names["inside"], 16)), ("copy_share_rest", wrap(names["outside"], 16))]
    fig, lowest = go.Figure(), -0.4
    for m in ("undercomplete", "overcomplete"):
        keys = [(f"{m}_{k}", label) for k, label in parts if f"{m}_{k}" in metrics]
        values = [metrics[k] for k, _ in keys]
        lowest = min(lowest, *values)
        # values inside their bars where they fit: above a bar near 1 they would sit on the dashed line
        fig.add_trace(_bar([lab for _, lab in keys], values, names[m], MODEL_COLORS[m], 2, "auto"))
    fig.add_hline(y=1.0, line=dict(dash="dash", color=METHOD_COLORS["ref"]))
    fig.add_hline(y=0.0, line=dict(color="#999999", width=1))
    fig.update_yaxes(title=names["share"], range=[lowest - 0.15, 1.15])
    fig.update_xaxes(tickangle=0)
    return legend_below(base_layout(fig, wrap(names["title"], 38), height=420, barmode="group"), -0.28)


def sweep_figure(sweep: dict[int, tuple[float, float]], input_dim: int, names: dict[str, str]) -> go.Figure:
    """Training and noise MSE against code size k; the input size D marked."""
    ks = sorted(sweep)
    fig = go.Figure()
    for i, part in enumerate(("data", "noise")):
        fig.add_trace(
            go.Scatter(
                x=ks,
                y=[sweep[k][i] for k in ks],
                mode="lines+markers",
                name=names[part],
                line=dict(color=SEQ[i + 2], width=3),
            )
        )
    values = [v for k in ks for v in sweep[k]]
    fig.add_trace(  # k = D as a trace: shapes and their labels disagree about log axes
        go.Scatter(
            x=[input_dim, input_dim],
            y=[min(values), max(values)],
            mode="lines+text",
            text=["", names["d_line"]],
            textposition="top left",
            name=names["d_line"],
            showlegend=False,
            line=dict(dash="dash", color=METHOD_COLORS["ref"], width=2),
        )
    )
    # Ticks at the code sizes and at whole decades only: plotly's default log ticks label
    # 20 and 50 as "2" and "5", which reads as 10, 2, 5, 100.
    fig.update_xaxes(title=names["x"], type="log", tickvals=sorted({*ks, input_dim}))
    spread = max(values) / max(min(values), 1e-12)
    fig.update_yaxes(title=names["mse"], type="log", **({"dtick": 1} if spread >= 10 else {"tickformat": ".2g"}))
    return legend_below(base_layout(fig, wrap(names["title"], 38), height=420), -0.25)


def memorise_bars(metrics: dict[str, float], names: dict[str, str]) -> go.Figure:
    """Training against held-out MSE of the memorising network and of PCA on the same rows."""
    x = [wrap(names["train"], 10), wrap(names["heldout"], 10)]
    series = (("memorise", names["network"], SEQ[3]), ("memorise_pca", names["pca"], METHOD_COLORS["pca"]))
    fig = go.Figure(
        [_bar(x, [metrics[f"{key}_train_mse"], metrics[f"{key}_heldout_mse"]], n, c) for key, n, c in series]
    )
    fig.update_yaxes(title=names["mse"], type="log", dtick=1)
    fig.update_xaxes(tickangle=0)
    return legend_below(base_layout(fig, wrap(names["title"], 38), height=380, barmode="group"), -0.2)


def feature_grid(features: list[np.ndarray], shape: tuple[int, int], names: list[str], title: str) -> go.Figure:
    """One row per encoder layer: what its most variable units respond to, each tile
    rescaled to its own range (contrast, not brightness, is what differs)."""
    rows = {}
    for name, tiles in zip(names, features):
        lo, hi = tiles.min(1, keepdims=True), tiles.max(1, keepdims=True)
        rows[name] = (tiles - lo) / np.where(hi > lo, hi - lo, 1.0)
    return image_grid(rows, shape, title)
