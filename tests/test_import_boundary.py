"""The backend never imports Streamlit: import every aecore module in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, json, pkgutil, sys
import aecore
names = ["aecore"]
for info in pkgutil.walk_packages(aecore.__path__, "aecore."):
    if info.name.split(".")[-1] == "__main__":
        continue  # running it would start the CLI
    importlib.import_module(info.name)
    names.append(info.name)
print(json.dumps({"modules": names, "streamlit": sorted(
    m for m in sys.modules if m == "streamlit" or m.startswith("streamlit."))}))
"""


def test_aecore_does_not_import_streamlit():
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"importing aecore failed:\n{proc.stderr}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(result["modules"]) > 1, "no aecore submodules found"
    assert result["streamlit"] == [], (
        f"aecore pulled in streamlit ({result['streamlit'][:5]}); modules: {result['modules']}"
    )
