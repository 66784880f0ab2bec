"""AppTest of lesson 9: three tabs, tiny training runs through each tab's form."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit

pytestmark = pytest.mark.usefixtures("clean_app_state")
PAGE = "lessons/09_applications.py"


def test_three_tabs_train_tiny_runs_and_show_claims():
    at = open_page(PAGE)
    no_errors(at)
    assert len(at.tabs) == 3
    _submit(at, "unet", epochs=1, n_train=16)
    wait_until_trained(at, limit=240)
    _submit(at, "anomaly", epochs=2)
    wait_until_trained(at, limit=240)
    _submit(at, "sae_features", sae_epochs=2)
    wait_until_trained(at, limit=240)
    no_errors(at)
    labels = [m.label for m in at.metric]
    for label in ("IoU with skips", "ROC AUC (autoencoder)", "Explained variance"):
        assert label in labels, labels
    assert at.selectbox, "feature browser missing"


def test_empty_normal_classes_gets_a_message():
    at = open_page(PAGE)
    at.multiselect(key="anomaly.normal").set_value([])
    at.run()
    no_errors(at)
    assert any("normal_classes" in e.value for e in at.error)
