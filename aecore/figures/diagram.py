"""The home page's one-screen picture of an autoencoder: x → f_θ → h → g_φ → x̂."""

from __future__ import annotations

import plotly.graph_objects as go

from aecore.figures.common import METHOD_COLORS, base_layout


def autoencoder_diagram(labels: dict[str, str]) -> go.Figure:
    """Encoder and decoder as trapezoids around the code (drawn smaller than the input, the
    undercomplete case; the caption says it may also be as large or larger); labels are translated."""
    fig = go.Figure()
    shapes = [  # (x0, x1, half-height left, half-height right, colour)
        (1.0, 3.0, 1.6, 0.5, METHOD_COLORS["ae"]),
        (4.0, 6.0, 0.5, 1.6, METHOD_COLORS["tsne"]),
    ]
    for x0, x1, h0, h1, color in shapes:
        fig.add_trace(
            go.Scatter(
                x=[x0, x1, x1, x0, x0],
                y=[-h0, -h1, h1, h0, -h0],
                fill="toself",
                fillcolor=color,
                opacity=0.85,
                line=dict(color=color),
                hoverinfo="skip",
                mode="lines",
            )
        )
    fig.add_shape(
        type="rect",
        x0=3.2,
        x1=3.8,
        y0=-0.45,
        y1=0.45,
        fillcolor=METHOD_COLORS["pca"],
        line=dict(color=METHOD_COLORS["pca"]),
    )
    _texts(fig, labels)
    _arrows(fig)
    fig.update_xaxes(visible=False, range=[0, 7])
    fig.update_yaxes(visible=False, range=[-2.5, 2.0])
    fig = base_layout(fig, height=300, showlegend=False)
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=0))
    return fig


def _texts(fig: go.Figure, labels: dict[str, str]) -> None:
    """The symbols and names inside and under the three blocks."""
    for x, y, key, size in [
        (0.45, 0, "x", 28),
        (2.0, 0, "encoder", 17),
        (3.5, 0, "h", 24),
        (5.0, 0, "decoder", 17),
        (6.55, 0, "xhat", 28),
        (2.0, -2.05, "encoder_note", 14),
        (3.5, -2.05, "code_note", 14),
        (5.0, -2.05, "decoder_note", 14),
    ]:
        color = "white" if key in ("encoder", "decoder") else "#222222"
        fig.add_annotation(x=x, y=y, text=labels[key], showarrow=False, font=dict(size=size, color=color))


def _arrows(fig: go.Figure) -> None:
    """x flows into the encoder, x̂ out of the decoder."""
    for x0, x1 in [(0.7, 1.0), (6.0, 6.3)]:
        fig.add_annotation(
            x=x1,
            y=0,
            ax=x0,
            ay=0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowwidth=2,
            text="",
        )
