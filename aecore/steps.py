"""Data-aware training length: the same number of optimiser steps whatever the data size.

A lesson's defaults are tuned on the 8×8 digits (1 797 rows). At MNIST size (10 000 rows)
the same number of *epochs* costs five times as long, though a mini-batch step learns as
much from either set; so an ``epochs`` setting of 0 means "automatic": as many epochs as
it takes to make about ``steps`` mini-batch updates (at least one epoch).
"""

from __future__ import annotations

import math

MAX_AUTO_EPOCHS = 2000


def auto_epochs(epochs: int, n_rows: int, batch_size: int, steps: int) -> int:
    """``epochs`` when it is set (> 0), else the epochs that make about ``steps`` updates."""
    if epochs > 0:
        return epochs
    per_epoch = math.ceil(n_rows / max(1, min(batch_size, n_rows))) if batch_size > 0 else 1
    return max(1, min(MAX_AUTO_EPOCHS, round(steps / per_epoch)))
