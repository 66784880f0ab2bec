"""The load script (tools/loadtest.py): its guards, and a small run against a real server.

The slow test starts ``streamlit run app.py`` through the script itself, drives three
websocket-protocol sessions (home, then intro: its default training, then a form submit
with a seed of their own) and checks the JSON report: no errors, every page rendered,
every session trained. No wall-clock asserts: the machine may be shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import loadtest  # noqa: E402


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501", "http://localhost:9/x", "ws://[::1]:8501"])
def test_loopback_accepted(url):
    host, port = loadtest.check_loopback(url)
    assert host in loadtest.LOOPBACK and port > 0


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1:8501",
        "http://example.com",
        "http://127.0.0.2:8501",
        "http://0.0.0.0:8501",
        "http://localhost.evil.com",
        "ftp://127.0.0.1",
        "http://user@192.168.1.1:8501",
    ],
)
def test_non_loopback_refused(url):
    with pytest.raises(ValueError):
        loadtest.check_loopback(url)


@pytest.mark.parametrize(
    "args",
    [
        ["--sessions", "0"],
        ["--sessions", "51"],
        ["--duration", "601"],
        ["--duration", "0"],
        ["--url", "http://example.com:8501"],
        ["--pages", "home", "--train", "intro"],
    ],
)
def test_bounds_refused_before_anything_starts(args):
    with pytest.raises(SystemExit) as exc:
        loadtest.main(args)
    assert exc.value.code == 2


def test_percentile_nearest_rank():
    vals = [float(v) for v in range(1, 21)]
    assert loadtest.percentile(vals, 50) == 10.0
    assert loadtest.percentile(vals, 95) == 19.0
    assert loadtest.percentile([3.0], 95) == 3.0
    assert loadtest.percentile([], 50) is None


def test_queued_pattern_matches_the_panel_text():
    from ui.kit.i18n import translate

    text = translate("panel.queued", "en").format(position=3)
    assert loadtest._queued_pattern().search(text)


@pytest.mark.slow
def test_three_sessions_against_a_real_server(tmp_path):
    out = tmp_path / "load.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "loadtest.py"),
            "--sessions",
            "3",
            "--duration",
            "420",
            "--pages",
            "home,intro",
            "--train",
            "intro",
            "--ramp",
            "1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.exists(), proc.stdout + proc.stderr
    rep = json.loads(out.read_text())
    summary = rep["summary"]
    assert summary["errors"] == 0, summary["error_samples"]
    assert summary["timeouts"] == 0
    assert rep["prime_errors"] == []
    assert summary["sessions_complete"] == 3
    for s in rep["sessions_detail"]:
        assert s["errors"] == [] and s["session_id"]
        opened = [p for p in s["pages"] if p["action"] == "open"]
        assert [p["page"] for p in opened] == ["home", "intro"]
        for p in s["pages"]:
            assert p["page_s"] is not None and p["elements"] > 0 and p["errors"] == []
        train = [p for p in s["pages"] if p["action"] == "train"]
        assert len(train) == 1 and train[0]["trained"] and train[0]["ready_s"] is not None
    mem = rep["memory"]
    assert mem["peak_bytes"] and mem["peak_bytes"] >= mem["start_bytes"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
