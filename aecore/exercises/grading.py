"""Grading a learner's prediction from the run's own metrics, never from a stored answer.

* direction: Δ = m(after) − m(before) of the exercise's measure m; the outcome is "same"
  when |Δ| ≤ max(same_abs, same_within·|m(before)|), else "up" or "down" by the sign of Δ;
* choice: the outcome is the option whose measure is the largest (``best = "max"``) or the
  smallest (``"min"``) on the run; ties go to the first in order;
* number: right when |answer − m(after)| ≤ max(tolerance, rel_tolerance·|m(after)|); the
  outcome (which explanation is shown) is the band of m(after), or "measured".

For direction and choice exactly one option is right: the outcome. A measure that is not
finite (a 0/0) has no outcome and grades every answer wrong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aecore.errors import CodedError
from aecore.exercises.spec import Exercise, parse_measure

SLACK = 1e-9  # relative slack on tolerance edges: a tolerance of 0.01 accepts 0.01 exactly


class AnswerError(CodedError):
    """An answer that is not one of the exercise's options, or not a number."""


@dataclass(frozen=True)
class Grade:
    answer: str | float
    measured: float | dict[str, float]  # direction: after − before; choice: each option's value; number: m(after)
    correct: bool
    outcome: str | None  # the right option (direction, choice) or the band of the measured value (number)
    params: dict[str, float] = field(default_factory=dict)  # numbers an explanation is formatted with


def evaluate(measure: str, metrics: Mapping[str, float]) -> float:
    """The value of a measure ("a", "a - b", "a / b") on ``metrics`` (KeyError if a metric is missing)."""
    a, op, b = parse_measure(measure)
    x = float(metrics[a])
    if op is None:
        return x
    y = float(metrics[b])
    if op == "-":
        return x - y
    return x / y if y != 0 else math.nan


def parse_answer(ex: Exercise, text: Any) -> str | float:
    """The answer as graded: an option id (direction, choice) or a finite float (number)."""
    if ex.kind == "number":
        try:
            value = float(str(text).strip().replace(",", "."))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise AnswerError(
                f"answer {str(text)[:40]!r} to {ex.id} is not a number.", code="answer_not_number", params=dict()
            )
        return value
    answer = str(text).strip().lower()
    if answer not in ex.options:
        options = ", ".join(ex.options)
        raise AnswerError(
            f"answer {str(text)[:40]!r} to {ex.id} is not one of: {options}.",
            code="answer_not_option",
            params=dict(options=options),
        )
    return answer


def _direction(ex: Exercise, after: Mapping[str, float], before: Mapping[str, float]) -> tuple:
    b, a = evaluate(ex.measure, before), evaluate(ex.measure, after)
    delta = a - b
    if not math.isfinite(delta):
        outcome = None
    elif abs(delta) <= max(ex.same_abs, ex.same_within * abs(b)) * (1 + SLACK):
        outcome = "same"
    else:
        outcome = "up" if delta > 0 else "down"
    ratio = a / b if b != 0 else math.nan
    return delta, outcome, dict(before=b, after=a, change=delta, ratio=ratio)


def _choice(ex: Exercise, after: Mapping[str, float]) -> tuple:
    values = {c: evaluate(m, after) for c, m in ex.choices}
    finite = {c: v for c, v in values.items() if math.isfinite(v)}
    pick = max if ex.best == "max" else min
    outcome = pick(finite, key=finite.get) if len(finite) == len(values) else None  # first of equals wins
    return values, outcome, {f"v_{c}": v for c, v in values.items()}


def _number(ex: Exercise, answer: float, after: Mapping[str, float]) -> tuple:
    measured = evaluate(ex.measure, after)
    tol = max(ex.tolerance, ex.rel_tolerance * abs(measured))
    outcome = next((name for name, hi in ex.bands if measured <= hi), None) if ex.bands else "measured"
    correct = math.isfinite(measured) and abs(answer - measured) <= tol * (1 + SLACK) + 1e-15
    return measured, (outcome if math.isfinite(measured) else None), dict(tolerance=tol), correct


def grade(
    ex: Exercise,
    answer: str | float,
    after_metrics: Mapping[str, float],
    before_metrics: Mapping[str, float] | None = None,
    config: Any = None,
    before_config: Any = None,
) -> Grade:
    """Grade ``answer`` (as ``parse_answer`` returns it) on the run of the target config
    (``after_metrics``) and, for a direction, the run before the change. ``params`` holds
    the numbers an explanation may use: ``measured``, ``answer`` (number), ``m_<metric>``
    of the run, ``b_<metric>`` of the run before, ``c_<field>`` of ``config`` and
    ``bc_<field>`` of ``before_config`` (numeric fields only), and per kind: ``before``,
    ``after``, ``change``, ``ratio`` (direction), ``v_<option>`` (choice), ``tolerance``."""
    if ex.kind == "direction":
        if before_metrics is None:
            raise ValueError(f"{ex.id}: a direction exercise needs the run before the change")
        measured, outcome, extra = _direction(ex, after_metrics, before_metrics)
        correct = outcome is not None and answer == outcome
    elif ex.kind == "choice":
        measured, outcome, extra = _choice(ex, after_metrics)
        correct = outcome is not None and answer == outcome
    else:
        measured, outcome, extra, correct = _number(ex, float(answer), after_metrics)
        extra["answer"] = float(answer)
    params = {f"m_{k}": float(v) for k, v in after_metrics.items()}
    params |= {f"b_{k}": float(v) for k, v in (before_metrics or {}).items()}
    for prefix, cfg in (("c_", config), ("bc_", before_config)):
        if cfg is not None:
            params |= {f"{prefix}{k}": float(v) for k, v in cfg.to_dict().items() if _is_number(v)}
    if not isinstance(measured, dict):
        params["measured"] = measured
    return Grade(answer, measured, bool(correct), outcome, params | extra)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
