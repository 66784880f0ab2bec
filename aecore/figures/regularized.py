"""Figures of lessons 5-6: sparse codes, contractive Jacobians (lesson 4: figures/capacity.py).

Pure builders: NumPy arrays and label dicts in, plotly Figures out.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import METHOD_COLORS, SEQ, base_layout, data_points, tile_images

PAIR = {"ae": METHOD_COLORS["pca"], "cae": METHOD_COLORS["ae"]}


# --- sparse -----------------------------------------------------------------------------


def activation_histograms(
    codes: dict[str, np.ndarray], names: dict[str, str], active: float = 0.1, bins: int = 40
) -> go.Figure:
    """One histogram of all code activations per penalty, counts on a log scale; the
    'on' threshold dotted. Sigmoid codes span [0, 1]; ReLU codes up to their 99.9th percentile."""
    keys = list(codes)
    fig = make_subplots(
        1,
        len(keys),
        shared_yaxes=True,
        horizontal_spacing=0.02,
        subplot_titles=[names[k] for k in keys],
    )
    top = max(1.0, float(max(np.percentile(c, 99.9) for c in codes.values())))
    edges = np.linspace(0.0, top, bins + 1)
    centers = (edges[:-1] + edges[1:]) / 2
    for i, k in enumerate(keys, 1):
        counts, _ = np.histogram(np.clip(codes[k], 0, top), edges)
        fig.add_trace(
            go.Bar(
                x=centers,
                y=np.maximum(counts, 0.8),
                width=top / bins,
                marker_color=SEQ[i - 1],
                showlegend=False,
            ),
            1,
            i,
        )
        fig.add_vline(x=active, line=dict(dash="dot", color="#555555"), row=1, col=i)
        fig.update_xaxes(title=names["x"], range=[0, top], row=1, col=i)
    fig.update_yaxes(type="log", title=names["y"], row=1, col=1)
    return base_layout(fig, names["title"], height=340)


def rho_hat_figure(codes: dict[str, np.ndarray], rho: float, names: dict[str, str]) -> go.Figure:
    """Per-unit mean activation ρ̂_j, units sorted, one line per penalty; the target ρ dashed."""
    fig = go.Figure()
    for i, (k, H) in enumerate(codes.items()):
        r = np.sort(H.mean(0))[::-1]
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, r.size + 1),
                y=np.maximum(r, 1e-5),
                mode="lines",
                name=names[k],
                line=dict(color=SEQ[i], width=3),
            )
        )
    units = max(H.shape[1] for H in codes.values())
    fig.add_trace(  # a legend entry, not an annotation: hline annotations land wrong on log axes
        go.Scatter(
            x=[1, units],
            y=[rho, rho],
            mode="lines",
            name=names["target"],
            line=dict(dash="dash", color=METHOD_COLORS["ref"]),
        )
    )
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"], type="log")
    fig = base_layout(fig, names["title"], height=400)
    fig.update_layout(margin=dict(t=100), legend=dict(y=1.02))  # a two-line legend clear of the title
    return fig


def penalty_gradient_figure(
    rho: float, beta: float, alpha: float, rho_hats: dict[str, np.ndarray], names: dict[str, str]
) -> go.Figure:
    """∂Ω/∂ρ̂ against ρ̂ (log x): KL's β(−ρ/ρ̂ + (1−ρ)/(1−ρ̂)) and L1's constant α, with
    each trained model's units marked at their ρ̂ⱼ (rho_hats: "kl" and/or "l1")."""
    lo = min(rho / 50, *(max(float(r.min()), 1e-6) for r in rho_hats.values()))
    q = np.logspace(np.log10(lo), np.log10(0.95), 300)
    kl = beta * (-rho / q + (1 - rho) / (1 - q))
    bottom = float(beta * (-rho / (rho / 20) + 1))  # the KL pull at ρ/20, the plot's floor
    top = max(3 * alpha, float(kl[-1]) * 0.3, 0.05 * abs(bottom))
    fig = go.Figure()
    for key, color in (("kl", SEQ[2]), ("l1", SEQ[1])):  # the units first: the curves are drawn over them
        if key in rho_hats:
            r = np.maximum(rho_hats[key], lo)
            y = beta * (-rho / r + (1 - rho) / (1 - r)) if key == "kl" else np.full_like(r, alpha)
            fig.add_trace(
                go.Scatter(
                    x=r,
                    y=np.clip(y, bottom, top),  # a unit off the scale sits at its edge
                    mode="markers",
                    name=names[f"units_{key}"],
                    marker=dict(color=color, size=7, symbol="line-ns-open"),
                )
            )
    shown = (kl >= bottom) & (kl <= top)  # KL's pull diverges at both ends: drawn where the axis is
    fig.add_trace(go.Scatter(x=q[shown], y=kl[shown], mode="lines", name=names["kl"], line=dict(color=SEQ[2], width=3)))
    fig.add_trace(
        go.Scatter(x=q, y=np.full_like(q, alpha), mode="lines", name=names["l1"], line=dict(color=SEQ[1], width=3))
    )
    fig.add_hline(y=0, line=dict(color="#555555", width=1))
    fig.add_vline(x=rho, line=dict(dash="dash", color=METHOD_COLORS["ref"]))
    fig.update_xaxes(title=names["x"], type="log")
    fig.update_yaxes(title=names["y"], range=[bottom, top])
    fig = base_layout(fig, names["title"], height=400)
    fig.update_layout(margin=dict(t=90), legend=dict(y=1.02))
    return fig


def normalize_images(images: np.ndarray) -> np.ndarray:
    """Each image scaled to [0, 1] on its own (decoder columns have arbitrary scale and sign)."""
    lo = images.min(1, keepdims=True)
    span = np.maximum(images.max(1, keepdims=True) - lo, 1e-12)
    return (images - lo) / span


def feature_grid(
    features: np.ndarray, shape: tuple[int, int], title: str, ncols: int = 16, most: int = 64
) -> go.Figure:
    """Decoder columns (one per code unit) drawn as images, ``ncols`` per row."""
    F = normalize_images(np.asarray(features, float)[:most])
    rows = [F[i : i + ncols] for i in range(0, F.shape[0], ncols)]
    grid = tile_images(rows, shape)
    fig = go.Figure(go.Heatmap(z=grid, colorscale="gray", zmin=0, zmax=1, showscale=False, hoverinfo="skip"))
    fig.update_yaxes(autorange="reversed", showticklabels=False, showgrid=False, zeroline=False, scaleanchor="x")
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig = base_layout(fig, title, height=60 + 85 * len(rows))
    fig.update_layout(plot_bgcolor="white", margin=dict(l=10, r=10, t=40, b=10))
    return fig


# --- contractive ------------------------------------------------------------------------


def jacobian_histogram(values: dict[str, np.ndarray], names: dict[str, str]) -> go.Figure:
    """Distributions of ‖J_f(x)‖_F over the data, plain AE against CAE."""
    fig = go.Figure()
    for k, v in values.items():
        fig.add_trace(go.Histogram(x=v, name=names[k], opacity=0.7, nbinsx=50, marker_color=PAIR[k]))
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=340, barmode="overlay")


def perturbation_figure(eps: np.ndarray, dist: dict[str, np.ndarray], names: dict[str, str]) -> go.Figure:
    """Mean code distance ‖f(x + εu) − f(x)‖ against the perturbation size ε (log-log)."""
    fig = go.Figure()
    for k, d in dist.items():
        fig.add_trace(go.Scatter(x=eps, y=d, mode="lines+markers", name=names[k], line=dict(color=PAIR[k], width=3)))
    fig.update_xaxes(title=names["x"], type="log")
    fig.update_yaxes(title=names["y"], type="log")
    return base_layout(fig, names["title"], height=340)


def norms_figure(norms: dict[str, dict[str, float]], names: dict[str, str]) -> go.Figure:
    """‖W_enc‖, ‖W_dec‖ and mean Jacobian norms of the encoder and of the whole map."""
    keys = ["w_enc", "w_dec", "jac_f", "jac_map"]
    fig = go.Figure()
    for k, vals in norms.items():
        ys = [vals[q] for q in keys]
        fig.add_trace(
            go.Bar(
                x=[names[q] for q in keys],
                y=ys,
                name=names[k],
                marker_color=PAIR[k],
                text=[f"{v:.3g}" for v in ys],
                textposition="outside",
            )
        )
    fig.update_yaxes(type="log", title=names["y"])
    return base_layout(fig, names["title"], height=360, barmode="group")


def curve_jacobian_figure(
    X: np.ndarray,
    points: np.ndarray,
    dirs: dict[str, tuple[np.ndarray, np.ndarray]],
    names: dict[str, str],
    length: float = 0.25,
) -> go.Figure:
    """At points on the curve, the right-singular directions of J_f as crossed segments.

    dirs[model] = (V (m, 2, 2) rows v₁, v₂; S (m, 2) singular values). Each segment is
    v_i · s_i / s₁, so the longer bar is the direction the code follows and the short
    one shows how much the code changes across it."""
    keys = list(dirs)
    fig = make_subplots(1, len(keys), subplot_titles=[names[k] for k in keys], horizontal_spacing=0.05)
    for c, k in enumerate(keys, 1):
        V, S = dirs[k]
        fig.add_trace(data_points(X, names["data"], "#BBBBBB", size=3, legend=c == 1), 1, c)
        for i, (label, color) in enumerate((("dir1", PAIR["cae"]), ("dir2", METHOD_COLORS["ref"]))):
            half = length * (S[:, i] / S[:, 0])[:, None] * V[:, i, :]
            a, b = points - half, points + half
            n = len(points)
            xs = np.column_stack([a[:, 0], b[:, 0], np.full(n, np.nan)]).ravel()
            ys = np.column_stack([a[:, 1], b[:, 1], np.full(n, np.nan)]).ravel()
            fig.add_trace(
                go.Scattergl(  # WebGL like the cloud, added after it: drawn above it
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=names[label],
                    line=dict(color=color, width=3),
                    showlegend=c == 1,
                ),
                1,
                c,
            )
        fig.update_yaxes(scaleanchor=f"x{c if c > 1 else ''}", row=1, col=c)
    fig = base_layout(fig, names["title"], height=500)
    # legend under the panels: above them it would cover the subplot titles
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.08, x=0), margin=dict(t=70, b=70))
    return fig
