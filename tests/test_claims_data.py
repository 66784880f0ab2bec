"""Claims as data (``aecore.experiments.claims``): each constructor compares what it says, at
and just past its threshold; ``params`` gives every number each claim text asks for, in every
language; a ❌ with a ``why`` hook is explained with the run's numbers, in every language, and
``claims_box`` shows it under the claim."""

from __future__ import annotations

import math

import pytest

from aecore.experiments import get, registry
from aecore.experiments.claims import Claim
from tests.claim_probes import preset_metrics
from tests.i18n_scan import claim_boxes, placeholders
from ui.kit.i18n import translate
from ui.kit.page import claim_words, fmt

LANGS = ("en", "pt", "es")
UP, DOWN = math.inf, -math.inf


def _just(value: float, way: float) -> float:
    return math.nextafter(value, way)


def test_threshold_claims_hold_up_to_the_threshold_and_not_past_it():
    for claim, boundary_holds, past in (
        (Claim.at_most("k", "x", 3.0), True, UP),
        (Claim.at_least("k", "x", 0.8), True, DOWN),
        (Claim.below("k", "x", 0.5), False, UP),
        (Claim.above("k", "x", 0.0), False, DOWN),
        (Claim.equals("k", "x", 0.0), True, UP),
    ):
        t = claim.threshold
        assert claim.holds({"x": t}) is boundary_holds, claim.text
        assert not claim.holds({"x": _just(t, past)}), claim.text
        assert claim.holds({"x": _just(t, -past)}) is (claim.op != "=="), claim.text


def test_comparisons_of_two_metrics():
    pairs = {"a": 2.0, "b": 2.0}
    assert not Claim.greater("k", "a", "b").holds(pairs) and not Claim.less("k", "a", "b").holds(pairs)
    assert Claim.not_less("k", "a", "b").holds(pairs)
    assert Claim.greater("k", "a", "b").holds({"a": _just(2.0, UP), "b": 2.0})
    ratio = Claim.ratio_at_most("k", "a", "b", 1.02)
    assert ratio.holds({"a": 1.02 * 5.0, "b": 5.0}) and not ratio.holds({"a": _just(1.02 * 5.0, UP), "b": 5.0})
    assert not Claim.ratio_below("k", "a", "b", 0.5).holds({"a": 1.0, "b": 2.0})
    assert Claim.ratio_at_least("k", "a", "b", 0.9).holds({"a": 0.9, "b": 1.0})
    gain = Claim.gain_at_least("k", "a", "b", 3.0)
    assert gain.holds({"a": 10.0, "b": 7.0}) and not gain.holds({"a": 9.9, "b": 7.0})
    near = Claim.within("k", "a", "b", 0.02)
    assert near.holds({"a": 0.065, "b": 0.05}) and near.holds({"a": 0.035, "b": 0.05})
    assert not near.holds({"a": 0.08, "b": 0.05})
    rel = Claim.within_relative("k", "a", "b", 1e-4)
    assert rel.holds({"a": 1.00005, "b": 1.0}) and not rel.holds({"a": 0.9998, "b": 1.0})
    band = Claim.between("k", "a", 0.8, 1.25)
    assert band.holds({"a": 0.8}) and band.holds({"a": 1.25}) and not band.holds({"a": _just(1.25, UP)})


def test_all_of_needs_every_part_and_names_their_numbers():
    both = Claim.all_of(
        "contracts",
        jacobian=Claim.ratio_at_most("", "j_cae", "j_ae", 0.5),
        recon=Claim.ratio_at_most("", "r_cae", "r_ae", 2.0),
    )
    m = {"j_cae": 1.0, "j_ae": 3.0, "r_cae": 2.0, "r_ae": 1.5}
    assert both.holds(m) and not both.holds({**m, "r_cae": 3.1}) and not both.holds({**m, "j_cae": 1.6})
    assert both.thresholds == (0.5, 2.0) and both.threshold is None
    assert both.metrics == ("j_cae", "j_ae", "r_cae", "r_ae")
    p = both.params(m)
    assert p["jacobian_threshold"] == 0.5 and p["recon_threshold"] == 2.0 and p["recon_left"] == 2.0
    assert both.text == "j_cae ≤ 0.5 · j_ae and r_cae ≤ 2 · r_ae"


def test_a_missing_or_broken_metric_fails_the_claim_instead_of_raising():
    claim = Claim.at_most("k", "x", 1.0)
    assert not claim.holds({}) and not claim.holds({"x": "text"}) and not claim.holds({"x": math.nan})


def test_params_carry_the_threshold_and_both_sides():
    claim = Claim.ratio_at_most("k", "linear_ae_mse", "pca_mse", 1.02)
    m = {"linear_ae_mse": 0.011, "pca_mse": 0.0109, "other": 1.0}
    assert claim.params(m) == {
        "linear_ae_mse": 0.011,
        "pca_mse": 0.0109,
        "threshold": 1.02,
        "left": 0.011,
        "right": 0.0109,
    }
    assert Claim.between("k", "x", 0.8, 1.25).params({"x": 1.0}) == {
        "x": 1.0,
        "threshold": 0.8,
        "low": 0.8,
        "high": 1.25,
        "left": 1.0,
    }


def _lessons() -> dict[str, str]:
    """experiment -> the catalog prefix its page shows the claims under."""
    shown = {exp: lesson for lesson, exp in claim_boxes()}
    return {name: shown.get(name, name) for name, exp in registry().items() if exp.claims}


# Claims whose text need not state the threshold, and why.
UNSTATED = {
    "descent": "0 steps that raised the loss: 'every step lowered it'",
    "bound_exact": "equality up to a relative rounding tolerance of 1e-4",
    "lindec_not_below_pca": "≥ up to a rounding tolerance (1 − 1e-6)",
    "refit_not_below_pca": "≥ up to the same rounding tolerance (1 − 1e-6), and < for the non-linear decoder",
}


@pytest.mark.parametrize("lang", LANGS)
def test_every_claim_text_gets_every_number_it_asks_for(lang):
    """What ``claims_box`` formats a claim with (``claim_words``) covers its text's placeholders."""
    shipped = preset_metrics()
    for name, lesson in _lessons().items():
        exp = get(name)
        views = [shipped[f"{name}[{i}]"] for i in range(len(exp.views)) if f"{name}[{i}]" in shipped]
        for claim in exp.claims:
            # the main view's metrics, or the first view's that makes the claim (``applies``)
            m = next((v for v in views if claim.made(v)), views[0])
            text = translate(f"{lesson}.claims.{claim.key}", lang)
            missing = placeholders(text) - set(claim_words(claim, m, fmt(m)))
            assert not missing, (lang, name, claim.key, missing)
            if claim.thresholds and claim.key not in UNSTATED:  # it shows its threshold, from the claim
                shown = {p for p in placeholders(text) if p in ("threshold", "low", "high") or p.endswith("_threshold")}
                assert shown, (lang, claim.key)  # e.g. {threshold}, or a part's {noise_threshold}


# (experiment, claim, metrics where it fails, the explanation's key, numbers it must show)
FAILING = [
    (
        "denoising_images",
        "gain_masking",
        {
            "psnr_dae_masking": 22.0,
            "psnr_noisy_masking": 19.1,
            "background_share": 0.81,
            "changed_share_masking": 0.057,
        },
        "why.masking_background",
        {"background": 81.0, "changed": 5.7, "gain": 2.9},
    ),
    (
        "denoising_images",
        "gain_masking",
        {"psnr_dae_masking": 12.0, "psnr_noisy_masking": 10.0, "background_share": 0.1, "changed_share_masking": 0.27},
        "why.masking_strokes",
        {"background": 10.0, "changed": 27.0, "gain": 2.0},
    ),
    (
        "vae",
        "vae_samples_cover_data",
        {"coverage_vae": 0.014, "coverage_ae": 0.021, "prior_inside_vae_codes": 0.05, "prior_inside_ae_codes": 0.09},
        "why.cover_vae_codes",
        {"inside_vae": 5.0, "inside_ae": 9.0, "coverage_vae": 0.014},
    ),
    (
        "vae",
        "vae_samples_cover_data",
        {"coverage_vae": 0.25, "coverage_ae": 0.31, "prior_inside_vae_codes": 0.95, "prior_inside_ae_codes": 0.8},
        "why.cover_ae_codes",
        {"inside_ae": 80.0, "inside": 50.0, "coverage_ae": 0.31},
    ),
    (
        "vae",
        "vae_samples_cover_data",
        {"coverage_vae": 0.25, "coverage_ae": 0.31, "prior_inside_vae_codes": 0.95, "prior_inside_ae_codes": 0.1},
        "why.cover_few",
        {"inside_vae": 95.0, "precision_vae": 0.9},
    ),
]
VAE_REST = {"precision_vae": 0.9, "precision_ae": 0.3, "kl": 20.0}


def _failing(name: str, metrics: dict) -> dict[str, float]:
    return (VAE_REST if name == "vae" else {}) | metrics


@pytest.mark.parametrize("case", FAILING, ids=lambda c: f"{c[1]}-{c[3]}")
def test_a_failing_claim_says_why_with_its_numbers(case):
    name, key, metrics, why_key, shown = case
    claim, m = get(name).claim(key), _failing(name, metrics)
    assert not claim.holds(m)
    got_key, numbers = claim.explain(m)
    assert got_key == why_key
    for number, value in shown.items():
        assert numbers[number] == pytest.approx(value)
    lesson = _lessons()[name]
    for lang in LANGS:
        text = translate(f"{lesson}.{got_key}", lang)
        assert text != f"{lesson}.{got_key}" and placeholders(text) <= set(numbers), (lang, got_key)


def test_a_holding_or_unexplained_claim_gives_no_explanation():
    claim = get("denoising_images").claim("gain_masking")
    assert claim.explain({"psnr_dae_masking": 30.0, "psnr_noisy_masking": 19.0, "background_share": 0.8}) is None
    assert claim.explain({"psnr_dae_masking": 20.0, "psnr_noisy_masking": 19.0}) is None  # its evidence is missing
    assert get("pca").claim("same_subspace").explain({"max_principal_angle_deg": 40.0}) is None  # no eigengap


def _box(name: str, lesson: str, metrics: dict) -> None:
    from aecore.experiments import get as get_
    from ui.runtime.checks import claims_box

    claims_box(lesson, get_(name), metrics)


def test_the_claims_box_shows_the_explanation_under_the_cross():
    from streamlit.testing.v1 import AppTest

    name, key, metrics, _, _ = FAILING[0]
    m = {k: 30.0 for c in get(name).claims for k in c.metrics} | metrics
    at = AppTest.from_function(_box, args=(name, _lessons()[name], m)).run()
    assert not at.exception, [e.value for e in at.exception]
    captions = [c.value for c in at.caption]
    why = [c for c in captions if "81" in c and "5.7" in c and "2.9" in c]
    assert why, captions  # the background share, the pixels changed and the gain, from the metrics
    assert sum("❌" in c for c in captions) == 1, captions  # only the failing claim explains itself
