"""Lesson 0, ``neural``: neural networks in one page, trained live.

Three models, every one through ``aecore.train.fit`` with plain gradient descent
θ ← θ − η∇L (``optimizer="gd"``, constant η) or Adam for the 1-D fits:

1. one neuron σ(wᵀx) without bias on a two-class toy (the data are centred), whose
   loss surface L(w₁, w₂) is drawn with the gradient-descent path across it;
2. a network of ``depth`` hidden layers h⁽ˡ⁾ = φ(W⁽ˡ⁾h⁽ˡ⁻¹⁾ + b⁽ˡ⁾) on the same toy,
   with binary cross-entropy; its first gradient is also computed by the chain rule by
   hand (``aecore.maths.neuralnet.backprop``) and compared with autograd in float64;
3. one-hidden-layer networks of growing width fitted to a 1-D function: the universal
   approximation theorem (Cybenko 1989; Hornik 1991) seen as error against width.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import spearmanr
from torch import nn

from aecore import cost_terms as ct
from aecore.config import Config, param
from aecore.experiments import neural_why as why
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.maths import neuralnet as nnb
from aecore.models.base import mlp, reset_parameters
from aecore.train import Progress, TrainConfig, predict

NEURON, NETWORK, UAT = "neuron", "network", "uat_width"  # stage ids (UAT: ":<width>")
# Full-batch steps of these tiny networks cost this share of an autoencoder's step (no batch to
# draw; plain gradient descent keeps no Adam state): measured, for the cost estimate.
GD_SHARE, FIT_SHARE = 0.4, 0.5
N_TEST, GRID = 2000, 120


@dataclass(frozen=True)
class NeuralConfig(Config):
    toy: str = param("moons", "two-class problem in the plane", choices=nnb.TOYS)
    n_samples: int = param(400, "training points", lo=20, hi=5000)
    noise: float = param(0.15, "noise of the points", lo=0.0, hi=1.0)
    depth: int = param(2, "hidden layers of the network", lo=1, hi=3)
    width: int = param(16, "units per hidden layer", lo=1, hi=256)
    activation: str = param("tanh", "non-linearity φ of the hidden layers", choices=("tanh", "relu"))
    epochs: int = param(1000, "gradient-descent steps (full batch)", lo=1, hi=5000, batch=0)
    lr: float = param(0.5, "step size η of gradient descent", lo=0.0, hi=10.0, lo_open=True)
    function: str = param("wave", "1-D function to approximate", choices=tuple(nnb.FUNCTIONS))
    max_width: int = param(64, "widest hidden layer of the 1-D fits (widths 1, 2, 4, …)", lo=4, hi=256)
    fit_epochs: int = param(800, "full-batch Adam epochs per 1-D fit", lo=1, hi=5000, batch=0)
    seed: int = param(0, "seed of the data and the weights", lo=0, hi=2**31 - 1)


def bce_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy of σ(model(x)) against the labels y ∈ {0, 1}: fit's ``loss_fn``."""
    return nn.functional.binary_cross_entropy_with_logits(model(x)[:, 0], y)


def squared_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.mean((model(x) - y) ** 2)


def accuracy(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((predict(model, X)[:, 0] > 0) == (y > 0.5)))


def final_loss(model: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    with torch.no_grad():
        return float(bce_loss(model.cpu(), torch.from_numpy(X), torch.from_numpy(y)))


def gd(cfg: NeuralConfig) -> TrainConfig:
    return TrainConfig(epochs=cfg.epochs, lr=cfg.lr, optimizer="gd", schedule="constant", seed=cfg.seed)


def train_neuron(cfg, X, y, track: Tracker) -> tuple[nn.Linear, np.ndarray]:
    """The bias-free neuron by gradient descent from a point on a circle of radius 4;
    returns it and its path w₀, w₁, … (one row per step)."""
    neuron = nn.Linear(2, 1, bias=False)
    angle = np.random.default_rng(cfg.seed).uniform(0, 2 * np.pi)
    with torch.no_grad():
        neuron.weight.copy_(torch.tensor([[4 * np.cos(angle), 4 * np.sin(angle)]]))
    path = [neuron.weight.detach().numpy()[0].copy()]

    def record(p: Progress) -> bool:
        path.append(neuron.weight.detach().cpu().numpy()[0].copy())
        return track(p)

    track.fit(neuron, X, gd(cfg), target=y, loss_fn=bce_loss, on_progress=record, stage=NEURON)
    return neuron, np.array(path)


def backprop_error(net: nn.Sequential, X: np.ndarray, y: np.ndarray, act: str) -> float:
    """Largest |hand-written chain rule − autograd| over all parameters, relative to the
    largest autograd gradient entry, both in float64."""
    net64 = copy.deepcopy(net).double()
    bce_loss(net64, torch.from_numpy(X.astype(np.float64)), torch.from_numpy(y.astype(np.float64))).backward()
    lin = [m for m in net64 if isinstance(m, nn.Linear)]
    gW, gb = nnb.backprop(
        [m.weight.detach().numpy() for m in lin], [m.bias.detach().numpy() for m in lin], X.astype(np.float64), y, act
    )
    auto = [m.weight.grad.numpy() for m in lin] + [m.bias.grad.numpy() for m in lin]
    scale = max(float(np.abs(a).max()) for a in auto)
    return max(float(np.abs(h - a).max()) for h, a in zip(gW + gb, auto)) / scale


def spread_net(width: int, activation: str, seed: int) -> nn.Sequential:
    """x -> φ(w x + b) -> linear, with PyTorch's default weights but each unit's centre
    −b/w (where a ReLU bends, a tanh is steepest) drawn uniformly over the interval."""
    net = mlp([1, width, 1], activation, "identity")
    gen = torch.Generator().manual_seed(seed)
    reset_parameters(net, gen)
    with torch.no_grad():
        centres = torch.empty(width).uniform_(*nnb.X_RANGE, generator=gen)
        net[0].bias.copy_(-net[0].weight[:, 0] * centres)
    return net


def approximate(cfg: NeuralConfig, track: Tracker) -> tuple[dict[int, float], dict[str, np.ndarray]]:
    """One hidden layer of width 1, 2, 4, … fitted to the chosen function: relative MSE
    (MSE / Var f on a fine grid) per width, and the fits drawn."""
    f = nnb.FUNCTIONS[cfg.function]
    x = np.linspace(*nnb.X_RANGE, 256, dtype=np.float32)[:, None]
    fine = np.linspace(*nnb.X_RANGE, 1001, dtype=np.float32)[:, None]
    truth = f(fine).astype(np.float64)
    widths = [2**i for i in range(int(np.log2(cfg.max_width)) + 1)]
    errors, fits = {}, {"x": fine[:, 0], "truth": truth[:, 0]}
    for w in widths:
        net = spread_net(w, cfg.activation, cfg.seed + w)
        adam = TrainConfig(epochs=cfg.fit_epochs, lr=0.03, seed=cfg.seed)
        track.fit(net, x, adam, target=f(x).astype(np.float32), loss_fn=squared_loss, stage=f"{UAT}:{w}")
        out = predict(net, fine).astype(np.float64)
        errors[w] = float(np.mean((out - truth) ** 2) / truth.var())
        fits[f"w{w}"] = out[:, 0]
    return errors, fits


def steps_up(losses: list[float]) -> int:
    """How many gradient-descent steps raised the loss (losses[t] = L(θ_t)) by more than
    float rounding (10⁻⁹ relative: at convergence float32 weights stall and the loss
    wobbles in its 16th digit)."""
    L = np.asarray(losses)
    return int(np.sum(np.diff(L) > 1e-9 * L[1:]))


def surface(X: np.ndarray, y: np.ndarray, path: np.ndarray, n: int = 61) -> dict[str, np.ndarray]:
    """The neuron's loss on a (w₁, w₂) grid around its path, and −∇L on a coarse grid."""
    centre, half = (path.min(0) + path.max(0)) / 2, np.ptp(path, 0).max() / 2 + 1.5  # a square box
    lo, hi = centre - half, centre + half
    w1, w2 = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
    a1, a2 = (g.ravel() for g in np.meshgrid(w1[::6], w2[::6]))
    arrows = np.column_stack([a1, a2])
    return {
        "w1": w1,
        "w2": w2,
        "loss": nnb.loss_surface(X, y, w1, w2),
        "arrows": arrows,
        "descent": -nnb.loss_gradient(X, y, arrows),
        "path": path,
    }


def regions(net: nn.Module, X: np.ndarray) -> dict[str, np.ndarray]:
    """The network's probability of class 1 on a grid over the plane."""
    lo, hi = X.min(0) - 0.5, X.max(0) + 0.5
    g1, g2 = np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID)
    pts = np.stack(np.meshgrid(g1, g2), -1).reshape(-1, 2).astype(np.float32)
    prob = nnb.sigmoid(predict(net, pts)[:, 0].astype(np.float64)).reshape(GRID, GRID)
    return {"g1": g1, "g2": g2, "prob": prob}


def run(cfg: NeuralConfig, on_progress=None) -> Result:
    track = Tracker(on_progress)
    X, y = nnb.toy_points(cfg.toy, cfg.n_samples, cfg.noise, cfg.seed)
    Xt, yt = nnb.toy_points(cfg.toy, N_TEST, cfg.noise, cfg.seed + 10_000)  # held-out points
    neuron, path = train_neuron(cfg, X, y, track)
    losses = [float(v) for v in nnb.bce(path @ X.T.astype(np.float64), y)]  # L(w_t) for every step
    net = mlp([2, *(cfg.width,) * cfg.depth, 1], cfg.activation, "identity")
    reset_parameters(net, torch.Generator().manual_seed(cfg.seed))
    first_error = backprop_error(net, X, y, cfg.activation)  # at the weights the first step starts from
    hist = track.fit(net, X, gd(cfg), target=y, loss_fn=bce_loss, stage=NETWORK)
    errors, fits = approximate(cfg, track)
    widths = sorted(errors)
    best = min(widths, key=errors.get)
    metrics = {
        "neuron_accuracy": accuracy(neuron, X, y),
        "neuron_test_accuracy": accuracy(neuron, Xt, yt),
        "neuron_loss_start": losses[0],
        "neuron_loss_end": losses[-1],
        "neuron_steps_up": steps_up(losses),
        "neuron_lr_limit": 2 / nnb.logistic_smoothness(X),
        "network_accuracy": accuracy(net, X, y),
        "network_test_accuracy": accuracy(net, Xt, yt),
        "network_loss_start": hist.losses[0],
        "network_loss_end": final_loss(net, X, y),
        "backprop_max_error": first_error,
        **{f"uat_rel_mse_{w}": errors[w] for w in widths},
        "uat_best_rel_mse": errors[best],
        "uat_best_width": best,
        "uat_widest": widths[-1],
        "uat_widest_rel_mse": errors[widths[-1]],
        "uat_error_drop": errors[1] / max(errors[widths[-1]], 1e-12),  # one unit's error / the widest's
        "uat_rank_correlation": float(spearmanr(widths, [errors[w] for w in widths]).statistic),
        "uat_rises": int(np.sum(np.diff([errors[w] for w in widths]) > 0)),
    }
    arrays = {
        "X": X,
        "y": y,
        "regions": regions(net, X),
        "surface": surface(X, y, path),
        "fits": fits,
        "widths": np.array(widths),
        "n_test": N_TEST,
        "errors": np.array([errors[w] for w in widths]),
    }
    return track.result(metrics, arrays=arrays, models={NETWORK: net})


def stage_cost(cfg: NeuralConfig) -> dict[str, float]:
    """Estimated one-core seconds per stage, in run order (aecore.cost): gradient descent of
    the neuron (with the loss at every step of its path and on the surface) and of the
    network on the training points, then the 1-D fits of widths 1, 2, 4, … max_width on 256
    points."""
    n, net = cfg.n_samples, ct.mlp([2, *(cfg.width,) * cfg.depth, 1])
    path = 3 * (cfg.epochs + 61 * 61) * n * ct.T_NUMPY
    parts = {
        NEURON: GD_SHARE * ct.stage(cfg, "epochs", n, ct.mlp([2, 1])) + path,
        NETWORK: GD_SHARE * ct.stage(cfg, "epochs", n, net) + ct.predict(N_TEST + GRID * GRID, net),
    }
    for w in (2**i for i in range(int(np.log2(cfg.max_width)) + 1)):
        parts[f"{UAT}:{w}"] = FIT_SHARE * ct.stage(cfg, "fit_epochs", 256, ct.mlp([1, w, 1]))
    return parts


def cost(cfg: NeuralConfig) -> dict[str, float]:
    """Estimated one-core seconds per setting (aecore.cost): the stages of ``stage_cost``."""
    parts = stage_cost(cfg)
    return {
        "epochs": parts[NEURON] + parts[NETWORK],
        "fit_epochs": sum(v for k, v in parts.items() if k.startswith(UAT)),
    }


UAT_ENOUGH = 0.05  # the share of the function's variance "some width suffices" allows

EXPERIMENTS = [
    Experiment(
        "neural",
        NeuralConfig,
        run,
        "Neural networks in one page",
        budget_s=15,
        cost=cost,
        stage_cost=stage_cost,
        stages=(NEURON, NETWORK, UAT),
        claims=(
            Claim.greater(
                "network_beats_neuron",
                "network_test_accuracy",
                "neuron_test_accuracy",
                note="(held-out points)",
                why=why.network_beats_neuron,
            ),
            Claim.equals(
                "descent",
                "neuron_steps_up",
                0,
                note="(every gradient-descent step lowered the neuron's loss)",
                why=why.descent,
            ),
            Claim.at_most(
                "backprop_exact",
                "backprop_max_error",
                1e-6,
                note="(chain rule by hand against autograd, float64)",
                why=why.backprop_exact,
            ),
            Claim.at_most(
                "some_width_suffices",
                "uat_best_rel_mse",
                UAT_ENOUGH,
                note="(some width leaves at most this share of the function's variance)",
                why=why.some_width_suffices,
            ),
            # not a rank correlation: past a few units the errors only wobble; two ReLUs fit |x| exactly
            Claim.at_least(
                "error_falls_with_width",
                "uat_error_drop",
                10,
                note="(the widest layer's error is at most this fraction of one unit's)",
                why=lambda m: why.error_falls_with_width(m, UAT_ENOUGH),
            ),
        ),
    )
]
