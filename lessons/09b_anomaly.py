"""Lesson 9b: anomaly detection by reconstruction error — an autoencoder trained on normal
digits only, scored by the ROC AUC against PCA with the same code size."""

import streamlit as st

from aecore.experiments import get
from aecore.experiments.anomaly import AnomalyConfig
from aecore.figures import applications as fig
from aecore.figures.common import image_grid
from ui.i18n import t
from ui.kit import chart, claims_box, labels, metric_row, prose
from ui.panel import training_panel
from ui.widgets import settings_form

LESSON = "anomaly"
st.title(t("anomaly.title"))
prose(t("anomaly.explain"))
st.latex(
    r"s(x)=\frac1D\lVert x-g_\phi(f_\theta(x))\rVert^2,\qquad "
    r"\mathrm{AUC}=P\big(s(x_{\text{anomaly}})>s(x_{\text{normal}})\big)"
)

fields = ["normal_classes", "latent_dim", "hidden", "epochs", "seed"]
cfg = settings_form(LESSON, AnomalyConfig(), fields, columns=4)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    metric_row(LESSON, m, ("roc_auc", "pca_roc_auc", "normal_score_mean", "anomaly_score_mean"))
    claims_box(LESSON, get(LESSON), m)
    names = labels("anomaly.fig", "normal", "anomaly", x="log_score", title="histograms")
    means = dict(normal=f"{m['normal_score_mean']:.4f}", anomaly=f"{m['anomaly_score_mean']:.4f}")
    hist = fig.score_histograms_figure(a["scores"], a["labels"], a["anomalous"], names)
    chart(hist, "anomaly.hist", t("anomaly.fig.histograms_summary", **means))
    left, right = st.columns(2)
    with left:
        auc, pca = f"{m['roc_auc']:.3f}", f"{m['pca_roc_auc']:.3f}"
        curves = {t("anomaly.fig.ae_curve", auc=auc): a["roc"], t("anomaly.fig.pca_curve", auc=pca): a["pca_roc"]}
        names = labels("anomaly.fig", "chance", x="fpr", y="tpr", title="roc")
        chart(fig.roc_figure(curves, names), "anomaly.roc", t("anomaly.fig.roc_summary", auc=auc, pca=pca))
    with right:
        X, R, worst, best = a["X"], a["recon"], a["worst"], a["best"]
        rows = {
            t("anomaly.fig.worst"): X[worst],
            t("anomaly.fig.recon"): R[worst],
            t("anomaly.fig.best"): X[best],
            t("anomaly.fig.recon") + " ": R[best],
        }
        which = {k: ", ".join(str(a["labels"][i]) for i in idx) for k, idx in (("worst", worst), ("best", best))}
        grid = image_grid(rows, a["image_shape"], t("anomaly.fig.extremes"))
        chart(grid, "anomaly.extremes", t("anomaly.fig.extremes_summary", **which))
prose(t("anomaly.note"))
