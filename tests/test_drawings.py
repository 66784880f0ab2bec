"""The seed figures: the U-Net's U drawn from the page's real network, the active paths of one
input, and a surface data set beside its coordinates on the sheet."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aecore.figures.drawings import active_paths, unet_diagram, unet_levels

U_NAMES = dict(title="U", down="d", up="u", bottom="b", skip="s", pool="p", up_conv="uc", box="{c} ch {n}")


@pytest.mark.parametrize("width, depth, size", [(8, 2, 32), (4, 2, 16), (4, 3, 24)])
def test_the_u_has_the_real_network_s_channels_and_sizes(width, depth, size):
    """Each box of the drawing is a map the network computes, with its channels and side;
    a deeper network gets a deeper U (the drawing follows the model, not a fixed depth)."""
    from aecore.models.unet import UNet, map_shapes

    net = UNet(width, depth=depth, skips=True)
    maps = net.feature_maps(torch.zeros(1, 1, size, size))
    drawn = {m["key"]: (m["c"], m["n"]) for m in unet_levels(map_shapes(net, size))}
    for key, fmap in maps.items():
        if key in drawn:
            assert drawn[key] == (fmap.shape[1], fmap.shape[2]), key
    assert set(maps) - {"logits"} <= set(drawn) and len(drawn) == 2 * depth + 3  # + input, output
    fig = unet_diagram(map_shapes(net, size), True, U_NAMES)
    texts = {a.text for a in fig.layout.annotations}
    bottom = maps["bottleneck"].shape
    assert f"{width} ch {size}" in texts and f"{bottom[1]} ch {bottom[2]}" in texts
    dashed = [s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dash"]
    assert len(dashed) == depth  # one skip per encoder level
    assert not [s for s in unet_diagram(map_shapes(net, size), False, U_NAMES).layout.shapes if s.type == "line"]


def test_the_u_reads_the_maps_not_a_formula():
    """A planted network whose maps differ from the constructor's doubling rule: the drawing
    shows the planted channels."""
    shapes = {
        "enc1": (5, 16),
        "enc2": (7, 8),
        "bottleneck": (11, 4),
        "dec2": (7, 8),
        "dec1": (5, 16),
        "logits": (1, 16),
    }
    boxes = {m["key"]: (m["c"], m["n"], m["level"]) for m in unet_levels(shapes)}
    assert boxes["enc2"] == (7, 8, 1) and boxes["bottleneck"] == (11, 4, 2) and boxes["output"] == (1, 16, 0)
    texts = {a.text for a in unet_diagram(shapes, True, U_NAMES).layout.annotations}
    assert {"5 ch 16", "7 ch 8", "11 ch 4"} <= texts


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
