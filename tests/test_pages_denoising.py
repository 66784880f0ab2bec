"""AppTest of lesson 7: both tiny training runs through the forms, every figure drawn."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit

pytestmark = pytest.mark.usefixtures("clean_app_state")
PAGE = "lessons/07_denoising.py"


def test_denoising_page_trains_both_parts():
    at = open_page(PAGE)
    no_errors(at)
    assert at.get("plotly_chart"), "the corruption preview is drawn before any training"
    _submit(at, "denoising.field", epochs=20, n_samples=200, width=16)
    wait_until_trained(at, limit=240)
    no_errors(at)
    labels = [m.label for m in at.metric]
    assert any("cos" in label for label in labels)
    _submit(at, "denoising.images", epochs=2, latent_dim=4, sweep=True, probe=True)
    wait_until_trained(at, limit=300)
    no_errors(at)
    text = " ".join(md.value for md in at.markdown)
    assert "Salt-and-pepper: DAE" in text  # the image claims are shown
    assert len(at.get("plotly_chart")) >= 6  # field, score, preview, grids, sweep, probe


def test_images_wait_for_the_field_run():
    at = open_page(PAGE)
    no_errors(at)
    assert any("trains first" in i.value for i in at.info)
    at.session_state["denoising.field.job"].cancel.set()  # do not leave the default run going
