"""Loading exported weights back: validated per file, then the experiment's measurements
re-run on them without training, reproducing the original numbers exactly."""

from __future__ import annotations

import pytest

from aecore import replay
from aecore.experiments import get
from aecore.experiments.intro import AUTOENCODER, IntroConfig
from aecore.experiments.pca import DEEP_AE, LINDEC_AE, LINEAR_AE, PCAConfig
from aecore.models import ModelConfig, build_model
from aecore.store.weights import WeightsError, save_weights


@pytest.fixture(scope="module")
def intro():
    cfg = IntroConfig(epochs=150)
    return cfg, get("intro").run(cfg, None)


def test_replay_reproduces_the_metrics_without_training(intro):
    cfg, res = intro
    assert res.stages == {"autoencoder": AUTOENCODER}
    files = {"ae.safetensors": save_weights(res.models["autoencoder"], AUTOENCODER)}
    seen = []
    back = replay.replay("intro", cfg, replay.match(files, res), lambda p: seen.append(p) and False)
    assert back.metrics == res.metrics and back.source == "loaded"
    assert [(p.epoch, p.epochs) for p in seen] == [(150, 150)]  # one reported epoch, no training


def test_replay_of_a_two_model_lesson_with_one_file_trains_the_other():
    cfg = PCAConfig(linear_epochs=40, deep_epochs=20, sweep=False)
    res = get("pca").run(cfg, None)
    assert res.stages == {LINEAR_AE: LINEAR_AE, DEEP_AE: DEEP_AE, LINDEC_AE: LINDEC_AE}  # models keyed by stage id
    files = {"linear.safetensors": save_weights(res.models[LINEAR_AE], LINEAR_AE)}
    stages = []
    back = replay.replay("pca", cfg, replay.match(files, res), lambda p: stages.append(p.stage) and False)
    assert back.metrics["linear_ae_mse"] == res.metrics["linear_ae_mse"]
    assert back.metrics["max_principal_angle_deg"] == res.metrics["max_principal_angle_deg"]
    assert stages.count(LINEAR_AE) == 1 and stages.count(DEEP_AE) == 20 and stages.count(LINDEC_AE) == 20
    assert back.stages == res.stages


def test_foreign_weights_are_refused_with_the_reason(intro):
    _, res = intro
    other = build_model(ModelConfig(input_dim=2, hidden=(5,), latent_dim=1), seed=0)
    with pytest.raises(WeightsError, match="belong to no model of this lesson"):
        replay.match({"x.safetensors": save_weights(other)}, res)
    with pytest.raises(WeightsError, match="x.safetensors: .*other model settings"):
        replay.match({"x.safetensors": save_weights(other, AUTOENCODER)}, res)
    with pytest.raises(WeightsError, match="not a .safetensors file|too short"):
        replay.match({"x.safetensors": b"\x80\x04pickle"}, res)
    data = save_weights(res.models["autoencoder"], AUTOENCODER)
    with pytest.raises(WeightsError, match="a: two files|b: two files"):
        replay.match({"a": data, "b": data}, res)
