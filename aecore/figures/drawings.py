"""Two drawings from the lecture's figures, made from the page's own model: the U-Net's U
(Ronneberger, Fischer & Brox 2015: a contracting path, an expanding path, skip connections
between them) with the trained network's real channels and sizes; and which code units fire
for one input in a plain and a sparse autoencoder (the sparse one uses an input-specific
path through the network, the plain one nearly all of it)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures.common import METHOD_COLORS, base_layout

PATH_COLORS = {"down": METHOD_COLORS["ae"], "bottom": "#777777", "up": METHOD_COLORS["pca"], "io": "#bbbbbb"}
STEP_Y = 1.3  # vertical distance between two levels of the U


def unet_levels(shapes: dict[str, tuple[int, int]], in_ch: int = 1) -> list[dict]:
    """The boxes of the U, in its order: input, encoder levels, bottleneck, decoder levels,
    output; each with its channels c, side n, path ("io", "down", "bottom", "up") and level
    (0 = full resolution). ``shapes``: {map name: (channels, side)} as the network computed
    them (``aecore.models.unet.map_shapes``): enc1…encD, bottleneck, decD…dec1, logits."""
    size = shapes["logits"][1]
    level = lambda n: round(math.log2(size / n))  # noqa: E731
    enc = sorted((k for k in shapes if k.startswith("enc")), key=lambda k: int(k[3:]))
    dec = sorted((k for k in shapes if k.startswith("dec")), key=lambda k: -int(k[3:]))
    box = lambda k, path: dict(key=k, c=shapes[k][0], n=shapes[k][1], path=path, level=level(shapes[k][1]))  # noqa: E731
    maps = [dict(key="input", c=in_ch, n=size, path="io", level=0)]
    maps += [box(k, "down") for k in enc] + [box("bottleneck", "bottom")] + [box(k, "up") for k in dec]
    maps.append(dict(box("logits", "io"), key="output"))
    return maps


def _place(maps: list[dict], depth: int) -> None:
    """x, y, half-width and half-height of each map's box: the encoder down the left, the
    decoder up the right; height ∝ side, width ∝ log₂ channels."""
    for i, m in enumerate(maps):
        m["x"] = {"input": -1.0, "output": 2 * depth + 1.0}.get(m["key"], i - 1.0)
        m["y"] = -STEP_Y * m["level"]
        m["hh"] = 0.45 * m["n"] / maps[0]["n"] + 0.08
        m["hw"] = 0.08 + 0.045 * math.log2(m["c"] + 1)


def _arrow(fig: go.Figure, a: dict, b: dict, text: str = "") -> None:
    fig.add_annotation(
        x=b["x"] - (b["hw"] if b["y"] == a["y"] else 0),
        y=b["y"] + (b["hh"] if b["y"] < a["y"] else -b["hh"] if b["y"] > a["y"] else 0),
        ax=a["x"] + (a["hw"] if b["y"] == a["y"] else 0),
        ay=a["y"] - (a["hh"] if b["y"] < a["y"] else -a["hh"] if b["y"] > a["y"] else 0),
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        showarrow=True,
        arrowhead=2,
        arrowwidth=1.5,
        arrowcolor="#444444",
        text="",
    )
    if text:
        fig.add_annotation(
            x=(a["x"] + b["x"]) / 2,
            y=(a["y"] + b["y"]) / 2,
            text=text,
            showarrow=False,
            font=dict(size=11, color="#444444"),
            xshift=-28 if b["y"] < a["y"] else 28,
        )


def unet_diagram(shapes: dict[str, tuple[int, int]], skips: bool, names: dict[str, str]) -> go.Figure:
    """The U of a U-Net from the maps it computes (``unet_levels``). ``names``: title, the
    paths (down, up, bottom, skip), the arrows (pool, up_conv), and ``box`` formatted with
    c (channels) and n (side), e.g. "{c} × {n}×{n}"."""
    maps = unet_levels(shapes)
    depth = max(m["level"] for m in maps)
    _place(maps, depth)
    fig = go.Figure()
    for m in maps:
        color = PATH_COLORS[m["path"]]
        x0, x1, y0, y1 = m["x"] - m["hw"], m["x"] + m["hw"], m["y"] - m["hh"], m["y"] + m["hh"]
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=color, line=dict(color=color), opacity=0.85)
        label = names["box"].format(c=m["c"], n=m["n"])
        fig.add_annotation(x=m["x"], y=y0, yanchor="top", text=label, showarrow=False, font=dict(size=11))
    for a, b in zip(maps, maps[1:]):
        text = names["pool"] if b["y"] < a["y"] else names["up_conv"] if b["y"] > a["y"] else ""
        _arrow(fig, a, b, text)
    if skips:
        for enc in (m for m in maps if m["path"] == "down"):
            dec = next(m for m in maps if m["path"] == "up" and m["level"] == enc["level"])
            fig.add_shape(
                type="line",
                x0=enc["x"] + enc["hw"],
                x1=dec["x"] - dec["hw"],
                y0=enc["y"] + 0.15,
                y1=dec["y"] + 0.15,
                line=dict(color=METHOD_COLORS["tsne"], width=2.5, dash="dash"),
            )
    for key in ("down", "bottom", "up"):  # the legend: one entry per path, and the skips
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=names[key],
                marker=dict(symbol="square", size=12, color=PATH_COLORS[key]),
            )
        )
    if skips:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=names["skip"],
                line=dict(color=METHOD_COLORS["tsne"], width=2.5, dash="dash"),
            )
        )
    fig.update_xaxes(visible=False, range=[-1.6, 2 * depth + 1.6])
    fig.update_yaxes(visible=False, range=[-STEP_Y * depth - 0.9, 0.8])
    fig = base_layout(fig, names["title"], height=380)
    fig.update_layout(plot_bgcolor="white")
    return fig


def _layer(n: int) -> np.ndarray:
    """y positions of n nodes spread over [−1, 1]."""
    return np.linspace(1, -1, n) if n > 1 else np.zeros(1)


def _panel(h: np.ndarray, threshold: float, y_end: np.ndarray) -> list[go.Scatter]:
    """One model's panel: the connections of its firing units, the end nodes, the units."""
    y_unit, on = _layer(h.size), h > threshold
    xs, ys = [], []
    for yu in y_unit[on]:  # input → unit → output, for every firing unit
        for ye in y_end:
            xs += [0.0, 1.0, None, 1.0, 2.0, None]
            ys += [ye, yu, None, yu, ye, None]
    color = PATH_COLORS["down"]
    line = dict(color=color, width=0.6)
    traces = [go.Scattergl(x=xs, y=ys, mode="lines", line=line, opacity=0.35, hoverinfo="skip", showlegend=False)]
    for x in (0.0, 2.0):
        end = dict(size=9, color="#555555")
        traces.append(go.Scatter(x=np.full(y_end.size, x), y=y_end, mode="markers", marker=end, hoverinfo="skip"))
    units = dict(size=5, color=np.where(on, color, "#dddddd"))
    hover = "h = %{customdata:.3f}<extra></extra>"
    traces.append(
        go.Scatter(x=np.ones(h.size), y=y_unit, mode="markers", marker=units, customdata=h, hovertemplate=hover)
    )
    return traces


def active_paths(codes: dict[str, np.ndarray], threshold: float, names: dict[str, str], ends: int = 8) -> go.Figure:
    """One panel per model: ``ends`` input nodes (standing for the pixels), every code unit,
    ``ends`` output nodes; a unit above ``threshold`` for this input is drawn in colour with
    its connections, the others grey and unconnected. ``codes``: model key -> the code (k,)
    of one input; ``names``: a panel title per model key, ``title``, and the columns' ``x``,
    ``h`` and ``xhat``."""
    keys = list(codes)
    fig = make_subplots(rows=1, cols=len(keys), subplot_titles=[names[k] for k in keys], horizontal_spacing=0.06)
    ticks = dict(tickvals=[0, 1, 2], ticktext=[names["x"], names["h"], names["xhat"]], range=[-0.3, 2.3])
    for j, key in enumerate(keys):
        for trace in _panel(np.asarray(codes[key], float), threshold, _layer(ends)):
            fig.add_trace(trace, row=1, col=j + 1)
        fig.update_xaxes(**ticks, showgrid=False, zeroline=False, row=1, col=j + 1)
        fig.update_yaxes(visible=False, row=1, col=j + 1)
    fig = base_layout(fig, names["title"], height=420, showlegend=False)
    fig.update_layout(plot_bgcolor="white")
    return fig
