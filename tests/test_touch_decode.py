"""Walking the latent space (aecore.touch.decode) on the shipped presets: a decoded point is the
model's own decode, the interpolation's ends are the two codes' decodes and its frames lie on
the straight line, an inactive dimension of the VAE changes the image by little and an active
one by much; nothing trains. Planted faults (a traversal that moves the wrong dimension, an
interpolation that is not straight) fail."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from aecore import presets
from aecore.experiments import get
from aecore.touch import decode

PAGES = {"latent": {}, "vae": {"latent_dim": 2}, "elbo_gap": {}}


@pytest.fixture
def preset(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")

    def load(name: str, **overrides):
        res = presets.lookup(name, dataclasses.replace(get(name).config_cls(), **overrides))
        assert res is not None, f"no preset for {name} {overrides}"
        return res

    return load


def _direct(model, z) -> np.ndarray:
    """g(z) by calling the torch module directly."""
    with torch.no_grad():
        return model.decode(torch.tensor(np.asarray(z, np.float32))[None]).numpy()[0]


@pytest.mark.parametrize("name", list(PAGES))
def test_a_decoded_point_is_the_models_decode_and_the_classifiers_verdict(preset, name):
    res = preset(name, **PAGES[name])
    clf = res.arrays["classifier"]
    for m, model in decode.models(name, res).items():
        codes = decode.training_codes(name, res)[m]
        for z in (codes[0], codes.mean(0), codes.max(0) + 0.5):
            found = decode.decode_point(name, res, m, z)
            assert np.allclose(found["image"], _direct(model, z), atol=1e-6)
            logits = clf["coef"] @ _direct(model, z).astype(np.float64) + clf["intercept"]
            p = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
            assert found["label"] == int(clf["classes"][np.argmax(p)]) and found["confidence"] == pytest.approx(p.max())


def test_the_map_codes_are_the_encoders_codes_of_the_images(preset):
    for name, over in PAGES.items():
        res = preset(name, **over)
        X, labels = decode.images(name, res, "digits")
        codes = decode.training_codes(name, res)
        fresh = decode.encode_images(name, res, X[:50])
        for m in codes:
            assert np.allclose(fresh[m], codes[m][:50], atol=1e-4), (name, m)
        assert len(labels) == len(next(iter(codes.values())))


def test_interpolation_ends_are_the_two_codes_decodes_and_frames_lie_on_the_line(preset):
    res = preset("vae", latent_dim=2)
    X = res.arrays["X"]
    codes = decode.encode_images("vae", res, X[[3, 40]])
    ends = {m: (c[0], c[1]) for m, c in codes.items()}
    ts = np.linspace(0, 1, 7)
    path = decode.interpolate("vae", res, ends, ts)
    assert set(path) == {"ae", "vae"}
    for m, model in decode.models("vae", res).items():
        za, zb = ends[m]
        assert np.allclose(path[m]["frames"][0], _direct(model, za), atol=1e-6)
        assert np.allclose(path[m]["frames"][-1], _direct(model, zb), atol=1e-6)
        mid = path[m]["codes"][3]
        assert np.allclose(mid, (za + zb) / 2) and np.allclose(path[m]["frames"][3], _direct(model, mid), atol=1e-6)
        steps = np.diff(path[m]["codes"], axis=0)  # equal steps along one direction: a straight line
        assert np.allclose(steps, steps[0])
        bent = path[m]["codes"] + np.sin(np.pi * ts)[:, None] * 0.3  # planted fault: a curved path
        assert not np.allclose(np.diff(bent, axis=0), np.diff(bent, axis=0)[0])
    with pytest.raises(ValueError, match="2 finite numbers"):
        decode.decode_point("vae", res, "vae", [0.0, 1.0, 2.0])


def test_an_inactive_dimension_changes_the_image_little_and_an_active_one_much(preset, monkeypatch):
    res = preset("vae")  # k = 8: several dimensions collapse
    vae, a = res.models["vae"], res.arrays
    active = decode.active_dims(res)
    inactive = np.setdiff1d(np.arange(a["mu"].shape[1]), active)
    assert len(active) and len(inactive)
    assert np.all(a["kl_per_dim"][active] > 0.01) and np.all(a["kl_per_dim"][inactive] <= 0.01)
    for base in (np.zeros(len(a["kl_per_dim"])), a["mu"][0], a["mu"][7]):
        frames = decode.traverse(vae, base, int(active[0]), [-2.0, 2.0])
        assert np.allclose(frames[0], _direct(vae, np.where(np.arange(len(base)) == active[0], -2.0, base)), atol=1e-6)
        effect_on = decode.dimension_effect(vae, base, active)
        effect_off = decode.dimension_effect(vae, base, inactive)
        assert effect_off.max() < 0.1 < 0.3 < effect_on.min(), (effect_on, effect_off)
    original = decode.traverse  # planted fault: the sweep always moves the first active dimension

    def wrong_dim(model, b, dim, values):
        return original(model, b, int(active[0]), values)

    monkeypatch.setattr(decode, "traverse", wrong_dim)
    assert decode.dimension_effect(vae, a["mu"][0], inactive).max() >= 0.1  # the check above fails


def test_decoding_never_trains_or_draws_from_a_models_generator(preset):
    res = preset("vae", latent_dim=2)
    before = {k: {p: v.clone() for p, v in m.state_dict().items()} for k, m in res.models.items()}
    gens = {k: m.gen.get_state().clone() for k, m in res.models.items() if hasattr(m, "gen")}
    decode.decode_point("vae", res, "vae", [0.3, -0.2])
    decode.interpolate("vae", res, {"ae": (np.zeros(2), np.ones(2)), "vae": (np.zeros(2), np.ones(2))}, [0, 0.5, 1])
    decode.dimension_effect(res.models["vae"], np.zeros(2), [0, 1])
    for k, m in res.models.items():
        assert all(torch.equal(v, before[k][p]) for p, v in m.state_dict().items())
    for k, g in gens.items():
        assert torch.equal(res.models[k].gen.get_state(), g)


def test_lessons_without_a_decoder_of_images_refuse(preset):
    with pytest.raises(decode.NoDecoder):
        decode.check("intro")
    res = preset("latent")
    with pytest.raises(decode.NoDecoder):
        decode.models("latent", dataclasses.replace(res, arrays={**res.arrays, "image_shape": None}))
    assert decode.code_size("vae", get("vae").config_cls()) == 8 and decode.code_size("latent", None) == 2
