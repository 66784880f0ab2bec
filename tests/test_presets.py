"""Lecture presets: every page's default view is shipped, current, loads without
training, reproduces when rebuilt, and keeps the lesson's claims."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch

from aecore import presets
from aecore.experiments import Result, get
from aecore.models import ModelConfig, build_model
from aecore.models.sae import SparseAutoencoder
from aecore.models.unet import UNet
from aecore.store import export, resultfile
from tests.apptest_utils import is_training, no_errors, open_page
from ui.kit.i18n import translate
from ui.shell.nav import PAGES


@pytest.fixture
def presets_on(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")


def test_every_view_has_a_current_preset_and_none_is_stale():
    missing, stale = presets.check()
    assert missing == [], f"run: python -m aecore presets --only {' --only '.join(missing)}"
    assert stale == [], f"delete or rebuild: {[p.name for p in stale]}"


def test_presets_are_small():
    sizes = {p.name: p.stat().st_size for p in presets.DIR.glob("*.safetensors")}
    assert sizes and max(sizes.values()) <= presets.MAX_FILE_BYTES
    assert sum(sizes.values()) <= presets.MAX_TOTAL_BYTES


@pytest.mark.parametrize("name,cfg", presets.views(), ids=lambda v: getattr(v, "__name__", None))
def test_preset_loads_and_keeps_the_claims(presets_on, name, cfg):
    res = presets.lookup(name, cfg)
    assert res is not None and res.source == "preset" and not res.stopped
    claims = get(name).check_claims(res.metrics)
    if cfg == get(name).config_cls():  # the main view of a lesson proves every claim
        assert all(claims.values()), claims
    for model in res.models.values():
        assert not model.training
    for Z, labels in (get(name).codes(res.arrays) if get(name).codes else {}).values():
        lines = export.codes_to_csv(Z, labels).splitlines()  # the Export panel's latent codes CSV
        assert len(lines) == len(Z) + 1 and lines[0].endswith(",label")


def test_every_shipped_model_is_keyed_by_an_id():
    """Result.models keys are ids (snake_case, like stage ids); display words come from the
    catalogs (an export's button is labelled by the model's stage)."""
    keys = {
        p.name: list(resultfile.read_meta(p.read_bytes())["models"]) for p in sorted(presets.DIR.glob("*.safetensors"))
    }
    bad = {f: [k for k in ks if not re.fullmatch(r"[a-z][a-z0-9_]*", k)] for f, ks in keys.items()}
    assert keys and not any(bad.values()), {f: ks for f, ks in bad.items() if ks}


def test_presets_off_means_no_lookup(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "0")
    name, cfg = presets.views()[0]
    assert presets.lookup(name, cfg) is None


def test_rebuilding_a_preset_reproduces_it(tmp_path, monkeypatch):
    """`python -m aecore presets` is deterministic: the intro view, built twice here, is
    bit-identical; against the shipped file, built on another processor, the numbers agree
    to rounding (floating-point sums are added in an order the math libraries choose by
    processor and thread count, so the last digits may differ from machine to machine)."""
    name, cfg = next(v for v in presets.views() if v[0] == "intro")
    shipped, _ = resultfile.load(presets.path_for(name, cfg).read_bytes())
    builds = []
    for i in range(2):
        monkeypatch.setattr(presets, "DIR", tmp_path / str(i))
        (tmp_path / str(i)).mkdir()
        builds.append(resultfile.load(presets.build(name, cfg).read_bytes()))
    (first, header), (second, _) = builds
    assert header["config"] == cfg.to_dict()
    assert first.metrics == second.metrics
    for key, value in first.arrays.items():
        np.testing.assert_array_equal(second.arrays[key], value)
    for key, value in shipped.metrics.items():
        if "seconds" not in key:
            assert math.isclose(first.metrics[key], value, rel_tol=1e-4, abs_tol=1e-7), key


@pytest.mark.slow
@pytest.mark.parametrize("name,cfg", presets.views(), ids=lambda v: getattr(v, "__name__", None))
def test_every_preset_matches_a_fresh_run(name, cfg):
    """The shipped numbers are what the code computes now (fit times aside)."""
    shipped, _ = resultfile.load(presets.path_for(name, cfg).read_bytes())
    fresh = get(name).run(cfg, None)
    for key, value in shipped.metrics.items():
        if "seconds" in key:
            continue
        assert math.isclose(fresh.metrics[key], value, rel_tol=1e-3, abs_tol=1e-6), key


def test_result_file_round_trip_of_every_kind_of_content():
    mlp = build_model(ModelConfig(input_dim=6, hidden=(4,), latent_dim=2), seed=1)
    clf = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3))
    models = {"ae": mlp, "unet": UNet(width=4, depth=1), "sae": SparseAutoencoder(6, 12, k=3), "clf": clf}
    arrays = {
        "X": np.arange(12, dtype=np.float32).reshape(3, 4),
        "labels": np.arange(3),
        "mask": np.array([True, False]),
        "sweep": {2: 0.5, 4: 0.25},
        "shape": (8, 8),
        "none": None,
        "name": "digits",
        "nested": {"a": [np.ones(2), 3.5]},
        "n": np.int64(7),
    }
    metrics, histories = {"mse": 0.1, "nan": float("nan")}, {"autoencoder": [1.0, 0.5]}
    res = Result(metrics, arrays, models, histories, {"ae": "autoencoder"}, seconds=2.5)
    back, header = resultfile.load(resultfile.dump(res, {"experiment": "x"}))
    assert header == {"experiment": "x"} and back.source == "preset"
    assert back.metrics["mse"] == 0.1 and math.isnan(back.metrics["nan"])
    assert back.arrays["sweep"] == {2: 0.5, 4: 0.25} and back.arrays["shape"] == (8, 8)
    assert back.arrays["none"] is None and back.arrays["name"] == "digits" and back.arrays["n"] == 7
    np.testing.assert_array_equal(back.arrays["X"], arrays["X"])
    np.testing.assert_array_equal(back.arrays["mask"], arrays["mask"])
    np.testing.assert_array_equal(back.arrays["nested"]["a"][0], np.ones(2))
    assert back.histories == {"autoencoder": [1.0, 0.5]} and back.stages == {"ae": "autoencoder"}
    x = torch.rand(5, 6)
    for key in ("ae", "sae", "clf"):
        assert torch.equal(back.models[key](x), models[key].eval()(x)), key
    img = torch.rand(1, 1, 8, 8)
    assert torch.equal(back.models["unet"](img), models["unet"].eval()(img))


def test_result_file_refuses_what_it_cannot_store():
    with pytest.raises(TypeError, match="cannot store"):
        resultfile.dump(Result({}, {"f": lambda x: x}))
    with pytest.raises(TypeError, match="dtype"):
        resultfile.dump(Result({}, {"s": np.array(["a", "b"])}))


NOT_LESSONS = (
    "lessons/00_home.py",
    "lessons/10_annex.py",
    "lessons/11_references.py",
    "lessons/12_progress.py",
    "lessons/13_plan.py",
    "lessons/14_handout.py",
)
LESSON_PAGES = [p.path for p in PAGES if p.path not in NOT_LESSONS]


@pytest.mark.usefixtures("clean_app_state")
@pytest.mark.parametrize("path", LESSON_PAGES)
def test_default_view_opens_from_the_preset_without_training(presets_on, path):
    at = open_page(path)
    no_errors(at)
    assert not is_training(at)
    assert translate("panel.preset_note", "en") in [c.value for c in at.caption]
