"""Translation lookup: every user-facing string goes through ``t(key)``.

Catalogs are TOML files, ``assets/locales/<lang>/<part>.toml`` (one file per lesson, so
lessons never edit the same file). Keys are the file stem plus the TOML key path:
``intro.title`` is ``title`` in ``intro.toml``; ``common.toml`` has no prefix. A lesson's teaching
texts (objectives, exercises, self-check) are in ``learn/<lesson>.toml``, keys ``learn.<lesson>.*``.
English is complete; another language
falls back to English key by key. Backend errors are shown with ``error_text(exc)``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ui.kit.numbers import localized_params
from ui.kit.safe import md

LOCALES = Path(__file__).resolve().parents[2] / "assets" / "locales"
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "pt": "Português (Brasil)", "es": "Español"}


def flatten(table: dict, prefix: str = "") -> dict[str, object]:
    """Nested TOML tables as dotted keys (``{"a": {"b": 1}}`` -> ``{"a.b": 1}``), values as read."""
    out: dict[str, object] = {}
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        out |= flatten(value, full) if isinstance(value, dict) else {full: value}
    return out


@lru_cache(maxsize=8)
def catalog(lang: str) -> dict[str, str]:
    """All keys of one language (read once per process; never mutated)."""
    out: dict[str, str] = {}
    folder = LOCALES / lang
    for path in catalog_files(folder):
        with path.open("rb") as fh:
            table = tomllib.load(fh)
        out.update((k, str(v)) for k, v in flatten(table, catalog_prefix(folder, path)).items())
    return out


def catalog_files(folder: Path) -> list[Path]:
    """A language's catalog files: ``<part>.toml`` and ``learn/<lesson>.toml``."""
    return sorted(folder.glob("*.toml")) + sorted((folder / "learn").glob("*.toml"))


def catalog_prefix(folder: Path, path: Path) -> str:
    """The key prefix of a catalog file: its stem, ``learn.<stem>`` in learn/, none for common."""
    if path.parent != folder:
        return f"{path.parent.name}.{path.stem}"
    return "" if path.stem == "common" else path.stem


def languages() -> list[str]:
    return [code for code in LANG_NAMES if (LOCALES / code).is_dir()]


def translate(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """``key``'s text in ``lang`` formatted with ``kwargs``; numbers among them are written
    with the language's decimal mark (``ui.kit.numbers.localized_params``)."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return text.format(**localized_params(kwargs, lang)) if kwargs else text


def current_lang() -> str:
    import streamlit as st

    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANG_NAMES else DEFAULT_LANG


def t(key: str, **kwargs: object) -> str:
    """``key``'s text in the session's language (English where a language lacks it).

    Parameters
    ----------
    key : the catalog key: the file stem, then the TOML path (``intro.title``); common.toml's
        keys have no prefix (``panel.train``).
    kwargs : values for the text's ``{names}`` (escape user values: ``t_md``).

    Returns
    -------
    The formatted text; the key itself when no catalog has it (tests forbid that).

    Example (in a page)
    -------------------
    ``st.title(t("intro.title"))``, ``t("claim.heading")``, ``t("kit.other_data", chosen=a, used=b)``
    """
    return translate(key, current_lang(), **kwargs)


def md_params(params: dict[str, Any]) -> dict[str, str]:
    """Every value escaped (``ui.kit.safe.md``), for formatting into a Markdown catalog text."""
    return {k: md(v) for k, v in params.items()}


def t_md(key: str, **params: Any) -> str:
    """``t`` with every value escaped (values may come from the user)."""
    return t(key, **md_params(params))


def stage_label(stage: str, lang: str | None = None) -> str:
    """The display label of a stage id ("deep_ae:k=8"): ``stages.<id>`` formatted with
    ``{param}``; a parameter the label does not place follows it in parentheses."""
    sid, _, param = stage.partition(":")
    text = translate(f"stages.{sid}", lang or current_lang())
    if text == f"stages.{sid}":
        text = sid  # an id without a label (tests check there is none): at least not a key
    if "{param}" in text:
        return text.replace("{param}", param)
    return f"{text} ({param})" if param else text


def stage_labels(by_stage: dict[str, object], lang: str | None = None) -> dict[str, object]:
    """``by_stage`` (e.g. ``Result.histories``) keyed by display labels, in the same order."""
    return {stage_label(k, lang): v for k, v in by_stage.items()}


def error_message(exc: BaseException, lang: str = DEFAULT_LANG, escape: Callable[[object], str] | None = None) -> str:
    """A backend error in ``lang``: the catalog's ``error.<code>`` text formatted with the
    error's ``params`` (``aecore.errors.CodedError``); otherwise its English message.
    ``escape`` is applied to every value (and to an English message) before formatting."""
    code, params = getattr(exc, "code", None), getattr(exc, "params", None) or {}
    if escape is not None:
        params = {k: escape(v) for k, v in params.items()}
    if code and f"error.{code}" in catalog(DEFAULT_LANG):
        try:
            return translate(f"error.{code}", lang).format(**params)
        except (KeyError, IndexError, ValueError):
            pass  # a catalog text that does not fit its params: English is better than nothing
    return str(exc) if escape is None else escape(str(exc))


def error_text(exc: BaseException) -> str:
    """``error_message`` in the session's language, safe to show as Markdown: values that
    may come from the user (file names, link values) are escaped (``ui.kit.safe``)."""
    return error_message(exc, current_lang(), escape=lambda v: md(v, limit=1000))
