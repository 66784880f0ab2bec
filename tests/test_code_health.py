"""Code health: small functions and files in the app's code; no import cycle in the backend
or in ui/; the layers import downward only (aecore never imports ui or lessons, the page kit
never imports the training runtime, aecore.io nothing above the Dataset record). Each failure
lists every offender, so it says what to split or move."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.code_scan import ROOT, cycles, functions, import_graph, imports, py_files, rel

FOLDERS = ("aecore", "ui", "lessons")
MAX_FUNCTION_LINES = 60
MAX_FILE_LINES = 300


def test_no_function_over_60_lines():
    long = [
        f"{rel(p)}:{line} {name} ({n} lines)"
        for p in py_files(*FOLDERS)
        for name, line, n in functions(p)
        if n > MAX_FUNCTION_LINES
    ]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (split them):\n" + "\n".join(long)


def test_no_file_over_300_lines():
    big = []
    for p in py_files(*FOLDERS):
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > MAX_FILE_LINES:
            big.append(f"{rel(p)} ({n} lines)")
    assert not big, f"files over {MAX_FILE_LINES} lines (split them):\n" + "\n".join(big)


@pytest.mark.parametrize("package", ["aecore", "ui"])
def test_no_import_cycle(package):
    found = cycles(import_graph(package))
    assert not found, f"import cycles in {package} (module- or function-level imports):\n" + "\n".join(
        " <-> ".join(c) for c in found
    )


def offenders(folder: str, allowed, forbidden) -> list[str]:
    """``file: name`` for every import of a file under ``folder`` that starts with one of the
    ``forbidden`` prefixes and none of the ``allowed`` ones."""
    under = lambda name, prefixes: any(name == p or name.startswith(p + ".") for p in prefixes)  # noqa: E731
    return sorted(
        f"{rel(p)}: {name}"
        for p in py_files(folder)
        for name in imports(p)
        if under(name, forbidden) and not under(name, allowed)
    )


@pytest.mark.parametrize(
    "folder,allowed,forbidden,why",
    [
        ("aecore", (), ("ui", "lessons", "app", "streamlit"), "the backend never imports the app"),
        ("ui", (), ("lessons", "app"), "ui never imports the pages or their parts"),
        ("ui/kit", (), ("ui.runtime",), "the page kit never imports the training runtime"),
        ("aecore/io", ("aecore.errors", "aecore.io", "aecore.data.dataset"), ("aecore",), "io sits below data"),
    ],
    ids=["aecore", "ui", "ui-kit", "aecore-io"],
)
def test_layers_import_downward(folder, allowed, forbidden, why):
    bad = offenders(folder, allowed, forbidden)
    assert not bad, f"{why}; these imports run upward:\n" + "\n".join(bad)


def test_no_module_imports_another_modules_private_names():
    """A name used by two modules is public (no leading underscore) or lives where both use it."""
    private = sorted(
        f"{rel(p)}: {name}"
        for p in py_files(*FOLDERS)
        for name in imports(p)
        if name.split(".")[0] in FOLDERS
        and name.rpartition(".")[2].startswith("_")
        and not name.rpartition(".")[2].startswith("__")
    )
    assert not private, "private names imported across modules:\n" + "\n".join(private)


# Documents a clone does not have: the project's issue tracker, the course folder beside it.
OUTSIDE = re.compile(r"\bissues? \d|\.\./shared|\bLESSONS\.md|\bSTYLE\.md|\bseeds \d{3}|/work/")


def test_comments_and_docs_point_to_nothing_outside_the_repository():
    files = py_files(*FOLDERS, "tests", "tools") + [ROOT / "app.py", ROOT / "README.md"]
    files += sorted((ROOT / "docs").glob("*.md")) + [ROOT / "aecore" / "references.toml"]
    files += [ROOT / "assets" / "locales" / "glossary.toml"]
    found = [
        f"{rel(p)}:{i}: {line.strip()[:80]}"
        for p in files
        if p != Path(__file__).resolve()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not found, "cite the paper or a file of the repository instead:\n" + "\n".join(found)


def test_the_cycle_finder_finds_cycles():
    """The scanner itself: a three-module ring and a self-contained chain."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    graph = import_graph("aecore")
    assert "aecore.train" in graph["aecore.experiments.base"]  # module level
    assert "aecore.models" in graph["aecore.train"]  # inside warm_up
