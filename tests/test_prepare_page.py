"""Preparing a class in the app: on an upload the sidebar's queue trains the pages' default
views in the background with per-page progress, across page changes; the pages then open at
once; the class pack it downloads, loaded in a fresh session on the same data, opens them
there too, and a pack of other data is refused naming both."""

from __future__ import annotations

import time

import numpy as np
import pytest

from aecore.store import pack
from tests.apptest_utils import no_errors, open_page
from ui.kit.i18n import translate

pytestmark = pytest.mark.usefixtures("clean_app_state")
PAGES = "anomaly,pca"  # two cheap pages (AE_PREPARE_ONLY)


def _csv(seed: int = 0, rows: int = 120) -> bytes:
    X = np.random.default_rng(seed).random((rows, 16))
    lines = [",".join(f"p{i}" for i in range(16)) + ",label"]
    lines += [",".join(f"{v:.4f}" for v in r) + f",{i % 10}" for i, r in enumerate(X)]
    return "\n".join(lines).encode()


def _upload(at, data: bytes, name: str = "mine.csv"):
    at.sidebar.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
    assert at.sidebar.selectbox(key="dataset").value.startswith("upload-")
    return at


def _button(at, key: str):
    return next(b for b in at.sidebar.button if b.key == key)


def _progress_text(at) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def _wait_prepared(at, limit: float = 600) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        time.sleep(1.0)
        at.run()
        queue = at.session_state["prepare.queue"][1]
        if not queue.running:
            at.run()  # the run that moves the last results where the pages look
            return
    raise AssertionError("the preparation did not finish")


@pytest.fixture()
def prepared(monkeypatch):
    """A session that uploaded a CSV and prepared two pages on it."""
    monkeypatch.setenv("AE_PREPARE_ONLY", PAGES)
    monkeypatch.setenv("AE_PRESETS", "1")
    at = _upload(open_page("lessons/00_home.py"), _csv())
    no_errors(at)
    _button(at, "prepare.start").click().run()
    queue = at.session_state["prepare.queue"][1]
    assert [i.experiment for i in queue.items] == ["anomaly", "pca"]
    at.switch_page("lessons/03_latent.py")  # leafing on does not end the queue
    at.run()
    no_errors(at)
    text = _progress_text(at)
    waiting, training = translate("prepare.state.waiting", "en"), translate("prepare.state.training", "en")
    assert translate("anomaly.nav", "en") in text and translate("pca.nav", "en") in text
    assert waiting in text or training in text or not queue.running, text
    _wait_prepared(at)
    assert [i.state for i in queue.items] == ["trained", "trained"], [(i.state, i.error) for i in queue.items]
    return at


def test_the_queue_prepares_pages_that_then_open_at_once(prepared):
    at = prepared
    for page, key in (("lessons/09b_anomaly.py", "anomaly"), ("lessons/02_pca.py", "pca")):
        at.switch_page(page)
        at.run()
        no_errors(at)
        assert f"{key}.job" not in at.session_state  # nothing trained on opening: the prepared result
        assert at.metric, page
    assert translate("prepare.all_ready", "en").format(count=2) in [c.value for c in at.sidebar.caption]


def test_the_pack_opens_the_pages_in_a_fresh_session(prepared, monkeypatch):
    session = prepared.session_state
    data = session["dataset"]
    # the download's bytes, as the button's deferred callable makes them
    entries = [(i.experiment, i.config, i.job.result) for i in session["prepare.queue"][1].items]
    assert all(c.dataset == data for _, c, _ in entries)
    blob = pack.dump(entries, session[f"prepare.digest.{data}"][0], "mine.csv")
    fresh = _upload(open_page("lessons/00_home.py"), _csv())  # a new session, the same file
    fresh.sidebar.file_uploader(key="prepare.pack_file").set_value(("class.pack", blob, "application/octet-stream"))
    fresh.run()
    no_errors(fresh)
    assert any("2 of its 2 results are ready" in s.value for s in fresh.sidebar.success)
    fresh.switch_page("lessons/02_pca.py")
    fresh.run()
    assert "pca.job" not in fresh.session_state and fresh.metric
    other = _upload(open_page("lessons/00_home.py"), _csv(seed=1), "other.csv")
    other.sidebar.file_uploader(key="prepare.pack_file").set_value(("class.pack", blob, "application/octet-stream"))
    other.run()
    message = " ".join(e.value for e in other.sidebar.error)
    # both data sets named (file names are shown Markdown-escaped, ui.kit.safe), with their digests
    assert "mine" in message and "other" in message and message.count("digest") == 2, message
