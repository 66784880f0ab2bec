"""Framing and content-type headers: the server the image runs sends them on every
response (checked against a live server on a free port), and the proxy example in
docs/DEPLOY.md adds them as well.

Streamlit 1.67 has no option for response headers; ``serve.py`` wraps app.py in
``st.App`` with a middleware that adds them, and the Dockerfile runs it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WANTED = {"x-content-type-options": "nosniff"}
NO_FRAMING = ("x-frame-options", "DENY"), ("content-security-policy", "frame-ancestors 'none'")


def image_script() -> str:
    """The script the image's ENTRYPOINT runs (``streamlit run <script>``)."""
    text = (ROOT / "Dockerfile").read_text()
    argv = json.loads(re.findall(r"^ENTRYPOINT\s+(\[.*\])\s*$", text, re.M)[-1])
    assert argv[:2] == ["streamlit", "run"], argv
    return argv[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read(), {k.lower(): v for k, v in r.headers.items()}


@pytest.fixture(scope="module")
def server():
    """``streamlit run <the image's script>`` on a free loopback port."""
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", image_script(), "--server.headless", "true"]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    env = {**os.environ, "AE_WARMUP": "0", "AE_TORCH_THREADS": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if _get(f"{base}/_stcore/health")[0].strip() == b"ok":
                    break
            except OSError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode(errors="replace")[-2000:]
            assert time.monotonic() < deadline, "the server did not become healthy in 90 s"
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/intro"])
def test_the_server_forbids_framing_and_sniffing(server, path):
    _, headers = _get(server + path)
    assert any(headers.get(name, "").strip() == value for name, value in NO_FRAMING), headers
    for name, value in WANTED.items():
        assert headers.get(name) == value, (name, headers)


def _nginx_example() -> str:
    doc = (ROOT / "docs" / "DEPLOY.md").read_text()
    blocks = re.findall(r"```nginx\n(.*?)```", doc, re.S)
    assert len(blocks) == 1, "DEPLOY.md should hold one nginx example"
    return blocks[0]


def test_the_proxy_example_adds_the_headers_too():
    conf = _nginx_example()
    for name, value in (*NO_FRAMING, *WANTED.items()):
        line = re.search(rf"add_header\s+{re.escape(name)}\s+\"([^\"]+)\"\s+always;", conf, re.I)
        assert line and line.group(1) == value, f'nginx example: add_header {name} "{value}" always;'


def test_xsrf_does_not_depend_on_the_cookie_secret(monkeypatch):
    """What deploy/k8s/secret.yaml says: Streamlit 1.67's XSRF check compares the cookie with
    the token the page sends, whatever server.cookieSecret is (so any pod accepts it)."""
    from streamlit import config
    from streamlit.web.server.starlette import starlette_app_utils as xsrf

    token = xsrf.generate_xsrf_token_string()
    for secret in ("one pod's secret", "another pod's secret"):
        monkeypatch.setattr(config, "get_option", lambda key, s=secret: s if key == "server.cookieSecret" else None)
        assert xsrf.validate_xsrf_token(token, token)
    assert not xsrf.validate_xsrf_token(xsrf.generate_xsrf_token_string(), token)
    comment = (ROOT / "deploy" / "k8s" / "secret.yaml").read_text()
    assert "XSRF does not use it" in comment and "XSRF cookie issued by one pod is accepted" not in comment
