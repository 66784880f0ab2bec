"""Lesson 4: depth, width, under- and overcomplete codes; copying unseen noise."""

import inspect

import streamlit as st

from aecore.experiments import capacity, get
from aecore.experiments.capacity import CapacityConfig
from aecore.figures import regularized as fr
from aecore.figures.common import image_grid, loss_figure
from ui.i18n import stage_labels, t
from ui.panel import training_panel
from ui.widgets import claims_box, fmt, settings_form

LESSON = "capacity"
st.title(t("capacity.title"))
st.markdown(t("capacity.explain"))
st.latex(
    r"h=f_\theta(x)\in\mathbb{R}^k,\quad \hat x=g_\phi(h);\qquad "
    r"k<D\ \text{undercomplete},\quad k>D\ \text{overcomplete}"
)
st.markdown(t("capacity.explain_noise"))
st.latex(
    r"\mathrm{MSE}_{\text{noise}}=\frac{1}{mD}\sum_{i=1}^{m}"
    r"\lVert u_i-g_\phi(f_\theta(u_i))\rVert^2,"
    r"\qquad u_i\sim\mathcal{U}[0,1]^D\ \text{(never seen in training)}"
)

cfg = settings_form(
    LESSON,
    CapacityConfig(),
    [
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
    ],
    columns=4,
)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    cols = st.columns(4)
    for col, key in zip(
        cols,
        (
            "undercomplete_data_mse",
            "undercomplete_noise_mse",
            "overcomplete_data_mse",
            "overcomplete_noise_mse",
        ),
    ):
        col.metric(t(f"capacity.metric.{key}"), f"{m[key]:.4g}")
    claims_box(LESSON, get(LESSON), m, fmt(m))
    names = {k: t(f"capacity.fig.{k}") for k in ("undercomplete", "overcomplete", "data", "noise")}
    left, right = st.columns(2)
    with left:
        st.plotly_chart(fr.copy_bars(m, {**names, "title": t("capacity.fig.bars")}), key="capacity.bars")
        st.caption(t("capacity.fig.bars_summary", ratio=f"{m['noise_ratio']:.2f}"))
    with right:
        st.plotly_chart(
            fr.sweep_figure(
                a["sweep"],
                a["input_dim"],
                {
                    **names,
                    "x": t("capacity.fig.k"),
                    "d_line": t("capacity.fig.d_line", d=a["input_dim"]),
                    "title": t("capacity.fig.sweep"),
                },
            ),
            key="capacity.sweep",
        )
        st.caption(t("capacity.fig.sweep_summary" if cfg.sweep else "capacity.fig.sweep_hint"))
    shape, X, noise = a["image_shape"], a["X"], a["noise"]
    idx = [int((a["labels"] == c).argmax()) for c in range(10)]
    rows = {
        t("capacity.fig.original"): X[idx],
        names["undercomplete"]: a["recon"]["undercomplete"][0][idx],
        names["overcomplete"]: a["recon"]["overcomplete"][0][idx],
        t("capacity.fig.noise_input"): noise[:10],
        t("capacity.fig.under_noise"): a["recon"]["undercomplete"][1][:10],
        t("capacity.fig.over_noise"): a["recon"]["overcomplete"][1][:10],
    }
    st.plotly_chart(image_grid(rows, shape, t("capacity.fig.images")), key="capacity.images")
    st.caption(t("capacity.fig.images_summary"))
    if "greedy_data_mse" in m:
        st.subheader(t("capacity.greedy.heading"))
        st.markdown(t("capacity.greedy.explain"))
        c1, c2, c3 = st.columns(3)
        c1.metric(t("capacity.greedy.stacked"), f"{m['greedy_stacked_data_mse']:.4g}")
        c2.metric(t("capacity.greedy.finetuned"), f"{m['greedy_data_mse']:.4g}")
        c3.metric(t("capacity.greedy.end_to_end"), f"{m['undercomplete_data_mse']:.4g}")
        shown = (capacity.GREEDY_LAYER, capacity.GREEDY_FINETUNE, capacity.UNDERCOMPLETE)
        curves = stage_labels({k: v for k, v in res.histories.items() if k.partition(":")[0] in shown})
        st.plotly_chart(
            loss_figure(curves, t("capacity.greedy.loss"), xlabel=t("panel.epoch"), ylabel=t("panel.loss")),
            key="capacity.greedy_loss",
        )
        better = m["greedy_data_mse"] < m["undercomplete_data_mse"]
        st.caption(
            t(
                "capacity.greedy.summary_better" if better else "capacity.greedy.summary_worse",
                greedy=f"{m['greedy_data_mse']:.4g}",
                e2e=f"{m['undercomplete_data_mse']:.4g}",
            )
        )
    else:
        st.caption(t("capacity.greedy.hint"))
    with st.expander(t("capacity.source")):
        st.code(inspect.getsource(capacity.greedy), language="python")
    st.markdown(t("capacity.note"))
