"""Lesson 5: sparse codes by an L1 or KL penalty, against no penalty and L2 weight decay."""

import inspect

import numpy as np
import streamlit as st

from aecore.experiments import get
from aecore.experiments.sparse import PENALTY_NAMES, SparseConfig
from aecore.figures import regularized as fr
from aecore.figures.common import image_grid
from aecore.penalties import PENALTIES
from ui.i18n import t
from ui.panel import training_panel
from ui.widgets import claims_box, fmt, settings_form

LESSON = "sparse"
st.title(t("sparse.title"))
st.markdown(t("sparse.explain"))
st.latex(
    r"\mathcal{L}=\frac{1}{nD}\sum_i\lVert x_i-g_\phi(h_i)\rVert^2+\Omega,\qquad "
    r"h_i=\sigma(Wx_i+b)\in(0,1)^k,\ k>D"
)
st.latex(
    r"\Omega_{L1}=\alpha\,\frac1n\sum_i\sum_j|h_{ij}|,\qquad "
    r"\Omega_{L2}=\lambda\sum_{W}\lVert W\rVert_F^2"
)
st.latex(
    r"\Omega_{KL}=\beta\sum_j\mathrm{KL}(\rho\,\|\,\hat\rho_j),\qquad"
    r"\hat\rho_j=\frac1n\sum_i h_{ij}"
)
st.latex(r"\mathrm{KL}(\rho\,\|\,\hat\rho_j)=\rho\log\frac{\rho}{\hat\rho_j}+(1-\rho)\log\frac{1-\rho}{1-\hat\rho_j}")
st.markdown(t("sparse.explain_kl"))

cfg = settings_form(
    LESSON,
    SparseConfig(),
    ["penalty", "hidden", "rho", "beta", "alpha", "lam", "epochs", "seed"],
    columns=4,
)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    cols = st.columns(4)
    for col, key in zip(cols, ("mean_activation", "fraction_active", "dead_units", "recon_mse")):
        col.metric(t(f"sparse.metric.{key}", penalty=t(f"sparse.penalty.{cfg.penalty}")), f"{m[key]:.4g}")
    claims_box(LESSON, get(LESSON), m, fmt(m))
    pen = {p: t(f"sparse.penalty.{p}") for p in PENALTY_NAMES}
    rows = [
        {
            t("sparse.table.penalty"): pen[p],
            **{
                t(f"sparse.table.{k}"): m[f"{p}_{k}"]
                for k in (
                    "mean_activation",
                    "fraction_active",
                    "dead_units",
                    "recon_mse",
                    "weight_norm",
                )
            },
        }
        for p in PENALTY_NAMES
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(
        t(
            "sparse.table.summary",
            l1_dead=int(m["l1_dead_units"]),
            hidden=cfg.hidden,
            l1_pct=f"{100 * m['l1_dead_units'] / cfg.hidden:.0f}",
            l2_dead=int(m["l2_dead_units"]),
            l2_norm=f"{m['l2_weight_norm']:.3g}",
            none_norm=f"{m['none_weight_norm']:.3g}",
        )
    )
    st.plotly_chart(
        fr.activation_histograms(
            a["codes"], {**pen, "x": "h", "y": t("sparse.fig.count"), "title": t("sparse.fig.hist")}
        ),
        key="sparse.hist",
    )
    st.caption(
        t(
            "sparse.fig.hist_summary",
            none=f"{m['none_fraction_active']:.2f}",
            l1=f"{m['l1_fraction_active']:.2f}",
            kl=f"{m['kl_fraction_active']:.2f}",
            l2=f"{m['l2_fraction_active']:.2f}",
        )
    )
    st.plotly_chart(
        fr.rho_hat_figure(
            a["codes"],
            cfg.rho,
            {
                **pen,
                "target": t("sparse.fig.target", rho=cfg.rho),
                "x": t("sparse.fig.unit_rank"),
                "y": t("sparse.fig.rho_hat"),
                "title": t("sparse.fig.rho_title"),
            },
        ),
        key="sparse.rho",
    )
    st.caption(
        t(
            "sparse.fig.rho_summary",
            rho=cfg.rho,
            kl=f"{m['kl_mean_activation']:.4f}",
            worst=f"{a['unit_kl'].max():.3g}",
        )
    )
    st.subheader(t("sparse.detail.heading"))
    which = st.radio(
        t("sparse.detail.which"),
        PENALTY_NAMES,
        index=PENALTY_NAMES.index(cfg.penalty),
        format_func=pen.get,
        horizontal=True,
        key="sparse.which",
    )
    H, F, shape = a["codes"][which], a["features"][which], a["image_shape"]
    st.plotly_chart(
        fr.feature_grid(F, shape, t("sparse.detail.features", penalty=pen[which])),
        key="sparse.features",
    )
    st.caption(t("sparse.detail.features_summary", shown=min(64, F.shape[0]), total=F.shape[0]))
    default_unit = int(np.argmax(H.mean(0)))
    unit = int(st.number_input(t("sparse.detail.unit"), 0, H.shape[1] - 1, default_unit, key="sparse.unit"))
    top = np.argsort(H[:, unit])[::-1][:10]
    grid = {
        t("sparse.detail.feature_row"): fr.normalize_images(F[unit : unit + 1]),
        t("sparse.detail.top_row"): a["X"][top],
    }
    st.plotly_chart(image_grid(grid, shape, t("sparse.detail.top", unit=unit)), key="sparse.top")
    st.caption(
        t(
            "sparse.detail.top_summary",
            unit=unit,
            mean=f"{H[:, unit].mean():.3f}",
            best=f"{H[top[0], unit]:.3f}",
            active=f"{100 * (H[:, unit] > 0.1).mean():.1f}",
        )
    )
    with st.expander(t("sparse.source", penalty=pen[which])):
        st.code(inspect.getsource(PENALTIES[which]), language="python")
