"""The settings form built from a Config's ``param`` metadata (bounds, choices, help).

Numbers become number inputs with the config's bounds, booleans toggles, choices select
boxes with translated option labels (``options.<value>``, data sets ``data.<name>``) and a
tuple with choices a multiselect. The config validates what was typed; its Train button
asks the page's training panel to train what the form shows (``ui.kit.requests.ask_to_train``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import partial
from typing import Any

import streamlit as st

from aecore.config import Config, ConfigError
from aecore.data.registry import OWNER, user_label
from aecore.data.steps import help_values
from ui.kit import deck, presenter
from ui.kit.i18n import current_lang, error_text, t, translate
from ui.kit.requests import ask_to_train
from ui.shell import links


def _text(lesson: str, kind: str, name: str, fallback: str | None, **values: str) -> str | None:
    """``<lesson>.<kind>.<name>`` (kind: knob = label, help = tooltip), else ``fallback``;
    ``values`` placed into either (a setting's budget: ``aecore.data.steps.help_values``)."""
    key = f"{lesson}.{kind}.{name}"
    text = translate(key, current_lang())
    text = fallback if text == key else text
    return text.format(**values) if values and text else text


DATA_FIELDS = ("dataset", "curve")  # fields whose choices are data sets


def option_label(field: str, value: Any, lang: str, owner: Any = ...) -> str:
    """How a choice of ``field`` reads in ``lang``: a data set by its ``data.<name>`` label,
    another word by ``options.<value>``, a number as itself. Plain text (an option label):
    not escaped. ``owner``: whose uploads (default: this context's, ``aecore.data.userdata``)."""
    if not isinstance(value, str):
        return str(value)
    if field in DATA_FIELDS and value.startswith("upload-"):  # the session's own data
        return translate("sidebar.own_data", lang, name=user_label(value, owner) or value)
    return translate(f"data.{value}" if field in DATA_FIELDS else f"options.{value}", lang)


def _widget(lesson: str, cfg: Config, field: dataclasses.Field, value: Any) -> Any:
    meta, key = field.metadata, f"{lesson}.w.{field.name}"
    label = _text(lesson, "knob", field.name, field.name)
    budget = help_values(cfg, field.name)  # the numbers of a training budget, from the metadata
    help_ = _text(lesson, "help", field.name, meta.get("help"), **budget)  # the config's English as fallback
    help_ = None if presenter.active() else help_  # presenting: no tooltips on the projector
    if meta.get("choices"):
        choices = meta["choices"]
        options = list(choices() if callable(choices) else choices)
        lang = current_lang()  # bound now: a format function may run outside this script run
        fmt = partial(option_label, field.name, lang=lang, owner=OWNER.get())  # whose uploads, bound now too
        if isinstance(value, tuple):  # several of the choices
            picked = st.multiselect(label, options, default=list(value), key=key, help=help_, format_func=fmt)
            return tuple(sorted(picked))
        return st.selectbox(label, options, index=options.index(value), key=key, help=help_, format_func=fmt)
    if isinstance(value, bool):
        return st.toggle(label, value=value, key=key, help=help_)
    lo, hi = meta.get("lo"), meta.get("hi")
    if isinstance(value, int):
        return int(
            st.number_input(
                label,
                min_value=int(lo) if lo is not None else None,
                max_value=int(hi) if hi is not None else None,
                value=value,
                step=1,
                key=key,
                help=help_,
            )
        )
    if isinstance(value, float):
        return float(
            st.number_input(
                label,
                min_value=float(lo) if lo is not None else None,
                max_value=float(hi) if hi is not None else None,
                value=value,
                key=key,
                help=help_,
                format="%g",
            )
        )
    return value


def settings_form(
    lesson: str, default: Config, fields: Sequence[str], columns: int = 3, url_prefix: str = ""
) -> Config:
    """A settings form built from the config's ``param`` metadata (bounds, choices, help).

    Parameters
    ----------
    lesson : the form's key and catalog prefix (``<lesson>.knob.<field>``, ``<lesson>.help.<field>``),
        also the key of the page part's ``training_panel``.
    default : the config the page opens with; fields : the fields shown, in order.
    columns : widgets per row; url_prefix : the prefix of these settings in a shared link.

    Returns
    -------
    The session's current config: Train applies the form; invalid values (checked by the
    backend config) keep the current one and say what to fix, the widgets keep the typing.

    Example (in a page)
    -------------------
    ``cfg = settings_form("pca", PCAConfig(), ["latent_dim", "linear_epochs"], columns=2)``
    """
    state_key = f"{lesson}.cfg"
    if state_key not in st.session_state:  # first visit: a shared link may carry settings
        linked = links.read_config(default, fields, url_prefix)
        if linked is not None:
            st.session_state[state_key] = linked
    current: Config = st.session_state.get(state_key, default)
    specs = {f.name: f for f in dataclasses.fields(current)}
    with deck.part("settings"):
        holder = st.expander(t("panel.settings"), icon=":material/tune:") if presenter.active() else st.container()
    wide = [n for n in fields if isinstance(getattr(current, n), tuple)]  # multiselects get a row
    with holder, st.form(f"{lesson}.form", border=True):
        values = {name: _widget(lesson, current, specs[name], getattr(current, name)) for name in wide}
        cols = st.columns(columns)
        for i, name in enumerate(n for n in fields if n not in wide):
            with cols[i % columns]:
                values[name] = _widget(lesson, current, specs[name], getattr(current, name))
        submitted = st.form_submit_button(t("panel.train"), type="primary", icon=":material/play_arrow:")
    if submitted:
        try:
            current = dataclasses.replace(current, **values)
            st.session_state[state_key] = current
            ask_to_train(lesson)  # Train always trains what the form shows
        except ConfigError as exc:
            st.error(t("panel.invalid", message=error_text(exc)), icon=":material/error:")
    links.write_config(current, default, fields, url_prefix)
    return current


def open_view(lesson: str, cfg: Config, view: dict) -> None:
    """Switch the form ``lesson`` (of ``settings_form``) to a named view, as a button's
    callback: the settings become ``cfg`` with ``view``'s overrides, and so do the widgets."""
    st.session_state[f"{lesson}.cfg"] = dataclasses.replace(cfg, **view)
    for name, value in view.items():
        st.session_state[f"{lesson}.w.{name}"] = value
