"""Lesson 9c: features of a sparse autoencoder — an overcomplete top-k (or L1) code of a
classifier's hidden layer, feature by feature (Gao et al. 2024; Bricken et al. 2023)."""

import numpy as np
import streamlit as st

from aecore.experiments import get
from aecore.experiments.sae_features import SAEConfig
from aecore.figures import applications as fig
from aecore.figures.common import image_grid
from aecore.sae import SparseAutoencoder
from ui.i18n import t
from ui.kit import chart, claims_box, code_expander, labels, metric_row, prose
from ui.panel import training_panel
from ui.widgets import settings_form

LESSON = "sae_features"
st.title(t("sae_features.title"))
prose(t("sae_features.explain"))
st.latex(
    r"z=\mathrm{TopK}\big(W_e(a-b_d)+b_e\big),\quad \hat a=W_d z+b_d,\qquad "
    r"\mathrm{EV}=1-\frac{\sum\lVert a-\hat a\rVert^2}{\sum\lVert a-\bar a\rVert^2},\quad "
    r"L_0=\frac1n\sum_i\#\{j: z_{ij}>0\}"
)

fields = ["expansion", "sparsity", "k", "l1", "aux_coef", "sae_epochs", "hidden", "seed"]
cfg = settings_form(LESSON, SAEConfig(), fields, columns=4)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    keys = ("explained_variance", "l0", "dead_fraction", "dict_size", "classifier_accuracy", "spliced_accuracy")
    metric_row(LESSON, m, keys, per_row=3)
    claims_box(LESSON, get(LESSON), m)
    freq, z = a["freq"], a["z"]
    order = [int(j) for j in np.argsort(-freq, kind="stable")]
    j = st.selectbox(
        t("sae_features.pick"),
        order,
        key=f"sae_features.feature.{z.shape[1]}",
        format_func=lambda j: t(
            "sae_features.option", j=j, freq=f"{100 * freq[j]:.1f}", cls=int(a["class_mean"][:, j].argmax())
        ),
    )
    top = a["top_idx"][j][z[a["top_idx"][j], j] > 0]
    if top.size:
        grid = image_grid(
            {t("sae_features.fig.top"): a["X"][top]}, a["image_shape"], t("sae_features.fig.top_title", j=j), height=170
        )
        chart(
            grid, "sae_features.top", t("sae_features.fig.top_summary", labels=", ".join(str(a["y"][i]) for i in top))
        )
    else:
        st.warning(t("sae_features.dead_feature", j=j), icon=":material/block:")
    left, right = st.columns(2)
    with left:
        vals = z[:, j][z[:, j] > 0]
        names = labels("sae_features.fig", x="activation", y="count") | {"title": t("sae_features.fig.hist", j=j)}
        caption = t("sae_features.fig.hist_summary", n=vals.size, total=z.shape[0])
        chart(fig.activation_histogram(vals, names), "sae_features.hist", caption)
    with right:
        eff = a["logit_effect"][j]
        names = labels("sae_features.fig", x="class", y="dlogit") | {"title": t("sae_features.fig.effect", j=j)}
        caption = t("sae_features.fig.effect_summary", up=int(eff.argmax()), down=int(eff.argmin()))
        chart(fig.logit_effect_figure(eff, names), "sae_features.effect", caption)
    names = labels("sae_features.fig", "selected", x="rank", y="freq", title="density")
    caption = t("sae_features.fig.density_summary", dead=int((freq == 0).sum()), m=freq.size)
    chart(fig.feature_density_figure(freq, j, names), "sae_features.density", caption)
    code_expander(t("sae_features.source"), SparseAutoencoder.training_loss)
prose(t("sae_features.note"))
