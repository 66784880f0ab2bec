"""``python -m aecore bench``: speed figures measured side by side in one run.

1. Time to the ``pca`` claim (linear AE error ≤ 1.02 × PCA optimum on digits, k = 8):
   this project's recipe (full batch, Adam, cosine-decayed rate, whole tensors) against
   the textbook recipe (DataLoader, batch 128, Adam at 1e-3, constant rate).
2. Throughput of one MNIST-size epoch (784-256-32-256-784 MLP, 70 000 random rows)
   as a share of the machine's measured float32 matmul throughput, same thread count.
No thresholds are asserted here; the figures are printed for the README.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from aecore.data import load_dataset
from aecore.device import get_device
from aecore.models import ModelConfig, build_model
from aecore.theory import pca_fit, principal_angles_deg
from aecore.train import TrainConfig, fit


def _linear(k: int, seed: int = 0):
    return build_model(ModelConfig(input_dim=64, hidden=(), latent_dim=k, activation="identity"),
                       seed=seed)


def _angle(model, basis) -> float:
    W = model.decoder[0].weight.detach().cpu().double().numpy()
    return float(principal_angles_deg(W, basis).max())


class Watch:
    """Records when the error claim, and then the error + angle claim, first hold."""

    def __init__(self, X, model, target: float, basis):
        self.X, self.model, self.target, self.basis = torch.tensor(X), model, target, basis
        self.t0 = time.perf_counter()
        self.error_s: float | None = None
        self.full_s: float | None = None

    def check(self) -> bool:
        """True once both claims hold (training can stop)."""
        with torch.no_grad():
            err = torch.mean((self.model(self.X) - self.X) ** 2).item()
        if err <= self.target:
            now = time.perf_counter() - self.t0
            self.error_s = self.error_s or now
            if _angle(self.model, self.basis) <= 3.0:
                self.full_s = now
        return self.full_s is not None


def ours(X, target: float, basis) -> Watch:
    model = _linear(8)
    w = Watch(X, model, target, basis)
    fit(model, X, TrainConfig(epochs=2500, lr=0.05),
        on_progress=lambda p: p.epoch % 10 == 0 and w.check())
    return w


def textbook(X, target: float, basis, limit_s: float) -> Watch:
    """DataLoader, batch 128, shuffled, Adam 1e-3 constant; checks after every epoch."""
    from torch.utils.data import DataLoader, TensorDataset
    model = _linear(8)
    w = Watch(X, model, target, basis)
    loader = DataLoader(TensorDataset(torch.tensor(X)), batch_size=128, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    while time.perf_counter() - w.t0 < limit_s:
        for (xb,) in loader:
            loss = torch.mean((model(xb) - xb) ** 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if w.check():
            break
    return w


def matmul_gflops(n: int = 1024, repeats: int = 20) -> float:
    dev = get_device()
    a, b = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
    a @ b  # warm-up
    _sync(dev)
    t0 = time.perf_counter()
    for _ in range(repeats):
        a @ b
    _sync(dev)
    return 2 * n**3 * repeats / (time.perf_counter() - t0) / 1e9


def _sync(dev: torch.device) -> None:
    if dev.type == "cuda":
        torch.cuda.synchronize()


def mnist_epoch_gflops(rows: int = 70_000, batch: int = 256) -> tuple[float, float]:
    """(achieved GFLOP/s, epoch seconds) of one training epoch; FLOPs = 6 × weights × rows
    (forward 2, backward 4 multiply-adds per weight and sample)."""
    widths = [784, 256, 32, 256, 784]
    n_weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    X = np.random.default_rng(0).random((rows, 784), dtype=np.float32)
    model = build_model(ModelConfig(input_dim=784, hidden=(256,), latent_dim=32), seed=0)
    fit(model, X[:batch * 4], TrainConfig(epochs=1, batch_size=batch))  # warm-up
    t0 = time.perf_counter()
    fit(model, X, TrainConfig(epochs=1, batch_size=batch, lr=1e-3))
    _sync(get_device())
    seconds = time.perf_counter() - t0
    return 6 * n_weights * rows / seconds / 1e9, seconds


def _s(v: float | None) -> str:
    return "-" if v is None else f"{v:.2f}"


def run_bench(quick: bool = False) -> int:
    dev = get_device()
    print(f"device: {dev.type}, torch {torch.__version__}, threads {torch.get_num_threads()}")
    X = load_dataset("digits").X
    pca = pca_fit(X)
    target, limit = 1.02 * pca.bound(8), 20.0 if quick else 120.0
    a, b = ours(X, target, pca.basis(8)), textbook(X, target, pca.basis(8), limit)
    print("\n1. Time to the pca claim on digits, k = 8 (seconds; '-' = not within the run)")
    print(f"   {'recipe':<62}{'MSE <= 1.02 PCA':>16}{'+ angle <= 3°':>15}")
    for name, w in (("this project (full batch, Adam 0.05, cosine)", a),
                    (f"textbook (DataLoader, batch 128, Adam 1e-3; {limit:.0f} s cap)", b)):
        print(f"   {name:<62}{_s(w.error_s):>16}{_s(w.full_s):>15}")
    for label, x, y, cap in (("MSE", a.error_s, b.error_s, limit), ("MSE + angle", a.full_s, b.full_s, limit)):
        if x:
            print(f"   speed-up ({label}): {'≥ ' if y is None else ''}{(y or cap) / x:.1f}×")
    rows = 10_000 if quick else 70_000
    peak = matmul_gflops()
    for batch in (256, 1024):
        got, secs = mnist_epoch_gflops(rows, batch)
        print(f"\n2. MNIST-size epoch (784-256-32-256-784, {rows} rows, batch {batch}): "
              f"{secs:.2f} s, {got:.1f} GFLOP/s = {got / peak:.0%} of matmul peak {peak:.1f} GFLOP/s")
    return 0
