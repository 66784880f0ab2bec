"""The latent walk and the plane in headless Chromium, on the lecture presets: a mouse click on
lesson 3's latent map puts the ✖ on the grid point clicked and shows the decoder's verdict
for it, which is the backend's (``aecore.touch.decode.decode_point`` here, on the same preset);
dragging the interpolation slider moves the ● on the map and changes the verdict to the
backend's at the t the slider shows. A click in lesson 6's plane shows the backend's angles
(``aecore.touch.plane.answer``). At 1280×720, on a phone (390×844), in Portuguese and in
presenter mode. Screenshots go to artifacts/walk-*.png."""

from __future__ import annotations

import time

import numpy as np
import pytest

from aecore import presets
from aecore.experiments import get
from aecore.figures.walk import CLICK
from aecore.touch import decode, plane
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_pages import APP, IDLE, _benign, _wait_quiet
from ui.kit.i18n import translate
from ui.kit.numbers import num

pytestmark = pytest.mark.browser

QUIET_S = 120
SCREENS = {  # id: (query, viewport, language)
    "normal": ("", {"width": 1280, "height": 720}, "en"),
    "phone": ("", {"width": 390, "height": 844}, "en"),
    "pt": ("?lang=pt", {"width": 1280, "height": 720}, "pt"),
    "presenter": (
        "?present=1&screen=7",
        {  # the walk's screen of the deck
            "width": 1280,
            "height": 720,
        },
        "en",
    ),
}


def _preset(name: str):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AE_PRESETS", "1")
        res = presets.lookup(name, get(name).config_cls())
    assert res is not None
    return res


def _open(browser, base: str, path: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not _benign(m) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector(APP, timeout=30_000)
    page.wait_for_selector(IDLE, timeout=QUIET_S * 1000)
    assert _wait_quiet(page, QUIET_S), "the page stayed busy"
    return context, page, errors


# the n-th chart holding the click grid, scrolled into view; its grid point i in page pixels
_GRID_POINT = """([n, i]) => {
  const gds = [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => (gd._fullData || []).some(tr => tr.name === 'CLICK'));
  const gd = gds[n]; gd.scrollIntoView({block: 'center'});
  const tr = gd._fullData.find(tr => tr.name === 'CLICK');
  const L = gd._fullLayout, r = gd.getBoundingClientRect();
  const x = tr.x[i], y = tr.y[i];
  return {x: x, y: y, n: tr.x.length,
          px: r.left + L.xaxis._offset + L.xaxis.l2p(x), py: r.top + L.yaxis._offset + L.yaxis.l2p(y)};
}""".replace("CLICK", CLICK)

_TRACE = """name => { for (const gd of document.querySelectorAll('.js-plotly-plot'))
  for (const tr of (gd._fullData || [])) if (tr.name === name) return [tr.x[0], tr.y[0]];
  return null; }"""


def _click_grid(page, n: int, share: float) -> np.ndarray:
    """Click the grid point at ``share`` of the n-th clickable chart's grid; its code."""
    count = page.evaluate(_GRID_POINT, [n, 0])["n"]
    at = page.evaluate(_GRID_POINT, [n, int(share * (count - 1))])
    page.wait_for_timeout(300)
    at = page.evaluate(_GRID_POINT, [n, int(share * (count - 1))])  # after the scroll settled
    page.mouse.click(at["px"], at["py"])
    return np.array([at["x"], at["y"]])


def _metrics(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "[data-testid='stMetric']",
        """els => els.map(e => [e.querySelector("[data-testid='stMetricLabel']").innerText.trim(),
                               e.querySelector("[data-testid='stMetricValue']").innerText.trim()])""",
    )


def _verdicts(page, lang: str) -> list[tuple[str, str]]:
    shown = _metrics(page)
    label, conf = translate("touch.walk.metric.label", lang), translate("touch.walk.metric.confidence", lang)
    labels = [v for k, v in shown if k == label]
    return list(zip(labels, [v for k, v in shown if k == conf]))


def _said(found: dict, lang: str = "en") -> tuple[str, str]:
    return str(found["label"]), f"{num(100 * float(found['confidence']), 3, lang)} %"


def _until(page, test, what: str):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        if page.locator(IDLE).count():
            value = test()
            if value:
                page.wait_for_timeout(300)
                return test()
    raise AssertionError(f"{what} did not come: {_metrics(page)}")


def _slider_t(page, lang: str):
    """The interpolation slider's thumb and the t it shows."""
    box = page.locator("[data-testid='stSlider']").filter(has_text=translate("touch.interp.slider", lang)).first
    value = box.locator("[data-testid='stSliderThumbValue']").first
    return box, value.locator(".."), float(value.inner_text().strip().replace(",", "."))


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_click_on_lesson_3s_map_and_the_slider_answer_with_the_backends_decodes(browser, presets_server, screen):
    query, viewport, lang = SCREENS[screen]
    res = _preset("latent")
    context, page, errors = _open(browser, presets_server, f"latent{query}", viewport)
    try:
        before = _verdicts(page, lang)
        z = _click_grid(page, 0, 0.37)
        shown = _until(page, lambda: len(_verdicts(page, lang)) > len(before) and _verdicts(page, lang), "the decode")
        mark = page.evaluate(_TRACE, translate("touch.walk.point", lang))
        assert mark is not None and np.allclose(mark, z, atol=1e-4), (mark, z)
        assert shown[0] == _said(decode.decode_point("latent", res, "ae", mark), lang)
        page.screenshot(path=str(ARTIFACTS / f"walk-latent-click-{screen}.png"), full_page=False)
        # drag the interpolation slider to the right; the verdict follows the t it shows
        box, thumb, t0 = _slider_t(page, lang)
        thumb.scroll_into_view_if_needed()
        tb, bb = thumb.bounding_box(), box.bounding_box()
        page.mouse.move(tb["x"] + tb["width"] / 2, tb["y"] + tb["height"] / 2)
        page.mouse.down()
        page.mouse.move(bb["x"] + 0.8 * bb["width"], tb["y"] + tb["height"] / 2, steps=10)
        page.mouse.up()
        t1 = _until(page, lambda: (v := _slider_t(page, lang)[2]) != t0 and v, "the slider's move")
        after = _until(page, lambda: (v := _verdicts(page, lang)) != shown and v, "the interpolation's answer")
        X, ys = decode.images("latent", res, "digits")
        _, first = np.unique(np.asarray(ys), return_index=True)
        i, j = sorted(int(k) for k in first[:10])[:2]  # the page's default ends: the first two images
        codes = decode.encode_images("latent", res, X[[i, j]])["ae"]
        path = decode.interpolate("latent", res, {"ae": (codes[0], codes[1])}, [t1])["ae"]
        assert after[1] == _said({"label": path["labels"][0], "confidence": path["confidence"][0]}, lang), (t1, after)
        at = page.evaluate(_TRACE, translate("touch.walk.at", lang))
        assert at is not None and np.allclose(at, path["codes"][0], atol=1e-4)
        page.screenshot(path=str(ARTIFACTS / f"walk-latent-slider-{screen}.png"), full_page=False)
        assert not errors, errors
    finally:
        context.close()


def test_a_click_in_lesson_6s_plane_shows_the_backends_angles(browser, presets_server):
    res = _preset("contractive")
    curve = get("contractive").config_cls().curve
    context, page, errors = _open(browser, presets_server, "contractive", {"width": 1280, "height": 720})
    try:
        x = _click_grid(page, 0, 0.61)
        label = translate("touch.plane.metric.angle", "en", model=translate("touch.plane.model_cae", "en"))
        shown = _until(page, lambda: dict(_metrics(page)).get(label), "the plane's answer")
        mark = page.evaluate(_TRACE, translate("touch.plane.point", "en"))
        assert mark is not None and np.allclose(mark, x, atol=1e-4)
        ans = plane.answer("contractive", res, curve, np.asarray(mark, np.float64))
        assert shown == f"{num(ans['models']['cae']['angle'], 3)}°"
        page.screenshot(path=str(ARTIFACTS / "walk-contractive-plane.png"), full_page=False)
        assert not errors, errors
    finally:
        context.close()
