"""Charts a reader can read (``tests.legibility_checks``): each check catches the case reported
from a class (bare-digit log labels, SI prefixes, labels over bars and lines, a clipped label,
titles into the plot or over each other on a phone, decimals with a point in pt), and the
shared layout or the lesson's builder no longer makes it."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aecore.figures import capacity, denoising, generative
from aecore.figures.common import base_layout, finish
from aecore.figures.legible import readable_axes
from tests.figure_checks import figure_problems
from tests.legibility_checks import (
    log_label_problems,
    overprint_problems,
    separator_problems,
    si_prefix_problems,
    title_problems,
)


def js(fig: go.Figure) -> dict:
    return json.loads(fig.to_json())


def test_log_axes_label_only_decades():
    """Lesson 8's KL bars read '5 2 1 5 2 0.1 5 2 0.01' (plotly's D2 ticks)."""
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[0.004, 0.05, 0.9]))
    fig.update_yaxes(type="log")
    assert log_label_problems(js(fig))
    assert not log_label_problems(js(readable_axes(fig))) and fig.layout.yaxis.minorloglabels == "none"
    fig.update_yaxes(minorloglabels=None, dtick="D2")  # a builder's own D2 ticks: also fixed
    assert log_label_problems(js(fig)) and not log_label_problems(js(readable_axes(fig)))


def test_no_si_prefixes_on_axes_or_colour_bars():
    """Eigenvalues and MSE read '100μ', '10n' (plotly's default exponentformat)."""
    fig = go.Figure([go.Scatter(x=[0, 1], y=[1e-7, 3e-6]), go.Heatmap(z=[[1e-6, 2e-6]], xaxis="x", yaxis="y")])
    assert len(si_prefix_problems(js(fig))) == 3  # x, y and the colour bar
    assert not si_prefix_problems(js(readable_axes(fig)))
    assert fig.layout.yaxis.exponentformat == "power"


def test_a_line_label_over_bars_is_caught_and_the_kl_chart_names_its_line_in_the_legend():
    kl = np.array([0.9, 1e-4, 0.5, 0.2, 1e-4, 0.7, 0.05, 0.9])  # bars on both sides of 0.01, at the right too
    old = go.Figure(go.Bar(x=[f"z{j}" for j in range(8)], y=kl))
    old.add_hline(y=0.01, annotation_text="active above 0.01", annotation_position="top right")
    old.update_yaxes(type="log")
    assert any("overprints the bars" in p for p in overprint_problems(js(base_layout(old, "KL"))))
    names = {"threshold": "active above 0.01", "y": "nats", "title": "KL of each latent dimension"}
    fig = finish(generative.kl_per_dim_figure(kl, 0.01, names))
    assert figure_problems(js(fig)) == []
    assert "active above 0.01" in [t.name for t in fig.data if t.showlegend]


def test_a_value_above_a_bar_on_the_dashed_line_is_caught_and_lesson_4_writes_it_inside():
    m = {"undercomplete_copy_share": 0.11, "overcomplete_copy_share": 0.97}
    m |= {"undercomplete_copy_share_rest": -0.12, "overcomplete_copy_share_rest": 0.31}
    names = dict(inside="inside", outside="outside", undercomplete="k = 8", overcomplete="k = 256", share="share")
    fig = finish(capacity.copy_bars(m, names | {"y": "share copied", "title": "How much is copied"}))
    assert figure_problems(js(fig)) == []
    fig.update_traces(textposition="outside")  # as it was: "0.97" above its bar, on the line at 1
    assert any("sits on the line at 1" in p for p in overprint_problems(js(fig)))


def test_the_top_label_of_the_probe_chart_has_room():
    acc = {"raw pixels": 0.964, "plain AE": 0.962, "DAE": 0.969}
    fig = finish(denoising.probe_figure(acc, "Linear-probe accuracy"))
    assert figure_problems(js(fig)) == []
    fig.update_yaxes(range=None, autorange="reversed")  # as it was: the top value cut by the plot's edge
    assert any("clipped" in p for p in overprint_problems(js(fig)))


def test_a_title_of_two_lines_under_a_fixed_margin_is_caught_and_placed_by_finish():
    """Lesson 0: 'and the path of gradient descent' ran into the loss surface."""
    fig = base_layout(
        go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), "One neuron: its loss and the path of gradient descent"
    )
    fig.update_layout(margin=dict(t=72))
    assert any("runs into the plot" in p for p in title_problems(js(fig)))
    assert title_problems(js(finish(fig))) == [] and fig.layout.margin.t == 20


def test_long_title_lines_and_subplot_titles_wider_than_a_phone_panel_are_caught():
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    fig.update_layout(title="Score: learned (r(x) − x)/σ² against the true ∇ log p<sub>σ</sub> (smoothed)")
    assert any("does not fit" in p for p in title_problems(js(fig)))
    assert title_problems(js(finish(fig))) == []
    titles = ("Autoencoder: learned curve g<sub>φ</sub>(h)", "PCA: best straight line")  # lesson 1 on a phone
    fig = make_subplots(1, 2, subplot_titles=titles)
    assert len([p for p in title_problems(js(fig)) if "on a phone" in p]) == 2
    assert title_problems(js(base_layout(fig))) == []
    assert fig.layout.margin.t >= 2 * 22  # two-line panel titles, no figure title: room above them


def test_charts_in_portuguese_and_spanish_write_decimal_commas():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[0.5, 0.25], text=["0.5", "0.25"]))
    fig.update_xaxes(tickvals=[0, 1], ticktext=["0.10", "run 1.2b"])
    assert separator_problems(js(finish(go.Figure(fig), "en")), "pt")
    pt = finish(fig, "pt")
    assert separator_problems(js(pt), "pt") == [] and separator_problems(js(pt), "es") == []
    assert list(pt.data[0].text) == ["0,5", "0,25"] and list(pt.layout.xaxis.ticktext) == ["0,10", "run 1.2b"]


def test_image_strips_label_their_rows_above_them_and_span_the_width():
    """Labels beside the rows took a third of a phone's width; rows of unequal length tile."""
    from aecore.figures.common import image_grid

    rng = np.random.default_rng(0)
    fig = image_grid({"feature": rng.random((1, 64)), "top ten": rng.random((10, 64))}, (8, 8))
    assert [a.text for a in fig.layout.annotations] == ["feature", "top ten"]
    assert fig.layout.yaxis.showticklabels is False and fig.layout.margin.l <= 10
    assert figure_problems(js(finish(fig))) == []
