"""``python -m aecore exercise``: a lesson's exercises, listed or graded headless.

    exercise NAME --list --json   [{"id", "question", "kind", "choices"}] (choices: null for a number)
    exercise NAME ID --answer VALUE [--set k=v] --json
                                  {"lesson", "exercise", "answer", "measured", "correct", "seconds"}

``measured`` is after − before for a direction, each option's value for a choice, the
measured value for a number. The question and, without ``--json``, the explanation are the
English texts (``aecore.texts``). Errors print one line and exit 2 (1: training diverged).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from aecore import cost, texts
from aecore.config import ConfigError
from aecore.errors import DataError
from aecore.exercises import AnswerError, ExerciseError, load
from aecore.train import TrainingDiverged


def _fail(msg: str, code: int = 2) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return code


def listing(lesson: str) -> list[dict[str, Any]]:
    """The lesson's exercises as the command line lists them."""
    out = []
    for ex in load(lesson).exercises:
        question = " ".join(texts.text(lesson, f"exercise.{ex.id}.question").split())
        out.append({"id": ex.id, "question": question, "kind": ex.kind, "choices": list(ex.options) or None})
    return out


def _base(lesson: str, ex_id: str, sets: list[str]):
    """The view before the exercise's change: the experiment's defaults with ``--set``."""
    ex = load(lesson).exercise(ex_id)
    from aecore.experiments import registry

    pairs = {}
    for item in sets:
        if "=" not in item:
            raise ExerciseError(f"--set expects KEY=VALUE, got {item!r}.", code="set_not_pair", params=dict(item=item))
        k, v = item.split("=", 1)
        pairs[k.strip()] = v.strip()
    return registry()[ex.experiment].config_cls.from_strings(pairs)


def _explained(run) -> str:
    g, lesson, ex = run.grade, run.lesson, run.exercise
    why = texts.text(lesson, f"exercise.{ex.id}.why.{g.outcome}") if g.outcome else "(not measurable)"
    try:
        why = texts.formatted(why, g.params)
    except (KeyError, IndexError, ValueError):
        pass  # the validation tests make sure every placeholder is filled
    measured = g.measured if isinstance(g.measured, dict) else {"measured": g.measured}
    numbers = ", ".join(f"{k} {texts.number(v)}" for k, v in measured.items())
    verdict = "right" if g.correct else "wrong"
    return (
        f"{lesson} / {ex.id}: answer {g.answer} is {verdict} ({numbers}; {run.seconds:.1f} s)\n{' '.join(why.split())}"
    )


def cmd_exercise(args) -> int:
    from aecore.exercises.runner import play

    try:
        if args.list or not args.id:
            if args.id or args.answer is not None:
                return _fail("--list takes no exercise id or answer.")
            items = listing(args.name)
            print(
                json.dumps(items)
                if args.json
                else "\n".join(f"{i['id']:16s} {i['kind']:9s} {i['question']}" for i in items)
            )
            return 0
        if args.answer is None:
            return _fail("an exercise run needs --answer VALUE.")
        base = _base(args.name, args.id, args.set)
        run = play(args.name, args.id, args.answer, base, cap=not args.no_cap)
    except cost.RunTooLong as exc:
        return _fail(f"{exc} (Or pass --no-cap; AE_MAX_RUN_S sets the limit.)")
    except (ExerciseError, AnswerError, ConfigError, DataError) as exc:
        return _fail(str(exc))
    except TrainingDiverged as exc:
        return _fail(str(exc), 1)
    print(json.dumps(run.as_json()) if args.json else _explained(run))
    return 0
