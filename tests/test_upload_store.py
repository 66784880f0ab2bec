"""Uploaded data belong to the session that uploaded them, and a reload says they are gone.

Each browser session keeps its own uploads, bounded in bytes; another session's uploads
never evict them and are never offered, validated or loaded there; a reload (a new
session) says that the data set was not kept.
"""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from aecore.config import ConfigError
from aecore.data import registry as data
from aecore.data import userdata
from aecore.data.registry import load_dataset
from aecore.errors import DataError
from aecore.experiments.pca import PCAConfig
from tests.apptest_utils import APP, no_errors

pytestmark = pytest.mark.usefixtures("clean_app_state", "user_data")  # uploads registered, as the app does


def _csv(seed: int, rows: int = 40) -> bytes:
    X = np.random.default_rng(seed).random((rows, 4))
    return ("a,b,c,d\n" + "\n".join(",".join(f"{v:.5f}" for v in r) for r in X) + "\n").encode()


def _session_with_upload(seed: int) -> tuple[AppTest, str]:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.sidebar.file_uploader[0].set_value((f"s{seed}.csv", _csv(seed), "text/csv")).run()
    no_errors(at)
    name = at.sidebar.selectbox(key="dataset").value
    assert name.startswith("upload-")
    return at, name


def test_nine_other_sessions_uploading_do_not_evict_a_students_data():
    first, name = _session_with_upload(0)
    others = [_session_with_upload(seed) for seed in range(1, 10)]
    first.run()
    assert first.sidebar.selectbox(key="dataset").value == name, "another session's upload evicted this one"
    for at, other in others:
        at.run()
        labels = " ".join(at.sidebar.selectbox(key="dataset").options)
        assert "s0.csv" not in labels and other != name, "offered to another session"


def test_a_session_cannot_validate_or_load_another_sessions_data():
    userdata.set_owner("alice")
    name = userdata.register_dataset(np.random.default_rng(0).random((30, 5)), label="alice.csv")
    assert PCAConfig(dataset=name).dataset == name and load_dataset(name).n == 30
    userdata.set_owner("bob")
    assert name not in data.dataset_names() and name not in data.image_dataset_names()
    with pytest.raises(ConfigError):
        PCAConfig(dataset=name)
    with pytest.raises(DataError) as info:
        load_dataset(name)  # e.g. a config validated in alice's session, run in bob's
    assert info.value.code == "upload_gone"
    for owner in ("alice", "bob"):
        userdata.STORE.forget(owner)
    userdata.set_owner(None)


def _ds(seed: int, rows: int, cols: int = 256):
    X = np.random.default_rng(seed).random((rows, cols)).astype(np.float32)
    return data.Dataset(f"upload-{seed}", X, np.zeros(rows, np.int64), meta={"label": f"f{seed}.csv"})


def test_budgets_evict_only_the_owners_oldest_and_refuse_when_the_server_is_full():
    mb = userdata.MB
    store = userdata.UploadStore(session_bytes=3 * mb, total_bytes=5 * mb)
    one_mb = 1000  # rows of 256 float32 + an int64 label: just under 1 MB
    assert store.add(_ds(1, one_mb), "a") == [] and store.add(_ds(2, one_mb), "a") == []
    store.add(_ds(3, one_mb), "b")
    assert store.add(_ds(4, 2 * one_mb), "a") == ["upload-1"]  # a's own oldest goes; b keeps its data
    assert store.names("a") == ("upload-2", "upload-4") and store.names("b") == ("upload-3",)
    with pytest.raises(DataError) as info:
        store.add(_ds(5, 2 * one_mb), "c")  # 3 + 1 + 2 > 5 MB: refused, nothing dropped
    assert info.value.code == "upload_server_full"
    assert store.names("a") == ("upload-2", "upload-4") and store.names("b") == ("upload-3",)
    with pytest.raises(DataError) as info:
        store.add(_ds(6, 4 * one_mb), "c")
    assert info.value.code == "upload_over_session_budget"


def test_data_of_sessions_that_are_gone_make_room(monkeypatch):
    mb = userdata.MB
    store = userdata.UploadStore(session_bytes=3 * mb, total_bytes=3 * mb)
    store.add(_ds(1, 2000), "gone")
    store.alive = lambda owner: owner != "gone"
    monkeypatch.setattr(userdata, "GRACE_S", -1.0)
    store.add(_ds(2, 2000), "here")
    assert store.names("gone") == () and store.names("here") == ("upload-2",)


def test_a_reload_says_the_uploaded_data_set_was_not_kept():
    at, name = _session_with_upload(3)
    assert at.query_params.get("data") == "upload", "the link should mark own data, never name it"
    assert name not in str(at.query_params)
    again = AppTest.from_file(APP, default_timeout=60)  # a reload: a new session with the same URL
    again.query_params.update(at.query_params)
    again.run()
    no_errors(again)
    assert again.sidebar.selectbox(key="dataset").value == "digits"
    warnings = " ".join(w.proto.body for w in again.sidebar.warning)
    assert "new session" in warnings and "again" in warnings
    again.sidebar.file_uploader[0].set_value(("s3.csv", _csv(3), "text/csv")).run()
    assert not again.sidebar.warning and again.sidebar.selectbox(key="dataset").value == name


def test_the_registry_finds_uploads_only_in_the_store_registered_with_it():
    """No module patches the registry at import: the store is named by an explicit call."""
    userdata.set_owner("carol")
    name = userdata.register_dataset(np.random.default_rng(3).random((30, 5)), label="carol.csv")
    previous = data.set_user_data(None)
    try:
        assert name not in data.dataset_names() and data.user_label(name) is None
        with pytest.raises(DataError):
            load_dataset(name)
    finally:
        data.set_user_data(previous)
    assert name in data.dataset_names() and load_dataset(name).n == 30
    userdata.STORE.forget("carol")
    userdata.set_owner(None)
