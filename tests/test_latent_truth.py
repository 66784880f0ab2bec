"""Lesson 3 from the backend: live layouts from t-SNE and UMAP (and Stop), subsampling to
max_points, the time to place new points, and the claims on digits, digits28 and the sweep seeds (tests/sweep.py)."""

from __future__ import annotations

import numpy as np
import pytest

from aecore import embed
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.latent import LatentConfig
from tests.sweep import SEEDS


@pytest.fixture(scope="module")
def small():
    ds = load_dataset("digits")
    idx = embed.subsample(ds.n, 400, 0)
    return ds.X[idx], ds.y[idx]


@pytest.mark.parametrize("method", ["tsne", "umap"])
def test_layouts_are_reported_while_the_map_forms(small, method):
    X, _ = small
    seen = []
    e = embed.EMBEDDINGS[method](X, 0, on_progress=lambda p: seen.append(p) and False)
    layouts = [p for p in seen if isinstance(p, embed.LayoutProgress) and p.layout is not None]
    assert len(layouts) >= 5 and all(p.layout.shape == (len(X), 2) for p in layouts)
    assert layouts[-1].epoch >= layouts[0].epoch and not e.stopped
    assert e.transform is not None and e.transform(X[:3]).shape == (3, 2)
    if method == "tsne":  # the loss it reports is KL(P ‖ Q), which falls
        assert layouts[-1].loss < layouts[len(layouts) // 2].loss and np.isfinite(e.kl)


@pytest.mark.parametrize("method", ["tsne", "umap"])
def test_stop_returns_the_layout_reached(small, method):
    X, _ = small
    seen = []
    e = embed.EMBEDDINGS[method](X, 0, on_progress=lambda p: seen.append(p) or len(seen) >= 3)
    assert e.stopped and e.Y.shape == (len(X), 2) and e.transform is None
    assert len(seen) == 3


def test_a_stopped_umap_leaves_tqdm_usable(small):
    """Stopping UMAP once must not leave tqdm's process-wide lock taken: every later bar
    (the next UMAP fit of any user) would wait forever."""
    import io
    import threading

    from tqdm import tqdm

    embed.embed_umap(small[0], 0, on_progress=lambda p: True)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (list(tqdm(range(3), file=io.StringIO())), done.set()), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert done.is_set(), "tqdm's lock was left taken by the stopped fit"


def test_the_lesson_leaves_torch_on_the_threads_it_was_given():
    """numba's first parallel launch (UMAP's kernels, once OpenMP is loaded) sets OpenMP's
    thread count, which torch shares, to the number of cores. The lesson must hand torch back
    the count ``limit_threads`` chose, or every later fit on that thread runs on other threads
    (a preset then no longer matched a fresh run, depending on test order). A fresh
    interpreter: in this one numba's pool may be started already, and the test could not fail."""
    import subprocess
    import sys

    code = (
        "import torch\n"
        "from aecore.device import limit_threads\n"
        "from aecore.experiments import get\n"
        "from aecore.experiments.latent import LatentConfig\n"
        "limit_threads(1)\n"
        "get('latent').run(LatentConfig(epochs=2, max_points=300), None)\n"
        "print(torch.get_num_threads())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True)
    assert out.stdout.split()[-1] == "1", out.stdout + out.stderr


def test_reduced_input_above_100_features():
    X = load_dataset("digits28").X[:300]
    Z = embed.reducer(X)(X)
    assert Z.shape == (300, embed.PCA_DIMS)
    assert embed.reducer(X[:, :64])(X[:, :64]).shape == (300, 64)


def _claims(**kw):
    exp = get("latent")
    res = exp.run(LatentConfig(**kw), None)
    return res, exp.check_claims(res.metrics)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [s + 1 for s in SEEDS])  # seed 0: tests/test_claims.py
def test_claims_on_digits_across_seeds(seed):
    res, claims = _claims(seed=seed)
    assert all(claims.values()), (claims, res.metrics)
    assert res.metrics["ae_embed_seconds"] < res.metrics["tsne_embed_seconds"]  # a forward pass vs an optimisation


@pytest.mark.slow
@pytest.mark.parametrize("seed", [s + 1 for s in SEEDS])  # seed 0: tests/test_claims.py
def test_claims_on_digits28_across_seeds(seed):
    res, claims = _claims(dataset="digits28", seed=seed)
    assert res.arrays["subsampled"] and len(res.arrays["labels"]) == LatentConfig().max_points
    assert res.arrays["reduced"]
    assert all(claims.values()), (claims, res.metrics)
