"""Lesson 4, ``capacity``: depth, width, and codes smaller or larger than the input.

An undercomplete code (k < D) must drop information, so it can only reconstruct what
resembles the training data. An overcomplete, unregularized code (k > D) can learn
something close to the identity map: it then reconstructs inputs it never saw — uniform
noise images — almost as well as the data (Goodfellow et al. 2016, §14.1). The output
layer is linear: a sigmoid output saturates on noise and hides the copying.

Greedy layer-wise pretraining (Hinton & Salakhutdinov 2006; Bengio et al. 2007) is an
option: each hidden layer is first trained as a one-layer autoencoder on the codes of
the layer below (every stage through ``fit``), the layers are stacked, then fine-tuned
end to end; it is compared with end-to-end training of the same architecture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore.config import Config, ConfigError, param
from aecore.data import IMAGE_DATASETS, load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.models.base import Autoencoder
from aecore.theory import mse
from aecore.train import TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml), each with a parameter:
# ":k=<code size>", or ":<layer>" for GREEDY_LAYER.
UNDERCOMPLETE, OVERCOMPLETE, SWEEP = "undercomplete", "overcomplete", "code_size_sweep"
GREEDY_LAYER, GREEDY_FINETUNE = "greedy_layer", "greedy_finetune"

SWEEP_KS = (2, 4, 16, 32, 64, 128)


@dataclass(frozen=True)
class CapacityConfig(Config):
    dataset: str = param("digits", "image data set", choices=IMAGE_DATASETS)
    depth: int = param(0, "hidden layers between input and code (0 = one-layer encoder)", lo=0, hi=3)
    width: int = param(128, "units of each hidden layer", lo=2, hi=1024)
    under_latent: int = param(8, "code size of the undercomplete model (k < D)", lo=1, hi=1024)
    over_latent: int = param(256, "code size of the overcomplete model (k > D)", lo=1, hi=2048)
    activation: str = param(
        "relu",
        "non-linearity of hidden layers and code",
        choices=("relu", "tanh", "sigmoid", "elu"),
    )
    output: str = param("identity", "output layer (a sigmoid hides the copying)", choices=("identity", "sigmoid"))
    epochs: int = param(100, "epochs per model (batches of 256)", lo=1, hi=2000)
    lr: float = param(5e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    n_noise: int = param(500, "uniform-noise test images, never seen in training", lo=10, hi=5000)
    sweep: bool = param(True, "also train code sizes 2 … 128 to draw error against k")
    pretrain: bool = param(False, "greedy layer-wise pretraining of the undercomplete model")
    seed: int = param(0, "seed of weights, batch order and noise images", lo=0, hi=2**31 - 1)

    def check(self) -> None:
        if self.pretrain and self.depth == 0:
            raise ConfigError(
                "greedy layer-wise pretraining needs at least one hidden layer: set depth ≥ 1.",
                code="pretrain_needs_depth",
            )


def model_config(cfg: CapacityConfig, D: int, k: int) -> ModelConfig:
    return ModelConfig(
        input_dim=D,
        hidden=(cfg.width,) * cfg.depth,
        latent_dim=k,
        activation=cfg.activation,
        latent_activation=cfg.activation,
        output=cfg.output,
    )


def train_config(cfg: CapacityConfig) -> TrainConfig:
    return TrainConfig(epochs=cfg.epochs, batch_size=256, lr=cfg.lr, seed=cfg.seed)


def end_to_end(cfg: CapacityConfig, X: np.ndarray, k: int, track: Tracker, stage: str) -> Autoencoder:
    model = build_model(model_config(cfg, X.shape[1], k), seed=cfg.seed)
    track.fit(model, X, train_config(cfg), stage=stage)
    return model


def greedy(cfg: CapacityConfig, X: np.ndarray, k: int, track: Tracker) -> tuple[Autoencoder, float]:
    """Train layer by layer on the codes below, stack, fine-tune; also the pre-fine-tune MSE."""
    widths = [X.shape[1], *(cfg.width,) * cfg.depth, k]
    full = build_model(model_config(cfg, X.shape[1], k), seed=cfg.seed)
    enc = full.linear_layers("encoder")
    dec = full.linear_layers("decoder")[::-1]  # dec[i] maps widths[i+1] -> widths[i]
    codes = X
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        out = cfg.output if i == 0 else "identity"
        stage_model = build_model(
            ModelConfig(input_dim=a, hidden=(), latent_dim=b, latent_activation=cfg.activation, output=out),
            seed=cfg.seed + i,
        )
        track.fit(stage_model, codes, train_config(cfg), stage=f"{GREEDY_LAYER}:{i + 1}")
        with torch.no_grad():
            enc[i].load_state_dict(stage_model.encoder[0].state_dict())
            dec[i].load_state_dict(stage_model.decoder[0].state_dict())
        codes = predict(stage_model.encode, codes)
    stacked_mse = mse(X, predict(full, X))
    track.fit(full, X, train_config(cfg), stage=GREEDY_FINETUNE)
    return full, stacked_mse


def run(cfg: CapacityConfig, on_progress=None) -> Result:
    ds = load_dataset(cfg.dataset)
    X, D = ds.X, ds.dim
    if cfg.under_latent >= D:
        raise ConfigError(
            f"under_latent={cfg.under_latent} must be smaller than the {D} inputs.",
            code="latent_not_smaller",
            params=dict(name="under_latent", value=cfg.under_latent, inputs=D),
        )
    if cfg.over_latent <= D:
        raise ConfigError(
            f"over_latent={cfg.over_latent} must be larger than the {D} inputs.",
            code="latent_not_larger",
            params=dict(name="over_latent", value=cfg.over_latent, inputs=D),
        )
    track = Tracker(on_progress)
    noise = np.random.default_rng(cfg.seed).uniform(0, 1, (cfg.n_noise, D)).astype(np.float32)
    under = end_to_end(cfg, X, cfg.under_latent, track, f"{UNDERCOMPLETE}:k={cfg.under_latent}")
    over = end_to_end(cfg, X, cfg.over_latent, track, f"{OVERCOMPLETE}:k={cfg.over_latent}")
    recon = {name: (predict(m, X), predict(m, noise)) for name, m in (("undercomplete", under), ("overcomplete", over))}
    metrics = {}
    for name, (rx, rn) in recon.items():
        metrics[f"{name}_data_mse"] = mse(X, rx)
        metrics[f"{name}_noise_mse"] = mse(noise, rn)
    metrics["noise_ratio"] = metrics["overcomplete_noise_mse"] / metrics["undercomplete_noise_mse"]
    models = {"undercomplete": under, "overcomplete": over}
    sweep = {
        cfg.under_latent: (metrics["undercomplete_data_mse"], metrics["undercomplete_noise_mse"]),
        cfg.over_latent: (metrics["overcomplete_data_mse"], metrics["overcomplete_noise_mse"]),
    }
    if cfg.sweep:
        for k in (k for k in SWEEP_KS if k not in sweep):
            m = end_to_end(cfg, X, k, track, f"{SWEEP}:k={k}")
            sweep[k] = (mse(X, predict(m, X)), mse(noise, predict(m, noise)))
    if cfg.pretrain:
        gmodel, metrics["greedy_stacked_data_mse"] = greedy(cfg, X, cfg.under_latent, track)
        metrics["greedy_data_mse"] = mse(X, predict(gmodel, X))
        metrics["greedy_noise_mse"] = mse(noise, predict(gmodel, noise))
        models["greedy"] = gmodel
    arrays = {
        "X": X,
        "labels": ds.y,
        "noise": noise,
        "recon": recon,
        "image_shape": ds.image_shape,
        "sweep": dict(sorted(sweep.items())),
        "input_dim": D,
    }
    return track.result(metrics, arrays=arrays, models=models)


EXPERIMENTS = [
    Experiment(
        "capacity",
        CapacityConfig,
        run,
        "Architecture: depth, width, under- and overcomplete",
        budget_s=30,
        stages=(UNDERCOMPLETE, OVERCOMPLETE, SWEEP, GREEDY_LAYER, GREEDY_FINETUNE),
        claims=(
            Claim(
                "overcomplete_copies",
                "overcomplete_noise_mse < 0.5 · undercomplete_noise_mse (it copies unseen noise)",
                lambda m: m["overcomplete_noise_mse"] < 0.5 * m["undercomplete_noise_mse"],
            ),
        ),
    )
]
