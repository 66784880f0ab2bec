"""The code style CI enforces: ruff's lint rules and its formatter (pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=["check", "format"])
def test_ruff(args):
    if RUFF is None:
        pytest.fail("ruff is not installed; run `make venv` (requirements-dev.txt pins it).")
    out = subprocess.run([RUFF, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"`ruff {' '.join(args)}` failed; run `ruff format .`:\n{out.stdout}{out.stderr}"
