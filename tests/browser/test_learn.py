"""A learner in headless Chromium, on every lesson that has exercises and in English,
Portuguese and Spanish: answers the lesson's preset exercise rightly, then ("Answer again")
wrongly, and sees both verdicts with the measured numbers; the progress is then in the URL.
The exercise's target is a lecture preset, so no answer waits for training. The right answer
is read from the shipped presets' metrics (``aecore.exercises.grade``), the wrong one is
another option (or a number far outside the tolerance). Texts come from the catalogs.
Screenshots: artifacts/screenshots/learn-<lesson>-<lang>.png."""

from __future__ import annotations

import pytest

from aecore import presets
from aecore.exercises import grade, lessons, load, target_config
from aecore.experiments import registry
from tests.browser.test_pages import ARTIFACTS, IDLE, JOBS_TIMEOUT_MS, _content_height, _wait_quiet
from ui.kit.i18n import translate
from ui.kit.numbers import num as lang_num

pytestmark = pytest.mark.browser
LOAD_TIMEOUT_MS = 180_000


def _preset_exercise(lesson: str, lang: str):
    """(exercise, right answer, wrong answer, numbers the verdict must show, in ``lang``'s
    decimal mark) from the presets."""
    num = lambda v: lang_num(v, 4, lang)  # noqa: E731
    ex = next(e for e in load(lesson).exercises if e.preset)
    base = registry()[ex.experiment].config_cls()
    after = presets.lookup(ex.experiment, target_config(ex, base)).metrics
    before = presets.lookup(ex.experiment, base).metrics if ex.kind == "direction" else None
    if ex.kind == "number":
        g = grade(ex, 0.0, after)
        right, wrong = float(g.measured), float(g.measured) + 3 * g.params["tolerance"] + 1
        shown = [num(g.measured)]
    else:
        g = grade(ex, ex.options[0], after, before)
        right, wrong = g.outcome, next(o for o in ex.options if o != g.outcome)
        shown = [f"{num(g.params['before'])} → {num(g.params['after'])}"] if ex.kind == "direction" else []
        shown += [num(v) for v in g.measured.values()] if ex.kind == "choice" else []
    return ex, right, wrong, shown


def _label(ex, option: str, lang: str) -> str:
    if ex.kind == "direction":
        return translate(f"teach.direction.{option}", lang)
    return translate(f"learn.{ex.lesson}.exercise.{ex.id}.choice.{option}", lang)


def _answer(page, ex, value, lang: str) -> str:
    """Answer, lock in, wait; the exercise box's text."""
    prefix = f".st-key-learn-{ex.lesson}-{ex.id}"
    if ex.kind == "number":
        field = page.locator(f"{prefix}-answer input")
        field.fill(f"{value:.6g}")
        field.press("Enter")
    else:
        page.locator(f"{prefix}-answer").get_by_text(_label(ex, value, lang), exact=True).click()
    _wait_quiet(page, JOBS_TIMEOUT_MS / 1000)
    page.locator(f"{prefix}-lock button").click()
    page.wait_for_selector(IDLE, timeout=LOAD_TIMEOUT_MS)
    assert _wait_quiet(page, JOBS_TIMEOUT_MS / 1000), "still busy after locking in"
    return " ".join(page.locator(f"{prefix}-box").inner_text().split())


# Each lesson in one language, the three in turn (every language meets every kind of exercise
# across the lessons; tests/test_exercises.py checks every lesson's texts in every language): the
# suite stays within CI's time.
CASES = [(lesson, ("en", "pt", "es")[i % 3]) for i, lesson in enumerate(lessons())]


@pytest.mark.parametrize(("lesson", "lang"), CASES)
def test_preset_exercise_right_then_wrong(page, presets_server, lesson, lang, monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")  # read the shipped presets here too
    if reason := load(lesson).no_preset:
        pytest.skip(f"no preset exercise: {reason}")
    ex, right, wrong, shown = _preset_exercise(lesson, lang)
    page.goto(f"{presets_server}/{lesson}?lang={lang}", wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=LOAD_TIMEOUT_MS)
    _wait_quiet(page, JOBS_TIMEOUT_MS / 1000)

    box = _answer(page, ex, right, lang)
    assert translate("teach.right", lang) in box, box
    assert all(s in box for s in shown), f"{shown} not all in: {box}"
    page.locator(f".st-key-learn-{lesson}-{ex.id}-again button").click()  # back to the view before, answer again
    page.wait_for_selector(IDLE, timeout=LOAD_TIMEOUT_MS)
    _wait_quiet(page, JOBS_TIMEOUT_MS / 1000)

    box = _answer(page, ex, wrong, lang)
    assert translate("teach.wrong", lang) in box, box
    assert all(s in box for s in shown), f"{shown} not all in: {box}"
    assert f"{lesson}.{ex.id}-n" in page.url  # the latest answer is the one kept

    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": max(900, min(_content_height(page), 12000))})
    page.screenshot(path=str(shots / f"learn-{lesson}-{lang}.png"), full_page=True)
    assert not page.locator("[data-testid='stException']").all_inner_texts()
