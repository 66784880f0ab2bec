"""Every exercise of every lesson, run headless (``aecore.exercises.runner.play``) on the
defaults and on the next seed: the grade equals an independent reading of the two runs'
metrics, exactly one direction or choice option is right, and a planted wrong answer is
graded wrong. Lessons whose default run is long use their ``quick`` settings here (the
outcome itself is checked by hand with the command line; see the content guide)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from aecore.exercises import grade, lessons, load
from aecore.exercises.runner import play
from aecore.exercises.targets import typed_overrides
from aecore.experiments import registry

pytestmark = pytest.mark.slow
LONG_S = 10  # a lesson whose declared budget exceeds this runs with its quick settings here
CASES = [(lesson, ex.id, seed) for lesson in lessons() for ex in load(lesson).exercises for seed in (0, 1)]


def _value(measure: str, metrics: dict[str, float]) -> float:
    """The measure read apart from the grader: 'a', 'a - b' or 'a / b'."""
    for op in (" - ", " / "):
        if op in measure:
            a, b = (metrics[p.strip()] for p in measure.split(op))
            return a - b if op == " - " else (a / b if b else math.nan)
    return metrics[measure.strip()]


def _independent(ex, after: dict, before: dict) -> str | None:
    if ex.kind == "direction":
        b, a = _value(ex.measure, before), _value(ex.measure, after)
        if abs(a - b) <= max(ex.same_abs, ex.same_within * abs(b)) * (1 + 1e-9):
            return "same"
        return "up" if a > b else "down"
    values = [(c, _value(m, after)) for c, m in ex.choices]
    best = max(v for _, v in values) if ex.best == "max" else min(v for _, v in values)
    return next(c for c, v in values if v == best)


@pytest.mark.parametrize("lesson,ex_id,seed", CASES)
def test_exercise_grades_from_its_own_runs(lesson, ex_id, seed):
    learn = load(lesson)
    ex = learn.exercise(ex_id)
    exp = registry()[ex.experiment]
    base = dataclasses.replace(exp.config_cls(), seed=seed)
    if exp.budget_s > LONG_S:
        base = dataclasses.replace(base, **typed_overrides(type(base), learn.quick))
    first = "0" if ex.kind == "number" else ex.options[0]
    run = play(lesson, ex_id, first, base)
    g, p = run.grade, run.grade.params
    after = {k[2:]: v for k, v in p.items() if k.startswith("m_")}
    before = {k[2:]: v for k, v in p.items() if k.startswith("b_")}
    assert run.target == dataclasses.replace(base, **typed_overrides(type(base), ex.overrides))
    if ex.kind == "number":
        measured = _value(ex.measure, after)
        assert g.measured == measured
        assert grade(ex, measured, after).correct and not grade(ex, measured + 2 * p["tolerance"] + 1, after).correct
        return
    right = _independent(ex, after, before)
    assert g.outcome == right and g.correct == (first == right)
    graded = {o: grade(ex, o, after, before or None).correct for o in ex.options}
    assert [o for o, ok in graded.items() if ok] == [right]  # exactly one; every planted other is wrong
