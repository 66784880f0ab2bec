"""Exports: config JSON round trip and validation, CSV, HTML, PNG availability, and the
generated script reproducing the experiment's metrics in a separate process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aecore.config import Config, ConfigError
from aecore.experiments import get, registry
from aecore.models import ModelConfig
from aecore.store.export import (
    ExportError,
    codes_to_csv,
    config_from_dict,
    config_from_json,
    config_to_json,
    figure_to_html,
    figure_to_png,
    metrics_to_csv,
    png_available,
)
from aecore.store.script import script_for

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(registry()))
def test_config_json_round_trip_every_experiment(name):
    cls = get(name).config_cls
    cfg = cls()
    text = config_to_json(cfg, name)
    assert config_from_json(text) == cfg
    assert config_from_json(text, cls) == cfg
    assert config_from_json(json.dumps(cfg.to_dict()), cls) == cfg  # bare settings object


def test_tuple_fields_round_trip():
    cfg = ModelConfig(input_dim=5, hidden=(7, 3), latent_dim=2)
    assert config_from_json(config_to_json(cfg), ModelConfig) == cfg


@pytest.mark.parametrize(
    "settings, match",
    [
        ({"epochs": 10, "bogus": 1}, "unknown setting"),
        ({"epochs": 10**9}, "too large"),
        ({"epochs": "20"}, "wrong type"),
        ({"epochs": 2.5}, "wrong type"),
        ({"lr": float("nan")}, "finite"),
        ({"lr": True}, "wrong type"),
        ({"dataset": "mnist"}, "not allowed"),
        ({"noise": [1, 2]}, "wrong type"),
        ({"epochs": 10**400}, "wrong type"),
        ({"lr": 10**400}, "wrong type"),
    ],
)
def test_config_json_rejects_bad_values(settings, match):
    text = json.dumps({"experiment": "intro", "config": settings})
    with pytest.raises(ConfigError, match=match):
        config_from_json(text)


@pytest.mark.parametrize(
    "text, match",
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"experiment": "nope", "config": {}}', "no known experiment"),
        ('{"experiment": "intro", "config": {}, "extra": 1}', "unknown field"),
        ("[" * 100_000, "KB"),
        ('{"experiment": "pca", "config": {}}', "for the 'pca'"),
    ],
)
def test_config_json_rejects_bad_documents(text, match):
    cls = get("intro").config_cls if "pca" in text else None
    with pytest.raises(ConfigError, match=match):
        config_from_json(text, cls)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**400), 10**400) | st.floats() | st.text(max_size=12),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c, max_size=3),
    max_leaves=8,
)
_keys = st.sampled_from(sorted({k for e in registry().values() for k in e.config_cls.field_specs()} | {"zz", "hidden"}))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(exp=st.sampled_from(sorted(registry()) + ["nope"]), cfg=st.dictionaries(_keys, _json, max_size=4))
def test_crafted_config_json_gives_configerror_only(exp, cfg):
    try:
        text = json.dumps({"experiment": exp, "config": cfg})
    except (ValueError, OverflowError):
        return
    for cls in (None, ModelConfig):
        try:
            assert isinstance(config_from_json(text, cls), Config)
        except ConfigError:
            pass


def test_config_from_dict_rejects_non_dict():
    with pytest.raises(ConfigError):
        config_from_dict(get("intro").config_cls, [("epochs", 3)])


def test_metrics_and_codes_csv():
    rows = list(csv.reader(io.StringIO(metrics_to_csv({"ae_mse": 0.1234567891234, "n": 3}))))
    assert rows == [["metric", "value"], ["ae_mse", "0.1234567891234"], ["n", "3.0"]]
    Z = np.array([[0.5, -1.25], [2.0, 3.0], [1e-9, 4.0]], dtype=np.float32)
    rows = list(csv.reader(io.StringIO(codes_to_csv(Z, np.array([2, 0, 1])))))
    assert rows[0] == ["z1", "z2", "label"] and len(rows) == 4
    np.testing.assert_allclose(np.array(rows[1:], dtype=float)[:, :2], Z, rtol=1e-7)
    assert [r[2] for r in rows[1:]] == ["2", "0", "1"]
    named = codes_to_csv(Z, np.array([0, 1, 0]), classes=("=HYPERLINK(1)", "b"))
    assert "'=HYPERLINK(1)" in named  # no spreadsheet formula injection
    assert codes_to_csv(Z[:, 0]).splitlines()[0] == "z1"
    with pytest.raises(ValueError):
        codes_to_csv(Z, np.array([1]))


def test_figure_html_offline_and_cdn():
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], name="curve"))
    offline, cdn = figure_to_html(fig), figure_to_html(fig, offline=False)
    assert "<html>" in offline[:200] and "curve" in offline
    assert len(offline) > 1_000_000 > len(cdn)  # plotly.js embedded vs linked
    assert "cdn.plot.ly" in cdn


def test_png_needs_kaleido():
    fig = go.Figure()
    if png_available():
        assert figure_to_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        with pytest.raises(ExportError, match="kaleido"):
            figure_to_png(fig)


def test_script_is_a_literal_and_refuses_foreign_configs():
    cfg = get("intro").config_cls(epochs=3)
    src = script_for("intro", cfg, filename='x"\n"""; import os')
    compile(src, "reproduce.py", "exec")
    assert "import os" not in src
    with pytest.raises(ConfigError):
        script_for("pca", cfg)
    with pytest.raises(ConfigError):
        script_for("nope", cfg)
