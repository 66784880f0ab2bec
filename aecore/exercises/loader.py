"""Reading a lesson's exercise file: ``load(lesson)`` parses and validates
``aecore/exercises/<lesson>.toml`` once per process; ``lessons()`` lists the files."""

from __future__ import annotations

import tomllib
from functools import cache

from aecore.exercises.checks import check_lesson, exercise_from
from aecore.exercises.spec import DIR, ID, TOP_KEYS, ExerciseError, LessonLearn, SelfCheck, no_unknown_keys, valid_id


def lessons() -> list[str]:
    """The lessons that have an exercise file, sorted."""
    return sorted(p.stem for p in DIR.glob("*.toml"))


@cache
def load(lesson: str) -> LessonLearn:
    """The parsed, validated exercise file of ``lesson`` (read once per process)."""
    path = DIR / f"{lesson}.toml"
    if not ID.fullmatch(lesson) or not path.is_file():
        raise ExerciseError(
            f"no exercises for {lesson!r}; lessons with exercises: {', '.join(lessons())}.",
            code="unknown_lesson",
            params=dict(lesson=lesson),
        )
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return parse(lesson, raw)


def parse(lesson: str, raw: dict) -> LessonLearn:
    """Validate a lesson's parsed TOML (see the module docstring)."""
    where = f"aecore/exercises/{lesson}.toml"
    no_unknown_keys(where, raw, TOP_KEYS)
    experiment = raw.get("experiment", lesson)
    objectives = tuple(valid_id(f"{where} objectives", o) for o in raw.get("objectives", []))
    pairs = []
    for i, entry in enumerate(raw.get("objective_claims", [])):
        at = f"{where} objective_claims[{i}]"
        no_unknown_keys(at, entry, {"objective", "claims", "experiment"})
        claims = tuple(entry.get("claims", []))
        pairs.append((entry.get("objective"), entry.get("experiment", experiment), claims))
    exercises = tuple(exercise_from(lesson, experiment, i, e, where) for i, e in enumerate(raw.get("exercise", [])))
    checks = []
    for i, entry in enumerate(raw.get("selfcheck", [])):
        at = f"{where} selfcheck[{i}]"
        no_unknown_keys(at, entry, {"id", "choices", "answer"})
        sc_id = valid_id(at, entry.get("id"))
        checks.append(SelfCheck(sc_id, tuple(entry.get("choices", [])), entry.get("answer", "")))
    learn = LessonLearn(
        lesson,
        experiment,
        objectives,
        tuple(pairs),
        exercises,
        tuple(checks),
        tuple(raw.get("quick", {}).items()),
        raw.get("no_preset", ""),
    )
    check_lesson(learn, where)
    return learn
