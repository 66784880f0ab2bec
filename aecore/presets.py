"""Lecture presets: every page's default view trained once and shipped in assets/presets,
so that a freshly started server shows each page at once.

    python -m aecore presets              rebuild them all (minutes, one thread)
    python -m aecore presets --only vae   one experiment
    python -m aecore presets --check      list missing or stale files (exit 1 if any)

A preset is ``<experiment>-<digest>.safetensors`` (format: ``aecore.store.resultfile``),
where the digest is a hash of the config's JSON: changing a default makes the old file
unreachable — and ``--check``/the tests report it — instead of showing numbers the code
would no longer produce. The views are declared by each Experiment (``views``), and every
exercise marked ``preset = true`` (``aecore/exercises/<lesson>.toml``) adds its target
config on the defaults, so a class sees that exercise's verdict at once. Set
``AE_PRESETS=0`` to ignore them (cold-start benchmarks, tests of live training).

    python -m aecore presets --data mnist  the same views on MNIST (or fashion_mnist)

Presets on MNIST-format data are written to ``<data folder>/presets`` (``AE_DATA_DIR``), not
to assets/presets: only a server that has the files can show those views, the files are not
in git, and each preset is larger than a digits one. Such a preset records its data files'
fingerprint (names, sizes, times) and is used only while the same files are there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import torch

from aecore import exercises
from aecore.config import Config
from aecore.experiments import Result, registry
from aecore.io.mnist_files import KINDS as FILE_DATA
from aecore.io.mnist_files import data_dir, fingerprint
from aecore.store import resultfile

DIR = Path(__file__).resolve().parents[1] / "assets" / "presets"
MAX_FILE_BYTES = 8 * 2**20  # keep the repository small: a preset is a teaching view, not a dataset
MAX_TOTAL_BYTES = 26 * 2**20  # every shipped preset together: the repository stays small (26 MiB)
MAX_DATA_FILE_BYTES = 64 * 2**20  # presets on MNIST-size data, outside git


def enabled() -> bool:
    return os.environ.get("AE_PRESETS", "1") != "0"


def views() -> list[tuple[str, Config]]:
    """(experiment, config) of every page's default view, then of every exercise target
    marked ``preset = true`` (each once)."""
    out = []
    for name, exp in registry().items():
        for overrides in exp.views:
            out.append((name, dataclasses.replace(exp.config_cls(), **overrides)))
    for view in exercise_views():
        if view not in out:
            out.append(view)
    return out


def exercise_views() -> list[tuple[str, Config]]:
    """(experiment, target config on the defaults) of the exercises marked ``preset = true``."""
    out = []
    for lesson in exercises.lessons():
        for ex in exercises.load(lesson).exercises:
            if ex.preset:
                out.append((ex.experiment, exercises.target_config(ex, registry()[ex.experiment].config_cls())))
    return out


def data_views(kind: str) -> list[tuple[str, Config]]:
    """(experiment, config) of every page view on data set ``kind`` ("mnist", "fashion_mnist"):
    the views of the experiments whose ``dataset`` field offers it, with ``dataset=kind``."""
    out = []
    for name, exp in registry().items():
        if kind not in exp.config_cls.choices_of("dataset"):
            continue
        for overrides in exp.views:
            if "dataset" not in overrides:
                out.append((name, dataclasses.replace(exp.config_cls(), **{**overrides, "dataset": kind})))
    return out


def data_dir_presets() -> Path:
    """Where presets on MNIST-format data go: ``presets/`` in the data folder."""
    return data_dir() / "presets"


def _config_json(cfg: Config) -> str:
    return json.dumps(cfg.to_dict(), sort_keys=True)


def path_for(name: str, cfg: Config, base: Path | None = None) -> Path:
    digest = hashlib.sha256(_config_json(cfg).encode()).hexdigest()[:12]
    return (DIR if base is None else base) / f"{name}-{digest}.safetensors"


def _file_data(cfg: Config) -> str | None:
    """The MNIST-format data set ``cfg`` trains on, if any."""
    kind = getattr(cfg, "dataset", None)
    return kind if kind in FILE_DATA else None


@lru_cache(maxsize=32)
def _load(path: str, config_json: str, files: str = "") -> Result | None:
    result, header = resultfile.load(Path(path).read_bytes())
    if json.dumps(header.get("config"), sort_keys=True) != config_json:
        return None  # a digest collision or a hand-edited file: never show the wrong run
    if files and header.get("data_files") != files:
        return None  # built on other MNIST files than those here now
    return result


def lookup(name: str, cfg: Config) -> Result | None:
    """The preset Result for (experiment, config), or None. Shared and read-only. A view on
    MNIST-format data is looked up in the data folder, for the files present there."""
    if not enabled() or not isinstance(cfg, Config):
        return None
    path = path_for(name, cfg)
    if path.is_file():
        return _load(str(path), _config_json(cfg))
    if (kind := _file_data(cfg)) and (files := fingerprint(kind)):
        path = path_for(name, cfg, data_dir_presets())
        return _load(str(path), _config_json(cfg), files) if path.is_file() else None
    return None


@lru_cache(maxsize=64)
def _shipped(path: str, config_json: str) -> dict[str, float] | None:
    with open(path, "rb") as fh:
        head = fh.read(8)
        meta = resultfile.read_meta(head + fh.read(int.from_bytes(head, "little")))  # the JSON header only
    if json.dumps(meta["header"].get("config"), sort_keys=True) != config_json:
        return None
    return {k: float(v) for k, v in meta["metrics"].items()}


def shipped_metrics(name: str, cfg: Config) -> dict[str, float] | None:
    """The metrics of the preset shipped in assets/presets for (name, cfg), whatever
    ``AE_PRESETS`` says (the handout prints them), or None when there is none. Reads the
    file's header, not its tensors."""
    path = path_for(name, cfg)
    return _shipped(str(path), _config_json(cfg)) if path.is_file() else None


def build(name: str, cfg: Config, on_progress: Callable | None = None) -> Path:
    """Train (name, cfg) from scratch and write its preset file: in assets/presets, or in
    the data folder for a view on MNIST-format data (with the files' fingerprint)."""
    kind = _file_data(cfg)
    result = registry()[name].run(cfg, on_progress)
    header = {
        "experiment": name,
        "config": cfg.to_dict(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
    }
    if kind:
        header["data_files"] = fingerprint(kind)
    data = resultfile.dump(result, header)
    limit = MAX_DATA_FILE_BYTES if kind else MAX_FILE_BYTES
    if len(data) > limit:
        raise ValueError(
            f"the {name} preset would be {len(data) / 2**20:.1f} MB "
            f"(limit {limit // 2**20} MB); store less in its arrays."
        )
    base = data_dir_presets() if kind else DIR
    base.mkdir(parents=True, exist_ok=True)
    path = path_for(name, cfg, base)
    path.write_bytes(data)
    return path


def check(kind: str | None = None) -> tuple[list[str], list[Path]]:
    """(views without a preset, preset files no view uses) in assets/presets, or with
    ``kind`` ("mnist" ...) in the data folder (stale there: used by no view on any kind)."""
    if kind is None:
        base, wanted = DIR, {path_for(n, c): n for n, c in views()}
        used = set(wanted)
    else:
        base, wanted = data_dir_presets(), {path_for(n, c, data_dir_presets()): n for n, c in data_views(kind)}
        used = {path_for(n, c, base) for k in FILE_DATA for n, c in data_views(k)}
    missing = [n for p, n in wanted.items() if not p.is_file()]
    stale = sorted(p for p in base.glob("*.safetensors") if p not in used)
    return missing, stale


def command(only: list[str], check_only: bool, kind: str | None = None, missing_only: bool = False) -> int:
    """``python -m aecore presets``: check, or build the views asked for (exit status 0/1/2)."""
    from aecore.io.mnist_files import available

    if kind is not None and not available(kind):
        print(
            f"error: {kind} is not installed, so no preset can be built on it: run 'python -m aecore data --download "
            f"{kind}', or put its files in the data folder (see data/README.md).",
            file=sys.stderr,
        )
        return 2
    flag = f" --data {kind}" if kind else ""
    if check_only:
        missing, stale = check(kind)
        for name in missing:
            print(f"missing: {name} (run 'python -m aecore presets{flag} --only {name}')")
        for path in stale:
            print(f"stale: {path.name} (no page opens with its config; delete it)")
        return 1 if missing or stale else 0
    todo = [(n, c) for n, c in (data_views(kind) if kind else views()) if not only or n in only]
    if missing_only:
        base = data_dir_presets() if kind else None
        todo = [(n, c) for n, c in todo if not path_for(n, c, base).is_file()]
        if not todo:
            print("every view has its preset")
            return 0
    if not todo:
        print(f"error: no views for {', '.join(only) or kind}; run 'python -m aecore list'.", file=sys.stderr)
        return 2
    if kind:
        print(f"{kind} views, written to {data_dir_presets()} (used only with these {kind} files)")
    for name, cfg in todo:
        t0 = time.perf_counter()
        path = build(name, cfg)
        print(f"{name:18s} {time.perf_counter() - t0:6.1f} s  {path.stat().st_size / 1024:7.0f} KiB  {path.name}")
    _, stale = check(kind)
    for path in stale:
        path.unlink()
        print(f"removed stale {path.name}")
    return 0
