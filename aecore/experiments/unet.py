"""Lesson 9a, ``unet``: segmentation with a U-Net, with and without its skip connections.

Ronneberger et al. (2015): an encoder–decoder whose decoder also receives the encoder's
full-resolution features. Both networks below have the same encoder, decoder and seed
and train on the same synthetic images (shapes in clutter and noise, ``aecore.data.shapes``)
with BCE + Dice (Dice after Milletari et al. 2016); the only difference is the skip switch.
The metric is the IoU pooled over every pixel of the held-out images: |P ∩ Y| / |P ∪ Y| with
P = {logit > 0}.

Why does the U-Net not simply copy its input through the skips? Because its target is a mask,
not the input. The copy check trains the same two networks with the input itself as the
target (an autoencoder with skips): the held-out MSE with skips against without them shows
that a skip is a shortcut for copying, which a mask target makes useless.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore.config import Config, param
from aecore.data.shapes import make_segmentation
from aecore.data.steps import work
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models.unet import UNet, bce_dice_loss, copy_loss, init_unet, pooled_iou
from aecore.train import ProgressFn, TrainConfig, as_tensor, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml).
SYNTHETIC, UNET, UNET_NO_SKIPS = "synthetic_images", "unet", "unet_no_skips"
COPY_SKIPS, COPY_NO_SKIPS = "copy_skips", "copy_no_skips"

N_SHOW = 6  # test images shown with their predictions
BATCH = 32  # images per step
T_CONV_STEP, T_CONV_VALUE = 0.019, 3.2e-8  # s per training step; per feature-map value and image (measured)
T_IMAGE, T_CLUTTER = 2e-3, 2e-4  # s to draw a 32 × 32 scene, and each distracting line or speck
DEPTH = 2  # poolings of every network (the U's levels below full resolution)


@dataclass(frozen=True)
class UNetConfig(Config):
    image_size: int = param(32, "image side in pixels (a multiple of 4)", choices=(16, 24, 32, 40, 48))
    n_train: int = param(500, "training images", lo=16, hi=2000)
    n_test: int = param(200, "held-out test images", lo=8, hi=1000)
    clutter: int = param(6, "distracting lines and specks per image", lo=0, hi=20)
    noise: float = param(0.15, "standard deviation of the pixel noise", lo=0.0, hi=1.0)
    width: int = param(8, "channels at the first level (doubling per level)", lo=2, hi=32)
    epochs: int = param(30, "epochs per network (batches of {batch})", lo=1, hi=300, batch=BATCH)
    lr: float = param(3e-3, "learning rate (Adam, cosine decay)", lo=0.0, hi=1.0, lo_open=True)
    copy_epochs: int = param(
        10,
        "epochs of the copy check (two more networks, target = input; batches of {batch})",
        lo=1,
        hi=100,
        batch=BATCH,
    )
    seed: int = param(0, "seed of the images, weights and batch order", lo=0, hi=2**31 - 1)


def _train(cfg: UNetConfig, skips: bool, X, Y, track: Tracker, stage: str, copy: bool = False) -> UNet:
    model = init_unet(UNet(cfg.width, depth=DEPTH, skips=skips), torch.Generator().manual_seed(cfg.seed))
    track.fit(
        model,
        X,
        TrainConfig(epochs=cfg.copy_epochs if copy else cfg.epochs, batch_size=BATCH, lr=cfg.lr, seed=cfg.seed),
        target=X if copy else Y,
        loss_fn=copy_loss if copy else bce_dice_loss,
        stage=stage,
    )
    return model


def copy_check(cfg: UNetConfig, Xtr, Xte, track: Tracker) -> dict[str, float]:
    """Held-out MSE of the two networks trained to output their input, and of the best
    constant image (the per-pixel training mean) as the scale."""
    out = {"copy_mse_mean": float(((Xte - Xtr.mean(0)) ** 2).mean())}
    for skips, key in ((True, "copy_mse_skip"), (False, "copy_mse_noskip")):
        model = _train(cfg, skips, Xtr, None, track, COPY_SKIPS if skips else COPY_NO_SKIPS, copy=True)
        out[key] = float(((predict(model, Xte) - Xte) ** 2).mean())
    return out


@torch.no_grad()
def _maps(model: UNet, x: np.ndarray) -> dict[str, np.ndarray]:
    """Intermediate feature maps of one image: {name: (channels, h, w)}."""
    maps = model.feature_maps(as_tensor(x[None]))
    return {k: v[0].float().cpu().numpy() for k, v in maps.items()}


def run(cfg: UNetConfig, on_progress: ProgressFn | None = None) -> Result:
    track = Tracker(on_progress)
    track.step(SYNTHETIC)
    X, Y, _ = make_segmentation(
        cfg.n_train + cfg.n_test, cfg.image_size, cfg.seed, clutter=cfg.clutter, noise=cfg.noise
    )
    Xtr, Ytr, Xte, Yte = X[: cfg.n_train], Y[: cfg.n_train], X[cfg.n_train :], Y[cfg.n_train :]
    models = {
        UNET: _train(cfg, True, Xtr, Ytr, track, UNET),
        UNET_NO_SKIPS: _train(cfg, False, Xtr, Ytr, track, UNET_NO_SKIPS),
    }
    logits = {k: predict(m, Xte) for k, m in models.items()}
    truth = Yte > 0.5
    metrics = {
        "iou_skip": pooled_iou(logits[UNET] > 0, truth),
        "iou_noskip": pooled_iou(logits[UNET_NO_SKIPS] > 0, truth),
        "foreground_fraction": float(truth.mean()),
        "params_skip": sum(p.numel() for p in models[UNET].parameters()),
        "params_noskip": sum(p.numel() for p in models[UNET_NO_SKIPS].parameters()),
        **copy_check(cfg, Xtr, Xte, track),
    }
    per_image = {k: [pooled_iou(v[i] > 0, truth[i]) for i in range(N_SHOW)] for k, v in logits.items()}
    arrays = {
        "inputs": Xte[:N_SHOW, 0],
        "truth": Yte[:N_SHOW, 0],
        "pred": {k: (v[:N_SHOW, 0] > 0).astype(np.float32) for k, v in logits.items()},
        "per_image_iou": per_image,
        "maps": {k: _maps(m, Xte[0]) for k, m in models.items()},
    }
    return track.result(metrics, arrays=arrays, models=models)


def activations(width: int, size: int, depth: int = 2) -> int:
    """Feature-map values of one image through the U-Net (both convolutions of each level,
    encoder and decoder): what its convolutions' time follows on one core (measured: it grows
    with the channels, not with their square, at these sizes)."""
    return 4 * sum(width * 2**i * (size // 2**i) ** 2 for i in range(depth + 1))


def cost(cfg: UNetConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): the synthetic images, the two networks' epochs
    and the copy check's (``T_CONV_STEP`` a step, ``T_CONV_VALUE`` per feature-map value of
    every image seen; the network without skips counted as the one with), and the test images."""
    images = (cfg.n_train + cfg.n_test) * (T_IMAGE + T_CLUTTER * cfg.clutter) * (cfg.image_size / 32) ** 2
    per_image = activations(cfg.width, cfg.image_size) * T_CONV_VALUE
    parts = {}
    for field in ("epochs", "copy_epochs"):
        count, seen = work(cfg, field, cfg.n_train)
        parts[field] = 2 * (count * T_CONV_STEP + (seen + cfg.n_test / 3) * per_image)  # testing: forward only
    parts["epochs"] += images
    return parts


def _numbers(m) -> dict[str, float]:
    """What a failed claim's explanation shows: the two networks' scores, the shapes' share of
    the pixels, and how many settings differ from the defaults the thresholds were set on."""
    default = UNetConfig().to_dict()
    changed = sum(m[k] != v for k, v in default.items() if k != "seed")
    numbers = {"skip": m["iou_skip"], "noskip": m["iou_noskip"], "fg": 100 * m["foreground_fraction"]}
    numbers |= {"copy_skip": m["copy_mse_skip"], "copy_noskip": m["copy_mse_noskip"], "copy_mean": m["copy_mse_mean"]}
    return numbers | {"changed": changed, "epochs": m["epochs"], "copy_epochs": m["copy_epochs"]}


EXPERIMENTS = [
    Experiment(
        "unet",
        UNetConfig,
        run,
        "U-Net segmentation, with and without skips",
        budget_s=90,
        cost=cost,
        stages=(SYNTHETIC, UNET, UNET_NO_SKIPS, COPY_SKIPS, COPY_NO_SKIPS),
        claims=(
            Claim.at_least("segments_well", "iou_skip", 0.85, why=lambda m: ("why.segments", _numbers(m))),
            Claim.greater("skips_help", "iou_skip", "iou_noskip", why=lambda m: ("why.skips_help", _numbers(m))),
            Claim.ratio_at_most(
                "skips_copy", "copy_mse_skip", "copy_mse_noskip", 0.5, why=lambda m: ("why.skips_copy", _numbers(m))
            ),
        ),
    )
]
