"""Lesson 5: sparse codes by L1 or KL on the code, against no penalty, ridge and Lasso on the weights."""

import numpy as np
import streamlit as st

from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.sparse import ACTIVE, SparseConfig
from aecore.figures import regularized as fr
from aecore.figures.common import image_grid
from aecore.penalties import PENALTIES
from lessons.parts.regularized import sparse_steps, sparse_table
from ui.kit.derivation import derivation
from ui.kit.i18n import t
from ui.kit.page import chart, code_expander, labels, metric_row, num, on_sidebar_data, prose
from ui.kit.references import sources
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel

LESSON = "sparse"
st.title(t("sparse.title"))
objectives(LESSON)
prose(t("sparse.explain"))
st.latex(
    r"\mathcal{L}=\frac{1}{nD}\sum_i\lVert x_i-g_\phi(h_i)\rVert^2+\Omega,\qquad "
    r"h_i=\sigma(Wx_i+b)\in(0,1)^k\ \ \text{or}\ \ h_i=\max(0,\,Wx_i+b)"
)
st.latex(
    r"\Omega_{L1}=\alpha\,\frac1{|B|}\sum_{i\in B}\sum_j|h_{ij}|,\qquad"
    r"\Omega_{KL}=\beta\sum_j\mathrm{KL}(\rho\,\|\,\hat\rho_j),\quad \hat\rho_j=\frac1{|B|}\sum_{i\in B}h_{ij}"
)
st.latex(r"\mathrm{KL}(\rho\,\|\,\hat\rho_j)=\rho\log\frac{\rho}{\hat\rho_j}+(1-\rho)\log\frac{1-\rho}{1-\hat\rho_j}")
st.latex(r"\Omega_{L2}=\lambda\sum_{W}\lVert W\rVert_F^2,\qquad \Omega_{\text{Lasso}}=\mu\sum_{W}\sum_{a,b}|W_{ab}|")
prose(t("sparse.explain_kl") + "\n" + t("sparse.explain_active") + "\n" + t("sparse.batch_note"))
st.page_link("lessons/10_annex.py", label=t("sparse.annex_link"), icon=":material/functions:")

fields = ["penalty", "code", "hidden", "rho", "beta", "alpha", "lam", "mu", "epochs", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, SparseConfig(), fields, columns=5))
dim = load_dataset(cfg.dataset).dim
size = t("sparse.size_over" if cfg.hidden > dim else "sparse.size_under", k=cfg.hidden, d=dim)
st.caption(size)
res = training_panel(LESSON, cfg, auto=True)


if res is not None:
    m, a = res.metrics, res.arrays
    trained = list(a["codes"])
    pen = labels("sparse.penalty", *trained)
    metric_row(LESSON, m, ("mean_activation", "fraction_active", "dead_units", "recon_mse"), penalty=pen[cfg.penalty])
    claims_box(LESSON, get(LESSON), m)
    dead = sparse_table(m, trained, pen, cfg.hidden)
    names = pen | labels("sparse.fig", x="activation", y="count", title="hist")
    shares = "; ".join(f"{pen[p]} {num(m[f'{p}_fraction_active'], 2)}" for p in trained)
    chart(
        fr.activation_histograms(a["codes"], names, active=ACTIVE[cfg.code]),
        "sparse.hist",
        t("sparse.fig.hist_summary", shares=shares),
    )
    names = (
        pen
        | labels("sparse.fig", x="unit_rank", y="rho_hat", title="rho_title")
        | {"target": t("sparse.fig.target", rho=cfg.rho)}
    )
    caption = (
        t("sparse.fig.rho_summary", rho=cfg.rho, kl=num(m["kl_mean_activation"]), worst=num(a["unit_kl"].max(), 3))
        if "kl" in trained
        else None
    )
    chart(fr.rho_hat_figure(a["codes"], cfg.rho, names), "sparse.rho", caption)
    if "kl" in trained:
        rho_hats = {p: a["codes"][p].mean(0) for p in ("kl", "l1")}
        names = labels(
            "sparse.fig", "units_kl", "units_l1", kl="grad_kl", l1="grad_l1", x="grad_x", y="grad_y", title="grad_title"
        )
        span = {f"{p}_{q}": num(getattr(rho_hats[p], q)(), 2) for p in ("kl", "l1") for q in ("min", "max")}
        caption = t("sparse.fig.grad_summary", rho=cfg.rho, kl_dead=dead["kl_dead"], l1_dead=dead["l1_dead"], **span)
        chart(fr.penalty_gradient_figure(cfg.rho, cfg.beta, cfg.alpha, rho_hats, names), "sparse.grad", caption)
        derivation(LESSON, t("sparse.derivation.title"), sparse_steps(m, cfg.hidden))
        st.caption(t("sparse.batch_summary", batch=num(m["kl_penalty_batch"], 3), full=num(m["kl_penalty_full"], 3)))
    prose(t("sparse.vit"))
    st.page_link("lessons/09c_sae_features.py", label=t("sparse.sae_link"), icon=":material/manage_search:")
    st.subheader(t("sparse.detail.heading"))
    which = st.radio(
        t("sparse.detail.which"),
        trained,
        index=trained.index(cfg.penalty),
        format_func=pen.get,
        horizontal=True,
        key="sparse.which",
    )
    H, F, shape = a["codes"][which], a["features"][which], a["image_shape"]
    if shape is not None:
        caption = t("sparse.detail.features_summary", shown=min(64, F.shape[0]), total=F.shape[0])
        chart(fr.feature_grid(F, shape, t("sparse.detail.features", penalty=pen[which])), "sparse.features", caption)
        unit = int(
            st.number_input(t("sparse.detail.unit"), 0, H.shape[1] - 1, int(np.argmax(H.mean(0))), key="sparse.unit")
        )
        top = np.argsort(H[:, unit])[::-1][:10]
        grid = {
            t("sparse.detail.feature_row"): fr.normalize_images(F[unit : unit + 1]),
            t("sparse.detail.top_row"): a["X"][top],
        }
        h = H[:, unit]
        on = ACTIVE["sigmoid" if which == "kl" else cfg.code]
        stats = dict(mean=num(h.mean(), 3), best=num(h[top[0]], 3), active=num(100 * (h > on).mean(), 3))
        chart(
            image_grid(grid, shape, t("sparse.detail.top", unit=unit)),
            "sparse.top",
            t("sparse.detail.top_summary", unit=unit, **stats),
        )
    code_expander(t("sparse.source", penalty=pen[which]), PENALTIES[which])
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources("sparse")
