"""Lesson 4 (``capacity``): the copy-share probe, the hierarchy probes, data-aware defaults,
greedy pretraining at every depth, and the claims on digits, digits28 and the sweep seeds (tests/sweep.py)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from aecore.experiments import get
from aecore.experiments.capacity import CapacityConfig, auto_epochs, over_k, split
from aecore.figures.capacity import sweep_figure
from aecore.maths import probes
from aecore.store import resultfile
from aecore.theory import pca_fit
from tests.conftest import ROOT
from tests.sweep import SEEDS

TINY = dict(epochs=2, width=8, sweep=False, few_rows=8, few_width=8)


def _run(**kw):
    exp = get("capacity")
    res = exp.run(CapacityConfig(**kw), None)
    return res, exp.check_claims(res.metrics)


def test_copy_share_of_identity_projection_and_constant():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 6)).astype(np.float32)
    basis = np.linalg.qr(rng.standard_normal((6, 4)))[0]  # (6, 4) orthonormal
    keep = basis[:, :2] @ basis[:, :2].T  # projection on half of the span
    assert probes.copy_share(lambda x: x, X, basis, seed=1) == pytest.approx(1.0, abs=1e-6)
    assert probes.copy_share(lambda x: torch.zeros_like(x), X, basis, seed=1) == pytest.approx(0.0, abs=1e-6)
    half = probes.copy_share(lambda x: x @ torch.from_numpy(keep.astype(np.float32)), X, basis, seed=1)
    assert 0.4 < half < 0.6  # two of the four directions pass
    assert np.isnan(probes.copy_share(lambda x: x, X, basis[:, :0], seed=1))
    # negative when the output moves, but not with the change: r(x) = −x moves by −δ, s = 1 − 4
    assert probes.copy_share(lambda x: -x, X, basis, seed=1) == pytest.approx(-3.0, abs=1e-5)


def test_sweep_axes_tick_code_sizes_and_whole_decades():
    """Plotly's default log ticks label 20 and 50 as '2' and '5' (read as 10, 2, 5, 100)."""
    sweep = {2: (0.07, 0.19), 8: (0.04, 0.2), 32: (0.01, 0.17), 256: (0.0003, 0.07)}
    names = dict(data="data", noise="noise", mse="MSE", x="k", title="t", d_line="k = D")
    fig = sweep_figure(sweep, 64, names)
    assert list(fig.layout.xaxis.tickvals) == [2, 8, 32, 64, 256]
    assert fig.layout.yaxis.dtick == 1 and fig.layout.legend.y < 0  # legend under the plot, clear of the title


def test_data_directions_hold_99_percent_of_the_variance():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((2000, 5)) * np.array([10.0, 5.0, 3.0, 0.01, 0.0])
    assert probes.data_directions(pca_fit(X)) == 3


def test_purity_and_top_inputs():
    labels = np.repeat(np.arange(4), 25)
    acts = np.stack([(labels == 0) * 1.0 + 0.01 * np.arange(100), np.arange(100) % 7 * 1.0], 1)
    assert probes.purity(acts[:, :1], labels) == 1.0  # unit 0 fires for label 0 only
    assert probes.purity(acts, labels) < 1.0
    X = np.eye(100)[:, :10]
    assert probes.top_inputs(acts, X, units=2, top=5).shape == (2, 10)


def test_data_aware_defaults():
    assert auto_epochs(CapacityConfig(), 1438) == 100  # the 8×8 digits' training rows
    assert auto_epochs(CapacityConfig(), 8000) == 19  # 10 000 rows (MNIST size)
    assert auto_epochs(CapacityConfig(epochs=7), 8000) == 7
    assert (over_k(CapacityConfig(), 64), over_k(CapacityConfig(), 784), over_k(CapacityConfig(), 1024)) == (
        256,
        1024,
        1025,
    )
    X, y = np.zeros((10_000, 3)), np.arange(10_000)
    Xt, yt, Xh, yh = split(X, y, seed=0)
    assert (len(Xt), len(Xh)) == (8000, 2000) and not set(yt) & set(yh)


def test_pretraining_at_depth_zero_is_accepted_and_skipped():
    res, _ = _run(pretrain=True, depth=0, **{k: v for k, v in TINY.items() if k != "few_rows"})
    assert "greedy_data_mse" not in res.metrics and res.arrays["features"] == []


def test_deep_view_pretrains_and_probes_every_layer():
    res, _ = _run(depth=1, pretrain=True, over_latent=80, **TINY)
    assert {"greedy_layer:1", "greedy_layer:2", "greedy_finetune"} <= set(res.histories)
    assert len(res.arrays["features"]) == 2 and {"purity_layer_1", "purity_layer_2"} <= set(res.metrics)
    assert all(np.isfinite(v) for v in res.metrics.values())


def test_metric_names_and_result_file_roundtrip():
    res, _ = _run(**TINY)
    m = res.metrics
    for key in ("undercomplete_data_mse", "undercomplete_noise_mse", "overcomplete_data_mse", "overcomplete_noise_mse"):
        assert key in m  # the metric names the page, the presets and the command line read
    for part in ("data", "heldout", "noise"):
        assert m[f"mean_{part}_mse"] > 0
    back, _ = resultfile.load(resultfile.dump(res))
    assert back.metrics == m and set(back.arrays["recon"]["overcomplete"]) == {"data", "heldout", "noise"}


def test_cli_runs_on_digits28():
    args = ["run", "capacity", "--set", "dataset=digits28", "--set", "epochs=1", "--set", "sweep=false"]
    args += ["--json"]
    out = subprocess.run([sys.executable, "-m", "aecore", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["metrics"]["input_dim"] == 784 and doc["metrics"]["over_latent_used"] == 1024


@pytest.mark.slow
@pytest.mark.parametrize("seed", [s + 1 for s in SEEDS])  # seed 0: tests/test_claims.py
@pytest.mark.parametrize("dataset", ["digits", "digits28"])
def test_claims_hold_on_other_seeds(dataset, seed):
    res, claims = _run(dataset=dataset, seed=seed)
    assert all(claims.values()), (dataset, seed, claims, res.metrics)


@pytest.mark.slow
def test_deep_view_claims_on_digits():
    res, claims = _run(depth=2, pretrain=True)
    assert all(claims.values()), (claims, res.metrics)
