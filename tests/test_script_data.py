"""The exported reproduce script reruns a run on uploaded data: ``--data FILE`` reads the file
with the sidebar's checks and prints the app's metrics to every digit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from aecore.experiments import get
from aecore.io.uploads import load_upload
from aecore.store.script import script_for
from tests.conftest import ROOT

pytestmark = pytest.mark.usefixtures("user_data")


def _csv(rows: int = 90, seed: int = 0) -> bytes:
    X = np.random.default_rng(seed).random((rows, 12))
    lines = [",".join(f"f{i}" for i in range(12)) + ",label"]
    lines += [",".join(f"{v:.4f}" for v in r) + f",{i % 3}" for i, r in enumerate(X)]
    return "\n".join(lines).encode()


def _run(script, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(ROOT), "AE_TORCH_THREADS": "1"}
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=300, env=env, cwd=script.parent
    )


@pytest.fixture()
def upload_run(user_data, tmp_path):
    """A PCA run on an upload as the app makes it: the file, its script and the app's metrics."""
    data = _csv()
    up = load_upload("mine.csv", data)
    name = user_data.register_dataset(up.X, up.y, up.image_shape, label=up.name)
    cfg = get("pca").config_cls(dataset=name, latent_dim=3, linear_epochs=40, deep_epochs=5, deep_width=16)
    metrics = get("pca").run(cfg, None).metrics
    (tmp_path / "mine.csv").write_bytes(data)
    script = tmp_path / "reproduce_pca.py"
    script.write_text(script_for("pca", cfg))
    return script, metrics


def test_the_script_reruns_an_upload_to_every_digit(upload_run):
    script, metrics = upload_run
    done = _run(script, "--data", "mine.csv")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["metrics"] == metrics  # floats through JSON: every printed digit equal
    assert out["config"]["dataset"].startswith("upload-") and not done.stderr.strip()


def test_without_the_file_it_asks_for_it(upload_run):
    script, _ = upload_run
    done = _run(script)
    assert done.returncode != 0 and "--data FILE" in done.stderr and "Traceback" not in done.stderr


def test_other_data_runs_with_a_note_and_bad_files_are_refused_like_the_sidebar(upload_run):
    script, metrics = upload_run
    (script.parent / "other.csv").write_bytes(_csv(seed=1))
    done = _run(script, "--data", "other.csv")
    assert done.returncode == 0 and "does not hold the data the app trained on" in done.stderr
    assert json.loads(done.stdout)["metrics"] != metrics
    (script.parent / "tiny.csv").write_bytes(b"1,2\n3,4\n")
    for bad, words in (("tiny.csv", "rows"), ("missing.csv", "no such file")):
        done = _run(script, "--data", bad)
        assert done.returncode != 0 and words in done.stderr and "Traceback" not in done.stderr, done.stderr
