"""Lesson 1: a 2-D curve squeezed through a 1-D code — autoencoder against PCA."""

import streamlit as st

from aecore.experiments import get
from aecore.experiments.intro import IntroConfig
from aecore.figures.basic import curve_fit_figure
from aecore.figures.common import loss_figure
from ui.i18n import stage_labels, t
from ui.panel import training_panel
from ui.presenter import prose
from ui.widgets import claims_box, fmt, settings_form

LESSON = "intro"
st.title(t("intro.title"))
prose(t("intro.explain"))
st.latex(
    r"\mathcal{L}(\theta,\phi)=\frac{1}{nD}\sum_{i=1}^{n}\lVert x_i-g_\phi(f_\theta(x_i))\rVert^2,"
    r"\qquad f_\theta:\mathbb{R}^2\to\mathbb{R}^1,\; g_\phi:\mathbb{R}^1\to\mathbb{R}^2"
)

cfg = settings_form(LESSON, IntroConfig(), ["dataset", "noise", "width", "epochs", "lr", "seed"])
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m = res.metrics
    left, right = st.columns([3, 1])
    with left:
        a = res.arrays
        names = {k: t(f"intro.fig.{k}") for k in ("data", "link", "ae", "pca")}
        st.plotly_chart(
            curve_fit_figure(
                a["X"], a["recon_ae"], a["recon_pca"], a["curve"], (t("intro.fig.left"), t("intro.fig.right")), names
            ),
            key="intro.fit",
        )
        st.caption(t("intro.fig.summary", ratio=f"{m['pca_mse'] / m['ae_mse']:.1f}"))
    with right:
        st.metric(t("intro.metric.ae"), f"{m['ae_mse']:.5f}")
        st.metric(t("intro.metric.pca"), f"{m['pca_mse']:.5f}")
        claims_box(LESSON, get(LESSON), m, fmt(m))
        if res.source != "loaded":  # a replay measures, it does not train
            st.caption(t("panel.trained_in", seconds=res.seconds))
    with st.expander(t("intro.loss_title")):
        st.plotly_chart(
            loss_figure(
                stage_labels(res.histories),
                refs={t("intro.fig.pca"): m["pca_mse"]},
                xlabel=t("panel.epoch"),
                ylabel=t("panel.loss"),
            ),
            key="intro.loss",
        )
    prose(t("intro.takeaway"))
