"""Figures a learner clicks: the latent map of a 2-D code and the plane of a curve lesson.

Pure builders: arrays and a dict of translated labels in, a plotly Figure out. A click must
land anywhere, but Plotly reports clicks on points only, so each figure carries a dense grid
of invisible points (``CLICK_GRID`` per axis, trace name ``CLICK``, WebGL, no hover label):
a click selects the nearest one, and the page reads its coordinates from the selection event.
The grid spans the axes' fixed range (no zoom by dragging, so a tap on a phone is a click).
Selection never dims the other traces (their selected and unselected styles are their own).
Arrows are SVG lines ending in an arrowhead (``marker.symbol="arrow"``, ``angleref="previous"``);
the click grid, being invisible, covers nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from aecore.figures.common import CLASS_COLORS, METHOD_COLORS, base_layout

CLICK = "click"  # the name of the invisible click grid's trace
CLICK_GRID = 72  # its points per axis
MARK = "#D55E00"  # the clicked point (Okabe & Ito vermillion, as the drawing's ✖)
COLORS = {"ae": "#0072B2", "cae": "#CC79A7", "shift": "#0072B2", "to_curve": "#009E73", "tangent": "#555555"}


def box(points: np.ndarray, margin: float = 0.08) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) corners of the points' box, widened by ``margin`` of its size on each side."""
    P = np.asarray(points, np.float64)
    lo, hi = P.min(0), P.max(0)
    pad = margin * np.maximum(hi - lo, 1e-6)
    return lo - pad, hi + pad


def click_grid(lo: np.ndarray, hi: np.ndarray, n: int = CLICK_GRID) -> np.ndarray:
    """The n × n points of the click grid over [lo, hi]: (n², 2)."""
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return np.column_stack([g1.ravel(), g2.ravel()])


def _steady(opacity: float) -> dict:
    """Selected and unselected styles equal to the trace's own: a click dims nothing."""
    return dict(selected=dict(marker=dict(opacity=opacity)), unselected=dict(marker=dict(opacity=opacity)))


def _click_layer(fig: go.Figure, lo: np.ndarray, hi: np.ndarray) -> None:
    G = click_grid(lo, hi)
    fig.add_trace(
        go.Scattergl(
            x=G[:, 0],
            y=G[:, 1],
            mode="markers",
            name=CLICK,
            marker=dict(size=8, opacity=0.0, color="#000000"),
            hoverinfo="none",
            showlegend=False,
            **_steady(0.0),
        )
    )


def _frame(fig: go.Figure, lo, hi, names: dict[str, str], height: int, equal: bool) -> go.Figure:
    fig.update_xaxes(title=names["x"], range=[lo[0], hi[0]], zeroline=False, fixedrange=True)
    fig.update_yaxes(title=names["y"], range=[lo[1], hi[1]], zeroline=False, fixedrange=True)
    if equal:  # the plot area shrinks to keep the scale (constrain="domain"): the ranges, and the grid, stay
        fig.update_xaxes(constrain="domain")
        fig.update_yaxes(scaleanchor="x", scaleratio=1, constrain="domain")
    fig.update_layout(dragmode=False, clickmode="event+select", hovermode="closest")
    return base_layout(fig, names["title"], height=height)


def _mark(fig: go.Figure, p, name: str, size: int = 16, symbol: str = "x", color: str = MARK) -> None:
    marker = dict(symbol=symbol, size=size, color=color, line=dict(width=1.5, color="white"))
    fig.add_trace(go.Scattergl(x=[p[0]], y=[p[1]], mode="markers", marker=marker, name=name, hoverinfo="skip"))


def latent_map_figure(
    codes: np.ndarray,
    labels: np.ndarray | None,
    names: dict[str, str],
    point: np.ndarray | None = None,
    path: np.ndarray | None = None,
    at: np.ndarray | None = None,
) -> go.Figure:
    """The training codes (faded, one trace per class) with the click grid; the clicked
    ``point`` as ✖; an interpolation ``path`` (its codes, a line) with the code ``at`` the slider.
    ``names``: title, x, y, data, point, path, at."""
    Y = np.asarray(codes, np.float64)
    extra = [a for a in (point, path, at) if a is not None]
    lo, hi = box(np.vstack([Y, *[np.atleast_2d(a) for a in extra]]))
    fig = go.Figure()
    groups = [(None, np.ones(len(Y), bool))] if labels is None else [(c, labels == c) for c in np.unique(labels)]
    for c, m in groups:
        color = METHOD_COLORS["data"] if c is None else CLASS_COLORS[int(c) % len(CLASS_COLORS)]
        marker = dict(size=4, color=color, opacity=0.35)
        name = names["data"] if c is None else str(c)
        fig.add_trace(
            go.Scattergl(
                x=Y[m, 0], y=Y[m, 1], mode="markers", name=name, marker=marker, hoverinfo="skip", **_steady(0.35)
            )
        )
    _click_layer(fig, lo, hi)
    if path is not None:
        line = dict(color="#000000", width=2, dash="dot")
        P = np.asarray(path, np.float64)
        fig.add_trace(go.Scattergl(x=P[:, 0], y=P[:, 1], mode="lines", line=line, name=names["path"], hoverinfo="skip"))
        _mark(fig, at, names["at"], size=13, symbol="circle", color="#000000")
    if point is not None:
        _mark(fig, point, names["point"])
    return _frame(fig, lo, hi, names, 400, equal=False)


def _arrow(fig: go.Figure, start, vec, name: str, color: str, dash: str = "solid") -> None:
    """An arrow from ``start`` along ``vec`` (SVG: the arrowhead marker points along the line)."""
    s, e = np.asarray(start, np.float64), np.asarray(start, np.float64) + np.asarray(vec, np.float64)
    fig.add_trace(
        go.Scatter(
            x=[s[0], e[0]],
            y=[s[1], e[1]],
            mode="lines+markers",
            name=name,
            line=dict(color=color, width=3, dash=dash),
            marker=dict(symbol=["circle", "arrow"], size=[1, 15], angleref="previous", color=color),
            hoverinfo="skip",
        )
    )


def plane_figure(
    X: np.ndarray,
    curves: Sequence[np.ndarray],
    names: dict[str, str],
    point: np.ndarray | None = None,
    arrows: Sequence[dict] = (),
    dots: Sequence[tuple[str, np.ndarray, str]] = (),
    learned: np.ndarray | None = None,
) -> go.Figure:
    """The data in the plane (faded), the true curve, optionally a ``learned`` curve, all
    above the click grid, the clicked ``point`` (✖), ``arrows`` (dicts: name, start, vec, color, and
    optionally dash) and ``dots`` (name, point, colour). ``names``: title, x, y, data, curve, point, learned."""
    P = np.asarray(X, np.float64)
    lo, hi = box(np.vstack([P, *curves]), margin=0.12)
    fig = go.Figure()
    _click_layer(fig, lo, hi)  # first: the curves are drawn above this invisible cloud
    fig.add_trace(
        go.Scattergl(
            x=P[:, 0],
            y=P[:, 1],
            mode="markers",
            name=names["data"],
            marker=dict(size=4, color=METHOD_COLORS["data"], opacity=0.35),
            hoverinfo="skip",
            **_steady(0.35),
        )
    )
    for i, c in enumerate(curves):
        line = dict(color="#000000", width=1.5)
        fig.add_trace(
            go.Scattergl(
                x=c[:, 0], y=c[:, 1], mode="lines", line=line, name=names["curve"], showlegend=i == 0, hoverinfo="skip"
            )
        )
    if learned is not None:
        line = dict(color=METHOD_COLORS["ae"], width=2.5, dash="dash")
        fig.add_trace(
            go.Scattergl(
                x=learned[:, 0], y=learned[:, 1], mode="lines", line=line, name=names["learned"], hoverinfo="skip"
            )
        )
    for a in arrows:
        _arrow(fig, a["start"], a["vec"], a["name"], a["color"], a.get("dash", "solid"))
    for name, p, color in dots:
        fig.add_trace(
            go.Scatter(
                x=[p[0]], y=[p[1]], mode="markers", name=name, marker=dict(size=11, color=color), hoverinfo="skip"
            )
        )
    if point is not None:
        marker = dict(symbol="x", size=16, color=MARK, line=dict(width=1.5, color="white"))
        fig.add_trace(
            go.Scatter(x=[point[0]], y=[point[1]], mode="markers", marker=marker, name=names["point"], hoverinfo="skip")
        )
    return _frame(fig, lo, hi, names, 440, equal=True)


def effect_figure(effects: np.ndarray, active: np.ndarray, names: dict[str, str]) -> go.Figure:
    """The largest pixel change each latent dimension causes when swept (``aecore.touch.decode.
    dimension_effect``), active dimensions in one colour and inactive ones in another.
    ``names``: title, x, y, active, inactive, and z1, z2, … for the dimensions."""
    e = np.asarray(effects, np.float64)
    on = np.zeros(len(e), bool)
    on[np.asarray(active, int)] = True
    fig = go.Figure()
    for mask, key, color in ((on, "active", METHOD_COLORS["ae"]), (~on, "inactive", METHOD_COLORS["data"])):
        ids = np.flatnonzero(mask)
        fig.add_trace(go.Bar(x=[names[f"z{d + 1}"] for d in ids], y=e[ids], name=names[key], marker_color=color))
    fig.update_xaxes(
        title=names["x"],
        type="category",
        categoryorder="array",
        categoryarray=[names[f"z{d + 1}"] for d in range(len(e))],
    )
    fig.update_yaxes(title=names["y"], rangemode="tozero")
    return base_layout(fig, names["title"], height=300)
