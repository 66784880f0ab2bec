"""``python -m aecore encode NAME --image FILE.png --json``: its contract on the shipped presets
(the numbers are the backend's for the resampled image), training a ``--set`` view under the
cost cap, and one line with exit status 2 for a bad image, a lesson without images or a bad
setting."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from aecore import cost, presets
from aecore.cli import main
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.touch import encode
from aecore.touch.images import MAX_SIDE, png_row, spec_of, upsample


@pytest.fixture
def drawing(tmp_path):
    """A digit of the data set drawn in black on white paper, 8-bit, 30 × 30 screen pixels a pixel."""
    x = load_dataset("digits").X[21]
    paper = 255 - np.round(upsample(x.reshape(8, 8), 30) * 255).astype(np.uint8)
    path = tmp_path / "drawing.png"
    Image.fromarray(paper).save(path)
    return path


@pytest.fixture
def presets_on(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")


def _run(capsys, *args) -> tuple[int, dict | str, str]:
    code = main(["encode", *map(str, args)])
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except json.JSONDecodeError:
        return code, out, err


KEYS = {
    "latent": {"code", "mse", "reconstruction"},
    "pca": {"models"},
    "denoising_images": {"code", "mse", "reconstruction", "denoised"},
    "vae": {"code", "mse", "reconstruction", "posterior", "elbo"},
    "anomaly": {"code", "mse", "reconstruction", "anomaly"},
    "sae_features": {"code", "mse", "reconstructs", "predicted_class_index", "probability", "features"},
}


@pytest.mark.parametrize("name", list(KEYS))
def test_encode_prints_the_backends_answer_for_the_resampled_image(capsys, presets_on, drawing, name):
    code, out, err = _run(capsys, name, "--image", drawing, "--json")
    assert code == 0, err
    assert out["experiment"] == name and out["model"] == "preset"
    assert KEYS[name] <= set(out) and out["image"]["inverted"] and out["image"]["resampled_to"] == [8, 8]
    spec = spec_of(load_dataset("digits"))
    x, _ = png_row(drawing.read_bytes(), spec)
    assert np.allclose(out["input"], x, atol=1e-6)
    res = presets.lookup(name, get(name).config_cls())
    ans = encode.answer(name, res, x)
    if name == "pca":
        assert out["models"]["linear_ae"]["mse"] == pytest.approx(ans["models"]["linear_ae"]["mse"])
        return
    if name == "denoising_images":
        assert out["denoised"]["gaussian"]["change_mse"] == pytest.approx(ans["models"]["gaussian"]["change_mse"])
        return
    if name == "sae_features":
        assert [f["id"] for f in out["features"]] == ans["features"].tolist()
        assert out["mse"] == pytest.approx(ans["act_mse"])
        return
    assert np.allclose(out["code"], ans["code"], atol=1e-5) and out["mse"] == pytest.approx(ans["mse"])
    if name == "vae":
        assert np.allclose(out["posterior"]["sigma"], ans["sigma"], atol=1e-5)
        assert out["elbo"]["elbo"] == pytest.approx(ans["elbo"])
    if name == "anomaly":
        a = out["anomaly"]
        assert a["flagged"] == (a["score"] >= a["threshold"]) and a["threshold_rule"] == "youden"


def test_encode_reads_a_preset_of_another_view(capsys, presets_on, drawing):
    code, out, _ = _run(capsys, "vae", "--image", drawing, "--set", "latent_dim=2", "--json")
    assert code == 0 and out["model"] == "preset" and len(out["posterior"]["mu"]) == 2


def test_encode_trains_a_view_without_preset_under_the_cap(capsys, presets_on, drawing, monkeypatch):
    code, out, err = _run(capsys, "anomaly", "--image", drawing, "--set", "steps=30", "--json")
    assert code == 0, err
    assert out["model"] == "trained" and out["config"]["steps"] == 30 and "flagged" in out["anomaly"]
    monkeypatch.setattr(cost, "SERVER_CAP_S", 1e-3)
    code, out, err = _run(capsys, "anomaly", "--image", drawing, "--set", "steps=31", "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "--no-cap" in err


def _png_bytes(array, mode=None) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array, mode).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not an image at all", "not a PNG"),
        (_png_bytes(np.zeros((2, MAX_SIDE + 1), np.uint8)), "at most"),
        (_png_bytes(np.random.default_rng(0).integers(0, 255, (30, 30), np.uint8))[:400], "could not be read"),
    ],
)
def test_a_bad_image_exits_2_with_one_line(capsys, presets_on, tmp_path, content, message):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    code, out, err = _run(capsys, "latent", "--image", path, "--json")
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["intro"], "takes no drawn input"),
        (["denoising_field"], "takes no drawn input"),
        (["latent", "--set", "dataset=circle"], "has no images"),
        (["latent", "--set", "nope=1"], "nope"),
        (["nothing"], "unknown experiment"),
    ],
)
def test_lessons_without_images_and_bad_settings_exit_2(capsys, presets_on, drawing, args, message):
    code, out, err = _run(capsys, args[0], "--image", drawing, *args[1:], "--json")
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_a_missing_file_exits_2(capsys, presets_on, tmp_path):
    code, _, err = _run(capsys, "latent", "--image", tmp_path / "none.png")
    assert code == 2 and "not a file" in err


def test_the_text_output_names_the_numbers(capsys, presets_on, drawing):
    code, out, _ = _run(capsys, "anomaly", "--image", drawing)
    assert code == 0 and "resampled to 8×8" in out and "anomaly" in out and "mse" in out
