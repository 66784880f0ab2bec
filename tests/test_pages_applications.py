"""AppTest of lessons 9a-9c: one page each (U-Net, anomaly detection, SAE features), a tiny
training run through each page's form, claims and figures shown."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit

pytestmark = pytest.mark.usefixtures("clean_app_state")


@pytest.mark.parametrize(
    "page,form,values,metric",
    [
        ("lessons/09a_unet.py", "unet", {"epochs": 1, "n_train": 16, "copy_epochs": 1}, "IoU with skips"),
        ("lessons/09b_anomaly.py", "anomaly", {"steps": 20}, "ROC AUC (autoencoder)"),
        ("lessons/09c_sae_features.py", "sae_features", {"sae_steps": 20, "clf_steps": 20}, "Explained variance"),
    ],
)
def test_page_trains_a_tiny_run_and_shows_claims(page, form, values, metric):
    at = open_page(page)
    no_errors(at)
    assert not at.tabs, "one lesson per page"
    _submit(at, form, **values)
    wait_until_trained(at, limit=240)
    no_errors(at)
    assert metric in [m.label for m in at.metric]
    assert any("What the numbers show" in md.value for md in at.markdown)
    assert at.get("plotly_chart")


def test_sae_feature_browser_switches_features():
    at = open_page("lessons/09c_sae_features.py")
    _submit(at, "sae_features", sae_steps=20, clf_steps=20)
    wait_until_trained(at, limit=240)
    box = next(b for b in at.selectbox if str(b.key).startswith("sae_features.feature."))
    first = box.value
    box.select_index(1).run()
    no_errors(at)
    assert at.session_state[box.key] != first
    assert any("fires on" in o for o in box.options)


def test_normal_classes_are_a_setting_of_the_form():
    at = open_page("lessons/09b_anomaly.py")
    chooser = at.multiselect(key="anomaly.w.normal_classes")
    assert list(chooser.value) == [0, 1, 2, 3, 4]
    chooser.set_value([1, 7])
    _submit(at, "anomaly", steps=20)
    assert at.session_state["anomaly.cfg"].normal_classes == (1, 7)
    wait_until_trained(at, limit=240)
    no_errors(at)
    assert "ROC AUC (autoencoder)" in [m.label for m in at.metric]


def test_empty_normal_classes_gets_a_message_and_keeps_the_settings():
    at = open_page("lessons/09b_anomaly.py")
    at.multiselect(key="anomaly.w.normal_classes").set_value([])
    _submit(at, "anomaly")
    no_errors(at)
    assert any("normal_classes must name between 1 and 9 digits" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    kept = at.session_state["anomaly.cfg"] if "anomaly.cfg" in at.session_state else None
    assert kept is None or kept.normal_classes == (0, 1, 2, 3, 4)  # the bad value was not taken
    assert at.multiselect(key="anomaly.w.normal_classes").value == []  # what the user chose stays


def test_a_data_set_without_labels_gets_a_message_on_the_label_lessons():
    """An upload with no label column: the SAE and anomaly pages say they need classes."""
    import numpy as np

    rows = np.random.default_rng(0).random((60, 64))
    csv = "\n".join([",".join(f"p{i}" for i in range(64))] + [",".join(f"{v:.3f}" for v in r) for r in rows])
    for page, form, values in (
        ("lessons/09b_anomaly.py", "anomaly", {"steps": 20}),
        ("lessons/09c_sae_features.py", "sae_features", {"sae_steps": 20, "clf_steps": 20}),
    ):
        at = open_page(page)
        at.sidebar.file_uploader[0].set_value(("plain.csv", csv.encode(), "text/csv")).run()
        assert at.sidebar.selectbox(key="dataset").value.startswith("upload-")
        _submit(at, form, **values)
        wait_until_trained(at, limit=240)
        no_errors(at)
        assert any("no class labels" in e.value for e in at.error), [e.value for e in at.error]


def test_unet_says_it_uses_its_own_scenes():
    at = open_page("lessons/09a_unet.py")
    no_errors(at)
    assert any("synthetic scenes" in c.value for c in at.caption)


def test_a_link_carries_the_normal_classes():
    at = open_page("lessons/09b_anomaly.py", params={"normal_classes": "1,7"})
    no_errors(at)
    assert list(at.multiselect(key="anomaly.w.normal_classes").value) == [1, 7]
    job = at.session_state["anomaly.job"]
    assert job.config.normal_classes == (1, 7)
    job.cancel.set()
