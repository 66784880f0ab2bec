"""Lesson 2: a linear autoencoder trained with squared error recovers PCA's subspace."""

from dataclasses import replace

import streamlit as st

from aecore.experiments import get
from aecore.experiments.pca import LINEAR_AE, PCAConfig
from aecore.figures import basic
from aecore.figures.common import image_grid
from ui import sidebar
from ui.i18n import t
from ui.kit import chart, claims_box, labels, loss_chart, metric_row, one_per_class, prose
from ui.panel import training_panel
from ui.references import sources
from ui.widgets import settings_form

LESSON = "pca"
st.title(t("pca.title"))
prose(t("pca.explain"))
st.latex(
    r"\min_{W_e,W_d}\ \frac{1}{nD}\sum_i\lVert x_i-W_dW_e x_i\rVert^2"
    r"\;=\;\frac{1}{D}\sum_{i>k}\lambda_i,\qquad \mathrm{span}(W_d)=\mathrm{span}(v_1,\dots,v_k)"
)

default = PCAConfig(dataset=sidebar.dataset())
cfg = settings_form(
    LESSON, default, ["latent_dim", "linear_epochs", "linear_lr", "linear_batch", "deep_epochs", "sweep"]
)
cfg = replace(cfg, dataset=sidebar.dataset())  # the sidebar's data set wins
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a, k = res.metrics, res.arrays, cfg.latent_dim
    keys = ("pca_mse", "pca_bound", "linear_ae_mse", "max_principal_angle_deg", "deep_ae_mse")
    metric_row(LESSON, m, keys, {k_: ".3f" if "angle" in k_ else ".4f" for k_ in keys})
    claims_box(LESSON, get(LESSON), m)
    left, right = st.columns(2)
    with left:
        names = labels("pca.fig", "discarded", x="index", y="eigenvalue", title="spectrum") | {
            "kept": t("pca.fig.kept", k=k)
        }
        caption = t("pca.fig.spectrum_summary", k=k, bound=f"{m['pca_bound']:.5f}")
        chart(basic.spectrum_figure(a["eigvals"], k, names), "pca.spectrum", caption)
    with right:
        lin = {t("pca.fig.linear"): res.histories.get(LINEAR_AE, [])}
        caption = t("pca.fig.loss_summary", ratio=f"{m['linear_ae_mse'] / m['pca_mse']:.4f}")
        loss_chart(
            lin,
            "pca.loss",
            t("pca.fig.loss"),
            refs={t("pca.fig.optimum"): m["pca_bound"]},
            ylabel="MSE",
            caption=caption,
        )
    left, right = st.columns(2)
    with left:
        names = labels("pca.fig", title="angles", y="angle_deg", limit="angle_limit") | {"x": t("panel.epoch")}
        caption = t("pca.fig.angles_summary", angle=f"{m['max_principal_angle_deg']:.3f}")
        chart(basic.angle_trace_figure(a["angle_trace"], names), "pca.angles", caption)
    with right:
        chart(basic.gram_figure(a["gram"], t("pca.fig.gram")), "pca.gram", t("pca.fig.gram_summary"))
    if a["image_shape"] is not None:
        idx = one_per_class(a["labels"])
        rows = {
            t("pca.fig.original"): a["X"][idx],
            t("pca.fig.pca_row", k=k): a["recon"]["pca"][idx],
            t("pca.fig.linear_row"): a["recon"]["linear"][idx],
            t("pca.fig.deep_row"): a["recon"]["deep"][idx],
        }
        chart(image_grid(rows, a["image_shape"], t("pca.fig.recon")), "pca.recon")
    names = labels("pca.fig", pca="pca_curve", deep="deep_curve", title="error_k") | {"x": "k", "y": "MSE"}
    caption = None if a["sweep"] else t("pca.fig.sweep_hint")
    chart(basic.error_vs_k_figure(a["pca_curve"], a["sweep"], names), "pca.error_k", caption)
    prose(t("pca.note"))
sources("pca")
