"""Training budgets: how many epochs and rows per step a setting means, read from its
``param`` metadata, and a learning rate that keeps Adam's steps the same size whatever the
number of inputs.

A lesson's defaults are tuned on the 8×8 digits (1 797 rows). At MNIST size (10 000 rows)
the same number of *epochs* costs five times as long, though a mini-batch step learns as
much from either set; so an ``epochs`` setting of 0 means "automatic": as many epochs as it
takes to make about ``auto_steps`` mini-batch updates, or to see about ``auto_rows`` rows,
within ``epoch_range``. A ``steps`` setting counts updates, whatever the data size. This
module is the one reader of those budgets: the experiments train with ``epochs_for`` and
``batch_for``, the cost estimate (``aecore.cost``) counts with them, and the help texts
place their numbers (``help_values``).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from aecore.config import Config

GROUP = "\u202f"  # narrow no-break space between digit groups, as the pages write numbers
DEFAULT_BATCH = 128  # what ``work`` takes for a stage whose field names no batch ...
AUTO_ROWS = 400_000  # ... and the rows an "automatic" stage without a budget is taken to see


def _meta(cfg: Config | type[Config], name: str) -> Any:
    return cfg.field_specs()[name].metadata


def counts_steps(name: str) -> bool:
    """Whether a field counts optimiser steps (``steps``, ``*_steps``) rather than epochs."""
    return name == "steps" or name.endswith("_steps")


def batch_for(cfg: Config, name: str, rows: int) -> int | None:
    """Rows per step of the stage field ``name`` counts, on ``rows`` rows: its own batch field
    (``<prefix>batch`` / ``<prefix>batch_size``; 0 = full batch), else its ``batch`` metadata
    (``big_batch`` on more rows than its threshold); None when neither says. A batch larger
    than the data is returned as set (the training loop takes all rows)."""
    prefix = name.rsplit("_", 1)[0] + "_" if "_" in name else ""
    for field in (prefix + "batch", prefix + "batch_size"):
        value = getattr(cfg, field, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return rows if value <= 0 else value
    meta = _meta(cfg, name)
    batch = meta.get("batch")
    if batch is None:
        return None
    big = meta.get("big_batch")
    if big is not None and rows > big[0]:
        batch = big[1]
    return rows if batch <= 0 else batch


def epochs_for(cfg: Config, name: str, rows: int) -> int:
    """Epochs of the stage that field ``name`` of ``cfg`` counts, on ``rows`` training rows.

    Parameters: ``cfg`` a config; ``name`` an ``epochs`` / ``steps`` field with a budget in
    its ``param`` metadata; ``rows`` the rows the stage trains on.
    Returns: the set number of epochs; for a ``steps`` field the epochs that make about that
    many steps (at least one); for 0 ("automatic") about ``auto_steps`` steps or ``auto_rows``
    rows seen, within ``epoch_range``.
    Example: a field ``param(0, ..., auto_steps=600, batch=256)`` on 8 000 rows (32 steps an
    epoch) gives round(600 / 32) = 19 epochs."""
    value, meta = int(getattr(cfg, name)), _meta(cfg, name)
    batch = batch_for(cfg, name, rows) or rows
    per_epoch = math.ceil(rows / max(1, batch))
    if counts_steps(name):
        return max(1, round(value / per_epoch))
    if value > 0:
        return value
    if meta.get("auto_rows"):
        epochs = round(meta["auto_rows"] / max(1, rows))
    else:
        epochs = round(meta["auto_steps"] / per_epoch)
    lo, hi = meta.get("epoch_range", (1, None))
    return max(lo, epochs if hi is None else min(hi, epochs))


def work(cfg: Config, name: str, n: int) -> tuple[int, int]:
    """(optimiser steps, rows seen) of the stage that field ``name`` counts on a data set of
    ``n`` rows, as training runs it: the rows it trains on, its batch and its epochs
    (automatic ones included); ``DEFAULT_BATCH`` and ``AUTO_ROWS`` where the field has no
    budget. The cost estimate (``aecore.cost``) counts with it."""
    rows = max(1, train_rows(cfg, name, n))
    batch = min(batch_for(cfg, name, rows) or DEFAULT_BATCH, rows)
    value, meta = int(getattr(cfg, name)), _meta(cfg, name)
    if counts_steps(name):
        return value, value * batch
    if value == 0 and not (meta.get("auto_steps") or meta.get("auto_rows")):
        return math.ceil(AUTO_ROWS / batch), AUTO_ROWS
    epochs = epochs_for(cfg, name, rows)
    return epochs * math.ceil(rows / batch), epochs * rows


def train_rows(cfg: Config | type[Config], name: str, n: int) -> int:
    """Rows of a data set of ``n`` rows that the stage of field ``name`` trains on."""
    rows = _meta(cfg, name).get("train_rows")
    return n if rows is None else int(rows(cfg if isinstance(cfg, Config) else cfg(), n))


def grouped(n: int) -> str:
    """1600 -> '1600', 360000 -> '360 000' (narrow spaces from five digits on, as pages write)."""
    return f"{n:,}".replace(",", GROUP) if abs(n) >= 10_000 else str(n)


def _about(n: float) -> int:
    """n to two significant digits: 'about' numbers (84 992 rows seen -> 85 000)."""
    return int(round(n, 2 - len(str(int(n))))) if n >= 100 else int(n)


def help_values(cfg: Config | type[Config], name: str) -> dict[str, str]:
    """The numbers a help text of field ``name`` may place, from its budget metadata:
    ``batch``, ``big_batch``, ``big_above``, ``steps``, ``rows`` (rows seen), ``max_epochs``,
    and the epochs on the 8×8 digits and on 10 000 rows (``epochs_digits``, ``epochs_big``,
    ``big_rows``); {} for a field without a budget."""
    from aecore.data.registry import DATASETS

    meta = _meta(cfg, name)
    if not any(meta.get(key) for key in ("batch", "auto_steps", "auto_rows")):
        return {}
    values: dict[str, int] = {}
    if meta.get("batch"):  # 0: full batch, no number to show
        values["batch"] = meta["batch"]
    if meta.get("big_batch"):
        values["big_above"], values["big_batch"] = meta["big_batch"]
    if meta.get("auto_steps"):
        values["steps"] = meta["auto_steps"]
        values["rows"] = _about(meta["auto_steps"] * (meta.get("batch") or 1))
    if meta.get("auto_rows"):
        values["rows"] = meta["auto_rows"]
    if (meta.get("epoch_range") or (1, None))[1] is not None:
        values["max_epochs"] = meta["epoch_range"][1]
    if meta.get("auto_steps") or meta.get("auto_rows"):
        auto = dataclasses.replace(cfg if isinstance(cfg, Config) else cfg(), **{name: 0})
        small, big = DATASETS["digits"].default_n, DATASETS["digits28"].default_n
        values["epochs_digits"] = epochs_for(auto, name, train_rows(cfg, name, small))
        values["epochs_big"] = epochs_for(auto, name, train_rows(cfg, name, big))
        values["big_rows"] = big
    return {key: grouped(v) for key, v in values.items()}


def help_text(cfg: Config | type[Config], name: str) -> str:
    """The config's own (English) help of field ``name``, its budget's numbers placed."""
    text = str(_meta(cfg, name).get("help", ""))
    values = help_values(cfg, name)
    return text.format(**values) if values else text


def auto_lr(lr: float, dim: int, base: float, ref_dim: int = 64) -> float:
    """``lr`` when it is set (> 0), else ``base`` scaled by √(ref_dim / dim).

    Adam moves every weight by about lr per step, so a unit's pre-activation Σ_i w_i x_i
    moves further the more inputs it has: with the 8×8 digits' rate, sigmoid units on
    28×28 images saturate within a few steps and most of them die in a plain autoencoder
    (97 of 128 measured at 5e-3 on digits28, 3 at 1.5e-3). The defaults are tuned on
    ref_dim = 64 inputs."""
    return lr if lr > 0 else base * (ref_dim / dim) ** 0.5
