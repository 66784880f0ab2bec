"""One home per number: a claim's threshold is written once, in the claim. Pages and ui/ read
the claim's verdict or ``claim.threshold`` (or a constant named beside the metric in aecore),
and the catalogs format ``{threshold}``; so no page, ui module or catalog compares with, or
states, a literal equal to a claim threshold."""

from __future__ import annotations

import math
from pathlib import Path

from aecore.experiments import registry
from tests.code_scan import ROOT, compared_numbers, py_files, rel, text_numbers
from tests.i18n_scan import LOCALES, load_raw, placeholders

# 0 and 1 are identities (no change, a ratio of one), not thresholds a page could copy.
TRIVIAL = (0.0, 1.0)


def thresholds() -> dict[float, list[str]]:
    """Every claim threshold -> the claims that use it."""
    out: dict[float, list[str]] = {}
    for name, exp in registry().items():
        for c in exp.claims:
            for t in c.thresholds:
                if float(t) not in TRIVIAL:
                    out.setdefault(float(t), []).append(f"{name}.{c.key}")
    return out


def _match(value: float, known: dict[float, list[str]]) -> list[str] | None:
    return next((who for t, who in known.items() if math.isclose(value, t, rel_tol=1e-9)), None)


def literal_thresholds(paths: list[Path]) -> list[str]:
    """'file:line: value (claims)' for each comparison with a literal equal to a threshold."""
    known = thresholds()
    return [
        f"{rel(p) if p.is_relative_to(ROOT) else p.name}:{line}: {value:g} (as in {', '.join(who)})"
        for p in paths
        for line, value in compared_numbers(p)
        if (who := _match(value, known))
    ]


def catalog_thresholds(texts: dict[str, object]) -> list[str]:
    """'key: value' for each catalog text that states a threshold: any number equal to its own
    claim's threshold in a ``.claims.`` text, or a number after ≤ ≥ < > = equal to any threshold."""
    known = thresholds()
    own = {f".claims.{c.key}": set(map(float, c.thresholds)) for e in registry().values() for c in e.claims}
    found = []
    for key, text in texts.items():
        if not isinstance(text, str):
            continue
        mine = next((ts for suffix, ts in own.items() if ".claims." in key and key.endswith(suffix)), set())
        for value, compared in text_numbers(text):
            if any(math.isclose(value, t) for t in mine) or (compared and _match(value, known)):
                found.append(f"{key}: {value:g}")
    return found


def test_there_are_thresholds_to_look_for():
    known = thresholds()
    assert {1.02, 3.0, 0.8, 0.5} <= set(known), known


def test_pages_and_ui_compare_with_no_literal_threshold():
    found = literal_thresholds(py_files("lessons", "ui"))
    assert not found, "read the claim's verdict or claim.threshold instead:\n  " + "\n  ".join(found)


def test_catalogs_state_no_literal_threshold():
    found = [f"{lang}: {hit}" for lang in ("en", "pt", "es") for hit in catalog_thresholds(load_raw(lang, LOCALES))]
    assert not found, "format {threshold} instead:\n  " + "\n  ".join(found)


def test_the_scans_find_planted_literals(tmp_path):
    page = tmp_path / "planted.py"
    page.write_text('ok = m["linear_ae_mse"] <= 1.02 * m["pca_mse"]\nsame = m["angle"] > 3.0\nfine = m[3] > x\n')
    found = literal_thresholds([page])
    assert [f.split(" (")[0] for f in found] == ["planted.py:1: 1.02", "planted.py:2: 3"], found
    texts = {
        "pca.claims.linear_matches_pca": "Linear AE reaches PCA: {linear_ae_mse} ≤ 1.02 × {pca_mse}",
        "pca.note": "the angle stays ≤ 3° here",
        "anomaly.claims.detects": "better than chance (0.5): AUC {roc_auc} ≥ {threshold}",
    }
    assert catalog_thresholds(texts) == ["pca.claims.linear_matches_pca: 1.02", "pca.note: 3"]


# ---------------------------------------------------------------- caps and minimums


def test_the_upload_tooltip_states_the_caps_the_checks_apply(monkeypatch):
    """The sidebar formats its tooltip from the constants the upload checks use: change one
    and the text follows (no catalog writes a cap as a literal)."""
    import ui.shell.sidebar as sidebar
    from ui.kit.i18n import translate

    for lang in ("en", "pt", "es"):
        assert {"mb", "rows", "columns"} <= placeholders(translate("sidebar.upload_help", lang)), lang
    monkeypatch.setattr(sidebar, "MIN_ROWS", 37)
    monkeypatch.setattr(sidebar, "MIN_FEATURES", 3)
    monkeypatch.setattr(sidebar, "MAX_UPLOAD_BYTES", 5 * 2**20)
    text = sidebar.upload_help()
    assert "37" in text and "3 " in text and "5 MB" in text, text


def test_the_minimums_reach_the_error_texts():
    """Too few rows or columns: the coded error carries the minimum the check used, and every
    language's text shows it."""
    import numpy as np
    import pytest

    from aecore.data.dataset import MIN_FEATURES, MIN_ROWS, validate_matrix
    from aecore.errors import DataError
    from aecore.io.csvfile import read_table
    from aecore.io.uploads import load_upload
    from ui.kit.i18n import error_message

    cases = [
        (lambda: validate_matrix(np.ones((MIN_ROWS - 1, 3))), "too_few_rows", MIN_ROWS),
        (lambda: validate_matrix(np.arange(MIN_ROWS * 1.0)[:, None]), "too_few_features", MIN_FEATURES),
        (lambda: read_table("x.csv", b"# only a comment\n"), "no_rows", MIN_ROWS),
        (lambda: read_table("x.csv", b"a,b\n"), "no_rows", MIN_ROWS),
        (lambda: load_upload("x.csv", b"  \n"), "upload_empty", MIN_ROWS),
    ]
    for call, code, minimum in cases:
        with pytest.raises(DataError) as err:
            call()
        assert err.value.code == code and err.value.params["min"] == minimum
        for lang in ("en", "pt", "es"):
            assert str(minimum) in error_message(err.value, lang), (code, lang)
