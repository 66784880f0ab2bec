"""Validation of a lesson's exercise file, entry by entry and across entries (``spec.parse``)."""

from __future__ import annotations

import math
from typing import Any

from aecore.config import ConfigError
from aecore.exercises.spec import (
    COMMON_KEYS,
    EXERCISE_KEYS,
    KIND_KEYS,
    KINDS,
    Exercise,
    LessonLearn,
    file_error,
    no_unknown_keys,
    non_negative,
    parse_measure,
    valid_id,
)


def _measure(at: str, text: Any) -> str:
    if not isinstance(text, str):
        raise file_error(at, f"measure must be a string, got {text!r}")
    try:
        parse_measure(text)
    except ValueError as exc:
        raise file_error(at, str(exc)) from None
    return text.strip()


def _choices(at: str, raw: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or len(raw) < 2:
        raise file_error(at, "choices must be a table of at least two options: { option_id = 'metric', ... }")
    return tuple((valid_id(at, k), _measure(at, v)) for k, v in raw.items())


def _bands(at: str, raw: Any) -> tuple[tuple[str, float], ...]:
    """[["low", 0.1], ["near", 0.2], ["high", inf]]: increasing bounds, the last one inf."""
    bands = []
    for item in raw or []:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[1], (int, float))):
            raise file_error(at, f"each band is [name, upper bound], got {item!r}")
        bands.append((valid_id(at, item[0]), float(item[1])))
    bounds = [b for _, b in bands]
    if bands and (bounds != sorted(set(bounds)) or bounds[-1] != math.inf):
        raise file_error(at, "band bounds must increase and the last must be inf")
    return tuple(bands)


def exercise_from(lesson: str, experiment: str, i: int, raw: dict, where: str) -> Exercise:
    at = f"{where} exercise[{i}]"
    if not isinstance(raw, dict):
        raise file_error(at, "an exercise is a table")
    ex_id = valid_id(at, raw.get("id"))
    at = f"{where} exercise {ex_id!r}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise file_error(at, f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    no_unknown_keys(at, raw, EXERCISE_KEYS)
    no_unknown_keys(at, raw, COMMON_KEYS | KIND_KEYS[kind])
    overrides = raw.get("set", {})
    if not isinstance(overrides, dict):
        raise file_error(at, "set must be a table of settings")
    common = dict(
        id=ex_id,
        lesson=lesson,
        experiment=raw.get("experiment", experiment),
        kind=kind,
        overrides=tuple(overrides.items()),
        preset=bool(raw.get("preset", False)),
        objective=raw.get("objective"),
    )
    if kind == "choice":
        best = raw.get("best", "max")
        if best not in ("max", "min"):
            raise file_error(at, f"best must be 'max' or 'min', got {best!r}")
        return Exercise(**common, choices=_choices(at, raw.get("choices")), best=best)
    measure = _measure(at, raw.get("measure"))
    if kind == "direction":
        within = non_negative(at, "same_within", raw.get("same_within"), 0.02)
        same_abs = non_negative(at, "same_abs", raw.get("same_abs"))
        return Exercise(**common, measure=measure, same_within=within, same_abs=same_abs)
    tol = non_negative(at, "tolerance", raw.get("tolerance"))
    rel = non_negative(at, "rel_tolerance", raw.get("rel_tolerance"))
    if tol == 0 and rel == 0:
        raise file_error(at, "a number exercise needs tolerance and/or rel_tolerance > 0")
    return Exercise(**common, measure=measure, tolerance=tol, rel_tolerance=rel, bands=_bands(at, raw.get("bands")))


def _check_exercise(ex: Exercise, where: str) -> None:
    from aecore.exercises.targets import default_config, target_config
    from aecore.experiments import registry

    at = f"{where} exercise {ex.id!r}"
    if ex.experiment not in registry():
        raise file_error(at, f"unknown experiment {ex.experiment!r}")
    base = default_config(ex.experiment)
    try:
        target = target_config(ex, base)
    except (ConfigError, TypeError) as exc:
        raise file_error(at, f"set {dict(ex.overrides)} is not a valid setting: {exc}") from None
    if ex.kind == "direction" and target == base:
        raise file_error(at, "a direction exercise must change a setting (set = {...})")


def check_lesson(learn: LessonLearn, where: str) -> None:
    """Cross-entry rules: unique ids, known experiments, settings and claims, answers."""
    from aecore.experiments import registry

    ids = [e.id for e in learn.exercises] + [s.id for s in learn.selfchecks]
    if dupes := sorted({i for i in ids if ids.count(i) > 1}):
        raise file_error(where, f"exercise and self-check ids must be unique, repeated: {dupes}")
    if len(set(learn.objectives)) != len(learn.objectives):
        raise file_error(where, "objective ids must be unique")
    if learn.experiment not in registry():
        raise file_error(where, f"unknown experiment {learn.experiment!r}")
    if not isinstance(learn.no_preset, str) or (learn.no_preset and any(e.preset for e in learn.exercises)):
        raise file_error(where, "no_preset is a reason (text), only where no exercise is marked preset = true")
    for ex in learn.exercises:
        _check_exercise(ex, where)
        if ex.objective is not None and ex.objective not in learn.objectives:
            raise file_error(where, f"exercise {ex.id!r}: objective {ex.objective!r} is not in objectives")
    for objective, experiment, claims in learn.objective_claims:
        if objective not in learn.objectives:
            raise file_error(where, f"objective_claims names {objective!r}, which is not in objectives")
        known = {c.key for c in registry()[experiment].claims} if experiment in registry() else set()
        if experiment not in registry() or not claims or not set(claims) <= known:
            raise file_error(where, f"objective {objective!r}: claims {list(claims)} are not claims of {experiment!r}")
    for sc in learn.selfchecks:
        if len(sc.choices) < 2 or len(set(sc.choices)) != len(sc.choices):
            raise file_error(where, f"self-check {sc.id!r} needs at least two distinct choices")
        for c in sc.choices:
            valid_id(f"{where} self-check {sc.id!r}", c)
        if sc.answer not in sc.choices:
            raise file_error(where, f"self-check {sc.id!r}: answer {sc.answer!r} is not one of its choices")
    try:
        from aecore.exercises.targets import typed_overrides

        typed_overrides(registry()[learn.experiment].config_cls, learn.quick)
    except ConfigError as exc:
        raise file_error(where, f"quick settings: {exc}") from None
