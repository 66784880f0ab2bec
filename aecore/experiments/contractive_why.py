"""Why a claim of the contractive page fails on a run: (catalog key under ``contractive.``,
the numbers its text shows), from the run's metrics and settings."""

from __future__ import annotations

from collections.abc import Mapping

M = Mapping[str, float]
JACOBIAN, RECON = 0.5, 2.0  # contracts: J_CAE ≤ 0.5 · J_AE and error_CAE ≤ 2 · error_AE


def contracts(m: M) -> tuple[str, dict[str, float]]:
    """Which half failed: the penalty did not lower the sensitivity enough (λ too small for
    it), or it cost too much reconstruction (λ too large), or both."""
    jac = m["jacobian_fro_cae"] / m["jacobian_fro_ae"]
    recon = m["recon_mse_cae"] / m["recon_mse_ae"]
    part = ("jacobian" if jac > JACOBIAN else "") + ("recon" if recon > RECON else "")
    return f"why.contracts_{part}", {"jac": jac, "recon": recon, "lam": m["lam"], "epochs": m["image_epochs"]}


def _curve(m: M, head: str) -> tuple[str, dict[str, float]]:
    """On the curve: the penalty shrank the whole code (tied weights or not), or had no effect."""
    numbers = dict(aa_ae=m["along_across_ae"], aa_cae=m["along_across_cae"], bad=100 * m["misaligned_cae"])
    numbers |= dict(jf_ae=m["curve_jacobian_fro_ae"], jf_cae=m["curve_jacobian_fro_cae"])
    numbers |= dict(mse_ae=m["curve_recon_mse_ae"], mse_cae=m["curve_recon_mse_cae"], align=m["tangent_alignment_cae"])
    if m["curve_jacobian_fro_cae"] < m["curve_jacobian_fro_ae"]:
        return f"curve.{head}_shrunk_" + ("tied" if m["tied"] else "untied"), numbers
    return f"curve.{head}_weak", numbers


def tangent_kept(m: M) -> tuple[str, dict[str, float]]:
    return _curve(m, "tangent")


def anisotropic(m: M) -> tuple[str, dict[str, float]]:
    return _curve(m, "cheat")
