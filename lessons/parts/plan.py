"""The Lecture plan page's parts: each step's link (its page in presenter mode, with its
preset view's settings and the language kept), the lecture sections it teaches, and its card."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from aecore import lecture
from ui.kit.i18n import translate
from ui.shell.links import to_text
from ui.shell.nav import PAGES

SPECS = {p.url_path: p for p in PAGES}


def link(row: lecture.Row, lang: str) -> str:
    """A relative link that opens ``row``'s page in presenter mode with its view, in ``lang``."""
    query = {row.prefix + name: to_text(value) for name, value in row.view}
    query |= {"present": "1", "lang": lang}
    return f"./{SPECS[row.page].url}?{urlencode(query)}"


def view_text(row: lecture.Row, lang: str) -> str:
    """The view's settings with the page's knob labels ("" for the page's default view)."""
    words = {True: "✓", False: "✗"}
    shown = [f"{translate(f'{row.page}.knob.{k}', lang)} = {words.get(v, v)}" for k, v in row.view]
    return translate("plan.view", lang, settings=", ".join(shown)) if shown else ""


def section_lines(row: lecture.Row, lang: str) -> list[str]:
    """One line per topic the step teaches: its title, then where each document has it."""
    by_id = {s.id: s for s in lecture.sections()}
    kinds = {src.id: src.kind for src in lecture.sources()}
    topics: dict[str, list[str]] = {}
    for sid in row.sections:
        sec = by_id[sid]
        where = translate("plan.slides" if kinds[sec.source] == "slides" else "plan.notes", lang, id=sec.source)
        topics.setdefault(sec.topic, []).append(f"{where} · {sec.n} “{sec.title}”")
    return [f"**{translate(f'plan.topic.{topic}', lang)}** — {'; '.join(places)}" for topic, places in topics.items()]


def card(i: int, row: lecture.Row, lang: str) -> None:
    """One step: title, time, short-path mark, link and sections; the point and the question."""
    with st.container(border=True, key=f"plan-row-{row.id}"):
        left, right = st.columns([2, 3])
        with left:
            badge = f" :orange-badge[{translate('plan.short_badge', lang)}]" if row.short else ""
            minutes = translate("plan.minutes", lang, n=row.minutes)
            st.markdown(f"**{i}. {translate(f'plan.row.{row.id}.title', lang)}** · {minutes}{badge}")
            page = translate(SPECS[row.page].title_key, lang)
            st.markdown(f":material/slideshow: [{translate('plan.open', lang, page=page)}]({link(row, lang)})")
            if view := view_text(row, lang):
                st.caption(view)
            st.caption("\n\n".join(section_lines(row, lang)))
        with right:
            st.markdown(f"**{translate('plan.point', lang)}.** {translate(f'plan.row.{row.id}.point', lang)}")
            st.markdown(f"**{translate('plan.ask', lang)}:** {translate(f'plan.row.{row.id}.ask', lang)}")
