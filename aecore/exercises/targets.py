"""An exercise's target config: its setting change applied to the config on screen.

The overrides are TOML values; each is read as the type of its field (``noise = 0`` is the
float 0.0, a list is a tuple), so that a target equals — and hashes like — the same config
built by the settings form, and finds the same lecture preset. The Config validates them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from aecore.config import Config, ConfigError
from aecore.exercises.spec import Exercise, ExerciseError


def _typed(cls: type[Config], key: str, value: Any) -> Any:
    specs = cls.field_specs()
    if key not in specs:
        raise ConfigError(
            f"unknown setting {key!r}; known: {', '.join(specs)}.",
            code="unknown_setting",
            params=dict(name=key, known=", ".join(specs)),
        )
    default = specs[key].default
    if isinstance(default, bool) or not isinstance(default, (int, float, tuple)):
        ok = isinstance(value, type(default))
    elif isinstance(default, float):
        ok, value = isinstance(value, (int, float)) and not isinstance(value, bool), value
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok, value = isinstance(value, (list, tuple)), tuple(value) if isinstance(value, (list, tuple)) else value
    if not ok:
        kind = type(default).__name__
        msg = f"{key}={value!r} is not a valid {kind}."
        raise ConfigError(msg, code="not_parseable", params=dict(name=key, value=value, kind=kind))
    return value


def typed_overrides(cls: type[Config], overrides: Any) -> dict[str, Any]:
    """``overrides`` (pairs or a dict) with every value read as its field's type."""
    return {k: _typed(cls, k, v) for k, v in dict(overrides).items()}


def target_config(ex: Exercise, base: Config) -> Config:
    """``base`` with the exercise's setting change (validated by the Config: ConfigError)."""
    return dataclasses.replace(base, **typed_overrides(type(base), ex.overrides))


def default_config(experiment: str) -> Config:
    from aecore.experiments import registry

    exp = registry().get(experiment)
    if exp is None:
        msg = f"unknown experiment {experiment!r}"
        raise ExerciseError(msg, code="bad_exercise_file", params=dict(where="exercise", message=msg))
    return exp.config_cls()
