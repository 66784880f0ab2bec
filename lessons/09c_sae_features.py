"""Lesson 9c: features of a sparse autoencoder — an overcomplete top-k (or L1) code of a
classifier's hidden layer, feature by feature (Stevens et al. 2025 scaled down; Gao et al. 2024;
Bricken et al. 2023), and the class selectivity of its features against the neurons'."""

import numpy as np
import streamlit as st

from aecore.experiments import get
from aecore.experiments.sae_features import SAEConfig, feature_column
from aecore.figures import applications as fig
from aecore.figures.common import image_grid
from aecore.models.sae import SparseAutoencoder
from ui.kit.i18n import current_lang, t
from ui.kit.page import chart, code_expander, labels, metric_row, num, on_sidebar_data, prose
from ui.kit.references import sources
from ui.kit.safe import md
from ui.kit.widgets import option_label, settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.shell import sidebar
from ui.touch.pad import draw_panel

LESSON = "sae_features"
FORMULAS = {
    "topk": r"z=\mathrm{ReLU}\Big(\mathrm{TopK}\big(W_e(a-b_d)+b_e\big)\Big),\quad \hat a=W_d z+b_d,\quad "
    r"\lVert W_{d,:j}\rVert=1",
    "l1": r"z=\mathrm{ReLU}\big(W_e(a-b_d)+b_e\big),\quad \hat a=W_d z+b_d,\quad "
    r"\mathcal{L}=\frac{\lVert a-\hat a\rVert^2}{\mathbb{E}\lVert a-\bar a\rVert^2}+\lambda\lVert z\rVert_1",
}
d = SAEConfig()  # the slides' study against this page's defaults
size = dict(hidden=d.hidden, expansion=d.expansion, m=num(d.hidden * d.expansion), m32=num(d.hidden * 32))
st.title(t("sae_features.title"))
objectives(LESSON)
prose(t("sae_features.explain") + "\n\n" + t("sae_features.slides", **size))

fields = ["expansion", "sparsity", "k", "l1", "aux_coef", "sae_steps", "hidden", "clf_steps", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, SAEConfig(), fields, columns=5))
if cfg.dataset == sidebar.dataset():  # the kit says so when the lesson keeps another data set
    st.caption(t("sae_features.data_note", name=md(option_label("dataset", cfg.dataset, current_lang()))))
st.latex(FORMULAS[cfg.sparsity])
st.latex(
    r"\mathrm{EV}=1-\frac{\sum\lVert a-\hat a\rVert^2}{\sum\lVert a-\bar a\rVert^2},\qquad "
    r"L_0=\frac1n\sum_i\#\{j: z_{ij}>0\},\qquad "
    r"s_j=\frac{\mu_{\max,j}-\mu_{\text{rest},j}}{\mu_{\max,j}+\mu_{\text{rest},j}}"
)
res = training_panel(LESSON, cfg, auto=True)


def browse(a: dict) -> None:
    """One feature at a time: its top inputs, its activations, its effect on the logits."""
    freq, cols, classes = a["freq"], a["cols"], a["classes"]
    order = [int(j) for j in np.argsort(-freq, kind="stable")]
    j = st.selectbox(
        t("sae_features.pick"),
        order,
        key=f"sae_features.feature.{a['m']}",
        format_func=lambda j: (
            t("sae_features.option", j=j, freq=f"{100 * freq[j]:.1f}", cls=classes[a["class_mean"][:, j].argmax()])
            if freq[j] > 0
            else t("sae_features.option_dead", j=j)  # a dead feature has no favourite class
        ),
    )
    rows, vals = feature_column(cols, j)
    top = a["top_idx"][j][np.isin(a["top_idx"][j], rows)]  # the top inputs where it fires at all
    if not top.size:
        st.warning(t("sae_features.dead_feature", j=j), icon=":material/block:")
    elif a["image_shape"] is None:
        st.info(t("sae_features.fig.no_images", rows=", ".join(map(str, top))), icon=":material/table_rows:")
    else:
        title = t("sae_features.fig.top_title", j=j)
        grid = image_grid({t("sae_features.fig.top"): a["X"][top]}, a["image_shape"], title, height=170)
        caption = t("sae_features.fig.top_summary", labels=", ".join(str(classes[a["y"][i]]) for i in top))
        chart(grid, "sae_features.top", caption)
    left, right = st.columns(2)
    with left:
        names = labels("sae_features.fig", x="activation", y="count") | {"title": t("sae_features.fig.hist", j=j)}
        caption = t("sae_features.fig.hist_summary", n=vals.size, total=a["y"].size)
        chart(fig.activation_histogram(vals, names), "sae_features.hist", caption)
    with right:
        eff = a["logit_effect"][j]
        names = labels("sae_features.fig", x="class", y="dlogit") | {"title": t("sae_features.fig.effect", j=j)}
        caption = t("sae_features.fig.effect_summary", up=classes[eff.argmax()], down=classes[eff.argmin()])
        chart(fig.logit_effect_figure(eff, classes, names), "sae_features.effect", caption)
    names = labels("sae_features.fig", "selected", "hover", x="rank", y="freq", title="density")
    caption = t("sae_features.fig.density_summary", dead=int((freq == 0).sum()), m=freq.size)
    chart(fig.feature_density_figure(freq, j, names), "sae_features.density", caption)


if res is not None:
    m, a = res.metrics, res.arrays
    keys = ("explained_variance", "l0", "dead_fraction", "dict_size", "classifier_accuracy", "spliced_accuracy")
    metric_row(LESSON, m, keys, per_row=3)
    claims_box(LESSON, get(LESSON), m)
    prose(t("sae_features.selectivity"))
    sel = ("neuron_selectivity", "axes_selectivity", "untrained_selectivity", "feature_selectivity")
    metric_row(LESSON, m, sel)
    learned = m["feature_selectivity"] > m["untrained_selectivity"]
    words = {w: num(m[k], 3) for w, k in zip(("neurons", "axes", "untrained", "features"), sel)}
    words |= dict(ev=num(m["explained_variance"], 3), ev0=num(m["untrained_explained_variance"], 3))
    st.info(t("sae_features.selectivity_learned" if learned else "sae_features.selectivity_sparsity", **words))
    browse(a)
    draw_panel(LESSON, res, cfg.dataset)
    code_expander(t("sae_features.source"), SparseAutoencoder.training_loss)
prose(t("sae_features.note"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources(LESSON)
