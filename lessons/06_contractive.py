"""Lesson 6: contractive autoencoders — a penalty on the encoder's Jacobian."""

import streamlit as st

from aecore import penalties
from aecore.experiments import get
from aecore.experiments.contractive import ContractiveConfig
from aecore.figures import regularized as fr
from ui.i18n import t
from ui.kit import chart, claims_box, code_expander, labels, metric_row, prose
from ui.panel import training_panel
from ui.references import sources
from ui.widgets import settings_form

LESSON = "contractive"
st.title(t("contractive.title"))
prose(t("contractive.explain"))
st.latex(
    r"\mathcal{L}=\frac{1}{nD}\sum_i\lVert x_i-g_\phi(f_\theta(x_i))\rVert^2"
    r"+\lambda\,\frac1n\sum_i\lVert J_f(x_i)\rVert_F^2,\qquad "
    r"\lVert J_f(x)\rVert_F^2=\sum_{j,i}\Big(\frac{\partial h_j}{\partial x_i}\Big)^2"
)
prose(t("contractive.explain_closed"))
st.latex(r"h=\sigma(Wx+b):\qquad \lVert J_f(x)\rVert_F^2=\sum_j\big(h_j(1-h_j)\big)^2\lVert W_j\rVert^2")
prose(t("contractive.explain_tied"))

fields = ["latent_dim", "lam", "tied", "epochs", "curve", "curve_lam", "curve_width", "curve_epochs", "seed"]
cfg = settings_form(LESSON, ContractiveConfig(), fields, columns=3)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    models = labels("contractive.model", "ae", "cae")
    st.subheader(t("contractive.images.heading"))
    metric_row(LESSON, m, ("jacobian_fro_ae", "jacobian_fro_cae", "recon_mse_ae", "recon_mse_cae"))
    claims_box(LESSON, get(LESSON), m)
    left, right = st.columns(2)
    with left:
        names = models | labels("contractive.fig", y="count", title="hist") | {"x": "‖J_f(x)‖_F"}
        ratios = dict(ratio=f"{m['jacobian_ratio']:.2f}", recon=f"{m['recon_mse_cae'] / m['recon_mse_ae']:.2f}")
        chart(fr.jacobian_histogram(a["jf"], names), "contractive.hist", t("contractive.fig.hist_summary", **ratios))
    with right:
        names = models | labels("contractive.fig", x="eps", y="dist", title="perturb")
        dist = dict(ae=f"{a['dist']['ae'][0]:.3g}", cae=f"{a['dist']['cae'][0]:.3g}", eps=f"{a['eps'][0]:g}")
        caption = t("contractive.fig.perturb_summary", **dist)
        chart(fr.perturbation_figure(a["eps"], a["dist"], names), "contractive.perturb", caption)
    names = models | labels("contractive.fig", "w_enc", "w_dec", "jac_f", "jac_map", y="norm", title="norms")
    moved = m["recon_jacobian_ratio"] > m["jacobian_ratio"] + 0.1
    caption = t(
        "contractive.fig.norms_moved" if moved else "contractive.fig.norms_kept",
        enc=f"{m['jacobian_ratio']:.2f}",
        whole=f"{m['recon_jacobian_ratio']:.2f}",
        wdec_ae=f"{m['w_dec_ae']:.3g}",
        wdec_cae=f"{m['w_dec_cae']:.3g}",
    )
    chart(fr.norms_figure(a["norms"], names), "contractive.norms", caption)
    st.subheader(t("contractive.curve.heading"))
    prose(t("contractive.curve.explain"))
    keys = ("tangent_alignment_ae", "tangent_alignment_cae", "anisotropy_ae", "anisotropy_cae")
    metric_row(LESSON, m, keys, 3)
    names = models | labels("contractive.fig", "data", "dir1", "dir2", title="curve")
    caption = t(
        "contractive.fig.curve_summary",
        align_ae=f"{m['tangent_alignment_ae']:.3f}",
        align_cae=f"{m['tangent_alignment_cae']:.3f}",
        an_ae=f"{m['anisotropy_ae']:.2f}",
        an_cae=f"{m['anisotropy_cae']:.2f}",
    )
    chart(fr.curve_jacobian_figure(a["curve_X"], a["curve_points"], a["dirs"], names), "contractive.curve", caption)
    code_expander(
        t("contractive.source"),
        penalties.contractive,
        penalties.jacobian_fro2,
        penalties.jacobian_fro2_closed,
        penalties.jacobian,
    )
    prose(t("contractive.note"))
sources("contractive")
