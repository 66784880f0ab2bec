"""Export weights from a lesson in the browser, load them back, and see the same numbers:
the loaded-weights note names the file, every metric is unchanged, and Back restores the
trained view."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_pages import FIRST_RUN_TIMEOUT_MS, _wait_quiet
from ui.kit.i18n import translate

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _en(key: str, **kw) -> str:
    return translate(key, "en").format(**kw)


def _metrics(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def test_weights_download_then_load_back_reproduces_the_lesson(page, streamlit_server, tmp_path):
    page.goto(f"{streamlit_server}/intro")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=FIRST_RUN_TIMEOUT_MS)
    assert _wait_quiet(page, 90)
    before = _metrics(page)
    panel = page.locator("[data-testid='stExpander']").filter(has_text=_en("export.title"))
    panel.get_by_text(_en("export.title")).click()
    with page.expect_download() as dl:
        panel.get_by_role("button", name=_en("export.weights", model="autoencoder")).click()
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.suffix == ".safetensors" and path.stat().st_size > 0

    panel.locator("input[type=file]").set_input_files(str(path))
    panel.get_by_role("button", name=_en("export.load_run")).click()
    note = page.get_by_text(_en("panel.loaded_note", files=path.name)[:40])
    note.wait_for(timeout=FIRST_RUN_TIMEOUT_MS)
    assert _wait_quiet(page, 90)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "weights-loaded.png"), full_page=True)
    assert path.name in note.first.inner_text().replace("\u2060", "")  # ui.kit.safe breaks auto-links with U+2060
    assert _metrics(page) == before  # measured again on the loaded weights: identical

    page.get_by_role("button", name=_en("panel.back_to_trained")).click()
    assert _wait_quiet(page, 60)
    assert note.count() == 0 and _metrics(page) == before


def test_foreign_file_gets_a_message_and_keeps_the_page(page, streamlit_server, tmp_path):
    page.goto(f"{streamlit_server}/intro")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=FIRST_RUN_TIMEOUT_MS)
    assert _wait_quiet(page, 90)
    bad = tmp_path / "model.safetensors"
    bad.write_bytes(b"\x80\x04\x95 a pickle, not safetensors")
    panel = page.locator("[data-testid='stExpander']").filter(has_text=_en("export.title"))
    panel.get_by_text(_en("export.title")).click()
    panel.locator("input[type=file]").set_input_files(str(bad))
    panel.get_by_role("button", name=_en("export.load_run")).click()
    err = page.get_by_text("model.safetensors").first  # the message names the file
    err.wait_for(timeout=30_000)
    assert "safetensors" in err.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stMetricValue']").count() > 0  # the lesson is still there
