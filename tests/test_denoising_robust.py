"""Lesson 7: the DAE's codes as features on corrupted images (robustness probes and claims)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from aecore.data.registry import load_dataset
from aecore.experiments import denoising_images as di
from aecore.experiments import get
from aecore.noise import CORRUPTIONS

EXP = get("denoising_images")
SMALL = replace(di.ImagesConfig(), epochs=12, sweep=False, **{k: v for k, v in di.ROBUST_VIEW.items() if k != "sweep"})
ROBUST = [f"robust_{n}" for n in CORRUPTIONS]


@pytest.fixture(scope="module")
def small_run():
    return EXP.run(SMALL, None)


def test_robust_claims_hold_at_small_size(small_run):
    verdicts = EXP.check_claims(small_run.metrics)
    assert {k: verdicts.get(k) for k in ROBUST} == dict.fromkeys(ROBUST, True)


def test_pixel_probe_is_a_plain_logistic_regression(small_run):
    """The pixel probe is fitted on the raw pixels (no per-pixel standardisation), on the
    same training rows; recomputed here with scikit-learn directly."""
    ds = load_dataset(SMALL.dataset)
    order = np.random.default_rng(SMALL.seed).permutation(ds.n)
    n_test = int(round(SMALL.test_share * ds.n))
    test, train = order[:n_test], order[n_test:]
    keep = np.random.default_rng(SMALL.seed).permutation(len(train))[: di.PROBE_ROWS]
    clf = LogisticRegression(max_iter=di.PROBE_ITERS).fit(ds.X[train][keep], ds.y[train][keep])
    assert small_run.metrics["probe_accuracy_pixels"] == pytest.approx(clf.score(ds.X[test], ds.y[test]))


def test_corruption_lowers_every_probe(small_run):
    m = small_run.metrics
    for n in CORRUPTIONS:
        assert m[f"probe_noisy_ae_{n}"] < m["probe_accuracy_ae"]
        assert m[f"probe_noisy_pixels_{n}"] < m["probe_accuracy_pixels"]


def test_dae_trained_without_corruption_fails(monkeypatch):
    """Planted fault: the "DAEs" see clean inputs; they are then the plain AE (same seed and
    batches), their codes no more robust, and every robustness claim fails with its reason."""
    monkeypatch.setattr(di, "make_corrupt", lambda name, level: lambda x, g: x)
    m = EXP.run(SMALL, None).metrics
    verdicts = EXP.check_claims(m)
    for key in ROBUST:
        assert verdicts[key] is False
        why = EXP.claim(key).explain(m)
        assert why is not None and why[0].startswith("why.robust_")


def test_robust_claim_made_only_where_the_corruption_hurts():
    m = {
        "probe_accuracy_ae": 0.9,
        "probe_noisy_ae_gaussian": 0.9 - di.ROBUST_HURTS / 2,
        "probe_noisy_dae_gaussian": 0.9,
    }
    assert "robust_gaussian" not in EXP.check_claims(m)
    m["probe_noisy_ae_gaussian"] = 0.9 - 2 * di.ROBUST_HURTS
    assert "robust_gaussian" in EXP.check_claims(m)


def test_why_tells_a_worse_clean_code_from_an_equal_drop():
    m = {"probe_accuracy_ae": 0.95, "probe_accuracy_dae_masking": 0.80}
    m |= {"probe_noisy_ae_masking": 0.70, "probe_noisy_dae_masking": 0.70}
    key, numbers = EXP.claim("robust_masking").explain(m)
    assert key == "why.robust_worse_clean" and numbers["dae_drop"] == pytest.approx(0.10)
    m["probe_accuracy_dae_masking"] = 0.95
    key, numbers = EXP.claim("robust_masking").explain(m)
    assert key == "why.robust_same_drop" and numbers["ae_drop"] == pytest.approx(0.25)
