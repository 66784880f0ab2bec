"""Browser-test fixtures: a live Streamlit server on a free port and Debian's headless Chromium.

Chromium is never downloaded (no `playwright install`): we drive /usr/bin/chromium (or
$CHROMIUM_PATH). Without it the browser tests skip, except under CI=true, where it is an error.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HEALTH_TIMEOUT_S = 60


def _missing(reason: str):
    """Skip locally, but fail under CI=true: there the environment must be complete."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().strip() == b"ok"
    except OSError:
        return False


@contextmanager
def serve(env_extra: dict[str, str] | None = None, log_name: str = "streamlit-server.log"):
    """Base URL of `streamlit run app.py` in the repo root with ``env_extra`` in its
    environment; stopped (and its log's tail printed) when the block ends."""
    if not (ROOT / "app.py").is_file():
        _missing("app.py not found in the repo root")
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log_path = ARTIFACTS / log_name
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    env.setdefault("AE_TORCH_THREADS", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT_S
            while not _healthy(f"{base}/_stcore/health"):
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited with {proc.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit not healthy after {HEALTH_TIMEOUT_S}s; see {log_path}")
                time.sleep(0.25)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                sys.stderr.write("streamlit ignored SIGTERM for 15 s; killing it\n")
                proc.kill()
                proc.wait(timeout=15)
    tail = log_path.read_text(errors="replace")[-4000:]
    sys.stderr.write(f"\n--- streamlit server log (tail, full log: {log_path}) ---\n{tail}\n")


@pytest.fixture(scope="session")
def streamlit_server():
    """Base URL of `streamlit run app.py` in the repo root; stopped (and logged) at teardown."""
    with serve() as base:
        yield base


@pytest.fixture(scope="session")
def presets_server():
    """The same with the lecture presets on (AE_PRESETS=1), as a class's server runs."""
    with serve({"AE_PRESETS": "1"}, "streamlit-server-presets.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Playwright sync API)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (requirements-dev.txt)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    """A fresh 1400x900 page per test, in its own context (no shared cookies/session)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()
