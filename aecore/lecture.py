"""The lecture and its plan: every section of the slides and notes, and the path a class
walks through the pages.

Plain data: ``aecore/lecture.toml`` (the documents, each with its sections in order and a
short English title per topic) and ``aecore/plan.toml`` (rows in class order: the page, the
preset view, the minutes, the short path, the sections each row teaches). ``problems`` says
what is wrong with a plan: a section taught twice or never, a document's order broken, a
row that teaches nothing, a total over its budget.

Example
-------
>>> from aecore import lecture
>>> lecture.sections()[0].id, lecture.sections()[0].title
('000:1.1', 'Introdução')
>>> p = lecture.plan()
>>> p.total <= p.minutes and p.short_total <= p.short_minutes
True
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent
LECTURE, PLAN = HERE / "lecture.toml", HERE / "plan.toml"


@dataclass(frozen=True)
class Section:
    source: str  # the document's id ("000")
    n: str  # "3.5" in a slide deck (part 3, its 5th frame), "4" in the notes
    title: str  # as the document writes it
    topic: str  # key of its short title (lecture.toml [topics], catalogs plan.topic.<topic>)
    part: str = ""  # the deck's part title ("" in the notes)

    @property
    def id(self) -> str:
        return f"{self.source}:{self.n}"


@dataclass(frozen=True)
class Source:
    id: str
    file: str
    kind: str  # "slides" or "notes"
    lang: str
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Row:
    id: str
    page: str  # page slug (ui/shell/nav.py)
    minutes: int
    sections: tuple[str, ...]  # section ids
    short: bool = False  # on the short path
    view: tuple[tuple[str, object], ...] = ()  # settings of a preset view, as (name, value)
    experiment: str = ""  # whose settings ``view`` holds
    prefix: str = ""  # the URL prefix of that page form's settings


@dataclass(frozen=True)
class Plan:
    rows: tuple[Row, ...]
    minutes: int  # the whole path's budget
    short_minutes: int  # the short path's budget

    @property
    def total(self) -> int:
        return sum(r.minutes for r in self.rows)

    @property
    def short_total(self) -> int:
        return sum(r.minutes for r in self.rows if r.short)


def _read(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def sources() -> tuple[Source, ...]:
    """The lecture's documents in order, each with its sections."""
    out = []
    for s in _read(LECTURE)["source"]:
        parts = s["parts"]
        secs = tuple(
            Section(s["id"], x["n"], x["title"], x["topic"], parts.get(x["n"].partition(".")[0], ""))
            for x in s["sections"]
        )
        out.append(Source(s["id"], s["file"], s["kind"], s["lang"], s["title"], secs))
    return tuple(out)


def sections() -> list[Section]:
    """Every section of every document, documents in order, each in its document's order."""
    return [sec for src in sources() for sec in src.sections]


@lru_cache(maxsize=1)
def topics() -> dict[str, str]:
    """topic -> short English title."""
    return dict(_read(LECTURE)["topics"])


def parse_plan(raw: dict) -> Plan:
    rows = tuple(
        Row(
            r["id"],
            r["page"],
            int(r["minutes"]),
            tuple(r["sections"]),
            bool(r.get("short", False)),
            tuple(r.get("view", {}).items()),
            r.get("experiment", ""),
            r.get("prefix", ""),
        )
        for r in raw["row"]
    )
    return Plan(rows, int(raw["minutes"]), int(raw["short_minutes"]))


@lru_cache(maxsize=1)
def plan() -> Plan:
    """The lecture plan of ``aecore/plan.toml``."""
    return parse_plan(_read(PLAN))


def row_of(p: Plan) -> dict[str, int]:
    """section id -> the index of the row that teaches it (the first, if several do)."""
    out: dict[str, int] = {}
    for i, row in enumerate(p.rows):
        for sid in row.sections:
            out.setdefault(sid, i)
    return out


def problems(p: Plan, secs: list[Section] | None = None) -> list[str]:
    """What is wrong with plan ``p`` against the lecture's sections ``secs`` (all by
    default): every section in exactly one row, rows that keep each document's order, no
    empty row, no repeated row id, totals within their budgets. [] when nothing is."""
    secs = sections() if secs is None else secs
    known = {s.id for s in secs}
    taught = [sid for row in p.rows for sid in row.sections]
    out = [f"{sid}: in no row" for sid in sorted(known - set(taught))]
    out += [f"{sid}: not a section of the lecture" for sid in sorted(set(taught) - known)]
    out += [f"{sid}: in {taught.count(sid)} rows" for sid in sorted(set(taught)) if taught.count(sid) > 1]
    out += [f"row {r.id}: teaches no section" for r in p.rows if not r.sections]
    ids = [r.id for r in p.rows]
    out += [f"row {i}: used {ids.count(i)} times" for i in sorted(set(ids)) if ids.count(i) > 1]
    where = row_of(p)
    last: dict[str, tuple[int, str]] = {}  # document -> (row index, section id) of its last section
    for sec in secs:  # in each document's order
        if sec.id not in where:
            continue
        i = where[sec.id]
        before = last.get(sec.source)
        if before is not None and i < before[0]:
            out.append(f"{sec.id}: taught before {before[1]}, which comes first in {sec.source}")
        last[sec.source] = (i, sec.id)
    if p.total > p.minutes:
        out.append(f"the path takes {p.total} min, over its {p.minutes}")
    if p.short_total > p.short_minutes:
        out.append(f"the short path takes {p.short_total} min, over its {p.short_minutes}")
    return out
