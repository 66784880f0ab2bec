"""What every experiment shares: the Result it returns, its claims, progress plumbing.

An experiment is a frozen Config dataclass plus ``run(config, on_progress) -> Result``.
``Result.metrics`` is the flat public contract printed by ``python -m aecore run NAME
--json``; the claims are predicates over those metrics, stated once here so that the
page, the command line and the tests check the very same thing.

Every model trains through ``Tracker.fit`` under a stage id the experiment declares
(``Experiment.stages``; labels in ``assets/locales/<lang>/stages.toml``). The tracker
remembers which model trained under which stage (``Result.stages``: what a weights file
records), and replays loaded weights when ``run`` was given a ``Replay`` instead of a
plain progress callable (``aecore.replay``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aecore.config import Config
from aecore.experiments.claims import Claim
from aecore.train import History, Progress, ProgressFn, TrainConfig, check_stage, fit


@dataclass
class Result:
    metrics: dict[str, float]
    arrays: dict[str, Any] = field(default_factory=dict)  # inputs of the figures
    models: dict[str, Any] = field(default_factory=dict)  # trained torch modules
    histories: dict[str, list[float]] = field(default_factory=dict)  # stage id -> epoch losses
    stages: dict[str, str] = field(default_factory=dict)  # model name -> stage id it trained under
    stopped: bool = False
    seconds: float = 0.0
    source: str = "live"  # "preset": read from assets/presets, not trained in this process


@dataclass(frozen=True)
class Experiment:
    """One lesson's computation, found by name: ``aecore.experiments.get("intro")``.

    ``run(config, on_progress=None) -> Result`` trains and measures (``config`` an instance
    of ``config_cls``); ``check_claims`` judges its metrics. See ``aecore/experiments/intro.py``
    for the smallest one, and docs/DEVELOPING.md for adding one.

    Example
    -------
    >>> from aecore.experiments import get
    >>> exp = get("intro")
    >>> res = exp.run(exp.config_cls(epochs=50), None)
    >>> sorted(exp.check_claims(res.metrics))
    ['ae_beats_pca']
    """

    name: str
    config_cls: type[Config]
    run: Callable[[Config, ProgressFn | None], Result]
    title: str
    budget_s: float
    claims: tuple[Claim, ...] = ()
    # The configs a page opens with, as overrides of the defaults; each gets a lecture
    # preset (aecore.presets). () = no page shows this experiment by default.
    views: tuple[dict, ...] = ({},)
    # Latent codes a user can export: arrays -> {name: (codes (n, k), labels or None)}.
    codes: Callable[[dict[str, Any]], dict[str, tuple[Any, Any]]] | None = None
    # Every stage id ``run`` can report (without ":param"); each has a label in stages.toml.
    stages: tuple[str, ...] = ()
    # Optional: estimated seconds of a run of this config on one core (aecore.cost), or a
    # dict {setting: seconds} whose largest part names the setting to lower; without it the
    # cost is estimated from the config's fields and the data's size.
    cost: Callable[[Config], float | dict[str, float]] | None = None
    # Optional: estimated seconds per stage id, in run order ({"neuron": 0.4, "uat:1": 0.1, …};
    # an id before ":" pools its sub-stages), which weighs the stages in the fraction of a
    # run done (aecore.eta); without it the declared ``stages`` weigh the same.
    stage_cost: Callable[[Config], dict[str, float]] | None = None

    def check_claims(self, metrics: Mapping[str, float]) -> dict[str, bool]:
        """Whether each claim this run makes holds.

        Parameters
        ----------
        metrics : a Result's metrics (a fresh run, a preset or the command line's JSON).

        Returns
        -------
        {claim key: held}, for the claims whose ``applies`` holds on these metrics; a
        missing metric counts as not held.

        Example
        -------
        >>> from aecore.experiments import get
        >>> get("intro").check_claims({"ae_mse": 0.01, "pca_mse": 0.2})
        {'ae_beats_pca': True}
        """
        return {c.key: c.holds(metrics) for c in self.claims if c.made(metrics)}

    def claim(self, key: str) -> Claim:
        """The claim ``key`` (its threshold: ``claim(key).threshold``)."""
        return {c.key: c for c in self.claims}[key]


@dataclass(frozen=True)
class Replay:
    """What ``run`` gets instead of a progress callable to re-measure loaded weights:
    ``states`` (stage id -> state dict) replace training those stages; progress still
    goes to ``on_progress``."""

    states: Mapping[str, Mapping[str, Any]]
    on_progress: ProgressFn | None = None

    def __call__(self, p: Progress) -> bool | None:
        return None if self.on_progress is None else self.on_progress(p)


class Tracker:
    """Forwards progress to the caller and remembers a stop request across stages,
    so that after Stop every later stage ends after its first epoch. ``fit`` trains
    (or replays) a model under a stage id and remembers it for the Result."""

    def __init__(self, on_progress: ProgressFn | Replay | None):
        self.on_progress = on_progress
        self.replay = on_progress.states if isinstance(on_progress, Replay) else {}
        self.stopped = False
        self.histories: dict[str, list[float]] = {}
        self.trained: list[tuple[Any, str]] = []  # (model, stage id), in training order
        self.t0 = time.perf_counter()

    def __call__(self, p: Progress) -> bool:
        if not math.isnan(p.loss):
            self.histories.setdefault(p.stage, []).append(p.loss)
        if self.on_progress is not None and self.on_progress(p):
            self.stopped = True
        return self.stopped

    def step(self, stage: str) -> bool:
        """Announce a stage that is not a training loop (t-SNE, metrics ...)."""
        return self(Progress(check_stage(stage), 0, 1, float("nan")))

    def fit(self, model, X, cfg: TrainConfig, *, stage: str, on_progress: ProgressFn | None = None, **kw) -> History:
        """``aecore.train.fit`` within this run: progress to this tracker (or to
        ``on_progress``, which forwards to it), the replay state of ``stage`` if any."""
        self.trained.append((model, stage))
        progress = self if on_progress is None else on_progress
        return fit(model, X, cfg, stage=stage, on_progress=progress, replay=self.replay.get(stage), **kw)

    def stage_of(self, model) -> str | None:
        """The stage id ``model`` last trained under in this run."""
        return next((s for m, s in reversed(self.trained) if m is model), None)

    def result(self, metrics: dict[str, float], **kw: Any) -> Result:
        clean = {k: float(v) for k, v in metrics.items()}
        models = kw.get("models", {})
        stages = {name: s for name, m in models.items() if (s := self.stage_of(m)) is not None}
        return Result(
            clean,
            histories=self.histories,
            stages=stages,
            stopped=self.stopped,
            seconds=time.perf_counter() - self.t0,
            **kw,
        )
