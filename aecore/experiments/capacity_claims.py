"""Lesson 4's claims (each ``why`` reads the run's metrics and returns the catalog key under
``capacity.`` and the numbers its text shows), and the lecture view where greedy pretraining shows its effect.

A deep stack of sigmoid layers, trained end to end from a random start with a short step
budget, barely moves from predicting the mean: the gradient reaching its first layers
passes through several saturating sigmoids. Greedy layer-wise pretraining (Hinton &
Salakhutdinov 2006; Bengio et al. 2007) trains one shallow autoencoder at a time, each an
easy problem, and fine-tunes the stack from there. ReLU-type units, better initialisation
and Adam later made end-to-end training work, and pretraining faded; with the default ELU
units the two end about even (the deep view).

Label purity by layer (``aecore.maths.probes.purity``) is shown against the same network at its
random start, not claimed: on the 8×8 digits and ``digits28`` (seeds 0–2, ELU or sigmoid units)
its rise beyond the random start's was positive on some runs and negative on others, positive
even for stalled sigmoid stacks, and 5-NN accuracy on no deeper layer beat the first layer's.
"""

from __future__ import annotations

from collections.abc import Mapping

from aecore.experiments.claims import Claim

M = Mapping[str, float]
COPIES, FILTERS = 0.5, 0.5  # the overcomplete model passes ≥ half; the undercomplete < half of that
STALLED = "fails.stalled_models"  # a stalled sigmoid stack copies nothing: no trained model to test


def _numbers(m: M) -> dict[str, float]:
    keys = ("width", "input_dim", "epochs_used", "overcomplete_data_mse", "under_latent", "data_directions")
    keys += ("memorise_rows", "few_width", "memorise_train_mse", "memorise_pca_train_mse")
    keys += ("memorise_heldout_mse", "memorise_pca_heldout_mse", "overcomplete_copy_share")
    keys += ("overcomplete_copy_share_rest", "undercomplete_copy_share", "mean_data_mse")
    return {k: m[k] for k in keys} | {"rest_directions": m["input_dim"] - m["data_directions"]}


def why_no_copy(m: M) -> tuple[str, dict[str, float]]:
    """A stalled sigmoid stack copies nothing; a hidden layer narrower than the input is the real
    bottleneck; a sigmoid output damps small changes near 0 and 1; else it has not learned to copy."""
    if stalled_stack(m, "overcomplete"):
        return STALLED, _numbers(m)
    if m["depth"] >= 1 and m["width"] < m["input_dim"]:
        return "fails.overcomplete_copies_bottleneck", _numbers(m)
    cause = "sigmoid" if m["output"] == "sigmoid" else "training"
    return f"fails.overcomplete_copies_{cause}", _numbers(m)


def why_rest(m: M) -> tuple[str, dict[str, float]]:
    """Copying little anywhere (the first claim fails too), or open off the data's directions."""
    if stalled_stack(m, "overcomplete"):
        return STALLED, _numbers(m)
    little = m["overcomplete_copy_share"] < COPIES
    return "fails.copies_data_directions_only" + ("_little" if little else ""), _numbers(m)


def why_filters(m: M) -> tuple[str, dict[str, float]]:
    """The overcomplete model copied little itself; or the small code is not much smaller than
    the data's directions; or its few directions carry most of the change."""
    if stalled_stack(m, "overcomplete"):
        return STALLED, _numbers(m)
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


DEEP_VIEW = {"depth": 2, "pretrain": True}  # depth and greedy pretraining with the default (ELU) units (trains live)
# Greedy pretraining's effect: three hidden sigmoid layers (the slides' σ), no code-size sweep.
GREEDY_VIEW = {"depth": 3, "activation": "sigmoid", "pretrain": True, "sweep": False}
STALL = 0.9  # end-to-end held-out MSE at least this × the mean's: the stack stalled near the mean
RESCUE = 0.85  # greedy + fine-tuning held-out MSE below this × end-to-end's: pretraining rescued it
STACK_DEPTH = 3  # the hidden sigmoid layers the greedy claim speaks of (at least)


def sigmoid_stack(m: Mapping[str, float]) -> bool:
    """The run pretrained a stack of at least STACK_DEPTH hidden sigmoid layers."""
    return m["sigmoid_units"] == 1 and m["depth_used"] >= STACK_DEPTH and "greedy_heldout_mse" in m


def stalled(m: Mapping[str, float], model: str = "undercomplete", part: str = "heldout") -> bool:
    """The model, trained end to end, stayed near predicting the mean (on ``part``'s rows)."""
    return m[f"{model}_{part}_mse"] >= STALL * m[f"mean_{part}_mse"]


def stalled_stack(m: Mapping[str, float], model: str) -> bool:
    """A stack of at least STACK_DEPTH sigmoid layers whose ``model`` stalled on its training rows."""
    return m["sigmoid_units"] == 1 and m["depth_used"] >= STACK_DEPTH and stalled(m, model, "data")


def why_greedy(m: Mapping[str, float]) -> tuple[str, dict[str, float]]:
    """Which half failed, in the run's numbers."""
    e2e, mean, greedy = m["undercomplete_heldout_mse"], m["mean_heldout_mse"], m["greedy_heldout_mse"]
    nums = {"e2e": e2e, "mean": mean, "greedy": greedy, "share": e2e / mean, "ratio": greedy / e2e}
    nums |= {"stacked": m["greedy_stacked_data_mse"], "epochs": m["epochs_used"], "stall": STALL}
    return ("why.greedy_trained" if not stalled(m) else "why.greedy_no_rescue"), nums


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
    Claim.all_of(
        "greedy_rescues_sigmoid_stack",
        stalls=Claim.ratio_at_least("", "undercomplete_heldout_mse", "mean_heldout_mse", STALL),
        rescues=Claim.ratio_below("", "greedy_heldout_mse", "undercomplete_heldout_mse", RESCUE),
        note="(a pretrained stack of sigmoid layers, held-out rows)",
        applies=sigmoid_stack,
        why=why_greedy,
    ),
)
