"""Training timeline: what a model computes, captured every few epochs while it trains,
so a page can scrub back through training with a slider.

    tl = Timeline(cfg.epochs, capture=lambda: {"codes": predict(model.encode, X)})
    fit(model, X, cfg, on_progress=tl.wrap(track))
    tl.finish()                       # the final state, also after an early Stop
    arrays["timeline"] = tl.arrays()  # {"epochs": (S,), "codes": (S, n, k), ...}

Snapshots are taken at epoch 0 (the initial weights) and at ``frames`` evenly spaced
epochs; ``capture`` runs between two epochs, so it sees exactly the model of that epoch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aecore.train import Progress, ProgressFn


class Timeline:
    def __init__(self, epochs: int, capture: Callable[[], dict[str, np.ndarray]], frames: int = 12):
        self.at = {int(round(e)) for e in np.linspace(0, epochs, min(frames, epochs) + 1)}
        self.capture = capture
        self.epochs: list[int] = []
        self.frames: list[dict[str, np.ndarray]] = []
        self.last = 0
        self._snap(0)

    def _snap(self, epoch: int) -> None:
        self.epochs.append(epoch)
        self.frames.append({k: np.asarray(v) for k, v in self.capture().items()})

    def wrap(self, on_progress: ProgressFn | None) -> ProgressFn:
        """A progress callback that snapshots at the planned epochs, then forwards."""

        def hook(p: Progress) -> bool | None:
            self.last = p.epoch
            if p.epoch in self.at and p.epoch != self.epochs[-1]:
                self._snap(p.epoch)
            return on_progress(p) if on_progress is not None else None

        return hook

    def finish(self) -> None:
        """Snapshot the final model if training stopped between two planned epochs."""
        if self.last != self.epochs[-1]:
            self._snap(self.last)

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"epochs": np.asarray(self.epochs, np.int64)}
        for key in self.frames[0]:
            out[key] = np.stack([f[key] for f in self.frames])
        return out
