"""AppTest of "Check on 5 seeds" under lesson 1's claims box: it runs in the background like
training, shows per claim on how many seeds it holds (the counts the backend's own check
finds), serves the next session from the cache, speaks the session's language, and a
stopped check is shown as far as it got and not kept."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from aecore.check import check_claims
from aecore.experiments.intro import IntroConfig
from tests.apptest_utils import is_training, no_errors, open_page, submit_form, wait_until_trained
from ui.kit.i18n import translate
from ui.runtime import checks

PAGE = "lessons/01_intro.py"
CFG = IntroConfig(epochs=30)  # a fraction of a second per seed


@pytest.fixture(autouse=True)
def _clean(clean_app_state):
    checks.clear()
    yield
    checks.clear()


def _lines(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _buttons(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def _count_texts(counts: dict, lang: str) -> list[str]:
    out = []
    for c in counts.values():
        key = "all" if c["held"] == c["of"] else "none" if c["held"] == 0 else "some"
        out.append(translate(f"check.holds_{key}", lang, held=c["held"], of=c["of"]))
    return out


def _checked(lang: str = "en") -> AppTest:
    at = open_page(PAGE, params={"epochs": "30", "lang": lang})
    wait_until_trained(at)
    at.button(key="intro.check.start").click().run()
    job = at.session_state["intro.check.job"]
    assert job.config == CFG
    wait_until_trained(at)  # the check's progress bar is gone
    no_errors(at)
    return at


def test_check_runs_in_the_background_and_shows_the_backends_counts():
    at = _checked()
    expected = check_claims("intro", CFG, 5)["claims"]
    for text in _count_texts(expected, "en"):
        assert text in _lines(at)
    assert translate("check.seeds_note", "en", first=0, last=4) in [c.value for c in at.caption]
    assert "intro.check.start" not in _buttons(at)  # done: the counts replace the button
    again = open_page(PAGE, params={"epochs": "30"})  # another student, same settings
    wait_until_trained(again)
    assert "intro.check.job" not in again.session_state  # nothing ran for them
    for text in _count_texts(expected, "en"):
        assert text in _lines(again)


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_counts_are_translated(lang):
    at = _checked(lang)
    expected = check_claims("intro", CFG, 5)["claims"]
    for text in _count_texts(expected, lang):
        assert text in _lines(at)
    assert "seeds" not in _lines(at)


def test_fewer_than_all_seeds_is_said_plainly():
    for counts, key in (({"held": 3, "of": 5}, "some"), ({"held": 0, "of": 5}, "none"), ({"held": 5, "of": 5}, "all")):
        assert translate(f"check.holds_{key}", "en", **counts) in checks.count_text(counts)
    assert "only 3/5" in translate("check.holds_some", "en", held=3, of=5)


def test_stop_shows_the_finished_seeds_and_keeps_nothing():
    at = open_page(PAGE, params={"epochs": "30"})
    wait_until_trained(at)
    submit_form(at, "intro", epochs=1500)  # long enough to stop in the first seed
    wait_until_trained(at)
    at.button(key="intro.check.start").click().run()
    job = at.session_state["intro.check.job"]
    end = time.monotonic() + 120
    while (job.last is None or job.last.epoch < 10) and time.monotonic() < end:
        time.sleep(0.1)
    at.run()
    assert is_training(at)
    status = next(el.proto.text for el in at.get("progress") if el.proto.text)
    assert "Seed 0 (1 of 5)" in status and "autoencoder" in status and "s so far" in status
    at.button(key="intro.check.stop").click().run()
    wait_until_trained(at)
    no_errors(at)
    assert job.stopped and all(c["of"] < 5 for c in job.result["claims"].values())
    assert checks._store.get("intro", job.config) is None
    done = max(c["of"] for c in job.result["claims"].values())
    assert translate("check.stopped", "en", done=done) in [c.value for c in at.caption]
    assert "intro.check.start" in _buttons(at)  # it can be run again
