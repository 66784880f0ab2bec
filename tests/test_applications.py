"""Lesson 9: U-Net shapes and skip switch, synthetic masks, ROC AUC, SAE metrics, claims."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score, roc_curve

from aecore.config import ConfigError
from aecore.data.shapes import SHAPES, Shape, make_segmentation, shape_mask
from aecore.experiments import get
from aecore.experiments.anomaly import AnomalyConfig
from aecore.experiments.sae_features import SAEConfig
from aecore.experiments.unet import UNetConfig
from aecore.models.sae import (
    SparseAutoencoder,
    dead_fraction,
    explained_variance,
    feature_stats,
    l0,
)
from aecore.models.unet import UNet, init_unet, pooled_iou


def _unet(skips: bool, width: int = 4, seed: int = 0) -> UNet:
    return init_unet(UNet(width, depth=2, skips=skips), torch.Generator().manual_seed(seed)).eval()


@pytest.mark.parametrize("size", [8, 16, 24, 32, 48])
@pytest.mark.parametrize("skips", [True, False])
def test_unet_output_shape(size, skips):
    x = torch.rand(3, 1, size, size, generator=torch.Generator().manual_seed(1))
    model = _unet(skips)
    assert model(x).shape == (3, 1, size, size)
    maps = model.feature_maps(x)
    assert maps["bottleneck"].shape[-2:] == (size // 4, size // 4)
    assert maps["dec1"].shape[-2:] == (size, size)


def test_unet_refuses_sizes_it_cannot_pool():
    with pytest.raises(ValueError, match="multiple of 4"):
        _unet(True)(torch.zeros(1, 1, 30, 30))


@torch.no_grad()
def test_skip_switch_removes_the_skips():
    x = torch.rand(2, 1, 16, 16, generator=torch.Generator().manual_seed(2))
    fake = [torch.randn(2, 4, 16, 16), torch.randn(2, 8, 8, 8)]
    plain = _unet(False)
    feats = plain.encode(x)
    # without skips the output is a function of the bottleneck alone: other features are ignored
    assert torch.equal(plain(x), plain.decode(feats[-1], None))
    assert torch.equal(plain(x), plain.decode(feats[-1], fake))
    # with skips, replacing the encoder features changes the output
    unet = _unet(True)
    feats = unet.encode(x)
    assert torch.equal(unet(x), unet.decode(feats[-1], feats[:-1]))
    assert not torch.allclose(unet(x), unet.decode(feats[-1], fake))
    # and the decoder blocks read twice the channels (the concatenated skip)
    first_convs = (
        [blk[0].in_channels for blk in unet.dec],
        [blk[0].in_channels for blk in plain.dec],
    )
    assert first_convs == ([16, 8], [8, 4])
    n_params = [sum(p.numel() for p in m.parameters()) for m in (unet, plain)]
    assert n_params[0] > n_params[1]


def test_skip_gradient_reaches_full_resolution_features_only_with_skips():
    """Perturb the level-1 encoder features *after* pooling has read them: only the
    U-Net's output moves (a hook on the first encoder block changes its output)."""
    x = torch.rand(1, 1, 16, 16, generator=torch.Generator().manual_seed(3))
    for skips, moves in ((True, True), (False, False)):
        model = _unet(skips)
        feats = model.encode(x)
        bumped = [feats[0] + 1.0, feats[1]]
        with torch.no_grad():
            diff = (model.decode(feats[-1], feats[:-1]) - model.decode(feats[-1], bumped)).abs().max()
        assert (diff > 1e-6) == moves


@pytest.mark.parametrize("kind", SHAPES)
def test_shape_masks_have_the_drawn_area(kind):
    s = Shape(kind, cx=32.0, cy=32.0, r=12.0, angle=0.3, value=1.0)
    area = {"disc": np.pi * 12**2, "square": (2 * 12) ** 2, "triangle": 3 * np.sqrt(3) / 4 * 12**2}[kind]
    assert abs(shape_mask(s, 64).sum() - area) / area < 0.03


def test_synthetic_masks_match_the_drawn_shapes():
    X, Y, shapes = make_segmentation(20, size=32, seed=5, clutter=0, noise=0.0)
    for img, mask, drawn in zip(X[:, 0], Y[:, 0], shapes):
        union = np.zeros((32, 32), bool)
        for s in drawn:
            union |= shape_mask(s, 32)
        assert np.array_equal(mask.astype(bool), union)
        assert np.array_equal(img > 0, union)  # no clutter or noise: ink exactly on the mask
    # with clutter and noise the masks stay the same (seeded, clutter is never an object)
    _, Y2, shapes2 = make_segmentation(20, size=32, seed=5, clutter=0, noise=0.5)
    assert np.array_equal(Y, Y2) and shapes == shapes2


def test_clutter_is_outside_the_mask_and_data_is_seeded():
    X, Y, _ = make_segmentation(10, size=32, seed=1, clutter=8, noise=0.0)
    X2, Y2, _ = make_segmentation(10, size=32, seed=1, clutter=8, noise=0.0)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    assert not np.array_equal(X, make_segmentation(10, size=32, seed=2, clutter=8, noise=0.0)[0])


def test_pooled_iou_is_over_all_pixels():
    pred = np.array([[1, 1, 0, 0], [0, 0, 0, 0]], bool)
    true = np.array([[1, 0, 0, 0], [1, 0, 0, 0]], bool)
    assert pooled_iou(pred, true) == pytest.approx(1 / 3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_lesson_auc_is_the_share_of_correctly_ordered_pairs(seed):
    """The AUC the lesson reports (scikit-learn's) is P(anomaly scores above a normal input)
    + ½ P(tie), counted pair by pair, and its curve's area is the same number."""
    rng = np.random.default_rng(seed)
    y = rng.random(300) < 0.4
    scores = rng.normal(size=300) + y * 0.8
    scores[:50] = np.round(scores[:50], 1)  # ties
    diff = scores[y][:, None] - scores[~y][None, :]
    pairs = ((diff > 0) + 0.5 * (diff == 0)).mean()
    assert roc_auc_score(y, scores) == pytest.approx(pairs, abs=1e-12)
    fpr, tpr, _ = roc_curve(y, scores, drop_intermediate=False)
    assert np.trapezoid(tpr, fpr) == pytest.approx(pairs, abs=1e-12)


def test_sae_metrics_match_direct_formulas():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(50, 6))
    a_hat = a + 0.3 * rng.normal(size=a.shape)
    direct = 1 - np.sum((a - a_hat) ** 2) / np.sum((a - a.mean(0)) ** 2)
    assert explained_variance(a, a_hat) == pytest.approx(direct)
    z = np.maximum(rng.normal(size=(40, 10)), 0)
    z[:, 3] = 0.0
    assert l0(z) == pytest.approx(np.mean([np.count_nonzero(row) for row in z]))
    assert dead_fraction(z) == pytest.approx(0.1)


def test_topk_code_has_exactly_k_or_fewer_and_logit_effect_is_linear():
    g = torch.Generator().manual_seed(0)
    sae = SparseAutoencoder(8, 32, "topk", k=3, gen=g)
    a = torch.randn(20, 8, generator=g)
    z = sae.encode(a).detach().numpy()
    assert ((z > 0).sum(1) <= 3).all() and (z >= 0).all()
    head = np.random.default_rng(0).normal(size=(10, 8))
    dirs = sae.decoder_directions().detach().numpy()
    stats = feature_stats(z, dirs, head)
    j = 5  # the logits move along head @ d_j when feature j is turned up by one
    dz = np.zeros(32)
    dz[j] = 1.0
    assert np.allclose(head @ (dirs @ dz), stats["logit_effect"][j])
    assert np.allclose(np.linalg.norm(dirs, axis=0), 1.0, atol=1e-6)


def test_configs_refuse_bad_values():
    with pytest.raises(ConfigError):
        AnomalyConfig(normal_classes=())
    with pytest.raises(ConfigError):
        AnomalyConfig(normal_classes=tuple(range(10)))
    with pytest.raises(ConfigError):
        SAEConfig(expansion=1, hidden=8, k=9)
    with pytest.raises(ConfigError):
        UNetConfig(image_size=30)
    with pytest.raises(ConfigError, match="at most 4096"):
        SAEConfig(hidden=256, expansion=32)


def test_tiny_runs_give_every_metric():
    for name, cfg in (
        ("unet", UNetConfig(n_train=16, n_test=8, epochs=1, image_size=16)),
        ("anomaly", AnomalyConfig(steps=20)),
        ("sae_features", SAEConfig(clf_steps=20, sae_steps=20, sparsity="l1")),
    ):
        res = get(name).run(cfg, None)
        assert all(np.isfinite(v) for v in res.metrics.values())
    assert set(res.metrics) >= {"explained_variance", "l0", "dead_fraction", "dict_size"}


@pytest.mark.slow
def test_runs_are_reproducible():
    exp = get("sae_features")
    cfg = dataclasses.replace(SAEConfig(), clf_steps=50, sae_steps=50)
    assert exp.run(cfg, None).metrics == exp.run(cfg, None).metrics
