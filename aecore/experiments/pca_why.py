"""Why a claim of the PCA page fails on a run: each function reads the run's metrics and
settings and returns (catalog key under ``pca.``, the numbers its text shows)."""

from __future__ import annotations

from collections.abc import Mapping

M = Mapping[str, float]
TIE_RATIO = 1 + 1e-6  # λ_k/λ_{k+1} below this is a tie: the top-k subspace is not unique


def linear_matches_pca(m: M) -> tuple[str, dict[str, float]]:
    """Every local minimum of a linear AE is global (Baldi & Hornik 1989), and reaches PCA's
    error: an error above it means training stopped early."""
    return "why.linear_short", {"ratio": m["linear_ae_mse"] / m["pca_mse"], "epochs": m["linear_epochs"]}


def same_subspace(m: M) -> tuple[str, dict[str, float]]:
    """A tie λ_k = λ_{k+1} (no unique subspace to match) or a run stopped before the angle closed."""
    numbers = {"gap": m["eigengap_ratio"], "k": m["latent_dim"], "angle": m["max_principal_angle_deg"]}
    return ("tie" if m["eigengap_ratio"] < TIE_RATIO else "slow"), numbers


def bound_exact(m: M) -> tuple[str, dict[str, float]]:
    """PCA's error equals the discarded eigenvalues' sum (Eckart–Young) in exact arithmetic."""
    rel = abs(m["pca_mse"] - m["pca_bound"]) / m["pca_bound"]
    return "why.bound_numeric", {"pca": m["pca_mse"], "bound": m["pca_bound"], "rel": rel}


def deep_beats_pca(m: M) -> tuple[str, dict[str, float]]:
    """The curved code did no better than the flat one: nothing was left to beat (k keeps
    every direction), or training did not find a better curve."""
    numbers = {"deep": m["deep_ae_mse"], "pca": m["pca_mse"], "k": m["latent_dim"]}
    return ("why.deep_nothing_left" if m["pca_mse"] <= 1e-12 else "why.deep_short"), numbers


def lindec_not_below_pca(m: M) -> tuple[str, dict[str, float]]:
    """A linear decoder's outputs lie in a k-plane; PCA's is the best one: below it is a bug."""
    return "why.lindec_below", {"lindec": m["lindec_ae_mse"], "pca": m["pca_mse"], "k": m["latent_dim"]}


def refit_not_below_pca(m: M) -> tuple[str, dict[str, float]]:
    """Why the decoder contrast failed: the deep AE did not get below PCA, or (a refit below
    PCA) the reference error itself is off its exact bound by rounding."""
    numbers = {f"{n}_ratio": m[f"{n}_mse"] / m["pca_mse"] for n in ("deep_ae", "deep_refit", "lindec_refit")}
    numbers["bound_gap"] = abs(m["pca_mse"] - m["pca_bound"]) / m["pca_bound"]
    return ("why.refit_nonlinear" if m["deep_ae_mse"] >= m["pca_mse"] else "why.refit_rounding"), numbers
