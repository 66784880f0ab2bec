"""Numbers for people in the page's language (``ui.kit.numbers``): a decimal comma in pt and es,
a point in en, the same digit groups (a narrow space) everywhere, exponents as ×10ⁿ; catalog
texts formatted with numbers write them the language's way; nothing else changes."""

from __future__ import annotations

import pytest

from ui.kit.i18n import translate
from ui.kit.numbers import GROUP, is_number, localize, localized_params, num


@pytest.mark.parametrize(
    ("value", "digits", "en", "pt"),
    [
        (0.023912345, 4, "0.02391", "0,02391"),
        (-0.5, 4, "-0.5", "-0,5"),
        (-1.23456e-5, 3, "-1.23×10⁻⁵", "-1,23×10⁻⁵"),
        (2.5e-7, 4, "2.5×10⁻⁷", "2,5×10⁻⁷"),
        (29320, 4, f"29{GROUP}320", f"29{GROUP}320"),
        (12345.6, 4, f"12{GROUP}346", f"12{GROUP}346"),
        (1234.5, 6, "1234.5", "1234,5"),
        (3.0, 4, "3", "3"),
        (float("nan"), 4, "–", "–"),
        (float("-inf"), 4, "−∞", "−∞"),
    ],
)
def test_num_writes_the_decimal_mark_of_the_language(value, digits, en, pt):
    assert num(value, digits, "en") == en
    assert num(value, digits, "pt") == pt
    assert num(value, digits, "es") == pt


def test_localize_changes_only_points_between_digits():
    assert localize("0.97 ± 0.01", "es") == "0,97 ± 0,01"
    assert localize("k = 8. Done.", "pt") == "k = 8. Done."  # a full stop is not a decimal mark
    assert localize("0.97", "en") == "0.97"


def test_only_one_number_is_a_number():
    assert is_number("0.02391") and is_number("-1.2×10⁻⁵") and is_number("12.5 %") and is_number("0.9 ± 0.1")
    assert not is_number("v1.2 beta") and not is_number("0,5") and not is_number("seed") and not is_number("")


def test_catalog_texts_write_numbers_the_languages_way():
    """Floats format themselves with the mark (format specs included); number-shaped texts are
    rewritten; whole numbers, words and already localised numbers are left alone."""
    p = localized_params({"x": 0.25, "s": "0.125", "n": 12, "w": "ae.pt", "c": "0,5"}, "pt")
    assert f"{p['x']:.3f}|{p['x']}|{p['x']:,.1f}" == "0,250|0,25|0,2"
    assert (p["s"], p["n"], p["w"], p["c"]) == ("0,125", 12, "ae.pt", "0,5")
    assert f"{localized_params({'x': 12345.5}, 'es')['x']:,.1f}" == f"12{GROUP}345,5"
    assert localized_params({"x": 0.25}, "en") == {"x": 0.25}
    # a real catalog text with a number in it (the claim's threshold)
    assert "0,5" in translate("kit.other_data", "pt", chosen="0.5", used="digits")
