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
* ``labels("prefix", "name", alias="sub")`` (``ui.kit.labels``) uses ``prefix.name`` and
  ``prefix.sub``; ``labels("prefix", *names)`` the whole ``prefix.*`` family;
* every string constant in ``ui/nav.py`` (page titles and navigation sections) is a key;
* documented conventions used through helpers that build keys at run time (``ui/widgets.py``,
  the home page cards): ``<lesson>.nav``, ``<lesson>.summary``, ``<lesson>.knob.*``,
  ``<lesson>.claims.*``, ``<lesson>.help.*`` (``<lesson>`` is any catalog file but ``common``)
  and ``data.*`` (data set names). Extension: a page may pass a sub-id as the lesson of
  ``settings_form`` / ``claims_box`` (``"denoising.field"``), so ``<lesson>.<sub-id>.knob.*`` etc.
  count too.

Conversely, every literal key passed to ``t()`` / ``translate()`` or named by ``ui/nav.py``, and
the text of every claim a page shows with ``claims_box``, must exist in English (otherwise the
page shows the raw key). Every field a page passes to ``settings_form`` has a tooltip
``<lesson>.help.<field>`` in every language, and no help text is left for a field no page shows.
"""

from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path
from typing import NamedTuple

import pytest

from ui import i18n

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "assets" / "locales"
REF = "en"
OTHER_LANGS = sorted(p.name for p in LOCALES.iterdir() if p.is_dir() and p.name != REF)
CONVENTION_SUFFIXES = (".knob.", ".claims.", ".help.")
CONVENTION_KEYS = ("nav", "summary")
CONVENTION_PREFIXES = ("data.",)


# ---------------------------------------------------------------- catalog loading


def _flatten(prefix: str, table: dict, out: dict[str, object]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = value


def load_raw(lang: str, locales: Path = LOCALES) -> dict[str, object]:
    """Keys -> raw TOML values (not stringified, unlike ``i18n.catalog``)."""
    out: dict[str, object] = {}
    for path in sorted((locales / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten("" if path.stem == "common" else path.stem, tomllib.load(fh), out)
    return out


def placeholders(text: str) -> set[str] | str:
    """Names of the ``str.format`` fields in ``text`` (or a marker if it cannot be parsed)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        return f"<unparseable: {exc}>"


def _fmt_keys(keys) -> str:
    return "\n  ".join(sorted(keys)) or "(none)"


# ---------------------------------------------------------------- (c) parse, non-empty


@pytest.mark.parametrize("lang", [REF, *OTHER_LANGS])
def test_catalog_parses_and_values_are_nonempty_strings(lang):
    files = sorted((LOCALES / lang).glob("*.toml"))
    assert files, f"no catalogs in {lang}"
    for path in files:
        try:
            with path.open("rb") as fh:
                table = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            pytest.fail(f"{path.relative_to(ROOT)} does not parse: {exc}")
        flat: dict[str, object] = {}
        _flatten("", table, flat)
        bad = [k for k, v in flat.items() if not isinstance(v, str) or not v.strip()]
        assert not bad, f"{path.relative_to(ROOT)}: empty or non-string values:\n  {_fmt_keys(bad)}"


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_same_files_as_english(lang):
    ref = {p.name for p in (LOCALES / REF).glob("*.toml")}
    got = {p.name for p in (LOCALES / lang).glob("*.toml")}
    assert got == ref, f"{lang}: missing files {sorted(ref - got)}, extra files {sorted(got - ref)}"


def test_every_language_folder_is_offered():
    assert set(i18n.languages()) == {REF, *OTHER_LANGS}, "folders and i18n.LANG_NAMES disagree"


# ---------------------------------------------------------------- (a) same keys


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_same_keys_as_english(lang):
    ref, got = set(load_raw(REF)), set(load_raw(lang))
    missing, extra = ref - got, got - ref
    assert not missing and not extra, (
        f"{lang} differs from English.\nMissing keys:\n  {_fmt_keys(missing)}\nExtra keys:\n  {_fmt_keys(extra)}"
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


def _sources(root: Path) -> list[Path]:
    pages = [p for folder in ("lessons", "pages") for p in sorted((root / folder).glob("*.py"))]
    return [root / "app.py", *pages, *sorted((root / "ui").glob("*.py"))]


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


class Usage(NamedTuple):
    called: set[str]  # string literals passed to t() / translate()
    nav: set[str]  # string constants of ui/nav.py
    nav_keys: set[str]  # PageSpec title_key / section arguments
    prefixes: set[str]  # f-string family prefixes
    patterns: list[re.Pattern]  # f-strings that start with a placeholder


def collect_usage(root: Path = ROOT) -> Usage:
    usage = Usage(set(), set(), set(), set(), [])
    for path in _sources(root):
        if not path.is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if path == root / "ui" / "nav.py":
            usage.nav.update(
                n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name == "PageSpec":
                args = dict(enumerate(node.args)) | {
                    i: kw.value for kw in node.keywords for i, n in ((2, "title_key"), (4, "section")) if kw.arg == n
                }
                usage.nav_keys.update(
                    a.value
                    for i, a in args.items()
                    if i in (2, 4) and isinstance(a, ast.Constant) and isinstance(a.value, str)
                )
            if name == "labels" and node.args and isinstance(node.args[0], ast.Constant):
                usage.called.update(_label_keys(node))
                if any(isinstance(a, ast.Starred) for a in node.args):  # labels("p", *NAMES): the family
                    usage.prefixes.add(f"{node.args[0].value}.")
            if name not in ("t", "translate") or not node.args:
                continue
            for arg in _alternatives(node.args[0]):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    usage.called.add(arg.value)
                elif isinstance(arg, ast.JoinedStr):
                    parts = arg.values
                    if parts and isinstance(parts[0], ast.Constant):
                        usage.prefixes.add(str(parts[0].value))
                    elif any(isinstance(p, ast.Constant) for p in parts):
                        rx = "".join(re.escape(str(p.value)) if isinstance(p, ast.Constant) else ".+" for p in parts)
                        usage.patterns.append(re.compile(rx))
    return usage


def _label_keys(node: ast.Call) -> set[str]:
    """``labels("pca.fig", "kept", x="index")`` (ui.kit) uses ``pca.fig.kept`` and ``pca.fig.index``."""
    subs = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
    subs += [kw.value.value for kw in node.keywords if isinstance(kw.value, ast.Constant)]
    return {f"{node.args[0].value}.{sub}" for sub in subs}


def _alternatives(expr: ast.expr) -> list[ast.expr]:
    """``t("a" if cond else "b")`` uses both keys."""
    if isinstance(expr, ast.IfExp):
        return _alternatives(expr.body) + _alternatives(expr.orelse)
    return [expr]


def _lessons(locales: Path = LOCALES) -> set[str]:
    return {p.stem for p in (locales / REF).glob("*.toml") if p.stem != "common"}


def is_used(key: str, usage: Usage, lessons: set[str]) -> bool:
    if key in usage.called or key in usage.nav or any(key.startswith(p) for p in usage.prefixes):
        return True
    if any(rx.fullmatch(key) for rx in usage.patterns):
        return True
    if key.startswith(CONVENTION_PREFIXES):
        return True
    head, _, rest = key.partition(".")
    if head in lessons and (rest in CONVENTION_KEYS or any(s in f".{rest}" for s in CONVENTION_SUFFIXES)):
        return True
    return False


def unused_keys(root: Path = ROOT, locales: Path = LOCALES) -> list[str]:
    usage, lessons = collect_usage(root), _lessons(locales)
    return sorted(k for k in load_raw(REF, locales) if not is_used(k, usage, lessons))


def test_usage_scan_covers_every_page():
    from ui.nav import PAGES

    scanned = {p.resolve() for p in _sources(ROOT)}
    unscanned = [spec.path for spec in PAGES if (ROOT / spec.path).resolve() not in scanned]
    assert not unscanned, f"pages the unused-key scan does not read (update _sources): {unscanned}"


def test_no_unused_english_keys():
    unused = unused_keys()
    assert not unused, "English keys that no source file uses (remove them, or use them):\n  " + _fmt_keys(unused)


def test_literal_keys_exist_in_english():
    usage = collect_usage()
    assert usage.called and usage.nav_keys, "found no t() calls or PageSpec entries: is the parser broken?"
    english = load_raw(REF)
    missing = sorted(k for k in usage.called | usage.nav_keys if k not in english)
    assert not missing, "keys used in the sources but missing from English:\n  " + _fmt_keys(missing)


def _pages(root: Path = ROOT):
    """(path, parsed tree, module-level string constants) of every page."""
    for path in _sources(root):
        if path.parent.name not in ("lessons", "pages"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts: dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
                pairs = (
                    zip(target.elts, value.elts)
                    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
                    else [(target, value)]
                )
                for tgt, val in pairs:
                    if isinstance(tgt, ast.Name) and isinstance(val, ast.Constant) and isinstance(val.value, str):
                        consts[tgt.id] = val.value
        yield path, tree, consts


def _claim_boxes(root: Path = ROOT) -> list[tuple[str, str]]:
    """(lesson key prefix, experiment name) of every ``claims_box(LESSON, get(NAME), ...)`` call
    whose two names resolve to string constants of the page."""
    found = []
    for _, tree, consts in _pages(root):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) == "claims_box" and len(node.args) >= 2:
                lesson, exp = node.args[0], node.args[1]
                if isinstance(exp, ast.Call) and _call_name(exp) == "get" and exp.args:
                    pair = (_resolve(lesson, consts), _resolve(exp.args[0], consts))
                    if None not in pair:
                        found.append(pair)
    return found


def _resolve(expr: ast.expr, consts: dict[str, str]) -> str | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return consts.get(expr.id) if isinstance(expr, ast.Name) else None


def test_every_claim_has_an_english_text():
    """claims_box shows ``t(f"{lesson}.claims.{claim.key}")``: a missing text shows the raw key."""
    from aecore.experiments import get

    english = load_raw(REF)
    boxes = _claim_boxes()
    assert boxes, "found no claims_box calls: is the parser broken?"
    missing = sorted(
        f"{lesson}.claims.{c.key}"
        for lesson, name in boxes
        for c in get(name).claims
        if f"{lesson}.claims.{c.key}" not in english
    )
    assert not missing, "claims without an English text:\n  " + _fmt_keys(missing)


def settings_forms(root: Path = ROOT) -> tuple[list[tuple[str, str]], list[str]]:
    """(lesson key prefix, field) for every field a page's ``settings_form(LESSON, cfg, [fields])``
    shows, and the calls that cannot be read statically (``path:line``)."""
    shown, unreadable = [], []
    for path, tree, consts in _pages(root):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _call_name(node) == "settings_form"):
                continue
            args = dict(enumerate(node.args)) | {
                i: kw.value for kw in node.keywords for i, n in ((0, "lesson"), (2, "fields")) if kw.arg == n
            }
            lesson, fields = _resolve(args[0], consts) if 0 in args else None, args.get(2)
            if isinstance(fields, ast.Name):  # fields = [...] at the top of the page
                fields = _assigned(tree, fields.id)
            names = [
                e.value for e in getattr(fields, "elts", []) if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
            if lesson is None or not isinstance(fields, (ast.List, ast.Tuple)) or len(names) != len(fields.elts):
                unreadable.append(f"{path.relative_to(root)}:{node.lineno}")
            else:
                shown += [(lesson, name) for name in names]
    return shown, unreadable


def _assigned(tree: ast.Module, name: str) -> ast.expr | None:
    """The value of the last module-level ``name = ...`` of a page."""
    values = [
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign) and any(isinstance(tg, ast.Name) and tg.id == name for tg in n.targets)
    ]
    return values[-1] if values else None


@pytest.mark.parametrize("lang", [REF, *OTHER_LANGS])
def test_every_shown_setting_has_a_help_text(lang):
    """settings_form shows ``<lesson>.help.<field>`` as the tooltip (the config's English only
    as a fallback): every field a page shows needs it in every language."""
    shown, unreadable = settings_forms()
    assert shown and not unreadable, f"settings_form calls this test cannot read (use literals): {unreadable}"
    catalog = load_raw(lang)
    missing = sorted({f"{lesson}.help.{name}" for lesson, name in shown} - set(catalog))
    assert not missing, f"{lang}: help texts missing for shown settings:\n  " + _fmt_keys(missing)


def test_help_texts_belong_to_shown_settings():
    shown = {f"{lesson}.help.{name}" for lesson, name in settings_forms()[0]}
    lessons = _lessons()
    stale = [k for k in load_raw(REF) if k.split(".", 1)[0] in lessons and ".help." in k and k not in shown]
    assert not stale, "help texts of settings no page shows:\n  " + _fmt_keys(stale)


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
    assert out == str(load_raw(lang)["panel.progress"]).format(stage="x", epoch=1, epochs=2, loss="0.1")
    assert out.startswith("x:") and "0.1" in out


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
