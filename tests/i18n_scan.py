"""Source scanners for the translation tests (one module; no test module imports another's
privates): catalog loading, the keys the app's sources use (``t()``, ``labels()``, nav,
documented conventions), the pages' claim boxes and settings forms, and the backend's
coded errors (``raise X(..., code=...)``). Rules are documented in tests/test_i18n.py."""

from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path
from typing import NamedTuple

from tests.code_scan import ROOT
from ui.kit.i18n import catalog_files, catalog_prefix, flatten

LOCALES = ROOT / "assets" / "locales"
REF = "en"
OTHER_LANGS = sorted(p.name for p in LOCALES.iterdir() if p.is_dir() and p.name != REF)
CONVENTION_SUFFIXES = (".knob.", ".claims.", ".why.", ".help.")
CONVENTION_KEYS = ("nav", "summary")
CONVENTION_PREFIXES = ("data.",)


# ---------------------------------------------------------------- catalogs


def load_raw(lang: str, locales: Path = LOCALES) -> dict[str, object]:
    """Keys -> raw TOML values (not stringified, unlike ``i18n.catalog``)."""
    out: dict[str, object] = {}
    for path in catalog_files(locales / lang):
        with path.open("rb") as fh:
            out |= flatten(tomllib.load(fh), catalog_prefix(locales / lang, path))
    return out


def placeholders(text: str) -> set[str] | str:
    """Names of the ``str.format`` fields in ``text`` (or a marker if it cannot be parsed)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        return f"<unparseable: {exc}>"


def fmt_keys(keys) -> str:
    return "\n  ".join(sorted(keys)) or "(none)"


# ---------------------------------------------------------------- keys the sources use


def sources(root: Path) -> list[Path]:
    pages = [p for folder in ("lessons", "pages") for p in sorted((root / folder).glob("*.py"))]
    parts = sorted((root / "lessons" / "parts").glob("*.py"))
    return [root / "app.py", *pages, *parts, *sorted((root / "ui").rglob("*.py"))]


def call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


class Usage(NamedTuple):
    called: set[str]  # string literals passed to t() / translate()
    nav: set[str]  # string constants of ui/shell/nav.py
    nav_keys: set[str]  # PageSpec title_key / section arguments
    prefixes: set[str]  # f-string family prefixes
    patterns: list[re.Pattern]  # f-strings that start with a placeholder


def collect_usage(root: Path = ROOT) -> Usage:
    usage = Usage(set(), set(), set(), set(), [])
    for path in sources(root):
        if not path.is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if path == root / "ui" / "shell" / "nav.py":
            usage.nav.update(
                n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
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
                usage.called.update(label_keys(node))
                if any(isinstance(a, ast.Starred) for a in node.args):  # labels("p", *NAMES): the family
                    usage.prefixes.add(f"{node.args[0].value}.")
            if name not in ("t", "translate") or not node.args:
                continue
            for arg in alternatives(node.args[0]):
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


def label_keys(node: ast.Call) -> set[str]:
    """``labels("pca.fig", "kept", x="index")`` (ui.kit.page) uses ``pca.fig.kept`` and ``pca.fig.index``."""
    subs = [a.value for a in node.args[1:] if isinstance(a, ast.Constant)]
    subs += [kw.value.value for kw in node.keywords if isinstance(kw.value, ast.Constant)]
    return {f"{node.args[0].value}.{sub}" for sub in subs}


def alternatives(expr: ast.expr) -> list[ast.expr]:
    """``t("a" if cond else "b")`` uses both keys."""
    if isinstance(expr, ast.IfExp):
        return alternatives(expr.body) + alternatives(expr.orelse)
    return [expr]


def lesson_catalogs(locales: Path = LOCALES) -> set[str]:
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
    usage, lessons = collect_usage(root), lesson_catalogs(locales)
    return sorted(k for k in load_raw(REF, locales) if not is_used(k, usage, lessons))


def pages(root: Path = ROOT):
    """(path, parsed tree, module-level string constants) of every page."""
    for path in sources(root):
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


def claim_boxes(root: Path = ROOT) -> list[tuple[str, str]]:
    """(lesson key prefix, experiment name) of every ``claims_box(LESSON, get(NAME), ...)`` call
    whose two names resolve to string constants of the page."""
    found = []
    for _, tree, consts in pages(root):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and call_name(node) == "claims_box" and len(node.args) >= 2:
                lesson, exp = node.args[0], node.args[1]
                if isinstance(exp, ast.Call) and call_name(exp) == "get" and exp.args:
                    pair = (resolve(lesson, consts), resolve(exp.args[0], consts))
                    if None not in pair:
                        found.append(pair)
    return found


def resolve(expr: ast.expr, consts: dict[str, str]) -> str | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return consts.get(expr.id) if isinstance(expr, ast.Name) else None


def settings_forms(root: Path = ROOT) -> tuple[list[tuple[str, str]], list[str]]:
    """(lesson key prefix, field) for every field a page's ``settings_form(LESSON, cfg, [fields])``
    shows, and the calls that cannot be read statically (``path:line``)."""
    shown, unreadable = [], []
    for path, tree, consts in pages(root):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and call_name(node) == "settings_form"):
                continue
            args = dict(enumerate(node.args)) | {
                i: kw.value for kw in node.keywords for i, n in ((0, "lesson"), (2, "fields")) if kw.arg == n
            }
            lesson, fields = resolve(args[0], consts) if 0 in args else None, args.get(2)
            if isinstance(fields, ast.Name):  # fields = [...] at the top of the page
                fields = assigned(tree, fields.id)
            names = [
                e.value for e in getattr(fields, "elts", []) if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
            if lesson is None or not isinstance(fields, (ast.List, ast.Tuple)) or len(names) != len(fields.elts):
                unreadable.append(f"{path.relative_to(root)}:{node.lineno}")
            else:
                shown += [(lesson, name) for name in names]
    return shown, unreadable


def assigned(tree: ast.Module, name: str) -> ast.expr | None:
    """The value of the last module-level ``name = ...`` of a page."""
    values = [
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign) and any(isinstance(tg, ast.Name) and tg.id == name for tg in n.targets)
    ]
    return values[-1] if values else None


# ---------------------------------------------------------------- coded backend errors


def error_codes(expr: ast.expr) -> list[str] | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        a, b = error_codes(expr.body), error_codes(expr.orelse)
        return None if a is None or b is None else a + b
    return None


def raise_sites(root: Path = ROOT) -> tuple[dict[str, list[set[str]]], list[str]]:
    """code -> the param names of each call that passes ``code=`` in aecore (``params=dict(...)``),
    and the calls whose code or params this scan cannot read (``path:line``)."""
    sites: dict[str, list[set[str]]] = {}
    unreadable = []
    for path in sorted((root / "aecore").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            kw = {k.arg: k.value for k in getattr(node, "keywords", [])} if isinstance(node, ast.Call) else {}
            if "code" not in kw:
                continue
            codes, params = error_codes(kw["code"]), kw.get("params")
            readable = params is None or (
                isinstance(params, ast.Call) and getattr(params.func, "id", "") == "dict" and not params.args
            )
            if codes is None or not readable:
                unreadable.append(f"{path.relative_to(root)}:{node.lineno}")
                continue
            names = {k.arg for k in params.keywords} if params is not None else set()
            for code in codes:
                sites.setdefault(code, []).append(names)
    return sites, unreadable


def coded_error_classes(root: Path = ROOT) -> set[str]:
    """Names of ``CodedError`` and the classes that derive from it in aecore, read with ``ast``
    (by name, to a fixed point: ``class DataError(CodedError)``, ``class X(DataError)`` ...)."""
    bases: dict[str, set[str]] = {}
    for path in (root / "aecore").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                bases.setdefault(node.name, set()).update(names)
    found = {"CodedError"}
    while grown := {name for name, parents in bases.items() if parents & found} - found:
        found |= grown
    return found


def uncoded_raise_sites(root: Path = ROOT) -> list[str]:
    """``path:line`` of every ``raise <CodedError subclass>`` in aecore without ``code=`` (a bare
    ``raise DataError`` or one whose keywords cannot be read, ``**kw``, counts as without)."""
    classes = coded_error_classes(root)
    missing = []
    for path in sorted((root / "aecore").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            exc = node.exc
            func = exc.func if isinstance(exc, ast.Call) else exc
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in classes:
                continue
            if not isinstance(exc, ast.Call) or "code" not in {k.arg for k in exc.keywords}:
                missing.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    return missing
