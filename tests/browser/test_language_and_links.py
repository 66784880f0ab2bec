"""A student in headless Chromium: switches the language in the sidebar, then shares a link.

1. The language selector (mouse for Português, keyboard for Español) translates the page,
   the shown options of the other selectboxes included, keeps the data set chosen in the
   sidebar, and writes ?lang= into the URL.
2. Settings submitted with the keyboard go into the URL; that URL opened in a fresh browser
   context (another student, no shared session) shows the same lesson, language and knob
   value, and the result comes from the server's result cache: no progress bar, and the same
   "trained in" time as the first run.

Expected texts come from the catalogs in assets/locales/ (read with tomllib), so a
translation change does not break the test. Screenshots: artifacts/screenshots/lang-*.png.
"""

from __future__ import annotations

import re
import time
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.test_pages import APP, IDLE, JOBS_TIMEOUT_MS, _benign, _content_height, _wait_quiet
from ui.kit.i18n import LANG_NAMES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
LESSON = "intro"  # the cheapest lesson: a 2-D curve, a few hundred small full-batch epochs
EPOCHS = 120  # the linked knob value: about a second of training, and not the default (600)
LOAD_TIMEOUT_MS = 120_000  # page load, possibly training the default config first
SWITCH_TIMEOUT_MS = 60_000  # one rerun after a widget change
# Set in the page (before any of its scripts) when a progress bar ever enters the DOM.
PROGRESS_WATCH = """
window.__progressSeen = false;
new MutationObserver(() => {
  if (document.querySelector("[data-testid='stProgress']")) window.__progressSeen = true;
}).observe(document, {childList: true, subtree: true});
"""


def _strings(lang: str) -> dict[str, str]:
    """The catalog keys this test needs, straight from assets/locales/<lang>/*.toml."""
    folder = ROOT / "assets" / "locales" / lang
    common = tomllib.loads((folder / "common.toml").read_text(encoding="utf-8"))
    lesson = tomllib.loads((folder / f"{LESSON}.toml").read_text(encoding="utf-8"))
    return {
        "language": common["sidebar"]["language"],
        "dataset": common["sidebar"]["dataset"],
        **{f"data.{k}": v for k, v in common["data"].items()},
        "train": common["panel"]["train"],
        "trained_in": common["panel"]["trained_in"],
        "title": lesson["title"],
        "nav": lesson["nav"],
        "epochs": lesson["knob"]["epochs"],
        "curve": lesson["knob"]["dataset"],
        "metric_ae": lesson["metric"]["ae"],
    }


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _trained_in_re(template: str) -> re.Pattern[str]:
    """'Trained in {seconds:.1f} s.' -> a pattern matching that caption with any number."""
    before, after = re.split(r"\{seconds[^}]*\}", template)
    return re.compile(re.escape(before) + r"[0-9]+(?:[.,][0-9]+)?" + re.escape(after))


def _watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"console.error: {m.text}") if m.type == "error" and not _benign(m) else None
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    return errors


def _settle(page, what: str) -> None:
    """Connected, no script run, and no progress/spinner for a few seconds in a row."""
    page.wait_for_selector(APP, timeout=30_000)
    page.wait_for_selector(IDLE, timeout=LOAD_TIMEOUT_MS)
    assert _wait_quiet(page, JOBS_TIMEOUT_MS / 1000), f"{what}: still busy after {JOBS_TIMEOUT_MS / 1000:.0f}s"


def _shot(page, name: str) -> Path:
    """A full-height screenshot (Streamlit scrolls inside its own container, so grow the
    viewport to the content first), then back to the normal viewport."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"lang-{name}.png"
    page.set_viewport_size({"width": 1400, "height": max(900, min(_content_height(page), 8000))})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    return path


def _no_exceptions(page, step: str) -> None:
    found = page.locator("[data-testid='stException']").all_inner_texts()
    assert not found, f"{step}: Streamlit exception (see artifacts/streamlit-server.log):\n" + "\n".join(found)


def _box_in_view(page, label: str, option: str):
    """The selectbox labelled ``label``, scrolled into view first, and its ``option``."""
    box = page.get_by_role("combobox", name=label)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    return box, page.get_by_role("option", name=option, exact=True)


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` with the mouse, as a user would.

    A click first scrolls the sidebar to show the whole box, and React Aria closes a list
    whose scroll container scrolls, so the first click after a page load sometimes leaves
    the list shut: scroll first, then click until the list is open (a user clicks again)."""
    box, item = _box_in_view(page, label, option)
    for _ in range(3):
        box.click()
        for _ in range(20):
            if item.is_visible():
                item.click()
                return
            page.wait_for_timeout(250)
        page.keyboard.press("Escape")
    raise AssertionError(f"the {label!r} list did not open with {option!r} after 3 clicks")


def _type_to_choose(page, label: str, option: str) -> None:
    """Pick ``option`` with the keyboard only: focus the box, type a prefix, Enter.

    As with the mouse (see ``_choose``), React Aria shuts a list whose scroll container
    scrolls, and focusing a box can scroll the sidebar, so the filtered list sometimes
    never shows: then Escape and type again, as a user would. The filtered list may or may
    not focus its option by itself; ↓ only when it has not (an extra ↓ moves past it)."""
    from playwright.sync_api import expect

    box, item = _box_in_view(page, label, option)
    for _ in range(3):
        box.focus()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(option[:3])
        try:
            item.wait_for(timeout=4_000)
        except Exception:  # playwright's TimeoutError: the list stayed shut
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            continue
        try:
            expect(item).to_have_attribute("data-focused", "true", timeout=2_000)
        except AssertionError:
            page.keyboard.press("ArrowDown")
            expect(item).to_have_attribute("data-focused", "true", timeout=5_000)
        page.keyboard.press("Enter")
        return
    raise AssertionError(f"typing {option[:3]!r} in {label!r} did not show {option!r} after 3 tries")


def _assert_language(page, lang: str, dataset: str = "digits") -> None:
    """Title, selectors (with their chosen options), nav entry and Train button all in
    ``lang``; the URL says so."""
    from playwright.sync_api import expect

    s = _strings(lang)
    expect(page.locator("h1").first).to_have_text(s["title"], timeout=SWITCH_TIMEOUT_MS)
    expect(page.get_by_role("combobox", name=s["language"])).to_have_value(LANG_NAMES[lang])
    # A selectbox's shown option must follow the language too (and keep its choice).
    expect(page.get_by_role("combobox", name=s["dataset"])).to_have_value(s[f"data.{dataset}"])
    expect(page.get_by_role("combobox", name=s["curve"])).to_have_value(s["data.sine"])
    expect(page.locator("[data-testid='stSidebarNav']")).to_contain_text(s["nav"])
    expect(page.get_by_role("button", name=s["train"], exact=True)).to_be_visible()
    expected = [] if lang == "en" else [lang]
    page.wait_for_url(lambda url: _query(url).get("lang", []) == expected, timeout=SWITCH_TIMEOUT_MS)
    assert urlparse(page.url).path.strip("/") == LESSON


def test_sidebar_language_selector_translates_the_page_and_the_url(page, streamlit_server):

    errors = _watch_console(page)
    page.goto(f"{streamlit_server}/{LESSON}", wait_until="domcontentloaded")
    _settle(page, "English page")
    _assert_language(page, "en")
    _no_exceptions(page, "en")
    # A non-default sidebar choice that must survive the language switches (it travels in
    # the URL as ?data=, apart from the lesson's own curve setting).
    en = _strings("en")
    _choose(page, en["dataset"], en["data.swiss_roll"])
    _settle(page, "data set chosen")
    _assert_language(page, "en", dataset="swiss_roll")
    _shot(page, "1-en")

    # Mouse: open the selector and pick Português.
    _choose(page, en["language"], LANG_NAMES["pt"])
    _assert_language(page, "pt", dataset="swiss_roll")
    _settle(page, "Portuguese page")
    _no_exceptions(page, "pt")
    assert en["title"] not in page.locator("h1").first.inner_text()
    _shot(page, "2-pt")

    # Keyboard: focus the selector (now labelled in Portuguese), filter, Enter.
    _type_to_choose(page, _strings("pt")["language"], LANG_NAMES["es"])
    _assert_language(page, "es", dataset="swiss_roll")
    _settle(page, "Spanish page")
    _no_exceptions(page, "es")
    _shot(page, "3-es")
    assert not errors, "browser console errors:\n" + "\n".join(errors)


def test_shared_link_reopens_lesson_language_settings_and_cached_result(browser, streamlit_server):
    from playwright.sync_api import expect

    es = _strings("es")
    trained_in = _trained_in_re(es["trained_in"])

    # The first student: Spanish, sets the epochs with the keyboard and presses Enter.
    first = browser.new_context(viewport={"width": 1400, "height": 900})
    first.add_init_script(PROGRESS_WATCH)
    page = first.new_page()
    errors = _watch_console(page)
    page.goto(f"{streamlit_server}/{LESSON}?lang=es", wait_until="domcontentloaded")
    _settle(page, "first visit")
    _assert_language(page, "es")
    epochs = page.get_by_role("spinbutton", name=es["epochs"])
    assert epochs.input_value() != str(EPOCHS)
    epochs.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(str(EPOCHS))
    page.evaluate("window.__progressSeen = false")
    page.keyboard.press("Enter")  # Enter in a form field submits the form
    page.wait_for_url(lambda url: _query(url).get("epochs") == [str(EPOCHS)], timeout=SWITCH_TIMEOUT_MS)
    page.wait_for_function("window.__progressSeen === true", timeout=SWITCH_TIMEOUT_MS)
    _settle(page, "training after submit")
    _no_exceptions(page, "first visit")
    caption = page.get_by_text(trained_in)
    expect(caption).to_have_count(1)
    first_caption = caption.inner_text()
    _shot(page, "4-link-made")
    link = page.url
    assert _query(link).get("lang") == ["es"] and urlparse(link).path.strip("/") == LESSON
    assert not errors, "first visit, browser console errors:\n" + "\n".join(errors)
    first.close()

    # The second student: a fresh context (no cookies, no session) opens the link.
    second = browser.new_context(viewport={"width": 1400, "height": 900})
    second.add_init_script(PROGRESS_WATCH)
    page = second.new_page()
    errors = _watch_console(page)
    t0 = time.monotonic()
    try:
        page.goto(link, wait_until="domcontentloaded")
        _settle(page, "link opened")
        opened_s = time.monotonic() - t0
        _shot(page, "5-link-opened")
        _no_exceptions(page, "link opened")
        _assert_language(page, "es")
        expect(page.get_by_role("spinbutton", name=es["epochs"])).to_have_value(str(EPOCHS))
        assert _query(page.url).get("epochs") == [str(EPOCHS)]
        # The result is the one the first student trained, from the server's cache.
        expect(page.locator("[data-testid='stMetric']").filter(has_text=es["metric_ae"])).to_have_count(1)
        expect(page.get_by_text(trained_in)).to_have_text(first_caption)
        assert page.evaluate("window.__progressSeen") is False, (
            f"a progress bar showed: the linked result was trained again (page settled in {opened_s:.1f}s)"
        )
        assert not errors, "link opened, browser console errors:\n" + "\n".join(errors)
    finally:
        second.close()
