"""``python -m aecore bench``, section 1: time to the ``pca`` claims (the linear AE's error
within the ``linear_matches_pca`` factor of the PCA optimum on digits, k = 8, then also every
principal angle within the ``same_subspace`` limit; both thresholds read from the claims).
Three recipes: the lesson's default (alternating least squares on the covariance), the
lesson's Adam option (full batch on the covariance, cosine-decayed rate) and the textbook
recipe (DataLoader, batch 128, Adam at 1e-3, constant rate). Principal angles: Björck & Golub
(1973).
"""

from __future__ import annotations

import time

import torch

from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.pca import PCAConfig
from aecore.maths import linear_ae as lae
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


def limits() -> tuple[float, float]:
    """(error factor over the PCA optimum, largest angle in degrees): the pca claims' thresholds."""
    pca = get("pca")
    return pca.claim("linear_matches_pca").threshold, pca.claim("same_subspace").threshold


class Watch:
    """Records when the error claim, and then the error + angle claim, first hold."""

    def __init__(self, X, model, target: float, basis):
        self.X, self.model, self.target, self.basis = torch.tensor(X), model, target, basis
        self.angle_limit = limits()[1]
        self.t0 = time.perf_counter()
        self.error_s: float | None = None
        self.full_s: float | None = None

    def check(self) -> bool:
        """True once both claims hold for the model (training can stop)."""
        with torch.no_grad():
            err = torch.mean((self.model(self.X) - self.X) ** 2).item()
        return self.seen(err, lambda: _angle(self.model, self.basis))

    def seen(self, err: float, angle) -> bool:
        """Record a measured error (and, once it is low enough, ``angle()``); True once both hold."""
        if err <= self.target:
            now = time.perf_counter() - self.t0
            self.error_s = self.error_s or now
            if angle() <= self.angle_limit:
                self.full_s = now
        return self.full_s is not None


def _als(cfg: PCAConfig, X, target: float, basis) -> Watch:
    """Alternating least squares on the covariance from the lesson's initial decoder, checked
    after every sweep."""
    model = _linear(cfg.latent_dim, cfg.seed)
    w = Watch(X, model, target, basis)
    _, S = lae.covariance(X)

    def on_sweep(t: int, loss: float, D) -> bool:
        return w.seen(loss, lambda: float(principal_angles_deg(D, basis).max()))

    lae.als(lae.weights(model)[1], S, cfg.linear_epochs, on_sweep)
    return w


def _adam(cfg: PCAConfig, X, target: float, basis) -> Watch:
    """Full-batch Adam on the covariance at the lesson's rate, cosine decay, checked every 10 epochs."""
    model = _linear(cfg.latent_dim, cfg.seed)
    w = Watch(X, model, target, basis)
    _, S = lae.covariance(X)

    def watch(p) -> bool:
        if p.epoch % 10:
            return False
        E, D = lae.weights(model)
        return w.seen(lae.loss_from_cov(E, D, S), lambda: float(principal_angles_deg(D, basis).max()))

    tc = TrainConfig(epochs=cfg.linear_epochs, lr=cfg.linear_lr, seed=cfg.seed)
    fit(model, torch.as_tensor(S, dtype=torch.float32), tc, loss_fn=lae.covariance_loss, on_progress=watch)
    return w


SOLVERS = {"als": (_als, "ALS on the covariance"), "adam": (_adam, "full-batch Adam {lr:g} on the covariance, cosine")}


def lesson_recipe(X, target: float, basis, solver: str | None = None) -> tuple[str, Watch]:
    """The pca lesson's linear AE with its settings (``PCAConfig``; ``solver`` None = its
    default): (what it is, its stopwatch)."""
    cfg = PCAConfig() if solver is None else PCAConfig(linear_solver=solver)
    run, words = SOLVERS[cfg.linear_solver]
    return words.format(lr=cfg.linear_lr), run(cfg, X, target, basis)


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
    """Section 1: time to the pca claims, the lesson's recipes against the textbook one."""
    X = load_dataset("digits").X
    pca = pca_fit(X)
    factor, angle = limits()
    k = PCAConfig().latent_dim
    target, limit = factor * pca.bound(k), 20.0 if quick else 120.0
    default, a = lesson_recipe(X, target, pca.basis(k))
    other = next(s for s in SOLVERS if s != PCAConfig().linear_solver)
    option, o = lesson_recipe(X, target, pca.basis(k), other)
    b = textbook(X, target, pca.basis(k), limit)
    print(f"\n1. Time to the pca claim on digits, k = {k} (seconds; '-' = not within the run)")
    print(f"   {'recipe':<62}{f'MSE <= {factor:g} PCA':>16}{f'+ angle <= {angle:g}°':>15}")
    for name, w in (
        (f"this project (the lesson's default: {default})", a),
        (f"the lesson's other solver: {option}", o),
        (f"textbook (DataLoader, batch 128, Adam 1e-3; {limit:.0f} s cap)", b),
    ):
        print(f"   {name:<62}{seconds_text(w.error_s):>16}{seconds_text(w.full_s):>15}")
    for label, x, y, cap in (("MSE", a.error_s, b.error_s, limit), ("MSE + angle", a.full_s, b.full_s, limit)):
        if x:
            print(f"   speed-up ({label}): {'≥ ' if y is None else ''}{(y or cap) / x:.1f}×")
