"""Previous / Next lesson, in the order of ``ui.shell.nav.PAGES``.

In presenter mode the two buttons sit above the lesson, with the screen counter ("2 / 4")
between them, and answer the keyboard's ← and → (Streamlit's own button shortcuts: no
script of ours runs in the browser, and Streamlit does not fire them while the focus is in
a text or number field): they step through the page's screens (ui.kit.deck), then on to the
next or previous page. On normal pages they sit at the bottom, after the lesson. app.py
draws them, so pages need no code for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.kit import deck
from ui.kit.i18n import t
from ui.shell.nav import PageSpec

APP_PARAMS = ("present", "lang", "data", "progress")  # the URL's app-wide settings, kept from page to page


def _go(spec: PageSpec) -> None:
    """Switch to ``spec``'s page, keeping the app-wide URL settings (a page's own settings,
    e.g. ``epochs``, stay behind: another page could read them as its own)."""
    keep = {k: st.query_params[k] for k in APP_PARAMS if k in st.query_params}
    st.switch_page(spec.path, query_params=keep)


def neighbours(pages: Sequence[PageSpec], url: str) -> tuple[PageSpec | None, PageSpec | None]:
    """The pages before and after the page at ``url`` (``PageSpec.url``: "" for the default
    page, as Streamlit's ``StreamlitPage.url_path``); None at either end, or for an unknown page."""
    paths = [p.url for p in pages]
    if url not in paths:
        return None, None
    i = paths.index(url)
    return (pages[i - 1] if i > 0 else None), (pages[i + 1] if i + 1 < len(pages) else None)


def buttons(pages: Sequence[PageSpec], url: str, *, keys: bool, where: str) -> None:
    """The Previous / Next buttons of the page at ``url``; ``keys``: also on ← / →.
    ``where`` ("top" or "bottom") keeps their widget keys apart."""
    before, after = neighbours(pages, url)
    if before is None and after is None:
        return
    left, right = st.columns(2)
    if before is not None and left.button(
        t("pager.previous", title=t(before.title_key)),
        key=f"pager.{where}.previous",
        icon=":material/arrow_back:",
        shortcut="Left" if keys else None,
    ):
        _go(before)
    with right, st.container(horizontal=True, horizontal_alignment="right"):
        if after is not None and st.button(
            t("pager.next", title=t(after.title_key)),
            key=f"pager.{where}.next",
            icon=":material/arrow_forward:",
            icon_position="right",
            shortcut="Right" if keys else None,
        ):
            _go(after)


def turn(pages: Sequence[PageSpec], url: str, direction: int) -> None:
    """Go to the page before (-1) or after (+1) ``url``'s, if there is one."""
    before, after = neighbours(pages, url)
    target = before if direction < 0 else after
    if target is not None:
        _go(target)


def deck_bar(pages: Sequence[PageSpec], url: str, screen: int, count: int) -> None:
    """Presenting: ← and → step through the ``count`` screens of the page (``screen`` is
    0-based), then on to the neighbouring page, named on the button; the counter between."""
    before, after = neighbours(pages, url)
    left, middle, right = st.columns([5, 1, 5], vertical_alignment="center")
    back = before is not None or screen > 0
    if back:
        label = f"{screen} / {count}" if screen > 0 else t("pager.previous", title=t(before.title_key))
        left.button(label, key="pager.top.previous", icon=":material/arrow_back:", shortcut="Left", on_click=deck.back)
    if count > 1:
        middle.container(key="deck-counter").markdown(f"**{screen + 1} / {count}**", text_alignment="center")
    with right, st.container(horizontal=True, horizontal_alignment="right"):
        if after is not None or screen + 1 < count:
            label = f"{screen + 2} / {count}" if screen + 1 < count else t("pager.next", title=t(after.title_key))
            st.button(
                label,
                key="pager.top.next",
                icon=":material/arrow_forward:",
                icon_position="right",
                shortcut="Right",
                on_click=deck.forward,
            )
