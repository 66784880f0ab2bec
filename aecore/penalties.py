"""Penalties Ω(x, h) that plug into the base autoencoder's ``penalty`` hook.

    L(θ, φ) = mean (x − g_φ(f_θ(x)))² + Ω(x, h)

Each factory takes its weight and returns a callable ``penalty(model, x, h) -> scalar``:

- L1 on the code (sparse AE):        Ω = α · mean_i Σ_j |h_ij|
- KL sparsity (Ng 2011, sigmoid h):  Ω = β · Σ_j KL(ρ ‖ ρ̂_j),  ρ̂_j = mean_{i ∈ batch} h_ij,
  KL(ρ ‖ ρ̂) = ρ log(ρ/ρ̂) + (1 − ρ) log((1 − ρ)/(1 − ρ̂)),
  ∂/∂ρ̂ β KL(ρ ‖ ρ̂) = β (−ρ/ρ̂ + (1 − ρ)/(1 − ρ̂))   (→ −∞ as ρ̂ → 0: no unit dies)
  ρ̂_j is the mean over the mini-batch, a noisy estimate of the data mean (KL is convex in
  ρ̂, so the batch penalty is on average a little larger than the full-data one).
- L2 on the weights (ridge):         Ω = λ · Σ_W ‖W‖²_F   (weights, not biases; a term of the
  loss, which Adam rescales per weight, unlike decoupled weight decay, Loshchilov & Hutter 2019)
- L1 on the weights (Lasso, Tibshirani 1996): Ω = μ · Σ_W Σ |W_ij|  (sparse connections)
- contractive (Rifai et al. 2011):   Ω = λ · mean_i ‖J_f(x_i)‖²_F, with the closed form
  Σ_j (h_j(1 − h_j))² ‖W_j‖² for one sigmoid layer h = σ(Wx + b) and an autograd
  Jacobian (torch.func.jacrev under vmap) for any deeper encoder.

``PENALTIES`` maps the user-facing name to its factory; pages, the command line and the
tests read the same dict.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn
from torch.func import jacrev, vmap

from aecore.config import ConfigError

Penalty = Callable[[nn.Module, torch.Tensor, torch.Tensor], torch.Tensor]
EPS = 1e-6


def kl_bernoulli(rho: float, rho_hat: torch.Tensor) -> torch.Tensor:
    """KL(ρ ‖ ρ̂_j) per unit between Bernoulli(ρ) and Bernoulli(ρ̂_j); shape of rho_hat."""
    q = rho_hat.clamp(EPS, 1 - EPS)
    return rho * torch.log(rho / q) + (1 - rho) * torch.log((1 - rho) / (1 - q))


def kl_sparsity_grad(rho: float, rho_hat, beta: float = 1.0):
    """∂/∂ρ̂ of β · KL(ρ ‖ ρ̂) = β (−ρ/ρ̂ + (1 − ρ)/(1 − ρ̂)), elementwise (arrays or tensors)."""
    return beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))


def weight_matrices(model: nn.Module) -> list[torch.Tensor]:
    """Every distinct weight matrix of the model's linear maps (tied weights counted once)."""
    seen, out = set(), []
    for m in model.modules():
        if isinstance(m, nn.Linear) and id(m.weight) not in seen:
            seen.add(id(m.weight))
            out.append(m.weight)
    return out


def single_sigmoid_layer(model: nn.Module) -> nn.Linear | None:
    """The Linear layer when the encoder is exactly h = σ(Wx + b), else None."""
    enc = list(model.encoder)
    if len(enc) == 2 and isinstance(enc[0], nn.Linear) and isinstance(enc[1], nn.Sigmoid):
        return enc[0]
    return None


def jacobian_fro2_closed(W: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """‖J_f(x)‖²_F = Σ_j (h_j(1 − h_j))² Σ_i W_ji² for h = σ(Wx + b); per row of h, (B,)."""
    row_norms = (W**2).sum(1)  # (k,)  ‖W_j‖²
    return ((h * (1 - h)) ** 2 * row_norms).sum(1)  # (B, k) -> (B,)


def map_jacobian_fro2_closed(W_enc: torch.Tensor, W_dec: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """‖J_{g∘f}(x)‖²_F for h = σ(W_enc x + b), x̂ = W_dec h + c; per row of h, (B,).

    J = W_dec diag(s) W_enc with s = h(1 − h), so ‖J‖²_F = sᵀ M s with
    M = (W_decᵀ W_dec) ∘ (W_enc W_encᵀ): O(k²) per row instead of a (D, D) Jacobian."""
    M = (W_dec.T @ W_dec) * (W_enc @ W_enc.T)  # (k, k)
    s = h * (1 - h)  # (B, k)
    return ((s @ M) * s).sum(1)


def jacobian(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Per-sample Jacobians of ``fn`` at the rows of x: (B, out, D), differentiable."""
    return vmap(jacrev(lambda v: fn(v[None])[0]))(x)


def jacobian_fro2_autograd(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """‖J_f(x)‖²_F per row of x from the autograd Jacobian of model.encode, (B,)."""
    return (jacobian(model.encode, x) ** 2).sum((1, 2))


def jacobian_fro2(model: nn.Module, x: torch.Tensor, h: torch.Tensor | None = None) -> torch.Tensor:
    """‖J_f(x)‖²_F per row: closed form for one sigmoid layer, autograd otherwise."""
    layer = single_sigmoid_layer(model)
    if layer is None:
        return jacobian_fro2_autograd(model, x)
    return jacobian_fro2_closed(layer.weight, model.encode(x) if h is None else h)


def _check_weight(name: str, value: float) -> float:
    if not value >= 0 or value == float("inf"):
        raise ConfigError(
            f"the {name} weight must be a finite number ≥ 0; got {value!r}.",
            code="penalty_weight",
            params=dict(name=name, value=f"{value!r}"),
        )
    return float(value)


def none_penalty(weight: float = 0.0, **_) -> Penalty | None:
    """No regulariser: a plain autoencoder."""
    return None


def l1_code(weight: float, **_) -> Penalty:
    """α · mean over the batch of Σ_j |h_j|: a constant pull α on every activation. ReLU
    codes reach exact zeros; sigmoid codes (h > 0) only drift towards 0, unit by unit."""
    alpha = _check_weight("L1", weight)

    def penalty(model: nn.Module, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        return alpha * h.abs().sum(1).mean()

    return penalty


def kl_sparsity(weight: float, rho: float = 0.05, **_) -> Penalty:
    """β · Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the batch mean of unit j (units must lie in (0, 1))."""
    beta = _check_weight("KL", weight)
    if not 0 < rho < 1:
        raise ConfigError(
            f"the target activation ρ must lie strictly between 0 and 1; got {rho!r}.",
            code="sparsity_target",
            params=dict(value=f"{rho!r}"),
        )

    def penalty(model: nn.Module, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        return beta * kl_bernoulli(rho, h.mean(0)).sum()

    return penalty


def l2_weights(weight: float, **_) -> Penalty:
    """λ · Σ ‖W‖²_F over the weight matrices (ridge): shrinks weights, not codes."""
    lam = _check_weight("L2", weight)

    def penalty(model: nn.Module, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        return lam * sum((W**2).sum() for W in weight_matrices(model))

    return penalty


def l1_weights(weight: float, **_) -> Penalty:
    """μ · Σ |W_ij| over the weight matrices (Lasso): sparse connections, not sparse codes."""
    mu = _check_weight("L1 (weights)", weight)

    def penalty(model: nn.Module, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        return mu * sum(W.abs().sum() for W in weight_matrices(model))

    return penalty


def contractive(weight: float, **_) -> Penalty:
    """λ · mean over the batch of ‖J_f(x)‖²_F (closed form for one sigmoid layer)."""
    lam = _check_weight("contractive", weight)

    def penalty(model: nn.Module, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        return lam * jacobian_fro2(model, x, h).mean()

    return penalty


PENALTIES: dict[str, Callable[..., Penalty | None]] = {
    "none": none_penalty,
    "l1": l1_code,
    "kl": kl_sparsity,
    "l2": l2_weights,
    "l1_weights": l1_weights,
    "contractive": contractive,
}


def make_penalty(name: str, weight: float = 0.0, **kw) -> Penalty | None:
    """The registered penalty ``name`` with its weight, for ``build_model(penalty=)``.

    Parameters
    ----------
    name : a key of ``PENALTIES``: "none", "l1", "kl", "l2", "l1_weights", "contractive".
    weight : λ, the penalty's weight in the loss; kw : ``rho`` (ρ, the KL target rate).

    Returns
    -------
    The penalty callable ``penalty(model, x, h) -> scalar``, or None for "none";
    raises ConfigError for an unknown name.

    Example
    -------
    >>> from aecore.models import ModelConfig, build_model
    >>> cfg = ModelConfig(input_dim=64, hidden=(), latent_dim=16, latent_activation="sigmoid")
    >>> model = build_model(cfg, penalty=make_penalty("kl", 0.1, rho=0.05), seed=0)
    """
    if name not in PENALTIES:
        raise ConfigError(
            f"unknown penalty {name!r}; choose one of {', '.join(PENALTIES)}.",
            code="not_a_choice",
            params=dict(name="penalty", value=name, choices=", ".join(PENALTIES)),
        )
    return PENALTIES[name](weight, **kw)
