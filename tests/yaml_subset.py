"""A strict reader for the small YAML subset used by deploy/k8s (no PyYAML needed).

Supported: block mappings and sequences by indentation, ``- key: value`` items, plain
and quoted scalars (true/false/null, integers, floats, strings), full-line and trailing
comments, ``---`` document separators. Anything else (flow collections, block scalars,
anchors, aliases, tags, tabs) raises ValueError instead of being guessed, so a manifest
edited beyond the subset fails loudly. Where PyYAML is installed the tests check that
both readers agree on every manifest.
"""

from __future__ import annotations

import re
from typing import Any

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_KEY = re.compile(r"([A-Za-z0-9_./-]+|\"[^\"]*\"|'[^']*'):(\s|$)")


def _strip_comment(line: str) -> str:
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'" and (i == 0 or line[i - 1] in " :-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] == " "):
            break
        out.append(ch)
    if quote:
        raise ValueError(f"unterminated quote in {line!r}")
    return "".join(out).rstrip()


def _scalar(text: str) -> Any:
    t = text.strip()
    if not t:
        return None
    if t[0] in "{[|>&*!%@`":
        raise ValueError(f"unsupported YAML construct: {t!r}")
    if t[0] == '"':
        if not t.endswith('"') or len(t) < 2 or "\\" in t:
            raise ValueError(f"unsupported double-quoted scalar: {t!r}")
        return t[1:-1]
    if t[0] == "'":
        if not t.endswith("'") or len(t) < 2:
            raise ValueError(f"bad single-quoted scalar: {t!r}")
        return t[1:-1].replace("''", "'")
    if t in ("true", "True", "TRUE"):
        return True
    if t in ("false", "False", "FALSE"):
        return False
    if t in ("null", "Null", "NULL", "~"):
        return None
    if t.lower() in ("yes", "no", "on", "off", "y", "n"):
        raise ValueError(f"ambiguous YAML 1.1 boolean {t!r}: quote it")
    if _INT.match(t):
        return int(t)
    if _FLOAT.match(t):
        return float(t)
    if ": " in t or t.endswith(":") or " #" in t:
        raise ValueError(f"unsupported plain scalar: {t!r}")
    return t


def _key(text: str) -> str:
    return text[1:-1] if text[:1] in "\"'" else text


class _Lines:
    def __init__(self, lines: list[tuple[int, str, int]]):
        self.lines, self.i = lines, 0

    def peek(self):
        return self.lines[self.i] if self.i < len(self.lines) else None


def _parse_block(src: _Lines, indent: int) -> Any:
    first = src.peek()
    if first is None or first[0] < indent:
        return None
    if first[1].startswith("- ") or first[1] == "-":
        return _parse_seq(src, first[0])
    return _parse_map(src, first[0])


def _parse_map(src: _Lines, indent: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    while (line := src.peek()) is not None and line[0] == indent:
        ind, text, no = line
        if text.startswith("-"):
            raise ValueError(f"line {no}: sequence item where a key was expected")
        m = _KEY.match(text)
        if not m:
            raise ValueError(f"line {no}: expected 'key: value', got {text!r}")
        key = _key(m.group(1))
        if key in out:
            raise ValueError(f"line {no}: duplicate key {key!r}")
        rest = text[m.end() :].strip()
        src.i += 1
        if rest:
            out[key] = _scalar(rest)
        else:
            nxt = src.peek()
            if nxt is not None and (nxt[0] > indent or (nxt[0] == indent and nxt[1].startswith("- "))):
                out[key] = _parse_block(src, nxt[0])
            else:
                out[key] = None
    if (line := src.peek()) is not None and line[0] > indent:
        raise ValueError(f"line {line[2]}: unexpected indentation")
    return out


def _parse_seq(src: _Lines, indent: int) -> list[Any]:
    out: list[Any] = []
    while (line := src.peek()) is not None and line[0] == indent and (line[1].startswith("- ") or line[1] == "-"):
        ind, text, no = line
        body = text[1:].lstrip()
        if not body:
            src.i += 1
            out.append(_parse_block(src, indent + 1))
            continue
        child_indent = ind + (len(text) - len(body))
        if _KEY.match(body):  # "- key: value" opens a mapping at the item's column
            src.lines[src.i] = (child_indent, body, no)
            out.append(_parse_map(src, child_indent))
        else:
            src.i += 1
            out.append(_scalar(body))
    return out


def load_all(text: str) -> list[Any]:
    """Documents of ``text`` (empty documents dropped), like yaml.safe_load_all."""
    if "\t" in text:
        raise ValueError("tabs are not allowed in YAML indentation")
    docs: list[list[tuple[int, str, int]]] = [[]]
    for no, raw in enumerate(text.splitlines(), 1):
        if raw.strip() == "---":
            docs.append([])
            continue
        if raw.startswith("%"):
            raise ValueError(f"line {no}: directives are not supported")
        line = _strip_comment(raw)
        if line.strip():
            docs[-1].append((len(line) - len(line.lstrip(" ")), line.strip(), no))
    out = []
    for lines in docs:
        if not lines:
            continue
        src = _Lines(lines)
        value = _parse_block(src, lines[0][0])
        if src.peek() is not None:
            raise ValueError(f"line {src.peek()[2]}: could not parse")
        out.append(value)
    return out
