"""A small U-Net (Ronneberger, Fischer & Brox 2015) with a switch that removes its skips.

Encoder: at each level two 3×3 convolutions (+ ReLU) then 2×2 max-pooling, doubling the
channels; a bottleneck block; decoder: 2×2 transposed convolution up, concatenation with
the encoder features of the same resolution (the *skip connection*), two 3×3 convolutions.
With ``skips=False`` the decoder blocks take only the upsampled tensor: everything the
output knows must pass through the low-resolution bottleneck, as in a plain
convolutional autoencoder. The output is one logit per pixel (foreground vs background).
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F


def block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(c_out, c_out, 3, padding=1),
        nn.ReLU(),
    )


class UNet(nn.Module):
    """U-Net with ``depth`` poolings and ``width`` channels at the first level."""

    def __init__(self, width: int = 8, depth: int = 2, skips: bool = True, in_ch: int = 1):
        super().__init__()
        self.width, self.depth, self.skips, self.in_ch = width, depth, skips, in_ch
        chans = [width * 2**i for i in range(depth + 1)]  # e.g. 8, 16, 32
        self.down = nn.ModuleList(block(c_in, c) for c_in, c in zip([in_ch, *chans[:-2]], chans[:-1]))
        self.bottom = block(chans[-2], chans[-1])
        self.up = nn.ModuleList(nn.ConvTranspose2d(chans[i + 1], chans[i], 2, stride=2) for i in reversed(range(depth)))
        self.dec = nn.ModuleList(block(chans[i] * (2 if skips else 1), chans[i]) for i in reversed(range(depth)))
        self.head = nn.Conv2d(chans[0], 1, 1)

    def encode(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Encoder features [level 0 (H×W), level 1 (H/2), ..., bottleneck]."""
        feats = []
        for blk in self.down:
            x = blk(x)
            feats.append(x)
            x = F.max_pool2d(x, 2)
        feats.append(self.bottom(x))
        return feats

    def decode(
        self,
        bottleneck: torch.Tensor,
        skip_feats: list[torch.Tensor] | None = None,
        keep: list | None = None,
    ) -> torch.Tensor:
        """Logits (B, 1, H, W) from the bottleneck, merging ``skip_feats`` when skips are on."""
        x = bottleneck
        for i, (up, dec) in enumerate(zip(self.up, self.dec)):
            x = up(x)
            if self.skips:
                x = torch.cat([skip_feats[self.depth - 1 - i], x], dim=1)  # (B, 2c, h, w)
            x = dec(x)
            if keep is not None:
                keep.append(x)
        return self.head(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_size(x, self.depth)
        feats = self.encode(x)
        return self.decode(feats[-1], feats[:-1])

    def feature_maps(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Every intermediate map by name (encoder levels, bottleneck, decoder levels)."""
        feats = self.encode(x)
        dec: list[torch.Tensor] = []
        logits = self.decode(feats[-1], feats[:-1], keep=dec)
        out = {f"enc{i + 1}": f for i, f in enumerate(feats[:-1])}
        out["bottleneck"] = feats[-1]
        out.update({f"dec{self.depth - i}": d for i, d in enumerate(dec)})
        out["logits"] = logits
        return out


def map_shapes(model: UNet, size: int) -> dict[str, tuple[int, int]]:
    """Channels and side of every map ``model`` computes on one size × size image, read from a
    forward pass on zeros (not from the constructor's formula): {"enc1": (c, n), …, "logits": (1, n)}."""
    with torch.no_grad():
        maps = model.feature_maps(torch.zeros(1, model.in_ch, size, size))
    return {k: (int(v.shape[1]), int(v.shape[-1])) for k, v in maps.items()}


def _check_size(x: torch.Tensor, depth: int) -> None:
    h, w = x.shape[-2:]
    m = 2**depth
    if h % m or w % m:
        raise ValueError(f"image size {h}×{w} must be a multiple of {m} for depth {depth}.")


def init_unet(model: nn.Module, gen: torch.Generator) -> nn.Module:
    """He-uniform init of every conv, drawn from ``gen`` (never the global RNG)."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.kaiming_uniform_(m.weight, a=0.0, nonlinearity="relu", generator=gen)
            fan_in = m.weight[0].numel() if isinstance(m, nn.Conv2d) else m.weight[:, 0].numel()
            nn.init.uniform_(m.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in), generator=gen)
    return model


def bce_dice_loss(model: nn.Module, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy on the logits plus the soft Dice loss 1 − 2|P∩Y| / (|P|+|Y|)."""
    logits = model(x)
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    dice = 1 - (2 * (p * target).sum() + 1) / (p.sum() + target.sum() + 1)
    return bce + dice


def copy_loss(model: nn.Module, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error of the output against the target (the input itself for a copy)."""
    return F.mse_loss(model(x), target)


def pooled_iou(pred, target) -> float:
    """|pred ∧ target| / |pred ∨ target| over every pixel of every image."""
    pred, target = pred.astype(bool), target.astype(bool)
    union = (pred | target).sum()
    return float((pred & target).sum() / union) if union else 1.0
