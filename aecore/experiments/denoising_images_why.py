"""Lesson 7's image claims (``denoising_images``) and why each fails on a run: every ``why``
reads the run's metrics and returns (catalog key under ``denoising.images.``, the numbers its
text shows). The probe metrics' names live here too, since the robustness claims read them."""

from __future__ import annotations

from functools import partial

from aecore.experiments.claims import Claim
from aecore.noise import CORRUPTIONS

AE = "ae"  # the plain autoencoder's key among the models (the others: the corruptions)
GAIN = 3.0  # dB the DAE gains over the corrupted input, at least
# Robustness is tested only where the corruption costs the plain AE's probe at least this much
# accuracy (clean − corrupted); below it there is little for a DAE to keep.
ROBUST_HURTS = 0.05
ROBUST_GAIN = 0.01  # the DAE's probe on corrupted images at least this much above the plain AE's
BACKGROUND = 0.25  # at least this share of pixels already 0: a mask changes noticeably fewer than it covers


def probe_metric(key: str, corruption: str | None = None) -> str:
    """The metric of a probe on ``key``'s features ("pixels", AE or a corruption's DAE):
    probe_accuracy_{pixels|ae|dae_<c>} on clean held-out images, probe_noisy_{pixels|ae|dae}_<c>
    on the held-out images under corruption <c>."""
    who = key if key in ("pixels", AE) else "dae"
    if corruption is None:
        return f"probe_accuracy_{who}" if who != "dae" else f"probe_accuracy_dae_{key}"
    return f"probe_noisy_{who}_{corruption}"


def _why_masking(m: dict[str, float]) -> tuple[str, dict[str, float]]:
    """Why masking gains less than claimed: a mask sets pixels to 0, and on mostly-background
    images most of them are 0 already, so the corrupted input is nearly clean."""
    numbers = {"background": 100 * m["background_share"], "changed": 100 * m["changed_share_masking"]}
    numbers |= {"noisy": m["psnr_noisy_masking"], "gain": m["psnr_dae_masking"] - m["psnr_noisy_masking"]}
    return ("why.masking_background" if m["background_share"] >= BACKGROUND else "why.masking_strokes"), numbers


def _numbers(m: dict[str, float], n: str) -> dict[str, float]:
    numbers = {"noisy": m[f"psnr_noisy_{n}"], "dae": m[f"psnr_dae_{n}"], "pca": m[f"psnr_pca_{n}"]}
    numbers |= {"k": m[f"pca_k_{n}"], "clean": m["psnr_clean_ae"], "epochs": m["epochs_run"]}
    return numbers | {"gain": numbers["dae"] - numbers["noisy"], "room": numbers["clean"] - numbers["noisy"]}


def _why_gain(m: dict[str, float], n: str) -> tuple[str, dict[str, float]]:
    """Less than GAIN dB gained: the same autoencoder on clean images sits less than GAIN dB
    above the noisy input (little room), or there was room and the DAE did not take it."""
    numbers = _numbers(m, n)
    return ("why.gain_room" if numbers["room"] < GAIN else "why.gain_short"), numbers


def _hurts(name: str):
    """Whether corruption ``name`` costs the plain AE's probe at least ROBUST_HURTS (the
    robustness claim is made only then)."""
    return lambda m: m["probe_accuracy_ae"] - m[probe_metric(AE, name)] >= ROBUST_HURTS


def _why_robust(name: str):
    """Why the DAE's codes kept no more of the class than the plain AE's under ``name``:
    each one's loss from clean to corrupted images, and whether the DAE's codes were
    already worse on clean images."""

    def why(m: dict[str, float]) -> tuple[str, dict[str, float]]:
        ae, dae = m["probe_accuracy_ae"], m[f"probe_accuracy_dae_{name}"]
        numbers = {"ae_clean": ae, "dae_clean": dae, "ae_noisy": m[probe_metric(AE, name)]}
        numbers |= {"dae_noisy": m[probe_metric(name, name)], "ae_drop": ae - numbers["ae_noisy"]}
        numbers["dae_drop"] = dae - numbers["dae_noisy"]
        worse = dae < ae - ROBUST_GAIN
        return ("why.robust_worse_clean" if worse else "why.robust_same_drop"), numbers

    return why


def claims() -> tuple[Claim, ...]:
    out = []
    for n in CORRUPTIONS:
        why = _why_masking if n == "masking" else partial(_why_gain, n=n)
        out.append(Claim.gain_at_least(f"gain_{n}", f"psnr_dae_{n}", f"psnr_noisy_{n}", GAIN, note="(dB)", why=why))
        beats = partial(lambda m, n: ("why.pca_wins", _numbers(m, n)), n=n)
        out.append(Claim.greater(f"beats_pca_{n}", f"psnr_dae_{n}", f"psnr_pca_{n}", why=beats))
    for n in CORRUPTIONS:  # the codes as features under the corruption (Vincent et al. 2008, 2010)
        left, right = probe_metric(n, n), probe_metric(AE, n)
        out.append(Claim.gain_at_least(f"robust_{n}", left, right, ROBUST_GAIN, applies=_hurts(n), why=_why_robust(n)))
    return tuple(out)
