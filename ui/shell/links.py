"""Shareable links: a lesson's settings round-trip through the URL's query parameters.

Only settings that differ from the defaults are written, so a plain link stays short.
Opening a link restores them (validated by the config class like any other input); a
result already trained for that config is then shown at once from the result cache.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import streamlit as st

from aecore.config import Config, ConfigError, parse_value
from ui.kit.i18n import error_text, t


def _to_text(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def read_config(default: Config, fields: Sequence[str], prefix: str = "") -> Config | None:
    """The config a link asks for, or None when the URL names none of ``fields``.
    ``prefix`` names a page's second form's parameters apart (``img_epochs``)."""
    asked = {k: st.query_params[prefix + k] for k in fields if prefix + k in st.query_params}
    if not asked:
        return None
    try:
        parsed = {k: parse_value(k, v, getattr(default, k)) for k, v in asked.items()}
        return dataclasses.replace(default, **parsed)
    except ConfigError as exc:
        st.warning(t("links.ignored", message=error_text(exc)), icon=":material/link_off:")
        return None


def write_config(current: Config, default: Config, fields: Sequence[str], prefix: str = "") -> None:
    """Put the non-default settings of ``current`` into the URL (and drop the others)."""
    for name in fields:
        value, param = getattr(current, name), prefix + name
        if str(value).startswith("upload-"):
            value = getattr(default, name)  # a user's own data never travels in a link
        if value != getattr(default, name):
            if st.query_params.get(param) != _to_text(value):
                st.query_params[param] = _to_text(value)
        elif param in st.query_params:
            del st.query_params[param]
