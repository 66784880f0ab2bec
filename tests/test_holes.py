"""Holes in a latent plane (aecore.maths.holes): the classifier kept as arrays gives scikit-learn's
probabilities, the grid keeps exactly the points inside the codes' convex hull, and the share
counts the decodes at or above the level; the runs of lessons 3, 8 (k = 2) and 8b report it.
Planted faults (the box in place of the hull, another level) change the number."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from aecore import presets
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.maths import holes
from aecore.train import predict


@pytest.mark.parametrize("classes", [10, 2])
def test_probabilities_are_scikit_learns(classes):
    ds = load_dataset("digits")
    X_all, y_all = ds.X[ds.y < classes], ds.y[ds.y < classes]
    cut = len(X_all) * 2 // 3  # fit on two thirds, compare on the rest (2 classes: about 120 rows)
    clf = LogisticRegression(max_iter=300).fit(X_all[:cut], y_all[:cut])
    arrays = holes.classifier_arrays(clf)
    X = X_all[cut:][:100]
    assert len(X) > 50
    # the rows are float32, and so are scikit-learn's probabilities of them
    assert np.allclose(holes.probabilities(X, arrays), clf.predict_proba(X), atol=1e-6)
    labels, conf = holes.judge(X, arrays)
    assert np.array_equal(labels, clf.predict(X)) and np.allclose(conf, clf.predict_proba(X).max(1))
    assert holes.classifier_arrays(None) is None


def test_the_grid_keeps_the_points_inside_the_hull_of_the_codes():
    a = np.linspace(0, 2 * np.pi, 200, endpoint=False)
    circle = np.c_[np.cos(a), np.sin(a)]  # its hull is (nearly) the unit disc
    Z = holes.region_grid(circle, 40).astype(np.float64)
    g = np.linspace(-1, 1, 40)
    r = np.hypot(*np.meshgrid(g, g)).ravel()
    surely_in = int((r <= np.cos(np.pi / 200) - 1e-6).sum())  # inside the inscribed polygon
    at_most = int((r <= 1 + 1e-6).sum())  # inside the circle
    assert np.hypot(Z[:, 0], Z[:, 1]).max() <= 1 + 1e-6
    assert surely_in <= len(Z) <= at_most < 40 * 40  # the box's corners are left out


def test_the_share_counts_decodes_at_or_above_the_level():
    """Codes filling the square [−1, 1]², decodes = the codes, a two-class judge p₁ = σ(10 z₁):
    its top-class probability is ≥ 0.9 exactly when |z₁| ≥ ln 9 / 10."""
    square = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1], [0.2, 0.3]], np.float64)
    clf = {"coef": np.array([[10.0, 0.0]]), "intercept": np.array([0.0]), "classes": np.array([3, 7])}
    found = holes.confident_share(lambda Z: Z, square, clf, n=25)
    g = np.linspace(-1, 1, 25)
    expected = np.mean(np.abs(np.repeat(g[None], 25, 0)).ravel() >= np.log(9) / 10 - 1e-12)
    assert found["points"] == 625 and found["share"] == pytest.approx(expected)
    half = np.mean(np.abs(np.repeat(g[None], 25, 0)).ravel() > 0)  # planted fault: level 0.5
    assert abs(half - found["share"]) > 0.05
    labels, _ = holes.judge(np.array([[0.5, 0.0], [-0.5, 0.0]]), clf)
    assert labels.tolist() == [7, 3]


@pytest.mark.parametrize(
    "name, over, models",
    [("latent", {}, ("ae",)), ("vae", {"latent_dim": 2}, ("vae", "ae")), ("elbo_gap", {}, ("vae",))],
)
def test_the_runs_report_the_share_of_their_own_models(monkeypatch, name, over, models):
    monkeypatch.setenv("AE_PRESETS", "1")
    res = presets.lookup(name, dataclasses.replace(get(name).config_cls(), **over))
    a, m = res.arrays, res.metrics
    clf = a["classifier"]
    from aecore.maths.generative import sample_classifier

    sk = sample_classifier("digits")[0]
    assert np.allclose(clf["coef"], sk.coef_) and np.array_equal(clf["classes"], sk.classes_)
    X = a["X"] if "X" in a else load_dataset("digits").X
    assert m["data_confident"] == pytest.approx(np.mean(sk.predict_proba(X).max(1) >= holes.LEVEL))
    codes = {
        "latent": lambda: {"ae": a["maps"]["ae"]},
        "vae": lambda: {"vae": a["mu"], "ae": a["ae_codes"]},
        "elbo_gap": lambda: {"vae": a["mu_all"]},
    }[name]()
    keys = {"latent": {"ae": "autoencoder"}}.get(name, {"vae": "vae", "ae": "ae"})
    for k in models:
        decoder = res.models[keys[k]].decode
        Z = holes.region_grid(codes[k])
        share = np.mean(sk.predict_proba(predict(decoder, Z)).max(1) >= holes.LEVEL)
        assert m[f"grid_confident_{k}"] == pytest.approx(share, abs=1e-9) and m[f"grid_points_{k}"] == len(Z)
    assert "grid_confident_vae" not in presets.lookup("vae", get("vae").config_cls()).metrics  # k = 8: no plane
