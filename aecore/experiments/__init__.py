"""Experiments registry: lesson name -> Experiment, discovered from this package.

Each module here defines ``EXPERIMENTS: list[Experiment]``; adding a lesson means adding
a module, with no central list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from aecore.experiments.base import Claim, Experiment, Replay, Result, Tracker

__all__ = ["Claim", "Experiment", "Replay", "Result", "Tracker", "registry", "get"]


@lru_cache(maxsize=1)
def registry() -> dict[str, Experiment]:
    found: dict[str, Experiment] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for exp in getattr(module, "EXPERIMENTS", []):
            found[exp.name] = exp
    return found


def get(name: str) -> Experiment:
    reg = registry()
    if name not in reg:
        raise KeyError(f"unknown experiment {name!r}; known: {', '.join(reg)}.")
    return reg[name]
