"""Lesson 5: sparse codes by an L1 or KL penalty, against no penalty and L2 weight decay."""

import numpy as np
import streamlit as st

from aecore.experiments import get
from aecore.experiments.sparse import PENALTY_NAMES, SparseConfig
from aecore.figures import regularized as fr
from aecore.figures.common import image_grid
from aecore.penalties import PENALTIES
from ui.i18n import t
from ui.kit import chart, claims_box, code_expander, labels, metric_row, prose
from ui.panel import training_panel
from ui.references import sources
from ui.widgets import settings_form

LESSON = "sparse"
st.title(t("sparse.title"))
prose(t("sparse.explain"))
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
prose(t("sparse.explain_kl"))

cfg = settings_form(
    LESSON, SparseConfig(), ["penalty", "hidden", "rho", "beta", "alpha", "lam", "epochs", "seed"], columns=4
)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    keys = ("mean_activation", "fraction_active", "dead_units", "recon_mse")
    pen = labels("sparse.penalty", *PENALTY_NAMES)
    metric_row(LESSON, m, keys, penalty=pen[cfg.penalty])
    claims_box(LESSON, get(LESSON), m)
    cols = (*keys, "weight_norm")
    rows = [
        {t("sparse.table.penalty"): pen[p], **{t(f"sparse.table.{k}"): m[f"{p}_{k}"] for k in cols}}
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
    names = pen | labels("sparse.fig", y="count", title="hist") | {"x": "h"}
    caption = t("sparse.fig.hist_summary", **{p: f"{m[f'{p}_fraction_active']:.2f}" for p in PENALTY_NAMES})
    chart(fr.activation_histograms(a["codes"], names), "sparse.hist", caption)
    names = pen | labels("sparse.fig", x="unit_rank", y="rho_hat", title="rho_title")
    names["target"] = t("sparse.fig.target", rho=cfg.rho)
    caption = t(
        "sparse.fig.rho_summary", rho=cfg.rho, kl=f"{m['kl_mean_activation']:.4f}", worst=f"{a['unit_kl'].max():.3g}"
    )
    chart(fr.rho_hat_figure(a["codes"], cfg.rho, names), "sparse.rho", caption)
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
    caption = t("sparse.detail.features_summary", shown=min(64, F.shape[0]), total=F.shape[0])
    chart(fr.feature_grid(F, shape, t("sparse.detail.features", penalty=pen[which])), "sparse.features", caption)
    default_unit = int(np.argmax(H.mean(0)))
    unit = int(st.number_input(t("sparse.detail.unit"), 0, H.shape[1] - 1, default_unit, key="sparse.unit"))
    top = np.argsort(H[:, unit])[::-1][:10]
    grid = {
        t("sparse.detail.feature_row"): fr.normalize_images(F[unit : unit + 1]),
        t("sparse.detail.top_row"): a["X"][top],
    }
    h = H[:, unit]
    stats = dict(mean=f"{h.mean():.3f}", best=f"{h[top[0]]:.3f}", active=f"{100 * (h > 0.1).mean():.1f}")
    chart(
        image_grid(grid, shape, t("sparse.detail.top", unit=unit)),
        "sparse.top",
        t("sparse.detail.top_summary", unit=unit, **stats),
    )
    code_expander(t("sparse.source", penalty=pen[which]), PENALTIES[which])
sources("sparse")
