"""Source scanners shared by the code-health and i18n tests (no test module imports
another's privates): Python files of a folder, function sizes, what a file imports, the
import graph of a package and its cycles."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def py_files(*folders: str) -> list[Path]:
    """Every .py file under the given folders of the repository, sorted."""
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def functions(path: Path) -> Iterator[tuple[str, int, int]]:
    """(qualified name, first line, length in lines) of every function and method, nested
    ones included; the length runs from ``def`` to the last line of the body."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                yield name, child.lineno, child.end_lineno - child.lineno + 1
                yield from walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(parse(path), "")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str, known: set[str]) -> str | None:
    """The longest known module that ``name`` (a module or a module.attribute) names."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(path: Path) -> set[str]:
    """Every name ``path`` imports (``a.b`` for ``import a.b``, ``a.b.c`` for ``from a.b import
    c``), relative imports made absolute, at module level or inside functions."""
    mod = module_name(path)
    here = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{anchor}.{base}" if base else anchor
            out |= {f"{base}.{a.name}" for a in node.names}
    return out


def import_graph(*packages: str) -> dict[str, set[str]]:
    """module -> the modules of ``packages`` it imports, at module level or inside functions."""
    files = {module_name(p): p for p in py_files(*(packages or ("aecore",)))}
    known = set(files)
    return {
        mod: {t for t in (_resolve(x, known) for x in imports(path)) if t and t != mod} for mod, path in files.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


# ---------------------------------------------------------------- numbers in comparisons

_ARITHMETIC = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.IfExp, ast.Tuple)


def _literals(node: ast.AST) -> Iterator[ast.Constant]:
    """The number literals of an operand, through arithmetic (``1.02 * m["x"]``), not into
    subscripts or calls (``m[2]``, ``num(v, 3)``)."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        yield node
    elif isinstance(node, _ARITHMETIC):
        for child in ast.iter_child_nodes(node):
            yield from _literals(child)


def _reads_a_key(node: ast.AST) -> bool:
    """Whether an expression looks something up by name: ``m["pca_mse"]``, ``a[f"{k}_mse"]``."""
    return any(
        isinstance(n, ast.Subscript) and isinstance(n.slice, (ast.JoinedStr, ast.Constant)) and not _is_int(n.slice)
        for n in ast.walk(node)
    )


def _is_int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and not isinstance(node.value, str)


def compared_numbers(path: Path) -> Iterator[tuple[int, float]]:
    """(line, value) of every number literal that a comparison reading a result by name
    (``m["x"] <= 1.02 * m["y"]``) is made with; comparisons of plain variables, indices and
    clocks (``shown[0] >= 0.2``) are not results and are left out."""
    for node in ast.walk(parse(path)):
        if isinstance(node, ast.Compare) and any(map(_reads_a_key, (node.left, *node.comparators))):
            for operand in (node.left, *node.comparators):
                for lit in _literals(operand):
                    yield lit.lineno, float(lit.value)


_SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_NUMBER = re.compile(r"(?<![\w.{])(?:(10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(\d+(?:\.\d+)?)(?:\s*×\s*(10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?)")
_SIGN = re.compile(r"[≤≥<>]\s*$")


def text_numbers(text: str) -> Iterator[tuple[float, bool]]:
    """(value, after ≤ ≥ < >) of every number written in a text: "≤ 0.5",
    "1×10⁻⁶", "10⁻⁶", "3°"."""
    for match in _NUMBER.finditer(text):
        bare, mantissa, power = match.groups()
        if bare:
            value = 10.0 ** int(bare[2:].translate(_SUPERSCRIPTS))
        else:
            value = float(mantissa) * (10.0 ** int(power[2:].translate(_SUPERSCRIPTS)) if power else 1.0)
        yield value, bool(_SIGN.search(text[: match.start()]))
