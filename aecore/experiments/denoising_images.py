"""Lesson 7, ``denoising_images``: denoising autoencoders on images against a PCA baseline.

One DAE per corruption of ``aecore.noise`` (Gaussian σ, masking ν, salt-and-pepper ν) is
trained to map x̃ ~ C(x̃ | x) back to x (Vincent et al., 2008), and a plain AE on clean x.
Scores on held-out images, each corrupted once with a seeded generator:
PSNR = 10 log10(1 / MSE) (pixels in [0, 1]) of the noisy input, of the DAE's output and of
the PCA baseline: project x̃ onto the top-k principal subspace of the clean training
images, with the k that denoises the noisy training images best (a tuned baseline, all
k scored at once: with Z = (x̃ − μ)V and A = x − μ, ‖A − Z_k V_kᵀ‖² = ‖A‖² − 2 Σ_{i≤k} ⟨AV_i, Z_i⟩
+ Σ_{i≤k} ‖Z_i‖²). The second test-time use of a DAE is its code h = f(x) as features: a
logistic-regression probe trained on (at most 2 000 of) the training images' codes, scored on
the held-out ones, clean and corrupted: the denoising criterion is meant to make the features
robust to the corruption (Vincent et al., 2008, 2010), so the same probe is also scored on the
codes of the corrupted held-out images (the plain AE's against each DAE's, raw pixels as a
reference). Pixels are probed as they are, not standardised: a pixel that is almost always 0
would have a tiny spread, and dividing by it would blow the noise on it up.

Training length is data-aware: each model sees about 85 000 corrupted images in batches of
64 (60 epochs of the 8×8 digits' training split, 11 of the 28×28 stand-in's): a fixed number
of Adam steps, which is what the denoisers need; larger batches with the same images seen
train faster per image but fall behind the tuned PCA (measured on digits28).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aecore import cost_terms as ct
from aecore.config import Config, param
from aecore.cost import data_size
from aecore.data.registry import image_dataset_names, load_dataset
from aecore.data.steps import epochs_for, work
from aecore.experiments.base import Experiment, Result, Tracker
from aecore.experiments.denoising_images_why import (  # noqa: F401 (re-exported for the page and tests)
    AE,
    BACKGROUND,
    GAIN,
    ROBUST_GAIN,
    ROBUST_HURTS,
    claims,
    probe_metric,
)
from aecore.models import MODELS, build_model
from aecore.noise import CORRUPTIONS, corrupt_array, make_corrupt
from aecore.theory import mse, pca_fit
from aecore.train import ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml): one DAE per corruption.
PLAIN_AE, PCA_BASELINE, PROBES = "plain_ae", "pca_baseline", "linear_probes"
DAE_STAGES = {name: f"dae_{name}" for name in CORRUPTIONS}
SWEEP = {
    "gaussian": (0.1, 0.2, 0.3, 0.4, 0.5, 0.7),
    "masking": (0.1, 0.2, 0.3, 0.4, 0.5, 0.7),
    "salt_and_pepper": (0.05, 0.1, 0.2, 0.3, 0.4, 0.5),
}
SHOW = 10  # images per row of the grids
PROBE_ITERS = 300  # L-BFGS iterations of a probe, at most
PROBE_ROWS = 2000  # the probes train on at most this many training images (a cap: lbfgs on 784 pixels is slow)
PROBE_GAIN = 0.01  # a DAE's codes at least this much more accurate than the plain AE's: a gain (one point)
# The page's "show the effect" view: stronger corruptions, where the DAE's codes keep far more of
# the class than the plain AE's (the level sweep off, to stay within seconds on 28×28 images).
ROBUST_VIEW = {"gaussian": 0.5, "masking": 0.5, "salt_and_pepper": 0.4, "sweep": False, "probe": True}
LOSSES = {"mse": "mlp", "cross_entropy": "cross_entropy"}  # loss -> model kind (aecore.models)
BATCH = 64  # rows per step


@dataclass(frozen=True)
class ImagesConfig(Config):
    dataset: str = param("digits", "image data set", choices=image_dataset_names)
    gaussian: float = param(0.3, "σ of the Gaussian corruption", lo=0.0, hi=1.0)
    masking: float = param(0.3, "ν: share of pixels set to 0", lo=0.0, hi=0.95)
    salt_and_pepper: float = param(0.2, "ν: share of pixels set to 0 or 1", lo=0.0, hi=0.95)
    latent_dim: int = param(32, "code size k of every autoencoder", lo=2, hi=256)
    width: int = param(256, "hidden units of the one hidden layer", lo=8, hi=1024)
    epochs: int = param(
        0,
        "epochs of each of the four models (batches of {batch}); 0 = automatic, about {rows} images seen",
        lo=0,
        hi=1000,
        auto_steps=85_000 // BATCH,  # about 85 000 images seen
        batch=BATCH,
        train_rows=lambda cfg, n: n - round(cfg.test_share * n),
    )
    lr: float = param(3e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    loss: str = param("mse", "reconstruction loss of every model (sigmoid outputs)", choices=tuple(LOSSES))
    test_share: float = param(0.25, "share of images held out for scoring", lo=0.1, hi=0.5)
    sweep: bool = param(True, "PSNR at several noise levels (each DAE tested off its level)")
    probe: bool = param(True, "linear-probe accuracy of the codes (logistic regression, held-out images)")
    seed: int = param(0, "seed of the split, weights and noise", lo=0, hi=2**31 - 1)


def psnr(X: np.ndarray, Y: np.ndarray) -> float:
    """10 log10(1 / MSE) in dB, for pixels in [0, 1]."""
    return float(10 * np.log10(1.0 / max(mse(X, Y), 1e-12)))


def pca_errors(pca, X: np.ndarray, Xn: np.ndarray) -> np.ndarray:
    """MSE against the clean X of projecting the noisy Xn on the top-k subspace, for k = 1 … D."""
    A = np.asarray(X, np.float64) - pca.mean
    Z = (np.asarray(Xn, np.float64) - pca.mean) @ pca.components  # (n, D) coordinates of x̃
    cross = ((A @ pca.components) * Z).sum(0)  # ⟨A V_i, Z_i⟩
    err = (A * A).sum() - 2 * np.cumsum(cross) + np.cumsum((Z * Z).sum(0))
    return err / A.size


def best_rank(pca, X: np.ndarray, Xn: np.ndarray) -> int:
    """The rank whose projection of the noisy training images is closest to the clean ones."""
    return int(np.argmin(pca_errors(pca, X, Xn)[:-1])) + 1


def probe(Htr: np.ndarray, ytr: np.ndarray, scale: bool = True):
    """A logistic regression trained on (Htr, ytr), on standardised features if ``scale``."""
    clf = LogisticRegression(max_iter=PROBE_ITERS)
    return (make_pipeline(StandardScaler(), clf) if scale else clf).fit(Htr, ytr)


def probe_accuracy(Htr: np.ndarray, ytr: np.ndarray, Hte: np.ndarray, yte: np.ndarray) -> float:
    """Held-out accuracy of a standardised logistic regression trained on (Htr, ytr)."""
    return float(probe(Htr, ytr).score(Hte, yte))


def train_models(cfg: ImagesConfig, Xtr: np.ndarray, dim: int, track) -> tuple[dict, int]:
    """The plain AE and one DAE per corruption, same architecture, loss and seed."""
    epochs = epochs_for(cfg, "epochs", len(Xtr))
    kind = LOSSES[cfg.loss]
    shape = dict(input_dim=dim, hidden=(cfg.width,), latent_dim=cfg.latent_dim, activation="relu", output="sigmoid")
    mc = MODELS[kind].config_cls(**shape)
    tc = TrainConfig(epochs=epochs, batch_size=BATCH, lr=cfg.lr, seed=cfg.seed)
    models = {AE: build_model(mc, kind=kind, seed=cfg.seed)}
    track.fit(models[AE], Xtr, tc, stage=PLAIN_AE)
    for name in CORRUPTIONS:
        models[name] = build_model(mc, kind=kind, seed=cfg.seed)
        corrupt = make_corrupt(name, getattr(cfg, name))
        track.fit(models[name], Xtr, tc, corrupt=corrupt, stage=DAE_STAGES[name])
    return models, epochs


def score_corruption(cfg, name: str, i: int, model, pca, Xtr, Xte) -> tuple[dict, dict, np.ndarray | None]:
    """PSNRs of one corruption (noisy, DAE, tuned PCA), its image rows and its level sweep."""
    level, seed = getattr(cfg, name), cfg.seed + 1 + i
    k = best_rank(pca, Xtr, corrupt_array(name, Xtr, level, seed + 100))
    noisy = corrupt_array(name, Xte, level, seed)
    dae, pca_rec = predict(model, noisy), pca.reconstruct(noisy, k)
    metrics = {
        f"psnr_noisy_{name}": psnr(Xte, noisy),
        f"psnr_dae_{name}": psnr(Xte, dae),
        f"psnr_pca_{name}": psnr(Xte, pca_rec),
        f"pca_k_{name}": k,
        f"changed_share_{name}": float(np.mean(noisy != Xte)),  # pixels the corruption actually changed
    }
    grid = {"clean": Xte[:SHOW], "noisy": noisy[:SHOW], "dae": dae[:SHOW], "pca": pca_rec[:SHOW]}
    sweep = None
    if cfg.sweep:
        rows = []
        for lv in SWEEP[name]:
            xn = corrupt_array(name, Xte, lv, seed)
            rows.append((lv, psnr(Xte, xn), psnr(Xte, predict(model, xn)), psnr(Xte, pca.reconstruct(xn, k))))
        sweep = np.array(rows)
    return metrics, grid, sweep


def probes(cfg: ImagesConfig, models: dict, Xtr, ytr, Xte, yte) -> dict[str, float]:
    """Held-out linear-probe accuracy of the pixels and of every model's codes, each probe
    trained on the same ≤ PROBE_ROWS clean training images; then each probe scored on the
    held-out images under each corruption (the very images the PSNRs are measured on)."""
    keep = np.random.default_rng(cfg.seed).permutation(len(Xtr))[:PROBE_ROWS]
    Xtr, ytr = Xtr[keep], ytr[keep]
    encoders = {"pixels": None} | {key: model.encode for key, model in models.items()}
    fitted = {key: probe(_codes(f, Xtr), ytr, scale=f is not None) for key, f in encoders.items()}
    out = {"probe_rows": float(len(keep))}
    for key, clf in fitted.items():
        out[probe_metric(key)] = float(clf.score(_codes(encoders[key], Xte), yte))
    for i, name in enumerate(CORRUPTIONS):
        noisy = corrupt_array(name, Xte, getattr(cfg, name), cfg.seed + 1 + i)
        for key in ("pixels", AE, name):
            out[probe_metric(key, name)] = float(fitted[key].score(_codes(encoders[key], noisy), yte))
    return out


def _codes(encode, X: np.ndarray) -> np.ndarray:
    return X if encode is None else predict(encode, X)


def run(cfg: ImagesConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    ds = load_dataset(cfg.dataset)
    order = np.random.default_rng(cfg.seed).permutation(ds.n)
    n_test = int(round(cfg.test_share * ds.n))
    test, train = order[:n_test], order[n_test:]
    Xtr, Xte = ds.X[train], ds.X[test]
    models, epochs = train_models(cfg, Xtr, ds.dim, track)
    track.step(PCA_BASELINE)
    pca = pca_fit(Xtr)
    metrics, grids, sweep = {"epochs_run": epochs}, {}, {}
    for i, name in enumerate(CORRUPTIONS):
        m, grids[name], s = score_corruption(cfg, name, i, models[name], pca, Xtr, Xte)
        metrics.update(m)
        if s is not None:
            sweep[name] = s
    metrics["psnr_clean_ae"] = psnr(Xte, predict(models[AE], Xte))
    metrics["background_share"] = float(np.mean(Xte == 0))  # pixels a mask cannot change
    if cfg.probe:
        track.step(PROBES)
        metrics.update(probes(cfg, models, Xtr, ds.y[train], Xte, ds.y[test]))
    arrays = {
        "grids": grids,
        "sweep": sweep,
        "pca_k": {n: int(metrics[f"pca_k_{n}"]) for n in CORRUPTIONS},
        "image_shape": ds.image_shape,
        "levels": {n: getattr(cfg, n) for n in CORRUPTIONS},
    }
    return track.result(metrics, arrays=arrays, models=models)


def cost(cfg: ImagesConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): four models on the training rows (the three
    DAEs corrupt every batch), PCA, each corruption scored (its level sweep: SWEEP levels of
    the test rows through the DAE and PCA) and the five linear probes (also scored on the
    corrupted test rows)."""
    n, d = data_size(cfg.dataset)
    test = round(cfg.test_share * n)
    net = ct.autoencoder(d, (cfg.width,), cfg.latent_dim)
    models = ct.stage(cfg, "epochs", n, net) + 3 * ct.stage(cfg, "epochs", n, net, extra=ct.T_CORRUPT)
    models += 3 * work(cfg, "epochs", n)[1] * d * ct.T_NUMPY  # the corruption of every row seen
    pca = 4 * n * d * d * ct.FLOP_S + 2 * d**3 * ct.T_EIGH
    levels = sum(map(len, SWEEP.values())) * cfg.sweep + len(CORRUPTIONS)
    scored = ct.predict(levels * test + 2 * n, net) + levels * test * d * (2 * d * ct.FLOP_S + 4 * ct.T_NUMPY)
    rows = min(PROBE_ROWS, n - test)
    probes_s = ct.logistic(rows, d, 10, PROBE_ITERS) + 4 * ct.logistic(rows, cfg.latent_dim, 10, PROBE_ITERS)
    probes_s += ct.predict(2 * len(CORRUPTIONS) * test, net) + len(CORRUPTIONS) * test * d * ct.T_NUMPY  # corrupted
    return {"epochs": models + pca + scored, "probe": probes_s * cfg.probe}


EXPERIMENTS = [
    Experiment(
        "denoising_images",
        ImagesConfig,
        run,
        "Denoising autoencoders on images",
        budget_s=40,
        cost=cost,
        stages=(PLAIN_AE, *DAE_STAGES.values(), PCA_BASELINE, PROBES),
        claims=claims(),
    )
]
