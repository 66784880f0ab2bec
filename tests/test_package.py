"""The project as an installable package: ``pip install --no-deps -e .`` makes ``aecore``
importable from any folder, ``python -m aecore script NAME`` prints the page's reproduce
export, and that script, run from a temporary folder with the installed environment's
python (no PYTHONPATH), prints the run's metrics as JSON — the ones the backend computes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib

import pytest

import aecore
from aecore import cost
from aecore.cli import main
from aecore.experiments import get
from aecore.store.script import script_for
from tests.conftest import ROOT

TINY = {"epochs": 3, "n_samples": 60}
SETS = [a for k, v in TINY.items() for a in ("--set", f"{k}={v}")]


def _bare_env() -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH pointing at the repository."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return env | {"AE_TORCH_THREADS": "1"}


def test_pyproject_declares_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] and project["requires-python"].startswith(">=3.11")
    assert project["dependencies"] == []  # pins stay in requirements.txt: no torch re-resolution
    assert "version" in project.get("dynamic", []) or project["version"] == aecore.__version__
    assert "--no-deps -e ." in (ROOT / "Makefile").read_text()


def test_script_command_prints_the_page_export(capsys):
    assert main(["script", "intro", *SETS]) == 0
    printed = capsys.readouterr().out
    cfg = get("intro").config_cls(**TINY)
    assert printed == script_for("intro", cfg)  # the page's download calls script_for too
    assert "pip install --no-deps -e ." in printed and "python reproduce_intro.py" in printed
    # the command the script names rebuilds the same config
    line = next(s for s in printed.splitlines() if "python -m aecore script" in s)
    args = line.split("`")[1].split()[5:]  # after "python -m aecore script intro"
    assert main(["script", "intro", *args]) == 0 and capsys.readouterr().out == printed


def test_script_command_refuses_what_run_refuses(capsys, monkeypatch):
    assert main(["script", "nope"]) == 2
    assert main(["script", "intro", "--set", "epochs"]) == 2
    assert main(["script", "intro", "--set", "width=0"]) == 2
    monkeypatch.setattr(cost, "SERVER_CAP_S", 1e-3)  # now even a tiny run is above the cap
    capsys.readouterr()
    assert main(["script", "intro", *SETS]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--no-cap" in err
    assert main(["script", "intro", *SETS, "--no-cap"]) == 0


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory):
    """A new virtual environment that sees this interpreter's libraries (torch, numpy, ...)
    but not the repository; ``install()`` then runs the Makefile's ``pip install --no-deps -e .``."""
    root = tmp_path_factory.mktemp("env")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True, timeout=300)
    python = root / "venv" / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (root / purelib / "libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    def install() -> None:
        cmd = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        cmd += ["--no-build-isolation", "-e", str(ROOT)]  # offline: the installed setuptools builds it
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_bare_env(), timeout=600)
        assert proc.returncode == 0, proc.stderr

    return python, install


def test_exported_script_runs_from_any_folder_once_installed(fresh_env, tmp_path):
    python, install = fresh_env
    script = tmp_path / "reproduce_intro.py"
    script.write_text(script_for("intro", get("intro").config_cls(**TINY)))
    run = dict(cwd=tmp_path, env=_bare_env(), capture_output=True, text=True, timeout=600)
    before = subprocess.run([python, script.name], **run)
    assert before.returncode == 1 and "aecore is not installed" in before.stderr  # says how, no traceback
    assert "Traceback" not in before.stderr

    install()
    printed = subprocess.run([python, "-m", "aecore", "script", "intro", *SETS], **run)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == script.read_text()
    proc = subprocess.run([python, script.name], **run)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    exp = get("intro")
    direct = exp.run(exp.config_cls(**TINY), None).metrics
    assert out["experiment"] == "intro" and out["config"] == exp.config_cls(**TINY).to_dict()
    assert out["metrics"] == direct  # same seeds, one thread each: bit-identical
    assert out["claims"] == exp.check_claims(direct)
    where = subprocess.run([python, "-c", "import aecore; print(aecore.__file__)"], **run).stdout
    assert where.strip() == str(ROOT / "aecore" / "__init__.py")  # the editable install: this checkout
