"""Lesson 1 (``intro``): the autoencoder beats PCA's line on every curve the page offers and
on the sweep seeds (tests/sweep.py), and the page explains a ❌ when training is too short to find a curve."""

from __future__ import annotations

import pytest

from aecore.data.registry import CURVE_DATASETS, load_dataset
from aecore.experiments import get
from tests.apptest_utils import no_errors, open_page, submit_form, wait_until_trained
from tests.sweep import SEEDS


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("curve", CURVE_DATASETS)
def test_ae_beats_pca_on_every_offered_curve_and_seed(curve, seed):
    exp = get("intro")
    m = exp.run(exp.config_cls(dataset=curve, seed=seed), None).metrics
    assert m["ae_mse"] < m["pca_mse"], (curve, seed, m)


def test_mean_floor_is_the_per_coordinate_variance_and_pca_beats_it():
    """mean_mse (every point rebuilt as the mean) = mean of the per-coordinate variances."""
    exp = get("intro")
    cfg = exp.config_cls(epochs=1, width=2)
    m = exp.run(cfg, None).metrics
    X = load_dataset(cfg.dataset, cfg.n_samples, cfg.noise, cfg.seed).X.astype("float64")
    assert m["mean_mse"] == pytest.approx(X.var(0).mean(), rel=1e-6)
    assert m["pca_mse"] < m["mean_mse"]


def test_the_page_offers_only_those_curves():
    assert get("intro").config_cls.field_specs()["dataset"].metadata["choices"] == CURVE_DATASETS


@pytest.mark.usefixtures("clean_app_state")
def test_a_failed_claim_is_explained_on_the_page():
    at = open_page("lessons/01_intro.py")
    submit_form(at, "intro", epochs=1, width=2)
    wait_until_trained(at)
    no_errors(at)
    shown = [c.value for c in at.caption] + [i.value for i in at.info]  # the claims box's why, under the claim
    assert any("Why ❌" in v and "no better than" in v for v in shown), shown
    assert any("is not below PCA" in c.value for c in at.caption)
