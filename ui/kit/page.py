"""The page kit: the pieces every lesson page repeats, written once.

A lesson page reads top to bottom: ``st.title``, ``prose`` and ``st.latex``, ``settings_form``
(ui.kit.widgets), ``training_panel`` (ui.runtime.panel), then for the result ``metric_row``, ``chart`` (a
figure with its caption), ``claims_box`` (ui.runtime.checks) and ``code_expander`` (the
source that runs, shown with ``inspect.getsource``). Figure builders take dicts of translated labels: ``labels``
builds them from catalog keys. Every number shown to people goes through ``num``: a fixed
number of significant digits, digit groups for large values, ×10ⁿ instead of "e+04".
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import streamlit as st

from aecore.config import Config, ConfigError
from aecore.figures.common import finish, loss_figure
from ui.kit import deck, numbers, presenter
from ui.kit.i18n import current_lang, error_text, t, translate
from ui.kit.presenter import prose
from ui.kit.safe import md
from ui.kit.widgets import option_label
from ui.shell import sidebar

__all__ = [
    "chart",
    "claim_words",
    "cells",
    "code_expander",
    "fmt",
    "labels",
    "loss_chart",
    "metric_row",
    "num",
    "on_sidebar_data",
    "one_per_class",
    "prose",
]


def num(value: Any, digits: int = 4) -> str:
    """A number for people in the session's language (``ui.kit.numbers.num``): ``digits``
    significant digits, never an 'e+04', a decimal comma in pt and es."""
    return numbers.num(value, digits, current_lang())


def fmt(metrics: Mapping[str, float], digits: int = 4) -> dict[str, str]:
    """Every metric through ``num``: the numbers a claim or caption text is formatted with."""
    return {k: num(v, digits) for k, v in metrics.items()}


def cells(rows: Any, formats: Mapping[str, str] | None = None) -> Any:
    """A table's rows (a dict of columns or a list of row dicts) for ``st.dataframe`` in the
    session's language: in pt and es every float becomes text with a decimal comma (``formats``:
    a column's format spec, else ``num``), since the table widget writes numbers only with a
    point; in English the rows are returned unchanged, numbers stay numbers (and sort as such)."""
    lang = current_lang()
    if numbers.decimal_mark(lang) == ".":
        return rows
    formats = formats or {}

    def show(column: str, v: Any) -> Any:
        if not isinstance(v, float):
            return v
        return numbers.localize(format(v, formats[column].lstrip("%")), lang) if column in formats else num(v)

    if isinstance(rows, Mapping):
        return {c: [show(c, v) for v in vs] for c, vs in rows.items()}
    return [{c: show(c, v) for c, v in row.items()} for row in rows]


def labels(prefix: str, *names: str, **aliases: str) -> dict[str, str]:
    """Translated labels for a figure builder: ``labels("pca.fig", "kept", x="index")`` is
    ``{"kept": t("pca.fig.kept"), "x": t("pca.fig.index")}``. Merge texts with arguments or
    from other prefixes with ``|``."""
    lang = current_lang()
    pairs = [(n, n) for n in names] + list(aliases.items())
    return {name: translate(prefix + "." + sub, lang) for name, sub in pairs}


Format = str | int | Callable[[float], str] | None  # a format spec, significant digits, a function


def _show(value: float, how: Format) -> str:
    if how is None or isinstance(how, int):
        return num(value, how or 4)
    return numbers.localize(how(value) if callable(how) else format(value, how), current_lang())


def metric_row(
    lesson: str,
    metrics: Mapping[str, float],
    keys: Sequence[str] | Mapping[str, str],
    formats: Format | Mapping[str, Format] = None,
    *,
    names: Mapping[str, str] | None = None,
    per_row: int | None = None,
    **label_args: Any,
) -> None:
    """One ``st.metric`` per metric key, labelled ``<lesson>.metric.<key>``.

    ``keys``: metric names, or a dict metric name -> label key under ``<lesson>.metric.``;
    ``names``: labels given as text instead. ``formats``: one format spec (".3f"), number of
    significant digits for ``num`` (3) or function for all values, or a dict of them by key;
    the default is ``num`` with 4 digits. ``per_row`` wraps a
    long row; ``label_args`` format the labels."""
    with deck.part("result"):
        _metrics(lesson, metrics, keys, formats, names, per_row, label_args)


def _metrics(lesson, metrics, keys, formats, names, per_row, label_args) -> None:  # noqa: ANN001
    subs = dict(keys) if isinstance(keys, Mapping) else {k: k for k in keys}
    per_key = formats if isinstance(formats, Mapping) else dict.fromkeys(subs, formats)
    names = names or {}
    order = list(subs)
    width = per_row or len(order)
    for first in range(0, len(order), width):
        cols = st.columns(width) if width > 1 else [st]  # one per row: no nested columns
        for col, key in zip(cols, order[first : first + width]):
            label = names.get(key) or t(f"{lesson}.metric.{subs[key]}", **label_args)
            col.metric(label, _show(metrics[key], per_key.get(key)))


def chart(fig: Any, key: str, caption: str | None = None, **kwargs: Any) -> Any:
    """A plotly figure with its one-sentence caption under it.

    ``finish`` lays out its legend and title the same way on every page; presenting, its
    text is enlarged (``ui.kit.presenter.figure``).

    Parameters
    ----------
    fig : a ``go.Figure`` from ``aecore.figures``; key : the chart's widget key.
    caption : one sentence under it; kwargs : to ``st.plotly_chart`` (``on_select="rerun"``).

    Returns
    -------
    The chart's selection event (with ``on_select``), else Streamlit's element.

    Example (in a page)
    -------------------
    ``chart(basic.spectrum_figure(a["eigvals"], k, names), "pca.spectrum", caption)``
    """
    if presenter.active():  # its toolbar would cover the title; a lecturer zooms by dragging
        kwargs["config"] = {**kwargs.get("config", {}), "displayModeBar": False}
    with deck.part("figure") as part:
        side = part is not None and part.nested  # in a column: lower, so a row of them fits a screen
        event = st.plotly_chart(presenter.figure(finish(fig, current_lang()), side), key=key, **kwargs)
        if caption:
            st.caption(caption)
        if part is not None:
            part.captioned = bool(caption)
    return event


def loss_chart(
    histories: Mapping[str, Sequence[float]],
    key: str,
    title: str = "",
    *,
    refs: Mapping[str, float] | None = None,
    ylabel: str | None = None,
    caption: str | None = None,
) -> None:
    """Training curves against the epoch (log scale), labelled in the session's language."""
    fig = loss_figure(
        dict(histories), title, refs=dict(refs or {}), xlabel=t("panel.epoch"), ylabel=ylabel or t("panel.loss")
    )
    chart(fig, key, caption)


def code_expander(title: str, *objects: Any, icon: str | None = None) -> None:
    """The source of the functions or classes that run, folded under ``title``."""
    with deck.part("note"), st.expander(title, icon=icon):
        st.code("\n\n".join(inspect.getsource(o) for o in objects), language="python")


def one_per_class(labels_: Iterable[int], classes: int = 10) -> list[int]:
    """Index of the first example of each class 0..classes-1 (a row of one digit each)."""
    y = np.asarray(labels_)
    return [int((y == c).argmax()) for c in range(classes)]


def _data_label(name: str, lang: str) -> str:
    """A data set's label for Markdown: an upload's holds its file name, escaped (ui.kit.safe)."""
    label = option_label("dataset", name, lang)
    return md(label) if name.startswith("upload-") else label


def on_sidebar_data(cfg: Config) -> Config:
    """``cfg`` on the data set chosen in the sidebar, when the lesson's ``dataset`` field
    offers it; otherwise ``cfg`` unchanged, and a caption says which data set the lesson
    uses instead. A data set the config refuses for another reason (a code size larger
    than its inputs ...) shows that reason and keeps ``cfg``."""
    chosen, used = sidebar.dataset(), cfg.dataset
    if chosen == used:
        return cfg
    choices = cfg.field_specs()["dataset"].metadata.get("choices")
    offered = choices() if callable(choices) else choices or ()
    lang = current_lang()
    if chosen not in offered:
        st.caption(t("kit.other_data", chosen=_data_label(chosen, lang), used=_data_label(used, lang)))
        return cfg
    try:
        return dataclasses.replace(cfg, dataset=chosen)
    except ConfigError as exc:
        st.warning(t("kit.data_refused", data=_data_label(chosen, lang), message=error_text(exc)))
        return cfg


def claim_words(claim: Any, metrics: Mapping[str, float], numbers: Mapping[str, str]) -> dict[str, str]:
    """What a claim's text is formatted with: the page's ``numbers`` (formatted metrics), and
    for the names they lack the claim's own (``Claim.params``: ``{threshold}``, ``{left}``…)."""
    words = {k: num(v) for k, v in claim.params(metrics).items()}
    sides = {s: numbers[n] for s in ("left", "right") if (n := getattr(claim, s)) and n in numbers}
    return words | dict(numbers) | sides
