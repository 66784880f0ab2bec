"""Reading an uploaded text table (CSV, TSV, whitespace) into numbers and raw labels.

Format: the delimiter is sniffed from the first row, outside quoted text (tab, else
semicolon, else comma, else whitespace); UTF-8 with or without BOM (UTF-16 with BOM too);
lines starting with ``#`` are skipped. Rows are split by Python's ``csv`` module (RFC 4180
quoting: ``"cls,1"`` is one cell; a quoted cell may not span lines). A first row that is not
all numbers is a header; a header column named label/labels/y/target/class (any case) is the
label column. With ``;`` or tab as delimiter, ``,`` in a number is a decimal comma.

Defences, all checked before the table is allocated: line count, line length, column
count, and for the label column the length of each label (``MAX_LABEL_CHARS``) and the
number of distinct text labels (``MAX_CLASSES``); labels stay Python strings, never a
fixed-width array as wide as the longest one. Memory: at most about 10× the file size.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import numpy as np

from aecore.data.dataset import MAX_FEATURES, MAX_ROWS, MIN_ROWS
from aecore.errors import DataError, Note

LABEL_NAMES = ("label", "labels", "y", "target", "class")
MAX_CLASSES = 1000
MAX_LABEL_CHARS = 64
MAX_LINE_CHARS = 64 * (MAX_FEATURES + 1)  # bounds the strings one row is split into


@dataclass
class Table:
    X: np.ndarray  # (n, D) float64
    labels: list[str] | None  # the label column's cells, as read
    columns: tuple[str, ...] | None  # header names of the features
    label_column: str | None
    notes: list[Note]


def _decode(name: str, data: bytes) -> str:
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise DataError(
            f"{name} is not a UTF-8 text file; upload a CSV (or an NPZ) saved as UTF-8.",
            code="not_utf8",
            params=dict(name=name),
        ) from None
    if "\x00" in text:
        raise DataError(
            f"{name} looks like a binary file; upload a CSV text file or an NPZ.",
            code="binary_file",
            params=dict(name=name),
        )
    return text


def _lines(name: str, data: bytes) -> list[str]:
    """Non-empty, non-comment lines, each within ``MAX_LINE_CHARS``."""
    text = _decode(name, data)
    if (n_lines := text.count("\n")) > 2 * MAX_ROWS + 100:  # before building a list of lines
        raise DataError(
            f"{name} has {n_lines} lines; the limit is {MAX_ROWS} rows. Upload a sample of the rows.",
            code="too_many_rows",
            params=dict(name=name, rows=n_lines, max=MAX_ROWS),
        )
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise DataError(
            f"{name} has no rows of data; upload at least {MIN_ROWS} rows of numbers.",
            code="no_rows",
            params=dict(name=name, min=MIN_ROWS),
        )
    long = next((i for i, ln in enumerate(lines) if len(ln) > MAX_LINE_CHARS), None)
    if long is not None:
        raise DataError(
            f"{name}: row {long + 1} is {len(lines[long])} characters long; at most {MAX_FEATURES} columns "
            "of numbers are accepted. Keep fewer columns.",
            code="row_too_long",
            params=dict(name=name, row=long + 1, max=MAX_FEATURES),
        )
    return lines


def _sniff(first: str) -> str | None:
    """Tab, else semicolon, else comma, else whitespace (None): numbers never contain a
    tab or a semicolon, so either one is the delimiter when present (quoted text aside)."""
    bare = re.sub(r'"[^"]*"', "", first)
    return next((d for d in ("\t", ";", ",") if d in bare), None)


def _cells(line: str, delim: str | None) -> list[str]:
    """One row's cells: ``csv`` splitting (quotes honoured) for a delimiter, else on runs
    of whitespace (a quoted cell there loses its quotes, not its spaces' meaning)."""
    if delim is None:
        return [c.strip().strip('"') for c in line.split()]
    return [c.strip() for c in next(csv.reader([line], delimiter=delim), [])]


def _decimal_comma(cells: list[str]) -> list[str]:
    return [c.replace(",", ".") for c in cells]


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _label_index(columns: list[str] | None) -> int | None:
    if columns is None:
        return None
    lowered = [c.strip().lower() for c in columns]
    names = [n for n in LABEL_NAMES if not (n == "y" and "x" in lowered)]  # x, y = points
    return next((i for i, c in enumerate(lowered) if c in names), None)


def _check_size(name: str, n_rows: int, n_features: int) -> None:
    if n_features > MAX_FEATURES:
        raise DataError(
            f"{name} has {n_features} columns; the limit is {MAX_FEATURES}. Keep fewer columns.",
            code="too_many_columns",
            params=dict(name=name, columns=n_features, max=MAX_FEATURES),
        )
    if n_rows > MAX_ROWS:
        raise DataError(
            f"{name} has {n_rows} rows; the limit is {MAX_ROWS}. Upload a sample of the rows.",
            code="too_many_rows",
            params=dict(name=name, rows=n_rows, max=MAX_ROWS),
        )
    if n_rows == 0:
        raise DataError(
            f"{name} has a header but no rows of data; add at least {MIN_ROWS} rows.",
            code="no_rows",
            params=dict(name=name, min=MIN_ROWS),
        )


class _LabelGuard:
    """Caps each label's length and the number of distinct text labels, row by row."""

    def __init__(self, name: str):
        self.name, self.texts = name, set()

    def __call__(self, cell: str, row: int) -> str:
        if len(cell) > MAX_LABEL_CHARS:
            raise DataError(
                f"{self.name}: the label in row {row} is {len(cell)} characters long; at most "
                f"{MAX_LABEL_CHARS} are accepted. Use short class names.",
                code="label_too_long",
                params=dict(name=self.name, row=row, length=len(cell), max=MAX_LABEL_CHARS),
            )
        if cell not in self.texts and not is_number(cell):
            self.texts.add(cell)
            if len(self.texts) > MAX_CLASSES:
                raise DataError(
                    f"{self.name}: the labels have more than {MAX_CLASSES} different texts; at most "
                    f"{MAX_CLASSES} classes are supported.",
                    code="too_many_classes",
                    params=dict(name=self.name, classes=f"> {MAX_CLASSES}", max=MAX_CLASSES),
                )
        return cell


def _matrix(name: str, rows: list[str], delim: str | None, width: int, label_idx: int | None, skip: int, comma: bool):
    """Rows -> (X float64, label cells or None); ``skip`` = header rows before ``rows``;
    ``comma``: ``,`` in a number is a decimal comma (never in the label column)."""
    X = np.empty((len(rows), width - (label_idx is not None)), dtype=np.float64)  # ≤ 5 M cells (byte cap)
    labels: list[str] | None = None if label_idx is None else []
    guard = _LabelGuard(name)
    for i, ln in enumerate(rows):
        cells = _cells(ln, delim)
        if len(cells) != width:
            raise DataError(
                f"{name}: row {i + 1 + skip} has {len(cells)} cells, the first row has {width}; "
                "every row needs the same columns.",
                code="ragged_row",
                params=dict(name=name, row=i + 1 + skip, cells=len(cells), width=width),
            )
        if labels is not None:
            labels.append(guard(cells.pop(label_idx), i + 1 + skip))
        cells = _decimal_comma(cells) if comma else cells
        try:
            X[i] = np.array(cells, dtype=np.float64)
        except (ValueError, OverflowError):
            j = next((k for k, c in enumerate(cells) if not is_number(c)), 0)
            j_file = j + (label_idx is not None and j >= label_idx)
            raise DataError(
                f"{name}: row {i + 1 + skip}, column {j_file + 1} holds {cells[j][:30]!r}, which is not a "
                "number; numbers only (a text column may only be the label column).",
                code="not_a_number",
                params=dict(name=name, row=i + 1 + skip, column=j_file + 1, cell=cells[j][:30]),
            ) from None
    return X, labels


def read_table(name: str, data: bytes) -> Table:
    """Parse a text table; every problem is a coded ``DataError``."""
    lines = _lines(name, data)
    delim, notes = _sniff(lines[0]), []
    comma = delim in ("\t", ";") and any("," in ln for ln in lines[:50])
    if comma:
        notes.append(Note("read ',' as a decimal comma", "decimal_comma"))
    first = _cells(lines[0], delim)
    columns = None if all(is_number(c) for c in (_decimal_comma(first) if comma else first)) else first
    rows = lines[1:] if columns is not None else lines
    label_idx = _label_index(columns)
    _check_size(name, len(rows), len(first) - (label_idx is not None))
    X, labels = _matrix(name, rows, delim, len(first), label_idx, skip=int(columns is not None), comma=comma)
    label_column = None
    if label_idx is not None:
        label_column = columns[label_idx]
        notes.append(Note(f"column {label_column!r} used as labels", "label_column", column=label_column))
        columns = [c for j, c in enumerate(columns) if j != label_idx]
    return Table(X, labels, tuple(columns) if columns else None, label_column, notes)
