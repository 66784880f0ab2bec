"""Lesson 1 (``intro``): the autoencoder beats PCA's line on every curve the page offers and
on seeds 0-4, and the page explains a ❌ when training is too short to find a curve."""

from __future__ import annotations

import pytest

from aecore.data import CURVE_DATASETS
from aecore.experiments import get
from tests.apptest_utils import no_errors, open_page, submit_form, wait_until_trained


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("curve", CURVE_DATASETS)
def test_ae_beats_pca_on_every_offered_curve_and_seed(curve, seed):
    exp = get("intro")
    m = exp.run(exp.config_cls(dataset=curve, seed=seed), None).metrics
    assert m["ae_mse"] < m["pca_mse"], (curve, seed, m)


def test_the_page_offers_only_those_curves():
    assert get("intro").config_cls.field_specs()["dataset"].metadata["choices"] == CURVE_DATASETS


@pytest.mark.usefixtures("clean_app_state")
def test_a_failed_claim_is_explained_on_the_page():
    at = open_page("lessons/01_intro.py")
    submit_form(at, "intro", epochs=1, width=2)
    wait_until_trained(at)
    no_errors(at)
    assert any("Why ❌" in i.value for i in at.info), [i.value for i in at.info]
    assert any("is not below PCA" in c.value for c in at.caption)
