"""The references registry and the References page: the slides' list complete, every work
used by a page, every topic beyond the lecture backed by a work, and one Sources line per page."""

from __future__ import annotations

import re

import pytest

from aecore.references import BEYOND, for_lesson, references
from ui.kit.i18n import catalog
from ui.shell.nav import PAGES

SLIDES = {  # the slides' reference list (§8): number -> first author's surname
    1: "Rumelhart",
    2: "Michelucci",
    3: "Tschannen",
    4: "Oja",
    5: "Stevens",
    6: "Goodfellow",
    7: "Vincent",
    8: "Hyvärinen",
    9: "Vincent",
    10: "Alain",
    11: "Ronneberger",
}

NO_SOURCES = ("references", "progress")  # pages that cite no work of their own


def test_the_slides_reference_list_is_complete_and_numbered_once():
    numbered = {}
    for ref in references().values():
        m = re.fullmatch(r"slides \[(\d+)\]", ref.source)
        if m:
            assert int(m.group(1)) not in numbered, ref.key
            numbered[int(m.group(1))] = ref.authors[0].split()[-1]
    assert numbered == SLIDES


def test_every_entry_is_complete_and_links_are_stable_addresses():
    for ref in references().values():
        assert ref.authors and ref.title and ref.venue and 1900 < ref.year < 2100, ref.key
        assert ref.source in ("notes", "app") or ref.source.startswith("slides ["), ref.key
        assert ref.link == "" or ref.link.startswith(("https://", "http://")), ref.key
        assert ref.lessons, f"{ref.key} is used by no lesson"
    assert references()["kingma2014"].source == "notes"  # the notes teach the VAE without citing it


@pytest.mark.parametrize("lang", ["en", "pt", "es"])
def test_every_work_and_topic_beyond_the_lecture_has_its_text(lang):
    cat = catalog(lang)
    assert all(f"references.use.{k}" in cat for k in references()), lang
    assert all(f"references.beyond.{k}" in cat for k in BEYOND), lang


def test_topics_beyond_the_lecture_rest_on_works_the_app_adds():
    refs = references()
    for topic, (lessons, keys) in BEYOND.items():
        assert lessons and keys, topic
        assert all(k in refs and not refs[k].in_lecture for k in keys), topic


def test_every_lesson_page_names_its_sources():
    """Each lesson page (not References itself, nor My progress, which teaches nothing) has at least one work."""
    missing = [p.url_path for p in PAGES if p.url_path not in NO_SOURCES and not for_lesson(p.url_path)]
    assert not missing, missing


def test_sources_put_the_lecture_first():
    refs = for_lesson("pca")
    assert refs[0].in_lecture and {"baldi1989", "eckart1936"} <= {r.key for r in refs}
    lecture = [r.in_lecture for r in refs]
    assert lecture == sorted(lecture, reverse=True)


def test_short_labels_keep_particles_and_count_authors():
    refs = references()
    assert refs["vandermaaten2008"].short == "van der Maaten & Hinton 2008"
    assert refs["oja1982"].short == "Oja 1982"
    assert refs["vincent2008"].short == "Vincent et al. 2008"


def test_every_page_shows_its_sources_line():
    """Each page but References and My progress ends with ``sources(<its slug>)`` (ui.kit.references)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    missing = []
    for page in PAGES:
        if page.url_path in NO_SOURCES:
            continue
        text = (root / page.path).read_text(encoding="utf-8")
        consts = dict(re.findall(r'^(\w+) = "(\w+)"$', text, flags=re.M))
        calls = re.findall(r'sources\((?:"(\w+)"|(\w+))\)', text)
        slugs = {lit or consts.get(name) for lit, name in calls}
        if page.url_path not in slugs:
            missing.append(page.path)
    assert not missing, missing
