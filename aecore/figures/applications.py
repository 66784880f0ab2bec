"""Figures of lesson 9: segmentation and feature maps, anomaly scores and ROC, SAE features."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import CLASS_COLORS, METHOD_COLORS, SEQ, base_layout


def feature_maps_figure(maps: dict[str, np.ndarray], layers: list[str], channels: int, title: str = "") -> go.Figure:
    """One row per layer, its first ``channels`` maps (each scaled to its own range)."""
    fig = make_subplots(len(layers), channels, row_titles=layers, horizontal_spacing=0.01, vertical_spacing=0.03)
    for r, name in enumerate(layers, 1):
        stack = maps[name]
        for c in range(min(channels, stack.shape[0])):
            fig.add_trace(
                go.Heatmap(z=stack[c], colorscale="Viridis", showscale=False, hoverinfo="skip"),
                r,
                c + 1,
            )
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed")
    fig = base_layout(fig, title, height=120 + 105 * len(layers))
    fig.update_layout(margin=dict(l=10, r=110, t=50 if title else 10, b=10))
    return fig


def score_histograms_figure(
    scores: np.ndarray, labels: np.ndarray, anomalous: np.ndarray, classes: np.ndarray, names: dict[str, str]
) -> go.Figure:
    """Small multiples, five per row: the distribution of log10 scores of each class."""
    logs = np.log10(np.maximum(scores, 1e-12))
    bins = dict(start=float(logs.min()), end=float(logs.max()), size=float(np.ptp(logs) / 30 or 0.1))
    cols, rows = min(5, len(classes)), -(-len(classes) // 5)
    fig = make_subplots(
        rows,
        cols,
        shared_xaxes=True,
        subplot_titles=[str(c) for c in classes],
        vertical_spacing=0.32 / rows,
        horizontal_spacing=0.03,
    )
    shown: set[bool] = set()
    for i, c in enumerate(classes):
        sel = labels == c
        if not sel.any():
            continue
        bad = bool(anomalous[sel][0])
        fig.add_trace(
            go.Histogram(
                x=logs[sel],
                xbins=bins,
                name=names["anomaly" if bad else "normal"],
                marker_color=METHOD_COLORS["pca" if bad else "ae"],
                legendgroup=str(bad),
                showlegend=bad not in shown,
            ),
            i // 5 + 1,
            i % 5 + 1,
        )
        shown.add(bad)
    fig.update_xaxes(title_text=names["x"], row=rows)
    fig = base_layout(fig, names["title"], height=150 + 150 * rows, bargap=0.05)
    return fig.update_layout(legend=dict(y=1.0 + 0.16 / rows), margin=dict(t=95))  # above the panel titles


def roc_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]], names: dict[str, str]) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name=names["chance"],
            line=dict(color="#999999", dash="dot"),
        )
    )
    for i, (label, (fpr, tpr)) in enumerate(curves.items()):
        fig.add_trace(
            go.Scatter(
                x=fpr,
                y=tpr,
                mode="lines",
                name=label,
                line_shape="hv",
                line=dict(color=[METHOD_COLORS["ae"], METHOD_COLORS["pca"]][i % 2], width=3),
            )
        )
    fig.update_xaxes(title=names["x"], range=[0, 1])
    fig.update_yaxes(title=names["y"], range=[0, 1.02], scaleanchor="x")
    return base_layout(fig, names["title"], height=430)


def activation_histogram(values: np.ndarray, names: dict[str, str]) -> go.Figure:
    fig = go.Figure(go.Histogram(x=values, nbinsx=30, marker_color=SEQ[0]))
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=320)


def logit_effect_figure(effect: np.ndarray, classes: np.ndarray, names: dict[str, str]) -> go.Figure:
    """Bars: how much each class logit moves per unit activation of the feature."""
    fig = go.Figure(
        go.Bar(
            x=[str(c) for c in classes],
            y=effect,
            marker_color=[CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(effect.size)],
        )
    )
    fig.update_xaxes(title=names["x"], type="category")
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=320)


def feature_density_figure(freq: np.ndarray, selected: int, names: dict[str, str]) -> go.Figure:
    """Every feature's firing frequency (sorted, log scale); dead ones sit at the bottom."""
    order = np.argsort(-freq, kind="stable")
    shown = np.maximum(freq[order], 1e-4)
    colors = np.where(freq[order] > 0, SEQ[0], METHOD_COLORS["ref"]).tolist()
    fig = go.Figure(
        go.Bar(
            x=np.arange(freq.size),
            y=shown,
            marker_color=colors,
            customdata=order,
            hovertemplate=names["hover"] + " %{customdata}: %{y:.3f}<extra></extra>",
        )
    )
    rank = int(np.flatnonzero(order == selected)[0])
    fig.add_vline(x=rank, line=dict(color="#000000", dash="dash"), annotation_text=names["selected"])
    fig.update_yaxes(type="log", title=names["y"])
    fig.update_xaxes(title=names["x"])
    return base_layout(fig, names["title"], height=320)
