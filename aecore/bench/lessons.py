"""``python -m aecore bench``, section 5: every lesson's default view timed on its default
data and at MNIST size, side by side.

A view is one of the configs a page opens with (``Experiment.views``, as for the lecture
presets). "Default" is the view as shipped: 8×8 digits for the lessons on images, a lesson's
own data otherwise (2-D curves, the U-Net's synthetic scenes). "MNIST size" is the same view
with ``dataset`` set to real MNIST when the data folder has it (``AE_DATA_DIR``), else to
``digits28``, the built-in 28×28 stand-in of 10 000 rows; a lesson whose ``dataset`` does not
offer it has no MNIST-size cell ("own data"). Each cell is the wall-clock seconds of
``experiment.run(config)`` (what a page's default view trains, presets off) and how many of
the lesson's claims held. Data are loaded and UMAP compiled before timing, as the app's
start-up does. With CUDA, every view runs again on the GPU (``AE_DEVICE`` chooses).
No thresholds: the figures are printed for the README.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import torch

from aecore.config import Config, ConfigError
from aecore.data.registry import installed, load_dataset
from aecore.errors import DataError
from aecore.experiments import get
from aecore.train import TrainingDiverged


@dataclass(frozen=True)
class Cell:
    seconds: float | None  # None: the run failed (``note`` says how)
    held: int = 0
    of: int = 0
    note: str = ""

    def text(self) -> str:
        if self.seconds is None:
            return self.note
        return f"{self.seconds:.1f} ({self.held}/{self.of})"


def mnist_size_data() -> tuple[str, str]:
    """(data set name, how the table's header names it): real MNIST when installed."""
    if installed("mnist"):
        return "mnist", f"real MNIST ({load_dataset('mnist').n} rows from the data folder)"
    return "digits28", "digits28, the built-in 28×28 stand-in (10 000 rows; no MNIST files here)"


def on_data(cfg: Config, name: str) -> Config | None:
    """``cfg`` with ``dataset=name``, or None when the experiment does not offer that data."""
    if not hasattr(cfg, "dataset"):
        return None
    try:
        return dataclasses.replace(cfg, dataset=name)
    except ConfigError:
        return None


@contextlib.contextmanager
def on_device(device: str) -> Iterator[None]:
    """Run models on ``device`` ("cpu" or "cuda") inside the block (``AE_DEVICE``)."""
    old = os.environ.get("AE_DEVICE")
    os.environ["AE_DEVICE"] = device
    try:
        yield
    finally:
        if old is None:
            del os.environ["AE_DEVICE"]
        else:
            os.environ["AE_DEVICE"] = old


def time_view(name: str, cfg: Config, device: str = "cpu") -> Cell:
    exp = get(name)
    with on_device(device):
        t0 = time.perf_counter()
        try:
            result = exp.run(cfg, None)
        except (ConfigError, DataError, TrainingDiverged) as exc:
            return Cell(None, note=f"failed: {type(exc).__name__}")
        seconds = time.perf_counter() - t0
    claims = exp.check_claims(result.metrics)
    return Cell(seconds, sum(claims.values()), len(claims))


def view_label(name: str, cfg: Config) -> str:
    """The experiment, and the fields where the view differs from the defaults."""
    default = type(cfg)()
    changed = [
        f"{f.name}={getattr(cfg, f.name)}"
        for f in dataclasses.fields(cfg)
        if f.name != "dataset" and getattr(cfg, f.name) != getattr(default, f.name)
    ]
    return f"{name} ({', '.join(changed)})" if changed else name


def lesson_rows(views: Sequence[tuple[str, Config]], big: str | None, devices: Sequence[str] = ("cpu",)) -> list[dict]:
    """One row per view: {"view", "data", (device, "default"): Cell, (device, "mnist"): Cell
    or None (the lesson does not take that data)}; ``big`` None skips the MNIST-size runs."""
    rows = []
    for name, cfg in views:
        row: dict = {"view": view_label(name, cfg), "data": str(getattr(cfg, "dataset", "own"))}
        big_cfg = on_data(cfg, big) if big else None
        for dev in devices:
            row[(dev, "default")] = time_view(name, cfg, dev)
            row[(dev, "mnist")] = time_view(name, big_cfg, dev) if big_cfg is not None else None
        rows.append(row)
    return rows


def table_header(devices: Sequence[str]) -> str:
    return f"   {'view':<34}{'default data':<16}" + "".join(
        f"{d + ' default':>18}{d + ' MNIST size':>20}" for d in devices
    )


def table_line(row: dict, devices: Sequence[str], big_skipped: bool = False) -> str:
    """view | default data | per device: default s (claims) | MNIST size s (claims)."""
    gone, line = "skipped" if big_skipped else "own data", f"   {row['view']:<34}{row['data']:<16}"
    for dev in devices:
        big = row[(dev, "mnist")]
        line += f"{row[(dev, 'default')].text():>18}{(big.text() if big else gone):>20}"
    return line


def lesson_table(rows: list[dict], devices: Sequence[str], big_skipped: bool = False) -> str:
    return "\n".join([table_header(devices)] + [table_line(r, devices, big_skipped) for r in rows])


def print_lessons(quick: bool = False, only: Sequence[str] = (), warm_up: bool = True) -> None:
    """Section 5 (``--quick``: each experiment's main view, default data only; ``only``: these
    experiments)."""
    from aecore import embed, presets

    big, label = mnist_size_data()
    devices = ("cpu", "cuda") if torch.cuda.is_available() else ("cpu",)
    seen, views = set(), []
    for name, cfg in presets.views():
        if (not only or name in only) and not (quick and name in seen):
            views.append((name, cfg))
            seen.add(name)
    if warm_up:  # as the app's start-up: data loaded once per process, UMAP compiled
        for data in ("digits", big):
            load_dataset(data)
        embed.warm_up()
    print(
        f"\n5. Each lesson's default view, seconds (claims held / claims), "
        f"on {', '.join(devices)}; MNIST size = {label}"
        + ("; --quick: main views, MNIST size skipped" if quick else "")
    )
    print(table_header(devices), flush=True)
    for view in views:  # a line as soon as its runs are done: the full table takes a while
        (row,) = lesson_rows([view], None if quick else big, devices)
        print(table_line(row, devices, big_skipped=quick), flush=True)
