"""Uploading one's own data in the sidebar: accepted files are used, bad ones explained."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_utils import APP, no_errors, wait_until_trained

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _csv(rows: int = 60) -> bytes:
    rng = np.random.default_rng(0)
    X = rng.random((rows, 5))
    lines = ["a,b,c,d,e,label"] + [",".join(f"{v:.4f}" for v in r) + f",{i % 3}" for i, r in enumerate(X)]
    return "\n".join(lines).encode()


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def test_valid_csv_becomes_the_sessions_data_set_and_trains():
    at = _app()
    at.sidebar.file_uploader[0].set_value(("mine.csv", _csv(), "text/csv")).run()
    no_errors(at)
    assert at.sidebar.selectbox(key="dataset").value.startswith("upload-")
    at.switch_page("lessons/02_pca.py")
    at.run()
    at.number_input(key="pca.w.latent_dim").set_value(2)
    at.number_input(key="pca.w.linear_epochs").set_value(20)
    at.number_input(key="pca.w.deep_epochs").set_value(2)
    next(b for b in at.button if b.proto.is_form_submitter).click()
    at.run()
    wait_until_trained(at)
    no_errors(at)
    assert at.metric
    shown = at.session_state["pca.shown"][1]  # the settings of the result on screen (ui.runtime.panel)
    assert shown.dataset == at.sidebar.selectbox(key="dataset").value  # trained on the uploaded data


@pytest.mark.parametrize(
    "name, payload, fragment",
    [
        ("bad.csv", b"a,b\\nx,y\\n" * 20, "number"),
        ("tiny.csv", b"1,2\\n3,4\\n", "rows"),
        ("nan.csv", b"1,2,3\\n" * 15 + b"1,nan,3\\n", "missing or infinite"),
        ("fake.npz", b"PK\\x03\\x04garbage", "NPZ"),
    ],
)
def test_bad_files_get_a_message_and_the_session_keeps_working(name, payload, fragment):
    at = _app()
    at.sidebar.file_uploader[0].set_value((name, payload, "application/octet-stream")).run()
    no_errors(at)
    errors = " ".join(e.value for e in at.sidebar.error)
    assert errors, "no message shown"
    assert at.sidebar.selectbox(key="dataset").value == "digits"  # nothing the user had is lost
