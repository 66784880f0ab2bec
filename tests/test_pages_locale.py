"""A page in Portuguese writes its numbers with a decimal comma (metrics, claims, the charts'
axes), while what a machine reads (the JSON and CSV downloads) keeps the point. The lecture
preset answers (AE_PRESETS=1), so nothing trains."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.apptest_utils import is_training, no_errors, open_page

pytestmark = pytest.mark.usefixtures("clean_app_state")


def test_pca_in_portuguese_writes_decimal_commas_and_exports_points(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")
    files: dict[str, bytes] = {}
    store = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, (bytes, str)) and filename:
            files[filename] = path_or_data.encode() if isinstance(path_or_data, str) else path_or_data
        return store(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at = open_page("lessons/02_pca.py", timeout=300, params={"lang": "pt"})
    assert not is_training(at)
    no_errors(at)
    values = [str(m.value) for m in at.metric]
    assert values and all("," in v and "." not in v for v in values if not v.isdigit()), values
    claims = [md.value for md in at.markdown if "check_circle" in md.value or "material/cancel" in md.value]
    assert claims and any("0,0" in c for c in claims), claims
    assert not any(re.search(r"\d\.\d", c) for c in claims), claims
    for el in at.get("plotly_chart"):
        assert json.loads(el.proto.spec)["layout"]["separators"][0] == ","
    assert b'"linear_lr": 0.05' in files["pca-config.json"]  # JSON numbers keep the point
    csv = files["pca-metrics.csv"].decode()
    assert "0.0239" in csv and "0,0239" not in csv


def test_latent_table_in_spanish_writes_decimal_commas(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")
    at = open_page("lessons/03_latent.py", timeout=300, params={"lang": "es"})
    assert not is_training(at)
    no_errors(at)
    (table,) = at.table
    shown = table.value.astype(str).to_numpy().ravel()
    assert any(re.fullmatch(r"0,\d{3}", v) for v in shown), shown  # trustworthiness 0,9xx
    assert not any(re.search(r"\d\.\d", v) for v in shown), shown
