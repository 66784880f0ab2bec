"""THE training loop: every model of every lesson trains through ``fit``.

Whole tensors live on the device (CUDA if present, else CPU); each epoch draws a
shuffled index permutation from a per-run seeded generator and slices batches from it
(no DataLoader: on small data its per-batch Python overhead dominates). Adam with a
cosine-decayed rate by default. Progress goes out through one plain callable, which can
ask to stop (the model keeps what it learned); a non-finite loss stops training at once
with ``TrainingDiverged``. Denoising is a setting here (``corrupt``), not a model.
Replay is an argument too (``replay``: weights loaded and measured instead of training).
Each run is reported under a stage id (``check_stage``), never under a display label.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import torch

from aecore.config import Config, param
from aecore.device import get_device

MAX_EPOCHS = 5000
STAGE_ID = re.compile(r"[a-z][a-z0-9_]*(:\S+)?")  # "linear_ae", "greedy_layer:1", "deep_ae:k=8"


@dataclass(frozen=True)
class TrainConfig(Config):
    epochs: int = param(200, "passes over the data", lo=1, hi=MAX_EPOCHS)
    batch_size: int = param(0, "rows per step; 0 = the whole data set (full batch)", lo=0, hi=65536)
    lr: float = param(1e-2, "initial learning rate", lo=0.0, hi=10.0, lo_open=True)
    optimizer: str = param("adam", "optimizer (gd: plain gradient descent θ ← θ − η∇L)", choices=("adam", "sgd", "gd"))
    schedule: str = param("cosine", "learning-rate schedule", choices=("cosine", "constant"))
    weight_decay: float = param(0.0, "decoupled weight decay (AdamW style)", lo=0.0, hi=1.0)
    seed: int = param(0, "seed of the batch order and corruption noise", lo=0, hi=2**31 - 1)


@dataclass(frozen=True)
class Progress:
    stage: str  # stage id of what is running ("linear_ae", "greedy_layer:1", ...)
    epoch: int  # 1-based epoch just finished
    epochs: int  # planned epochs of this stage
    loss: float  # mean training loss of that epoch


class ProgressFn(Protocol):
    def __call__(self, p: Progress) -> bool | None: ...  # truthy = stop now


@dataclass
class History:
    stage: str
    losses: list[float] = field(default_factory=list)
    stopped: bool = False
    seconds: float = 0.0

    @property
    def epochs_run(self) -> int:
        return len(self.losses)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the message says how to recover."""

    def __init__(self, stage: str, epoch: int, loss: float):
        self.stage, self.epoch, self.loss = stage, epoch, loss
        super().__init__(
            f"Training of {stage} diverged at epoch {epoch} (loss = {loss}). "
            "Lower the learning rate or check the data for extreme values."
        )


Corrupt = Callable[[torch.Tensor, torch.Generator], torch.Tensor]


def as_tensor(X: np.ndarray | torch.Tensor, device: torch.device | None = None) -> torch.Tensor:
    """A float32 tensor on the training device (no copy when already there)."""
    if torch.is_tensor(X):
        return X.to(device or get_device(), torch.float32)
    arr = np.asarray(X, np.float32)
    if not arr.flags.writeable:  # shared read-only data: torch needs its own copy
        arr = arr.copy()
    return torch.from_numpy(arr).to(device or get_device())


def make_optimizer(params, cfg: TrainConfig) -> torch.optim.Optimizer:
    if cfg.optimizer in ("sgd", "gd"):  # gd: no momentum, the textbook update θ ← θ − η∇L
        momentum = 0.9 if cfg.optimizer == "sgd" else 0.0
        return torch.optim.SGD(params, lr=cfg.lr, momentum=momentum, weight_decay=cfg.weight_decay)
    return torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)


def check_stage(stage: str) -> str:
    """A stage id: snake_case, optionally ``:param`` ("deep_ae", "greedy_layer:1", "deep_ae:k=8").
    Its display label is a catalog key (``stages.<id>``), never the id itself."""
    if not isinstance(stage, str) or not STAGE_ID.fullmatch(stage):
        raise ValueError(f"stage {stage!r} is not a stage id (snake_case, optionally ':param').")
    return stage


def _batches(x: torch.Tensor, y: torch.Tensor, bs: int, corrupt: Corrupt | None, gen, order=None):
    """(input, target) batches of ``bs`` rows, in ``order`` (row indices) or as stored;
    the input corrupted when ``corrupt`` is given."""
    for start in range(0, x.shape[0], bs):
        if order is None:
            xb, yb = x[start : start + bs], y[start : start + bs]
        else:
            idx = order[start : start + bs]
            xb, yb = x.index_select(0, idx), y.index_select(0, idx)
        yield (xb if corrupt is None else corrupt(xb, gen)), yb


def _fits(model: torch.nn.Module, state: Mapping[str, torch.Tensor]) -> bool:
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    return {k: tuple(v.shape) for k, v in state.items()} == shapes


def _loaded_loss(model: torch.nn.Module, state: Mapping[str, torch.Tensor], batches, loss_of) -> float:
    """Load ``state`` and return its mean loss over ``batches`` of (input, target): the loss
    of loaded weights, reported as the final epoch of the plan (autograd stays on: some
    penalties differentiate, e.g. the contractive one)."""
    model.load_state_dict(state, strict=True)
    total, n = 0.0, 0
    for xin, yb in batches:
        total += float(loss_of(model, xin, yb).detach()) * xin.shape[0]
        n += xin.shape[0]
    model.load_state_dict(state, strict=True)  # a loss may update buffers (SAE dead counters)
    model.eval()
    return total / n


def _replayed(model, state, batches, loss_of, stage: str, epochs: int, on_progress) -> History:
    """The history of loaded weights: their loss, reported as the plan's last epoch."""
    loss = _loaded_loss(model, state, batches, loss_of)
    if on_progress is not None:
        on_progress(Progress(stage, epochs, epochs, loss))
    return History(stage, [loss])


def _scheduler(opt: torch.optim.Optimizer, cfg: TrainConfig, total_steps: int):
    return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps) if cfg.schedule == "cosine" else None


def _epoch(model, batches, opt, sched, loss_of, n: int, stage: str, epoch: int, device) -> float:
    """One pass over ``batches``: an optimiser step per batch; the epoch's mean loss.
    Raises TrainingDiverged on a non-finite loss (each step's is checked on CPU)."""
    check_each_step = device.type == "cpu"  # .item() is free on CPU, a sync on GPU
    total = torch.zeros((), device=device)
    for xin, yb in batches:
        loss = loss_of(model, xin, yb)
        if check_each_step and not math.isfinite(loss.item()):
            raise TrainingDiverged(stage, epoch, loss.item())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        total += loss.detach() * xin.shape[0]
    mean = (total / n).item()
    if not math.isfinite(mean):
        raise TrainingDiverged(stage, epoch, mean)
    return mean


def fit(
    model: torch.nn.Module,
    X,
    cfg: TrainConfig,
    *,
    target=None,
    corrupt: Corrupt | None = None,
    on_progress: ProgressFn | None = None,
    stage: str = "autoencoder",
    loss_fn: Callable | None = None,
    replay: Mapping[str, torch.Tensor] | None = None,
) -> History:
    """Train ``model`` in place on X to reconstruct ``target``: the one training loop.

    Parameters
    ----------
    model : a module with ``training_loss(x_in, target)`` (``build_model``); X : (n, D) inputs.
    cfg : epochs, batch size, optimiser, learning rate, seed; target : default X; corrupt :
        ``corrupt(x, generator)`` on each input batch; loss_fn : ``loss_fn(model, x_in, target)``.
    on_progress : gets a ``Progress`` after every epoch (True stops); stage : its stage id;
    replay : a state dict loaded instead of training (one epoch reported: its loss).

    Returns
    -------
    History: the per-epoch mean losses; raises TrainingDiverged on a non-finite loss.

    Example
    -------
    >>> from aecore.data.registry import load_dataset
    >>> from aecore.models import ModelConfig, build_model
    >>> model = build_model(ModelConfig(input_dim=64, hidden=(32,), latent_dim=8), seed=0)
    >>> fit(model, load_dataset("digits").X, TrainConfig(epochs=3, batch_size=256)).epochs_run
    3
    """
    check_stage(stage)
    device = get_device()
    model.to(device).train()
    x_all = as_tensor(X, device)
    y_all = x_all if target is None else as_tensor(target, device)
    n = x_all.shape[0]
    bs = n if cfg.batch_size <= 0 else min(cfg.batch_size, n)
    gen = torch.Generator().manual_seed(cfg.seed)
    opt = make_optimizer(model.parameters(), cfg)
    sched = _scheduler(opt, cfg, cfg.epochs * math.ceil(n / bs))
    loss_of = loss_fn or (lambda m, xi, xt: m.training_loss(xi, xt))
    if replay is not None and _fits(model, replay):
        batches = _batches(x_all, y_all, bs, corrupt, gen)
        return _replayed(model, replay, batches, loss_of, stage, cfg.epochs, on_progress)
    hist, t0 = History(stage), time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        order = torch.randperm(n, generator=gen).to(device) if bs < n else None
        batches = _batches(x_all, y_all, bs, corrupt, gen, order)
        mean = _epoch(model, batches, opt, sched, loss_of, n, stage, epoch, device)
        hist.losses.append(mean)
        if on_progress is not None and on_progress(Progress(stage, epoch, cfg.epochs, mean)):
            hist.stopped = True
            break
    hist.seconds = time.perf_counter() - t0
    model.eval()
    return hist


@torch.no_grad()
def predict(fn: Callable[[torch.Tensor], torch.Tensor], X, batch: int = 8192) -> np.ndarray:
    """Apply ``fn`` (e.g. model.encode) to X in batches; a float32 NumPy array back."""
    x = as_tensor(X)
    out = [fn(x[i : i + batch]).float().cpu() for i in range(0, x.shape[0], batch)]
    return torch.cat(out).numpy()


def warm_up() -> None:
    """One tiny optimiser step: the first ``step()`` of a process imports torch._dynamo
    (seconds), which a server should pay at start-up, not on a student's first click."""
    from aecore.models import ModelConfig, build_model

    model = build_model(ModelConfig(input_dim=4, hidden=(4,), latent_dim=1))
    fit(model, np.zeros((8, 4), np.float32), TrainConfig(epochs=1))
