"""The family page's backend: winners and claims on planted numbers, every claim failing with
its own regulariser off, a tiny run's metrics, and the gain probe."""

from __future__ import annotations

import numpy as np
import pytest

from aecore.experiments import get
from aecore.experiments.family import MEMBERS, FamilyConfig
from aecore.experiments.family_claims import SHOWN, rivals, winners

AES = MEMBERS[:4]


def _metrics(**over) -> dict[str, float]:
    """Numbers like a default run's (digits, seed 0), each claim holding."""
    m = {"lam": 0.01, "sparse_beta": 0.01, "rho": 0.1, "sigma": 0.3}
    rows = {
        "plain": dict(
            mse_train=0.013,
            mse_heldout=0.015,
            copy_in=0.02,
            copy_out=-1.36,
            gain_in=0.59,
            gain_out=1.17,
            jacobian=1.65,
            active=0.99,
            slope=0.05,
            probe=0.955,
            coverage_prior=0.019,
            coverage_fit=0.42,
        ),
        "sparse": dict(
            mse_train=0.016,
            mse_heldout=0.018,
            copy_in=-0.03,
            copy_out=-1.46,
            gain_in=0.57,
            gain_out=1.21,
            jacobian=0.72,
            active=0.44,
            slope=0.06,
            probe=0.947,
            coverage_prior=0.003,
            coverage_fit=0.45,
        ),
        "contractive": dict(
            mse_train=0.019,
            mse_heldout=0.020,
            copy_in=0.11,
            copy_out=-0.006,
            gain_in=0.48,
            gain_out=0.08,
            jacobian=0.27,
            active=1.0,
            slope=0.01,
            probe=0.928,
            coverage_prior=0.007,
            coverage_fit=0.40,
        ),
        "denoising": dict(
            mse_train=0.016,
            mse_heldout=0.017,
            copy_in=0.10,
            copy_out=-0.001,
            gain_in=0.31,
            gain_out=0.036,
            jacobian=0.69,
            active=0.93,
            slope=0.04,
            probe=0.958,
            coverage_prior=0.079,
            coverage_fit=0.47,
        ),
        "vae": dict(
            mse_train=0.023,
            mse_heldout=0.024,
            copy_in=0.02,
            copy_out=-0.09,
            gain_in=0.33,
            gain_out=0.30,
            jacobian=3.02,
            probe=0.916,
            coverage_prior=0.676,
        ),
    }
    for member, row in rows.items():
        m |= {f"{k}_{member}": v for k, v in row.items()}
        m[f"prior_inside_{member}"] = 0.95 if member == "vae" else 0.1
        m |= {f"precision_prior_{member}": 0.5, f"class_entropy_prior_{member}": 2.0}
    m |= over
    return m | rivals(m)


def test_the_winners_are_computed_from_the_numbers():
    won = winners(_metrics())
    assert won["mse_heldout"] == "plain" and won["probe"] == "denoising"
    assert won["jacobian"] == "contractive"  # the VAE's 3.02 is not in the pool, nor would it win
    assert won["active"] == "sparse" and won["coverage_prior"] == "vae"
    assert won["copy_out"] == "denoising"  # nearest 0: −0.001
    assert won["gain_in"] == "plain"  # nearest 1: 0.59
    assert won["gain_out"] == "denoising" and won["coverage_fit"] == "denoising"
    moved = winners(_metrics(probe_plain=0.99, jacobian_vae=0.01))
    assert moved["probe"] == "plain" and moved["jacobian"] == "contractive"  # the VAE is never in ‖J_f‖'s pool


def test_the_claims_hold_on_the_planted_numbers_and_fail_on_each_fault():
    exp = get("family")
    assert all(exp.check_claims(_metrics()).values())
    faults = {
        "contractive_smallest_jacobian": dict(jacobian_contractive=0.8),
        "sparse_fewest_active": dict(active_sparse=0.95),
        "vae_prior_covers": dict(coverage_prior_vae=0.05),
        "denoising_ignores_off_span": dict(gain_out_denoising=0.7),
    }
    for key, over in faults.items():
        verdicts = exp.check_claims(_metrics(**over))
        assert not verdicts[key] and sum(verdicts.values()) == 3, key


@pytest.mark.parametrize(
    "key, over, why",
    [
        ("contractive_smallest_jacobian", dict(lam=0.0, jacobian_contractive=1.7), "why.jacobian_off"),
        (
            "contractive_smallest_jacobian",
            dict(jacobian_contractive=0.8, jacobian_denoising=0.9),
            "why.jacobian_sparse",
        ),
        ("contractive_smallest_jacobian", dict(jacobian_contractive=0.8, jacobian_sparse=0.9), "why.jacobian_weak"),
        ("sparse_fewest_active", dict(sparse_beta=0.0, active_sparse=0.99), "why.active_off"),
        ("sparse_fewest_active", dict(active_sparse=0.95), "why.active_weak"),
        ("vae_prior_covers", dict(coverage_prior_vae=0.05, prior_inside_vae=0.05), "why.cover_vae_codes"),
        ("vae_prior_covers", dict(coverage_prior_vae=0.05, prior_inside_denoising=0.9), "why.cover_ae_codes"),
        ("vae_prior_covers", dict(coverage_prior_vae=0.05), "why.cover_few"),
        ("denoising_ignores_off_span", dict(sigma=0.0, gain_out_denoising=1.1), "why.gain_off"),
        ("denoising_ignores_off_span", dict(gain_out_denoising=0.7), "why.gain_weak"),
    ],
)
def test_a_failing_claim_says_why_in_every_language(key, over, why):
    from tests.i18n_scan import placeholders
    from ui.kit.i18n import translate

    claim = get("family").claim(key)
    m = _metrics(**over)
    assert not claim.holds(m)
    got, numbers = claim.explain(m)
    assert got == why
    for lang in ("en", "pt", "es"):
        text = translate(f"family.{got}", lang)
        assert text != f"family.{got}" and placeholders(text) <= set(numbers), (lang, got)


def test_what_is_shown_but_not_claimed_follows_the_numbers():
    assert SHOWN["vae_beats_fitted"](_metrics())  # 0.676 > the best fitted Gaussian's 0.47
    assert not SHOWN["vae_beats_fitted"](_metrics(coverage_fit_sparse=0.7))
    assert SHOWN["denoising_least_off_span"](_metrics())
    assert not SHOWN["denoising_least_off_span"](_metrics(gain_out_contractive=0.01))


def test_gain_is_one_for_the_identity_and_zero_for_a_constant():
    from aecore.maths.probes import gain

    rng = np.random.default_rng(0)
    X = rng.random((50, 6)).astype(np.float32)
    basis = np.linalg.qr(rng.normal(size=(6, 2)))[0]
    assert gain(lambda x: x, X, basis, seed=1) == pytest.approx(1.0, rel=1e-5)
    assert gain(lambda x: 0 * x + 1, X, basis, seed=1) == 0.0
    assert gain(lambda x: 3 * x, X, basis, seed=1) == pytest.approx(3.0, rel=1e-5)


def test_a_tiny_run_has_every_column_and_what_the_figure_needs():
    res = get("family").run(FamilyConfig(epochs=1, width=16, latent_dim=3), None)
    m, a = res.metrics, res.arrays
    for key in ("mse_train", "mse_heldout", "copy_in", "copy_out", "gain_in", "gain_out", "jacobian", "probe"):
        for member in MEMBERS:
            assert np.isfinite(m[f"{key}_{member}"]), (key, member)
    for member in AES:
        assert 0 <= m[f"active_{member}"] <= 1 and 0 <= m[f"slope_{member}"] <= 0.25
        assert 0 <= m[f"coverage_fit_{member}"] <= 1
    assert "active_vae" not in m and "coverage_fit_vae" not in m
    assert set(res.histories) >= {
        "family_plain",
        "family_sparse",
        "family_contractive",
        "family_denoising",
        "family_vae",
    }
    assert set(a["maps"]) == set(MEMBERS) and all(v.shape[1] == 2 for v in a["maps"].values())
    assert {k.removeprefix("prior_") for k in a["samples"]} == set(MEMBERS)
    assert all(v.shape == (16, 64) for v in a["samples"].values())
    assert set(res.models) == set(MEMBERS)


def test_the_regularisers_are_off_when_their_weights_are_zero():
    from aecore.experiments.family import build

    cfg = FamilyConfig(lam=0.0, sparse_beta=0.0, sigma=0.0)
    for member in AES:
        model, corrupt = build(cfg, member, 64)
        assert model.penalty_fn is None and corrupt is None, member


@pytest.mark.slow
def test_every_claim_fails_with_every_regulariser_off():
    """Planted fault: λ = 0, β_sparse = 0, σ = 0 and the VAE's β = 0: four plain AEs and a VAE
    without its KL term; no claim survives."""
    exp = get("family")
    m = exp.run(FamilyConfig(lam=0.0, sparse_beta=0.0, sigma=0.0, beta=0.0), None).metrics
    assert not any(exp.check_claims(m).values()), exp.check_claims(m)


@pytest.mark.slow
@pytest.mark.parametrize("dataset", ["digits", "digits28"])
def test_the_claims_hold_on_a_second_seed(dataset):
    exp = get("family")
    m = exp.run(FamilyConfig(dataset=dataset, seed=1), None).metrics
    assert all(exp.check_claims(m).values()), exp.check_claims(m)
