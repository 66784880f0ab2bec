"""The Lecture plan and Handout pages under AppTest: they render in every language, the plan's
totals come from its data, the handout prints the pages' own formulas and the claims the
shipped presets make, and a page that showed another copy of a formula would be caught."""

from __future__ import annotations

import ast
import dataclasses

import pytest

from aecore import lecture, presets
from aecore.experiments import registry
from lessons.parts import handout
from tests.apptest_utils import no_errors, open_page
from tests.code_scan import ROOT
from tests.i18n_scan import claim_boxes
from ui.kit.i18n import catalog, translate
from ui.kit.page import num
from ui.shell.nav import PAGES

PLAN, HANDOUT = "lessons/13_plan.py", "lessons/14_handout.py"
LANGS = ("en", "pt", "es")


@pytest.mark.parametrize("lang", LANGS)
def test_plan_page_lists_every_step_with_its_link_and_computed_totals(lang):
    at = open_page(PLAN, params={"lang": lang})
    no_errors(at)
    p = lecture.plan()
    metrics = [m.value for m in at.metric]
    assert translate("plan.of_budget", lang, total=p.total, budget=p.minutes) in metrics
    assert translate("plan.of_budget", lang, total=p.short_total, budget=p.short_minutes) in metrics
    text = "\n".join(m.value for m in at.markdown)
    for i, row in enumerate(p.rows, start=1):
        assert f"**{i}. {translate(f'plan.row.{row.id}.title', lang)}**" in text, row.id
        assert f"present=1&lang={lang}" in text
    at.toggle(key="plan.short").set_value(True).run()
    shown = "\n".join(m.value for m in at.markdown)
    for row in p.rows:
        assert (translate(f"plan.row.{row.id}.title", lang) in shown) == row.short, row.id


def test_plan_totals_follow_the_data_not_a_written_number(monkeypatch):
    """A plan with other minutes shows other totals; the texts themselves hold no total."""
    real = lecture.plan()
    rows = (dataclasses.replace(real.rows[0], minutes=real.rows[0].minutes + 7), *real.rows[1:])
    monkeypatch.setattr(lecture, "plan", lambda: dataclasses.replace(real, rows=rows, minutes=120))
    at = open_page(PLAN)
    no_errors(at)
    assert translate("plan.of_budget", "en", total=real.total + 7, budget=120) in [m.value for m in at.metric]
    for lang in LANGS:
        for key in ("lead", "of_budget", "total", "short_total", "sections_value"):
            text = catalog(lang)[f"plan.{key}"]
            assert str(real.total) not in text and str(real.short_total) not in text, (lang, key)


@pytest.mark.parametrize("lang", LANGS)
def test_handout_shows_every_formula_and_every_claim_of_the_shipped_presets(lang):
    at = open_page(HANDOUT, params={"lang": lang})
    no_errors(at)
    shown = [el.value.strip("$\n") for el in at.latex]  # AppTest reads st.latex as "$$\n...\n$$"
    wanted = [x for refs in handout.FORMULAS.values() for ref in refs for x in handout.latex_of(ref)]
    assert shown == wanted
    lines = "\n".join(m.value for m in at.markdown)
    for boxes in handout.CLAIMS.values():
        for _, experiment, _ in boxes:
            exp = registry()[experiment]
            made = exp.check_claims(presets.shipped_metrics(experiment, exp.config_cls()))
            assert made, experiment
            assert lines.count(f"{handout.HOLDS} ") + lines.count(f"{handout.FAILS} ") >= len(made)
    md = handout.markdown(handout.blocks(lang), lang)
    assert all(x in md for x in wanted) and md.count("$$") == 2 * len(wanted)


def test_handout_verdicts_and_numbers_come_from_the_preset(monkeypatch):
    """Plant a worse linear autoencoder in the pca preset: its claim prints ✘ with that number."""
    real = presets.shipped_metrics

    def planted(name, cfg):
        m = real(name, cfg)
        return m if name != "pca" else {**m, "linear_ae_mse": m["pca_mse"] * 1.5}

    monkeypatch.setattr(handout, "shipped_metrics", planted)
    part = handout.claims_part("pca", "pca", 4, "en")
    line = next(x for x in part.lines if x.startswith(handout.FAILS))
    assert translate("claim.fails", "en") in line
    assert num(real("pca", registry()["pca"].config_cls())["pca_mse"] * 1.5) in line  # the planted number


def test_handout_claims_are_the_claims_boxes_of_the_pages():
    """The handout's table names every claims box of every page, with the page's digits."""
    boxes = {(prefix, exp) for page in handout.CLAIMS.values() for prefix, exp, _ in page}
    assert set(claim_boxes()) <= boxes  # those the scanner resolves
    for spec in PAGES:
        source = (ROOT / spec.path).read_text(encoding="utf-8")
        calls = [
            c
            for c in ast.walk(ast.parse(source))
            if isinstance(c, ast.Call) and getattr(c.func, "id", "") == "claims_box"
        ]
        wanted = handout.CLAIMS.get(spec.url_path, ())
        assert len(calls) == len(wanted), spec.path
        for call, (_, _, digits) in zip(calls, wanted):
            extra = call.args[3:] if len(call.args) > 3 else []
            page_digits = extra[0].args[1].value if extra and len(extra[0].args) > 1 else 4  # fmt(m, 3) or fmt(m)
            assert page_digits == digits, spec.path


def _names_used(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return used | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def _parts_imported(path) -> list:
    """The page-part modules (lessons/parts/*.py) a page imports, but the formulas' own home."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "lessons.parts":
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lessons.parts."):
            found.append(node.module.rsplit(".", 1)[1])
    return [ROOT / "lessons" / "parts" / f"{m}.py" for m in found if m != "formulas"]


def test_pages_draw_the_handouts_formulas_from_the_same_constants():
    """Each page named in the handout uses each of its formulas' constants (in the page, or in
    a page part it imports), so a page that draws its own copy fails here."""
    files = {p.url_path: ROOT / p.path for p in PAGES}
    for page, refs in handout.FORMULAS.items():
        used = _names_used(files[page]).union(*(_names_used(p) for p in _parts_imported(files[page])))
        for ref in refs:
            assert ref.partition(".")[2] in used, f"{files[page].name} does not draw {ref}"


def test_the_drift_check_sees_a_page_with_its_own_copy(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(f"import streamlit as st\nst.latex(r'''{handout.latex_of('formulas.INTRO_LOSS')[0]}''')\n")
    assert "INTRO_LOSS" not in _names_used(page)
    page.write_text("import streamlit as st\nfrom lessons.parts import formulas\nst.latex(formulas.INTRO_LOSS)\n")
    assert "INTRO_LOSS" in _names_used(page)


@pytest.mark.parametrize("lang", LANGS)
def test_handout_opens_each_lesson_with_the_objectives_its_page_shows(lang):
    """The objectives are the exercises files' (one list for page and handout), every one of them."""
    from aecore import exercises

    at = open_page(HANDOUT, params={"lang": lang})
    no_errors(at)
    text = "\n".join(m.value for m in at.markdown)
    assert exercises.lessons()
    for lesson in exercises.lessons():
        for o in exercises.load(lesson).objectives:
            assert f"- {translate(f'learn.{lesson}.objective.{o}', lang)}" in text, (lesson, o)
    md = handout.markdown(handout.blocks(lang), lang)
    assert md.count(translate("teach.objectives", lang)) == len(exercises.lessons())


def test_handout_objectives_follow_the_exercises_files(monkeypatch):
    """A lesson without an exercises file has no objectives on the handout (none are written there)."""
    from aecore import exercises

    dropped = exercises.lessons()[0]
    kept = [x for x in exercises.lessons() if x != dropped]
    monkeypatch.setattr(exercises, "lessons", lambda: kept)
    blocks = {b.page: b for b in handout.blocks("en")}
    assert blocks[dropped].objectives == ()
    assert all(blocks[x].objectives for x in kept)
