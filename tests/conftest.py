"""Shared test set-up: import path, one torch thread, no UMAP warm-up, no lecture presets,
clean caches."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("AE_WARMUP", "0")
os.environ.setdefault("AE_TORCH_THREADS", "1")
os.environ.setdefault("AE_PRESETS", "0")  # tests train live; tests/test_presets.py turns them on

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _one_thread():
    from aecore.device import limit_threads

    limit_threads(1)


@pytest.fixture(autouse=True)
def _no_job_outlives_its_test():
    """Background training jobs end with the test that started them: a torch thread
    still running at interpreter exit aborts the process ("terminate called ...")."""
    yield
    jobs = sys.modules.get("ui.runtime.jobs")
    if jobs is not None:
        jobs.cancel_all()


@pytest.fixture
def user_data():
    """The upload store registered with the data registry, as the app does at start-up
    (``aecore.data.registry.set_user_data``); the store it replaced is put back after."""
    from aecore.data import registry, userdata

    previous = registry.set_user_data(userdata.STORE)
    yield userdata
    registry.set_user_data(previous)


@pytest.fixture
def clean_app_state():
    """AppTest runs share the process: clear Streamlit caches and our result cache."""
    import streamlit as st

    from ui.runtime import results

    st.cache_data.clear()
    st.cache_resource.clear()
    results.clear()
    yield
    from ui.runtime.jobs import cancel_all

    cancel_all()
    results.clear()
