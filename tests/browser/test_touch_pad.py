"""The drawing pad in headless Chromium: strokes drawn with the mouse on lesson 3's pad change
the ✖ on the autoencoder's map and the numbers beside it, and those numbers are the backend's
for the stroke layer the browser holds (read back from the pad's canvas, resampled and encoded
here on the same lecture preset). Undo goes back one stroke. At 1280×720, on a phone
(390×844: the pad fits the width), in Portuguese and in presenter mode (a larger pad).
Screenshots go to artifacts/touch-*.png."""

from __future__ import annotations

import base64
import io
import time

import numpy as np
import pytest
from PIL import Image

from aecore import presets
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.touch import encode
from aecore.touch.images import pad_row, spec_of
from tests.browser.conftest import ARTIFACTS, serve
from tests.browser.test_pages import APP, IDLE, _benign, _wait_quiet
from ui.kit.i18n import translate
from ui.kit.numbers import num

pytestmark = pytest.mark.browser

PAD = "[data-testid='stBidiComponentIsolated']"
QUIET_S = 120
STROKES = (
    [(0.3, 0.25), (0.5, 0.15), (0.7, 0.3), (0.5, 0.55), (0.3, 0.85), (0.7, 0.85)],  # a 2
    [(0.5, 0.1), (0.5, 0.9)],  # a bar through it
)
SCREENS = {  # id: (path and query, viewport, language, pad side in px)
    "normal": ("latent", {"width": 1280, "height": 720}, "en", 280),
    "phone": ("latent", {"width": 390, "height": 844}, "en", 280),
    "pt": ("latent?lang=pt", {"width": 1280, "height": 720}, "pt", 280),
    "presenter": (
        "latent?present=1&screen=6",
        {  # the pad's screen of the deck
            "width": 1280,
            "height": 720,
        },
        "en",
        440,
    ),
}


@pytest.fixture(scope="module")
def preset_server():
    """A server with the lecture presets on, as deployed: the pad answers on the preset that
    this test process reads too."""
    with serve({"AE_PRESETS": "1"}, "streamlit-touch-server.log") as base:
        yield base


@pytest.fixture(scope="module")
def latent():
    """Lesson 3's lecture preset, as the server reads it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AE_PRESETS", "1")
        res = presets.lookup("latent", get("latent").config_cls())
    assert res is not None
    return res


def _canvas(page, which: str):
    """The pad's Fabric canvas: "upper" takes the mouse, "lower" holds the strokes (the
    background image has a canvas of its own, also of class lower-canvas)."""
    return page.locator(f"{PAD} canvas.dc-canvas.{which}-canvas").first


def _stroke(page, points) -> None:
    box = _canvas(page, "upper").bounding_box()
    xy = [(box["x"] + u * box["width"], box["y"] + v * box["height"]) for u, v in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def _layer(page) -> np.ndarray:
    """The stroke layer the browser holds, as RGBA (what the pad sends after a stroke)."""
    url = _canvas(page, "lower").evaluate("c => c.toDataURL('image/png')")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA"))


def _shown(page) -> dict[str, str]:
    pairs = page.eval_on_selector_all(
        "[data-testid='stMetric']",
        """els => els.map(e => [e.querySelector("[data-testid='stMetricLabel']").innerText.trim(),
                               e.querySelector("[data-testid='stMetricValue']").innerText.trim()])""",
    )
    return dict(pairs)


def _mark(page, name: str) -> list[float] | None:
    """Where the figure draws the trace ``name`` (the drawing's ✖)."""
    return page.evaluate(
        """name => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
             for (const tr of (gd.data || [])) if (tr.name === name) return [tr.x[0], tr.y[0]]; }
           return null; }""",
        name,
    )


def _after(page, before: dict[str, str]) -> dict[str, str]:
    """The numbers once the pad's fragment has answered (they differ from ``before``)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        shown = _shown(page)
        if "h₁" in shown and shown != before and page.locator(IDLE).count():
            page.wait_for_timeout(500)
            return _shown(page)
    raise AssertionError(f"the pad did not answer: {_shown(page)}")


def _check_backend(page, res, lang: str) -> np.ndarray:
    """The shown numbers and ✖ are the backend's for the browser's stroke layer; its code."""
    spec = spec_of(load_dataset("digits"))
    ans = encode.answer("latent", res, pad_row(_layer(page), spec))
    shown = _shown(page)
    assert shown["h₁"] == num(ans["code"][0], 3, lang) and shown["h₂"] == num(ans["code"][1], 3, lang), shown
    assert shown[translate("touch.draw.metric.mse", lang)] == num(ans["mse"], 4, lang)
    mark = _mark(page, translate("touch.draw.drawing", lang))
    assert mark is not None and np.allclose(mark, ans["code"], atol=1e-5), (mark, ans["code"])
    return ans["code"]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_strokes_on_lesson_3s_pad_are_answered_with_the_backends_numbers(browser, preset_server, latent, screen):
    path, viewport, lang, side = SCREENS[screen]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not _benign(m) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{preset_server}/{path}", wait_until="domcontentloaded")
        page.wait_for_selector(APP, timeout=30_000)
        page.wait_for_selector(IDLE, timeout=QUIET_S * 1000)
        assert _wait_quiet(page, QUIET_S), "the page stayed busy"
        page.locator(PAD).first.scroll_into_view_if_needed()
        box = _canvas(page, "upper").bounding_box()
        assert box["width"] == pytest.approx(side, abs=1) and box["height"] == pytest.approx(side, abs=1)
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # the pad fits the screen
        assert translate("touch.draw.empty", lang) in page.locator(".stMainBlockContainer").inner_text()
        _stroke(page, STROKES[0])
        first = _after(page, {})
        code1 = _check_backend(page, latent, lang)
        _stroke(page, STROKES[1])
        second = _after(page, first)
        code2 = _check_backend(page, latent, lang)
        assert not np.allclose(code1, code2)  # the figure moved with the drawing
        page.screenshot(path=str(ARTIFACTS / f"touch-latent-{screen}.png"))
        undo = page.locator("[data-testid='stBaseButton-secondary']").filter(
            has_text=translate("touch.draw.undo", lang)
        )
        undo.click()
        back = _after(page, second)
        assert back == first and np.allclose(_mark(page, translate("touch.draw.drawing", lang)), code1, atol=1e-5)
        assert not errors, errors
    finally:
        context.close()
