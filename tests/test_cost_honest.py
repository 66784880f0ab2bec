"""The cost estimate against real runs, over the settings' ranges at small sizes.

Each experiment runs from a small base config (its defaults on a few hundred rows, with a
short training where the defaults train long), then once per setting at that setting's
maximum (``aecore.bench.costs.cases``: every count and size with a bound, every switch, a
real number marked as scaling the work; lowered where the estimate says the run would take
longer than ``LIMIT`` seconds), and once per other value of each named choice (a solver, a
penalty, a curve). Measured as CPU seconds of a one-thread run. Two promises:

* every run: estimate ≥ ½ × measured (the caps refuse runs by the estimate, so an estimate
  far below the truth lets a long run through);
* every setting: what its maximum adds to the estimate is at least half of what it adds to
  the measured time, wherever it adds a clear amount (so that a setting the model ignores,
  such as t-SNE's perplexity, fails even when the rest of the run hides it).

The second check is what sees a missing term; ``test_a_dropped_term_is_seen`` plants one.
"""

from __future__ import annotations

import dataclasses

import pytest

from aecore.bench import costs as bench_costs
from aecore.experiments import get, registry

LIMIT = 12.0  # estimated seconds a case may take (a setting above it is lowered until it fits)
CLEAR_S, CLEAR_SHARE = 1.0, 0.15  # a setting adds a clear amount: this many seconds and this share
# Where the defaults train long, the base config trains less, so that a setting's maximum
# stands out against it (sizes only: the settings under test still go to their maximum).
SMALL = {
    # the maps' settings at their least, so that each one's maximum stands out (t-SNE needs points)
    "latent": {"epochs": 10, "max_points": 1000, "perplexity": 2.0, "n_neighbors": 2, "dataset": "digits"},
    "vae": {"epochs": 20},
    "elbo_gap": {"epochs": 20},
    "sparse": {"epochs": 20},
    "contractive": {"epochs": 20, "curve_epochs": 100},
    "denoising_images": {"epochs": 5},
    "pca": {"deep_epochs": 5, "linear_epochs": 50},
    "capacity": {"epochs": 5, "sweep": False},
    "unet": {"n_train": 64, "n_test": 16, "epochs": 2, "copy_epochs": 1, "image_size": 16},
    "sae_features": {"clf_steps": 100, "sae_steps": 100},
    "anomaly": {"steps": 200},
    "neural": {"epochs": 100, "fit_epochs": 100, "max_width": 4},
    "intro": {"epochs": 100},
    "denoising_field": {"epochs": 20, "n_samples": 300, "sweep": False},
    "latent_scaling": {"sizes": (100, 200)},
}


def base_config(name: str):
    """The defaults with ``SMALL``'s changes, on the small data set where it is offered."""
    exp, small = get(name), bench_costs.small_data()
    cfg = dataclasses.replace(exp.config_cls(), **SMALL.get(name, {}))
    if small in exp.config_cls.choices_of("dataset") and "dataset" not in SMALL.get(name, {}):
        cfg = dataclasses.replace(cfg, dataset=small)
    return cfg


def measured_rows(name: str) -> list[dict]:
    """Base first, then each setting at its top, all on the base's data (lowered to fit)."""
    bench_costs.warm_up()
    cases = bench_costs.cases(name, LIMIT, small=None, big=None, base=base_config(name), reported=False)
    return [bench_costs.row(c) for c in cases]


def misses(rows: list[dict]) -> list[str]:
    """The cases and settings that break either promise (module docstring)."""
    base = rows[0]
    bad = [f"run: {bench_costs.line(r)}" for r in rows if not bench_costs.ok(r)]
    for r in rows[1:]:
        if r["measured"] is None or base["measured"] is None:
            continue
        added = r["measured"] - base["measured"]
        if added > max(CLEAR_S, CLEAR_SHARE * base["measured"]):
            est_added = r["estimate"] - base["estimate"]
            if est_added < 0.5 * added:
                bad.append(f"setting {r['case'].label}: adds {added:.1f} s, estimated {est_added:.1f} s")
    return bad


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(registry()))
def test_the_estimate_holds_over_the_settings_ranges(name):
    rows = measured_rows(name)
    assert rows[0]["measured"] is not None, bench_costs.line(rows[0])
    bad = misses(rows)
    assert not bad, f"{name}:\n  " + "\n  ".join(bad)


@pytest.mark.slow
def test_a_dropped_term_is_seen():
    """Planted: latent's estimate with t-SNE's perplexity left out (costed at its default, as
    a model that does not know the setting would) fails the check on that setting."""
    from aecore.experiments import latent

    real, exp = latent.cost, get("latent")
    # Experiment is a frozen dataclass: its cost is swapped by hand and put back
    object.__setattr__(exp, "cost", lambda cfg: real(dataclasses.replace(cfg, perplexity=30.0)))
    try:
        bad = misses(measured_rows("latent"))
    finally:
        object.__setattr__(exp, "cost", real)
    assert any(b.startswith("setting perplexity=") for b in bad), bad


def test_the_cases_cover_every_setting_that_can_scale_the_work():
    """Without running anything: pca's cases push each bounded count to its top (lowered to
    fit), turn its switch on and try its other solver; a choice that contradicts the base
    (KL sparsity on ReLU codes) is left out instead of breaking the table."""
    labels = [c.label.split("=")[0] for c in bench_costs.cases("pca", LIMIT, base=base_config("pca"), big=None)]
    assert labels[0] == "base"
    assert {"latent_dim", "linear_epochs", "deep_epochs", "deep_width", "sweep", "linear_solver"} <= set(labels)
    assert "seed" not in labels and "linear_lr" not in labels  # a seed and a rate scale nothing
    sparse = [c.label for c in bench_costs.cases("sparse", LIMIT, base=base_config("sparse"), big=None)]
    assert {"penalty=none", "penalty=l1", "penalty=l2"} <= set(sparse) and "code=relu" not in sparse
