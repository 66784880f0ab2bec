"""Open every page of the app (ui.shell.nav.PAGES) in headless Chromium: it must render with no
Streamlit exception and no browser console error. Screenshots: artifacts/screenshots/."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ui.shell.nav import PAGES

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

APP = "[data-testid='stApp']"
CONNECTED = "[data-test-connection-state='CONNECTED']"
IDLE = (
    f"{APP}{CONNECTED}[data-test-script-state='notRunning'], "
    f"{APP}{CONNECTED}[data-test-script-state='compilationError']"
)
# True while anything is still working: a script run, a progress bar, a spinner, or skeleton
# placeholders (elements of a run that has not been delivered yet).
BUSY = ", ".join(f"[data-testid='{t}']" for t in ("stProgress", "stSpinner", "stSkeleton", "stAppSkeleton"))
_idle, _busy = json.dumps(IDLE), json.dumps(BUSY)
BUSY_JS = f"() => !document.querySelector({_idle}) || !!document.querySelector({_busy})"
# Alerts a default view may show: none today. An error or a warning on a page's first view
# (training failed, a refused run, a broken link) fails the test unless it is listed here
# as (page, a substring of the alert) with the reason it is expected.
EXPECTED_ALERTS: tuple[tuple[str, str], ...] = ()
PROBLEMS = "[data-testid='stAlertContentError'], [data-testid='stAlertContentWarning']"
FIRST_RUN_TIMEOUT_MS = 90_000  # first open may train a small model
JOBS_TIMEOUT_MS = 240_000  # background jobs polled by fragments (progress bars): the family trains five models


def _benign(msg) -> bool:
    """Console noise that says nothing about the app. Streamlit's frontend, opened on a deep
    link /<page>, first probes /<page>/_stcore/{health,host-config} for a base URL path and
    logs the 404s before falling back to /_stcore/. Keep this list short."""
    url = msg.location.get("url", "")
    return "404" in msg.text and re.search(r"/_stcore/(health|host-config)$", url) is not None


def _wait_quiet(page, timeout_s: float, quiet_s: float = 3.0) -> bool:
    """Wait until the page has been idle (no run, no progress bar, no spinner) for quiet_s in a
    row: fragments that poll a background job flip the run state and may show their progress
    bar a moment after the first run. False if still busy after timeout_s."""
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        if page.evaluate(BUSY_JS):
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return True
        page.wait_for_timeout(250)
    return False


def _content_height(page) -> int:
    return page.evaluate(
        """() => Math.max(document.body.scrollHeight, ...Array.from(
            document.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer']"),
            e => e.scrollHeight))"""
    )


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders(page, streamlit_server, spec):
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(f"console.error: {m.text} ({m.location.get('url', '')})")
            if m.type == "error" and not _benign(m)
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    notes: list[str] = []
    t0 = time.monotonic()

    page.goto(f"{streamlit_server}/{spec.url}", wait_until="domcontentloaded")
    page.wait_for_selector(APP, timeout=30_000)
    page.wait_for_selector(IDLE, timeout=FIRST_RUN_TIMEOUT_MS)
    t_first = time.monotonic() - t0
    if not _wait_quiet(page, JOBS_TIMEOUT_MS / 1000):  # screenshot anyway, but note it
        notes.append(f"still busy (run/progress/spinner/skeleton) after {JOBS_TIMEOUT_MS / 1000:.0f}s")

    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": max(900, min(_content_height(page), 8000))})
    page.wait_for_timeout(500)
    shot = shots / f"{spec.url_path}.png"
    page.screenshot(path=str(shot), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})

    exceptions = page.locator("[data-testid='stException']").all_inner_texts()
    alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
    problems = [
        text
        for text in page.locator(PROBLEMS).all_inner_texts()
        if not any(p == spec.url_path and part in text for p, part in EXPECTED_ALERTS)
    ]
    report = {
        "page": spec.url_path,
        "url": page.url,
        "first_run_s": round(t_first, 1),
        "total_s": round(time.monotonic() - t0, 1),
        "screenshot": str(shot.relative_to(ARTIFACTS.parent)),
        "exceptions": exceptions,
        "console_errors": errors,
        "alerts": alerts,
        "problems": problems,
        "notes": notes,
    }
    (shots / f"{spec.url_path}.json").write_text(json.dumps(report, indent=2))

    log = "traceback in artifacts/streamlit-server.log"
    assert not exceptions, f"{spec.url_path}: Streamlit exception(s) ({log}):\n" + "\n---\n".join(exceptions)
    assert not errors, f"{spec.url_path}: browser console errors:\n" + "\n".join(errors)
    assert not problems, f"{spec.url_path}: error or warning shown on the first view:\n" + "\n---\n".join(problems)
    assert not notes, f"{spec.url_path}: " + "; ".join(notes)
    # The default page (first in PAGES) is served at "/"; any other page keeps its slug, so
    # landing on "/" means Streamlit did not know the page.
    expected = "" if spec == PAGES[0] else spec.url_path
    assert urlparse(page.url).path.strip("/") == expected, f"ended on {page.url}"
