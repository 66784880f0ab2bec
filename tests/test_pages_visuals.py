"""Every page's default view, in en, pt and es, as the browser receives it: each plotly chart's
JSON (``st.plotly_chart`` carries it) passes ``tests.figure_checks.figure_problems`` (axes that
cover their data, log axes within 8 decades, curves above clouds, no raw TeX, no legend over
a title) and every text Streamlit renders passes ``text_problems`` (metric labels: no TeX at
all). No page code is named here: a new page or chart is checked as soon as it is listed in
``ui.shell.nav.PAGES``.

Cost: the lecture presets answer where they are current (AE_PRESETS=1 here); otherwise the
page trains live on its default settings once (en) and pt/es reuse that result.
"""

from __future__ import annotations

import json

import pytest

from tests.apptest_utils import is_training, no_errors, open_page, wait_until_trained
from tests.figure_checks import figure_problems, text_problems
from tests.legibility_checks import separator_problems
from ui.shell.nav import PAGES

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("clean_app_state")]
LANGS = ("en", "pt", "es")


def _texts(at) -> list[tuple[str, str, bool]]:
    """(where, text, may hold $…$ math) of everything the page renders as text."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "title", "header", "subheader"):
        out += [(kind, str(e.value), True) for e in getattr(at, kind)]
    out += [(kind, str(e.label), True) for kind in ("expander", "tabs") for e in getattr(at, kind)]
    for kind in ("number_input", "selectbox", "toggle", "checkbox", "radio", "slider", "select_slider", "button"):
        for w in getattr(at, kind):
            out += [(kind, str(w.label), True), (f"{kind} help", str(w.help or ""), True)]
    for m in at.metric:
        out += [("metric label", str(m.label), False), ("metric value", str(m.value), False)]
    return out


def _problems(at, lang: str) -> list[str]:
    found = []
    for i, el in enumerate(at.get("plotly_chart")):
        fig = json.loads(el.proto.spec)
        title = str((fig.get("layout", {}).get("title") or {}).get("text", ""))[:50]
        found += [f"{lang} chart {i} {title!r}: {p}" for p in figure_problems(fig) + separator_problems(fig, lang)]
    for where, text, math in _texts(at):
        found += [f"{lang} {where}: {p}" for p in text_problems(text, math_ok=math)]
    return found


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_default_view_looks_right_in_every_language(spec, monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")
    found = []
    for lang in LANGS:
        at = open_page(spec.path, timeout=600, params={"lang": lang})
        if is_training(at):  # pt/es reuse en's result: no rerun (AppTest cannot format a translated option)
            wait_until_trained(at, limit=1800)
        no_errors(at)
        found += _problems(at, lang)
    assert not found, "\n".join(found)
