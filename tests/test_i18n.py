"""Translation catalogs stay complete, consistent with English, and used.

English (``assets/locales/en``) is the reference. For every other language folder:

* the key set equals English's exactly (missing and extra keys are listed by name);
* each key has the same ``{placeholder}`` names as in English (``str.format`` fields);
* every file parses and every value is a non-empty string.

For English itself, every key must be used by the app. Usage is collected from the Python
sources (``app.py``, the pages in ``lessons/*.py`` (formerly ``pages/*.py``), ``ui/*.py``) with ``ast``:

* a string literal passed as the first argument of ``t(...)`` / ``translate(...)`` is a key
  (both branches count for ``t("a" if cond else "b")``);
* for an f-string argument, the constant text before the first placeholder is a *family
  prefix* (``t(f"pca.metric.{key}")`` uses every ``pca.metric.*`` key);
* extension: an f-string that *starts* with a placeholder has no prefix, so it is matched as a
  pattern instead, each placeholder standing for any non-empty text
  (``t(f"{lesson}.metric.{key}")`` uses ``<anything>.metric.<anything>``); an f-string that is
  only placeholders is ignored;
* ``labels("prefix", "name", alias="sub")`` (``ui.kit.page.labels``) uses ``prefix.name`` and
  ``prefix.sub``; ``labels("prefix", *names)`` the whole ``prefix.*`` family;
* every string constant in ``ui/shell/nav.py`` (page titles and navigation sections) is a key;
* documented conventions used through helpers that build keys at run time (``ui/kit/widgets.py``,
  the home page cards): ``<lesson>.nav``, ``<lesson>.summary``, ``<lesson>.knob.*``,
  ``<lesson>.claims.*``, ``<lesson>.why.*`` (a claim's explanation of a ❌, ``Claim.why``),
  ``<lesson>.help.*`` (``<lesson>`` is any catalog file but ``common``)
  and ``data.*`` (data set names). Extension: a page may pass a sub-id as the lesson of
  ``settings_form`` / ``claims_box`` (``"denoising.field"``), so ``<lesson>.<sub-id>.knob.*`` etc.
  count too.

Conversely, every literal key passed to ``t()`` / ``translate()`` or named by ``ui/shell/nav.py``, and
the text of every claim a page shows with ``claims_box``, must exist in English (otherwise the
page shows the raw key). Every field a page passes to ``settings_form`` has a tooltip
``<lesson>.help.<field>`` in every language, and no help text is left for a field no page shows.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.i18n_scan import (
    LOCALES,
    OTHER_LANGS,
    REF,
    ROOT,
    Usage,
    claim_boxes,
    collect_usage,
    fmt_keys,
    is_used,
    lesson_catalogs,
    load_raw,
    placeholders,
    settings_forms,
    sources,
    unused_keys,
)
from ui.kit import i18n

# ---------------------------------------------------------------- (c) parse, non-empty


@pytest.mark.parametrize("lang", [REF, *OTHER_LANGS])
def test_catalog_parses_and_values_are_nonempty_strings(lang):
    files = i18n.catalog_files(LOCALES / lang)  # learn/<lesson>.toml too
    assert files, f"no catalogs in {lang}"
    for path in files:
        try:
            with path.open("rb") as fh:
                table = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            pytest.fail(f"{path.relative_to(ROOT)} does not parse: {exc}")
        flat = i18n.flatten(table)
        bad = [k for k, v in flat.items() if not isinstance(v, str) or not v.strip()]
        assert not bad, f"{path.relative_to(ROOT)}: empty or non-string values:\n  {fmt_keys(bad)}"


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_same_files_as_english(lang):
    ref = {p.relative_to(LOCALES / REF).as_posix() for p in i18n.catalog_files(LOCALES / REF)}
    got = {p.relative_to(LOCALES / lang).as_posix() for p in i18n.catalog_files(LOCALES / lang)}
    assert got == ref, f"{lang}: missing files {sorted(ref - got)}, extra files {sorted(got - ref)}"


def test_every_language_folder_is_offered():
    assert set(i18n.languages()) == {REF, *OTHER_LANGS}, "folders and i18n.LANG_NAMES disagree"


# ---------------------------------------------------------------- (a) same keys


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_same_keys_as_english(lang):
    ref, got = set(load_raw(REF)), set(load_raw(lang))
    missing, extra = ref - got, got - ref
    assert not missing and not extra, (
        f"{lang} differs from English.\nMissing keys:\n  {fmt_keys(missing)}\nExtra keys:\n  {fmt_keys(extra)}"
    )


# ---------------------------------------------------------------- (b) same placeholders


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_same_placeholders_as_english(lang):
    ref, got = load_raw(REF), load_raw(lang)
    wrong = []
    for key in sorted(set(ref) & set(got)):
        want, have = placeholders(str(ref[key])), placeholders(str(got[key]))
        if want != have:
            wrong.append(f"{key}: English {want}, {lang} {have}")
    assert not wrong, f"{lang}: placeholders differ from English:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_formatting_works_where_english_formats(lang):
    """Every key whose English text formats with dummy values also formats in ``lang``."""
    ref, got = load_raw(REF), load_raw(lang)
    broken = []
    for key in sorted(set(ref) & set(got)):
        names = placeholders(str(ref[key]))
        if isinstance(names, str) or not names or not all(n.isidentifier() for n in names):
            continue
        values = dict.fromkeys(names, 1.5)
        try:
            str(ref[key]).format(**values)
        except (KeyError, ValueError, IndexError):
            continue  # not meant for formatting
        try:
            str(got[key]).format(**values)
        except (KeyError, ValueError, IndexError) as exc:
            broken.append(f"{key}: {exc!r}")
    assert not broken, f"{lang}: cannot format:\n  " + "\n  ".join(broken)


# ---------------------------------------------------------------- (d) unused keys


def test_usage_scan_covers_every_page():
    from ui.shell.nav import PAGES

    scanned = {p.resolve() for p in sources(ROOT)}
    unscanned = [spec.path for spec in PAGES if (ROOT / spec.path).resolve() not in scanned]
    assert not unscanned, f"pages the unused-key scan does not read (update sources): {unscanned}"


def test_no_unused_english_keys():
    unused = unused_keys()
    assert not unused, "English keys that no source file uses (remove them, or use them):\n  " + fmt_keys(unused)


def test_literal_keys_exist_in_english():
    usage = collect_usage()
    assert usage.called and usage.nav_keys, "found no t() calls or PageSpec entries: is the parser broken?"
    english = load_raw(REF)
    missing = sorted(k for k in usage.called | usage.nav_keys if k not in english)
    assert not missing, "keys used in the sources but missing from English:\n  " + fmt_keys(missing)


def test_every_claim_has_an_english_text():
    """claims_box shows ``t(f"{lesson}.claims.{claim.key}")``: a missing text shows the raw key."""
    from aecore.experiments import get

    english = load_raw(REF)
    boxes = claim_boxes()
    assert boxes, "found no claims_box calls: is the parser broken?"
    missing = sorted(
        f"{lesson}.claims.{c.key}"
        for lesson, name in boxes
        for c in get(name).claims
        if f"{lesson}.claims.{c.key}" not in english
    )
    assert not missing, "claims without an English text:\n  " + fmt_keys(missing)


@pytest.mark.parametrize("lang", [REF, *OTHER_LANGS])
def test_every_shown_setting_has_a_help_text(lang):
    """settings_form shows ``<lesson>.help.<field>`` as the tooltip (the config's English only
    as a fallback): every field a page shows needs it in every language."""
    shown, unreadable = settings_forms()
    assert shown and not unreadable, f"settings_form calls this test cannot read (use literals): {unreadable}"
    catalog = load_raw(lang)
    missing = sorted({f"{lesson}.help.{name}" for lesson, name in shown} - set(catalog))
    assert not missing, f"{lang}: help texts missing for shown settings:\n  " + fmt_keys(missing)


def test_help_texts_belong_to_shown_settings():
    shown = {f"{lesson}.help.{name}" for lesson, name in settings_forms()[0]}
    lessons = lesson_catalogs()
    stale = [k for k in load_raw(REF) if k.split(".", 1)[0] in lessons and ".help." in k and k not in shown]
    assert not stale, "help texts of settings no page shows:\n  " + fmt_keys(stale)


def test_usage_rules_recognise_the_documented_patterns():
    usage = Usage({"intro.title"}, set(), set(), {"pca.metric."}, [re.compile(r".+\.metric\..+")])
    lessons = {"intro", "pca", "vae"}
    assert is_used("intro.title", usage, lessons)
    assert is_used("pca.metric.pca_mse", usage, lessons)
    assert is_used("vae.metric.kl", usage, lessons)
    assert is_used("vae.knob.beta", usage, lessons) and is_used("vae.claims.x", usage, lessons)
    assert is_used("vae.help.beta", usage, lessons) and is_used("vae.nav", usage, lessons)
    assert is_used("data.digits", usage, lessons)
    assert not is_used("intro.fig.left", usage, lessons)
    assert not is_used("panel.knob.x", usage, lessons)  # common.toml is not a lesson
    assert not is_used("vae.summary_extra", usage, lessons)
    # a lesson may run several forms under sub-ids (settings_form("denoising.field", ...))
    assert is_used("vae.field.knob.sigma", usage, lessons)


# ---------------------------------------------------------------- (e) lookup and fallback


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_translate_returns_the_language_text(lang):
    for key in ("panel.train", "intro.title"):
        text = i18n.translate(key, lang)
        assert text == load_raw(lang)[key]
        assert text != i18n.translate(key, REF)
    out = i18n.translate("panel.progress", lang, stage="x", epoch=1, epochs=2, loss="0.1")
    # a number among the values is written with the language's decimal comma (ui.kit.numbers)
    assert out == str(load_raw(lang)["panel.progress"]).format(stage="x", epoch=1, epochs=2, loss="0,1")
    assert out.startswith("x:") and "0,1" in out


def test_translate_falls_back_to_english_then_to_the_key(monkeypatch):
    fake = {
        "en": {"demo.hello": "Hello {name}", "demo.only_en": "English only"},
        "pt": {"demo.hello": "Olá {name}"},
        "es": {"demo.hello": "Hola {name}", "demo.only_en": ""},
    }
    monkeypatch.setattr(i18n, "catalog", lambda lang: fake.get(lang, {}))
    assert i18n.translate("demo.hello", "pt", name="Ana") == "Olá Ana"
    assert i18n.translate("demo.only_en", "pt") == "English only"
    assert i18n.translate("demo.only_en", "es") == "English only"  # empty counts as missing
    assert i18n.translate("demo.nowhere", "es") == "demo.nowhere"


def test_real_catalogs_fall_back_for_a_fake_key():
    assert i18n.translate("zz_not_a_lesson.key", "pt") == "zz_not_a_lesson.key"
