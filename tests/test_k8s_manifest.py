"""Offline policy checks of the example Kubernetes manifests (deploy/k8s).

The manifests are read with PyYAML (pinned in requirements-dev.txt). Schema
validation against the Kubernetes OpenAPI runs when ``kubernetes-validate`` is installed,
and ``kubectl kustomize`` when kubectl is on PATH; both are skipped otherwise.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
HEALTH = "/_stcore/health"


def _load(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def _all_docs() -> list[dict]:
    return [d for f in sorted(K8S.glob("*.yaml")) if f.name != "kustomization.yaml" for d in _load(f)]


def _one(kind: str) -> dict:
    docs = [d for d in _all_docs() if d.get("kind") == kind]
    assert len(docs) == 1, f"expected one {kind}, found {len(docs)}"
    return docs[0]


def _container() -> dict:
    containers = _one("Deployment")["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def _env() -> dict[str, dict]:
    return {e["name"]: e for e in _container().get("env", [])}


def _cpu(q: str | int | float) -> float:
    s = str(q)
    return float(s[:-1]) / 1000 if s.endswith("m") else float(s)


def _bytes(q: str | int) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "k": 1e3, "M": 1e6, "G": 1e9}
    m = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(q))
    assert m, f"bad quantity {q!r}"
    return float(m.group(1)) * units.get(m.group(2), 1)


def _dockerfile_env() -> dict[str, str]:
    """ENV key=value pairs of the Dockerfile's final stage."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    final = text[text.rfind("\nFROM ") :]
    env: dict[str, str] = {}
    for line in final.splitlines():
        if line.strip().startswith("ENV "):
            env.update(re.findall(r"(\w+)=(\S+)", line))
    return env


# --- parsing ---------------------------------------------------------------------------


def test_every_manifest_parses_and_is_listed_in_the_kustomization():
    kust = _load(K8S / "kustomization.yaml")[0]
    files = {f.name for f in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kust["resources"]) == files
    for doc in _all_docs():
        assert {"apiVersion", "kind", "metadata"} <= set(doc), doc
        assert doc["metadata"].get("name")


def test_kubernetes_schema_validation():
    """Strict validation against the Kubernetes 1.33 OpenAPI schemas that ship inside
    kubernetes-validate (no network). A misspelt field must fail, so the check is not vacuous."""
    kv = pytest.importorskip("kubernetes_validate", reason="kubernetes-validate not installed")
    for doc in _all_docs():
        assert kv.validate(doc, "1.33", strict=True) == "1.33", doc["kind"]
    broken = copy.deepcopy(_one("Deployment"))
    broken["spec"]["template"]["spec"]["containers"][0]["securityContext"]["runAsNonroot"] = True
    with pytest.raises(kv.ValidationError, match="runAsNonroot"):
        kv.validate(broken, "1.33", strict=True)


def test_kustomize_builds_offline():
    """`kubectl kustomize` renders the manifests offline. .ci/run installs kubectl (Debian's
    kubernetes-client), so under CI=true a missing kubectl is a failure, not a skip."""
    if shutil.which("kubectl") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("kubectl missing (CI=true: .ci/run installs kubernetes-client)", pytrace=False)
        pytest.skip("kubectl not installed")
    proc = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\nkind: ") + proc.stdout.startswith("kind: ") >= 6


# --- policy ----------------------------------------------------------------------------


def test_probes_hit_the_streamlit_health_endpoint():
    c = _container()
    port_names = {p["name"]: p["containerPort"] for p in c["ports"]}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = c[probe]["httpGet"]
        assert get["path"] == HEALTH, probe
        assert get["port"] in port_names or get["port"] in port_names.values(), probe
    # Liveness must be more patient than readiness: a pod busy training is not dead.
    live, ready = c["livenessProbe"], c["readinessProbe"]
    assert live["periodSeconds"] * live["failureThreshold"] > ready["periodSeconds"] * ready["failureThreshold"]
    assert "--server.port=8501" in c["args"] and 8501 in port_names.values()


def test_runs_as_numeric_non_root_with_a_read_only_root():
    spec = _one("Deployment")["spec"]["template"]["spec"]
    pod, ctr = spec["securityContext"], _container()["securityContext"]
    for ctx in (pod, ctr):
        assert ctx["runAsNonRoot"] is True
        assert isinstance(ctx["runAsUser"], int) and ctx["runAsUser"] != 0
    dockerfile_user = re.findall(r"^USER\s+(\d+)", (ROOT / "Dockerfile").read_text(), re.M)[-1]
    assert pod["runAsUser"] == ctr["runAsUser"] == int(dockerfile_user) == 10001
    assert pod["seccompProfile"]["type"] == "RuntimeDefault"
    assert ctr["allowPrivilegeEscalation"] is False
    assert ctr["readOnlyRootFilesystem"] is True
    assert ctr["capabilities"]["drop"] == ["ALL"]
    assert spec["automountServiceAccountToken"] is False


def test_writable_paths_are_emptydirs_covering_tmp_and_the_caches():
    spec = _one("Deployment")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in _container()["volumeMounts"]}
    for path, name in mounts.items():
        assert "emptyDir" in volumes[name], f"{path} must be an emptyDir"
        assert volumes[name]["emptyDir"].get("sizeLimit"), f"{name} needs a sizeLimit"
    assert "/tmp" in mounts
    env = _dockerfile_env()
    for var in ("NUMBA_CACHE_DIR", "MPLCONFIGDIR", "XDG_CACHE_HOME"):
        assert any(env[var] == p or env[var].startswith(p.rstrip("/") + "/") for p in mounts), (
            f"{var}={env[var]} is not on a writable volume"
        )


def test_resources_and_job_cap_fit_together():
    c = _container()
    req, lim = c["resources"]["requests"], c["resources"]["limits"]
    for key in ("cpu", "memory"):
        assert key in req and key in lim
    assert _cpu(lim["cpu"]) >= _cpu(req["cpu"]) > 0
    assert _bytes(lim["memory"]) >= _bytes(req["memory"]) >= 2**30
    env = _env()
    jobs, threads = int(env["AE_MAX_JOBS"]["value"]), int(env["AE_TORCH_THREADS"]["value"])
    assert 1 <= jobs * threads <= _cpu(lim["cpu"]), "more training threads than CPU limit"
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        assert int(env[var]["value"]) <= threads


def test_cookie_secret_comes_from_a_secret():
    env = _env()["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert "value" not in env
    ref = env["valueFrom"]["secretKeyRef"]
    secret = _one("Secret")
    assert secret["metadata"]["name"] == ref["name"]
    data = {**secret.get("stringData", {}), **secret.get("data", {})}
    assert ref["key"] in data
    # The repository carries a placeholder only, never a real secret.
    assert str(data[ref["key"]]).startswith("REPLACE-ME")


def test_streamlit_hardening_env():
    env = {k: v.get("value") for k, v in _env().items()}
    assert env["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] == "true"
    assert env["STREAMLIT_SERVER_ENABLE_CORS"] == "true"
    assert env["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] in ("none", "type")
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
    assert 1 <= int(env["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"]) <= 10


def test_ingress_keeps_a_browser_on_its_pod():
    ann = _one("Ingress")["metadata"]["annotations"]
    assert ann["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert ann["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    assert ann["nginx.ingress.kubernetes.io/session-cookie-name"]
    assert int(ann["nginx.ingress.kubernetes.io/session-cookie-max-age"]) >= 3600
    # websockets idle through long trainings; the default 60 s would cut them
    assert int(ann["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 600
    # the proxy's body cap sits just above the app's upload cap
    upload_mb = int(_env()["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"]["value"])
    body = ann["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert body.endswith("m") and upload_mb < int(body[:-1]) <= 2 * upload_mb
    assert _one("Ingress")["spec"]["tls"], "TLS terminates at the ingress"


def test_service_ingress_and_deployment_are_wired():
    dep, svc, ing = _one("Deployment"), _one("Service"), _one("Ingress")
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert svc["spec"]["selector"].items() <= labels.items()
    assert svc["spec"].get("sessionAffinity", "None") == "None", "affinity by cookie, not IP"
    port_names = {p["name"] for p in _container()["ports"]}
    svc_ports = {p["name"]: p for p in svc["spec"]["ports"]}
    assert all(p["targetPort"] in port_names for p in svc_ports.values())
    for rule in ing["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == svc["metadata"]["name"]
            assert backend["port"]["name"] in svc_ports


def test_replicas_rollout_and_disruption_budget():
    dep, pdb = _one("Deployment"), _one("PodDisruptionBudget")
    replicas = dep["spec"]["replicas"]
    assert replicas >= 2
    assert dep["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert 1 <= pdb["spec"]["minAvailable"] < replicas
    assert pdb["spec"]["selector"]["matchLabels"].items() <= (dep["spec"]["template"]["metadata"]["labels"].items())


def test_image_is_pinned():
    image = _container()["image"]
    assert "@sha256:" in image or re.search(r":[\w][\w.-]*$", image.rsplit("/", 1)[-1])
    assert not image.endswith(":latest")
