"""What a run will cost, from its config alone, and the caps that refuse the long ones.

The estimate is in seconds of one quiet CPU core of the reference machine (2 cores, one
torch thread per job), made before anything runs, from the config's fields and the data's
size, so that it follows whatever an experiment's author changes:

* every int field named ``epochs`` / ``*_epochs`` (passes over the rows) or ``steps`` /
  ``*_steps`` (optimiser steps) is a training stage, costed as ``aecore.cost_terms.train``
  (a per-step overhead, and per row the weights' flops and the activations); its epochs and
  batch are what training uses (``aecore.data.steps``: the field ``<prefix>batch`` /
  ``<prefix>batch_size`` of the stage, else the budget in the field's ``param`` metadata),
  else ``DEFAULT_BATCH``; ``epochs = 0`` ("automatic") without a budget is taken as
  ``AUTO_ROWS`` rows seen;
* rows and features: the config's ``dataset`` (built-in sizes, or the caller's upload),
  at least an ``n_train`` / ``n_samples`` field, else the 8×8 digits; an ``image_size``
  field gives image_size² features;
* each stage trains a multilayer perceptron (encoder and decoder) as wide as its own width
  field (``<prefix>width`` / ``<prefix>hidden``, e.g. ``deep_width`` for ``deep_epochs``), else
  the plain ``width`` / ``hidden``, else its code (the largest ``latent_dim`` / ``*_latent``),
  with ``depth`` hidden layers, times an ``expansion``; a true ``sweep`` trains ``SWEEP_MODELS``
  more models, and a tuple field ``sizes`` repeats the run per size on that many rows
  (without an epochs field: ``T_FIT_ROW`` per row, one fit of every method);
* the model above misses what it cannot see (convolutions, t-SNE, several models per
  stage). The experiment's declared budget for its default config (``budget_s``, a
  generous bound) covers that: estimates are scaled by ``budget_s / (4 · model(default))``
  when that exceeds 1.

An experiment that knows better declares ``Experiment(cost=fn)`` with ``fn(cfg) -> seconds``.
Caps (environment, seconds): ``AE_MAX_RUN_S`` (default 600) for any run the server or the
command line starts, ``AE_LINK_RUN_S`` (default 120) for a run started without a click
(a shared link, a page's first view): above it the page asks first.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from dataclasses import dataclass

from aecore import cost_terms as ct
from aecore.config import Config, ConfigError
from aecore.data import steps
from aecore.data.registry import DATASETS, user_dataset

SWEEP_MODELS = 6
T_FIT_ROW = 7.5e-3  # s per row for one size of a ``sizes`` run (every method fitted once)
BUDGET_SLACK = 4  # declared budgets are taken as this many times the default's real cost
SERVER_CAP_S = float(os.environ.get("AE_MAX_RUN_S", "600"))
LINK_CAP_S = float(os.environ.get("AE_LINK_RUN_S", "120"))
_STAGE = re.compile(r"(?:(\w+?)_)?(epochs|steps)")


class RunTooLong(ConfigError):
    """A run's estimated cost is above a cap; the message names the setting to change."""


@dataclass(frozen=True)
class Estimate:
    seconds: float
    stages: dict[str, float]  # epochs field -> its share of the seconds
    knob: str | None  # the setting that costs most
    batch_knob: str | None = None  # a batch size that raising would help (steps dominate)


def data_size(name: object) -> tuple[int, int]:
    """(rows, features) of data set ``name`` without loading it (the caller's upload is looked
    up); the 8×8 digits' for a name that is no data set."""
    if isinstance(name, str) and name.startswith("upload-"):
        ds = user_dataset(name)  # the current owner's upload, from the store the app registered
        if ds is not None:
            return ds.n, ds.dim
    elif isinstance(name, str) and name in DATASETS:
        return DATASETS[name].default_n, DATASETS[name].features
    return 1797, 64  # the 8×8 digits: what experiments without a data set use


def _data_shape(cfg: Config) -> tuple[int, int]:
    """(rows, features) the run trains on, from its data set and size fields."""
    rows, feats = data_size(getattr(cfg, "dataset", None))
    for field in ("n_train", "n_samples"):
        rows = max(rows, int(getattr(cfg, field, 0) or 0))
    if isinstance(getattr(cfg, "image_size", None), int):
        feats = cfg.image_size**2
    return rows, feats


def _ints(cfg: Config, test) -> list[int]:
    return [
        int(v)
        for f in dataclasses.fields(cfg)
        if test(f.name) and isinstance(v := getattr(cfg, f.name), int) and not isinstance(v, bool)
    ]


def _mlp(cfg: Config, feats: int, prefix: str) -> tuple[int, int, int]:
    """(parameters, activation units per row, layers) of the network one stage trains: as wide as
    the stage's own width field (``<prefix>width`` / ``<prefix>hidden``), else the config's
    plain ``width`` / ``hidden``, else its code; ``depth`` hidden layers (1 without the field)."""

    def widest(names: tuple[str, ...]) -> int | None:
        return max(_ints(cfg, lambda n: n in names), default=None)

    code = max(_ints(cfg, lambda n: n == "latent_dim" or n.endswith("_latent")), default=8)
    own = widest((prefix + "width", prefix + "hidden")) if prefix else None
    width = own or widest(("width", "hidden")) or code
    depth = max(_ints(cfg, lambda n: n == "depth"), default=1)
    mult = max(_ints(cfg, lambda n: n == "expansion"), default=1)
    first = width if depth else code  # depth 0: the input maps straight to the code
    params = mult * 2 * (feats * first + first * code * bool(depth) + max(depth - 1, 0) * width * width)
    units = mult * 2 * (feats + code + depth * width)
    return params, units, 2 * (depth + 1)


def model_seconds(cfg: Config) -> Estimate:
    """The generic estimate (see the module docstring), without the budget's correction."""
    rows, feats = _data_shape(cfg)
    models = 1 + SWEEP_MODELS * bool(getattr(cfg, "sweep", False))
    sizes = getattr(cfg, "sizes", None)
    repeats = [int(s) for s in sizes] if isinstance(sizes, tuple) and sizes else [rows]
    stages: dict[str, float] = {}
    steps_share: dict[str, float] = {}
    for field in dataclasses.fields(cfg):
        value, stage = getattr(cfg, field.name), _STAGE.fullmatch(field.name)
        if stage is None or not isinstance(value, int) or isinstance(value, bool):
            continue
        prefix = f"{stage.group(1)}_" if stage.group(1) else ""
        params, units, layers = _mlp(cfg, feats, prefix)
        overhead = compute = 0.0
        for n in repeats:
            count, seen = steps.work(cfg, field.name, n)
            overhead += ct.train(count, 0, (params, units, layers))
            compute += ct.train(0, seen, (params, units, layers))
        stages[field.name] = models * (overhead + compute)
        steps_share[field.name] = overhead / max(overhead + compute, 1e-12)
    if not stages and isinstance(sizes, tuple) and sizes:  # fits per size, no training stage
        stages["sizes"] = sum(repeats) * T_FIT_ROW
    knob = max(stages, key=stages.get) if stages else None
    batch_knob = None
    if knob in steps_share and steps_share[knob] > 0.5:
        prefix = f"{_STAGE.fullmatch(knob).group(1)}_" if _STAGE.fullmatch(knob).group(1) else ""
        batch_knob = next((n for n in (prefix + "batch", prefix + "batch_size") if hasattr(cfg, n)), None)
    return Estimate(sum(stages.values()), stages, knob, batch_knob)


def estimate(experiment, cfg: Config) -> Estimate:
    """Seconds ``cfg`` will take: the experiment's own ``cost(cfg)`` when it declares one,
    else the generic model scaled by the experiment's budget (module docstring)."""
    generic = model_seconds(cfg)
    own = getattr(experiment, "cost", None)
    if own is not None:
        try:
            return _own(generic, own(cfg))
        except Exception:  # a broken hook must not open the door: fall back to the model
            pass
    base = model_seconds(experiment.config_cls()).seconds
    scale = max(1.0, float(experiment.budget_s) / (BUDGET_SLACK * max(base, 1e-3)))
    return dataclasses.replace(generic, seconds=generic.seconds * scale)


def _own(generic: Estimate, got: float | dict[str, float]) -> Estimate:
    """An experiment's own estimate: seconds, or seconds per setting that scales them (the
    largest names the knob; the batch knob stays only where the generic model agrees)."""
    if not isinstance(got, dict):
        return dataclasses.replace(generic, seconds=float(got))
    parts = {k: float(v) for k, v in got.items()}
    if not parts or not all(math.isfinite(v) and v >= 0 for v in parts.values()):
        raise ValueError(f"bad cost parts {parts}")
    knob = max(parts, key=parts.get)
    batch = generic.batch_knob if knob == generic.knob else None
    return Estimate(sum(parts.values()), parts, knob, batch)


def stage_seconds(experiment, cfg: Config) -> dict[str, float]:
    """Estimated seconds per stage id of one run, in run order (for the fraction of a run
    done, ``aecore.eta``): the experiment's ``stage_cost(cfg)`` when it declares one, else its
    declared ``stages`` sharing the estimate equally (a stage's ":param" sub-stages pooled)."""
    own = getattr(experiment, "stage_cost", None)
    if own is not None:
        try:
            parts = {str(k): float(v) for k, v in own(cfg).items()}
            if parts and all(math.isfinite(v) and v >= 0 for v in parts.values()):
                return parts
        except Exception:  # a broken hook only costs the fraction its weights
            pass
    stages = tuple(getattr(experiment, "stages", ()))
    return {s: 1.0 for s in stages}


def human(seconds: float) -> str:
    """3 s, 4 min, 2.5 h: a duration as people say it."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def over_cap(est: Estimate, cap: float | None = None) -> RunTooLong | None:
    """RunTooLong when ``est`` is above ``cap`` (default ``SERVER_CAP_S``; the message names
    the knob), else None: the verdict of ``check`` on an estimate already made."""
    cap = SERVER_CAP_S if cap is None else cap
    if est.seconds <= cap:
        return None
    time, limit, knob = human(est.seconds), human(cap), est.knob or "the sizes"
    if est.batch_knob:
        return RunTooLong(
            f"this run would take about {time} (estimated); the limit here is {limit}. "
            f"Lower {knob} or raise {est.batch_knob}.",
            code="run_too_long_batch",
            params=dict(time=time, limit=limit, knob=knob, batch=est.batch_knob),
        )
    return RunTooLong(
        f"this run would take about {time} (estimated); the limit here is {limit}. Lower {knob}.",
        code="run_too_long",
        params=dict(time=time, limit=limit, knob=knob),
    )


def check(experiment, cfg: Config, cap: float | None = None) -> Estimate:
    """The estimate, or RunTooLong when it is above ``cap`` (default ``SERVER_CAP_S``;
    the message names the knob)."""
    est = estimate(experiment, cfg)
    refused = over_cap(est, cap)
    if refused is not None:
        raise refused
    return est
