"""``python -m aecore bench``: the map timings in quick mode, the page-timing tool against a
real server, and the notes printed when the page section cannot run.

No wall-clock asserts: the machine may be shared; only that every row is produced.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from aecore import cli
from aecore.bench import core as bench

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import pagetime  # noqa: E402


@pytest.mark.slow  # ~25 s on a quiet 2-core machine (UMAP's numba compilation included), ~50 s busy
def test_maps_quick_mode_has_every_row(capsys):
    caps = bench.map_sizes(quick=True)
    assert caps["tsne"] < caps["umap"]
    bench.print_maps(quick=True)
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("   ")}
    for method in ("PCA", "autoencoder", "t-SNE", "UMAP"):
        assert method in rows, out
    assert rows["t-SNE"][-1] == "-"  # not fitted above its cap
    for method in ("PCA", "autoencoder", "UMAP"):
        assert all(math.isfinite(float(v)) for v in rows[method][-2:]), out
    assert "numba compilation" in out


def test_map_seconds_keys():
    """The same code as the quick mode, at tiny sizes (the fast check)."""
    secs, compile_s = bench.map_seconds({"tsne": 60, "umap": 90})
    assert set(secs) == {("pca", 60), ("ae", 60), ("tsne", 60), ("umap", 60), ("pca", 90), ("ae", 90), ("umap", 90)}
    assert all(v >= 0 for v in secs.values()) and set(compile_s) == {"warm-up"}


@pytest.mark.parametrize("argv, quick, pages", [([], False, True), (["--quick", "--no-pages"], True, False)])
def test_bench_flags_reach_the_bench(monkeypatch, argv, quick, pages):
    """``python -m aecore bench`` hands its flags to ``run_bench`` and returns its status."""
    seen = []
    monkeypatch.setattr(bench, "run_bench", lambda **kw: seen.append(kw) or 3)
    assert cli.main(["bench", *argv]) == 3
    assert seen == [{"quick": quick, "pages": pages}]


def test_page_section_skips_without_the_tool(capsys, tmp_path):
    bench.print_pages(True, tool=tmp_path / "tools" / "pagetime.py")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "skipped" in out[0] and "source checkout" in out[0]


def test_page_section_skips_without_streamlit(capsys, monkeypatch):
    real = bench.importlib.util.find_spec
    monkeypatch.setattr(
        bench.importlib.util, "find_spec", lambda name, *a: None if name == "streamlit" else real(name, *a)
    )
    bench.print_pages(True)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "skipped" in out[0] and "streamlit" in out[0]


def test_page_section_prints_the_tools_table(capsys, tmp_path):
    """The subprocess plumbing, with a stand-in tool that prints a fixed report."""
    (tmp_path / "app.py").write_text("")
    tool = tmp_path / "tools" / "pagetime.py"
    tool.parent.mkdir()
    rep = {
        "repeats": 1,
        "pages": [
            {"page": "home", "cold_s": 2.0, "warm_s": 0.1, "ratio": 20.0, "errors": []},
            {"page": "vae", "cold_s": None, "warm_s": None, "ratio": None, "errors": ["cold: boom"]},
        ],
    }
    tool.write_text(f"import json, sys\nprint(json.dumps({rep!r}))\nsys.exit(1)\n")
    bench.print_pages(True, tool=tool)
    out = capsys.readouterr().out
    assert "cold s" in out and "cold/warm" in out
    assert any(line.split()[:4] == ["home", "2.00", "0.10", "20.0×"] for line in out.splitlines())
    assert "vae: cold: boom" in out


def test_pagetime_refuses_unknown_pages_and_bounds():
    for args in (["--pages", "nope"], ["--repeats", "0"], ["--deadline", "601"], ["--budget", "0"]):
        with pytest.raises(SystemExit) as exc:
            pagetime.main(args)
        assert exc.value.code == 2


def test_pagetime_knows_every_page():
    from ui.shell.nav import PAGES

    assert pagetime.all_pages() == [p.url_path for p in PAGES]


def test_pagetime_row_against_a_real_server():
    """intro trains its default model on load: the cold view waits for it, the warm one
    reads the cached result."""
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "pagetime.py"),
            "--json",
            "--pages",
            "intro",
            "--repeats",
            "1",
            "--deadline",
            "240",
            "--budget",
            "300",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rep = json.loads(proc.stdout.strip().splitlines()[-1])
    (row,) = rep["pages"]
    assert row["page"] == "intro" and row["errors"] == []
    assert row["cold_s"] is not None and row["warm_s"] is not None and row["ratio"] is not None
    assert row["trained"] and not row["warm_trained"]  # cold trained, warm did not
    assert row["elements"]["warm"] > 0
    assert rep["env"]["AE_WARMUP"] == "0" and rep["env"]["AE_PRESETS"] == "0"
