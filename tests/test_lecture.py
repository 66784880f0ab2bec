"""The lecture's sections and the plan: every section of the slides and notes in exactly one
step of the plan, each document's order kept, totals computed within their budgets, every
step's link opening a page with a shipped preset view, texts in every language."""

from __future__ import annotations

import dataclasses
import tomllib
from urllib.parse import parse_qsl, urlsplit

import pytest

from aecore import lecture, presets
from aecore.config import parse_value
from aecore.experiments import registry
from lessons.parts.plan import link
from ui.kit.i18n import catalog, translate
from ui.shell.nav import PAGES

LANGS = ("en", "pt", "es")
# The parts of each slide deck as its table of contents lists them (transcribed from the decks).
DECK_PARTS = {
    "000": [
        "Motivação",
        "Formulação Matemática",
        "Undercomplete Autoencoders com redes neurais",
        "Considerações sobre Arquitetura",
        "Autoencoders com regularização",
        "Encoders and Decoders Estocásticos",
        "Aplicações",
        "Referências Bibliográficas",
        "Anexos",
    ],
    "001": [
        "Motivação",
        "Formulação Matemática",
        "Undercomplete Autoencoders com redes neurais",
        "Considerações sobre Arquitetura",
        "Autoencoders com regularização",
        "Denoising Autoencoders (DAE)",
        "Referências Bibliográficas",
        "Anexos",
    ],
}


def _raw_plan() -> dict:
    with lecture.PLAN.open("rb") as fh:
        return tomllib.load(fh)


def test_five_documents_with_every_part_of_each_deck_and_consecutive_numbers():
    srcs = {s.id: s for s in lecture.sources()}
    assert list(srcs) == ["000", "001", "002", "003", "004"]
    assert [s.kind for s in srcs.values()] == ["slides", "slides", "notes", "notes", "notes"]
    for deck, parts in DECK_PARTS.items():
        secs = srcs[deck].sections
        assert list(dict.fromkeys(s.part for s in secs)) == parts, deck  # every part, in order
        for part in range(1, len(parts) + 1):
            ranks = [int(s.n.split(".")[1]) for s in secs if s.n.split(".")[0] == str(part)]
            assert ranks == list(range(1, len(ranks) + 1)), (deck, part)
    for note in ("002", "003", "004"):
        assert [s.n for s in srcs[note].sections] == [str(i) for i in range(1, len(srcs[note].sections) + 1)]
        assert all(s.part == "" for s in srcs[note].sections)
    ids = [s.id for s in lecture.sections()]
    assert len(ids) == len(set(ids)) and all(s.title for s in lecture.sections())


def test_every_topic_has_a_title_in_every_language_and_english_is_the_data():
    topics = lecture.topics()
    assert {s.topic for s in lecture.sections()} == set(topics)
    for lang in LANGS:
        missing = [t for t in topics if f"plan.topic.{t}" not in catalog(lang)]
        assert not missing, (lang, missing)
    assert {t: translate(f"plan.topic.{t}", "en") for t in topics} == topics


def test_each_section_is_in_exactly_one_step_in_its_documents_order():
    p = lecture.plan()
    assert lecture.problems(p) == []
    where = lecture.row_of(p)
    assert set(where) == {s.id for s in lecture.sections()}
    for src in lecture.sources():
        rows = [where[s.id] for s in src.sections]
        assert rows == sorted(rows), src.id


def _broken(edit) -> list[str]:
    raw = _raw_plan()
    edit(raw["row"])
    return lecture.problems(lecture.parse_plan(raw))


def test_problems_catch_a_missing_a_repeated_an_unknown_and_a_misplaced_section():
    assert any("003:11: in no row" == m for m in _broken(lambda rows: rows[-7]["sections"].remove("003:11")))
    assert any("000:1.3: in 2 rows" == m for m in _broken(lambda rows: rows[0]["sections"].append("000:1.3")))
    assert any("not a section" in m for m in _broken(lambda rows: rows[0]["sections"].append("000:3.11")))

    def swap(rows):  # the PCA step after the capacity step: both decks' order broken
        i, j = [r["id"] for r in rows].index("linear"), [r["id"] for r in rows].index("memorise")
        rows[i], rows[j] = rows[j], rows[i]

    assert any("taught before" in m for m in _broken(swap))
    assert any("teaches no section" in m for m in _broken(lambda rows: rows.append({**rows[0], "sections": []})))


def test_totals_are_the_rows_minutes_and_fit_the_budgets_of_the_data():
    raw, p = _raw_plan(), lecture.plan()
    assert (p.minutes, p.short_minutes) == (raw["minutes"], raw["short_minutes"]) == (90, 45)
    assert p.total == sum(r["minutes"] for r in raw["row"]) <= p.minutes
    assert p.short_total == sum(r["minutes"] for r in raw["row"] if r.get("short")) <= p.short_minutes
    assert 0 < p.short_total < p.total and all(r.minutes > 0 for r in p.rows)
    assert any("over its 90" in m for m in _broken(lambda rows: rows[0].update(minutes=rows[0]["minutes"] + 1)))
    assert any("short path takes" in m for m in _broken(lambda rows: rows[0].update(short=True)))


def test_every_step_has_its_texts_and_a_page():
    slugs = {p.url_path for p in PAGES}
    for row in lecture.plan().rows:
        assert row.page in slugs, row.id
        for lang in LANGS:
            for part in ("title", "point", "ask"):
                assert f"plan.row.{row.id}.{part}" in catalog(lang), (lang, row.id, part)


@pytest.mark.parametrize("lang", LANGS)
def test_links_open_the_page_in_presenter_mode_with_a_shipped_preset_view(lang):
    urls = {p.url_path: p.url for p in PAGES}
    for row in lecture.plan().rows:
        parts = urlsplit(link(row, lang))
        query = dict(parse_qsl(parts.query))
        assert parts.path == f"./{urls[row.page]}", row.id
        assert query.pop("present") == "1" and query.pop("lang") == lang, row.id
        if not row.view:
            assert query == {}, row.id
            continue
        exp = registry()[row.experiment]
        default = exp.config_cls()
        settings = {
            k[len(row.prefix) :]: parse_value(k[len(row.prefix) :], v, getattr(default, k[len(row.prefix) :]))
            for k, v in query.items()
        }
        cfg = dataclasses.replace(default, **settings)  # what the page's form reads from the link
        assert settings in [dict(v) for v in exp.views], row.id
        assert presets.path_for(row.experiment, cfg).is_file(), f"{row.id}: no preset for its view"
        for name in settings:
            assert f"{row.page}.knob.{name}" in catalog(lang), (row.id, name)


def test_default_views_of_the_steps_pages_are_shipped():
    """A step without a view opens its page's default view: its experiments' presets exist."""
    from lessons.parts.handout import CLAIMS

    for row in lecture.plan().rows:
        for _, experiment, _ in CLAIMS.get(row.page, ()):
            assert presets.path_for(experiment, registry()[experiment].config_cls()).is_file(), row.id
