"""Lessons 1 and 3 on a phone (390×844), opened on the lecture presets (nothing trains): the main
block never scrolls sideways (tables wrap), every image strip spans at least 90 % of the
column, and no two chart titles overprint (the two panels of lesson 1)."""

from __future__ import annotations

import pytest

from tests.browser.test_screens import PHONE, _open

pytestmark = pytest.mark.browser

_MEASURE = """() => {
  const main = document.querySelector('.stMainBlockContainer');
  const style = getComputedStyle(main);  // the column: the block's width inside its padding
  const column = {width: main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)};
  const box = e => e.getBoundingClientRect();
  const hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const strips = Array.from(main.querySelectorAll('.js-plotly-plot')).filter(p =>
      p.querySelector('.heatmaplayer image') && p._fullData && p._fullData.length === 1
      && p._fullData[0].type === 'heatmap' && p._fullData[0].showscale === false)
    .map(p => box(p.querySelector('.heatmaplayer image')).width / column.width);
  const clash = [];
  for (const p of main.querySelectorAll('.js-plotly-plot')) {
    const texts = Array.from(p.querySelectorAll('.gtitle, .annotation-text-g')).filter(e => e.textContent.trim());
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
      if (hit(box(a), box(b))) clash.push(a.textContent.slice(0, 30) + ' / ' + b.textContent.slice(0, 30));
    }));
  }
  const cells = Array.from(main.querySelectorAll('[data-testid="stTable"]')).map(t => [t.scrollWidth, t.clientWidth]);
  return {overflow: main.scrollWidth - main.clientWidth, strips, clash, cells, tables: cells.length};
}"""


@pytest.mark.parametrize(("path", "tables", "strips"), [("intro", 0, 0), ("latent", 1, 1)])
def test_phone_pages_fit_the_screen(browser, presets_server, path, tables, strips):
    context, page = _open(browser, presets_server, path, PHONE)
    try:
        page.mouse.wheel(0, 20_000)  # plotly draws charts below the fold too; let them lay out
        page.wait_for_timeout(1500)
        found = page.evaluate(_MEASURE)
        assert found["overflow"] <= 1, found
        assert found["tables"] >= tables and all(scroll <= width + 1 for scroll, width in found["cells"]), found
        assert len(found["strips"]) >= strips and all(w >= 0.9 for w in found["strips"]), found
        assert found["clash"] == [], found
    finally:
        context.close()
