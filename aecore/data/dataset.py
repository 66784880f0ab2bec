"""The record every data loader returns: read-only float32 rows with labels.

Built-in data (``aecore.data.registry``), uploads (``aecore.data.userdata``) and MNIST files
(``aecore.io.mnist``) all return a ``Dataset``; it lives apart from the registry so that
readers below ``aecore.data.registry`` can build one without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Dataset:
    name: str
    X: np.ndarray  # (n, D) float32
    y: np.ndarray  # (n,) int64 labels (component index for curves)
    t: np.ndarray | None = None  # (n,) intrinsic coordinate of curve points
    image_shape: tuple[int, int] | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def dim(self) -> int:
        return self.X.shape[1]
