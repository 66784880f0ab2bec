"""Figures of lesson 8 (VAE, the ELBO gap) and the annex: the ELBO split, KL per latent
dimension, posterior ellipses, a decoded latent grid, the true posterior beside q(z|x),
two Gaussian densities, two discrete distributions."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import CLASS_COLORS, METHOD_COLORS, SEQ, base_layout, downsample, tile_images

ACTIVE, INACTIVE = METHOD_COLORS["ae"], "#BBBBBB"


def elbo_split_figure(curves: dict[str, np.ndarray], names: dict[str, str]) -> go.Figure:
    """Per-epoch means of the ELBO's terms on a linear axis (a Gaussian −log p(x|z) can be
    negative: a density above 1)."""
    fig = go.Figure()
    for i, (name, y) in enumerate(curves.items()):
        x, yy = downsample(y)
        fig.add_trace(go.Scatter(x=x, y=yy, mode="lines", name=name, line=dict(color=SEQ[i % len(SEQ)], width=2)))
    fig.update_xaxes(title=names["x"])
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=320)


def kl_per_dim_figure(kl: np.ndarray, threshold: float, names: dict[str, str]) -> go.Figure:
    """Mean KL of each latent dimension (log scale); bars under the threshold are grey."""
    dims = [f"z{j + 1}" for j in range(kl.size)]
    active = kl > threshold
    fig = go.Figure(
        go.Bar(
            x=dims,
            y=np.maximum(kl, 1e-6),
            marker_color=[ACTIVE if a else INACTIVE for a in active],
            text=[f"{v:.3g}" for v in kl],  # written with a point; finish() gives pt/es their comma
            textposition="outside",
            hovertemplate="%{x}: %{y:.4g} nats<extra></extra>",
            showlegend=False,
        )
    )
    # the threshold's name in the legend: a label on the line would overprint the bars that cross it
    fig.add_hline(y=threshold, line=dict(dash="dash", color=METHOD_COLORS["ref"]))
    line = dict(dash="dash", color=METHOD_COLORS["ref"])
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, name=names["threshold"], showlegend=True))
    fig.update_yaxes(type="log", title=names["y"])
    return base_layout(fig, names["title"], height=340)


def kl_history_figure(history: np.ndarray, threshold: float, names: dict[str, str]) -> go.Figure:
    """KL of each dimension per epoch: the collapsing ones sink under the threshold."""
    fig = go.Figure()
    epochs = np.arange(1, history.shape[0] + 1)
    for j in range(history.shape[1]):
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=np.maximum(history[:, j], 1e-6),
                mode="lines",
                name=f"z{j + 1}",
                line=dict(color=SEQ[j % len(SEQ)], width=2),
            )
        )
    fig.add_hline(y=threshold, line=dict(dash="dash", color=METHOD_COLORS["ref"]))
    fig.update_yaxes(type="log", title=names["y"])
    fig.update_xaxes(title=names["x"])
    return base_layout(fig, names["title"], height=340)


def _ellipses(mu: np.ndarray, sigma: np.ndarray, m: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Outlines of axis-aligned ellipses μ ± σ, NaN-separated for one trace."""
    a = np.linspace(0, 2 * np.pi, m)
    xs = mu[:, :1] + sigma[:, :1] * np.cos(a)
    ys = mu[:, 1:2] + sigma[:, 1:2] * np.sin(a)
    nan = np.full((mu.shape[0], 1), np.nan)
    return np.hstack([xs, nan]).ravel(), np.hstack([ys, nan]).ravel()


def posterior_figure(
    mu: np.ndarray, logvar: np.ndarray, labels: np.ndarray, names: dict[str, str], per_class: int = 12
) -> go.Figure:
    """Posterior means of every input by class, ellipses μ ± σ for a few of each class,
    and the prior's 1σ and 2σ circles. All WebGL, lines added after the means (plotly draws
    WebGL above SVG, and WebGL traces in order): the lines stay visible over the cloud."""
    sigma = np.exp(0.5 * logvar)
    fig = go.Figure()
    ellipses = []  # added after every class's means: drawn above all of them
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        color, group = CLASS_COLORS[int(c) % len(CLASS_COLORS)], str(c)
        marker = dict(size=5, color=color, opacity=0.8)
        fig.add_trace(
            go.Scattergl(x=mu[idx, 0], y=mu[idx, 1], mode="markers", name=group, legendgroup=group, marker=marker)
        )
        xs, ys = _ellipses(mu[idx[:per_class]], sigma[idx[:per_class]])
        line = dict(color=color, width=1)
        ellipses.append(
            go.Scattergl(x=xs, y=ys, mode="lines", line=line, hoverinfo="skip", showlegend=False, legendgroup=group)
        )
    fig.add_traces(ellipses)
    a = np.linspace(0, 2 * np.pi, 100)
    for r in (1, 2):
        fig.add_trace(
            go.Scattergl(
                x=r * np.cos(a),
                y=r * np.sin(a),
                mode="lines",
                hoverinfo="skip",
                line=dict(color="#000000", dash="dot", width=1.5),
                name=names["prior"],
                legendgroup="prior",
                legendrank=1,  # first in the legend, as before, though drawn last
                showlegend=r == 1,
            )
        )
    fig.update_xaxes(title="μ₁")
    fig.update_yaxes(title="μ₂", scaleanchor="x")
    fig = base_layout(fig, names["title"], height=520)
    fig.update_layout(legend=dict(orientation="v", x=1.02, y=1, yanchor="top"))
    return fig


def latent_grid_figure(values: np.ndarray, images: np.ndarray, shape: tuple[int, int], title: str) -> go.Figure:
    """Decoded images tiled on the latent grid, axes labelled with the z values."""
    n, (h, w) = values.size, shape
    values = np.where(np.abs(values) < 5e-3, 0.0, values)  # no "-0.00" tick
    grid = tile_images([images[i * n : (i + 1) * n] for i in range(n)], shape)
    fig = go.Figure(go.Heatmap(z=grid, colorscale="gray", zmin=0, zmax=1, showscale=False, hoverinfo="skip"))
    centers = [i * (w + 1) + (w - 1) / 2 for i in range(n)]
    fig.update_xaxes(
        tickmode="array",
        tickvals=centers,
        ticktext=[f"{v:.2f}" for v in values],
        title="z₁",
        showgrid=False,
        zeroline=False,
        tickangle=-60,
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=[i * (h + 1) + (h - 1) / 2 for i in range(n)],
        ticktext=[f"{v:.2f}" for v in values[::-1]],
        title="z₂",
        autorange="reversed",
        showgrid=False,
        zeroline=False,
        scaleanchor="x",
    )
    fig = base_layout(fig, title, height=560)
    fig.update_layout(plot_bgcolor="white")
    return fig


MASS_1SD, MASS_2SD = 1 - np.exp(-0.5), 1 - np.exp(-2.0)  # probability inside a 2-D Gaussian's 1σ, 2σ ellipse


def mass_levels(log_post: np.ndarray, masses=(MASS_1SD, MASS_2SD)) -> list[float]:
    """Densities (cell probabilities) whose upper regions hold ``masses`` of the grid posterior."""
    p = np.sort(np.exp(log_post).ravel())[::-1]
    cum = np.cumsum(p)
    return [float(p[min(np.searchsorted(cum, m), p.size - 1)]) for m in masses]


def _contour(z1, z2, p, level: float, color: str, name: str, show: bool) -> go.Contour:
    return go.Contour(
        x=z1,
        y=z2,
        z=p,
        contours=dict(start=level, end=level, size=1.0, coloring="none"),
        line=dict(color=color, width=2.5),
        showscale=False,
        hoverinfo="skip",
        name=name,
        showlegend=show,
    )


def _view(a: dict, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The part of the grid worth showing: where 99.99 % of the posterior lies, q's 3σ box and
    the importance draws shown."""
    a1, a2 = np.meshgrid(a["grid_z1"], a["grid_z2"])
    keep = p >= mass_levels(np.log(np.maximum(p, 1e-300)), (0.9999,))[0]
    lo = np.minimum([a1[keep].min(), a2[keep].min()], a["q_mu"] - 3 * a["q_sigma"])
    hi = np.maximum([a1[keep].max(), a2[keep].max()], a["q_mu"] + 3 * a["q_sigma"])
    lo, hi = np.minimum(lo, a["is_z"].min(0)), np.maximum(hi, a["is_z"].max(0))
    pad = 0.1 * (hi - lo)
    return lo - pad, hi + pad


def gap_figure(a: dict, names: dict[str, str]) -> go.Figure:
    """The true posterior p(z|x) on its grid (shaded, with the outlines of the regions that
    hold 39 % and 86 % of it) beside q(z|x)'s 1σ and 2σ ellipses (which hold the same
    masses), both means, and the heaviest importance draws."""
    lo, hi = _view(a, np.exp(a["log_post"]))
    c1 = (a["grid_z1"] >= lo[0]) & (a["grid_z1"] <= hi[0])  # the grid cropped to the view
    c2 = (a["grid_z2"] >= lo[1]) & (a["grid_z2"] <= hi[1])
    z1, z2, lp = a["grid_z1"][c1], a["grid_z2"][c2], a["log_post"][np.ix_(c2, c1)]
    p = np.exp(lp)
    fig = go.Figure(go.Heatmap(x=z1, y=z2, z=p / p.max(), colorscale="Blues", showscale=False, hoverinfo="skip"))
    z = a["is_z"]  # the draws first: the outlines are drawn over them
    fig.add_trace(
        go.Scatter(x=z[:, 0], y=z[:, 1], mode="markers", marker=dict(size=3, color="#555555"), name=names["draws"])
    )
    for i, level in enumerate(mass_levels(lp)):
        fig.add_trace(_contour(z1, z2, p, level, METHOD_COLORS["ae"], names["post"], i == 0))
    a_ = np.linspace(0, 2 * np.pi, 120)
    mu, sd = a["q_mu"], a["q_sigma"]
    for r in (1, 2):
        fig.add_trace(
            go.Scatter(
                x=mu[0] + r * sd[0] * np.cos(a_),
                y=mu[1] + r * sd[1] * np.sin(a_),
                mode="lines",
                line=dict(color=METHOD_COLORS["ref"], width=2.5, dash="dash"),
                name=names["q"],
                showlegend=r == 1,
                hoverinfo="skip",
            )
        )
    # p's mean sits in the darkest shading, often on q's mean: a larger ✖ with a white outline and
    # q's mean as a wider ring around it, both drawn over every other trace (zorder)
    post = dict(size=18, color=METHOD_COLORS["ae"], symbol="x", line=dict(color="white", width=2))
    m = a["post_mean"]
    fig.add_trace(go.Scatter(x=[m[0]], y=[m[1]], mode="markers", marker=post, name=names["post_mean"], zorder=1))
    q_mean = dict(size=28, color=METHOD_COLORS["ref"], symbol="circle-open", line=dict(width=3))  # rings the ✖
    fig.add_trace(go.Scatter(x=[mu[0]], y=[mu[1]], mode="markers", marker=q_mean, name=names["q_mean"], zorder=1))
    fig.update_xaxes(title="z₁", range=[lo[0], hi[0]], showgrid=False)
    fig.update_yaxes(title="z₂", range=[lo[1], hi[1]], scaleanchor="x", showgrid=False)
    fig = base_layout(fig, names["title"], height=520)
    fig.update_layout(legend=dict(orientation="h", y=-0.15, yanchor="top"), margin=dict(b=110))
    return fig


def gaussians_figure(mu1: float, s1: float, mu2: float, s2: float, names: dict[str, str]) -> go.Figure:
    """The densities of N(μ₁, σ₁²) (q) and N(μ₂, σ₂²) (p) on a shared axis."""
    lo = min(mu1 - 4 * s1, mu2 - 4 * s2)
    hi = max(mu1 + 4 * s1, mu2 + 4 * s2)
    x = np.linspace(lo, hi, 600)
    fig = go.Figure()
    for m, s, name, color in ((mu1, s1, names["q"], METHOD_COLORS["ae"]), (mu2, s2, names["p"], METHOD_COLORS["pca"])):
        y = np.exp(-0.5 * ((x - m) / s) ** 2) / (s * np.sqrt(2 * np.pi))
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, fill="tozeroy", line=dict(color=color, width=3)))
    fig.update_xaxes(title="z")
    fig.update_yaxes(title=names["y"])
    return base_layout(fig, names["title"], height=320)


def distributions_figure(
    outcomes: list[str], p: np.ndarray, q: np.ndarray, terms_pq: np.ndarray, terms_qp: np.ndarray, names: dict[str, str]
) -> go.Figure:
    """Left: P and Q side by side. Right: each outcome's term of D_KL(P‖Q) and D_KL(Q‖P).
    Each panel has its title in the style of a figure's (bold, at its left edge) and its own
    legend under it (the right panel's is ``legend2``)."""
    fig = make_subplots(1, 2, subplot_titles=(names["dists"], names["terms"]), horizontal_spacing=0.1)
    fig.add_trace(go.Bar(x=outcomes, y=p, name="P", marker_color=METHOD_COLORS["ae"]), 1, 1)
    fig.add_trace(go.Bar(x=outcomes, y=q, name="Q", marker_color=METHOD_COLORS["pca"]), 1, 1)
    right = dict(legend="legend2")  # the right panel's legend, under it
    fig.add_trace(go.Bar(x=outcomes, y=terms_pq, name=names["pq"], marker_color=METHOD_COLORS["tsne"], **right), 1, 2)
    fig.add_trace(go.Bar(x=outcomes, y=terms_qp, name=names["qp"], marker_color=METHOD_COLORS["umap"], **right), 1, 2)
    fig.update_yaxes(title=names["prob"], row=1, col=1)
    fig.update_yaxes(title=names["unit"], row=1, col=2)
    fig = base_layout(fig, height=420, barmode="group")
    for note, axis in zip(fig.layout.annotations, (fig.layout.xaxis, fig.layout.xaxis2)):
        note.update(x=axis.domain[0], xanchor="left", font=dict(size=16, weight="bold"))
    fig.update_layout(legend2=fig.layout.legend.to_plotly_json() | {"x": fig.layout.xaxis2.domain[0]}, margin_t=50)
    return fig
