"""The page kit (ui.kit.page): numbers for people, translated label dicts; and every option a
settings form offers has a label in every language (ui.kit.widgets.option_label)."""

from __future__ import annotations

import dataclasses

import pytest

from aecore.experiments import registry
from ui.kit import i18n, widgets
from ui.kit import page as kit


@pytest.mark.parametrize(
    "value,digits,text",
    [
        (29320, 4, "29\u202f320"),  # a parameter count, never "2.932e+04"
        (29320.4, 4, "29\u202f320"),
        (1234.5, 4, "1234"),  # four-digit numbers are not grouped
        (0.12345678, 4, "0.1235"),
        (0.12345678, 3, "0.123"),
        (0.5, 4, "0.5"),  # no trailing zeros
        (9.99996, 4, "10"),
        (3.0, 4, "3"),
        (-0.0012345, 4, "-0.001234"),
        (1.2345e-5, 3, "1.23×10⁻⁵"),
        (1.5e-7, 4, "1.5×10⁻⁷"),
        (2.5e7 + 0.3, 4, "25\u202f000\u202f000"),
        (float("nan"), 4, "–"),
        (float("inf"), 4, "∞"),
    ],
)
def test_num(value, digits, text):
    assert kit.num(value, digits) == text


def test_num_never_writes_an_exponent():
    for exp in range(-12, 13):
        for mantissa in (1.0, 2.932, 9.87654):
            text = kit.num(mantissa * 10.0**exp)
            assert "e" not in text.lower(), text


def test_fmt_formats_every_metric():
    assert kit.fmt({"params": 29320.0, "mse": 0.012345}, 3) == {"params": "29\u202f320", "mse": "0.0123"}


def test_labels_reads_names_and_aliases(monkeypatch):
    monkeypatch.setattr(kit, "current_lang", lambda: "pt")
    got = kit.labels("pca.fig", "discarded", x="index")
    assert got == {"discarded": i18n.translate("pca.fig.discarded", "pt"), "x": i18n.translate("pca.fig.index", "pt")}
    assert got["x"] != "pca.fig.index"


def _choice_fields():
    """(experiment, field, choices) of every config field with choices (what a form can show)."""
    for name, exp in registry().items():
        for f in dataclasses.fields(exp.config_cls):
            choices = f.metadata.get("choices")
            if choices:
                yield name, f.name, tuple(choices() if callable(choices) else choices)


@pytest.mark.parametrize("lang", i18n.languages())
def test_every_option_has_a_label(lang):
    fields = list(_choice_fields())
    assert any(field == "penalty" for _, field, _ in fields), "no choice fields found"
    catalog = i18n.catalog(lang)
    missing = []
    for name, field, choices in fields:
        # numbers show as themselves; an upload ("upload-…", registered by another test of this
        # worker) is labelled with its own file name, tested below
        for value in (v for v in choices if isinstance(v, str) and not v.startswith("upload-")):
            key = f"data.{value}" if field in widgets.DATA_FIELDS else f"options.{value}"
            if key not in catalog or widgets.option_label(field, value, lang) != catalog[key]:
                missing.append(f"{name}.{field}={value} ({key})")
    assert not missing, f"{lang}: option values without a label: {missing}"



@pytest.mark.parametrize("lang", i18n.languages())
def test_an_upload_reads_as_its_owners_file(lang, user_data):
    """An upload's choice reads "your data: <file> (rows×cols)" for its owner and as its bare
    name for anyone else (another session never sees the file's name)."""
    import numpy as np

    user_data.set_owner("alice")
    name = user_data.register_dataset(np.random.default_rng(0).random((40, 4), np.float32), label="mine.csv")
    label = widgets.option_label("dataset", name, lang, owner="alice")
    assert label == i18n.translate("sidebar.own_data", lang, name="mine.csv (40×4)")
    assert "mine.csv" not in widgets.option_label("dataset", name, lang, owner="bob")
    user_data.set_owner(None)

def _sidebar_data_script(chosen: str) -> None:
    """Runs inside AppTest: a lesson config on the sidebar's data set ``chosen``."""
    from dataclasses import dataclass

    import streamlit as st

    from aecore.config import Config, ConfigError, param
    from ui.kit.page import on_sidebar_data

    @dataclass(frozen=True)
    class ImagesOnly(Config):
        dataset: str = param("digits", "image data", choices=("digits", "digits28", "mnist"))

        def check(self) -> None:
            if self.dataset == "mnist":
                raise ConfigError("mnist is refused here.")

    st.session_state["dataset"] = chosen
    st.session_state["used"] = on_sidebar_data(ImagesOnly()).dataset


@pytest.mark.parametrize(
    "chosen,used,note",
    [
        ("digits28", "digits28", None),  # offered: the sidebar's choice wins
        ("swiss_roll", "digits", "does not offer Swiss roll (3-D)"),  # not an image data set
        ("mnist", "digits", "cannot be used with these settings"),  # offered, refused by the config
    ],
)
def test_on_sidebar_data(chosen, used, note):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_sidebar_data_script, args=(chosen,)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["used"] == used
    notes = [c.value for c in at.caption] + [w.value for w in at.warning]
    assert (note is None and not notes) or any(note in n for n in notes), notes
