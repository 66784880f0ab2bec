"""THE training loop: every model of every lesson trains through ``fit``.

Whole tensors live on the device (CUDA if present, else CPU); each epoch draws a
shuffled index permutation from a per-run seeded generator and slices batches from it
(no DataLoader: on small data its per-batch Python overhead dominates). Adam with a
cosine-decayed rate by default. Progress goes out through one plain callable, which can
ask to stop (the model keeps what it learned); a non-finite loss stops training at once
with ``TrainingDiverged``. Denoising is a setting here (``corrupt``), not a model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import torch

from aecore.config import Config, param
from aecore.device import get_device

MAX_EPOCHS = 5000


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
    stage: str  # which model is training ("linear AE", ...)
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


# Replay: weights given per stage name replace training in ``fit`` (loading exported
# weights back re-runs an experiment's measurements on them, with no training).
_replay: ContextVar[dict[str, dict[str, torch.Tensor]] | None] = ContextVar("aecore_replay", default=None)


@contextmanager
def replaying(states: dict[str, dict[str, torch.Tensor]]) -> Iterator[None]:
    """Within this block, ``fit(..., stage=s)`` loads ``states[s]`` instead of training."""
    token = _replay.set(states)
    try:
        yield
    finally:
        _replay.reset(token)


def _replayed(model, stage, x_all, y_all, cfg, bs, corrupt, loss_of, on_progress) -> History | None:
    """Load the replay weights for ``stage`` (if any fit the model) and report one epoch:
    the loss of the loaded weights over the data, as the final epoch of the plan."""
    state = (_replay.get() or {}).get(stage)
    if state is None:
        return None
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    if {k: tuple(v.shape) for k, v in state.items()} != shapes:
        return None  # the same stage name on another model: train it
    model.load_state_dict(state, strict=True)
    gen = torch.Generator().manual_seed(cfg.seed)
    total, n = 0.0, x_all.shape[0]
    for start in range(0, n, bs):  # with autograd on: some penalties differentiate (contractive)
        xb, yb = x_all[start : start + bs], y_all[start : start + bs]
        xin = corrupt(xb, gen) if corrupt is not None else xb
        total += float(loss_of(model, xin, yb).detach()) * xb.shape[0]
    model.load_state_dict(state, strict=True)  # a loss may update buffers (SAE dead counters)
    model.eval()
    hist = History(stage, [total / n])
    if on_progress is not None:
        on_progress(Progress(stage, cfg.epochs, cfg.epochs, total / n))
    return hist


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
) -> History:
    """Train ``model`` in place on X (n, D) to reconstruct ``target`` (default X).

    ``loss_fn(model, x_in, x_target) -> scalar`` defaults to ``model.training_loss``.
    Returns the per-epoch mean losses; raises TrainingDiverged on a non-finite loss.
    """
    device = get_device()
    model.to(device).train()
    x_all = as_tensor(X, device)
    y_all = x_all if target is None else as_tensor(target, device)
    n = x_all.shape[0]
    bs = n if cfg.batch_size <= 0 else min(cfg.batch_size, n)
    gen = torch.Generator().manual_seed(cfg.seed)
    opt = make_optimizer(model.parameters(), cfg)
    steps_per_epoch = math.ceil(n / bs)
    total_steps = cfg.epochs * steps_per_epoch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps) if cfg.schedule == "cosine" else None
    loss_of = loss_fn or (lambda m, xi, xt: m.training_loss(xi, xt))
    model.fit_stage = stage  # which stage's weights these are (exports name it; replay keys on it)
    replayed = _replayed(model, stage, x_all, y_all, cfg, bs, corrupt, loss_of, on_progress)
    if replayed is not None:
        return replayed
    hist, t0 = History(stage), time.perf_counter()
    check_each_step = device.type == "cpu"  # .item() is free on CPU, a sync on GPU
    for epoch in range(1, cfg.epochs + 1):
        order = torch.randperm(n, generator=gen).to(device) if bs < n else None
        total = torch.zeros((), device=device)
        for start in range(0, n, bs):
            idx = None if order is None else order[start : start + bs]
            xb = x_all if idx is None else x_all.index_select(0, idx)
            yb = y_all if idx is None else y_all.index_select(0, idx)
            xin = corrupt(xb, gen) if corrupt is not None else xb
            loss = loss_of(model, xin, yb)
            if check_each_step and not math.isfinite(loss.item()):
                raise TrainingDiverged(stage, epoch, loss.item())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            total += loss.detach() * xb.shape[0]
        mean = (total / n).item()
        if not math.isfinite(mean):
            raise TrainingDiverged(stage, epoch, mean)
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
