"""Lecture presets: every page's default view trained once and shipped in assets/presets,
so that a freshly started server shows each page at once.

    python -m aecore presets              rebuild them all (minutes, one thread)
    python -m aecore presets --only vae   one experiment
    python -m aecore presets --check      list missing or stale files (exit 1 if any)

A preset is ``<experiment>-<digest>.safetensors`` (format: ``aecore.store.resultfile``),
where the digest is a hash of the config's JSON: changing a default makes the old file
unreachable — and ``--check``/the tests report it — instead of showing numbers the code
would no longer produce. The views are declared by each Experiment (``views``). Set
``AE_PRESETS=0`` to ignore them (cold-start benchmarks, tests of live training).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import torch

from aecore.config import Config
from aecore.experiments import Result, registry
from aecore.store import resultfile

DIR = Path(__file__).resolve().parents[1] / "assets" / "presets"
MAX_FILE_BYTES = 8 * 2**20  # keep the repository small: a preset is a teaching view, not a dataset


def enabled() -> bool:
    return os.environ.get("AE_PRESETS", "1") != "0"


def views() -> list[tuple[str, Config]]:
    """(experiment, config) of every page's default view."""
    out = []
    for name, exp in registry().items():
        for overrides in exp.views:
            out.append((name, dataclasses.replace(exp.config_cls(), **overrides)))
    return out


def _config_json(cfg: Config) -> str:
    return json.dumps(cfg.to_dict(), sort_keys=True)


def path_for(name: str, cfg: Config) -> Path:
    digest = hashlib.sha256(_config_json(cfg).encode()).hexdigest()[:12]
    return DIR / f"{name}-{digest}.safetensors"


@lru_cache(maxsize=32)
def _load(path: str, config_json: str) -> Result | None:
    result, header = resultfile.load(Path(path).read_bytes())
    if json.dumps(header.get("config"), sort_keys=True) != config_json:
        return None  # a digest collision or a hand-edited file: never show the wrong run
    return result


def lookup(name: str, cfg: Config) -> Result | None:
    """The preset Result for (experiment, config), or None. Shared and read-only."""
    if not enabled() or not isinstance(cfg, Config):
        return None
    path = path_for(name, cfg)
    return _load(str(path), _config_json(cfg)) if path.is_file() else None


def build(name: str, cfg: Config, on_progress: Callable | None = None) -> Path:
    """Train (name, cfg) from scratch and write its preset file."""
    result = registry()[name].run(cfg, on_progress)
    header = {
        "experiment": name,
        "config": cfg.to_dict(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
    }
    data = resultfile.dump(result, header)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"the {name} preset would be {len(data) / 2**20:.1f} MB "
            f"(limit {MAX_FILE_BYTES // 2**20} MB); store less in its arrays."
        )
    DIR.mkdir(parents=True, exist_ok=True)
    path = path_for(name, cfg)
    path.write_bytes(data)
    return path


def check() -> tuple[list[str], list[Path]]:
    """(views without a preset, preset files no view uses)."""
    wanted = {path_for(n, c): n for n, c in views()}
    missing = [n for p, n in wanted.items() if not p.is_file()]
    stale = sorted(p for p in DIR.glob("*.safetensors") if p not in wanted)
    return missing, stale
