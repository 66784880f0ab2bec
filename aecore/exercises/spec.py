"""Exercises and self-checks of a lesson, read from ``aecore/exercises/<lesson>.toml``.

A lesson file holds data only (texts: ``assets/locales/<lang>/learn/<lesson>.toml``):

* ``objectives`` (ids) and ``[[objective_claims]]`` (which claims of the experiment prove
  which objective, for the page's recap);
* ``[[exercise]]``: a setting change (``set``), a kind and what grades it, from the run's
  own metrics: ``direction`` (did ``measure`` go up, stay about the same or go down from
  the run on screen?), ``choice`` (which option's metric is the largest / smallest?),
  ``number`` (is the answer within ``tolerance`` / ``rel_tolerance`` of ``measure``?);
* ``[[selfcheck]]``: a multiple-choice question on the lecture, its right ``answer``;
* ``no_preset``: why no exercise is marked ``preset = true`` (every result of the lesson is
  too large for the presets' size budget); a lesson has one or the other.

``load`` parses and validates a file: an unknown key, kind, experiment, setting or claim
is refused with an ``ExerciseError`` that names the file and the entry.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aecore.errors import CodedError

DIR = Path(__file__).resolve().parent
KINDS = ("direction", "choice", "number")
DIRECTIONS = ("up", "same", "down")
ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
MEASURE = re.compile(r"\s*([A-Za-z_]\w*)\s*(?:([-/])\s*([A-Za-z_]\w*)\s*)?")
TOP_KEYS = {"experiment", "quick", "objectives", "objective_claims", "exercise", "selfcheck", "no_preset"}
EXERCISE_KEYS = {
    "id",
    "experiment",
    "kind",
    "set",
    "measure",
    "same_within",
    "same_abs",
    "choices",
    "best",
    "tolerance",
    "rel_tolerance",
    "bands",
    "preset",
    "objective",
}
KIND_KEYS = {  # the keys each kind may have beyond the common ones
    "direction": {"measure", "same_within", "same_abs"},
    "choice": {"choices", "best"},
    "number": {"measure", "tolerance", "rel_tolerance", "bands"},
}
COMMON_KEYS = {"id", "experiment", "kind", "set", "preset", "objective"}


class ExerciseError(CodedError):
    """A lesson's exercise file is wrong, or an exercise id is unknown."""


@dataclass(frozen=True)
class Exercise:
    id: str
    lesson: str
    experiment: str
    kind: str  # direction | choice | number
    overrides: tuple[tuple[str, Any], ...]  # the setting change, applied to the config on screen
    measure: str | None = None  # a metric name, "a - b" or "a / b" (direction, number)
    choices: tuple[tuple[str, str], ...] = ()  # choice: (option id, measure) in order
    best: str = "max"  # choice: the right option has the largest (max) or smallest (min) value
    same_within: float = 0.02  # direction: |after − before| ≤ same_within·|before| is "same" ...
    same_abs: float = 0.0  # ... or ≤ same_abs
    tolerance: float = 0.0  # number: right when |answer − measured| ≤ max(tolerance, rel_tolerance·|measured|)
    rel_tolerance: float = 0.0
    bands: tuple[tuple[str, float], ...] = ()  # number: outcome = first band whose upper bound ≥ measured
    preset: bool = False  # its target config (on the defaults) is shipped as a lecture preset
    objective: str | None = None  # the objective it practises (the recap lists it there)

    @property
    def options(self) -> tuple[str, ...]:
        """What a learner may answer: up/same/down, the choice ids, or () for a number."""
        if self.kind == "direction":
            return DIRECTIONS
        return tuple(c for c, _ in self.choices)

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The measured outcomes, one explanation (``why.<outcome>``) each."""
        if self.kind == "number":
            return tuple(name for name, _ in self.bands) or ("measured",)
        return self.options

    def measures(self) -> tuple[str, ...]:
        return (self.measure,) if self.measure else tuple(m for _, m in self.choices)

    def metric_names(self) -> set[str]:
        """Every metric the grading reads."""
        return {name for m in self.measures() for name in parse_measure(m)[::2] if name}


@dataclass(frozen=True)
class SelfCheck:
    id: str
    choices: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class LessonLearn:
    lesson: str
    experiment: str  # the lesson's main experiment (default of every exercise)
    objectives: tuple[str, ...]
    objective_claims: tuple[tuple[str, str, tuple[str, ...]], ...]  # (objective, experiment, claims)
    exercises: tuple[Exercise, ...]
    selfchecks: tuple[SelfCheck, ...]
    quick: tuple[tuple[str, Any], ...] = ()  # cheap settings for tests (few epochs), never shown
    no_preset: str = ""  # why no exercise target is a lecture preset ("" when one is)

    def exercise(self, ex_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == ex_id:
                return ex
        known = ", ".join(ex.id for ex in self.exercises)
        raise ExerciseError(
            f"unknown exercise {ex_id!r} of {self.lesson}; known: {known}.",
            code="unknown_exercise",
            params=dict(lesson=self.lesson, exercise=ex_id, known=known),
        )

    def claims_of(self, objective: str) -> list[tuple[str, str]]:
        """(experiment, claim key) pairs that prove ``objective``."""
        return [(e, c) for o, e, claims in self.objective_claims if o == objective for c in claims]


def parse_measure(text: str) -> tuple[str, str | None, str | None]:
    """``"a"`` -> (a, None, None); ``"a - b"`` -> (a, "-", b); ``"a / b"`` -> (a, "/", b)."""
    m = MEASURE.fullmatch(text or "")
    if m is None:
        raise ExerciseError(
            f"measure {text!r} is not a metric name, 'a - b' or 'a / b'.", code="bad_measure", params=dict(measure=text)
        )
    return m.group(1), m.group(2), m.group(3)


def file_error(where: str, msg: str) -> ExerciseError:
    return ExerciseError(f"{where}: {msg}", code="bad_exercise_file", params=dict(where=where, message=msg))


def no_unknown_keys(where: str, got: dict, allowed: set[str]) -> None:
    if extra := sorted(set(got) - allowed):
        raise file_error(where, f"unknown keys {extra}; allowed: {sorted(allowed)}")


def valid_id(where: str, value: Any) -> str:
    if not isinstance(value, str) or not ID.fullmatch(value):
        raise file_error(where, f"id {value!r} must be snake_case (a-z, 0-9, _), at most 40 characters")
    return value


def non_negative(where: str, key: str, value: Any, default: float = 0.0) -> float:
    value = default if value is None else value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or value < 0:
        raise file_error(where, f"{key} must be a number ≥ 0, got {value!r}")
    return float(value)


def replace(ex: Exercise, **changes: Any) -> Exercise:
    """A copy of ``ex`` with ``changes`` (tests plant faults with it)."""
    return dataclasses.replace(ex, **changes)
