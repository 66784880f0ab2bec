"""Words a student of any course can read, checked on every catalog (en, pt, es).

* Claim texts name quantities in words: no metric ids (``ae_mse``) and no "5-NN" shorthand
  outside their ``{placeholders}``.
* Gradient descent has one name per language, the glossary's; no other wording of it appears.
* A command line (``python -m …``) appears only in the lecturer's export panel (``export.*``).
* The course material is named in words: no bare file numbers such as "the notes (002)" on a
  page, every page that mentions the slides or the notes names its material at its foot
  (``aecore.references.MATERIAL``), and each material has a name, language and summary.
* No "thread(s)", and no "preajuste" / "predefinição" for a view prepared for class.
* Lesson 3's method table fits its column: headers and text cells stay within a character budget.

Each rule is a function of a locales folder, so it can be run on an older checkout's catalogs;
each has a test that plants the fault and sees the rule report it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from aecore.references import MATERIAL
from tests.i18n_scan import LOCALES, load_raw

LANGS = ("en", "pt", "es")
GLOSSARY = LOCALES / "glossary.toml"

# Every way of writing "gradient descent" in pt and es (the glossary picks one per language).
GRADIENT_DESCENT = {
    "pt": r"gradiente descendente|descida (?:de |do |por )?gradiente|descendente do gradiente|"
    r"método do gradiente|gradient descent",
    "es": r"descenso (?:por |de |del |de la )?gradiente|gradiente descendente|descenso de gradientes|"
    r"método del gradiente|gradient descent",
}
METRIC_ID = re.compile(r"`[^`]*`|\b[A-Za-z]\w*_\w+\b|\b\d+-NN\b")
FILE_NUMBER = re.compile(r"\b(?:notes?|notas?|apuntes|slides|diapositivas)\s*\(\s*00[0-4]|\(\s*00[0-4]\s*[/,)–-]", re.I)
MATERIAL_WORDS = re.compile(r"\bslides\b|\bnotes? 00[0-4]|\bstudy notes\b|\blecture notes\b|\bthe notes\b", re.I)
# Keys written for the lecturer of this course, who has the files: the lecture plan and the
# References page's table of the material.
LECTURER_KEYS = ("plan.", "references.", "handout.")
LATENT_TABLE_BUDGET = 92  # characters across the six columns of lesson 3's table (~730 px)


def _strip(text: str) -> str:
    """Text less its ``{placeholders}`` and LaTeX."""
    return re.sub(r"\$[^$]*\$", " ", re.sub(r"\{[^{}]*\}", " ", text))


def _texts(root: Path, lang: str) -> dict[str, str]:
    return {k: v for k, v in load_raw(lang, root).items() if isinstance(v, str)}


def metric_ids_in_claims(root: Path = LOCALES) -> list[str]:
    return [
        f"{lang} {key}: {found}"
        for lang in LANGS
        for key, text in _texts(root, lang).items()
        if ".claims." in f".{key}"
        for found in METRIC_ID.findall(_strip(text))
    ]


def gradient_descent_terms(root: Path = LOCALES) -> dict[str, set[str]]:
    """Language -> the wordings of gradient descent its catalogs use (lower case)."""
    return {
        lang: {m.lower() for text in _texts(root, lang).values() for m in re.findall(pat, text, re.I)}
        for lang, pat in GRADIENT_DESCENT.items()
    }


def glossary_gradient_descent() -> dict[str, str]:
    with GLOSSARY.open("rb") as fh:
        term = next(t for t in tomllib.load(fh)["term"] if t["en"] == "gradient descent")
    return {lang: term[lang].lower() for lang in GRADIENT_DESCENT}


def command_lines(root: Path = LOCALES) -> list[str]:
    return [
        f"{lang} {key}"
        for lang in LANGS
        for key, text in _texts(root, lang).items()
        if re.search(r"python3? -m|\baecore (?:presets|run|check|bench)\b", text) and not key.startswith("export.")
    ]


def bare_file_numbers(root: Path = LOCALES) -> list[str]:
    return [
        f"{lang} {key}: {m.group(0)!r}"
        for lang in LANGS
        for key, text in _texts(root, lang).items()
        if not key.startswith(LECTURER_KEYS)
        for m in FILE_NUMBER.finditer(text)
    ]


def material_unnamed(root: Path = LOCALES) -> list[str]:
    """Pages whose English texts mention the course's slides or notes but whose foot names no
    material, and materials without a name, language, summary or short name in a language."""
    en = _texts(root, "en")
    pages = {key.removeprefix("learn.").split(".")[0] for key, text in en.items() if MATERIAL_WORDS.search(text)}
    named = {slug for slugs in MATERIAL.values() for slug in slugs} | {"plan", "references", "handout", "teach"}
    bad = [f"page {p} mentions the course material but its foot names none" for p in sorted(pages - named)]
    for lang in LANGS:
        texts = _texts(root, lang)
        need = ["references.followed"]
        need += [f"references.material_row.{m}.{f}" for m in MATERIAL for f in ("name", "language", "covers", "short")]
        bad += [f"{lang}: no {key}" for key in need if key not in texts]
    return bad


def plural_hacks(root: Path = LOCALES) -> list[str]:
    return [
        f"{lang} {key}: {m.group(0)!r}"
        for lang in LANGS
        for key, text in _texts(root, lang).items()
        for m in re.finditer(r"\bthreads?\(s\)|\bhilos?\(s\)|preajuste|predefinição", text, re.I)
    ]


def latent_table_width(root: Path = LOCALES) -> dict[str, int]:
    """Language -> characters the latent table's six columns need (header or widest text
    cell; numbers count 5)."""
    out = {}
    for lang in LANGS:
        t = _texts(root, lang)
        if "latent.col.new_seconds" not in t:
            continue
        widths = [len(t[f"latent.col.{c}"]) for c in ("method", "trust", "knn")]
        widths += [max(len(t["latent.col.seconds"]), 5)]
        cells = [v for k, v in t.items() if k.startswith("latent.new.")]
        widths += [max([len(t["latent.col.new"]), *map(len, cells)]), max(len(t["latent.col.new_seconds"]), 5)]
        out[lang] = sum(widths)
    return out


# ---------------------------------------------------------------- the catalogs


def test_claim_texts_use_words_not_metric_ids():
    assert not metric_ids_in_claims(), "\n".join(metric_ids_in_claims())


def test_one_term_for_gradient_descent_per_language():
    wanted = glossary_gradient_descent()
    for lang, found in gradient_descent_terms().items():
        assert found <= {wanted[lang]}, f"{lang}: {sorted(found)}; the glossary says {wanted[lang]!r}"
        assert found, f"{lang}: the lessons name gradient descent; expected {wanted[lang]!r}"


def test_command_lines_only_in_the_export_panel():
    assert not command_lines(), command_lines()


def test_course_material_named_in_words():
    assert not bare_file_numbers(), bare_file_numbers()
    assert not material_unnamed(), material_unnamed()


def test_no_thread_plural_or_preset_jargon():
    assert not plural_hacks(), plural_hacks()


@pytest.mark.parametrize("lang", LANGS)
def test_latent_table_fits(lang):
    width = latent_table_width()[lang]
    assert width <= LATENT_TABLE_BUDGET, f"{lang}: the latent table needs {width} characters"


# ---------------------------------------------------------------- planted faults


def _plant(tmp_path: Path, lang: str, name: str, body: str) -> Path:
    for code in LANGS:
        (tmp_path / code).mkdir(exist_ok=True)
    (tmp_path / lang / name).write_text(body, encoding="utf-8")
    return tmp_path


def test_planted_faults_are_reported(tmp_path):
    root = _plant(tmp_path, "en", "intro.toml", '[claims]\nx = "better: ae_mse = {ae_mse} < 5-NN {b}"\n')
    assert len(metric_ids_in_claims(root)) == 2
    root = _plant(tmp_path, "pt", "neural.toml", 'a = "gradiente descendente"\nb = "descida do gradiente"\n')
    assert gradient_descent_terms(root)["pt"] == {"gradiente descendente", "descida do gradiente"}
    root = _plant(tmp_path, "es", "common.toml", 'note = "Preajuste de clase (`python -m aecore presets`)"\n')
    assert command_lines(root) == ["es note"] and plural_hacks(root)
    root = _plant(tmp_path, "es", "vae.toml", 'n = "como en las notas (002)"\n')
    assert bare_file_numbers(root) == ["es vae.n: 'notas (002'"]
    root = _plant(tmp_path, "en", "latent.toml", '[col]\nnew = "the slides"\n')
    assert any("references.followed" in b for b in material_unnamed(root))
