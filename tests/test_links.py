"""Shareable links: settings, language and data set round-trip through the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_utils import APP, no_errors, wait_until_trained

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _open_with(path: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(path)
    at.run()
    return at


def test_link_restores_settings_and_result_is_cached_for_the_next_visitor():
    params = {"latent_dim": "2", "linear_epochs": "20", "deep_epochs": "2"}
    at = _open_with("lessons/02_pca.py", params)
    no_errors(at)
    assert at.number_input(key="pca.w.latent_dim").value == 2
    cfg = at.session_state["pca.cfg"]
    assert (cfg.latent_dim, cfg.linear_epochs, cfg.deep_epochs) == (2, 20, 2)
    wait_until_trained(at)
    # a second visitor following the same link sees the result without training
    again = _open_with("lessons/02_pca.py", params)
    no_errors(again)
    assert not again.get("progress") and again.metric


def test_settings_are_written_back_to_the_url():
    at = _open_with("lessons/01_intro.py", {})
    at.number_input(key="intro.w.epochs").set_value(40)
    next(b for b in at.button if b.proto.is_form_submitter).click()
    at.run()
    assert at.query_params.get("epochs") in ("40", ["40"])
    assert "noise" not in at.query_params  # defaults stay out of the link


def test_invalid_link_is_ignored_with_a_message():
    at = _open_with("lessons/02_pca.py", {"latent_dim": "0"})
    no_errors(at)
    assert any("not applied" in w.value for w in at.warning)
    assert at.number_input(key="pca.w.latent_dim").value == 8


def test_language_and_dataset_from_link():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"lang": "xx", "data": "swiss_roll"})
    at.run()  # home is the default page
    no_errors(at)
    assert at.selectbox(key="lang").value == "en"  # unknown language falls back
    assert at.selectbox(key="dataset").value == "swiss_roll"


def test_presenter_mode_from_link_folds_prose_and_settings():
    at = _open_with("lessons/01_intro.py", {"present": "1", "epochs": "30"})
    no_errors(at)
    labels = [e.label for e in at.expander]
    assert "Read the explanation" in labels and "Settings" in labels


# The sidebar's data set travels as ?data=, apart from the lesson knob named `dataset`
# (intro's curve, the denoising field's curve); a page's other forms carry a prefix
# (img_, unet_, anomaly_, sae_). Found by tests/browser/test_language_and_links.py.
def test_lesson_knob_named_dataset_survives_a_link():
    at = _open_with("lessons/01_intro.py", {"dataset": "circle", "epochs": "40"})
    no_errors(at)
    assert at.session_state["intro.cfg"].dataset == "circle"


def test_sidebar_data_set_is_not_read_as_a_lesson_setting():
    at = _open_with("lessons/01_intro.py", {})
    at.selectbox(key="dataset").set_value("swiss_roll")
    at.run()
    no_errors(at)
    assert not at.warning, [w.value for w in at.warning]


def test_sidebar_data_set_and_curve_knob_travel_together():
    at = _open_with("lessons/01_intro.py", {"dataset": "circle", "data": "swiss_roll"})
    no_errors(at)
    assert at.session_state["intro.cfg"].dataset == "circle"
    assert at.selectbox(key="dataset").value == "swiss_roll"


def test_a_pages_second_form_has_its_own_parameters():
    at = _open_with("lessons/07_denoising.py", {"epochs": "7", "img_epochs": "9"})
    no_errors(at)
    assert at.session_state["denoising.field.cfg"].epochs == 7
    assert at.session_state["denoising.images.cfg"].epochs == 9
