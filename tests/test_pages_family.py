"""AppTest of the family page (8c) and of the seed figures on lessons 3, 5, 6 and 9a."""

from __future__ import annotations

import re

import pytest

from aecore.experiments import get
from aecore.experiments.family_claims import MEMBERS
from tests.apptest_utils import is_training, no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit
from ui.kit.i18n import translate

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _chart_keys(at) -> set[str]:
    return {el.proto.id for el in at.get("plotly_chart")}


def test_family_page_tiny_training_shows_the_table_figure_and_claims():
    at = open_page("lessons/08c_family.py")
    no_errors(at)
    _submit(at, "family", epochs=1, latent_dim=2)
    wait_until_trained(at)
    no_errors(at)
    assert len(at.dataframe) == 2, "the table, in two halves"
    frames = [df.value for df in at.dataframe]
    assert all(len(frame) == 5 for frame in frames)
    assert translate("family.col.jacobian", "en") in map(str, frames[0].columns)
    assert translate("family.col.active", "en") in map(str, frames[1].columns)
    assert "family.figure" in " ".join(_chart_keys(at))
    text = " ".join(md.value for md in at.markdown)
    assert "What the numbers show" in text and "Measured, not claimed" in text
    assert any("Highlighted" in c.value for c in at.caption)


def test_the_family_table_s_halves_hold_every_column_once_and_fit():
    """Every measured column sits in exactly one half, and each half's headers and cells fit a
    1280 px screen's main column beside the sidebar (header or number, 6 characters, per column)."""
    from aecore.experiments.family_claims import COLUMNS
    from lessons.parts.family import HALVES

    halves = [key for keys in HALVES.values() for key in keys]
    assert sorted(halves) == sorted(key for key, _, _ in COLUMNS)
    for lang in ("en", "pt", "es"):
        member = max(len(translate(f"family.member.{m}", lang)) for m in MEMBERS)
        for keys in HALVES.values():
            width = member + sum(max(len(translate(f"family.col.{k}", lang)), 6) for k in keys)
            assert width <= 122, f"{lang}: {keys} need {width} characters"


def test_sparse_page_draws_the_active_paths_of_one_input():
    at = open_page("lessons/05_sparse.py")
    _submit(at, "sparse", epochs=2, hidden=16)
    wait_until_trained(at)
    no_errors(at)
    assert "sparse.paths" in " ".join(_chart_keys(at))
    at.number_input(key="sparse.paths.i").set_value(7).run()  # another input: no training
    no_errors(at)
    assert any("units fire" in c.value for c in at.caption)


def test_latent_page_shows_the_manifold_picture_for_the_swiss_roll_only():
    at = open_page("lessons/03_latent.py")
    assert "latent.manifold" not in " ".join(_chart_keys(at))
    at.selectbox(key="dataset").set_value("swiss_roll").run()
    no_errors(at)
    assert "latent.manifold" in " ".join(_chart_keys(at))
    assert any("manifold" in md.value for md in at.markdown)


def test_contractive_page_frames_the_swiss_roll_as_a_manifold(monkeypatch):
    """Lesson 6 draws the swiss roll beside its unrolled sheet without training, and links to
    lesson 7's manifold text."""
    monkeypatch.setenv("AE_PRESETS", "1")
    at = open_page("lessons/06_contractive.py")
    no_errors(at)
    assert "contractive.manifold" in " ".join(_chart_keys(at))
    assert any(
        translate("contractive.manifold.summary", "en").split("{")[1].split("}")[1][:30] in c.value for c in at.caption
    )
    assert translate("contractive.manifold.link", "en") in [el.proto.label for el in at.get("page_link")]


def test_unet_page_draws_its_u():
    at = open_page("lessons/09a_unet.py")
    no_errors(at)
    assert "unet.u" in " ".join(_chart_keys(at))
    assert any("channels at full resolution" in c.value for c in at.caption)


def _prefix(key: str, lang: str) -> str:
    """A text's longest run of words between its numbers: what the page shows whatever the run."""
    return max(re.split(r"\{[^}]*\}", translate(key, lang)), key=len).strip()


@pytest.mark.parametrize("lang", ["en", "pt", "es"])
def test_family_page_opens_from_its_preset_in_every_language(monkeypatch, lang):
    """The default view needs no training: the preset's table, figure, claims and the
    sentences its numbers choose, all in the page's language."""
    monkeypatch.setenv("AE_PRESETS", "1")
    at = open_page("lessons/08c_family.py", params={"lang": lang})
    no_errors(at)
    assert not is_training(at)
    recon, codes = (df.value for df in at.dataframe)
    assert list(recon.index) == list(codes.index) == [translate(f"family.member.{m}", lang) for m in MEMBERS]
    assert translate("family.col.jacobian", lang) in recon.columns
    assert translate("family.col.coverage_prior", lang) in codes.columns
    frame = codes
    assert "family.figure" in " ".join(_chart_keys(at))
    text = " ".join(md.value for md in at.markdown)
    claims = get("family").claims
    assert sum(_prefix(f"family.claims.{c.key}", lang) in text for c in claims) == len(claims)
    shown = ("family.shown.fitted_vae", "family.shown.fitted_ae", "family.shown.least_dae", "family.shown.least_other")
    assert sum(_prefix(key, lang) in text for key in shown) == 2  # one of each pair, chosen by the numbers
    assert _prefix("family.measures", lang) in text
    if lang != "en":
        assert _prefix("family.measures", "en") not in text
        assert translate("family.col.active", "en") not in frame.columns
