"""``python -m aecore bench``, section 1: time to the ``pca`` claim (linear AE error ≤ 1.02 ×
PCA optimum on digits, k = 8, and every principal angle ≤ 3°), this project's recipe (full
batch, Adam, cosine-decayed rate, whole tensors) against the textbook recipe (DataLoader,
batch 128, Adam at 1e-3, constant rate). Principal angles: Björck & Golub (1973).
"""

from __future__ import annotations

import time

import torch

from aecore.data.registry import load_dataset
from aecore.models import ModelConfig, build_model
from aecore.theory import pca_fit, principal_angles_deg
from aecore.train import TrainConfig, fit


def seconds_text(v: float | None) -> str:
    """Seconds for the benchmark's tables: two decimals, "-" when not measured."""
    return "-" if v is None else f"{v:.2f}"


def _linear(k: int, seed: int = 0):
    return build_model(ModelConfig(input_dim=64, hidden=(), latent_dim=k, activation="identity"), seed=seed)


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
    fit(model, X, TrainConfig(epochs=2500, lr=0.05), on_progress=lambda p: p.epoch % 10 == 0 and w.check())
    return w


def textbook(X, target: float, basis, limit_s: float) -> Watch:
    """DataLoader, batch 128, shuffled, Adam 1e-3 constant; checks after every epoch."""
    from torch.utils.data import DataLoader, TensorDataset

    model = _linear(8)
    w = Watch(X, model, target, basis)
    loader = DataLoader(
        TensorDataset(torch.tensor(X)), batch_size=128, shuffle=True, generator=torch.Generator().manual_seed(0)
    )
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


def print_recipes(quick: bool) -> None:
    """Section 1: time to the pca claim, this project's recipe against the textbook one."""
    X = load_dataset("digits").X
    pca = pca_fit(X)
    target, limit = 1.02 * pca.bound(8), 20.0 if quick else 120.0
    a, b = ours(X, target, pca.basis(8)), textbook(X, target, pca.basis(8), limit)
    print("\n1. Time to the pca claim on digits, k = 8 (seconds; '-' = not within the run)")
    print(f"   {'recipe':<62}{'MSE <= 1.02 PCA':>16}{'+ angle <= 3°':>15}")
    for name, w in (
        ("this project (full batch, Adam 0.05, cosine)", a),
        (f"textbook (DataLoader, batch 128, Adam 1e-3; {limit:.0f} s cap)", b),
    ):
        print(f"   {name:<62}{seconds_text(w.error_s):>16}{seconds_text(w.full_s):>15}")
    for label, x, y, cap in (("MSE", a.error_s, b.error_s, limit), ("MSE + angle", a.full_s, b.full_s, limit)):
        if x:
            print(f"   speed-up ({label}): {'≥ ' if y is None else ''}{(y or cap) / x:.1f}×")
