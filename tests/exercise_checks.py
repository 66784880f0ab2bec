"""Shared helpers of the exercise tests: the metric names an exercise's run has (from the
lecture preset of its config when one is shipped, else a quick run with the lesson's
``quick`` settings), the text keys a lesson's learn catalog must have, and the
placeholders an explanation may use."""

from __future__ import annotations

import dataclasses
import string
import tomllib
from functools import cache

from aecore import presets
from aecore.config import Config
from aecore.exercises import Exercise, LessonLearn, target_config
from aecore.exercises.targets import typed_overrides
from aecore.experiments import registry
from tests.i18n_scan import LOCALES
from ui.kit.i18n import flatten


@cache
def metric_names(experiment: str, cfg: Config, quick: tuple) -> frozenset[str]:
    """The metric names a run of ``cfg`` reports (quick settings change how long, not which)."""
    import os

    old = os.environ.get("AE_PRESETS")
    os.environ["AE_PRESETS"] = "1"
    try:
        found = presets.lookup(experiment, cfg)
    finally:
        os.environ["AE_PRESETS"] = old if old is not None else "0"
    if found is not None:
        return frozenset(found.metrics)
    fast = dataclasses.replace(cfg, **typed_overrides(type(cfg), quick))
    return frozenset(registry()[experiment].run(fast, None).metrics)


def runs_of(learn: LessonLearn, ex: Exercise) -> tuple[frozenset[str], frozenset[str]]:
    """(metric names after the change, metric names before it) on the defaults."""
    base = registry()[ex.experiment].config_cls()
    after = metric_names(ex.experiment, target_config(ex, base), learn.quick)
    return after, metric_names(ex.experiment, base, learn.quick)


def expected_keys(learn: LessonLearn) -> set[str]:
    """Every key ``assets/locales/<lang>/learn/<lesson>.toml`` must have (besides recap.intro)."""
    keys = {f"objective.{o}" for o in learn.objectives}
    for ex in learn.exercises:
        keys.add(f"exercise.{ex.id}.question")
        if ex.kind == "choice":
            keys |= {f"exercise.{ex.id}.choice.{c}" for c in ex.options}
        keys |= {f"exercise.{ex.id}.why.{o}" for o in ex.outcomes}
    for sc in learn.selfchecks:
        keys.add(f"selfcheck.{sc.id}.question")
        keys |= {f"selfcheck.{sc.id}.{part}.{c}" for c in sc.choices for part in ("choice", "why")}
    return keys


OPTIONAL_KEYS = {"recap.intro"}


def learn_catalog(lang: str, lesson: str) -> dict[str, object]:
    path = LOCALES / lang / "learn" / f"{lesson}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return flatten(tomllib.load(fh))


def allowed_params(ex: Exercise, after: frozenset[str], before: frozenset[str]) -> set[str]:
    """The names an explanation of ``ex`` may use (``aecore.exercises.grading.grade``)."""
    cfg = registry()[ex.experiment].config_cls()
    fields = {k for k, v in cfg.to_dict().items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    names = {f"m_{m}" for m in after} | {f"c_{f}" for f in fields}
    if ex.kind == "direction":
        names |= {"before", "after", "change", "ratio", "measured"} | {f"b_{m}" for m in before}
        names |= {f"bc_{f}" for f in fields}
    elif ex.kind == "choice":
        names |= {f"v_{c}" for c in ex.options}
    else:
        names |= {"measured", "answer", "tolerance"}
    return names


def fields_of(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
