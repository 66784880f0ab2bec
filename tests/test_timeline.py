"""Training timeline: snapshots at the planned epochs, the final one equal to the model
the lesson measures, and the latent map's neighbourhoods forming during training."""

from __future__ import annotations

import numpy as np

from aecore.experiments.latent import LatentConfig, run
from aecore.timeline import Timeline
from aecore.train import Progress


def test_snapshots_at_planned_epochs_and_after_a_stop():
    state = {"w": 0.0}
    tl = Timeline(10, lambda: {"w": np.array([state["w"]])}, frames=5)
    hook = tl.wrap(lambda p: p.epoch == 7)  # the user presses Stop after epoch 7
    for epoch in range(1, 11):
        state["w"] = float(epoch)
        if hook(Progress("s", epoch, 10, 0.1)):
            break
    tl.finish()
    a = tl.arrays()
    assert list(a["epochs"]) == [0, 2, 4, 6, 7]
    assert list(a["w"][:, 0]) == [0.0, 2.0, 4.0, 6.0, 7.0]


def test_fewer_epochs_than_frames():
    tl = Timeline(3, lambda: {"x": np.zeros(1)}, frames=12)
    hook = tl.wrap(None)
    for e in (1, 2, 3):
        hook(Progress("s", e, 3, 0.0))
    tl.finish()
    assert list(tl.arrays()["epochs"]) == [0, 1, 2, 3]


def test_latent_timeline_ends_on_the_measured_map_and_neighbourhoods_form():
    res = run(LatentConfig(epochs=40, seed=0))
    tl = res.arrays["timeline"]
    assert tl["epochs"][0] == 0 and tl["epochs"][-1] == 40
    np.testing.assert_array_equal(tl["codes"][-1], res.arrays["maps"]["ae"])
    assert tl["recon"].shape == (len(tl["epochs"]), len(tl["rows"]), res.arrays["X"].shape[1])
    assert abs(tl["knn"][-1] - res.metrics["ae_knn_accuracy"]) < 1e-12
    assert tl["knn"][-1] > tl["knn"][0] + 0.2  # random init vs trained map
