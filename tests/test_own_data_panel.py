"""On the lecturer's own data a page does not train by itself when it opens: it says it is
not trained on this data yet and offers Train with the estimate; leafing on to the next
page leaves the job of the page before running."""

from __future__ import annotations

import numpy as np
import pytest

from tests.apptest_utils import no_errors, open_page
from ui.kit.i18n import translate

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _csv(rows: int = 80) -> bytes:
    X = np.random.default_rng(0).random((rows, 16))
    lines = [",".join(f"p{i}" for i in range(16)) + ",label"]
    lines += [",".join(f"{v:.4f}" for v in r) + f",{i % 3}" for i, r in enumerate(X)]
    return "\n".join(lines).encode()


def _train_button(at, key: str):
    return next(b for b in at.button if b.key == f"{key}.train_own")


def test_an_upload_does_not_start_pages_and_train_asks_with_its_time(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")  # the first view on the built-in digits: the preset, no job
    at = open_page("lessons/02_pca.py")
    at.sidebar.file_uploader[0].set_value(("mine.csv", _csv(), "text/csv")).run()
    no_errors(at)
    assert at.sidebar.selectbox(key="dataset").value.startswith("upload-")
    assert "pca.job" not in at.session_state  # nothing started on arrival
    assert any(translate("panel.untrained", "en") == i.value for i in at.info)
    label = _train_button(at, "pca").label
    assert label.startswith("Train (about ") and label.endswith(" s)"), label
    _train_button(at, "pca").click().run()
    job = at.session_state["pca.job"]
    assert job.config.dataset.startswith("upload-")
    at.switch_page("lessons/03_latent.py")
    at.run()
    no_errors(at)
    assert "latent.job" not in at.session_state  # the next page waits for a click ...
    assert not job.superseded  # ... and leaves the previous page's run alone
    assert _train_button(at, "latent").label.startswith("Train (about ")
    job.abandon.set()
    job.cancel.set()
    job.done.wait(60)


def test_built_in_data_keeps_its_instant_first_view(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")
    at = open_page("lessons/02_pca.py")
    no_errors(at)
    assert not [b for b in at.button if b.key == "pca.train_own"]
    assert at.metric  # the preset answers at once
