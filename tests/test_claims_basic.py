"""The claims of lessons 1-3, asserted through the experiment API (no copied numbers)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from aecore.config import ConfigError
from aecore.experiments import get, registry
from tests.conftest import ROOT


def _run(name: str, **kw):
    exp = get(name)
    res = exp.run(exp.config_cls(**kw), None)
    return res, exp.check_claims(res.metrics)


def test_registry_lists_the_lessons():
    assert {"intro", "pca", "latent"} <= set(registry())


@pytest.mark.parametrize("dataset", ["circle", "spiral", "moons"])
def test_intro_beats_pca_on_every_curve(dataset):
    res, claims = _run("intro", dataset=dataset)
    assert claims["ae_beats_pca"], res.metrics


@pytest.mark.slow
def test_pca_deep_beats_pca_at_k2():
    res, claims = _run("pca", latent_dim=2)
    assert claims["deep_beats_pca"], res.metrics


def test_pca_rejects_latent_not_below_input():
    with pytest.raises(ConfigError, match="smaller than"):
        get("pca").run(get("pca").config_cls(latent_dim=64), None)


def test_stop_keeps_partial_models():
    exp = get("pca")
    res = exp.run(exp.config_cls(linear_epochs=500, deep_epochs=50), lambda p: p.epoch >= 5)
    assert res.stopped
    assert len(res.histories["linear_ae"]) == 5
    assert set(res.metrics) >= {"pca_mse", "linear_ae_mse", "max_principal_angle_deg"}


# --- command line -------------------------------------------------------------------------
def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "aecore", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"AE_TORCH_THREADS": "1", "PATH": ""},
    )


def test_cli_run_json_contract():
    out = _cli("run", "intro", "--set", "epochs=50", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {"experiment", "config", "metrics", "seconds"}
    assert doc["config"]["epochs"] == 50 and set(doc["metrics"]) == {"ae_mse", "pca_mse", "mean_mse"}


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("run", "nope"), "unknown experiment"),
        (("run", "pca", "--set", "bogus=1"), "unknown setting"),
        (("run", "pca", "--set", "latent_dim=0"), "too small"),
        (("run", "pca", "--set", "latent_dim=abc"), "not a valid int"),
        (("run", "pca", "--set", "latent_dim=64", "--set", "linear_epochs=1"), "smaller than"),
        (("run", "pca", "--set", "noequals"), "KEY=VALUE"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(args, fragment):
    out = _cli(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0]


def test_cli_list():
    out = _cli("list")
    assert out.returncode == 0 and "pca" in out.stdout and "latent_dim" in out.stdout
