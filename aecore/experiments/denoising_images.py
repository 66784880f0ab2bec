"""Lesson 7, ``denoising_images``: denoising autoencoders on digits against a PCA baseline.

One DAE per corruption of ``aecore.noise`` (Gaussian σ, masking ν, salt-and-pepper ν) is
trained to map x̃ back to x (Vincent et al., 2008), and a plain AE on clean x. Scores on
held-out images, each corrupted once with a seeded generator:
PSNR = 10 log10(1 / MSE) (pixels in [0, 1]) of the noisy input, of the DAE's output and of
the PCA baseline: project x̃ onto the top-k principal subspace of the clean training
images, with the k that denoises the training images best (a tuned, not a strawman,
baseline). The second test-time use of a DAE is its code h = f(x) as features: the
cross-validated accuracy of a logistic-regression probe on the codes of each model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from aecore.config import Config, param
from aecore.data import IMAGE_DATASETS, load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
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


@dataclass(frozen=True)
class ImagesConfig(Config):
    dataset: str = param("digits", "image data set", choices=IMAGE_DATASETS)
    gaussian: float = param(0.3, "σ of the Gaussian corruption", lo=0.0, hi=1.0)
    masking: float = param(0.3, "ν: share of pixels set to 0", lo=0.0, hi=0.95)
    salt_and_pepper: float = param(0.2, "ν: share of pixels set to 0 or 1", lo=0.0, hi=0.95)
    latent_dim: int = param(32, "code size k of every autoencoder", lo=2, hi=256)
    width: int = param(256, "hidden units of the one hidden layer", lo=8, hi=1024)
    epochs: int = param(60, "epochs of each of the four models", lo=1, hi=1000)
    lr: float = param(3e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    test_share: float = param(0.25, "share of images held out for scoring", lo=0.1, hi=0.5)
    sweep: bool = param(True, "PSNR at several noise levels (each DAE tested off its level)")
    probe: bool = param(True, "linear-probe accuracy of the codes (5-fold logistic regression)")
    seed: int = param(0, "seed of the split, weights and noise", lo=0, hi=2**31 - 1)


def psnr(X: np.ndarray, Y: np.ndarray) -> float:
    """10 log10(1 / MSE) in dB, for pixels in [0, 1]."""
    return float(10 * np.log10(1.0 / max(mse(X, Y), 1e-12)))


def _pca_k(pca, X: np.ndarray, Xn: np.ndarray) -> int:
    """The rank whose projection of the noisy training images is closest to the clean ones."""
    errs = [mse(X, pca.reconstruct(Xn, k)) for k in range(1, X.shape[1])]
    return int(np.argmin(errs)) + 1


def probe_accuracy(H: np.ndarray, y: np.ndarray, seed: int) -> float:
    """Mean 5-fold accuracy of a standardised logistic regression on the codes H."""
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    from sklearn.model_selection import StratifiedKFold

    cv = StratifiedKFold(5, shuffle=True, random_state=seed)
    return float(cross_val_score(clf, H, y, cv=cv).mean())


def run(cfg: ImagesConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    ds = load_dataset(cfg.dataset)
    order = np.random.default_rng(cfg.seed).permutation(ds.n)
    n_test = int(round(cfg.test_share * ds.n))
    test, train = order[:n_test], order[n_test:]
    Xtr, Xte = ds.X[train], ds.X[test]
    mc = ModelConfig(
        input_dim=ds.dim, hidden=(cfg.width,), latent_dim=cfg.latent_dim, activation="relu", output="sigmoid"
    )
    tc = TrainConfig(epochs=cfg.epochs, batch_size=64, lr=cfg.lr, seed=cfg.seed)
    models = {"AE": build_model(mc, seed=cfg.seed)}
    track.fit(models["AE"], Xtr, tc, stage=PLAIN_AE)
    for name in CORRUPTIONS:
        models[name] = build_model(mc, seed=cfg.seed)
        track.fit(models[name], Xtr, tc, corrupt=make_corrupt(name, getattr(cfg, name)), stage=DAE_STAGES[name])
    track.step(PCA_BASELINE)
    pca = pca_fit(Xtr)
    metrics, grids, pca_ks, sweep = {}, {}, {}, {}
    for i, name in enumerate(CORRUPTIONS):
        level, seed = getattr(cfg, name), cfg.seed + 1 + i
        k = pca_ks[name] = _pca_k(pca, Xtr, corrupt_array(name, Xtr, level, seed + 100))
        noisy = corrupt_array(name, Xte, level, seed)
        dae, pca_rec = predict(models[name], noisy), pca.reconstruct(noisy, k)
        metrics[f"psnr_noisy_{name}"] = psnr(Xte, noisy)
        metrics[f"psnr_dae_{name}"] = psnr(Xte, dae)
        metrics[f"psnr_pca_{name}"] = psnr(Xte, pca_rec)
        metrics[f"pca_k_{name}"] = k
        grids[name] = {"clean": Xte[:SHOW], "noisy": noisy[:SHOW], "dae": dae[:SHOW], "pca": pca_rec[:SHOW]}
        if cfg.sweep:
            rows = []
            for lv in SWEEP[name]:
                xn = corrupt_array(name, Xte, lv, seed)
                rows.append(
                    (lv, psnr(Xte, xn), psnr(Xte, predict(models[name], xn)), psnr(Xte, pca.reconstruct(xn, k)))
                )
            sweep[name] = np.array(rows)
    metrics["psnr_clean_ae"] = psnr(Xte, predict(models["AE"], Xte))
    if cfg.probe:
        track.step(PROBES)
        y = ds.y
        metrics["probe_accuracy_pixels"] = probe_accuracy(ds.X, y, cfg.seed)
        metrics["probe_accuracy_ae"] = probe_accuracy(predict(models["AE"].encode, ds.X), y, cfg.seed)
        for name in CORRUPTIONS:
            H = predict(models[name].encode, ds.X)
            metrics[f"probe_accuracy_dae_{name}"] = probe_accuracy(H, y, cfg.seed)
    arrays = {
        "grids": grids,
        "sweep": sweep,
        "pca_k": pca_ks,
        "image_shape": ds.image_shape,
        "levels": {n: getattr(cfg, n) for n in CORRUPTIONS},
    }
    return track.result(metrics, arrays=arrays, models=models)


def _claims() -> tuple[Claim, ...]:
    out = []
    for n in CORRUPTIONS:
        out.append(
            Claim(
                f"gain_{n}",
                f"psnr_dae_{n} − psnr_noisy_{n} ≥ 3 dB",
                lambda m, n=n: m[f"psnr_dae_{n}"] - m[f"psnr_noisy_{n}"] >= 3.0,
            )
        )
        out.append(
            Claim(
                f"beats_pca_{n}", f"psnr_dae_{n} > psnr_pca_{n}", lambda m, n=n: m[f"psnr_dae_{n}"] > m[f"psnr_pca_{n}"]
            )
        )
    return tuple(out)


EXPERIMENTS = [
    Experiment(
        "denoising_images",
        ImagesConfig,
        run,
        "Denoising autoencoders on images",
        budget_s=40,
        stages=(PLAIN_AE, *DAE_STAGES.values(), PCA_BASELINE, PROBES),
        claims=_claims(),
    )
]
