"""Pages opened in Portuguese or Spanish (?lang=): settings tooltips come from the catalogs and
backend errors (bad settings, bad links, bad uploads) are shown in the page's language."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_utils import APP, no_errors, submit_form
from ui.kit.i18n import translate
from ui.kit.safe import plain

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _open(path: str | None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if path:
        at.switch_page(path)
        at.run()
    return at


def test_bad_setting_in_the_form_is_explained_in_portuguese():
    at = _open("lessons/09c_sae_features.py", lang="pt")
    no_errors(at)
    assert at.number_input(key="sae_features.w.k").help == translate("sae_features.help.k", "pt")
    submit_form(at, "sae_features", k=256, expansion=1, hidden=8)  # k above the dictionary size is refused
    no_errors(at)
    errors = " ".join(e.value for e in at.error)
    assert "Corrija esta configuração: k=256 excede o tamanho do dicionário (8)." in errors
    assert "sae_features.cfg" not in at.session_state  # the refused settings were not taken


def test_bad_link_setting_is_explained_in_spanish():
    at = _open("lessons/02_pca.py", lang="es", latent_dim="0")
    no_errors(at)
    warnings = " ".join(plain(w.value) for w in at.warning)  # values are escaped Markdown (ui.kit.safe)
    assert "latent_dim=0 es demasiado pequeño; debe ser ≥ 1." in warnings


def test_upload_error_follows_the_language():
    at = _open(None, lang="pt")
    at.sidebar.file_uploader[0].set_value(("tiny.csv", b"1,2\n3,4\n", "text/csv")).run()
    no_errors(at)
    assert "tiny.csv tem 2 linhas; são necessárias pelo menos 10." in [plain(e.value) for e in at.sidebar.error]
    at.selectbox(key="lang").set_value("es").run()
    assert "tiny.csv tiene 2 filas; se necesitan al menos 10." in [plain(e.value) for e in at.sidebar.error]
