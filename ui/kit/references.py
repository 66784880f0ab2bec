"""Sources under every lesson, and the pieces of the References page.

``sources(lesson)`` is the one call a page makes: a single line "Sources: Oja 1982 · …" that
opens the References page. The rest draws that page from ``aecore.references`` (the
registry), ``assets/locales/glossary.toml`` (the EN ↔ PT ↔ ES terms) and the catalogs.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

import streamlit as st

from aecore.references import BEYOND, MATERIAL, Reference, for_lesson, material_for, references
from ui.kit import deck
from ui.kit.i18n import LOCALES, t
from ui.shell.nav import PAGES

REFERENCES_PAGE = "lessons/11_references.py"
GLOSSARY = LOCALES / "glossary.toml"


@deck.tagged("note")
def sources(lesson: str) -> None:
    """One line naming the works ``lesson`` rests on; it opens the References page. A lesson
    that teaches something the lecture does not says so under it ("beyond the lecture")."""
    refs = for_lesson(lesson)
    material = material_for(lesson)
    if material:
        names = " · ".join(t(f"references.material_row.{m}.short") for m in material)
        st.page_link(REFERENCES_PAGE, label=t("references.followed", names=names), icon=":material/school:")
    if refs:
        names = " · ".join(r.short for r in refs)
        st.page_link(REFERENCES_PAGE, label=t("references.sources", names=names), icon=":material/menu_book:")
    beyond = [t(f"references.beyond.{topic}") for topic, (lessons, _) in BEYOND.items() if lesson in lessons]
    if beyond:
        st.caption(t("references.beyond_line", topics="; ".join(beyond)))


def table(rows: list[dict[str, str]]) -> None:
    """Rows as a Markdown table: it wraps long cells and never scrolls, unlike a data frame."""
    if not rows:
        return
    cell = lambda v: str(v).replace("|", "\\|")  # noqa: E731
    head = list(rows[0])
    lines = ["| " + " | ".join(map(cell, head)) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(r[h]) for h in head) + " |" for r in rows]
    st.markdown("\n".join(lines))


def page_title(slug: str) -> str:
    """A page's navigation title ("2 · Linear autoencoder = PCA"), or the slug if unknown."""
    for spec in PAGES:
        if spec.url_path == slug:
            return t(spec.title_key)
    return slug


def entry(ref: Reference) -> str:
    """One bibliography entry in Markdown: authors (year). *Title*. Venue. Link."""
    authors = ", ".join(ref.authors)
    link = f" [{t('references.link')}]({ref.link})" if ref.link else ""
    return f"{authors} ({ref.year}). *{ref.title}*. {ref.venue}.{link}"


def source_label(source: str) -> str:
    """Where the lecture cites a work, in the reader's language: "slides [5]", "taught in the
    notes", or "beyond the lecture" for a work only the app cites (registry value "app")."""
    if source == "notes":
        return t("references.cited_notes")
    if source == "app":
        return t("references.cited_app")
    return source.replace("slides", t("references.slides"))


def bibliography(in_lecture: bool) -> None:
    """The lecture's works (with the slides' numbers) or the app's, each with its uses."""
    for ref in references().values():
        if ref.in_lecture != in_lecture:
            continue
        where = source_label(ref.source)
        with st.container(border=True):
            st.markdown(f"**{ref.short}** · {where}  \n{entry(ref)}")
            pages = ", ".join(page_title(s) for s in ref.lessons if any(p.url_path == s for p in PAGES))
            st.caption(t(f"references.use.{ref.key}") + (f" — {pages}" if pages else ""))


def material_rows() -> list[dict[str, str]]:
    """The course material: name, language, what it covers and the pages that follow it."""
    cols = {c: t(f"references.col.{c}") for c in ("material", "language", "covers", "lesson")}
    number = lambda slug: page_title(slug).split(" · ")[0]  # noqa: E731
    return [
        {
            cols["material"]: t(f"references.material_row.{key}.name"),
            cols["language"]: t(f"references.material_row.{key}.language"),
            cols["covers"]: t(f"references.material_row.{key}.covers"),
            cols["lesson"]: ", ".join(number(s) for s in slugs),
        }
        for key, slugs in MATERIAL.items()
    ]


def by_lesson_rows() -> list[dict[str, str]]:
    """Lesson → its sources, in the navigation's order (pages with none are left out)."""
    rows = []
    for spec in PAGES:
        refs = for_lesson(spec.url_path)
        if refs:
            rows.append(
                {
                    t("references.col.lesson"): t(spec.title_key),
                    t("references.col.sources"): " · ".join(r.short for r in refs),
                }
            )
    return rows


def beyond_rows() -> list[dict[str, str]]:
    """What the app adds beyond the lecture: topic, where, from which works."""
    refs = references()
    return [
        {
            t("references.col.topic"): t(f"references.beyond.{topic}"),
            t("references.col.lesson"): ", ".join(page_title(s) for s in lessons),
            t("references.col.sources"): " · ".join(refs[k].short for k in keys),
        }
        for topic, (lessons, keys) in BEYOND.items()
    ]


@lru_cache(maxsize=1)
def _glossary() -> list[dict[str, str]]:
    with GLOSSARY.open("rb") as fh:
        return tomllib.load(fh)["term"]


def glossary_rows() -> list[dict[str, str]]:
    """The glossary's terms, one row per term: English, Portuguese (slides), Spanish (notes)."""
    cols = {lang: t(f"references.col.{lang}") for lang in ("en", "pt", "es")}
    return [{cols[lang]: term[lang] for lang in cols} for term in _glossary()]


NOTATION = (  # (key, this app, the slides, the study notes (002, 004: which note)): the symbols as LaTeX
    ("encoder", r"f_\theta", r"f_\theta", r"f_\phi\ (002)"),
    ("decoder", r"g_\phi", r"g_\phi", r"g_\theta\ (002)"),
    ("code", r"h \text{ or } z", r"h", r"z"),
    ("posterior", r"q_\phi(z\mid x)", r"\text{—}", r"q_\phi(z\mid x)\ (002),\ q_\theta(z\mid x)\ (004)"),
    ("likelihood", r"p_\theta(x\mid z)", r"\text{—}", r"p_\theta(x\mid z)"),
    ("corruption", r"C(\tilde x\mid x)", r"C(\tilde x\mid x)", r"\text{—}"),
    ("reconstruction", r"\hat x", r"x' = g_\phi(f_\theta(x))", r"\hat x"),
)


def notation_table() -> None:
    """The symbols side by side; the letters swap between the slides and the notes."""
    head = " | ".join(t(f"references.col.{c}") for c in ("symbol", "app", "slides", "notes"))
    lines = [f"| {head} |", "|---|---|---|---|"]
    for key, app, slides, notes in NOTATION:
        lines.append(f"| {t(f'references.notation.{key}')} | ${app}$ | ${slides}$ | ${notes}$ |")
    st.markdown("\n".join(lines))


ERRATA = (  # catalog keys references.errata.<key>, in the order of the material
    "s2_linear",
    "s2_oja",
    "s3_relaxation",
    "s6_loss",
    "s8_authors",
    "n2_px",
    "n3_frobenius",
    "n4_sign",
    "n4_loss",
    "n4_isotropic",
    "n4_same",
)


def errata_box() -> None:
    """The slips in the slides and notes that the app silently corrects."""
    with st.container(border=True):
        st.markdown(f"**{t('references.errata_title')}**")
        st.markdown("\n".join(f"- {t(f'references.errata.{key}')}" for key in ERRATA))
