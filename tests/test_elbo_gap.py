"""Lesson 8's ELBO gap (``elbo_gap``): the identity log p(x) = ELBO + KL(q ‖ p(z|x)) checked
with each term from its own method, through the experiment API, on digits and digits28."""

from __future__ import annotations

import numpy as np
import pytest

from aecore.config import ConfigError
from aecore.experiments import get
from aecore.experiments.elbo_gap import ElboGapConfig, gap_report
from tests.sweep import SEEDS

TINY = dict(epochs=3, width=16, is_samples=1000, grid=61)


def test_tiny_run_reports_every_term_and_its_figure_arrays():
    exp = get("elbo_gap")
    res = exp.run(ElboGapConfig(**TINY))
    m, a = res.metrics, res.arrays
    for key in ("log_px", "log_px_grid", "elbo", "kl_to_posterior", "identity_rel_error", "posterior_correlation"):
        assert np.isfinite(m[key]), key
    assert m["elbo"] < m["log_px"] and m["kl_to_posterior"] > 0  # Jensen: the gap is a KL, ≥ 0
    assert m["identity_rel_error"] == pytest.approx(
        abs(m["log_px"] - m["elbo"] - m["kl_to_posterior"]) / abs(m["log_px"])
    )
    assert -1 < m["posterior_correlation"] < 1
    assert m["grid_edge_mass"] < 1e-6 and m["q_mass_on_grid"] == pytest.approx(1.0, abs=1e-3)
    assert a["log_post"].shape == (61, 61) and a["mu_all"].shape == (1797, 2)
    assert np.exp(a["log_post"]).sum() == pytest.approx(1.0)
    assert set(res.histories) >= {"vae_2d"}


def test_the_beta_threshold_is_where_the_objective_crosses_log_px():
    """−ℒ_β = ELBO + (1 − β)·KL(q ‖ p(z)) exceeds log p(x) exactly when β < 1 − KL(q ‖ p(z|x)) / KL(q ‖ p(z))."""
    m = get("elbo_gap").run(ElboGapConfig(**TINY)).metrics
    b = m["beta_bound_threshold"]
    assert 0 < b < 1
    for beta, above in ((b - 0.05, True), (b + 0.05, False)):
        objective = m["elbo"] + (1 - beta) * m["kl_prior"]
        assert (objective > m["elbo"] + m["kl_to_posterior"]) is above


def test_gap_report_of_another_image_uses_the_trained_model():
    from aecore.data.registry import load_dataset

    res = get("elbo_gap").run(ElboGapConfig(**TINY))
    x = load_dataset("digits").X[5]
    m, arrays = gap_report(res.models["vae"], x, is_samples=1000, grid=61)
    np.testing.assert_array_equal(arrays["image"], x)
    np.testing.assert_allclose(arrays["q_mu"], res.arrays["mu_all"][5], rtol=1e-5, atol=1e-6)
    assert get("elbo_gap").claim("identity").holds(m) and m["log_px"] != res.metrics["log_px"]


def test_image_beyond_the_data_gives_a_coded_error():
    with pytest.raises(ConfigError) as err:
        get("elbo_gap").run(ElboGapConfig(image=1797, **TINY))
    assert err.value.code == "too_large" and err.value.params["hi"] == 1796


@pytest.mark.slow
@pytest.mark.parametrize("dataset", ["digits", "digits28"])
def test_the_grid_and_the_gaussian_kl_cross_check_at_the_defaults(dataset):
    """The importance-sampled log p(x) against the grid, the full-covariance KL against its
    Monte Carlo estimate (the identity claim at these defaults: tests/test_claims.py)."""
    m = get("elbo_gap").run(ElboGapConfig(dataset=dataset)).metrics
    assert abs(m["log_px"] - m["log_px_grid"]) < 5 * m["log_px_se"] + 0.01  # the grid's cross-check
    assert abs(m["kl_gauss_full_mc"] - m["kl_gauss_full"]) < 5 * m["kl_gauss_full_mc_se"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [s + 1 for s in SEEDS])
def test_identity_holds_on_other_seeds(seed):
    exp = get("elbo_gap")
    assert all(exp.check_claims(exp.run(ElboGapConfig(seed=seed)).metrics).values())


def test_derivation_steps_carry_this_runs_numbers():
    """Both derivations check at least one step with a number measured on the run (the page
    shows these Step objects as they are)."""
    from aecore.experiments.vae import GaussianPair, kl_calculator
    from lessons.parts.generative import elbo_steps, kl_steps
    from ui.kit.page import num

    m = get("elbo_gap").run(ElboGapConfig(**TINY)).metrics
    elbo = elbo_steps(m, 61, 1000)
    assert len(elbo) == 7 and all(s.check for s in elbo)
    assert num(m["log_px"]) in elbo[2].check and num(m["kl_to_posterior"]) in elbo[5].check
    calc = kl_calculator(GaussianPair())
    kl = kl_steps(m, calc)
    checks = " ".join(s.check for s in kl if s.check)
    assert num(m["kl_gauss_full"]) in checks and num(m["independence_cost"]) in checks
    assert num(calc["closed"], 5) in checks
