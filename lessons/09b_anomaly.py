"""Lesson 9b: anomaly detection by reconstruction error — an undercomplete autoencoder trained on
the normal classes only, scored by the ROC AUC against PCA with the same code size; the caveat
of lesson 4 (an overcomplete autoencoder copies what it never saw)."""

import streamlit as st

from aecore.experiments import get
from aecore.experiments.anomaly import AnomalyConfig
from aecore.figures import applications as fig
from aecore.figures.common import image_grid
from ui.kit.i18n import current_lang, t
from ui.kit.page import chart, labels, metric_row, num, on_sidebar_data, prose
from ui.kit.references import sources
from ui.kit.safe import md
from ui.kit.widgets import option_label, settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.shell import sidebar
from ui.touch.pad import draw_panel

LESSON = "anomaly"
st.title(t("anomaly.title"))
objectives(LESSON)
prose(t("anomaly.explain"))
st.latex(
    r"s(x)=\frac1D\lVert x-g_\phi(f_\theta(x))\rVert^2,\qquad "
    r"\mathrm{AUC}=P\big(s(x_{\text{anomaly}})>s(x_{\text{normal}})\big)"
)

fields = ["normal_classes", "latent_dim", "hidden", "steps", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, AnomalyConfig(), fields, columns=4))
if cfg.dataset == sidebar.dataset():  # the kit says so when the lesson keeps another data set
    st.caption(t("anomaly.data_note", name=md(option_label("dataset", cfg.dataset, current_lang()))))
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    metric_row(LESSON, m, ("roc_auc", "pca_roc_auc", "normal_score_mean", "anomaly_score_mean"))
    claims_box(LESSON, get(LESSON), m)
    prose(t("anomaly.caveat", k=cfg.latent_dim, D=a["X"].shape[1]))
    st.page_link("lessons/04_capacity.py", label=t("anomaly.lesson4"), icon=":material/layers:")
    names = labels("anomaly.fig", "normal", "anomaly", x="log_score", title="histograms")
    means = dict(normal=num(m["normal_score_mean"]), anomaly=num(m["anomaly_score_mean"]))
    side = "higher" if m["anomaly_score_mean"] > m["normal_score_mean"] else "lower"
    hist = fig.score_histograms_figure(a["scores"], a["labels"], a["anomalous"], a["classes"], names)
    chart(hist, "anomaly.hist", t(f"anomaly.fig.histograms_{side}", **means))
    left, right = st.columns(2)
    with left:
        auc, pca = num(m["roc_auc"], 3), num(m["pca_roc_auc"], 3)
        curves = {t("anomaly.fig.ae_curve", auc=auc): a["roc"], t("anomaly.fig.pca_curve", auc=pca): a["pca_roc"]}
        names = labels("anomaly.fig", "chance", x="fpr", y="tpr", title="roc")
        chart(fig.roc_figure(curves, names), "anomaly.roc", t("anomaly.fig.roc_summary", auc=auc, pca=pca))
    with right:
        X, R, worst, best = a["X"], a["recon"], a["worst"], a["best"]
        which = {k: ", ".join(str(a["labels"][i]) for i in idx) for k, idx in (("worst", worst), ("best", best))}
        if a["image_shape"] is not None:
            rows = {
                t("anomaly.fig.worst"): X[worst],
                t("anomaly.fig.recon"): R[worst],
                t("anomaly.fig.best"): X[best],
                t("anomaly.fig.recon") + " ": R[best],
            }
            grid = image_grid(rows, a["image_shape"], t("anomaly.fig.extremes"))
            chart(grid, "anomaly.extremes", t("anomaly.fig.extremes_summary", **which))
        else:
            st.caption(t("anomaly.fig.extremes_summary", **which))
    draw_panel(LESSON, res, cfg.dataset)
prose(t("anomaly.note"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources(LESSON)
