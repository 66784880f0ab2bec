"""AppTest of the References page, and of the Sources line a lesson page shows."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page
from ui.kit.i18n import translate

pytestmark = pytest.mark.usefixtures("clean_app_state")


@pytest.mark.parametrize("lang", ["en", "pt", "es"])
def test_references_page_lists_the_slides_works_glossary_and_errata(lang):
    at = open_page("lessons/11_references.py")
    if lang != "en":
        at.session_state["lang"] = lang
        at.run()
    no_errors(at)
    text = "\n".join(m.value for m in at.markdown)
    for needle in ("Ronneberger", "Stevens", "Kingma", "características", "el posterior", "C(\\tilde x"):
        assert needle in text, needle
    assert len([m for m in at.markdown if "Note 004" in m.value or "Nota 004" in m.value]) == 1
    # a work only the app cites is labelled in the reader's language, not with the registry's "app"
    beyond = {"en": "beyond the lecture", "pt": "além da aula", "es": "más allá de la clase"}[lang]
    assert any(m.value.startswith("**Baldi & Hornik 1989** · " + beyond) for m in at.markdown)
    assert not any("· app" in m.value for m in at.markdown)


def test_annex_ends_with_its_sources():
    at = open_page("lessons/10_annex.py")
    no_errors(at)
    links = [el.proto.label for el in at.get("page_link")]
    assert any("Cover & Thomas 2006" in label for label in links), links


def test_a_page_with_topics_beyond_the_lecture_says_so():
    """The label comes with the Sources line, drawn while the page's first run still trains."""
    at = open_page("lessons/09b_anomaly.py")
    no_errors(at)
    assert any(c.value.startswith(":material/explore: Beyond the lecture: Anomaly detection") for c in at.caption)
    at = open_page("lessons/10_annex.py")
    assert not any("Beyond the lecture" in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_a_page_names_its_course_material_in_words_and_links_to_the_table(lang):
    """The annex follows the lecture slides: its foot says so in words (no file number) and
    opens the References page, whose table lists every material with its language."""
    from aecore.references import MATERIAL

    at = open_page("lessons/10_annex.py", params={"lang": lang})
    no_errors(at)
    links = {el.proto.label: el.proto.page for el in at.get("page_link")}
    slides = translate("references.material_row.slides.short", lang)
    followed = [label for label in links if slides in label]
    assert followed and not any(ch.isdigit() for ch in followed[0]), links
    assert links[followed[0]].endswith("references")
    at = open_page("lessons/11_references.py", params={"lang": lang})
    text = " ".join(m.value for m in at.markdown)
    for key in MATERIAL:
        assert translate(f"references.material_row.{key}.name", lang) in text
        assert translate(f"references.material_row.{key}.covers", lang) in text
