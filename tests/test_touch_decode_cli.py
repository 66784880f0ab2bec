"""``python -m aecore decode NAME --code z1,z2,... --json [--png OUT.png]``: its contract on the
shipped presets (the image is the model's decode of the code, the label and confidence are the
classifier's), a negative first coordinate, the PNG read back by ``encode``, training a ``--set``
view, and one line with exit status 2 for a code of the wrong length, a lesson without images
or a bad value."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch
from PIL import Image

from aecore import presets
from aecore.cli import main
from aecore.experiments import get
from aecore.maths import holes


@pytest.fixture(autouse=True)
def presets_on(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")


def _run(capsys, *args) -> tuple[int, dict | str, str]:
    code = main(["decode", *map(str, args)])
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        return code, out, err


def _decode(model, z) -> np.ndarray:
    with torch.no_grad():
        return model.decode(torch.tensor(np.asarray(z, np.float32))[None]).numpy()[0]


@pytest.mark.parametrize(
    "name, sets, models",
    [
        ("latent", [], {"image": "autoencoder"}),
        ("vae", ["--set", "latent_dim=2"], {"image": "vae", "plain_ae": "ae"}),
        ("elbo_gap", [], {"image": "vae"}),
    ],
)
def test_decode_prints_the_models_image_and_the_classifiers_verdict(capsys, name, sets, models):
    code, out, err = _run(capsys, name, "--code", "-0.7,1.25", *sets, "--json")
    assert code == 0, err
    assert out["model"] == "preset" and out["code"] == [-0.7, 1.25] and out["image_shape"] == [8, 8]
    cfg = dataclasses.replace(get(name).config_cls(), **({"latent_dim": 2} if sets else {}))
    res = presets.lookup(name, cfg)
    for where, key in models.items():
        shown = out if where == "image" else out[where]
        image = _decode(res.models[key], [-0.7, 1.25])
        assert np.allclose(np.asarray(shown["image"]).reshape(-1), image, atol=1e-6)
        assert len(shown["image"]) == 8 and all(len(row) == 8 for row in shown["image"])
        p = holes.probabilities(image[None], res.arrays["classifier"])[0]
        assert shown["label"] == int(np.argmax(p)) and shown["confidence"] == pytest.approx(p.max())


def test_the_png_is_the_decoded_image_and_encode_reads_it_back(capsys, tmp_path):
    png = tmp_path / "out.png"
    code, out, err = _run(capsys, "latent", "--code", "1.5,-0.5", "--png", png, "--json")
    assert code == 0, err and out["png"] == str(png)
    pixels = np.asarray(Image.open(png))
    assert pixels.shape == (8, 8) and pixels.dtype == np.uint8
    image = np.asarray(out["image"])
    assert np.abs(pixels / 255.0 - np.clip(image, 0, 1)).max() <= 0.5 / 255 + 1e-6
    back = main(["encode", "latent", "--image", str(png), "--json"])
    enc = json.loads(capsys.readouterr().out)
    assert back == 0 and np.allclose(enc["input"], np.round(np.clip(image, 0, 1).reshape(-1) * 255) / 255, atol=1e-6)


def test_text_output_names_the_class(capsys):
    code, out, _ = _run(capsys, "vae", "--code", "0,0,0,0,0,0,0,0")
    assert code == 0 and "decodes z = [0.0" in out and "classifier reads it as" in out


def test_a_set_view_without_a_preset_is_trained_first(capsys):
    code, out, err = _run(capsys, "latent", "--code", "0,0", "--set", "epochs=2", "--set", "max_points=200", "--json")
    assert code == 0, err
    assert out["model"] == "trained" and out["config"]["epochs"] == 2 and out["label"] is not None


@pytest.mark.parametrize(
    "args, says",
    [
        (["latent", "--code", "1,2,3"], "the code has 3 number(s); this latent model's code has 2"),
        (["vae", "--code", "1,2"], "this vae model's code has 8"),
        (["vae", "--code", "1,2", "--set", "latent_dim=3"], "this vae model's code has 3"),
        (["latent", "--code", "1,x"], "numbers separated by commas"),
        (["latent", "--code", "1,inf"], "finite numbers"),
        (["latent", "--code", ""], "numbers separated by commas"),
        (["intro", "--code", "0.5"], "intro has no decoder of images"),
        (["pca", "--code", "0.5,1"], "pca has no decoder of images"),
        (["latent", "--code", "0,0", "--set", "dataset=moons"], "has no images"),
        (["latent", "--code", "0,0", "--set", "epochs=-1"], "epochs"),
        (["nope", "--code", "0,0"], "unknown experiment"),
        (["latent", "--code", "0,0", "--png", "/no/such/folder/out.png"], "folder does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, args, says):
    code, out, err = _run(capsys, *args)
    assert code == 2 and out == "" and says in err and err.count("\n") == 1, err


def test_a_missing_code_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["decode", "latent"])
    assert exc.value.code == 2 and "--code" in capsys.readouterr().err
