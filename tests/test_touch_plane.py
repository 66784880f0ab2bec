"""Clicking a point in the plane of the curve lessons (aecore.touch.plane) on the shipped presets:
lesson 1's code and reconstruction are the model's, lesson 6's Jacobian directions agree with
autograd's vmap and with finite differences and are measured against the true tangent, lesson
7's r(x) − x is the model's and the projection is the curve's nearest point (on the unit circle,
x/‖x‖, an independent formula). Planted faults (the least sensitive direction in place of the
most, the displacement measured to the wrong point) fail."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aecore import presets
from aecore.data.curves import CURVES
from aecore.experiments import get
from aecore.penalties import jacobian
from aecore.touch import plane

POINTS = [(0.5, 0.9), (-1.3, 0.2), (0.1, -0.4), (0.8, -0.8)]


@pytest.fixture
def preset(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")

    def load(name: str):
        res = presets.lookup(name, get(name).config_cls())
        assert res is not None
        return res

    return load


def test_angles_of_known_vectors():
    assert plane.angle_deg([1, 0], [0, 2]) == pytest.approx(90)
    assert plane.angle_deg([1, 0], [-1, 0]) == pytest.approx(180)
    assert plane.angle_deg([1, 1], [1, 0]) == pytest.approx(45)
    assert plane.line_angle_deg([1, 0], [-1, 0.2]) == pytest.approx(np.degrees(np.arctan(0.2)))
    assert plane.line_angle_deg([0, 1], [1, 0]) == pytest.approx(90)


@pytest.mark.parametrize("curve", list(CURVES))
def test_the_nearest_point_is_the_projection_and_its_tangent_is_perpendicular_to_the_step(curve):
    rng = np.random.default_rng(0)
    for x in rng.uniform(-1.5, 1.5, (6, 2)):
        near = plane.nearest_on_curve(curve, x)
        p, d = CURVES[curve].project(x[None])
        assert np.allclose(near["point"], p[0]) and near["distance"] == pytest.approx(d[0])
        assert np.linalg.norm(near["tangent"]) == pytest.approx(1)
        step = x - near["point"]  # at an interior nearest point, x − π(x) is normal to the curve
        end = any(
            np.allclose(near["point"], b.point(np.array([t]))[0]) for b in CURVES[curve].branches for t in (b.lo, b.hi)
        )
        if not end and near["distance"] > 1e-6:
            assert abs(step @ near["tangent"]) < 1e-4 * max(1.0, near["distance"])


def test_lesson_1_code_and_reconstruction_are_the_models(preset):
    res = preset("intro")
    model = res.models["autoencoder"]
    for x in POINTS:
        ans = plane.answer("intro", res, "sine", x)
        with torch.no_grad():
            z = model.encode(torch.tensor([x], dtype=torch.float32))
            recon = model.decode(z).numpy()[0]
        assert ans["code"] == pytest.approx(float(z[0, 0]), abs=1e-6) and np.allclose(ans["recon"], recon, atol=1e-6)
        assert ans["error"] == pytest.approx(np.hypot(*(np.array(x) - recon)), rel=1e-5)


def _finite_jacobian(model, x: np.ndarray, h: float = 1e-3) -> np.ndarray:
    cols = []
    for i in range(2):
        e = np.eye(2)[i] * h
        with torch.no_grad():
            f = lambda v: model.encode(torch.tensor(v[None], dtype=torch.float64)).numpy()[0]  # noqa: E731
            cols.append((f(x + e) - f(x - e)) / (2 * h))
    return np.stack(cols, 1)


def test_lesson_6_jacobian_directions_agree_with_autograd_and_the_circles_tangent(preset):
    res = preset("contractive")  # the preset's curve is the unit circle
    assert get("contractive").config_cls().curve == "circle"
    for x in POINTS:
        x = np.array(x)
        ans = plane.answer("contractive", res, "circle", x)
        tangent = np.array([-x[1], x[0]]) / np.linalg.norm(x)  # of the unit circle at x/‖x‖
        assert abs(ans["tangent"] @ tangent) == pytest.approx(1, abs=1e-6)
        for m, key in plane.CURVE_MODELS.items():
            model, got = res.models[key], ans["models"][m]
            vmapped = jacobian(model.encode, torch.tensor(x[None], dtype=torch.float32)).detach().numpy()[0]
            assert np.allclose(got["jacobian"], vmapped, atol=1e-6)
            fd = _finite_jacobian(model.double(), x)
            model.float()
            assert np.allclose(got["jacobian"], fd, atol=1e-5 + 1e-3 * np.abs(fd).max())
            _, s, Vt = np.linalg.svd(fd)
            assert np.allclose(got["s"], s, rtol=1e-3) and abs(got["v"][0] @ Vt[0]) == pytest.approx(1, abs=1e-3)
            cos = abs(got["v"][0] @ tangent)
            assert got["angle"] == pytest.approx(np.degrees(np.arccos(min(cos, 1.0))), abs=1e-3)
            least = plane.line_angle_deg(got["v"][1], tangent)  # planted fault: v₂ in place of v₁
            assert least == pytest.approx(90 - got["angle"], abs=1e-3)
            if abs(got["angle"] - 45) > 1:
                assert abs(least - got["angle"]) > 1


def test_lesson_7_displacement_is_the_models_and_the_projection_is_the_circles(preset):
    res = preset("denoising_field")
    assert get("denoising_field").config_cls().dataset == "circle"
    model = res.models["dae_field"]
    for x in POINTS:
        x = np.array(x)
        ans = plane.answer("denoising_field", res, "circle", x)
        with torch.no_grad():
            r = model(torch.tensor(x[None], dtype=torch.float32)).numpy()[0]
        assert np.allclose(ans["shift"], r - x, atol=1e-6)
        proj = x / np.linalg.norm(x)  # the nearest point of the unit circle
        assert np.allclose(ans["nearest"], proj, atol=1e-6) and np.allclose(ans["to_curve"], proj - x, atol=1e-6)
        assert ans["distance"] == pytest.approx(abs(np.linalg.norm(x) - 1), abs=1e-6)
        assert ans["shift_length"] == pytest.approx(np.linalg.norm(r - x), rel=1e-5)
        a, b = r - x, proj - x
        cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
        assert ans["angle"] == pytest.approx(np.degrees(np.arccos(np.clip(cos, -1, 1))), abs=1e-3)
        wrong = plane.angle_deg(ans["shift"], -x)  # planted fault: measured to the centre, not the curve
        if np.linalg.norm(x) < 1:
            assert abs(wrong - ans["angle"]) > 90  # inside the circle the curve is the other way


def test_bad_points_and_other_lessons_refuse(preset):
    res = preset("intro")
    for bad in ([0.1], [0.1, 0.2, 0.3], [np.nan, 0.0], [np.inf, 1.0]):
        with pytest.raises(ValueError, match="two finite numbers"):
            plane.answer("intro", res, "sine", bad)
    with pytest.raises(ValueError, match="no plane"):
        plane.answer("latent", res, "sine", [0.0, 0.0])
