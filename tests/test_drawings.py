"""The seed figures: the U-Net's U drawn from the page's real network, the active paths of one
input, and a surface data set beside its coordinates on the sheet."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aecore.figures.drawings import active_paths, unet_diagram, unet_levels

U_NAMES = dict(title="U", down="d", up="u", bottom="b", skip="s", pool="p", up_conv="uc", box="{c} ch {n}")


@pytest.mark.parametrize("width, size", [(8, 32), (4, 16)])
def test_the_u_has_the_real_network_s_channels_and_sizes(width, size):
    """Each box of the drawing matches the map the U-Net computes at that level."""
    from aecore.experiments.unet import DEPTH
    from aecore.models.unet import UNet

    net = UNet(width, depth=DEPTH, skips=True)
    maps = net.feature_maps(torch.zeros(1, 1, size, size))
    drawn = {m["key"]: (m["c"], m["n"]) for m in unet_levels(width, DEPTH, size)}
    for key, fmap in maps.items():
        if key in drawn:
            assert drawn[key] == (fmap.shape[1], fmap.shape[2]), key
    assert {"enc1", "enc2", "bottleneck", "dec2", "dec1"} <= set(drawn) & set(maps)
    fig = unet_diagram(width, DEPTH, size, True, U_NAMES)
    texts = {a.text for a in fig.layout.annotations}
    assert f"{width} ch {size}" in texts and f"{width * 4} ch {size // 4}" in texts
    dashed = [s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dash"]
    assert len(dashed) == DEPTH  # one skip per encoder level
    assert not [s for s in unet_diagram(width, DEPTH, size, False, U_NAMES).layout.shapes if s.type == "line"]


def test_only_firing_units_get_connections():
    names = {"a": "plain", "b": "sparse", "title": "t", "x": "x", "h": "h", "xhat": "x̂"}
    codes = {"a": np.array([0.9, 0.5, 0.2, 0.95]), "b": np.array([0.01, 0.5, 0.02, 0.03])}
    fig = active_paths(codes, 0.1, names, ends=3)
    lines = [tr for tr in fig.data if tr.mode == "lines"]
    segments = [sum(v is None for v in tr.x) for tr in lines]
    assert segments == [4 * 3 * 2, 1 * 3 * 2]  # firing units × end nodes × (in, out)
    units = [tr for tr in fig.data if tr.mode == "markers" and len(tr.x) == 4]
    assert [list(tr.marker.color).count("#dddddd") for tr in units] == [0, 3]


def test_the_sheet_coordinates_are_the_generator_s():
    """The swiss roll's two sheet coordinates are the roll parameter t and the height (its
    second column): the right panel shows exactly them."""
    from aecore.data.registry import load_dataset
    from aecore.figures.embedding import manifold_figure

    ds = load_dataset("swiss_roll")
    names = dict(title="t", rolled="r", unrolled="u", t="t", height="h")
    fig = manifold_figure(ds.X, ds.t, ds.X[:, 1], names)
    flat = fig.data[1]
    np.testing.assert_array_equal(flat.x, ds.t)
    np.testing.assert_array_equal(flat.y, ds.X[:, 1])
    assert fig.data[0].type == "scatter3d" and len(fig.data[0].x) == ds.n
