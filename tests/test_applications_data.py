"""Lessons 9b/9c on the sidebar's data: labels required, normal classes checked against the
data, step budgets that do not grow with the data (the claims on the 28×28 stand-in: tests/test_claims.py)."""

from __future__ import annotations

import numpy as np
import pytest

from aecore.data.registry import DataError, class_labels, load_dataset
from aecore.data.userdata import register_dataset
from aecore.experiments import get
from aecore.experiments.anomaly import AnomalyConfig
from aecore.experiments.base import epochs_for
from aecore.experiments.sae_features import SAEConfig

pytestmark = pytest.mark.usefixtures("user_data")  # uploads registered, as the app does


def test_data_without_two_classes_is_refused_with_a_coded_message():
    name = register_dataset(np.random.default_rng(0).random((40, 16)), label="nolabels")
    with pytest.raises(DataError) as err:
        class_labels(load_dataset(name))
    assert err.value.code == "needs_labels"
    for exp, cfg in (("anomaly", AnomalyConfig(dataset=name)), ("sae_features", SAEConfig(dataset=name))):
        with pytest.raises(DataError, match="no class labels"):
            get(exp).run(cfg, None)


def test_labels_are_reindexed_and_normal_classes_must_exist_in_the_data():
    y = np.repeat([3, 7, 9], 20)
    name = register_dataset(np.random.default_rng(1).random((60, 16)), y=y, label="three")
    classes, idx = class_labels(load_dataset(name))
    assert list(classes) == [3, 7, 9] and set(idx) == {0, 1, 2}
    with pytest.raises(DataError) as err:
        get("anomaly").run(AnomalyConfig(dataset=name, normal_classes=(0, 1)), None)
    assert err.value.code == "normal_classes_absent"
    with pytest.raises(DataError):  # every class normal: nothing left to detect
        get("anomaly").run(AnomalyConfig(dataset=name, normal_classes=(3, 7, 9)), None)
    res = get("anomaly").run(AnomalyConfig(dataset=name, normal_classes=(3,), steps=20), None)
    assert set(np.unique(res.arrays["labels"])) <= {3, 7, 9}  # scores come back with the data's labels


@pytest.mark.parametrize("rows", [1437, 8000, 56_000])
def test_step_budgets_do_not_grow_with_the_data(rows):
    """The optimiser steps stay within half an epoch of the budget, whatever the data size."""
    per_epoch = -(-rows // 128)
    steps = epochs_for(2200, rows, 128) * per_epoch
    assert abs(steps - 2200) <= per_epoch / 2 + 1
    assert epochs_for(10, 100_000, 128) == 1  # at least one pass


def test_the_best_hidden_anomaly_class_is_the_anomalous_class_with_the_lowest_mean_score():
    res = get("anomaly").run(AnomalyConfig(normal_classes=(0, 1, 2, 3, 4), steps=30), None)
    m, a = res.metrics, res.arrays
    labels, scores, bad = a["labels"], a["scores"], a["anomalous"]
    means = {c: scores[labels == c].mean() for c in np.unique(labels[bad])}
    assert a["hardest_class"] == min(means, key=means.get) and a["hardest_class"] not in (0, 1, 2, 3, 4)
    assert m["hardest_anomaly_score"] == pytest.approx(min(means.values()))
    exp = get("anomaly")  # chance (AUC 0.5) never detects; losing to PCA never beats it
    assert not exp.check_claims({**m, "roc_auc": 0.5, "pca_roc_auc": 0.5})["detects"]
    assert not exp.check_claims({**m, "pca_roc_auc": m["roc_auc"] + 0.01})["beats_pca"]
