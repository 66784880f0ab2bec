"""Lesson 6: contractive autoencoders — a penalty on the encoder's Jacobian."""

import streamlit as st

from aecore import penalties
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.contractive import IMAGE_BATCH, ContractiveConfig
from aecore.figures import regularized as fr
from aecore.figures.embedding import manifold_figure
from lessons.parts import formulas
from ui.kit.i18n import t
from ui.kit.page import chart, code_expander, labels, metric_row, num, on_sidebar_data, prose
from ui.kit.references import sources
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.touch.plane import plane_panel

LESSON = "contractive"
st.title(t("contractive.title"))
objectives(LESSON)
prose(t("contractive.explain"))
st.latex(formulas.CAE_LOSS)
prose(t("contractive.explain_closed"))
st.latex(formulas.CAE_SIGMOID)
prose(t("contractive.explain_tied"))

fields = ["latent_dim", "lam", "tied", "epochs", "curve", "curve_lam", "curve_width", "curve_epochs", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, ContractiveConfig(), fields, columns=3))
st.caption(t("contractive.data_note"))
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    models = labels("contractive.model", "ae", "cae")
    st.subheader(t("contractive.images.heading"))
    metric_row(LESSON, m, ("jacobian_fro_ae", "jacobian_fro_cae", "recon_mse_ae", "recon_mse_cae"))
    claims_box(LESSON, get(LESSON), m)
    st.caption(t("contractive.epochs", epochs=int(m["image_epochs"]), batch=IMAGE_BATCH))
    left, right = st.columns(2)
    with left:
        names = models | labels("contractive.fig", y="count", title="hist") | {"x": "‖J<sub>f</sub>(x)‖<sub>F</sub>"}
        ratios = dict(ratio=num(m["jacobian_ratio"], 3), recon=num(m["recon_mse_cae"] / m["recon_mse_ae"], 3))
        chart(fr.jacobian_histogram(a["jf"], names), "contractive.hist", t("contractive.fig.hist_summary", **ratios))
    with right:
        names = models | labels("contractive.fig", x="eps", y="dist", title="perturb")
        dist = dict(ae=num(a["dist"]["ae"][0], 3), cae=num(a["dist"]["cae"][0], 3), eps=num(a["eps"][0]))
        caption = t("contractive.fig.perturb_summary", **dist)
        chart(fr.perturbation_figure(a["eps"], a["dist"], names), "contractive.perturb", caption)
    names = models | labels("contractive.fig", "w_enc", "w_dec", "jac_f", "jac_map", y="norm", title="norms")
    moved = m["recon_jacobian_ratio"] > m["jacobian_ratio"] + 0.1
    caption = t(
        "contractive.fig.norms_moved" if moved else "contractive.fig.norms_kept",
        enc=num(m["jacobian_ratio"], 3),
        whole=num(m["recon_jacobian_ratio"], 3),
        wdec_ae=num(m["w_dec_ae"], 3),
        wdec_cae=num(m["w_dec_cae"], 3),
    )
    chart(fr.norms_figure(a["norms"], names), "contractive.norms", caption)
    st.subheader(t("contractive.curve.heading"))
    prose(t("contractive.curve.explain"))
    keys = ("tangent_alignment_ae", "tangent_alignment_cae", "along_across_ae", "along_across_cae")
    metric_row(LESSON, m, keys, 3)
    names = models | labels("contractive.fig", "dir1", "dir2", data="data", title="curve")
    aa = dict(aa_ae=num(m["along_across_ae"], 3), aa_cae=num(m["along_across_cae"], 3))
    align = dict(align_ae=num(m["tangent_alignment_ae"], 3), align_cae=num(m["tangent_alignment_cae"], 3))
    caption = t("contractive.fig.curve_summary", **align, **aa)
    chart(fr.curve_jacobian_figure(a["curve_X"], a["curve_points"], a["dirs"], names), "contractive.curve", caption)
    plane_panel(LESSON, res, cfg.curve)
    an = dict(an_ae=num(m["anisotropy_ae"], 3), an_cae=num(m["anisotropy_cae"], 3))
    prose(t("contractive.curve.anisotropy", **an, **aa))
    funcs = (
        penalties.contractive,
        penalties.jacobian_fro2,
        penalties.jacobian_fro2_closed,
        penalties.mlp_jacobian_fro2,
        penalties.jacobian,
    )
    code_expander(t("contractive.source"), *funcs)
    prose(t("contractive.note"))
st.subheader(t("contractive.manifold.title"))
prose(t("contractive.manifold.explain"))
roll = load_dataset("swiss_roll")
names = labels("contractive.manifold", "rolled", "unrolled", "t", "height", title="fig_title")
summary = t("contractive.manifold.summary", n=roll.n)
chart(manifold_figure(roll.X, roll.t, roll.X[:, 1], names), "contractive.manifold", summary)
st.page_link("lessons/07_denoising.py", label=t("contractive.manifold.link"), icon=":material/blur_off:")
prose(t("contractive.dae"))
st.page_link("lessons/07_denoising.py", label=t("contractive.dae_link"), icon=":material/blur_off:")
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources("contractive")
