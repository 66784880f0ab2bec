"""Lesson 4, ``capacity``: depth, width, and codes smaller or larger than the input.

An undercomplete code (k < D) must drop information. An overcomplete, unregularized code
(k > D) can learn something close to the identity (Goodfellow et al. 2016, §14.1): it
passes small changes of its input straight through, but only along the directions the
training data vary in (``aecore.maths.probes.copy_share``). Uniform noise, held-out digits and
a predict-the-mean baseline put the reconstruction errors in scale.

Even an undercomplete model memorises when its encoder and decoder are powerful and the
data few (slides §3; Goodfellow et al. §14.2): trained on a handful of images, a deep wide
model with a two-number code rebuilds them almost exactly, and new images worse than PCA.
Depth gives each layer's units something else to respond to (hierarchical features;
Tschannen et al. 2018). Greedy layer-wise pretraining (Hinton & Salakhutdinov 2006;
Bengio et al. 2007) trains one layer at a time on the codes below (each stage through
``fit``), stacks them and fine-tunes end to end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore import cost_terms as ct
from aecore.config import Config, ConfigError, param
from aecore.cost import data_size
from aecore.data.registry import image_dataset_names, load_dataset
from aecore.data.steps import epochs_for
from aecore.experiments.base import Experiment, Result, Tracker
from aecore.experiments.capacity_claims import CLAIMS, GREEDY_VIEW
from aecore.maths import probes
from aecore.models import ModelConfig, build_model
from aecore.models.base import Autoencoder
from aecore.theory import mse, pca_fit
from aecore.train import TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml), each with a parameter:
# ":k=<code size>", or ":<layer>" for GREEDY_LAYER.
UNDERCOMPLETE, OVERCOMPLETE, SWEEP = "undercomplete", "overcomplete", "code_size_sweep"
GREEDY_LAYER, GREEDY_FINETUNE, MEMORISE = "greedy_layer", "greedy_finetune", "memorise"

SWEEP_KS = (2, 4, 16, 32, 64, 128)
BATCH, HELDOUT = 256, 0.2  # rows per step; share of the rows held out (at most 2 000)
FEW_CODE, FEW_EPOCHS = 2, 500  # the memorising model: a two-number code, full-batch epochs
HELDOUT_SAME = 1.5  # a held-out error up to this many times the training error reads as "the same"
PURITY_RISE = 0.02  # a rise: first layer to code, at least this more than at the random start (2 decimals)
# The slides' one-layer example (§2): h = σ(Wx + b), x′ = σ(W′h + b′), trained on the mean squared
# error: no hidden layer, a sigmoid code and a sigmoid output; a settings view of lesson 4.
SLIDES_EXAMPLE = {"depth": 0, "activation": "sigmoid", "output": "sigmoid", "pretrain": False}


@dataclass(frozen=True)
class CapacityConfig(Config):
    dataset: str = param("digits", "image data set", choices=image_dataset_names)
    depth: int = param(0, "hidden layers between input and code (0 = one-layer encoder)", lo=0, hi=3)
    width: int = param(128, "units of each hidden layer", lo=2, hi=1024)
    under_latent: int = param(8, "code size of the undercomplete model (k < D)", lo=1, hi=1024)
    over_latent: int = param(
        0, "code size of the overcomplete model (k > D); 0 = auto: 4D, at most 1024", lo=0, hi=2048
    )
    activation: str = param(
        "elu", "non-linearity of hidden layers and code", choices=("relu", "tanh", "sigmoid", "elu")
    )
    output: str = param("identity", "output layer (a sigmoid hides the copying)", choices=("identity", "sigmoid"))
    epochs: int = param(
        0,
        "epochs per model; 0 = auto: about {steps} steps of {batch} rows",
        lo=0,
        hi=2000,
        auto_steps=600,  # 100 epochs on the 8×8 digits' training rows
        batch=BATCH,
        epoch_range=(3, None),
        train_rows=lambda cfg, n: n - held_out(n),
    )
    lr: float = param(2e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    n_noise: int = param(500, "uniform-noise test images, never seen in training", lo=10, hi=5000)
    sweep: bool = param(True, "also train code sizes 2 … 128 to draw error against k")
    pretrain: bool = param(False, "greedy layer-wise pretraining of the undercomplete model (needs depth ≥ 1)")
    few_rows: int = param(32, "training images of the memorising model", lo=4, hi=2000)
    few_width: int = param(256, "width of the memorising model's two hidden layers", lo=2, hi=1024)
    seed: int = param(0, "seed of the split, weights, batch order and noise images", lo=0, hi=2**31 - 1)


def over_k(cfg: CapacityConfig, D: int) -> int:
    return cfg.over_latent or max(D + 1, min(4 * D, 1024))


def model_config(cfg: CapacityConfig, D: int, k: int) -> ModelConfig:
    return ModelConfig(
        input_dim=D,
        hidden=(cfg.width,) * cfg.depth,
        latent_dim=k,
        activation=cfg.activation,
        latent_activation=cfg.activation,
        output=cfg.output,
    )


def train_config(cfg: CapacityConfig, n: int) -> TrainConfig:
    return TrainConfig(epochs=epochs_for(cfg, "epochs", n), batch_size=BATCH, lr=cfg.lr, seed=cfg.seed)


def end_to_end(cfg: CapacityConfig, X: np.ndarray, k: int, track: Tracker, stage: str) -> Autoencoder:
    model = build_model(model_config(cfg, X.shape[1], k), seed=cfg.seed)
    track.fit(model, X, train_config(cfg, len(X)), stage=stage)
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
        track.fit(stage_model, codes, train_config(cfg, len(X)), stage=f"{GREEDY_LAYER}:{i + 1}")
        with torch.no_grad():
            enc[i].load_state_dict(stage_model.encoder[0].state_dict())
            dec[i].load_state_dict(stage_model.decoder[0].state_dict())
        codes = predict(stage_model.encode, codes)
    stacked_mse = mse(X, predict(full, X))
    track.fit(full, X, train_config(cfg, len(X)), stage=GREEDY_FINETUNE)
    return full, stacked_mse


def held_out(n: int) -> int:
    """Rows held out of n: HELDOUT of them, at least one and at most 2 000."""
    return max(1, min(round(HELDOUT * n), 2000))


def split(X: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, ...]:
    """A seeded split into training rows and held-out rows (HELDOUT of them, at most 2 000)."""
    order = np.random.default_rng(seed).permutation(len(X))
    n_out = held_out(len(X))
    train, held = order[n_out:], order[:n_out]
    return X[train], y[train], X[held], y[held]


def check_sizes(cfg: CapacityConfig, D: int) -> None:
    if cfg.under_latent >= D:
        raise ConfigError(
            f"under_latent={cfg.under_latent} must be smaller than the {D} inputs.",
            code="latent_not_smaller",
            params=dict(name="under_latent", value=cfg.under_latent, inputs=D),
        )
    if over_k(cfg, D) <= D:
        raise ConfigError(
            f"over_latent={cfg.over_latent} must be larger than the {D} inputs.",
            code="latent_not_larger",
            params=dict(name="over_latent", value=cfg.over_latent, inputs=D),
        )


def memorisation(cfg: CapacityConfig, X: np.ndarray, X_held: np.ndarray, track: Tracker) -> tuple[dict, Autoencoder]:
    """A deep, wide model with a FEW_CODE-number code, trained to convergence on a few
    rows, against PCA with FEW_CODE components fitted to the same rows."""
    few = X[: cfg.few_rows]
    spec = ModelConfig(
        input_dim=X.shape[1], hidden=(cfg.few_width,) * 2, latent_dim=FEW_CODE, activation=cfg.activation
    )
    model = build_model(spec, seed=cfg.seed)
    track.fit(model, few, TrainConfig(epochs=FEW_EPOCHS, lr=cfg.lr, seed=cfg.seed), stage=MEMORISE)
    pca = pca_fit(few)
    metrics = {
        "memorise_train_mse": mse(few, predict(model, few)),
        "memorise_heldout_mse": mse(X_held, predict(model, X_held)),
        "memorise_pca_train_mse": mse(few, pca.reconstruct(few, FEW_CODE)),
        "memorise_pca_heldout_mse": mse(X_held, pca.reconstruct(X_held, FEW_CODE)),
        "memorise_rows": len(few),  # few_rows, or all training rows when there are fewer
    }
    return metrics, model


def code_sweep(cfg, X, noise, track, done: dict[int, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    """(training MSE, noise MSE) against the code size k: the two main models plus SWEEP_KS."""
    sweep = dict(done)
    for k in (k for k in SWEEP_KS if cfg.sweep and k not in sweep and k != X.shape[1]):
        m = end_to_end(cfg, X, k, track, f"{SWEEP}:k={k}")
        sweep[k] = (mse(X, predict(m, X)), mse(noise, predict(m, noise)))
    return dict(sorted(sweep.items()))


def run(cfg: CapacityConfig, on_progress=None) -> Result:
    ds = load_dataset(cfg.dataset)
    D = ds.dim
    check_sizes(cfg, D)
    track = Tracker(on_progress)
    X, y, X_held, y_held = split(ds.X, ds.y, cfg.seed)
    noise = np.random.default_rng(cfg.seed).uniform(0, 1, (cfg.n_noise, D)).astype(np.float32)
    k_over = over_k(cfg, D)
    models = {
        "undercomplete": end_to_end(cfg, X, cfg.under_latent, track, f"{UNDERCOMPLETE}:k={cfg.under_latent}"),
        "overcomplete": end_to_end(cfg, X, k_over, track, f"{OVERCOMPLETE}:k={k_over}"),
    }
    metrics, recon = probes.error_metrics(models, {"data": X, "heldout": X_held, "noise": noise}, X.mean(0))
    metrics["noise_ratio"] = metrics["overcomplete_noise_mse"] / metrics["undercomplete_noise_mse"]
    metrics |= probes.copy_metrics(models, X, X_held, cfg.seed)
    metrics |= {
        "input_dim": D,
        "over_latent_used": k_over,
        "epochs_used": epochs_for(cfg, "epochs", len(X)),
        "train_rows": len(X),
        "heldout_rows": len(X_held),
        "depth_used": cfg.depth,
        "sigmoid_units": float(cfg.activation == "sigmoid"),
    }
    done = {
        k: (metrics[f"{n}_data_mse"], metrics[f"{n}_noise_mse"])
        for n, k in (("undercomplete", cfg.under_latent), ("overcomplete", k_over))
    }
    sweep = code_sweep(cfg, X, noise, track, done)
    mem, models["memorise"] = memorisation(cfg, X, X_held, track)
    metrics |= mem
    features = []
    if cfg.depth >= 1:
        hier, features = probes.hierarchy(models["undercomplete"].encoder, X, y)
        start = build_model(model_config(cfg, D, cfg.under_latent), seed=cfg.seed)  # its random start
        metrics |= hier | {
            k.replace("purity_", "purity_untrained_"): v for k, v in probes.hierarchy(start.encoder, X, y)[0].items()
        }
    if cfg.pretrain and cfg.depth >= 1:
        models["greedy"], metrics["greedy_stacked_data_mse"] = greedy(cfg, X, cfg.under_latent, track)
        for part, A in (("data", X), ("heldout", X_held), ("noise", noise)):
            metrics[f"greedy_{part}_mse"] = mse(A, predict(models["greedy"], A))
    arrays = {
        "X": X[:10],
        "X_held": X_held[:10],
        "labels_held": y_held[:10],
        "noise": noise[:10],
        "recon": recon,
        "image_shape": ds.image_shape,
        "sweep": sweep,
        "features": features,
    }
    return track.result(metrics, arrays=arrays, models=models)


def cost_of(cfg: CapacityConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): the under- and overcomplete models, the code
    sweep's, the greedy stages and fine-tuning, the memorising model's full-batch epochs and
    the scores (PCA of the training rows, every model on every set)."""
    n, d = data_size(cfg.dataset)
    hidden, k, rows = (cfg.width,) * cfg.depth, over_k(cfg, d), 2 * n + cfg.n_noise + 1000

    def one(kk: int) -> float:
        net = ct.autoencoder(d, hidden, kk)
        return ct.stage(cfg, "epochs", n, net) + ct.predict(rows, net)

    sweep = sum(one(kk) for kk in SWEEP_KS if cfg.sweep and kk not in (d, cfg.under_latent, k))
    widths = [d, *hidden, cfg.under_latent]
    layers = sum(ct.stage(cfg, "epochs", n, ct.mlp([a, b, a])) for a, b in zip(widths[:-1], widths[1:]))
    greedy = layers + one(cfg.under_latent) if cfg.pretrain and cfg.depth >= 1 else 0.0
    few_net = ct.autoencoder(d, (cfg.few_width,) * 2, FEW_CODE)
    few = ct.train(FEW_EPOCHS, FEW_EPOCHS * min(cfg.few_rows, n), few_net)
    pca = 2 * n * d * d * ct.FLOP_S + 2 * d**3 * ct.T_EIGH
    return {"epochs": one(cfg.under_latent) + one(k) + pca + greedy + sweep, "few_rows": few}


EXPERIMENTS = [
    Experiment(
        "capacity",
        CapacityConfig,
        run,
        "Architecture: depth, width, under- and overcomplete",
        budget_s=30,
        views=({}, GREEDY_VIEW),  # DEEP_VIEW (ELU) is one click away and trains live
        cost=cost_of,
        stages=(UNDERCOMPLETE, OVERCOMPLETE, SWEEP, GREEDY_LAYER, GREEDY_FINETUNE, MEMORISE),
        claims=CLAIMS,
    )
]
