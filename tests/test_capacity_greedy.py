"""Lesson 4's greedy-pretraining view: the claim that greedy layer-wise pretraining rescues a
deep sigmoid stack that end-to-end training leaves near the mean, where it applies, why it
fails, and a planted fault (the layer-by-layer stages skipped) that makes it fail."""

from __future__ import annotations

from dataclasses import replace

import pytest

from aecore.experiments import capacity, get
from aecore.experiments import capacity_claims as cc
from aecore.experiments.base import Tracker
from aecore.experiments.capacity import CapacityConfig
from tests.i18n_scan import placeholders
from ui.kit.i18n import translate

KEY = "greedy_rescues_sigmoid_stack"
# The greedy view on the 8×8 digits with a tiny memorising model and few noise images (about 12 CPU s).
SMALL = replace(CapacityConfig(), **cc.GREEDY_VIEW, few_rows=8, few_width=8, n_noise=50)
# Metrics of a run where end-to-end stalled at the mean and greedy + fine-tuning got well below it.
STALLED = {
    "sigmoid_units": 1.0,
    "depth_used": 3,
    "mean_heldout_mse": 0.073,
    "undercomplete_heldout_mse": 0.072,
    "greedy_heldout_mse": 0.051,
    "greedy_stacked_data_mse": 0.08,
    "epochs_used": 100,
}


def _claim():
    return get("capacity").claim(KEY)


def test_the_claim_is_made_only_on_a_pretrained_stack_of_sigmoid_layers():
    exp = get("capacity")
    assert exp.check_claims(STALLED)[KEY] is True
    for other in ({"sigmoid_units": 0.0}, {"depth_used": 2}):
        assert KEY not in exp.check_claims(STALLED | other)
    assert KEY not in exp.check_claims({k: v for k, v in STALLED.items() if k != "greedy_heldout_mse"})


@pytest.mark.parametrize(
    "change,why",
    [
        ({"undercomplete_heldout_mse": 0.03}, "why.greedy_trained"),  # end to end trained: nothing to rescue
        ({"greedy_heldout_mse": 0.07}, "why.greedy_no_rescue"),  # stalled, and greedy did not help
    ],
)
def test_each_failing_half_is_explained_with_its_numbers(change, why):
    m = STALLED | change
    assert not _claim().holds(m)
    key, numbers = _claim().explain(m)
    assert key == why and numbers["e2e"] == m["undercomplete_heldout_mse"]
    for lang in ("en", "pt", "es"):
        text = translate(f"capacity.{key}", lang)
        assert text != f"capacity.{key}" and placeholders(text) <= set(numbers), (lang, key)


def test_greedy_rescues_a_small_sigmoid_stack():
    m = get("capacity").run(SMALL, None).metrics
    assert cc.stalled(m), m  # end to end, the stack stays near the mean
    assert _claim().made(m) and _claim().holds(m), m


def test_skipping_the_layer_by_layer_stages_fails_the_claim(monkeypatch):
    """Planted fault: the greedy stages do not train, so the stack fine-tunes from a random start."""
    fit = Tracker.fit

    def skip_layers(self, model, X, cfg, *, stage, **kw):
        return None if stage.startswith(capacity.GREEDY_LAYER) else fit(self, model, X, cfg, stage=stage, **kw)

    monkeypatch.setattr(Tracker, "fit", skip_layers)
    m = get("capacity").run(SMALL, None).metrics
    assert _claim().made(m) and not _claim().holds(m), m
    assert _claim().explain(m)[0] == "why.greedy_no_rescue"


@pytest.mark.slow
@pytest.mark.parametrize("dataset,seed", [("digits", 1), ("digits", 2), ("digits28", 0), ("digits28", 1)])
def test_the_greedy_view_claim_holds_on_other_seeds_and_digits28(dataset, seed):
    cfg = replace(CapacityConfig(), **cc.GREEDY_VIEW, dataset=dataset, seed=seed)
    m = get("capacity").run(cfg, None).metrics
    assert get("capacity").check_claims(m)[KEY], m


def test_the_stalled_stack_reason_speaks_only_of_sigmoid_stacks():
    """A briefly trained ELU model near the mean is not explained as a stalled sigmoid stack."""
    m = STALLED | {"overcomplete_data_mse": 0.23, "mean_data_mse": 0.073}
    assert cc.stalled_stack(m, "overcomplete")
    assert not cc.stalled_stack(m | {"sigmoid_units": 0.0}, "overcomplete")
    assert not cc.stalled_stack(m | {"overcomplete_data_mse": 0.03}, "overcomplete")
