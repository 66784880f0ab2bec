"""Every claim that can fail explains its ❌ with numbers from the run.

Per experiment: the shipped preset's metrics, perturbed so that one claim fails (and, where
the explanation depends on a setting, with that setting changed); the claim's ``why`` must
name the expected catalog text, which must exist in en, pt and es with the same numbers
filled in. A scan of the registry checks that no claim lacks a ``why``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from aecore import presets
from aecore.experiments import registry
from tests.i18n_scan import placeholders
from ui.kit.i18n import catalog, translate
from ui.kit.numbers import num

LANGS = ("en", "pt", "es")
PREFIX = {"denoising_field": "denoising.field", "denoising_images": "denoising.images"}

# a pretrained stack of three sigmoid layers whose end-to-end model stalled at the mean's error
GREEDY = {"sigmoid_units": 1.0, "depth_used": 3.0, "mean_heldout_mse": 0.07, "undercomplete_heldout_mse": 0.07}
GREEDY |= {"greedy_heldout_mse": 0.04, "greedy_stacked_data_mse": 0.05}


def _robust(n: str, dae_clean: float) -> dict[str, float]:
    """Probe accuracies where corruption ``n`` costs the plain AE 0.45 and the DAE as much."""
    return {"probe_accuracy_ae": 0.95, f"probe_noisy_ae_{n}": 0.5, f"probe_accuracy_dae_{n}": dae_clean} | {
        f"probe_noisy_dae_{n}": 0.5
    }


# experiment -> (claim, metric changes, setting changes, expected catalog key or None: any)
CASES: dict[str, list[tuple[str, dict, dict, str | None]]] = {
    "anomaly": [
        ("detects", {"roc_auc": 0.7, "hardest_anomaly_score": 0.012}, {}, "why_not"),
        ("detects", {"roc_auc": 0.7, "hardest_anomaly_score": 0.05}, {}, "why_not_spread"),
        ("beats_pca", {"pca_roc_auc": 0.99}, {}, "pca_wins"),
    ],
    "capacity": [
        ("greedy_rescues_sigmoid_stack", GREEDY | {"undercomplete_heldout_mse": 0.03}, {}, "why.greedy_trained"),
        ("greedy_rescues_sigmoid_stack", GREEDY | {"greedy_heldout_mse": 0.068}, {}, "why.greedy_no_rescue"),
        ("overcomplete_copies", {"overcomplete_copy_share": 0.3}, {}, "fails.overcomplete_copies_training"),
        (
            "overcomplete_copies",
            {"overcomplete_copy_share": 0.3},
            {"output": "sigmoid"},
            "fails.overcomplete_copies_sigmoid",
        ),
        (
            "overcomplete_copies",
            {"overcomplete_copy_share": 0.3},
            {"depth": 2, "width": 32},
            "fails.overcomplete_copies_bottleneck",
        ),
        (
            "copies_data_directions_only",
            {"overcomplete_copy_share_rest": 0.99},
            {},
            "fails.copies_data_directions_only",
        ),
        (
            "copies_data_directions_only",
            {"overcomplete_copy_share": 0.01, "overcomplete_copy_share_rest": 0.02},
            {},
            "fails.copies_data_directions_only_little",
        ),
        ("undercomplete_filters", {"undercomplete_copy_share": 0.6}, {}, "fails.undercomplete_filters_kept"),
        (
            "undercomplete_filters",
            {"undercomplete_copy_share": 0.6},
            {"under_latent": 32},
            "fails.undercomplete_filters",
        ),
        (
            "undercomplete_filters",
            {"overcomplete_copy_share": 0.3, "undercomplete_copy_share": 0.2},
            {},
            "fails.undercomplete_filters_over",
        ),
        ("undercomplete_memorises", {"memorise_train_mse": 0.1}, {}, "fails.undercomplete_memorises_train"),
        ("undercomplete_memorises", {"memorise_heldout_mse": 0.01}, {}, "fails.undercomplete_memorises_heldout"),
        (
            "undercomplete_memorises",
            {"memorise_train_mse": 0.1, "memorise_heldout_mse": 0.01},
            {},
            "fails.undercomplete_memorises",
        ),
    ],
    "contractive": [
        ("contracts", {"jacobian_fro_cae": 3.0}, {}, "why.contracts_jacobian"),
        ("contracts", {"recon_mse_cae": 0.02}, {}, "why.contracts_recon"),
        ("contracts", {"jacobian_fro_cae": 3.0, "recon_mse_cae": 0.02}, {}, "why.contracts_jacobianrecon"),
        ("tangent_kept", {"tangent_alignment": 0.5}, {}, "curve.tangent_shrunk_untied"),
        ("tangent_kept", {"tangent_alignment": 0.5}, {"tied": True}, "curve.tangent_shrunk_tied"),
        ("tangent_kept", {"tangent_alignment": 0.5, "curve_jacobian_fro_cae": 0.5}, {}, "curve.tangent_weak"),
        ("anisotropic", {"along_across_cae": 1.0}, {}, "curve.cheat_shrunk_untied"),
        ("anisotropic", {"along_across_cae": 1.0, "curve_jacobian_fro_cae": 0.5}, {}, "curve.cheat_weak"),
    ],
    "denoising_field": [
        ("projection", {"projection_cosine": 0.5}, {}, "why.projection"),
        ("score", {"score_cosine": 0.5}, {}, "why.score"),
        ("score_magnitude", {"score_magnitude_ratio": 0.5}, {}, "why.magnitude_short"),
        ("score_magnitude", {"score_magnitude_ratio": 2.0}, {}, "why.magnitude_long"),
        ("distance", {"distance_ratio": 0.7}, {}, "why.distance_short"),
        ("distance", {"distance_ratio": 0.7, "optimal_distance_ratio": 0.6}, {}, "why.distance_reach"),
    ],
    "denoising_images": [
        *[
            case
            for n in ("gaussian", "masking", "salt_and_pepper")
            for case in (
                (f"robust_{n}", _robust(n, dae_clean=0.95), {}, "why.robust_same_drop"),
                (f"robust_{n}", _robust(n, dae_clean=0.9), {}, "why.robust_worse_clean"),
            )
        ],
        *[
            case
            for n in ("gaussian", "salt_and_pepper")
            for case in (
                (f"gain_{n}", {f"psnr_dae_{n}": 12.0}, {}, "why.gain_short"),
                (f"gain_{n}", {f"psnr_dae_{n}": 12.0, "psnr_clean_ae": 12.5}, {}, "why.gain_room"),
            )
        ],
        ("gain_masking", {"psnr_dae_masking": 13.0}, {}, "why.masking_background"),
        ("gain_masking", {"psnr_dae_masking": 13.0, "background_share": 0.1}, {}, "why.masking_strokes"),
        *[
            (f"beats_pca_{n}", {f"psnr_pca_{n}": 30.0}, {}, "why.pca_wins")
            for n in ("gaussian", "masking", "salt_and_pepper")
        ],
    ],
    "elbo_gap": [("identity", {"mismatch_nats": 1.0}, {}, None), ("identity", {"mismatch_share_of_kl": 0.5}, {}, None)],
    "family": [
        ("contractive_smallest_jacobian", {"jacobian_contractive": 5.0}, {}, None),
        ("sparse_fewest_active", {"active_sparse": 1.0}, {}, None),
        ("vae_prior_covers", {"coverage_prior_vae": 0.0}, {}, None),
        ("denoising_ignores_off_span", {"gain_out_denoising": 2.0}, {}, None),
    ],
    "intro": [
        ("ae_beats_pca", {"ae_mse": 0.05}, {}, "fails"),
        ("ae_beats_pca", {"ae_mse": 0.6}, {}, "fails_mean"),
    ],
    "latent": [
        ("ae_knn_beats_pca", {"ae_knn_accuracy": 0.5}, {}, "why.ae_knn"),
        ("tsne_trust_beats_pca", {"tsne_trustworthiness": 0.8}, {}, "why.tsne_trust"),
    ],
    "neural": [
        ("network_beats_neuron", {"network_test_accuracy": 0.8}, {}, "fails.network_beats_neuron_overfit"),
        (
            "network_beats_neuron",
            {"network_test_accuracy": 0.8, "network_accuracy": 0.8},
            {},
            "fails.network_beats_neuron_small",
        ),
        ("descent", {"neuron_steps_up": 3.0}, {}, "fig.surface_unlucky"),
        ("descent", {"neuron_steps_up": 3.0}, {"lr": 6.0}, "fig.surface_risky"),
        ("backprop_exact", {"backprop_max_error": 1e-3}, {}, "fails.backprop_exact"),
        ("some_width_suffices", {"uat_best_rel_mse": 0.1}, {}, "fails.some_width_suffices"),
        ("error_falls_with_width", {"uat_error_drop": 5.0}, {}, "fails.error_falls_with_width"),
        (
            "error_falls_with_width",
            {"uat_error_drop": 5.0, "uat_rel_mse_1": 0.01},
            {},
            "fails.error_falls_with_width_one",
        ),
    ],
    "pca": [
        ("refit_not_below_pca", {"deep_ae_mse": 1.0}, {}, "why.refit_nonlinear"),
        ("refit_not_below_pca", {"lindec_refit_mse": 1e-9}, {}, "why.refit_rounding"),
        ("linear_matches_pca", {"linear_ae_mse": 0.03}, {}, "why.linear_short"),
        ("same_subspace", {"max_principal_angle_deg": 10.0}, {}, "slow"),
        ("same_subspace", {"max_principal_angle_deg": 10.0, "eigengap_ratio": 1.0}, {}, "tie"),
        ("bound_exact", {"pca_bound": 0.03}, {}, "why.bound_numeric"),
        ("deep_beats_pca", {"deep_ae_mse": 0.05}, {}, "why.deep_short"),
        ("deep_beats_pca", {"deep_ae_mse": 0.0, "pca_mse": 0.0, "pca_bound": 0.0}, {}, "why.deep_nothing_left"),
        ("lindec_not_below_pca", {"lindec_ae_mse": 0.01}, {}, "why.lindec_below"),
    ],
    "sae_features": [
        ("faithful", {"explained_variance": 0.5}, {}, "why.faithful"),
        ("selective", {"feature_selectivity": 0.5}, {}, "why.selective"),
        ("alive", {"dead_fraction": 0.5}, {}, "dead_note_size"),
        ("alive", {"dead_fraction": 0.5}, {"sparsity": "l1"}, "dead_note_l1"),
        ("alive", {"dead_fraction": 0.5}, {"aux_coef": 0.0}, "dead_note_noaux"),
    ],
    "sparse": [
        ("kl_hits_rho", {"kl_mean_activation": 0.2}, {}, "why.kl_off"),
        ("l1_sparser", {"l1_fraction_active": 0.9}, {}, "why.l1_weak"),
        ("kl_sparser", {"kl_fraction_active": 0.9}, {}, "why.kl_target_allows"),
        ("kl_sparser", {"kl_fraction_active": 0.9, "kl_mean_activation": 0.3}, {}, "why.kl_weak"),
    ],
    "unet": [
        ("segments_well", {"iou_skip": 0.5}, {}, "why.segments"),
        ("skips_help", {"iou_noskip": 0.95}, {}, "why.skips_help"),
        ("skips_copy", {"copy_mse_skip": 0.05}, {}, "why.skips_copy"),
    ],
    "vae": [
        ("kl_closed_form", {"kl_mc_rel_error": 0.05, "kl_mc": 3.12}, {}, "why.kl_bug"),
        ("kl_closed_form", {"kl_mc_rel_error": 0.05, "kl_mc": 3.12, "kl_mc_se": 1.0}, {}, "why.kl_noise"),
        ("prior_lands_in_codes", {"prior_inside_vae_codes": 0.05}, {}, "codes_fail"),
        ("vae_samples_cover_data", {"coverage_vae": 0.01}, {}, None),
    ],
}


def missing_why(experiments) -> list[str]:
    """'experiment.claim' for every claim without an explanation of its ❌."""
    return [f"{e.name}.{c.key}" for e in experiments for c in e.claims if c.why is None]


def test_every_claim_explains_its_failure():
    assert not missing_why(registry().values())


def test_the_scan_finds_a_claim_without_why():
    """Planted fault: one claim's hook removed."""
    exp = registry()["pca"]
    broken = replace(exp, claims=(replace(exp.claims[0], why=None), *exp.claims[1:]))
    assert missing_why([broken]) == [f"pca.{exp.claims[0].key}"]


def test_every_claim_is_exercised_here():
    """Each claim of every experiment fails in at least one case below."""
    covered = {(name, case[0]) for name, cases in CASES.items() for case in cases}
    claims = {(e.name, c.key) for e in registry().values() for c in e.claims}
    assert claims <= covered, sorted(claims - covered)


def _run(name: str, changes: dict, settings: dict):
    exp = registry()[name]
    cfg = replace(exp.config_cls(), **settings)
    base = presets.shipped_metrics(name, exp.config_cls())
    assert base is not None, f"no shipped preset for {name}"
    return exp, cfg, {**base, **changes}


@pytest.mark.parametrize(
    "name,claim,changes,settings,key",
    [(n, *case) for n, cases in CASES.items() for case in cases],
    ids=[f"{n}-{c[0]}-{i}" for n, cases in CASES.items() for i, c in enumerate(cases)],
)
def test_a_failed_claim_says_why_in_every_language(name, claim, changes, settings, key):
    exp, cfg, metrics = _run(name, changes, settings)
    c = exp.claim(claim)
    assert c.made(metrics) and not c.holds(metrics), "the perturbation must make the claim fail"
    why = c.explain(metrics, cfg)
    assert why is not None, "a failed claim must say why"
    if key is not None:
        assert why[0] == key
    full = f"{PREFIX.get(name, name)}.{why[0]}"
    for lang in LANGS:
        numbers = {k: num(v, 3, lang) for k, v in why[1].items()}  # the language's decimal mark
        template = catalog(lang).get(full)
        assert template, f"{full} missing in {lang}"
        used = placeholders(template)
        assert used and set(used) <= set(numbers), f"{full} ({lang}) shows no or unknown numbers: {used}"
        text = translate(full, lang, **numbers)
        assert all(numbers[p] in text for p in used)


def test_a_claim_that_holds_gives_no_explanation():
    for name in CASES:
        exp, cfg, metrics = _run(name, {}, {})
        for c in exp.claims:
            if c.made(metrics) and c.holds(metrics):
                assert c.explain(metrics, cfg) is None
