"""Presenter mode as a slide deck: a page becomes a few screens, each meant to fit a projector.

The page helpers declare what they draw (``part``): ``result`` (a metric row), ``claims`` (a
claims box), ``figure`` (a chart), ``derivation``, ``settings`` (the settings form) and ``note``
(folded prose, code). When the page has run, ``finish`` splits its parts into screens:

1. the result: the numbers and the first claims box with the main figure: the first
   one drawn after the settings (the run's, not an illustration's), with the rest of its row
   or of the grid of rows it starts (rows of two or more charts one under the other, such as
   four maps). When the page stacks the numbers and claims above the figure instead of beside
   it, they alone would fill a projector: the main figure then has the second screen;
2. each further row of figures (a grid of rows again counts as one); the numbers and claims of
   a second experiment on the page;
3. each derivation; each ``extra`` (a drawing pad, a walk through the code space); then the
   settings; then the folded notes and the learning boxes, a few per screen.

Only the current screen's parts are shown: the others are hidden with CSS, so every widget
keeps its state. Elements a page draws itself, with no helper (a caption, an info box, the
training progress), go with the helper part just above them; those above the first part, except
the title, are left out, and so are those after the second one that follows a part (a
long list the page draws itself would not fit). ``?screen=N`` opens screen N (1-based); the pager steps through the
screens, then on to the next page. Normal mode is untouched: ``part`` is then a no-op.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import streamlit as st

ORDER = ("result", "claims", "figure", "derivation", "settings", "extra", "note")
_PARTS, _SCREEN, _PAGE, _COUNT, _GO = "deck.parts", "deck.screen", "deck.page", "deck.count", "deck.go"
_INSIDE = "deck.inside"
NOTES_PER_SCREEN = 3  # folded explanations, learning boxes (with the equations between them)
LAST = -1  # "the last screen": where ← from the next page lands


@dataclass
class Part:
    kind: str  # one of ORDER
    row: int  # index of the page's top-level element that holds it (a row of columns, or itself)
    nested: bool = False  # drawn inside a column, an expander or a container, not at the top
    captioned: bool = False  # a figure with its sentence under it


def _key(i: int) -> str:
    return f"deck-p{i}"


@contextlib.contextmanager
def part(kind: str) -> Iterator[Part | None]:
    """Everything drawn inside belongs to one ``kind`` of part (a no-op outside presenter mode,
    where it yields None)."""
    parts = st.session_state.get(_PARTS)
    if parts is None or st.session_state.get(_INSIDE):
        yield None  # normal mode (no ``begin``), a fragment's rerun, or inside another part (its own)
        return
    box = st.container(key=_key(len(parts)))
    path = box._cursor.delta_path if box._cursor is not None else [0, len(parts)]
    new = Part(kind, path[1] if len(path) > 1 else 0, nested=len(path) > 3)  # [root, row, ..., index]
    parts.append(new)
    st.session_state[_INSIDE] = True
    try:
        with box:
            yield new
    finally:
        st.session_state[_INSIDE] = False


def tagged(kind: str) -> Callable:
    """A page helper whose whole output is one ``kind`` of part."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def drawn(*args: Any, **kwargs: Any) -> Any:
            with part(kind):
                return fn(*args, **kwargs)

        return drawn

    return wrap


def _grid(parts: list[Part], start: int) -> set[int]:
    """The rows of figures from ``start``'s row on: one row, or consecutive rows of ≥ 2 figures
    with no caption (a grid of maps; captioned charts need a screen per row)."""
    per_row: dict[int, int] = {}
    for p in parts:
        if p.kind == "figure":
            per_row[p.row] = per_row.get(p.row, 0) + (1 if not p.captioned else -99)
    rows, row = {parts[start].row}, parts[start].row
    while per_row.get(row, 0) >= 2 and per_row.get(row + 1, 0) >= 2:
        row += 1
        rows.add(row)
    return rows


def _results(parts: list[Part]) -> list[list[int]]:
    """The numbers and claims, in groups that each end with a claims box (a page may have several)."""
    groups: list[list[int]] = [[]]
    for i, p in enumerate(parts):
        if p.kind in ("result", "claims"):
            groups[-1].append(i)
            if p.kind == "claims":
                groups.append([])
    return [g for g in groups if g]


def plan(parts: list[Part]) -> list[list[int]]:
    """The page's screens: lists of part indices (see the module's docstring)."""
    screens: list[list[int]] = []
    figures = [i for i, p in enumerate(parts) if p.kind == "figure"]
    results = _results(parts)
    result = results.pop(0) if results else []
    settings = [i for i, p in enumerate(parts) if p.kind == "settings"]
    after = [i for i in figures if not settings or i > settings[0]] or figures  # the run's, not an illustration's
    main = [i for i in figures if after and parts[i].row in _grid(parts, after[0])]
    if result and not {parts[i].row for i in main} & {parts[i].row for i in result}:
        screens.append(result)  # claims stacked under the numbers: the figure has the next screen
        result = []
    taken = set(screens[0]) if screens else set()
    for i in main + [j for j in figures if j not in main]:
        if i not in taken:
            group = [j for j in figures if parts[j].row in _grid(parts, i) and j not in taken]
            group += result
            result = []
            screens.append(sorted(group))
            taken.update(group)
    screens += [result] if result else []
    screens += results  # a second experiment's numbers and claims
    screens += [[i] for i, p in enumerate(parts) if p.kind == "derivation"]
    screens += [[i] for i, p in enumerate(parts) if p.kind == "extra"]
    settings = [i for i, p in enumerate(parts) if p.kind == "settings"]
    notes = [i for i, p in enumerate(parts) if p.kind == "note"]
    screens += [settings] if settings else []
    screens += [notes[i : i + NOTES_PER_SCREEN] for i in range(0, len(notes), NOTES_PER_SCREEN)]
    return screens


def _step(delta: int) -> None:
    """The pager's ← / → (a callback, run before the script): the next or previous screen, or a
    note for ``begin`` to change page."""
    screen, count = st.session_state.get(_SCREEN, 0), st.session_state.get(_COUNT, 1)
    target = screen + delta
    if 0 <= target < count:
        st.session_state[_SCREEN] = target
    else:
        st.session_state[_GO] = delta


def begin(url: str) -> int:
    """Before the page runs: which screen to show (0-based, or ``LAST``), a fresh part list;
    returns -1 / +1 when the pager asked for the previous / next page instead."""
    st.session_state[_PARTS], st.session_state[_INSIDE] = [], False
    go = st.session_state.pop(_GO, 0)
    if go:
        st.session_state[_SCREEN] = LAST if go < 0 else 0
        return go
    if st.session_state.get(_PAGE) != url:  # arrived on this page: a link's ?screen=N, else the first
        st.session_state[_PAGE] = url
        asked = st.query_params.get("screen", "")
        moved_back = st.session_state.get(_SCREEN) == LAST
        st.session_state[_SCREEN] = LAST if moved_back else int(asked) - 1 if asked.isdigit() and asked != "0" else 0
    return 0


def _css(parts: list[Part], shown: list[int]) -> str:
    """Hide every part but ``shown``, and the page's own elements that do not follow one of them."""
    main = ".stMainBlockContainer > [data-testid='stVerticalBlock']"
    cur = ", ".join(f".st-key-{_key(i)}" for i in shown)
    tagged = "[class*='st-key-deck-p']"
    cur_top = f":is({cur}, :has({cur}))"
    any_top = f":is({tagged}, :has({tagged}))"
    other_top = f":is({any_top}):not({cur_top})"
    keep = ":has(> .st-key-deck-bar), [data-testid='stElementContainer']:has(h1)"
    rules = [
        f"{main} > {other_top} {{ display: none !important; }}",
        f"{main} > :not({any_top}):not({keep}):not({cur_top} + *):not({cur_top} + :not({any_top}) + *)"
        " { display: none !important; }",
    ]
    result = ", ".join(f".st-key-{_key(i)}" for i in shown if parts[i].kind in ("result", "claims"))
    if result:  # numbers and claims in a narrow column beside the figure: a column as wide as the figure's
        row = f"[data-testid='stHorizontalBlock']:has(> [data-testid='stColumn'] :is({result}))"
        rules.append(f"{row} > [data-testid='stColumn'] {{ flex: 1 1 0 !important; width: auto !important; }}")
    others = ", ".join(f".st-key-{_key(i)}" for i in range(len(parts)) if i not in shown)
    if others:
        rules.append(f"[data-testid='stLayoutWrapper']:has(> :is({others})) {{ display: none !important; }}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def off() -> None:
    """Not presenting: the helpers draw as usual (a run cut short may have left a part list)."""
    st.session_state.pop(_PARTS, None)


def finish() -> tuple[int, int]:
    """After the page ran: show only the current screen; returns (screen, count), 0-based."""
    parts = st.session_state.pop(_PARTS, None)
    if not parts:
        st.session_state[_COUNT] = 1
        return 0, 1
    screens = plan(parts)
    screen = st.session_state.get(_SCREEN, 0)
    screen = len(screens) - 1 if screen == LAST else min(max(screen, 0), len(screens) - 1)
    st.session_state[_SCREEN], st.session_state[_COUNT] = screen, len(screens)
    st.query_params["screen"] = str(screen + 1)  # a link to this screen
    st.html(_css(parts, screens[screen]))
    return screen, len(screens)


def forward() -> None:
    _step(+1)


def back() -> None:
    _step(-1)
