"""Screenshot pages of a running app in headless Debian Chromium (for a human to look at).

    python tools/screenshot.py http://127.0.0.1:8501 home intro pca --out artifacts/shots
Waits until each page has finished running and no progress bar is left (bounded).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser tests' flags)

BUSY = (
    "[data-testid='stProgress']",
    "[class*='st-key-'][class*='-stop']",
    "[data-testid='stApp'][data-test-script-state='running']",
)


def shoot(base: str, pages: list[str], out: Path, wait_s: float, width: int, height: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        for slug in pages:
            page.goto(f"{base.rstrip('/')}/{slug}")
            page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
            end, calm = time.monotonic() + wait_s, 0
            while time.monotonic() < end and calm < 4:  # 4 quiet checks in a row
                time.sleep(1)
                busy = sum(page.locator(sel).count() for sel in BUSY)
                calm = 0 if busy else calm + 1
            page.screenshot(path=str(out / f"{slug}.png"), full_page=True)
            print("saved", out / f"{slug}.png")
        browser.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("pages", nargs="+")
    ap.add_argument("--out", default="artifacts/shots")
    ap.add_argument("--wait", type=float, default=90)
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=2400)
    a = ap.parse_args()
    shoot(a.base, a.pages, Path(a.out), a.wait, a.width, a.height)
