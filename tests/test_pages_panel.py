"""AppTest of the training panel on lesson 1: the preset is the instant first view, Train
always trains what the form shows, a cached result says so and Retrain retrains, Stop keeps
the partial model, loaded weights replay and Back restores the trained view."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from aecore import replay
from aecore.experiments import get
from aecore.experiments.intro import IntroConfig
from aecore.store import weights
from tests.apptest_utils import is_training, no_errors, open_page, submit_form, wait_until_trained
from ui.kit.i18n import translate
from ui.kit.safe import plain
from ui.runtime import results
from ui.runtime.panel import new_job

pytestmark = pytest.mark.usefixtures("clean_app_state")
PAGE = "lessons/01_intro.py"


@pytest.fixture
def presets_on(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")


def _open_with(params: dict[str, str]) -> AppTest:
    return open_page(PAGE, params=params)


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def _en(key: str) -> str:
    return translate(key, "en")


def _metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def test_first_view_shows_the_preset_without_training(presets_on):
    at = open_page(PAGE)
    no_errors(at)
    assert not is_training(at) and "intro.job" not in at.session_state
    assert _en("panel.preset_note") in _captions(at)
    assert at.button(key="intro.retrain") and _metrics(at)


def test_train_with_unchanged_settings_trains_live(presets_on):
    at = open_page(PAGE)
    submit_form(at, "intro")  # the form as it opened: the preset's settings
    job = at.session_state["intro.job"]
    assert job.config == IntroConfig() and not job.share  # the preset may not answer it
    assert is_training(at) or job.done.is_set()
    wait_until_trained(at)
    no_errors(at)
    assert job.result.source == "live" and not job.result.stopped
    assert _en("panel.preset_note") not in _captions(at) and _metrics(at)
    assert results.get("intro", IntroConfig()) is job.result  # the live run now serves the class


def test_changed_settings_train():
    at = _open_with({})
    submit_form(at, "intro", epochs=30)
    job = at.session_state["intro.job"]
    assert job.config == IntroConfig(epochs=30)
    wait_until_trained(at)
    no_errors(at)
    assert job.result.source == "live" and _metrics(at)
    assert results.get("intro", job.config) is job.result


def test_cached_result_says_so_and_retrain_retrains():
    cfg = IntroConfig(epochs=30)
    shared = get("intro").run(cfg)
    results.put("intro", cfg, shared)
    at = _open_with({"epochs": "30"})  # e.g. a link to settings someone trained before
    no_errors(at)
    assert "intro.job" not in at.session_state and not is_training(at)
    assert _en("panel.cached_note") in _captions(at) and _metrics(at)
    at.button(key="intro.retrain").click().run()
    job = at.session_state["intro.job"]
    assert job.config == cfg and not job.share
    wait_until_trained(at)
    no_errors(at)
    assert job.result is not shared and job.result.source == "live"
    assert _en("panel.cached_note") not in _captions(at)


def test_stop_keeps_the_partial_model_and_does_not_share_it():
    at = _open_with({})
    submit_form(at, "intro", epochs=5000)
    job = at.session_state["intro.job"]
    end = time.monotonic() + 120
    while job.running_since is None and time.monotonic() < end:  # out of the queue
        time.sleep(0.1)
    at.run()
    at.button(key="intro.stop").click().run()
    wait_until_trained(at)
    no_errors(at)
    assert job.result.stopped and 0 < len(job.result.histories["autoencoder"]) < 5000
    assert _en("panel.stopped_note") in [i.value for i in at.info]
    assert _metrics(at)  # the model as far as it got
    assert results.get("intro", job.config) is None


def test_loaded_weights_replay_and_back_restores_the_trained_view():
    at = _open_with({"epochs": "30"})
    wait_until_trained(at)
    trained = at.session_state["intro.job"]
    before = _metrics(at)
    res = trained.result
    files = {"mine.safetensors": weights.save_weights(res.models["autoencoder"], res.stages["autoencoder"])}
    states = replay.match(files, res)
    # what the export panel's "load" button does (a file uploader AppTest cannot drive)
    at.session_state["intro.before_load"] = trained
    at.session_state["intro.job"] = new_job("intro", trained.config, states=states, loaded_from="mine.safetensors")
    at.session_state["intro.job"].start()
    at.run()
    wait_until_trained(at)
    no_errors(at)
    assert any("mine.safetensors" in plain(i.value) for i in at.info)  # a file name: escaped (ui.kit.safe)
    assert _metrics(at) == before  # measured again on the loaded weights
    at.button(key="intro.unload").click().run()
    no_errors(at)
    assert at.session_state["intro.job"] is trained
    assert not any("mine.safetensors" in plain(i.value) for i in at.info) and _metrics(at) == before
