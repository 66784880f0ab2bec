"""A learner at lesson 1 in headless Chromium, in English, Portuguese and Spanish: answers
one exercise rightly (its target is a lecture preset, so the verdict comes at once) and one
wrongly (a planted wrong answer: the mean never beats PCA's line, which passes through it;
5 epochs train live), and sees both verdicts with the measured numbers; the progress is then
in the URL. Expected texts come from the catalogs, numbers from the shipped presets.
Screenshots: artifacts/screenshots/learn-intro-<lang>.png."""

from __future__ import annotations

import re

import pytest

from aecore import presets
from aecore.exercises import load, target_config
from aecore.experiments.intro import IntroConfig
from tests.browser.test_pages import ARTIFACTS, IDLE, JOBS_TIMEOUT_MS, _content_height, _wait_quiet
from ui.i18n import translate
from ui.kit import num

pytestmark = pytest.mark.browser
LOAD_TIMEOUT_MS = 120_000


def _main_text(page) -> str:
    return " ".join(page.locator("[data-testid='stMain']").inner_text().split())


def _lock_in(page, ex_id: str, label: str) -> None:
    page.locator(f".st-key-learn-intro-{ex_id}-answer").get_by_text(label, exact=True).click()
    _wait_quiet(page, JOBS_TIMEOUT_MS / 1000)
    page.locator(f".st-key-learn-intro-{ex_id}-lock button").click()
    page.wait_for_selector(IDLE, timeout=LOAD_TIMEOUT_MS)
    assert _wait_quiet(page, JOBS_TIMEOUT_MS / 1000), "still busy after the exercise's run"


@pytest.mark.parametrize("lang", ["en", "pt", "es"])
def test_intro_exercise_verdicts_in_each_language(page, presets_server, lang, monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")  # read the shipped presets here too
    ratio = load("intro").exercise("noise_ratio")
    before = presets.lookup("intro", IntroConfig()).metrics
    after = presets.lookup("intro", target_config(ratio, IntroConfig())).metrics
    page.goto(f"{presets_server}/intro?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=LOAD_TIMEOUT_MS)
    _wait_quiet(page, JOBS_TIMEOUT_MS / 1000)

    _lock_in(page, "noise_ratio", translate("teach.direction.down", lang))
    box = " ".join(page.locator(".st-key-learn-intro-noise_ratio-box").inner_text().split())
    shown = f"{num(before['pca_mse'] / before['ae_mse'])} → {num(after['pca_mse'] / after['ae_mse'])}"
    assert translate("teach.right", lang) in box and shown in box, box
    assert num(after["ae_mse"]) in box  # the explanation carries the run's numbers

    _lock_in(page, "few_epochs", translate("learn.intro.exercise.few_epochs.choice.mean", lang))
    box = " ".join(page.locator(".st-key-learn-intro-few_epochs-box").inner_text().split())
    mean = re.escape(translate("learn.intro.exercise.few_epochs.choice.mean", lang))
    assert translate("teach.wrong", lang) in box, box
    assert re.search(mean + r" \d", box), f"no measured number beside the mean: {box}"
    assert "progress=intro.few_epochs-n.noise_ratio-y" in page.url

    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": max(900, min(_content_height(page), 8000))})
    page.screenshot(path=str(shots / f"learn-intro-{lang}.png"), full_page=True)
    assert not page.locator("[data-testid='stException']").all_inner_texts()
