"""Figures of lessons 1-3: the 1-D code of a curve, linear AE vs PCA, 2-D maps."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import CLASS_COLORS, METHOD_COLORS, SEQ, base_layout, data_points, log_floor, log_range


def _segments(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y of line segments A_i → B_i separated by NaN (one trace, thousands of lines)."""
    n = A.shape[0]
    xs = np.column_stack([A[:, 0], B[:, 0], np.full(n, np.nan)]).ravel()
    ys = np.column_stack([A[:, 1], B[:, 1], np.full(n, np.nan)]).ravel()
    return xs, ys


def curve_fit_figure(
    X, recon_ae, recon_pca, curve, titles: tuple[str, str], names: dict[str, str], max_links: int = 300
) -> go.Figure:
    """Left: points, their AE reconstructions and the learned curve g(z). Right: PCA."""
    fig = make_subplots(1, 2, subplot_titles=titles, horizontal_spacing=0.06)
    step = max(1, X.shape[0] // max_links)
    pca_line = recon_pca[np.argsort(recon_pca[:, 0])]
    for col, (rec, line, color) in enumerate(
        [(recon_ae, curve, METHOD_COLORS["ae"]), (recon_pca, pca_line, METHOD_COLORS["pca"])], 1
    ):
        fig.add_trace(data_points(X, names["data"], METHOD_COLORS["data"], legend=col == 1), 1, col)
        xs, ys = _segments(X[::step], rec[::step])
        fig.add_trace(
            go.Scattergl(  # WebGL draws above SVG: every trace here is WebGL so the order holds
                x=xs,
                y=ys,
                mode="lines",
                name=names["link"],
                hoverinfo="skip",
                line=dict(color="#BBBBBB", width=1),
                showlegend=col == 1,
            ),
            1,
            col,
        )
        fig.add_trace(
            go.Scattergl(
                x=line[:, 0],
                y=line[:, 1],
                mode="lines",
                name=names["ae" if col == 1 else "pca"],
                line=dict(color=color, width=4),
            ),
            1,
            col,
        )
    fig.update_yaxes(scaleanchor="x", row=1, col=1)
    fig.update_yaxes(scaleanchor="x2", row=1, col=2)
    fig = base_layout(fig, height=470)
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.08, x=0), margin=dict(t=40, b=20))
    return fig


WIDE_SPECTRUM = 100  # more eigenvalues than this: a log index axis, where the first k keep their width


def spectrum_figure(eigvals: np.ndarray, k: int, names: dict[str, str]) -> go.Figure:
    """Eigenvalues of the covariance; the discarded tail (its sum / D is the least MSE) shaded.
    Numerically zero eigenvalues (constant pixels give λ ≈ 1e-17, or slightly < 0) sit at the
    log axis' floor, ``MAX_DECADES`` below the largest. Over ``WIDE_SPECTRUM`` eigenvalues the
    index axis is logarithmic: on 784 pixels the 8 kept bars then take a third of the width."""
    idx = np.arange(1, eigvals.size + 1)
    eigvals = log_floor(eigvals)
    fig = go.Figure(
        [
            go.Bar(x=idx[:k], y=eigvals[:k], name=names["kept"], marker_color=METHOD_COLORS["ae"]),
            go.Bar(
                x=idx[k:],
                y=eigvals[k:],
                name=names["discarded"],
                marker_color=METHOD_COLORS["pca"],
                marker_pattern_shape="/",
            ),
        ]
    )
    if eigvals.size > WIDE_SPECTRUM:  # 784 bars of a pixel each: the k kept ones would vanish
        ticks = [2**i for i in range(int(math.log2(eigvals.size)) + 1)] + [eigvals.size]
        fig.update_xaxes(
            type="log", tickvals=ticks, ticktext=[str(v) for v in ticks], range=[-0.35, math.log10(idx[-1] + 0.5)]
        )
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"], type="log", range=log_range(eigvals))
    fig = base_layout(fig, names["title"], height=360, bargap=0.1)
    fig.update_layout(
        legend=dict(orientation="h", yanchor="top", y=-0.22, x=0)
    )  # long labels: below, not over the title
    return fig


def angle_trace_figure(
    trace: np.ndarray, names: dict[str, str], rate: float | None = None, limit: float | None = None
) -> go.Figure:
    """Largest principal angle during training (log axis), with the claim's ``limit`` (degrees)
    dashed. With ``rate`` = λ_k/λ_{k+1}, also the line ALS's theory predicts from the first
    point: tan θ_t = tan θ_1 · rate^−(t−1)."""
    fig = go.Figure(
        go.Scatter(
            x=trace[:, 0],
            y=np.maximum(trace[:, 1], 1e-4),
            mode="lines",
            name=names.get("measured", ""),
            line=dict(color=METHOD_COLORS["linear"], width=3),
        )
    )
    if rate is not None and len(trace) and rate > 1:
        t, first = trace[:, 0], np.radians(min(trace[0, 1], 89.9))
        pred = np.degrees(np.arctan(np.tan(first) * rate ** -(t - t[0])))
        fig.add_trace(
            go.Scatter(
                x=t,
                y=np.maximum(pred, 1e-4),
                mode="lines",
                name=names["rate"],
                line=dict(color=METHOD_COLORS["ref"], dash="dot", width=2),
            )
        )
    if limit is not None:
        fig.add_hline(y=limit, line=dict(dash="dash", color=METHOD_COLORS["ref"]), annotation_text=names["limit"])
    fig.update_yaxes(type="log", title=names["y"])
    fig.update_xaxes(title=names["x"])
    fig.update_layout(showlegend=rate is not None, legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    return base_layout(fig, names["title"], height=300)


def gram_figure(G: np.ndarray, title: str) -> go.Figure:
    k = G.shape[0]
    fig = go.Figure(
        go.Heatmap(
            z=G,
            x=list(range(1, k + 1)),
            y=list(range(1, k + 1)),
            colorscale="RdBu",
            zmid=0,
            texttemplate="%{z:.2f}" if k <= 10 else None,
        )
    )
    every = dict(dtick=1) if k <= 10 else {}  # one tick a row and column, numbered 1 … k on both axes
    fig.update_xaxes(constrain="domain", **every)
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain", **every)
    return base_layout(fig, title, height=340)


def error_vs_k_figure(pca_curve: np.ndarray, sweep: dict[int, float], names: dict[str, str]) -> go.Figure:
    """PCA's least MSE for every k (0 at k = rank: drawn at the log axis' floor) and the deep AE's
    error at the swept k."""
    kk = sorted(sweep)
    shown = log_floor(np.concatenate([np.asarray(pca_curve, float), [sweep[k] for k in kk]]))
    pca_curve, deep = shown[: len(pca_curve)], shown[len(pca_curve) :]
    ks = np.arange(1, pca_curve.size + 1)
    fig = go.Figure(
        go.Scatter(x=ks, y=pca_curve, mode="lines", name=names["pca"], line=dict(color=METHOD_COLORS["pca"], width=3))
    )
    if sweep:
        fig.add_trace(
            go.Scatter(
                x=kk,
                y=deep,
                mode="lines+markers",
                name=names["deep"],
                line=dict(color=METHOD_COLORS["deep"], width=3),
            )
        )
    ticks = [2**i for i in range(int(math.log2(ks.size)) + 1)]  # 1, 2, 4, … up to the data's size D
    ticks += [ks.size] if ks.size not in ticks else []
    fig.update_xaxes(title=names["x"], type="log", tickvals=ticks, ticktext=[str(k) for k in ticks])
    fig.update_yaxes(title=names["y"], type="log", range=log_range(shown))
    return base_layout(fig, names["title"], height=320)


def map_figure(
    Y: np.ndarray, labels: np.ndarray, title: str, selected: np.ndarray | None = None, box: np.ndarray | None = None
) -> go.Figure:
    """A 2-D map coloured by label; selected points ringed, the others faded.
    ``box`` ((2, 2): rows min, max) fixes the axes, e.g. across a training timeline."""
    fig = go.Figure()
    sel = np.zeros(len(Y), bool)
    if selected is not None and len(selected):
        sel[np.asarray(selected, int)] = True
    for c in np.unique(labels):
        m = labels == c
        fig.add_trace(
            go.Scattergl(
                x=Y[m, 0],
                y=Y[m, 1],
                mode="markers",
                name=str(c),
                customdata=np.nonzero(m)[0],
                marker=dict(
                    size=5,
                    color=CLASS_COLORS[int(c) % len(CLASS_COLORS)],
                    opacity=np.where(sel[m], 1.0, 0.25 if sel.any() else 0.8),
                    line=dict(width=np.where(sel[m], 1.5, 0), color="black"),
                ),
                hovertemplate="#%{customdata}<extra>" + str(c) + "</extra>",
            )
        )
    fig.update_xaxes(showticklabels=False, range=None if box is None else list(box[:, 0]))
    fig.update_yaxes(showticklabels=False, range=None if box is None else list(box[:, 1]))
    fig = base_layout(fig, title, height=330, dragmode="lasso")
    fig.update_layout(
        legend=dict(orientation="v", x=1.01, y=1.0, yanchor="top", font=dict(size=12)),
        margin=dict(l=10, r=10, t=45, b=10),
    )
    return fig


def scaling_figure(metrics: dict[str, float], names: dict[str, str]) -> go.Figure:
    fig = go.Figure()
    for m in ("ae", "pca", "tsne", "umap"):
        pts = sorted((int(k.split("_n")[-1]), v) for k, v in metrics.items() if k.startswith(f"{m}_seconds_n"))
        if pts:
            fig.add_trace(
                go.Scatter(
                    x=[p[0] for p in pts],
                    y=[max(p[1], 1e-3) for p in pts],
                    mode="lines+markers",
                    name=names[m],
                    line=dict(color=METHOD_COLORS[m], width=3),
                )
            )
    fig.update_xaxes(title=names["x"], type="log")
    fig.update_yaxes(title=names["y"], type="log")
    return base_layout(fig, names["title"], height=320)


def timeline_box(codes: np.ndarray) -> np.ndarray:
    """Axis limits (2, 2) holding every snapshot's map, with a 5 % margin."""
    lo, hi = codes.reshape(-1, 2).min(0), codes.reshape(-1, 2).max(0)
    pad = 0.05 * np.maximum(hi - lo, 1e-6)
    return np.stack([lo - pad, hi + pad])


def code_histograms(codes: np.ndarray, box: np.ndarray, names: dict[str, str], bins: int = 40) -> go.Figure:
    """Histograms of the two code coordinates h₁, h₂ on the same fixed bins (spanning ``box``)."""
    fig = go.Figure()
    edges = np.linspace(box[0].min(), box[1].max(), bins + 1)
    for j in range(2):
        counts, _ = np.histogram(codes[:, j], edges)
        fig.add_trace(
            go.Bar(
                x=(edges[:-1] + edges[1:]) / 2,
                y=counts,
                name=names[f"h{j + 1}"],
                marker_color=SEQ[j],
                opacity=0.75,
                width=edges[1] - edges[0],
            )
        )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=300)


def decoder_ratio_figure(linear: dict[str, float], nonlinear: dict[str, float], names: dict[str, str]) -> go.Figure:
    """Each decoder's error as a multiple of PCA's (horizontal bars; linear decoders and
    non-linear ones in two colours) against a line at 1, PCA's least error. ``names``: title,
    x, linear, nonlinear, pca."""
    fig = go.Figure()
    for values, key, color in ((linear, "linear", SEQ[0]), (nonlinear, "nonlinear", SEQ[5])):
        text = [f"{v:.3f}×" for v in values.values()]
        fig.add_bar(x=list(values.values()), y=list(values), orientation="h", name=names[key], marker_color=color)
        fig.data[-1].update(text=text, textposition="outside")
    fig.add_vline(
        x=1.0, line=dict(color="#000000", dash="dash"), annotation_text=names["pca"], annotation_position="bottom right"
    )
    top = max([*linear.values(), *nonlinear.values(), 1.0])
    fig.update_xaxes(range=[0, 1.25 * top], title=names["x"])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(legend=dict(orientation="h", y=-0.25))
    return base_layout(fig, names["title"], height=330)
