"""Frozen, validated configuration dataclasses.

Every experiment and the training loop take a frozen dataclass whose fields carry their
bounds in the field metadata (``param``). Validation runs in ``__post_init__``, so an
out-of-range value is refused in the backend whatever the caller (widget, command line,
crafted URL). Frozen configs are hashable: they are the cache keys of trained results
and the state of a shareable link.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any

from aecore.errors import CodedError


class ConfigError(CodedError):
    """A setting is unknown or out of range; the message says what to change."""


def param(
    default: Any,
    help: str,
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple | Callable[[], tuple] | None = None,
    lo_open: bool = False,
    **budget: Any,
) -> Any:
    """A dataclass field with a default, a one-line help and its admissible values.

    A field that counts training (``epochs`` / ``*_epochs``: passes over the rows; ``steps`` /
    ``*_steps``: optimiser steps) carries its budget, read by ``aecore.data.steps`` (training,
    help texts) and ``aecore.cost`` (the estimate): ``batch`` (rows per step; 0 = full batch),
    ``big_batch=(rows, batch)`` (that batch on more rows than that), ``auto_steps`` or
    ``auto_rows`` (what ``0`` = automatic means: about that many steps, or rows seen),
    ``epoch_range=(lo, hi)`` (the automatic epochs kept within; hi None = no cap) and
    ``train_rows(cfg, n)`` (rows of a data set of n that the stage trains on).
    ``scales=True`` marks a real-valued setting that scales the work (a t-SNE perplexity).
    The help text may place these numbers as ``{batch}``, ``{steps}``… (``steps.help_values``)."""
    unknown = set(budget) - BUDGET_KEYS
    if unknown:
        raise TypeError(f"param() got unknown budget keys {sorted(unknown)}")
    meta = {"help": help, "lo": lo, "hi": hi, "choices": choices, "lo_open": lo_open, **budget}
    return dataclasses.field(default=default, metadata=meta)


BUDGET_KEYS = frozenset({"batch", "big_batch", "auto_steps", "auto_rows", "epoch_range", "train_rows", "scales"})


def _choices(meta: Mapping[str, Any]) -> tuple | None:
    """A field's admissible values (None: any value within its bounds); a registry that can
    grow (a callable, e.g. a user's uploaded data) is read now."""
    choices = meta.get("choices")
    return tuple(choices()) if callable(choices) else choices


def _check(name: str, value: Any, meta: dict) -> None:
    choices = _choices(meta)
    if choices is not None:  # a tuple value picks several of the choices
        if not all(v in choices for v in (value if isinstance(value, tuple) else (value,))):
            names = ", ".join(map(str, choices))
            raise ConfigError(
                f"{name}={value!r} is not allowed; choose one of {names}.",
                code="not_a_choice",
                params=dict(name=name, value=value, choices=names),
            )
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(
            f"{name} must be a finite number, got {value!r}.", code="non_finite", params=dict(name=name, value=value)
        )
    lo, hi = meta.get("lo"), meta.get("hi")
    if lo is not None and (value < lo or (meta.get("lo_open") and value <= lo)):
        op = ">" if meta.get("lo_open") else "≥"
        raise ConfigError(
            f"{name}={value!r} is too small; it must be {op} {lo}.",
            code="too_small",
            params=dict(name=name, value=value, op=op, lo=lo),
        )
    if hi is not None and value > hi:
        raise ConfigError(
            f"{name}={value!r} is too large; it must be ≤ {hi}.",
            code="too_large",
            params=dict(name=name, value=value, hi=hi),
        )


@dataclasses.dataclass(frozen=True)
class Config:
    """Base of every config: checks each field against its ``param`` metadata."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            _check(f.name, getattr(self, f.name), f.metadata)
        self.check()

    def check(self) -> None:
        """Cross-field rules; subclasses raise ConfigError with a clear message."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def field_specs(cls) -> dict[str, dataclasses.Field]:
        return {f.name: f for f in dataclasses.fields(cls)}

    @classmethod
    def choices_of(cls, name: str) -> tuple:
        """The admissible values of field ``name``; () when there is no such field or it takes any value."""
        spec = cls.field_specs().get(name)
        return tuple(_choices(spec.metadata) or ()) if spec is not None else ()

    @classmethod
    def from_strings(cls, pairs: dict[str, str]) -> Config:
        """Build from ``key=value`` strings (command line, URL), parsing by field type."""
        specs = cls.field_specs()
        kwargs = {}
        for key, raw in pairs.items():
            if key not in specs:
                raise ConfigError(
                    f"unknown setting {key!r}; known: {', '.join(specs)}.",
                    code="unknown_setting",
                    params=dict(name=key, known=", ".join(specs)),
                )
            kwargs[key] = parse_value(key, raw, specs[key].default)
        return cls(**kwargs)


def parse_value(key: str, raw: str, default: Any) -> Any:
    """Parse ``raw`` to the type of ``default`` (bool, int, float, str, tuple of int)."""
    try:
        if isinstance(default, bool):
            low = raw.strip().lower()
            if low not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError
            return low in ("true", "1", "yes")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            return tuple(int(v) for v in raw.replace(" ", "").split(",") if v)
        return raw
    except ValueError:
        kind = type(default).__name__
        raise ConfigError(
            f"{key}={raw!r} is not a valid {kind}.", code="not_parseable", params=dict(name=key, value=raw, kind=kind)
        ) from None
