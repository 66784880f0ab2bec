"""A learner's progress: which exercises and self-check questions they answered, and whether
rightly. It lives in this browser session (``st.session_state``) and in the URL
(``?progress=``), never on the server: a copied link restores it in another browser.

The URL form is compact and plain: ``intro.noise_ratio-y.loss-n~sparse.rho_share-y``
(lessons joined by ``~``; in each, the lesson then ``<id>-y`` (right) or ``-n`` (wrong),
joined by ``.``; ids are those of ``aecore/exercises/<lesson>.toml``). Reading a link is
strict: at most ``MAX_CHARS`` characters, entries that do not parse or name an unknown
lesson or id are dropped (counted, never shown back).
"""

from __future__ import annotations

import re

import streamlit as st

from aecore import exercises

PARAM = "progress"
STATE = "learn.progress"  # {lesson: {item id: right?}}
DROPPED = "learn.progress_dropped"  # how many entries of the opened link were not understood
MAX_CHARS = 4000
_ITEM = re.compile(r"([a-z][a-z0-9_]{0,39})-([yn])")


def known_items(lesson: str) -> set[str]:
    """Ids of the lesson's exercises and self-check questions (empty: no such lesson)."""
    if lesson not in exercises.lessons():
        return set()
    learn = exercises.load(lesson)
    return {e.id for e in learn.exercises} | {s.id for s in learn.selfchecks}


def encode(progress: dict[str, dict[str, bool]]) -> str:
    groups = []
    for lesson in sorted(progress):
        items = [f"{i}-{'y' if ok else 'n'}" for i, ok in sorted(progress[lesson].items())]
        if items:
            groups.append(".".join([lesson, *items]))
    return "~".join(groups)


def decode(text: str) -> tuple[dict[str, dict[str, bool]], int]:
    """(progress, entries dropped) from a ``?progress=`` value; never raises."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        return {}, 1 if text else 0
    out: dict[str, dict[str, bool]] = {}
    dropped = 0
    for group in filter(None, text.split("~")):
        lesson, *items = group.split(".")
        known = known_items(lesson)
        if not known:  # an unknown lesson: all its entries
            dropped += max(1, len(items))
            continue
        for item in items:
            m = _ITEM.fullmatch(item)
            if m is None or m.group(1) not in known:
                dropped += 1
                continue
            out.setdefault(lesson, {})[m.group(1)] = m.group(2) == "y"
    return out, dropped


def state() -> dict[str, dict[str, bool]]:
    """This session's progress (read-only view: change it with ``record``)."""
    return st.session_state.get(STATE, {})


def record(lesson: str, item: str, right: bool) -> None:
    if item in known_items(lesson):
        progress = {k: dict(v) for k, v in state().items()}
        progress.setdefault(lesson, {})[item] = bool(right)
        st.session_state[STATE] = progress
        write_link()  # app.py wrote it before the page ran


def clear() -> None:
    st.session_state[STATE] = {}
    write_link()


def init_from_link() -> None:
    """On a session's first run: the progress a link carries."""
    if STATE not in st.session_state:
        progress, dropped = decode(st.query_params.get(PARAM, ""))
        st.session_state[STATE] = progress
        st.session_state[DROPPED] = dropped


def write_link() -> None:
    """Keep ``?progress=`` in the URL (dropped when there is none), so a reload keeps it."""
    text = encode(state())
    if text and st.query_params.get(PARAM) != text:
        st.query_params[PARAM] = text
    elif not text and PARAM in st.query_params:
        del st.query_params[PARAM]


def counts(lesson: str) -> dict[str, int]:
    """Exercises and self-check questions of ``lesson``: how many, done, right."""
    learn, mine = exercises.load(lesson), state().get(lesson, {})
    out = {}
    for part, ids in (("ex", [e.id for e in learn.exercises]), ("sc", [s.id for s in learn.selfchecks])):
        done = [mine[i] for i in ids if i in mine]
        out |= {f"{part}_total": len(ids), f"{part}_done": len(done), f"{part}_right": sum(done)}
    return out
