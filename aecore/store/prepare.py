"""Preparing a class on one data set: which page views to train, the data's digest, and the
headless ``python -m aecore pack --data FILE.csv|digits28 [--only a,b] [--out class.pack]``.

The views are those a page opens with on that data (``aecore.presets.data_views``: every
experiment whose ``dataset`` setting offers it, each of its default views with that data set).
The UI's preparation queue (``ui.runtime.prepare``) trains the same list.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from aecore import cost, presets
from aecore.config import Config, ConfigError
from aecore.data import registry
from aecore.data.userdata import content_digest
from aecore.errors import DataError
from aecore.experiments import Result
from aecore.experiments import registry as experiments
from aecore.store import pack
from aecore.train import TrainingDiverged


def views(data: str, only: list[str] | tuple[str, ...] = ()) -> list[tuple[str, Config]]:
    """(experiment, config) of every page view on ``data`` (only the experiments ``only``
    names, when given)."""
    return [(n, c) for n, c in presets.data_views(data) if not only or n in only]


def digest(data: str) -> str:
    """The content digest of data set ``data`` (the current owner's upload, or built-in)."""
    ds = registry.load_dataset(data)
    return content_digest(ds.X, ds.y, ds.image_shape)


def label(data: str) -> str:
    return registry.user_label(data) or data


def _data_name(arg: str) -> str:
    """A built-in (or installed) data set's name, or a file registered as an upload."""
    if arg in registry.DATASETS:
        return arg
    from aecore.store.rerun import register_file

    return register_file(arg)


def command(data_arg: str, only: str, out: str | None) -> int:
    """``python -m aecore pack``: train the views on the data, write the pack (exit 0/1/2)."""
    try:
        data = _data_name(data_arg)
        todo = views(data, [s.strip() for s in only.split(",") if s.strip()])
        if not todo:
            raise ConfigError(f"no page view trains on {data_arg}.", code="pack_no_views", params=dict(data=data_arg))
        for name, cfg in todo:
            cost.check(experiments()[name], cfg)
    except (ConfigError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    entries: list[tuple[str, Config, Result]] = []
    for name, cfg in todo:
        t0 = time.perf_counter()
        try:
            entries.append((name, cfg, experiments()[name].run(cfg, None)))
        except (TrainingDiverged, DataError, ConfigError) as exc:
            print(f"{name:18s} skipped: {exc}", file=sys.stderr)
            continue
        print(f"{name:18s} {time.perf_counter() - t0:6.1f} s")
    try:
        blob = pack.dump(entries, digest(data), label(data))
    except pack.PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    path = Path(out or "class.pack")
    path.write_bytes(blob)
    print(f"{path}: {len(entries)} results, {len(blob) / 2**20:.1f} MB, data digest {digest(data)[:16]}")
    return 0 if len(entries) == len(todo) else 1
