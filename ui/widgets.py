"""Small shared page pieces: the settings form built from a Config, claim badges."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import streamlit as st

from aecore.config import Config, ConfigError
from ui import guard, links, presenter
from ui.i18n import current_lang, error_text, t, translate


def _text(lesson: str, kind: str, name: str, fallback: str | None) -> str | None:
    """``<lesson>.<kind>.<name>`` (kind: knob = label, help = tooltip), else ``fallback``."""
    key = f"{lesson}.{kind}.{name}"
    text = translate(key, current_lang())
    return fallback if text == key else text


def _widget(lesson: str, field: dataclasses.Field, value: Any) -> Any:
    meta, key = field.metadata, f"{lesson}.w.{field.name}"
    label = _text(lesson, "knob", field.name, field.name)
    help_ = _text(lesson, "help", field.name, meta.get("help"))  # the config's English as fallback
    if meta.get("choices"):
        choices = meta["choices"]
        options = list(choices() if callable(choices) else choices)
        lang = current_lang()  # bound now: a format function may run outside this script run
        fmt = (lambda v: translate(f"data.{v}", lang)) if field.name == "dataset" else str
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
    """A form of the chosen fields; returns the session's current config for ``lesson``.

    Invalid values (checked by the backend config) leave the current config unchanged
    and show what to fix; the widgets keep what the user typed."""
    state_key = f"{lesson}.cfg"
    if state_key not in st.session_state:  # first visit: a shared link may carry settings
        linked = links.read_config(default, fields, url_prefix)
        if linked is not None:
            st.session_state[state_key] = linked
    current: Config = st.session_state.get(state_key, default)
    specs = {f.name: f for f in dataclasses.fields(current)}
    holder = st.expander(t("panel.settings"), icon=":material/tune:") if presenter.active() else st.container()
    with holder, st.form(f"{lesson}.form", border=True):
        cols = st.columns(columns)
        values: dict[str, Any] = {}
        for i, name in enumerate(fields):
            with cols[i % columns]:
                values[name] = _widget(lesson, specs[name], getattr(current, name))
        submitted = st.form_submit_button(t("panel.train"), type="primary", icon=":material/play_arrow:")
    if submitted:
        try:
            current = dataclasses.replace(current, **values)
            st.session_state[state_key] = current
            guard.confirm(lesson, current)  # a click: a long run starts without asking again
        except ConfigError as exc:
            st.error(t("panel.invalid", message=error_text(exc)), icon=":material/error:")
    links.write_config(current, default, fields, url_prefix)
    return current


def claims_box(lesson: str, experiment, metrics: dict[str, float], numbers: dict[str, str]) -> None:
    """The lesson's claims with a tick or a cross, and the measured numbers beside them."""
    with st.container(border=True):
        st.markdown(f"**{t('claim.heading')}**")
        for key, ok in experiment.check_claims(metrics).items():
            mark = ":green[:material/check_circle:]" if ok else ":red[:material/cancel:]"
            verdict = t("claim.holds") if ok else t("claim.fails")
            st.markdown(f"{mark} {t(f'{lesson}.claims.{key}', **numbers)} — *{verdict}*")


def fmt(metrics: dict[str, float], digits: int = 4) -> dict[str, str]:
    """Metrics as short strings for message formatting."""
    return {k: f"{v:.{digits}g}" for k, v in metrics.items()}
