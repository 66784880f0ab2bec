"""Numbers for people, written the way the page's language writes them.

``num`` gives a fixed number of significant digits and never an 'e+04' (1.23×10⁻⁵ instead);
English writes a decimal point, Portuguese and Spanish a decimal comma (0,02391); digit
groups are a narrow no-break space in every language (SI: 29 320), so a group never reads as
a decimal mark. ``localize`` turns a number already written with a point (a format spec's
output) into the language's form. What a machine reads (widget values, URLs, JSON, CSV, the
exported script, the command line) keeps the point: only text for people goes through here.
No streamlit import: the language is an argument (``ui.kit.page.num`` passes the session's).
"""

from __future__ import annotations

import math
import re
from typing import Any

DECIMAL_MARK = {"en": ".", "pt": ",", "es": ","}
GROUP = "\u202f"  # narrow no-break space between digit groups
PLOTLY_SEPARATORS = {lang: mark + GROUP for lang, mark in DECIMAL_MARK.items()}  # plotly: decimal, then group
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_POINT = re.compile(r"(?<=\d)\.(?=\d)")
# One number as ``num`` or a format spec writes it in English, nothing else: -0.5, 12 345.6,
# 1.2×10⁻⁵, 12.5 %, 0.97 ± 0.01 (a text with words or commas is not a number and stays as it is).
_EN_NUMBER = re.compile(
    r"[-−+]?\d[\d\u202f]*(?:\.\d+)?(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
    r"(?:\s?±\s?\d[\d\u202f]*(?:\.\d+)?(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)?\s?%?"
)


def decimal_mark(lang: str) -> str:
    return DECIMAL_MARK.get(lang, ".")


def localize(text: str, lang: str) -> str:
    """``text`` (numbers written with a decimal point) with the language's decimal mark."""
    mark = decimal_mark(lang)
    return text if mark == "." else _POINT.sub(mark, text)


def is_number(text: str) -> bool:
    """Whether ``text`` is one number written the English way (what ``localize`` may change)."""
    return bool(_EN_NUMBER.fullmatch(text.strip())) and any(c.isdigit() for c in text)


def _grouped(n: int) -> str:
    """29320 -> '29 320'; four-digit numbers stay whole (SI style)."""
    return f"{n:,}".replace(",", GROUP) if abs(n) >= 10_000 else str(n)


def _english(v: float, digits: int) -> str:
    a = abs(v)
    if v.is_integer() or a >= 1e6:
        return _grouped(round(v))
    if a < 1e-4:
        mantissa, exponent = f"{v:.{digits - 1}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    decimals = max(0, digits - 1 - math.floor(math.log10(a)))
    text = f"{v:.{decimals}f}"
    if "." in text:
        return text.rstrip("0").rstrip(".")
    return _grouped(int(text))  # 12345.6 -> '12 346'


def num(value: Any, digits: int = 4, lang: str = "en") -> str:
    """A number for people: ``digits`` significant digits and never an 'e+04'.

    Whole numbers print whole (29 320 parameters), 1e-4 ≤ |v| < 1e6 in plain decimals
    without trailing zeros (0.01234; pt/es 0,01234), smaller values as 1.23×10⁻⁵; NaN as '–'."""
    v = float(value)
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return localize(_english(v, digits), lang)


class Localized:
    """A number that formats itself (``str.format`` specs included: ``{x:.3f}``) with the
    language's decimal mark: what ``ui.kit.i18n.t`` hands a catalog text for a float."""

    __slots__ = ("value", "lang")

    def __init__(self, value: float, lang: str) -> None:
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        text = format(self.value, spec)
        return localize(text.replace(",", GROUP), self.lang) if decimal_mark(self.lang) != "." else text

    def __str__(self) -> str:
        return self.__format__("")


def localized_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """A catalog text's parameters with every number written for ``lang``: floats format
    themselves with its decimal mark, and texts that are one English-written number
    ('0.02391', '1.2×10⁻⁵', '12.5 %') are rewritten. Other texts and whole numbers stay."""
    if decimal_mark(lang) == ".":
        return params
    out: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, float):
            out[k] = Localized(v, lang)
        elif isinstance(v, str) and is_number(v):
            out[k] = localize(v, lang)
        else:
            out[k] = v
    return out
