"""The drawing pad's figures (aecore.figures.pad): they pass the checks for broken-looking
charts (tests/figure_checks.py), draw the drawing where the answer puts it, and keep the
change scale symmetric about zero."""

from __future__ import annotations

import json

import numpy as np

from aecore.figures import pad
from aecore.figures.common import finish
from tests.figure_checks import figure_problems

NAMES = {
    "title": "t",
    "x": "x",
    "y": "y",
    "data": "data",
    "drawing": "drawing",
    "sigma1": "μ ± σ",
    "sigma2": "μ ± 2σ",
    "normal": "normal",
    "anomaly": "anomaly",
    "threshold": "τ",
}


def _problems(fig) -> list[str]:
    return figure_problems(json.loads(finish(fig).to_json()))


def test_code_map_puts_the_drawing_on_top_with_its_ellipses():
    rng = np.random.default_rng(0)
    codes, labels = rng.normal(size=(300, 2)), rng.integers(0, 10, 300)
    fig = pad.code_map_figure(codes, labels, np.array([0.5, -1.0]), NAMES, sigma=np.array([0.2, 0.4]))
    assert _problems(fig) == []
    last = fig.data[-1]
    assert last.name == "drawing" and (last.x[0], last.y[0]) == (0.5, -1.0)
    ring = next(t for t in fig.data if t.name == "μ ± 2σ")
    assert np.isclose(max(ring.x) - 0.5, 0.4, atol=1e-3) and np.isclose(max(ring.y) + 1.0, 0.8, atol=1e-3)  # radii 2σ
    assert _problems(pad.code_map_figure(codes, None, np.zeros(2), NAMES)) == []


def test_panels_share_a_symmetric_change_scale():
    img = np.random.default_rng(1).random((8, 8))
    change = img - 0.7
    rows = [[("out", img, False), ("change", change, True)], [("", img, False), ("", -0.5 * change, True)]]
    fig = pad.panels_figure(rows, row_labels=["A", "B"])
    assert _problems(fig) == []
    axis = fig.layout.coloraxis
    assert axis.cmin == -axis.cmax and np.isclose(axis.cmax, np.abs(change).max())
    assert _problems(pad.panels_figure([[("input", img, False)]])) == []


def test_scores_elbo_and_features_figures():
    rng = np.random.default_rng(2)
    scores, bad = rng.lognormal(-4, 0.5, 200), rng.random(200) < 0.5
    names = NAMES | {"x": "log s", "y": "count"}
    assert _problems(pad.score_figure(scores, bad, 0.05, 0.02, names)) == []
    assert _problems(pad.elbo_figure(rng.normal(-80, 10, 256), -120.0, names)) == []
    fig = pad.features_figure(np.array([7, 3, 250]), np.array([2.0, 1.0, 0.5]), names)
    assert _problems(fig) == [] and list(fig.data[0].x) == ["#7", "#3", "#250"]
