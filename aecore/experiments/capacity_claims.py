"""What the capacity page claims, and why a claim fails on a run: each ``why`` reads the run's
metrics and settings and returns (catalog key under ``capacity.``, the numbers its text shows)."""

from __future__ import annotations

from collections.abc import Mapping

from aecore.experiments.claims import Claim

M = Mapping[str, float]
COPIES, FILTERS = 0.5, 0.5  # the overcomplete model passes ≥ half; the undercomplete < half of that


def _numbers(m: M) -> dict[str, float]:
    keys = ("width", "input_dim", "epochs_used", "overcomplete_data_mse", "under_latent", "data_directions")
    keys += ("memorise_rows", "few_width", "memorise_train_mse", "memorise_pca_train_mse")
    keys += ("memorise_heldout_mse", "memorise_pca_heldout_mse", "overcomplete_copy_share")
    keys += ("overcomplete_copy_share_rest", "undercomplete_copy_share")
    return {k: m[k] for k in keys} | {"rest_directions": m["input_dim"] - m["data_directions"]}


def why_no_copy(m: M) -> tuple[str, dict[str, float]]:
    """A hidden layer narrower than the input is the real bottleneck; a sigmoid output damps
    small changes near 0 and 1; else the model has not learned to copy."""
    if m["depth"] >= 1 and m["width"] < m["input_dim"]:
        return "fails.overcomplete_copies_bottleneck", _numbers(m)
    cause = "sigmoid" if m["output"] == "sigmoid" else "training"
    return f"fails.overcomplete_copies_{cause}", _numbers(m)


def why_rest(m: M) -> tuple[str, dict[str, float]]:
    """Copying little anywhere (the first claim fails too), or open off the data's directions."""
    little = m["overcomplete_copy_share"] < COPIES
    return "fails.copies_data_directions_only" + ("_little" if little else ""), _numbers(m)


def why_filters(m: M) -> tuple[str, dict[str, float]]:
    """The overcomplete model copied little itself; or the small code is not much smaller than
    the data's directions; or its few directions carry most of the change."""
    if m["overcomplete_copy_share"] < COPIES:
        return "fails.undercomplete_filters_over", _numbers(m)
    near = m["under_latent"] >= m["data_directions"] / 2
    return ("fails.undercomplete_filters" if near else "fails.undercomplete_filters_kept"), _numbers(m)


def why_memorises(m: M) -> tuple[str, dict[str, float]]:
    """Which half failed: it did not beat PCA on its own images, or did not lose on new ones."""
    train = m["memorise_train_mse"] < m["memorise_pca_train_mse"]
    heldout = m["memorise_heldout_mse"] > m["memorise_pca_heldout_mse"]
    part = "" if not (train or heldout) else "_train" if heldout else "_heldout"
    return "fails.undercomplete_memorises" + part, _numbers(m)


CLAIMS = (
    Claim.at_least(
        "overcomplete_copies",
        "overcomplete_copy_share",
        COPIES,
        note="(it passes at least half of a small change along the data's directions)",
        why=why_no_copy,
    ),
    Claim.less(
        "copies_data_directions_only",
        "overcomplete_copy_share_rest",
        "overcomplete_copy_share",
        note="(it copies less where the data barely varied)",
        why=why_rest,
    ),
    Claim.ratio_below(
        "undercomplete_filters",
        "undercomplete_copy_share",
        "overcomplete_copy_share",
        FILTERS,
        note="(a small code passes far less through)",
        why=why_filters,
    ),
    Claim.all_of(
        "undercomplete_memorises",
        train=Claim.less("", "memorise_train_mse", "memorise_pca_train_mse"),
        heldout=Claim.greater("", "memorise_heldout_mse", "memorise_pca_heldout_mse"),
        note="(with few rows it beats PCA on its rows and loses to it on new ones)",
        why=why_memorises,
    ),
)
