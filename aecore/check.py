"""Claims across seeds: does a lesson's claim survive a change of the random seed?

``check_claims(name, cfg, seeds=5)`` runs the experiment ``seeds`` times through its own
``run``, with ``seed = cfg.seed + i`` (i = 0 … seeds−1) and every other setting unchanged,
and counts per claim the seeds on which it holds: ``held`` of ``of``. A claim that holds on
one seed may be luck of the initialisation, batch order or data draw; one that holds on
every seed is a property of the method at these settings. (Reporting over several seeds:
Henderson et al., "Deep Reinforcement Learning that Matters", AAAI 2018.)

Counting rules:

* a run that **diverges** (``TrainingDiverged``) is a checked seed on which no claim holds
  (the lesson failed there); its seed is listed under ``diverged``;
* a run that is **stopped** (the progress callback asked to stop) is not a checked seed:
  its partial model proves nothing. The check ends there, ``of`` counts the seeds that
  finished and ``stopped`` is true.

The cost of a check is ``seeds`` runs: ``check_cost`` applies the run-cost cap
(``aecore.cost``) to the whole check.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aecore import cost
from aecore.config import Config, ConfigError
from aecore.experiments import get
from aecore.train import Progress, TrainingDiverged

MAX_SEEDS = 20
DEFAULT_SEEDS = 5


@dataclass(frozen=True)
class CheckProgress(Progress):
    """A training progress report of one seed's run, with where the check stands."""

    index: int  # 0-based number of the seed's run in the check
    seeds: int  # runs in the check
    seed: int  # the seed this run uses


def seed_configs(cfg: Config, seeds: int = DEFAULT_SEEDS) -> list[Config]:
    """``cfg`` with ``seed = cfg.seed + i`` for i < seeds, validated before anything runs
    (a seed past the field's bound raises ConfigError, like any bad setting)."""
    if not 1 <= seeds <= MAX_SEEDS:
        raise ConfigError(
            f"seeds={seeds!r} must be between 1 and {MAX_SEEDS}.",
            code="too_large" if seeds > MAX_SEEDS else "too_small",
            params=dict(name="seeds", value=seeds, hi=MAX_SEEDS, lo=1, op="≥"),
        )
    spec = cfg.field_specs().get("seed")
    if spec is None:
        raise ConfigError(
            f"{type(cfg).__name__} has no seed field; it cannot be checked across seeds.",
            code="check_no_seed",
            params=dict(config=type(cfg).__name__),
        )
    last, top = cfg.seed + seeds - 1, spec.metadata.get("hi")
    if top is not None and last > top:
        raise ConfigError(
            f"seeds {cfg.seed}…{last} run past the largest seed, {top}; start from a lower seed.",
            code="check_seed_range",
            params=dict(first=cfg.seed, last=last, top=top),
        )
    return [dataclasses.replace(cfg, seed=cfg.seed + i) for i in range(seeds)]


def check_cost(experiment: Any, cfg: Config, seeds: int = DEFAULT_SEEDS, cap: float | None = None) -> float:
    """Estimated seconds of the whole check (``seeds`` runs of ``cfg``), or RunTooLong
    when that is above ``cap`` (default: the server's cap on any run)."""
    est = cost.estimate(experiment, cfg)
    refused = over_cap(est, seeds, cap)
    if refused is not None:
        raise refused
    return seeds * est.seconds


def over_cap(est: cost.Estimate, seeds: int, cap: float | None = None) -> cost.RunTooLong | None:
    """RunTooLong when ``seeds`` runs of estimate ``est`` are above ``cap``, else None."""
    cap = cost.SERVER_CAP_S if cap is None else cap
    total = seeds * est.seconds
    if total <= cap:
        return None
    time, limit, knob = cost.human(total), cost.human(cap), est.knob or "the sizes"
    return cost.RunTooLong(
        f"checking {seeds} seeds would take about {time} (estimated); the limit here is {limit}. "
        f"Lower {knob} or check fewer seeds.",
        code="check_too_long",
        params=dict(time=time, limit=limit, knob=knob, seeds=seeds),
    )


def _tally(claims: dict[str, dict[str, int]], verdicts: dict[str, bool]) -> None:
    for key, ok in verdicts.items():
        claims[key]["of"] += 1
        claims[key]["held"] += int(ok)


def check_claims(
    name: str,
    cfg: Config,
    seeds: int = DEFAULT_SEEDS,
    on_progress: Callable[[CheckProgress], bool | None] | None = None,
) -> dict[str, Any]:
    """Run experiment ``name`` on ``cfg`` with ``seeds`` consecutive seeds; returns
    ``{"experiment", "config", "seeds", "claims": {key: {"held", "of"}}, "stopped", "diverged"}``
    (``config``: the first seed's settings as a dict). ``on_progress`` receives every
    training report as a ``CheckProgress``; a truthy answer stops the check (module docstring)."""
    exp = get(name)
    configs = seed_configs(cfg, seeds)
    claims = {c.key: {"held": 0, "of": 0} for c in exp.claims}
    out: dict[str, Any] = {"experiment": name, "config": cfg.to_dict(), "seeds": seeds, "claims": claims}
    out.update(stopped=False, diverged=[])
    for index, run_cfg in enumerate(configs):
        asked_stop = False

        def report(p: Progress, index=index, seed=run_cfg.seed) -> bool:
            nonlocal asked_stop
            fields = {f.name: getattr(p, f.name) for f in dataclasses.fields(Progress)}
            asked_stop = bool(on_progress(CheckProgress(**fields, index=index, seeds=seeds, seed=seed)))
            return asked_stop

        try:
            result = exp.run(run_cfg, None if on_progress is None else report)
        except TrainingDiverged:
            out["diverged"].append(run_cfg.seed)
            _tally(claims, dict.fromkeys(claims, False))
            continue
        if asked_stop or result.stopped:
            out["stopped"] = True
            break
        _tally(claims, exp.check_claims(result.metrics))
    return out
