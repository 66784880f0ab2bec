"""The lecturer's two pages in headless Chromium.

1. The handout, printed (print media): KaTeX renders every formula (no ``.katex-error``, one
   display block per formula), no TeX source is left in the text, and the menus and the
   download button are left out. Screenshots: artifacts/screenshots/handout-print-<lang>.png.
2. The lecture plan: each step's link (each distinct link once), followed on a fresh server with the shipped presets
   (as a class's server runs), opens its page in presenter mode at the step's view with no
   training (no progress bar ever), no error and none of what only the lecturer sees.
   Screenshot: artifacts/screenshots/plan-en.png.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from aecore import lecture
from lessons.parts import handout
from tests.browser.test_language_and_links import PROGRESS_WATCH
from tests.browser.test_pages import APP, IDLE, PROBLEMS, _content_height, _wait_quiet
from tests.tex_checks import raw_tex
from ui.kit.i18n import translate
from ui.shell.nav import PAGES

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
QUIET_S = 180  # a shared machine; no wall-clock assertion
# The main column's text with KaTeX's output and code spans taken out: what must hold no TeX.
PROSE_JS = """() => {
  const main = document.querySelector('.stMainBlockContainer').cloneNode(true);
  main.querySelectorAll('.katex, .katex-display, code, a').forEach(e => e.remove());
  return main.textContent;
}"""


def _open(browser, url: str, init: str = ""):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    if init:
        pg.add_init_script(init)
    pg.goto(url, wait_until="domcontentloaded")
    pg.wait_for_selector(APP, timeout=30_000)
    pg.wait_for_selector(IDLE, timeout=QUIET_S * 1000)
    assert _wait_quiet(pg, QUIET_S), f"{url}: still busy"
    return context, pg


def _shot(pg, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.set_viewport_size({"width": 1400, "height": max(900, min(_content_height(pg), 12000))})
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.mark.parametrize("lang", ("en", "pt", "es"))
def test_the_handout_prints_every_formula_with_katex_and_no_tex_source(browser, streamlit_server, lang):
    context, pg = _open(browser, f"{streamlit_server}/handout?lang={lang}")
    try:
        pg.emulate_media(media="print")
        assert pg.locator("[data-testid='stException']").count() == 0
        assert pg.locator(".katex-error").count() == 0, pg.locator(".katex-error").first.get_attribute("title")
        formulas = sum(len(b.formulas) for b in handout.blocks(lang))
        assert pg.locator(".stMainBlockContainer .katex-display").count() == formulas
        assert raw_tex(pg.evaluate(PROSE_JS)) == []
        for hidden in ("[data-testid='stSidebar']", ".st-key-handout-screen", "[data-testid='stHeader']"):
            assert not pg.locator(hidden).first.is_visible(), hidden
        _shot(pg, f"handout-print-{lang}.png")
    finally:
        context.close()


def test_every_plan_link_opens_its_page_in_presenter_mode_on_a_preset(browser, presets_server):
    context, pg = _open(browser, f"{presets_server}/plan?lang=en")
    try:
        assert pg.locator(".katex-error").count() == 0 and raw_tex(pg.evaluate(PROSE_JS)) == []
        hrefs = pg.locator(".stMainBlockContainer a[href*='present=1']").evaluate_all("as => as.map(a => a.href)")
        _shot(pg, "plan-en.png")
    finally:
        context.close()
    rows = lecture.plan().rows
    assert len(hrefs) == len(rows)
    titles = {p.url_path: translate(p.title_key.replace(".nav", ".title"), "en") for p in PAGES}
    first = {href: row for row, href in reversed(list(zip(rows, hrefs)))}  # steps sharing a link: opened once
    assert set(first.values()) >= {row for row in rows if row.view}
    for href, row in first.items():
        context, pg = _open(browser, href, PROGRESS_WATCH)
        try:
            query = dict(parse_qsl(urlsplit(pg.url).query))
            assert query.get("present") == "1", row.id
            assert {row.prefix + k: str(v).lower() for k, v in row.view}.items() <= query.items(), row.id
            assert pg.locator("[data-testid='stException']").count() == 0, row.id
            assert pg.locator(PROBLEMS).all_inner_texts() == [], row.id
            assert not pg.evaluate("() => window.__progressSeen"), f"{row.id}: trained instead of opening a preset"
            main = pg.locator(".stMainBlockContainer").inner_text()
            assert translate("export.title", "en") not in main, row.id  # the lecturer's panel is left out
            assert pg.locator("h1").first.inner_text().strip() == titles[row.page].strip(), row.id
        finally:
            context.close()
