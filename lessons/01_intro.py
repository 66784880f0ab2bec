"""Lesson 1: a 2-D curve squeezed through a 1-D code — autoencoder against PCA."""

import streamlit as st

from aecore.experiments import get
from aecore.experiments.intro import IntroConfig
from aecore.figures.basic import curve_fit_figure
from lessons.parts import formulas
from ui.kit.i18n import stage_labels, t
from ui.kit.page import chart, labels, loss_chart, metric_row, num, prose
from ui.kit.references import sources
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.touch.plane import plane_panel

LESSON = "intro"
st.title(t("intro.title"))
objectives(LESSON)
prose(t("intro.explain"))
st.latex(formulas.INTRO_LOSS)
prose(t("intro.explain_toy"))
st.latex(r"f_\theta:\mathbb{R}^2\to\mathbb{R}^1,\qquad g_\phi:\mathbb{R}^1\to\mathbb{R}^2")

cfg = settings_form(LESSON, IntroConfig(), ["dataset", "noise", "width", "epochs", "lr", "seed"])
st.caption(t("intro.data_note"))
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    left, right = st.columns([3, 1])
    with left:
        titles = (t("intro.fig.left"), t("intro.fig.right"))
        fig = curve_fit_figure(
            a["X"], a["recon_ae"], a["recon_pca"], a["curve"], titles, labels("intro.fig", "data", "link", "ae", "pca")
        )
        wins = m["ae_mse"] < m["pca_mse"]
        ratio = f"{m['pca_mse'] / m['ae_mse']:.1f}"
        summary = (
            t("intro.fig.summary", ratio=ratio)
            if wins
            else t("intro.fig.summary_not", ae=num(m["ae_mse"]), pca=num(m["pca_mse"]))
        )
        chart(fig, "intro.fit", summary)
    with right:
        metric_row(LESSON, m, {"ae_mse": "ae", "pca_mse": "pca"}, ".5f", per_row=1)
        claims_box(LESSON, get(LESSON), m)
        if res.source != "loaded":  # a replay measures, it does not train
            st.caption(t("panel.trained_in", seconds=res.seconds))
    plane_panel(LESSON, res, cfg.dataset)
    with st.expander(t("intro.loss_title")):
        loss_chart(stage_labels(res.histories), "intro.loss", refs={t("intro.fig.pca"): m["pca_mse"]})
    prose(t("intro.takeaway"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources("intro")
