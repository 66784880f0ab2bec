"""Lesson 4: depth, width, under- and overcomplete codes; copying unseen noise."""

import streamlit as st

from aecore.experiments import capacity, get
from aecore.experiments.capacity import CapacityConfig
from aecore.figures import regularized as fr
from aecore.figures.common import image_grid
from ui.i18n import t
from ui.kit import chart, claims_box, code_expander, labels, loss_chart, metric_row, num, one_per_class, prose
from ui.panel import training_panel
from ui.widgets import settings_form

LESSON = "capacity"
st.title(t("capacity.title"))
prose(t("capacity.explain"))
st.latex(
    r"h=f_\theta(x)\in\mathbb{R}^k,\quad \hat x=g_\phi(h);\qquad "
    r"k<D\ \text{undercomplete},\quad k>D\ \text{overcomplete}"
)
prose(t("capacity.explain_noise"))
st.latex(
    r"\mathrm{MSE}_{\text{noise}}=\frac{1}{mD}\sum_{i=1}^{m}"
    r"\lVert u_i-g_\phi(f_\theta(u_i))\rVert^2,"
    r"\qquad u_i\sim\mathcal{U}[0,1]^D\ \text{(never seen in training)}"
)

fields = [
    "depth",
    "width",
    "under_latent",
    "over_latent",
    "activation",
    "output",
    "epochs",
    "sweep",
    "pretrain",
    "seed",
]
cfg = settings_form(LESSON, CapacityConfig(), fields, columns=4)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    keys = ("undercomplete_data_mse", "undercomplete_noise_mse", "overcomplete_data_mse", "overcomplete_noise_mse")
    metric_row(LESSON, m, keys)
    claims_box(LESSON, get(LESSON), m)
    names = labels("capacity.fig", "undercomplete", "overcomplete", "data", "noise")
    left, right = st.columns(2)
    with left:
        caption = t("capacity.fig.bars_summary", ratio=f"{m['noise_ratio']:.2f}")
        chart(fr.copy_bars(m, names | labels("capacity.fig", title="bars")), "capacity.bars", caption)
    with right:
        d = a["input_dim"]
        sweep_names = names | labels("capacity.fig", x="k", title="sweep") | {"d_line": t("capacity.fig.d_line", d=d)}
        caption = t("capacity.fig.sweep_summary" if cfg.sweep else "capacity.fig.sweep_hint")
        chart(fr.sweep_figure(a["sweep"], d, sweep_names), "capacity.sweep", caption)
    X, noise, rec = a["X"], a["noise"], a["recon"]
    idx = one_per_class(a["labels"])
    rows = {
        t("capacity.fig.original"): X[idx],
        names["undercomplete"]: rec["undercomplete"][0][idx],
        names["overcomplete"]: rec["overcomplete"][0][idx],
        t("capacity.fig.noise_input"): noise[:10],
        t("capacity.fig.under_noise"): rec["undercomplete"][1][:10],
        t("capacity.fig.over_noise"): rec["overcomplete"][1][:10],
    }
    images = image_grid(rows, a["image_shape"], t("capacity.fig.images"))
    chart(images, "capacity.images", t("capacity.fig.images_summary"))
    if "greedy_data_mse" in m:
        st.subheader(t("capacity.greedy.heading"))
        prose(t("capacity.greedy.explain"))
        greedy = labels(
            "capacity.greedy",
            greedy_stacked_data_mse="stacked",
            greedy_data_mse="finetuned",
            undercomplete_data_mse="end_to_end",
        )
        metric_row(LESSON, m, list(greedy), names=greedy)
        curves = {k: v for k, v in res.histories.items() if k.startswith(("greedy", "undercomplete"))}
        better = m["greedy_data_mse"] < m["undercomplete_data_mse"]
        caption = t(
            "capacity.greedy.summary_better" if better else "capacity.greedy.summary_worse",
            greedy=num(m["greedy_data_mse"]),
            e2e=num(m["undercomplete_data_mse"]),
        )
        loss_chart(curves, "capacity.greedy_loss", t("capacity.greedy.loss"), caption=caption)
    else:
        st.caption(t("capacity.greedy.hint"))
    code_expander(t("capacity.source"), capacity.greedy)
    prose(t("capacity.note"))
