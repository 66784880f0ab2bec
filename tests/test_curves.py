"""The curve registry of aecore.data.curves: point functions, exact tangents, sampling, data sets."""

from __future__ import annotations

import numpy as np
import pytest

from aecore.data.curves import CURVES, get_curve
from aecore.data.registry import CURVE_DATASETS, load_dataset


@pytest.mark.parametrize("name", list(CURVES))
def test_tangents_match_finite_differences(name):
    curve = CURVES[name]
    rng = np.random.default_rng(0)
    for b, br in enumerate(curve.branches):
        t = rng.uniform(br.lo, br.hi, 200)
        h = 1e-6
        fd = (curve.points(t + h, np.full(200, b)) - curve.points(t - h, np.full(200, b))) / (2 * h)
        fd /= np.linalg.norm(fd, axis=1, keepdims=True)
        np.testing.assert_allclose(curve.unit_tangents(t, np.full(200, b)), fd, atol=1e-7)


@pytest.mark.parametrize("name", list(CURVES))
def test_samples_lie_on_the_curve_and_are_seeded(name):
    curve = CURVES[name]
    X, branch, t = curve.sample(300, 0.0, seed=4)
    np.testing.assert_allclose(X, curve.points(t, branch), atol=1e-6)  # no noise: exactly on it
    assert np.all(curve.project(X)[1] < 1e-5)
    X2, _, _ = curve.sample(300, 0.0, seed=4)
    np.testing.assert_array_equal(X, X2)
    noisy, _, _ = curve.sample(2000, 0.05, seed=1)
    assert 0.03 < curve.project(noisy)[1].mean() < 0.05  # E|N(0, 0.05²)| in 2-D ≈ 0.0627 · (share normal)


def test_moons_have_two_branches_drawn_evenly():
    _, branch, _ = CURVES["moons"].sample(4000, 0.0, seed=0)
    assert set(np.unique(branch)) == {0, 1}
    assert abs(branch.mean() - 0.5) < 0.03


def test_data_sets_come_from_the_registry():
    assert CURVE_DATASETS == tuple(CURVES)
    for name in CURVE_DATASETS:
        ds = load_dataset(name, 100, 0.0, 3)
        np.testing.assert_allclose(ds.X, CURVES[name].points(ds.t, ds.y), atol=1e-5)
    with pytest.raises(ValueError, match="no curve"):
        get_curve("helix")
