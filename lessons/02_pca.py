"""Lesson 2: a linear autoencoder trained with squared error recovers PCA's subspace."""

from dataclasses import replace

import streamlit as st

from aecore.experiments import get
from aecore.experiments.pca import LINEAR_AE, PCAConfig
from aecore.figures import basic
from aecore.figures.common import image_grid, loss_figure
from ui import sidebar
from ui.i18n import t
from ui.panel import training_panel
from ui.presenter import prose
from ui.widgets import claims_box, fmt, settings_form

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
    cols = st.columns(5)
    for col, key in zip(cols, ("pca_mse", "pca_bound", "linear_ae_mse", "max_principal_angle_deg", "deep_ae_mse")):
        col.metric(t(f"pca.metric.{key}"), f"{m[key]:.3f}" if "angle" in key else f"{m[key]:.4f}")
    claims_box(LESSON, get(LESSON), m, fmt(m))
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            basic.spectrum_figure(
                a["eigvals"],
                k,
                {
                    "kept": t("pca.fig.kept", k=k),
                    "discarded": t("pca.fig.discarded"),
                    "x": t("pca.fig.index"),
                    "y": t("pca.fig.eigenvalue"),
                    "title": t("pca.fig.spectrum"),
                },
            ),
            key="pca.spectrum",
        )
        st.caption(t("pca.fig.spectrum_summary", k=k, bound=f"{m['pca_bound']:.5f}"))
    with right:
        lin = {t("pca.fig.linear"): res.histories.get(LINEAR_AE, [])}
        st.plotly_chart(
            loss_figure(
                lin,
                t("pca.fig.loss"),
                refs={t("pca.fig.optimum"): m["pca_bound"]},
                xlabel=t("panel.epoch"),
                ylabel="MSE",
            ),
            key="pca.loss",
        )
        st.caption(t("pca.fig.loss_summary", ratio=f"{m['linear_ae_mse'] / m['pca_mse']:.4f}"))
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            basic.angle_trace_figure(
                a["angle_trace"],
                {
                    "title": t("pca.fig.angles"),
                    "x": t("panel.epoch"),
                    "y": t("pca.fig.angle_deg"),
                    "limit": t("pca.fig.angle_limit"),
                },
            ),
            key="pca.angles",
        )
        st.caption(t("pca.fig.angles_summary", angle=f"{m['max_principal_angle_deg']:.3f}"))
    with right:
        st.plotly_chart(basic.gram_figure(a["gram"], t("pca.fig.gram")), key="pca.gram")
        st.caption(t("pca.fig.gram_summary"))
    if a["image_shape"] is not None:
        idx = [int((a["labels"] == c).argmax()) for c in range(10)]
        rows = {
            t("pca.fig.original"): a["X"][idx],
            t("pca.fig.pca_row", k=k): a["recon"]["pca"][idx],
            t("pca.fig.linear_row"): a["recon"]["linear"][idx],
            t("pca.fig.deep_row"): a["recon"]["deep"][idx],
        }
        st.plotly_chart(image_grid(rows, a["image_shape"], t("pca.fig.recon")), key="pca.recon")
    st.plotly_chart(
        basic.error_vs_k_figure(
            a["pca_curve"],
            a["sweep"],
            {
                "pca": t("pca.fig.pca_curve"),
                "deep": t("pca.fig.deep_curve"),
                "x": "k",
                "y": "MSE",
                "title": t("pca.fig.error_k"),
            },
        ),
        key="pca.error_k",
    )
    if not a["sweep"]:
        st.caption(t("pca.fig.sweep_hint"))
    prose(t("pca.note"))
