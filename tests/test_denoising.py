"""Lesson 7: corruptions, curve ground truth, and the claims of both experiments."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.special import ive

from aecore.config import ConfigError
from aecore.data import curve_truth
from aecore.data.curves import CURVES
from aecore.experiments import get
from aecore.experiments.denoising_field import FieldConfig
from aecore.experiments.denoising_images import ImagesConfig, psnr
from aecore.models import MODELS, build_model
from aecore.noise import CORRUPTIONS, corrupt, corrupt_array, make_corrupt
from aecore.train import TrainConfig, fit, predict

N = 200_000  # entries per statistics test


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("nu", [0.1, 0.5])
def test_masking_share_matches_nu(nu):
    out = corrupt("masking", torch.ones(N), nu, _gen())
    share = (out == 0).float().mean().item()
    assert abs(share - nu) < 4 * np.sqrt(nu * (1 - nu) / N)
    assert set(out.unique().tolist()) <= {0.0, 1.0}


@pytest.mark.parametrize("nu", [0.1, 0.4])
def test_salt_and_pepper_splits_nu_in_halves(nu):
    out = corrupt("salt_and_pepper", torch.full((N,), 0.5), nu, _gen())
    se = 4 * np.sqrt(nu / 2 * (1 - nu / 2) / N)
    assert abs((out == 0).float().mean().item() - nu / 2) < se
    assert abs((out == 1).float().mean().item() - nu / 2) < se
    assert abs((out == 0.5).float().mean().item() - (1 - nu)) < 4 * np.sqrt(nu * (1 - nu) / N)


@pytest.mark.parametrize("sigma", [0.05, 0.3, 1.0])
def test_gaussian_noise_has_requested_sigma(sigma):
    x = torch.rand(N, generator=_gen(1))
    eps = corrupt("gaussian", x, sigma, _gen()) - x
    assert abs(eps.mean().item()) < 4 * sigma / np.sqrt(N)
    assert abs(eps.std().item() / sigma - 1) < 4 / np.sqrt(2 * N)


@pytest.mark.parametrize("name", list(CORRUPTIONS))
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_shape_dtype_determinism_and_range(name, dtype):
    x = torch.rand(7, 3, 5, generator=_gen(2), dtype=dtype)
    a, b = corrupt(name, x, 0.3, _gen(5)), corrupt(name, x, 0.3, _gen(5))
    assert a.shape == x.shape and a.dtype == dtype
    assert torch.equal(a, b)  # same seed, same corruption
    assert not torch.equal(a, corrupt(name, x, 0.3, _gen(6)))  # another seed, another one
    assert torch.equal(corrupt(name, x, 0.0, _gen()), x)  # level 0 is the identity
    if name != "gaussian":  # stays in [0, 1]; only 0, 1 or x
        assert a.min() >= 0 and a.max() <= 1
        assert bool(((a == x) | (a == 0) | (a == 1)).all())
    np.testing.assert_allclose(corrupt_array(name, x.numpy(), 0.3, 5), a.float().numpy(), rtol=1e-6)


def test_bad_corruptions_are_refused():
    with pytest.raises(ConfigError, match="unknown corruption"):
        corrupt("blur", torch.zeros(3), 0.1, _gen())
    with pytest.raises(ConfigError, match="between 0 and 1"):
        make_corrupt("masking", 1.5)


@pytest.mark.parametrize("kind", list(MODELS))
def test_denoising_is_a_setting_of_fit(kind):
    X = np.random.default_rng(0).random((64, 6)).astype(np.float32)
    config = MODELS[kind].config_cls(input_dim=6, hidden=(8,), latent_dim=3)
    model = build_model(config, kind=kind)
    seen = []

    def spy(x, g):
        out = make_corrupt("masking", 0.5)(x, g)
        seen.append(out)
        return out

    hist = fit(model, X, TrainConfig(epochs=3, batch_size=32), corrupt=spy)
    assert hist.epochs_run == 3 and len(seen) == 6
    assert all((s == 0).float().mean() > 0.3 for s in seen)


# ---- ground truth on the curves ----------------------------------------------------


def _points(seed=0, n=300, span=1.6):
    return np.random.default_rng(seed).uniform(-span, span, (n, 2))


def test_circle_projection_is_radial():
    X = _points()
    P, d = CURVES["circle"].project(X)
    r = np.linalg.norm(X, axis=1, keepdims=True)
    np.testing.assert_allclose(P, X / r, atol=1e-6)
    np.testing.assert_allclose(d, np.abs(r[:, 0] - 1), atol=1e-9)


@pytest.mark.parametrize("name", ["spiral", "moons", "sine"])
def test_projection_matches_brute_force(name):
    X = _points(1, 200)
    P, d = CURVES[name].project(X)
    Y, _ = CURVES[name].dense(100_000)  # brute force over a very dense sample
    brute = np.sqrt(np.min(((X[:, None, :] - Y[None, ::5, :]) ** 2).sum(-1), 1))
    assert np.all(d <= brute + 1e-9)  # never worse than any sampled point
    assert np.max(brute - d) < 2e-3  # and as good as the dense search
    # first-order optimality: the residual is normal to the curve where the foot is interior
    for c in CURVES[name].branches:
        grid = np.linspace(c.lo, c.hi, 20_001)
        pts = c.point(grid)
        near = np.sqrt(((P[:, None, :] - pts[None, ::4, :]) ** 2).sum(-1)).min(1) < 1e-3
        idx = np.argmin(((P[near][:, None, :] - pts[None]) ** 2).sum(-1), 1)
        t = grid[idx]
        inner = (t > c.lo + 1e-3) & (t < c.hi - 1e-3)
        tangent = c.tangent(t)
        res = X[near] - P[near]
        cos = np.abs((res * tangent).sum(1)) / (np.linalg.norm(res, axis=1) * np.linalg.norm(tangent, axis=1) + 1e-12)
        assert np.all(cos[inner & (np.linalg.norm(res, axis=1) > 1e-3)] < 1e-2)


@pytest.mark.parametrize("s", [0.05, 0.1, 0.3])
def test_circle_score_matches_bessel_closed_form(s):
    # p_s(x) ∝ exp(−(r² + 1)/(2s²)) I0(r/s²)  ⇒  ∂_r log p_s = (−r + I1/I0(r/s²)) / s²
    X = _points(2, 200)
    r = np.linalg.norm(X, axis=1)
    dr = (-r + ive(1, r / s**2) / ive(0, r / s**2)) / s**2
    np.testing.assert_allclose(curve_truth.score("circle", X, s), dr[:, None] * X / r[:, None], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["spiral", "moons"])
def test_score_is_gradient_of_log_density(name):
    X, s, h = _points(3, 150, 1.2), 0.1, 1e-5

    def lp(Z):
        return curve_truth.log_density(name, Z, s)

    fd = np.column_stack([(lp(X + [h, 0]) - lp(X - [h, 0])) / (2 * h), (lp(X + [0, h]) - lp(X - [0, h])) / (2 * h)])
    S = curve_truth.score(name, X, s)
    np.testing.assert_allclose(S, fd, rtol=1e-4, atol=1e-3 * np.abs(S).max())


def test_log_density_integrates_to_one():
    s = 0.2
    g = np.linspace(-2.5, 2.5, 401)
    gx, gy = np.meshgrid(g, g)
    p = np.exp(curve_truth.log_density("moons", np.column_stack([gx.ravel() + 0.5, gy.ravel()]), s))
    assert abs(p.sum() * (g[1] - g[0]) ** 2 - 1) < 1e-3


def test_tweedie_circle_radius():
    s = 0.1
    t = np.linspace(0, 2 * np.pi, 50, endpoint=False)
    on = np.column_stack([np.cos(t), np.sin(t)])
    radius = np.linalg.norm(curve_truth.optimal_denoiser("circle", on, s), axis=1)
    np.testing.assert_allclose(radius, 1 - s**2 / 2, atol=2e-4)


# ---- experiments --------------------------------------------------------------------


def test_field_tiny_run_has_every_metric():
    exp = get("denoising_field")
    res = exp.run(FieldConfig(dataset="moons", n_samples=200, epochs=3, grid=10))
    for key in ("projection_cosine", "score_cosine", "distance_ratio"):
        assert np.isfinite(res.metrics[key])
    assert -1 <= res.metrics["projection_cosine"] <= 1
    assert res.arrays["field"].shape == res.arrays["grid"].shape


def test_images_tiny_run_has_every_metric():
    exp = get("denoising_images")
    res = exp.run(ImagesConfig(epochs=1, width=16, latent_dim=4, sweep=False, probe=False))
    for n in CORRUPTIONS:
        for kind in ("noisy", "dae", "pca"):
            assert np.isfinite(res.metrics[f"psnr_{kind}_{n}"])
    assert "probe_accuracy_ae" not in res.metrics


def test_psnr_definition():
    X = np.zeros((4, 4))
    assert psnr(X, X + 0.1) == pytest.approx(20.0)


@pytest.mark.parametrize(
    "cls, bad",
    [
        (FieldConfig, {"sigma": 0.0}),
        (FieldConfig, {"dataset": "digits"}),
        (ImagesConfig, {"masking": 1.0}),
        (ImagesConfig, {"epochs": -1}),
    ],
)
def test_configs_refuse_bad_values(cls, bad):
    with pytest.raises(ConfigError):
        cls(**bad)


def test_denoised_images_predict_in_range():
    exp = get("denoising_images")
    res = exp.run(ImagesConfig(epochs=1, width=16, latent_dim=4, sweep=False, probe=False))
    out = predict(res.models["masking"], np.ones((3, 64), np.float32))
    assert out.min() >= 0 and out.max() <= 1


# ---- lesson 7 additions: the tuned PCA in one pass, the DAE-CAE expansion, the score's length


def test_pca_errors_in_one_pass_equal_brute_force():
    from aecore.experiments.denoising_images import best_rank, pca_errors
    from aecore.theory import mse, pca_fit

    rng = np.random.default_rng(0)
    X = rng.random((120, 9))
    Xn = X + 0.2 * rng.standard_normal(X.shape)
    pca = pca_fit(X)
    errs = pca_errors(pca, X, Xn)
    brute = [mse(X, pca.reconstruct(Xn, k)) for k in range(1, 10)]
    np.testing.assert_allclose(errs, brute, rtol=1e-10)
    assert best_rank(pca, X, Xn) == int(np.argmin(brute[:-1])) + 1


def test_taylor_check_is_exact_for_an_affine_map():
    """For r(x) = Ax + b, E‖r(x + σε) − x‖² = ‖r(x) − x‖² + σ²‖A‖²_F exactly."""
    from aecore.experiments.denoising_field import taylor_check

    lin = torch.nn.Linear(2, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[0.9, 0.2], [-0.1, 0.3]]))
    X = np.random.default_rng(1).uniform(-1, 1, (400, 2))
    out = taylor_check(lin, X, 0.3, seed=0)
    assert out["dae_loss_mc"] == pytest.approx(out["dae_loss_taylor"], rel=0.03)
    assert out["dae_loss_taylor"] - out["dae_loss_at_x"] == pytest.approx(0.09 * (0.81 + 0.04 + 0.01 + 0.09))


def test_optimal_denoiser_with_noisy_clean_points_uses_sigma_squared():
    """x̃ = x + σε with x itself scattered by τ: E[x | x̃] = x̃ + σ² ∇ log p_s(x̃), s² = σ² + τ²."""
    X = _points(5, 50, 1.3)
    sigma, tau = 0.1, 0.05
    s = np.hypot(sigma, tau)
    want = X + sigma**2 * curve_truth.score("circle", X, s)
    np.testing.assert_allclose(curve_truth.optimal_denoiser("circle", X, sigma, tau), want)


def test_field_reports_the_score_length_and_offers_the_sine():
    exp = get("denoising_field")
    res = exp.run(FieldConfig(dataset="sine", n_samples=200, epochs=3, grid=10, sweep=True))
    m = res.metrics
    assert m["score_magnitude_ratio"] > 0 and "score_magnitude" in exp.check_claims(m)
    assert res.arrays["sweep"].shape == (4, 3)
    assert m["dae_loss_taylor"] >= m["dae_loss_at_x"]


def test_images_run_on_digits28():
    res = get("denoising_images").run(
        ImagesConfig(dataset="digits28", epochs=1, width=16, latent_dim=4, sweep=False, probe=True)
    )
    assert res.arrays["image_shape"] == (28, 28)
    assert 1 <= res.metrics["pca_k_gaussian"] < 784
    assert 0 < res.metrics["probe_accuracy_pixels"] <= 1


@pytest.mark.slow
@pytest.mark.parametrize("curve", ["circle", "spiral", "moons", "sine"])
def test_field_claims_hold_on_every_curve(curve):
    exp = get("denoising_field")
    m = exp.run(FieldConfig(dataset=curve, sweep=False)).metrics
    checks = exp.check_claims(m)
    assert all(checks.values()), (curve, checks, m)
