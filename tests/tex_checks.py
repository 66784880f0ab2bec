"""Checks that TeX will render in the app: KaTeX, the renderer Streamlit's frontend ships.

Two checks, no new dependency:

- ``tex_problems`` (pure Python, always runs): braces balanced, every ``\\left`` closed by a
  ``\\right`` and every ``\\begin{env}`` by its ``\\end{env}``, every control word one that
  KaTeX knows (the names its bundle defines, read from Streamlit's own copy of KaTeX).
- ``katex_errors`` (when Node.js is installed): parses each formula with that same KaTeX
  bundle, ``throwOnError`` on, and returns its parse errors; None without Node.

``raw_tex`` finds TeX left in printed prose: what remains of a text once its ``$…$`` math
and its code spans are taken out must hold no control word, no ``$`` and no ``x^y``/``x_y``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import streamlit

BUNDLE_GLOB = "static/static/js/katex.*.js"
CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)  # display math first, then inline
CODE = re.compile(r"`[^`]*`")
# a control word, a dollar, a superscript, a braced subscript or a one-letter one (h_j), but
# not a metric's name (ae_mse), which the claims print as the page does
RAW = re.compile(r"\\[A-Za-z]+|\$|\^|_[{\\]|\b[A-Za-z]_[A-Za-z0-9]\b")


def katex_bundle() -> Path:
    """Streamlit's copy of KaTeX (one self-contained ES module)."""
    found = sorted(Path(streamlit.__file__).parent.glob(BUNDLE_GLOB))
    assert found, f"no KaTeX bundle under {Path(streamlit.__file__).parent / BUNDLE_GLOB}"
    return found[0]


@lru_cache(maxsize=1)
def katex_words() -> frozenset[str]:
    """Every control word the bundle's source names (``\\frac``, ``\\mathbb``, ...): a superset
    of those KaTeX defines, with a few from its messages."""
    text = katex_bundle().read_text(encoding="utf-8")
    return frozenset(re.findall(r"\\\\([A-Za-z]+)", text))


def _unbalanced_braces(tex: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}\\]", "", tex):  # \{ \} and \\ are no groups
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return True
    return depth != 0


def tex_problems(tex: str) -> list[str]:
    """What keeps ``tex`` from rendering in KaTeX, found without running it ([] when nothing)."""
    out = ["unbalanced braces"] if _unbalanced_braces(tex) else []
    words = CONTROL_WORD.findall(tex)
    if words.count("left") != words.count("right"):
        out.append(f"{words.count('left')} \\left, {words.count('right')} \\right")
    if sorted(re.findall(r"\\begin\{(\w+\*?)\}", tex)) != sorted(re.findall(r"\\end\{(\w+\*?)\}", tex)):
        out.append("\\begin and \\end do not pair")
    out += [f"\\{w} is unknown to KaTeX" for w in dict.fromkeys(words) if w not in katex_words()]
    return out


_SCRIPT = """
import katex from "./katex.mjs";
import {readFileSync} from "node:fs";
const out = {};
for (const tex of JSON.parse(readFileSync(0, "utf8"))) {
  try { katex.renderToString(tex, {throwOnError: true, displayMode: true, strict: "error"}); }
  catch (e) { out[tex] = e.message; }
}
console.log(JSON.stringify(out));
"""


def katex_errors(formulas: list[str]) -> dict[str, str] | None:
    """formula -> KaTeX's parse error, for those that fail; None when Node.js is missing."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "katex.mjs").write_bytes(katex_bundle().read_bytes())
        (Path(tmp) / "check.mjs").write_text(_SCRIPT, encoding="utf-8")
        done = subprocess.run(
            [node, "check.mjs"], cwd=tmp, input=json.dumps(formulas), capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def math_of(text: str) -> list[str]:
    """The ``$…$`` and ``$$…$$`` formulas of a Markdown text."""
    return [(a or b).strip() for a, b in MATH.findall(CODE.sub("", text))]


def raw_tex(text: str) -> list[str]:
    """TeX in ``text`` outside its math and code spans, which a reader would see as source."""
    return RAW.findall(MATH.sub(" ", CODE.sub(" ", text)))
