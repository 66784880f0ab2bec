"""Lesson 7, ``denoising_field``: a denoising autoencoder learns the way back to the curve.

Train r = g∘f on pairs (x̃, x), x̃ ~ C(x̃ | x) = N(x, σ²I), with loss E‖g(f(x̃)) − x‖². The
best such map is the posterior mean r*(x̃) = E[x | x̃] = x̃ + σ² ∇ log p_s(x̃) (Tweedie;
Vincent 2011; Alain & Bengio 2014), p_s the data density blurred to width
s² = σ² + (data noise)², so the displacement r(x̃) − x̃ points back towards the data and
(r(x̃) − x̃)/σ² estimates the score. Compared with the truth of ``aecore.data.curves`` (nearest
point) and ``aecore.data.curve_truth`` (the score):

* ``projection_cosine``, ``score_cosine``: mean cosines on grid points within 2σ; the
  best denoiser's own ``optimal_projection_cosine`` is 1 on the circle at small σ but about
  0.9 on the spiral, whose arms lie a few σ apart, so the claim compares with it;
* ``score_magnitude_ratio``: median over fresh corrupted test points of
  ‖r(x̃) − x̃‖/σ² ÷ ‖∇ log p_s(x̃)‖ (the length, which no cosine sees);
* ``distance_ratio``: mean distance to the curve after / before denoising.

The DAE ↔ CAE link (Alain & Bengio 2014): for small σ, E_ε‖r(x + σε) − x‖² ≈
‖r(x) − x‖² + σ² ‖J_r(x)‖²_F, so a DAE is a contractive penalty on the whole map r. The
``sweep`` trains DAEs at several σ and measures ‖J_r‖_F on the clean curve; the two sides
of that expansion are measured on the main model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aecore import cost_terms as ct
from aecore.config import Config, param
from aecore.data import curve_truth
from aecore.data.curves import CURVES
from aecore.data.registry import load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.noise import corrupt_array, make_corrupt
from aecore.penalties import jacobian
from aecore.train import ProgressFn, TrainConfig, as_tensor, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml).
DAE, GROUND_TRUTH, SWEEP = "dae_field", "ground_truth", "dae_sigma_sweep"
SWEEP_SIGMAS = (0.05, 0.1, 0.2, 0.3)
TAYLOR_DRAWS = 64  # noise draws per clean point for the Monte Carlo side of the expansion
TAYLOR_POINTS = 200  # clean curve points where both sides of the expansion are measured


@dataclass(frozen=True)
class FieldConfig(Config):
    dataset: str = param("circle", "2-D curve", choices=tuple(CURVES))
    sigma: float = param(0.1, "σ of the Gaussian corruption x̃ = x + ε", lo=0.02, hi=0.5)
    n_samples: int = param(1000, "clean points on the curve", lo=100, hi=5000)
    data_noise: float = param(0.0, "noise of the clean points around the curve", lo=0.0, hi=0.2)
    width: int = param(64, "hidden units per layer (two layers each side)", lo=4, hi=512)
    latent_dim: int = param(16, "code size k (overcomplete is fine: the noise regularises)", lo=1, hi=64)
    epochs: int = param(600, "epochs; each draws fresh noise", lo=1, hi=5000)
    batch_size: int = param(128, "rows per step", lo=8, hi=5000)
    lr: float = param(1e-2, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    grid: int = param(25, "grid points per side of the field", lo=8, hi=60)
    sweep: bool = param(True, "also train DAEs at σ = 0.05, 0.1, 0.2, 0.3: ‖J_r‖ against σ")
    seed: int = param(0, "seed of data, weights and noise", lo=0, hi=2**31 - 1)


def cosines(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Row-wise cos(A_i, B_i)."""
    num = (A * B).sum(1)
    den = np.linalg.norm(A, axis=1) * np.linalg.norm(B, axis=1)
    return num / np.maximum(den, 1e-12)


def _grid(X: np.ndarray, pad: float, n: int) -> np.ndarray:
    lo, hi = X.min(0) - pad, X.max(0) + pad
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return np.column_stack([gx.ravel(), gy.ravel()])


def train_dae(cfg: FieldConfig, X: np.ndarray, sigma: float, track, stage: str):
    """One DAE r = g∘f trained on x̃ = x + σε (fresh noise every epoch)."""
    mc = ModelConfig(input_dim=2, hidden=(cfg.width, cfg.width), latent_dim=cfg.latent_dim, activation="elu")
    model = build_model(mc, seed=cfg.seed)
    tc = TrainConfig(epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr, seed=cfg.seed)
    track.fit(model, X, tc, corrupt=make_corrupt("gaussian", sigma), stage=stage)
    return model


def map_jacobian_fro(model, X: np.ndarray) -> np.ndarray:
    """‖J_r(x)‖_F of the whole map r = g∘f at the rows of X (autograd), (n,)."""
    J = jacobian(model, as_tensor(X)).detach().cpu().double().numpy()
    return np.sqrt((J**2).sum((1, 2)))


def taylor_check(model, X: np.ndarray, sigma: float, seed: int) -> dict[str, float]:
    """Both sides of E_ε‖r(x + σε) − x‖² ≈ ‖r(x) − x‖² + σ²‖J_r(x)‖²_F, averaged over X."""
    rng = np.random.default_rng(seed)
    noisy = np.repeat(X, TAYLOR_DRAWS, 0) + sigma * rng.standard_normal((len(X) * TAYLOR_DRAWS, 2))
    mc = ((predict(model, noisy.astype(np.float32)) - np.repeat(X, TAYLOR_DRAWS, 0)) ** 2).sum(1).mean()
    rest = ((predict(model, X) - X) ** 2).sum(1)
    return {
        "dae_loss_mc": float(mc),
        "dae_loss_taylor": float((rest + sigma**2 * map_jacobian_fro(model, X) ** 2).mean()),
        "dae_loss_at_x": float(rest.mean()),
    }


def sigma_sweep(cfg: FieldConfig, X: np.ndarray, clean: np.ndarray, main, track) -> np.ndarray:
    """Rows (σ, mean ‖J_r‖_F of the learned DAE, of the best denoiser) on the clean curve."""
    rows = []
    for sigma in SWEEP_SIGMAS:
        model = main if np.isclose(sigma, cfg.sigma) else train_dae(cfg, X, sigma, track, f"{SWEEP}:{sigma:g}")
        h, e = 1e-4, np.eye(2)
        opt = [
            (
                curve_truth.optimal_denoiser(cfg.dataset, clean + h * e[i], sigma, cfg.data_noise)
                - curve_truth.optimal_denoiser(cfg.dataset, clean - h * e[i], sigma, cfg.data_noise)
            )
            / (2 * h)
            for i in range(2)
        ]
        rows.append((sigma, map_jacobian_fro(model, clean).mean(), np.sqrt(sum((o**2).sum(1) for o in opt)).mean()))
    return np.array(rows)


def field_truth(cfg: FieldConfig, model, ds, s: float) -> tuple[dict, dict]:
    """Learned field against the nearest point and the true score on the grid near the curve."""
    curve, sigma = CURVES[cfg.dataset], cfg.sigma
    G = _grid(ds.X, 2.5 * sigma, cfg.grid)
    proj, dist = curve.project(G)
    near = dist <= 2 * sigma
    field = predict(model, G) - G  # r(x̃) − x̃ (grid, 2)
    true_score = curve_truth.score(cfg.dataset, G, s)
    optimal = sigma**2 * true_score  # Tweedie: E[x | x̃] − x̃
    opt_cos = cosines(optimal[near], proj[near] - G[near])
    metrics = {
        "projection_cosine": cosines(field[near], proj[near] - G[near]).mean(),
        "score_cosine": cosines(field[near], true_score[near]).mean(),
        "optimal_projection_cosine": opt_cos.mean(),
        "optimal_reversed_points": float((opt_cos < 0).sum()),
        "near_points": float(near.sum()),
    }
    arrays = {
        "grid": G,
        "grid_dist": dist,
        "near": near,
        "field": field,
        "score": field / sigma**2,
        "true_score": true_score,
    }
    return metrics, arrays


def held_out_truth(cfg: FieldConfig, model, s: float) -> tuple[dict, dict]:
    """Fresh clean points corrupted once: distances to the curve and the score's length."""
    curve, sigma = CURVES[cfg.dataset], cfg.sigma
    test = load_dataset(cfg.dataset, cfg.n_samples, cfg.data_noise, cfg.seed + 1).X
    noisy = corrupt_array("gaussian", test, sigma, cfg.seed + 1)
    denoised = predict(model, noisy)
    best = curve_truth.optimal_denoiser(cfg.dataset, noisy, sigma, cfg.data_noise)
    d_before, d_after, d_opt = (curve.project(P)[1].mean() for P in (noisy, denoised, best))
    learned = np.linalg.norm(denoised - noisy, axis=1) / sigma**2
    true = np.linalg.norm(curve_truth.score(cfg.dataset, noisy, s), axis=1)
    metrics = {
        "distance_ratio": d_after / d_before,
        "optimal_distance_ratio": d_opt / d_before,
        "score_magnitude_ratio": float(np.median(learned / np.maximum(true, 1e-12))),
    }
    return metrics, {"noisy": noisy, "denoised": denoised, "d_before": float(d_before), "d_after": float(d_after)}


def run(cfg: FieldConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    name, sigma = cfg.dataset, cfg.sigma
    ds = load_dataset(name, cfg.n_samples, cfg.data_noise, cfg.seed)
    model = train_dae(cfg, ds.X, sigma, track, DAE)
    track.step(GROUND_TRUTH)
    s = float(np.hypot(sigma, cfg.data_noise))  # the smoothed density's width
    m_grid, a_grid = field_truth(cfg, model, ds, s)
    m_test, a_test = held_out_truth(cfg, model, s)
    curve = CURVES[name]
    clean = curve.points(ds.t, ds.y)
    curves = curve.drawn()
    tweedie = [curve_truth.optimal_denoiser(name, c, sigma, cfg.data_noise) for c in curves]
    metrics = {**m_grid, **m_test, **taylor_check(model, clean[:TAYLOR_POINTS], sigma, cfg.seed)}
    metrics["tweedie_shift"] = float(np.mean([np.linalg.norm(t - c, axis=1).mean() for t, c in zip(tweedie, curves)]))
    metrics["map_jacobian_fro"] = float(map_jacobian_fro(model, clean).mean())
    arrays = {"X": ds.X, **a_grid, **a_test, "curves": curves, "tweedie": tweedie, "sigma": sigma, "s": s}
    if cfg.sweep:
        arrays["sweep"] = sigma_sweep(cfg, ds.X, clean, model, track)
    return track.result(metrics, arrays=arrays, models={DAE: model})


def cost(cfg: FieldConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): the DAE (and the sweep's, one per other σ)
    trained on n_samples points, the best denoiser by quadrature over the quadrature's curve points
    (on the grid, the held-out points, and four times per σ for the sweep's Jacobians), and
    the Jacobians by autograd."""
    n, net = cfg.n_samples, ct.autoencoder(2, (cfg.width, cfg.width), cfg.latent_dim)
    one = ct.stage(cfg, "epochs", n, net) + ct.predict(2 * n + TAYLOR_POINTS * TAYLOR_DRAWS + cfg.grid**2, net)
    others = [s for s in SWEEP_SIGMAS if not np.isclose(s, cfg.sigma)] if cfg.sweep else []
    quad = (cfg.grid**2 + 3 * n + 4 * len(SWEEP_SIGMAS) * n * cfg.sweep) * curve_truth.QUADRATURE * ct.T_QUAD
    jac = (n + TAYLOR_POINTS + len(SWEEP_SIGMAS) * n * cfg.sweep) * ct.T_JACOBIAN_ROW * net[2]
    # every DAE's training under "epochs" (the setting to lower), the truth under "n_samples"
    return {"epochs": one + len(others) * ct.stage(cfg, "epochs", n, net), "n_samples": quad + jac}


def _numbers(m) -> dict[str, float]:
    numbers = {"cos": m["projection_cosine"], "opt": m["optimal_projection_cosine"], "score": m["score_cosine"]}
    numbers |= {"near": m["near_points"], "ratio": m["score_magnitude_ratio"], "dist": m["distance_ratio"]}
    numbers |= {"dist_opt": m["optimal_distance_ratio"], "sigma": m["sigma"], "epochs": m["epochs"]}
    return numbers | {"n": m["n_samples"]}


def _why_distance(m) -> tuple[str, dict[str, float]]:
    """Points not brought halfway back: out of reach at this σ (the best denoiser, the posterior
    mean, stops short too), or the DAE has not learned the best denoiser's field."""
    out_of_reach = m["optimal_distance_ratio"] > DISTANCE
    return ("why.distance_reach" if out_of_reach else "why.distance_short"), _numbers(m)


DISTANCE = 0.5  # the claim: denoising at least halves the mean distance to the curve

EXPERIMENTS = [
    Experiment(
        "denoising_field",
        FieldConfig,
        run,
        "Denoising autoencoder: the field back to the curve",
        budget_s=20,
        cost=cost,
        stages=(DAE, GROUND_TRUTH, SWEEP),
        claims=(
            Claim.ratio_at_least(
                "projection",
                "projection_cosine",
                "optimal_projection_cosine",
                0.9,
                note="(on the circle the best denoiser's is 1)",
                why=lambda m: ("why.projection", _numbers(m)),
            ),
            Claim.at_least("score", "score_cosine", 0.8, why=lambda m: ("why.score", _numbers(m))),
            Claim.between(
                "score_magnitude",
                "score_magnitude_ratio",
                0.8,
                1.25,
                note="(the arrows have the score's length, not only its direction)",
                why=lambda m: ("why.magnitude_" + ("short" if m["score_magnitude_ratio"] < 1 else "long"), _numbers(m)),
            ),
            Claim.at_most("distance", "distance_ratio", DISTANCE, why=_why_distance),
        ),
    )
]
