"""The shared layout (``aecore.figures.common``) and the checks that find broken-looking
charts and texts (``tests/figure_checks.py``): each check catches the case it was written
for, and the layout passes them. Every catalog text, in every language, is free of raw TeX
outside one-line ``$…$`` (metric labels: no TeX at all) and of e-notation numbers."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from aecore.figures.common import (
    MAX_DECADES,
    TITLE_CHARS,
    base_layout,
    finish,
    fix_log_annotations,
    log_floor,
    log_range,
    loss_figure,
    wrap_title,
)
from aecore.figures.legible import readable_axes
from tests.figure_checks import figure_problems, text_problems
from ui.kit.i18n import catalog

LANGS = ("en", "pt", "es")
PT_TITLE = "Distribuição das duas coordenadas do código ao longo do treinamento completo"


def as_json(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


# ------------------------------------------------------------------ the checks catch the reported cases


def test_a_label_of_a_line_on_a_log_axis_is_caught_and_fixed():
    """Lesson 4's 'Error against code size': add_vline(x=64, annotation_text=...) on a log x axis
    put the label at 10⁶⁴ (plotly reads annotation positions on log axes as log10)."""
    fig = go.Figure(go.Scatter(x=[2, 4, 8, 256], y=[0.1, 0.05, 0.02, 0.001]))
    fig.update_xaxes(type="log")
    fig.add_vline(x=64, annotation_text="k = D")
    problems = figure_problems(as_json(fig))
    assert any("decades" in p for p in problems) and any("stretches" in p for p in problems), problems
    assert figure_problems(as_json(readable_axes(fix_log_annotations(fig)))) == []
    assert fig.layout.annotations[0].x == pytest.approx(np.log10(64))


def test_the_degree_axis_stretched_by_its_threshold_label_is_caught():
    """Lesson 2: add_hline(y=3, annotation_text='3°') on a log angle axis ran to 1 000°."""
    fig = go.Figure(go.Scatter(x=np.arange(50), y=np.geomspace(89, 0.2, 50)))
    fig.update_yaxes(type="log")
    fig.add_hline(y=3, annotation_text="3°")
    assert any("stretches" in p for p in figure_problems(as_json(fig)))
    assert figure_problems(as_json(base_layout(fig, "angle"))) == []  # base_layout moves the label


def test_a_fixed_range_that_cuts_data_and_too_many_decades_are_caught():
    fig = go.Figure(go.Bar(x=list(range(6)), y=[1.0, 0.3, 0.01, 1e-5, 1e-12, 1e-18]))
    fig.update_yaxes(type="log")
    assert any("decades" in p for p in figure_problems(as_json(fig)))
    fig.update_yaxes(range=[-5, 0.1])
    assert any("cuts the data" in p for p in figure_problems(as_json(fig)))
    y = log_floor(np.array([1.0, 0.3, 0.01, 1e-5, 1e-12, 0.0]))
    fig = go.Figure(go.Bar(x=list(range(6)), y=y))
    fig.update_yaxes(type="log", range=log_range(y))
    assert figure_problems(as_json(readable_axes(fig))) == []
    assert y.min() == pytest.approx(10.0**-MAX_DECADES) and log_range(y)[0] == pytest.approx(-MAX_DECADES - 0.1)


def test_a_curve_under_a_cloud_is_caught_webgl_included():
    """Lesson 1's g(z) under the grey data; lesson 6's Jacobian directions (SVG lines) under the
    WebGL cloud, which plotly draws above every SVG trace whatever the order."""
    cloud = go.Scattergl(x=np.random.default_rng(0).normal(size=200), y=np.zeros(200), mode="markers", name="data")
    line = go.Scatter(x=[-1, 1], y=[0, 0], mode="lines", name="g(z)")
    assert figure_problems(as_json(go.Figure([line, cloud])))  # order
    assert figure_problems(as_json(go.Figure([cloud, line])))  # SVG under WebGL
    gl_line = go.Scattergl(x=[-1, 1], y=[0, 0], mode="lines", name="g(z)")
    assert figure_problems(as_json(readable_axes(go.Figure([cloud, gl_line])))) == []


@pytest.mark.parametrize(
    "text",
    [
        "$\\partial h_j / \\partial x_i$",
        "Bound Σ_{i>k} λ_i / D",
        "‖J_f(x)‖_F",
        "x^{2}",
        "2.932e+04 parameters",
        "learned curve g_φ(h)",
        "Gram matrix W_dᵀW_d",
        "the true ∇ log p_σ",
    ],
)
def test_raw_tex_and_e_notation_in_figure_text_are_caught(text):
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name=text))
    fig.update_layout(title=text, showlegend=True)
    assert figure_problems(as_json(fig))


def test_html_subscripts_in_figure_text_pass():
    for text in ("learned curve g<sub>φ</sub>(h)", "Gram matrix W<sub>d</sub><sup>T</sup>W<sub>d</sub>"):
        fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name=text))
        fig.update_layout(title=text, showlegend=True)
        assert figure_problems(as_json(readable_axes(fig))) == []


def test_text_rules_follow_what_streamlit_renders():
    assert text_problems("a sum $\\sum_i \\lambda_i$ over $k$ values") == []
    assert text_problems("two lines $\\partial h_j / \\partial x_i =\nh_j$")  # inline math stops at a line break
    assert text_problems("$$\n\\sum_{i>k} \\lambda_i\n$$") == []
    assert text_problems("Bound Σ_{i>k} λ_i / D")
    assert text_problems("mean $\\lVert J\\rVert$", math_ok=False)  # a metric label renders no TeX
    assert text_problems("29 320 parameters", math_ok=False) == []
    assert text_problems("2.932e+04 parameters")
    assert text_problems("the file `reproduce_intro.py`, escaped \\* stars") == []
    assert text_problems("Objective ℒ_β (nats)", math_ok=False)  # a Greek subscript typed as _
    assert text_problems("with a small σ_x, more units stay active")
    assert text_problems("the square, ‖J‖²_F.")
    assert text_problems("Objective ℒᵦ (nats)", math_ok=False) == []  # Unicode subscripts render
    assert text_problems("$\\sigma_x$ (Gaussian only)") == []
    assert text_problems("put mnist.npz (x_train, y_train) in the data folder") == []  # file contents, not maths


# ------------------------------------------------------------------ the layout passes them


def _legend_figure(names: list[str]) -> go.Figure:
    x = np.linspace(1, 10, 20)
    return go.Figure([go.Scatter(x=x, y=x * (i + 1), name=n) for i, n in enumerate(names)])


def test_titles_wrap_and_legends_sit_below_in_every_language():
    fig = base_layout(_legend_figure(["dados com ruído", "v₁ (mais sensível)", "v₂ (menos sensível)"]), PT_TITLE)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(len(line) <= TITLE_CHARS for line in lines)
    assert " ".join(lines) == PT_TITLE and fig.layout.title.automargin
    legend = fig.layout.legend
    assert (legend.yref, legend.y, legend.yanchor, legend.orientation) == ("container", 0, "bottom", "h")
    assert fig.layout.height > 360  # the second title line is added, not taken from the plot
    assert figure_problems(as_json(fig)) == []
    assert wrap_title("short") == "short" and wrap_title("") == ""


def test_finish_moves_a_legend_set_above_the_title_by_a_builder():
    fig = base_layout(_legend_figure(["a", "b"]), "title")
    fig.update_layout(legend=dict(orientation="h", y=1.12, yanchor="bottom"), margin=dict(t=100))
    assert any("legend" in p for p in figure_problems(as_json(fig)))
    finish(fig)
    assert figure_problems(as_json(fig)) == [] and fig.layout.margin.t == 20 and fig.layout.legend.y == 0
    beside = base_layout(_legend_figure(["a", "b"]), "title").update_layout(legend=dict(orientation="v", x=1.02, y=1))
    assert finish(beside).layout.legend.x == 1.02  # beside the plot it covers nothing


def test_panel_titles_get_room_under_the_title():
    fig = make_subplots(rows=1, cols=2, subplot_titles=("plain AE", "contractive AE"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name="a"), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 0], name="b"), row=1, col=2)
    fig = base_layout(fig, "Directions of the encoder's Jacobian on the curve")
    assert fig.layout.title.pad.b > 10 and figure_problems(as_json(fig)) == []


def test_loss_curves_with_reference_lines_look_right():
    hist = {
        "linear autoencoder": list(np.geomspace(1.0, 0.01, 300)),
        "deep autoencoder": list(np.geomspace(1, 1e-3, 300)),
    }
    fig = loss_figure(hist, "Training", refs={"PCA optimum": 0.02})
    assert figure_problems(as_json(fig)) == []
    assert fig.layout.annotations[0].y == pytest.approx(np.log10(0.02))


# ------------------------------------------------------------------ catalog texts


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_texts_have_no_raw_tex(lang):
    found = {}
    for key, text in catalog(lang).items():
        problems = text_problems(str(text), math_ok=".metric." not in key)
        if problems:
            found[key] = problems[0]
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.parametrize(("low", "high", "dtick"), [(0.0239, 0.045, None), (0.0239, 0.5, "D2")])
def test_loss_axis_keeps_tick_labels_on_a_narrow_range(low, high, dtick):
    """Lesson 2's ALS loss falls from about 0.045 to 0.024: 'D2' ticks (1, 2, 5 × 10ⁿ) would
    leave that log axis without a single label, so a range under one decade keeps plotly's ticks."""
    hist = {"linear autoencoder": list(np.geomspace(high, low, 50))}
    fig = loss_figure(hist, "Training", refs={"PCA optimum": low})
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.dtick == dtick
