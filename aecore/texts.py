"""The teaching texts of a lesson in one language, for the command line (no Streamlit, no ui).

``assets/locales/<lang>/learn/<lesson>.toml`` holds a lesson's objectives, exercise
questions, option labels and explanations (``ui.kit.i18n`` shows them as ``learn.<lesson>.*``);
this reader gives the command line the English question, labels and explanation.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parents[1] / "assets" / "locales"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        out |= _flatten(value, full) if isinstance(value, dict) else {full: str(value)}
    return out


@cache
def learn_texts(lesson: str, lang: str = "en") -> dict[str, str]:
    """Dotted keys of the lesson's teaching texts (``exercise.<id>.question`` ...); {} if none."""
    path = LOCALES / lang / "learn" / f"{lesson}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return _flatten(tomllib.load(fh))


def text(lesson: str, key: str, lang: str = "en") -> str:
    """One text (``key`` itself when it is missing: the validation tests make sure none is)."""
    return learn_texts(lesson, lang).get(key, key)


def number(value: float) -> str:
    """A measured value for a terminal: 4 significant digits."""
    return "–" if math.isnan(value) else f"{value:.4g}"


def formatted(template: str, params: dict[str, float]) -> str:
    """``template`` with its ``{name}`` fields filled with the numbers in ``params``."""
    return template.format(**{k: number(v) for k, v in params.items()})
