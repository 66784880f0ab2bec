"""AppTest of the References page, and of the Sources line a lesson page shows."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page

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
