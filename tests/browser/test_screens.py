"""The app on a projector and on a phone, measured in headless Chromium.

Presenter mode at 1280×720: metric values ≥ 40 px and chart ticks, legends and titles ≥ 18 px
on the first screen, prose ≥ 22 px on the screen of the folded explanations (getComputedStyle),
and the lecturer-only parts hidden (the preset's or cached
result's note, the Export & share panel, the settings' tooltips);
the same page in normal mode shows them (the test can fail). Previous / Next: the ← → keys
when presenting, buttons at the bottom otherwise. Phone at 390×844: the sidebar starts
collapsed, chart toolbars are hidden (they would cover titles), equations scroll sideways.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.test_pages import APP, IDLE, _wait_quiet
from ui.kit.i18n import translate
from ui.shell.nav import PAGES

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
QUIET_S = 180  # training under load; no wall-clock assertion

_SIZES = """() => {
  const main = document.querySelector('.stMainBlockContainer');
  const px = (sel) => Array.from(main.querySelectorAll(sel))
      .filter(e => (e.textContent || '').trim() && e.getClientRects().length)
      .map(e => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 40)]);
  return {
    metric: px('[data-testid="stMetricValue"]'),
    prose: px('p, li'),
    ticks: px('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text'),
    legend: px('.js-plotly-plot .legendtext'),
    titles: px('.js-plotly-plot .gtitle, .js-plotly-plot .annotation-text, .js-plotly-plot .g-xtitle text'),
  };
}"""


def _open(browser, base: str, path: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector(APP, timeout=30_000)
    page.wait_for_selector(IDLE, timeout=QUIET_S * 1000)
    assert _wait_quiet(page, QUIET_S), f"{path}: still busy"
    return context, page


def _small(found: list, least: float) -> list:
    return [f for f in found if f[0] < least]


def _lecturer_only(page) -> dict:
    main = page.locator(".stMainBlockContainer")
    text = main.inner_text()
    return {
        "note": any(translate(f"panel.{k}_note", "en") in text for k in ("cached", "preset")),
        "export": main.get_by_text(translate("export.title", "en")).count() > 0,
        "tooltips": main.locator("[data-testid='stTooltipIcon']").count() > 0,
    }


def test_presenter_mode_reads_from_the_back_row(browser, streamlit_server):
    first, _ = _open(browser, streamlit_server, "intro", PROJECTOR)  # trains: the next sessions find it cached
    first.close()
    normal, page = _open(browser, streamlit_server, "intro", PROJECTOR)
    assert _lecturer_only(page) == {"note": True, "export": True, "tooltips": True}
    normal.close()
    present, page = _open(browser, streamlit_server, "intro?present=1", PROJECTOR)
    try:
        assert _lecturer_only(page) == {"note": False, "export": False, "tooltips": False}
        sizes = page.evaluate(_SIZES)  # the first screen: the result
        assert sizes["metric"] and not _small(sizes["metric"], 40), sizes["metric"]
        for kind in ("ticks", "legend", "titles"):
            assert sizes[kind] and not _small(sizes[kind], 18), (kind, _small(sizes[kind], 18))
        fold = page.get_by_text(translate("present.read_more", "en")).first
        for _ in range(10):  # on to the screen of the folded prose
            if fold.is_visible():
                break
            page.locator("h1").first.click()
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(1500)
            _wait_quiet(page, QUIET_S)
        fold.click()
        page.wait_for_timeout(500)
        sizes = page.evaluate(_SIZES)
        assert len(sizes["prose"]) > 3 and not _small(sizes["prose"], 22), _small(sizes["prose"], 22)
        fold.click()
        page.wait_for_timeout(300)
        page.screenshot(path="artifacts/presenter-intro.png")
    finally:
        present.close()


def _slug(page) -> str:
    return urlparse(page.url).path.strip("/")


def test_previous_and_next_follow_the_arrow_keys_when_presenting(browser, streamlit_server):
    context, page = _open(browser, streamlit_server, "?present=1", PROJECTOR)  # the home page
    try:
        assert page.locator(".st-key-pager-top-next").count() == 1
        assert page.locator(".st-key-pager-top-previous").count() == 0  # home is first
        for _ in range(6):  # through home's screens (ui.kit.deck), then on to the lesson after it
            page.locator("h1").first.click()  # focus on the page, not in a field
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(1500)
            _wait_quiet(page, QUIET_S)
            if _slug(page) == PAGES[1].url_path:
                break
        page.wait_for_url(f"**/{PAGES[1].url_path}*", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=QUIET_S * 1000)
        assert "present=1" in page.url and page.locator(".st-key-pager-top-previous").count() == 1
        _wait_quiet(page, QUIET_S)
        page.locator("h1").first.click()
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => location.pathname.replace(/\\//g, '') === ''", timeout=30_000)
        assert _slug(page) == ""
    finally:
        context.close()


def test_previous_and_next_sit_at_the_bottom_of_normal_pages(browser, streamlit_server):
    context, page = _open(browser, streamlit_server, "intro", PROJECTOR)
    try:
        assert page.locator(".st-key-pager-top-next").count() == 0
        prev, nxt = page.locator(".st-key-pager-bottom-previous"), page.locator(".st-key-pager-bottom-next")
        assert prev.count() == 1 and nxt.count() == 1
        title = page.locator("h1").first.bounding_box()
        assert prev.bounding_box()["y"] > title["y"] + 300  # after the lesson, not above it
        prev.locator("button").click()
        before = PAGES[[p.url_path for p in PAGES].index("intro") - 1].url_path  # the lesson before intro
        page.wait_for_function(f"() => location.pathname.replace(/\\//g, '') === '{before}'", timeout=30_000)
    finally:
        context.close()


_PHONE = """() => {
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const eq = Array.from(document.querySelectorAll('.katex-display'));
  const wide = eq.find(e => e.scrollWidth > e.clientWidth + 4);
  let scrolled = -1;
  if (wide) { wide.scrollLeft = 60; scrolled = wide.scrollLeft; }
  return {
    sidebarRight: bar ? bar.getBoundingClientRect().right : null,
    equations: eq.map(e => getComputedStyle(e).overflowX),
    scrolled,
    toolbars: Array.from(document.querySelectorAll('.js-plotly-plot .modebar-container'))
        .map(e => getComputedStyle(e).display),
  };
}"""


def test_phone_sidebar_toolbars_and_equations(browser, streamlit_server):
    context, page = _open(browser, streamlit_server, "intro", PHONE)
    try:
        found = page.evaluate(_PHONE)
        assert found["sidebarRight"] is not None and found["sidebarRight"] <= 0, found  # collapsed
        assert found["equations"] and set(found["equations"]) <= {"auto", "scroll"}, found
        assert found["scrolled"] > 0, found  # the lesson's equation is wider than a phone: it scrolls
        assert found["toolbars"] and set(found["toolbars"]) == {"none"}, found
        page.set_viewport_size(PROJECTOR)  # the toolbar stays where there is room for it
        page.wait_for_timeout(500)
        assert "none" not in set(page.evaluate(_PHONE)["toolbars"])
    finally:
        context.close()


@pytest.mark.parametrize("epochs", [41, 42, 43, 44])
def test_language_and_data_survive_the_first_click_after_training(browser, streamlit_server, epochs):
    """A page's first training ends with a rerun asked from the polling fragment (ui.runtime.live); the
    sidebar's boxes used to fall back to their defaults on the next click (English, digits) in
    about half of the tries. Each parameter is a fresh config: it trains on opening."""
    context, page = _open(browser, streamlit_server, f"intro?lang=pt&data=swiss_roll&epochs={epochs}", PROJECTOR)
    try:
        page.get_by_role("button", name=translate("panel.train", "pt")).click()
        page.wait_for_timeout(1500)
        assert _wait_quiet(page, QUIET_S)
        assert page.locator("h1").first.inner_text() == translate("intro.title", "pt")
        assert "lang=pt" in page.url and "data=swiss_roll" in page.url, page.url
    finally:
        context.close()
