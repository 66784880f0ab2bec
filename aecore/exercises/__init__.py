"""Predict, run, explain: a lesson's exercises and self-checks as data, graded from the
run's own metrics (no Streamlit here).

* ``load(lesson)`` / ``lessons()``: the validated files ``aecore/exercises/<lesson>.toml``
  (``spec`` has the records, ``checks`` the rules);
* ``target_config(ex, base)``: the config after the exercise's setting change;
* ``grade(ex, answer, after, before)`` and ``parse_answer(ex, text)``: ``grading``;
* ``aecore.exercises.runner.run_exercise``: both runs and the grade, for the command line
  (imported from its module: it reads the lecture presets, which list exercise targets).
"""

from aecore.exercises.grading import AnswerError, Grade, evaluate, grade, parse_answer
from aecore.exercises.loader import lessons, load
from aecore.exercises.spec import DIRECTIONS, KINDS, Exercise, ExerciseError, LessonLearn, SelfCheck
from aecore.exercises.targets import target_config

__all__ = [
    "DIRECTIONS",
    "KINDS",
    "AnswerError",
    "Exercise",
    "ExerciseError",
    "Grade",
    "LessonLearn",
    "SelfCheck",
    "evaluate",
    "grade",
    "lessons",
    "load",
    "parse_answer",
    "target_config",
]
