"""An exercise run headless (``python -m aecore exercise NAME ID --answer VALUE``).

The run before the change (needed by a direction exercise) is taken from the lecture
presets when they hold its config, else trained; the target config is always trained, with
the experiment's normal ``run``. Each training run obeys the same cost cap as ``run``
(``aecore.cost``: ``RunTooLong``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aecore import cost, presets
from aecore.config import Config
from aecore.exercises.grading import Grade, grade, parse_answer
from aecore.exercises.loader import load
from aecore.exercises.spec import Exercise
from aecore.exercises.targets import target_config
from aecore.experiments import registry


def _metrics(name: str, cfg: Config, on_progress: Callable | None, cap: bool, preset_ok: bool) -> dict[str, float]:
    found = presets.lookup(name, cfg) if preset_ok else None
    if found is not None:
        return dict(found.metrics)
    exp = registry()[name]
    if cap:
        cost.check(exp, cfg)
    return dict(exp.run(cfg, on_progress).metrics)


@dataclass(frozen=True)
class ExerciseRun:
    lesson: str
    exercise: Exercise
    target: Config
    grade: Grade
    seconds: float

    def as_json(self) -> dict[str, Any]:
        """The command line's object: lesson, exercise, answer, measured, correct, seconds."""
        g = self.grade
        return {
            "lesson": self.lesson,
            "exercise": self.exercise.id,
            "answer": g.answer,
            "measured": g.measured,
            "correct": g.correct,
            "seconds": round(self.seconds, 3),
        }


def play(
    lesson: str,
    ex_id: str,
    answer: Any,
    base_cfg: Config | None = None,
    on_progress: Callable | None = None,
    cap: bool = True,
) -> ExerciseRun:
    """Grade ``answer`` to exercise ``ex_id`` of ``lesson`` on fresh runs: ``base_cfg``
    (default: the experiment's defaults) is the view before, the exercise's change applied
    to it the target. Raises ExerciseError (unknown id), AnswerError, ConfigError,
    cost.RunTooLong, TrainingDiverged."""
    ex = load(lesson).exercise(ex_id)
    value = parse_answer(ex, answer)
    base = base_cfg if base_cfg is not None else registry()[ex.experiment].config_cls()
    target = target_config(ex, base)
    if cap:  # refuse before anything trains
        cost.check(registry()[ex.experiment], target)
    t0 = time.perf_counter()
    before = _metrics(ex.experiment, base, on_progress, cap, True) if ex.kind == "direction" else None
    after = _metrics(ex.experiment, target, on_progress, cap, False)
    g = grade(ex, value, after, before, config=target, before_config=base)
    return ExerciseRun(lesson, ex, target, g, time.perf_counter() - t0)


def run_exercise(lesson: str, ex_id: str, answer: Any, base_cfg: Config | None = None, **kw: Any) -> dict[str, Any]:
    """``play(...)`` as the command line's JSON object."""
    return play(lesson, ex_id, answer, base_cfg, **kw).as_json()
