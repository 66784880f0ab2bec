"""The caps on the pages: a long run from a link is refused or asks first,
a click starts it, and a session may start only so many jobs in a while."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from aecore import cost
from tests.apptest_utils import APP, is_training, no_errors, submit_form, wait_until_trained
from ui.kit.safe import plain
from ui.runtime import guard

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _open(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({k: str(v) for k, v in query.items()})
    at.run()
    at.switch_page(page)
    at.run()
    no_errors(at)
    return at


def _shown(at: AppTest, kind: str = "alert") -> str:
    kinds = ("error", "warning", "info", "success") if kind == "alert" else (kind,)
    return " ".join(plain(e.proto.body) for k in kinds for e in at.get(k))


def test_a_link_to_an_hours_long_run_is_refused_and_names_the_knob():
    at = _open("lessons/02_pca.py", linear_solver="adam", linear_batch=1, linear_epochs=5000)
    text = _shown(at, "alert")
    assert "Not started" in text and "limit here is" in text, text
    assert "Linear AE sweeps (ALS) or epochs (Adam)" in text or "linear_epochs" in text, text
    assert not is_training(at)


def test_a_link_above_the_link_cap_asks_first_and_a_click_starts_it(monkeypatch):
    monkeypatch.setattr(cost, "LINK_CAP_S", 1e-3)  # every run is "long" for a link now
    at = _open("lessons/01_intro.py", epochs=40)
    assert "does not start by itself" in _shown(at, "alert") and not is_training(at)
    at.button(key="intro.start_long").click().run()
    assert is_training(at) or at.metric, "the click did not start the run"
    wait_until_trained(at)
    no_errors(at)
    assert at.metric


def test_the_forms_train_button_counts_as_the_click(monkeypatch):
    monkeypatch.setattr(cost, "LINK_CAP_S", 1e-3)
    at = _open("lessons/01_intro.py")
    assert "does not start by itself" in _shown(at, "alert")
    submit_form(at, "intro", epochs=30)
    assert "does not start by itself" not in _shown(at, "alert")
    wait_until_trained(at)
    assert at.metric


def test_a_session_may_start_only_so_many_jobs_in_a_while(monkeypatch):
    monkeypatch.setattr(guard, "MAX_STARTS", 2)
    at = _open("lessons/01_intro.py")  # the first view's run is start 1
    submit_form(at, "intro", epochs=20)  # start 2
    submit_form(at, "intro", epochs=21)  # start 3: refused
    text = _shown(at, "alert")
    assert "this session started 2 runs in the last 10 minutes" in text, text
    assert not is_training(at)
