"""Where tensors live, and how many CPU threads torch may use.

CUDA when available (unless ``AE_DEVICE=cpu``), else CPU. Thread counts are set once at start-up: measured on a
2-core machine, OpenMP teams of several threads slow down by 3-25x as soon as another
job competes for the cores, so a server gives each job one thread.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import torch


def get_device() -> torch.device:
    """The device every model and batch goes to: the first CUDA GPU, else the CPU
    (``AE_DEVICE=cpu`` keeps to the CPU on a machine with a GPU: the bench's CPU columns)."""
    use_gpu = torch.cuda.is_available() and os.environ.get("AE_DEVICE", "") != "cpu"
    return torch.device("cuda" if use_gpu else "cpu")


def device_info() -> dict[str, str]:
    """A short description for the sidebar badge and the JSON output."""
    dev = get_device()
    name = torch.cuda.get_device_name(0) if dev.type == "cuda" else "CPU"
    return {
        "device": dev.type.upper(),
        "name": name,
        "torch": torch.__version__.split("+")[0],
        "threads": str(torch.get_num_threads()),
    }


def limit_threads(n: int | None = None) -> int:
    """Bound torch's intra-op threads (default: AE_TORCH_THREADS or 1); returns the count."""
    n = n or int(os.environ.get("AE_TORCH_THREADS", "1"))
    n = max(1, min(n, os.cpu_count() or 1))
    torch.set_num_threads(n)
    return n


@contextmanager
def keep_threads() -> Iterator[None]:
    """Restore torch's thread count after code that changes it behind torch's back: numba's
    first parallel launch (UMAP's kernels) sets OpenMP's thread count of the calling thread,
    which torch shares, to the number of cores, so every later fit on that thread would run
    on more threads than ``limit_threads`` chose (and add its sums in another order)."""
    n = torch.get_num_threads()
    try:
        yield
    finally:
        if torch.get_num_threads() != n:
            torch.set_num_threads(n)
