"""Page piece of lesson 2: the linear decoder after a non-linear encoder, and the bound it
cannot cross shown apart from training (the best linear decoder of each encoder's codes)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from aecore.experiments import get
from aecore.figures.basic import decoder_ratio_figure
from ui.kit.i18n import t
from ui.kit.page import chart, labels, num, prose

LESSON = "pca"


def lindec_part(m: Mapping[str, float]) -> None:
    """The trained linear-decoder AE, then every decoder's error as a multiple of PCA's."""
    exp = get(LESSON)
    prose(t("pca.lindec"))
    close = m["lindec_mse_ratio"] <= exp.claim("linear_matches_pca").threshold
    numbers = dict(
        ratio=num(m["lindec_mse_ratio"]),
        angle=num(m["lindec_max_angle_deg"], 3),
        cert=num(m["lindec_angle_certificate_deg"], 3),
    )
    st.markdown(t("pca.lindec_close" if close else "pca.lindec_far", **numbers))
    ratio = {
        n: m[f"{n}_mse"] / m["pca_mse"] for n in ("linear_ae", "lindec_ae", "lindec_refit", "deep_refit", "deep_ae")
    }
    words = {n: f"{v:.3f}" for n, v in ratio.items()}
    holds = exp.check_claims(m)["refit_not_below_pca"]
    prose(t("pca.refit_holds" if holds else "pca.refit_fails", **words))
    names = labels(
        "pca.fig", linear="bars_linear", nonlinear="bars_nonlinear", x="ratio_x", title="ratio_title", pca="ratio_pca"
    )
    linear = {t(f"pca.fig.bar_{n}"): ratio[n] for n in ("linear_ae", "lindec_ae", "lindec_refit", "deep_refit")}
    figure = decoder_ratio_figure(linear, {t("pca.fig.bar_deep_ae"): ratio["deep_ae"]}, names)
    chart(figure, "pca.decoders", t("pca.fig.ratio_summary", **words))
    angles = dict(angle=num(m["lindec_refit_angle_deg"], 3), cert=num(m["lindec_refit_certificate_deg"], 3))
    prose(t("pca.refit_angle", gap=num(m["eigengap_ratio"]), ratio=words["lindec_refit"], **angles))
