"""Lesson 6: contractive autoencoders — a penalty on the encoder's Jacobian."""

import inspect

import streamlit as st

from aecore import penalties
from aecore.experiments import get
from aecore.experiments.contractive import ContractiveConfig
from aecore.figures import regularized as fr
from ui.i18n import t
from ui.panel import training_panel
from ui.widgets import claims_box, fmt, settings_form

LESSON = "contractive"
st.title(t("contractive.title"))
st.markdown(t("contractive.explain"))
st.latex(
    r"\mathcal{L}=\frac{1}{nD}\sum_i\lVert x_i-g_\phi(f_\theta(x_i))\rVert^2"
    r"+\lambda\,\frac1n\sum_i\lVert J_f(x_i)\rVert_F^2,\qquad "
    r"\lVert J_f(x)\rVert_F^2=\sum_{j,i}\Big(\frac{\partial h_j}{\partial x_i}\Big)^2"
)
st.markdown(t("contractive.explain_closed"))
st.latex(r"h=\sigma(Wx+b):\qquad \lVert J_f(x)\rVert_F^2=\sum_j\big(h_j(1-h_j)\big)^2\lVert W_j\rVert^2")
st.markdown(t("contractive.explain_tied"))

cfg = settings_form(
    LESSON,
    ContractiveConfig(),
    [
        "latent_dim",
        "lam",
        "tied",
        "epochs",
        "curve",
        "curve_lam",
        "curve_width",
        "curve_epochs",
        "seed",
    ],
    columns=3,
)
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    models = {k: t(f"contractive.model.{k}") for k in ("ae", "cae")}
    st.subheader(t("contractive.images.heading"))
    cols = st.columns(4)
    for col, key in zip(cols, ("jacobian_fro_ae", "jacobian_fro_cae", "recon_mse_ae", "recon_mse_cae")):
        col.metric(t(f"contractive.metric.{key}"), f"{m[key]:.4g}")
    claims_box(LESSON, get(LESSON), m, fmt(m))
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            fr.jacobian_histogram(
                a["jf"],
                {
                    **models,
                    "x": "‖J_f(x)‖_F",
                    "y": t("contractive.fig.count"),
                    "title": t("contractive.fig.hist"),
                },
            ),
            key="contractive.hist",
        )
        st.caption(
            t(
                "contractive.fig.hist_summary",
                ratio=f"{m['jacobian_ratio']:.2f}",
                recon=f"{m['recon_mse_cae'] / m['recon_mse_ae']:.2f}",
            )
        )
    with right:
        st.plotly_chart(
            fr.perturbation_figure(
                a["eps"],
                a["dist"],
                {
                    **models,
                    "x": t("contractive.fig.eps"),
                    "y": t("contractive.fig.dist"),
                    "title": t("contractive.fig.perturb"),
                },
            ),
            key="contractive.perturb",
        )
        st.caption(
            t(
                "contractive.fig.perturb_summary",
                ae=f"{a['dist']['ae'][0]:.3g}",
                cae=f"{a['dist']['cae'][0]:.3g}",
                eps=f"{a['eps'][0]:g}",
            )
        )
    st.plotly_chart(
        fr.norms_figure(
            a["norms"],
            {
                **models,
                **{k: t(f"contractive.fig.{k}") for k in ("w_enc", "w_dec", "jac_f", "jac_map")},
                "y": t("contractive.fig.norm"),
                "title": t("contractive.fig.norms"),
            },
        ),
        key="contractive.norms",
    )
    moved = m["recon_jacobian_ratio"] > m["jacobian_ratio"] + 0.1
    st.caption(
        t(
            "contractive.fig.norms_moved" if moved else "contractive.fig.norms_kept",
            enc=f"{m['jacobian_ratio']:.2f}",
            whole=f"{m['recon_jacobian_ratio']:.2f}",
            wdec_ae=f"{m['w_dec_ae']:.3g}",
            wdec_cae=f"{m['w_dec_cae']:.3g}",
        )
    )
    st.subheader(t("contractive.curve.heading"))
    st.markdown(t("contractive.curve.explain"))
    cols = st.columns(4)
    for col, key in zip(cols, ("tangent_alignment_ae", "tangent_alignment_cae", "anisotropy_ae", "anisotropy_cae")):
        col.metric(t(f"contractive.metric.{key}"), f"{m[key]:.3g}")
    st.plotly_chart(
        fr.curve_jacobian_figure(
            a["curve_X"],
            a["curve_points"],
            a["dirs"],
            {
                **models,
                "data": t("contractive.fig.data"),
                "dir1": t("contractive.fig.dir1"),
                "dir2": t("contractive.fig.dir2"),
                "title": t("contractive.fig.curve"),
            },
        ),
        key="contractive.curve",
    )
    st.caption(
        t(
            "contractive.fig.curve_summary",
            align_ae=f"{m['tangent_alignment_ae']:.3f}",
            align_cae=f"{m['tangent_alignment_cae']:.3f}",
            an_ae=f"{m['anisotropy_ae']:.2f}",
            an_cae=f"{m['anisotropy_cae']:.2f}",
        )
    )
    with st.expander(t("contractive.source")):
        st.code(
            "\n\n".join(
                inspect.getsource(f)
                for f in (
                    penalties.contractive,
                    penalties.jacobian_fro2,
                    penalties.jacobian_fro2_closed,
                    penalties.jacobian,
                )
            ),
            language="python",
        )
    st.markdown(t("contractive.note"))
