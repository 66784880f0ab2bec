"""Code health (issue 17): small functions and files in the app's code, no import cycle in
the backend. Each failure lists every offender, so it says what to split."""

from __future__ import annotations

from tests.code_scan import cycles, functions, import_graph, py_files, rel

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


def test_no_import_cycle_in_aecore():
    found = cycles(import_graph("aecore"))
    assert not found, "import cycles in aecore (module- or function-level imports):\n" + "\n".join(
        " <-> ".join(c) for c in found
    )


def test_the_cycle_finder_finds_cycles():
    """The scanner itself: a three-module ring and a self-contained chain."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    graph = import_graph("aecore")
    assert "aecore.train" in graph["aecore.experiments.base"]  # module level
    assert "aecore.models" in graph["aecore.train"]  # inside warm_up
