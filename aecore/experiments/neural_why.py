"""Why a claim of the neural-network page fails on a run: each function reads the run's
metrics and settings and returns (catalog key under ``neural.``, the numbers its text shows)."""

from __future__ import annotations

from collections.abc import Mapping

M = Mapping[str, float]
ACCURACIES = ("neuron_accuracy", "neuron_test_accuracy", "network_accuracy", "network_test_accuracy")
SETTINGS = ("noise", "n_samples", "depth", "width", "epochs")


def network_beats_neuron(m: M) -> tuple[str, dict[str, float]]:
    """Better on its own points but not on new ones: it overfitted; else it did not train."""
    numbers = {k: 100 * m[k] for k in ACCURACIES} | {k: m[k] for k in SETTINGS}
    overfit = m["network_accuracy"] > m["neuron_accuracy"]
    return "fails.network_beats_neuron_" + ("overfit" if overfit else "small"), numbers


def descent(m: M) -> tuple[str, dict[str, float]]:
    """A step that raised the loss: η at or above 2/M (no step is guaranteed downhill), or
    rounding near the minimum."""
    numbers = dict(lr=m["lr"], limit=m["neuron_lr_limit"], ups=m["neuron_steps_up"], steps=m["epochs"])
    numbers |= dict(start=m["neuron_loss_start"], end=m["neuron_loss_end"])
    return "fig.surface_" + ("risky" if m["lr"] >= m["neuron_lr_limit"] else "unlucky"), numbers


def backprop_exact(m: M) -> tuple[str, dict[str, float]]:
    return "fails.backprop_exact", {"backprop_max_error": m["backprop_max_error"]}


def some_width_suffices(m: M) -> tuple[str, dict[str, float]]:
    keys = ("uat_best_width", "uat_best_rel_mse", "uat_widest")
    return "fails.some_width_suffices", {k: m[k] for k in keys}


def error_falls_with_width(m: M, enough: float) -> tuple[str, dict[str, float]]:
    """``enough``: the error "some width suffices" asks for; one unit may already reach it."""
    numbers = {k: m[k] for k in ("uat_widest", "uat_error_drop", "uat_rel_mse_1")}
    return "fails.error_falls_with_width" + ("_one" if m["uat_rel_mse_1"] <= enough else ""), numbers
