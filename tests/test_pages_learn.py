"""The teaching layer on lesson 1 in AppTest: one exercise answered rightly (its target is a
lecture preset: graded at once), one wrongly (a planted wrong answer: the mean can never beat
PCA's line, which passes through it), both verdicts with the measured numbers; progress kept
in the session and the URL, restored from a link with unknown entries dropped, and never seen
by another session."""

from __future__ import annotations

import pytest

from aecore import presets
from aecore.exercises import load, target_config
from aecore.experiments.intro import IntroConfig
from tests.apptest_utils import no_errors, open_page, wait_until_trained
from ui.kit.i18n import translate
from ui.kit.page import fmt, num
from ui.kit.safe import plain
from ui.learn import progress

pytestmark = pytest.mark.usefixtures("clean_app_state")


@pytest.fixture
def presets_on(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")


def _texts(at) -> str:
    return " ".join(plain(m.value) for m in at.markdown)


def _answer(at, ex_id: str, value) -> None:
    widget = f"learn.intro.{ex_id}.answer"
    (at.number_input(key=widget) if isinstance(value, float) else at.radio(key=widget)).set_value(value)
    at.run()
    at.button(key=f"learn.intro.{ex_id}.lock").click()
    at.run()
    wait_until_trained(at)


def test_intro_exercises_right_and_wrong_with_measured_numbers(presets_on):
    at = open_page("lessons/01_intro.py")
    no_errors(at)
    ex = load("intro").exercise("noise_ratio")
    before = presets.lookup("intro", IntroConfig()).metrics
    after = presets.lookup("intro", target_config(ex, IntroConfig())).metrics
    assert before["pca_mse"] / before["ae_mse"] > 1.1 * after["pca_mse"] / after["ae_mse"]  # "down" is right here

    _answer(at, "noise_ratio", "down")
    no_errors(at)
    assert at.session_state["intro.cfg"] == target_config(ex, IntroConfig())  # the form shows the change
    assert at.number_input(key="intro.w.noise").value == 0.3
    text = _texts(at)
    ratio = (num(before["pca_mse"] / before["ae_mse"]), num(after["pca_mse"] / after["ae_mse"]))
    assert translate("teach.right") in text and f"{ratio[0]} → {ratio[1]}" in text
    assert num(after["ae_mse"]) in text  # the explanation carries the run's numbers

    _answer(at, "few_epochs", "mean")  # trains 5 epochs live
    no_errors(at)
    m = at.session_state["intro.job"].result.metrics
    text = _texts(at)
    assert translate("teach.wrong") in text and num(m["pca_mse"]) in text and num(m["mean_mse"]) in text
    assert at.session_state[progress.STATE] == {"intro": {"noise_ratio": True, "few_epochs": False}}
    assert at.query_params[progress.PARAM] in ("intro.few_epochs-n.noise_ratio-y", ["intro.few_epochs-n.noise_ratio-y"])

    at.button(key="learn.intro.few_epochs.back").click()  # back to the view before
    at.run()
    assert at.session_state["intro.cfg"].epochs == target_config(ex, IntroConfig()).epochs == 600

    other = open_page("lessons/01_intro.py")  # another browser session sees none of it
    assert other.session_state[progress.STATE] == {}
    assert "learn.intro.noise_ratio" not in other.session_state


def test_no_answer_no_run_and_nothing_shown_before_it(presets_on):
    at = open_page("lessons/01_intro.py")
    assert at.button(key="learn.intro.noise_ratio.lock").disabled  # no answer chosen yet
    text = _texts(at)
    m = presets.lookup("intro", IntroConfig()).metrics  # the recap: objectives with the claim of the run on screen
    assert translate("learn.intro.objective.bend") in text and translate("intro.claims.ae_beats_pca", **fmt(m)) in text
    for outcome in ("up", "same", "down"):
        assert translate(f"learn.intro.exercise.noise_ratio.why.{outcome}")[:40] not in text


def test_progress_link_is_restored_and_checked():
    link = "intro.noise_ratio-y.loss-n.bogus-y~nope.x-y~intro.few_epochs-maybe"
    at = open_page("lessons/12_progress.py", params={"progress": link})
    no_errors(at)
    assert at.session_state[progress.STATE] == {"intro": {"noise_ratio": True, "loss": False}}
    assert any("3" in w.value for w in at.warning)  # bogus, nope and -maybe dropped, not echoed
    assert "bogus" not in " ".join(w.value for w in at.warning)
    shown = " ".join(c.value for c in at.code)
    assert "progress=intro.loss-n.noise_ratio-y" in shown


def test_progress_encoding_round_trips_and_refuses_junk():
    state = {"intro": {"noise_ratio": True, "loss": False}}
    assert progress.decode(progress.encode(state)) == (state, 0)
    assert progress.decode("x" * (progress.MAX_CHARS + 1)) == ({}, 1)
    assert progress.decode("<script>.a-y") == ({}, 1)
    assert progress.decode("") == ({}, 0)


def test_sparse_number_exercise_from_its_preset(presets_on):
    from aecore.experiments.sparse import SparseConfig

    at = open_page("lessons/05_sparse.py")
    no_errors(at)
    ex = load("sparse").exercise("rho_share")
    m = presets.lookup("sparse", target_config(ex, SparseConfig())).metrics
    at.number_input(key="learn.sparse.rho_share.answer").set_value(round(m["kl_fraction_active"], 2))
    at.run()
    at.button(key="learn.sparse.rho_share.lock").click()
    at.run()
    no_errors(at)
    job = at.session_state["sparse.job"] if "sparse.job" in at.session_state else None
    assert job is None or job.config != at.session_state["sparse.cfg"]  # the preset answered: nothing trained
    text = _texts(at)
    assert translate("teach.right") in text and num(m["kl_fraction_active"]) in text
    assert num(m["kl_mean_activation"]) in text  # the explanation's numbers are the run's
    assert at.session_state[progress.STATE] == {"sparse": {"rho_share": True}}


def test_presenter_mode_folds_exercises_and_self_check(presets_on):
    at = open_page("lessons/01_intro.py", params={"present": "1"})
    no_errors(at)
    folds = {e.label for e in at.expander}
    assert translate("teach.heading") in folds and translate("teach.selfcheck", n=4) in folds
    assert translate("teach.heading") not in [h.value for h in at.subheader]  # no open section heading
