"""User-supplied text is never shown as Markdown or HTML.

Values from a link, uploaded file names, CSV headers and labels reach messages on every
page. ``ui.kit.safe.md`` escapes them; these tests open every page with hostile values in every
link parameter, upload hostile files, and check that no link, image or autolink markup from
them survives in anything the page renders (selectbox options are plain text, not Markdown,
and are left out).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from google.protobuf.json_format import MessageToDict
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from aecore.experiments import registry
from tests.apptest_utils import APP
from tests.conftest import ROOT
from ui.kit.safe import JOIN, md, plain
from ui.shell.nav import PAGES

LINK = "[Session expired - log in](https://evil.example)"
IMAGE = "![x](http://host/p.png)"
RAW = ("](https://evil", "](http://host", "![x]", "https://evil.example", "http://host/p.png", "www.evil")
pytestmark = pytest.mark.usefixtures("clean_app_state")


@given(st.text(max_size=300))
def test_md_escapes_every_markup_and_keeps_the_text(text):
    out = md(text, limit=10_000)
    assert plain(out) == re.sub(r"\s+", " ", text).strip().replace(JOIN, "")
    assert not re.search(r"(?<!\\)[\[\]()!<>:`*_$|~#]", out.replace("\\\\", ""))


def test_md_on_the_reported_values():
    shortcodes = ":red[alert] :material/lock: :smile:"
    for value in (LINK, IMAGE, "www.evil.example/x", "a@evil.example", shortcodes, "$x^2$", "<i>"):
        out = md(value)
        assert not any(r in out for r in RAW) and not re.search(r"(?<!\\)[<:\[]", out)
        bare = out.replace("\\", "")  # what autolink and shortcode passes see once escapes are gone
        assert not re.search(r"https?:/|www\.|\w@\w|:\w+:", bare), bare
        assert plain(out) == value


def _texts(node, skip: bool = False):
    """Every string an element tree carries (selectbox options aside: shown as plain text)."""
    proto = getattr(node, "proto", None)
    if proto is not None and not skip:
        data = MessageToDict(proto) if hasattr(proto, "DESCRIPTOR") else {}
        if getattr(node, "type", "") in ("selectbox", "multiselect", "radio"):
            data = {k: data.get(k, "") for k in ("label", "help")}  # options and value: plain text
        yield from _strings(data)
    for child in getattr(node, "children", {}).values():
        yield from _texts(child)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _leaks(at: AppTest) -> list[str]:
    shown = [s for tree in (at.main, at.sidebar) for s in _texts(tree, skip=True)]
    shown += [e.proto.body for e in at.get("toast")]
    return [s[:300] for s in shown if any(r in s for r in RAW)]


def _link_params() -> dict[str, str]:
    """Every setting name any lesson reads from a link (with every form's prefix)."""
    fields = {f for exp in registry().values() for f in exp.config_cls.field_specs()}
    prefixes = {""} | set(re.findall(r'url_prefix="(\w+)"', "".join(p.read_text() for p in ROOT.glob("lessons/*.py"))))
    names = sorted(p + f for p in prefixes for f in fields)
    out = {name: (LINK, IMAGE)[i % 2] for i, name in enumerate(names)}
    out.update(lang=IMAGE, data=LINK, present=LINK, progress=LINK)
    return out


WITHOUT_SETTINGS = ("lessons/00_home.py", "lessons/10_annex.py", "lessons/11_references.py", "lessons/12_progress.py")


@pytest.mark.parametrize("page", [p.path for p in PAGES], ids=[p.url_path for p in PAGES])
def test_hostile_link_values_show_no_markup_on_any_page(page, monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")  # the default views come from the presets: no training
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(_link_params())
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not _leaks(at), _leaks(at)
    if page not in WITHOUT_SETTINGS:
        warnings = " ".join(plain(w.proto.body) for w in at.warning)
        assert "evil.example" in warnings or "host/p.png" in warnings, "the ignored link was not reported"


def _hostile_csv() -> bytes:
    rng = np.random.default_rng(0)
    head = "a,b,c,label"
    labels = [LINK if i % 2 else "www.evil.example" for i in range(30)]
    rows = [",".join(f"{v:.3f}" for v in rng.random(3)) + f",{label}" for label in labels]
    return ("\n".join([head, *rows]) + "\n").encode()


def test_hostile_upload_name_header_and_labels_show_no_markup(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")  # default views from the presets: no training
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.sidebar.file_uploader[0].set_value((f"{LINK}.csv", _hostile_csv(), "text/csv")).run()
    assert not at.exception
    assert at.sidebar.selectbox(key="dataset").value.startswith("upload-")
    assert not _leaks(at), _leaks(at)
    for page in PAGES:  # every page, with the upload chosen in the sidebar (named, or said to be unused)
        at.switch_page(page.path)
        at.run()
        assert not at.exception, (page.path, [e.value for e in at.exception])
        assert not _leaks(at), (page.path, _leaks(at))
    at.switch_page("lessons/02_pca.py")
    at.run()
    bad = ("a;b\n" + "1;2\n" * 20 + f"3;{IMAGE}\n").encode()  # the cell is quoted in the message
    at.sidebar.file_uploader[0].set_value((f"{IMAGE}.csv", bad, "text/csv")).run()
    errors = " ".join(plain(e.proto.body) for e in at.sidebar.error)
    assert errors.count("host/p.png") == 2 and not _leaks(at), (errors, _leaks(at))
