"""Lesson 1, ``intro``: a curve in the plane squeezed through a 1-D code.

L(θ, φ) = E‖x − g_φ(f_θ(x))‖². With one latent unit, PCA can only project onto a
straight line; a small non-linear autoencoder learns a curve g(z), so its error on a
curved manifold is lower. Rebuilding every point as the data's mean (``mean_mse``) is
the floor any trained model must beat; an autoencoder above it did not train.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aecore import cost_terms as ct
from aecore.config import Config, param
from aecore.data.registry import CURVE_DATASETS, load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.theory import mse, pca_fit
from aecore.train import ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml).
AUTOENCODER = "autoencoder"
# An autoencoder whose error is at least this share of ``mean_mse`` did no better than
# rebuilding every point as the mean: it did not train.
NO_BETTER_THAN_MEAN = 0.99


@dataclass(frozen=True)
class IntroConfig(Config):
    dataset: str = param("sine", "2-D curve to learn", choices=CURVE_DATASETS)
    n_samples: int = param(800, "points on the curve", lo=50, hi=5000)
    noise: float = param(0.05, "standard deviation of the noise around the curve", lo=0.0, hi=0.5)
    width: int = param(32, "hidden units per layer", lo=2, hi=256)
    epochs: int = param(600, "full-batch training epochs", lo=1, hi=5000, batch=0)
    lr: float = param(0.02, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    seed: int = param(0, "seed of data and weights", lo=0, hi=2**31 - 1)


def run(cfg: IntroConfig, on_progress: ProgressFn | None = None) -> Result:
    """The lesson's experiment, the pattern every ``run`` follows: a ``Tracker``, every model
    trained through ``track.fit`` under a stage id, the metrics the claims read.

    Parameters
    ----------
    cfg : the validated settings; on_progress : called with a ``Progress`` after every
        epoch (True stops; a ``Replay`` re-measures loaded weights instead of training).

    Returns
    -------
    Result: metrics ``ae_mse``, ``pca_mse``, ``mean_mse``; arrays for the figures; the model.

    Example
    -------
    >>> run(IntroConfig(epochs=50)).metrics["mean_mse"] > 0
    True
    """
    track = Tracker(on_progress)
    ds = load_dataset(cfg.dataset, cfg.n_samples, cfg.noise, cfg.seed)
    model = build_model(
        ModelConfig(input_dim=2, hidden=(cfg.width, cfg.width), latent_dim=1, activation="tanh"), seed=cfg.seed
    )
    track.fit(model, ds.X, TrainConfig(epochs=cfg.epochs, lr=cfg.lr, seed=cfg.seed), stage=AUTOENCODER)
    recon_ae = predict(model, ds.X)
    pca = pca_fit(ds.X)
    recon_pca = pca.reconstruct(ds.X, 1)
    z = predict(model.encode, ds.X)[:, 0]
    z_grid = np.linspace(z.min(), z.max(), 200, dtype=np.float32)[:, None]
    curve = predict(model.decode, z_grid)
    metrics = {
        "ae_mse": mse(ds.X, recon_ae),
        "pca_mse": mse(ds.X, recon_pca),
        "mean_mse": mse(ds.X, np.broadcast_to(ds.X.mean(0), ds.X.shape)),  # a code of zero numbers
    }
    arrays = {
        "X": ds.X,
        "recon_ae": recon_ae,
        "recon_pca": recon_pca.astype(np.float32),
        "curve": curve,
        "z": z,
        "labels": ds.y,
    }
    return track.result(metrics, arrays=arrays, models={"autoencoder": model})


def cost(cfg: IntroConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): the full-batch epochs of the autoencoder."""
    net = ct.autoencoder(2, (cfg.width, cfg.width), 1)
    return {"epochs": ct.stage(cfg, "epochs", cfg.n_samples, net) + ct.predict(3 * cfg.n_samples, net)}


def why_not_below_pca(m) -> tuple[str, dict[str, float]]:
    """No curve better than PCA's line: the AE is no better than the mean (training failed
    outright), or better than the mean yet not than the line (training stopped short)."""
    numbers = dict(ae=m["ae_mse"], pca=m["pca_mse"], mean=m["mean_mse"], epochs=m["epochs"], width=m["width"])
    failed = m["ae_mse"] >= NO_BETTER_THAN_MEAN * m["mean_mse"]
    return ("fails_mean" if failed else "fails"), numbers | {"lr": m["lr"]}


EXPERIMENTS = [
    Experiment(
        "intro",
        IntroConfig,
        run,
        "What an autoencoder is",
        budget_s=5,
        cost=cost,
        stages=(AUTOENCODER,),
        codes=lambda a: {"autoencoder": (a["z"], a["labels"])},
        claims=(Claim.less("ae_beats_pca", "ae_mse", "pca_mse", note="on a curved manifold", why=why_not_below_pca),),
    )
]
