"""Lesson 7: denoising autoencoders — corruptions, the field back to a curve, images."""

import inspect

import streamlit as st

from aecore import noise
from aecore.data import load_dataset
from aecore.experiments import get
from aecore.experiments.denoising_field import FieldConfig
from aecore.experiments.denoising_images import SHOW, ImagesConfig
from aecore.figures import denoising as fig
from aecore.figures.common import image_grid
from aecore.models.base import Autoencoder
from ui.i18n import t
from ui.panel import training_panel
from ui.widgets import claims_box, fmt, settings_form

FIELD, IMAGES = "denoising.field", "denoising.images"
NAMES = tuple(noise.CORRUPTIONS)

st.title(t("denoising.title"))
st.markdown(t("denoising.explain"))
st.latex(
    r"\tilde x \sim q(\tilde x \mid x),\qquad \mathcal L(\theta,\phi) = "
    r"\mathbb E_{x}\,\mathbb E_{\tilde x \sim q(\cdot\mid x)}\,\lVert x - g_\phi(f_\theta(\tilde x))\rVert^2"
)
st.markdown(t("denoising.corruptions"))
for col, name in zip(st.columns(3), NAMES):
    col.latex(noise.CORRUPTIONS[name].formula)
with st.expander(t("denoising.source"), icon=":material/code:"):
    st.code(
        "\n\n".join(
            inspect.getsource(f)
            for f in (noise.gaussian, noise.masking, noise.salt_and_pepper, Autoencoder.training_loss)
        ),
        language="python",
    )

# ---- 1 · the field on a curve -------------------------------------------------------
st.header(t("denoising.field.heading"))
st.markdown(t("denoising.field.explain"))
st.latex(
    r"r^*(\tilde x) = \mathbb E[x \mid \tilde x] = \tilde x + \sigma^2\,\nabla_{\tilde x}\log p_\sigma(\tilde x)"
    r",\qquad p_\sigma = p_{\text{data}} * \mathcal N(0, \sigma^2 I)"
)
st.markdown(t("denoising.field.explain2"))
fcfg = settings_form(FIELD, FieldConfig(), ["dataset", "sigma", "epochs", "width", "latent_dim", "n_samples"])
fres = training_panel(FIELD, fcfg, experiment="denoising_field", auto=True)
if fres is not None:
    m, a = fres.metrics, fres.arrays
    for col, key in zip(
        st.columns(4), ("projection_cosine", "score_cosine", "distance_ratio", "optimal_projection_cosine")
    ):
        col.metric(t(f"denoising.field.metric.{key}"), f"{m[key]:.3f}")
    claims_box(FIELD, get("denoising_field"), m, fmt(m, 3))
    names = {k: t(f"denoising.field.fig.{k}") for k in ("title", "noisy", "clean", "curve", "tweedie", "arrows")}
    st.plotly_chart(fig.field_figure(a, names), key="denoising.field.fig")
    st.caption(
        t(
            "denoising.field.fig.summary",
            band=f"{3 * a['sigma']:.2f}",
            cos=f"{m['projection_cosine']:.3f}",
            opt=f"{m['optimal_projection_cosine']:.3f}",
        )
    )
    st.markdown(t("denoising.field.tweedie"))
    names.update(
        title=t("denoising.field.fig.score_title"),
        learned=t("denoising.field.fig.learned"),
        true=t("denoising.field.fig.true"),
    )
    st.plotly_chart(fig.score_figure(a, names), key="denoising.field.score")
    st.caption(t("denoising.field.fig.score_summary", cos=f"{m['score_cosine']:.3f}"))
    st.caption(
        t(
            "denoising.field.fig.distance_summary",
            before=f"{a['d_before']:.4f}",
            after=f"{a['d_after']:.4f}",
            ratio=f"{m['distance_ratio']:.3f}",
            opt=f"{m['optimal_distance_ratio']:.3f}",
        )
    )

# ---- 2 · images ---------------------------------------------------------------------
st.header(t("denoising.images.heading"))
st.markdown(t("denoising.images.explain"))
st.latex(r"\mathrm{PSNR}(x, \hat x) = 10\,\log_{10}\frac{1}{\frac1D\lVert x-\hat x\rVert^2}\ \text{dB}")
st.markdown(t("denoising.images.pca"))
icfg = settings_form(
    IMAGES,
    ImagesConfig(),
    ["gaussian", "masking", "salt_and_pepper", "latent_dim", "epochs", "sweep", "probe"],
    columns=4,
    url_prefix="img_",
)
digits = load_dataset(icfg.dataset)
sample = digits.X[[int((digits.y == c).argmax()) for c in range(SHOW)]]
levels = {n: getattr(icfg, n) for n in NAMES}
rows = {t("denoising.images.fig.clean"): sample}
rows.update({t(f"denoising.images.name.{n}"): noise.corrupt_array(n, sample, levels[n], icfg.seed) for n in NAMES})
st.plotly_chart(image_grid(rows, digits.image_shape, t("denoising.images.preview")), key="denoising.preview")
st.caption(t("denoising.images.preview_summary", **levels))
ires = training_panel(IMAGES, icfg, experiment="denoising_images", auto=fres is not None)
if ires is None and fres is None:
    st.info(t("denoising.field.waiting"), icon=":material/hourglass_top:")
if ires is not None:
    m, a = ires.metrics, ires.arrays
    claims_box(IMAGES, get("denoising_images"), m, fmt(m, 3))
    grid = {t("denoising.images.fig.clean"): a["grids"][NAMES[0]]["clean"]}
    for n in NAMES:
        label = t(f"denoising.images.name.{n}")
        grid.update({f"{label}: {t(f'denoising.images.fig.{r}')}": a["grids"][n][r] for r in ("noisy", "dae", "pca")})
    st.plotly_chart(image_grid(grid, a["image_shape"], t("denoising.images.grids")), key="denoising.grids")
    st.caption(
        " ".join(
            t(
                "denoising.images.grid_summary",
                name=t(f"denoising.images.name.{n}"),
                k=int(m[f"pca_k_{n}"]),
                **{k: f"{m[f'psnr_{k}_{n}']:.1f}" for k in ("noisy", "dae", "pca")},
            )
            for n in NAMES
        )
    )
    if a["sweep"]:
        names = {
            k: t(f"denoising.images.fig.{k}")
            for k in ("noisy", "dae", "pca", "x_gaussian", "x_masking", "x_salt_and_pepper")
        }
        names.update({n: t(f"denoising.images.name.{n}") for n in NAMES}, title=t("denoising.images.sweep_title"))
        st.plotly_chart(fig.psnr_sweep_figure(a["sweep"], a["levels"], names), key="denoising.sweep")
        st.caption(t("denoising.images.sweep_summary"))
    else:
        st.caption(t("denoising.images.sweep_hint"))
    st.subheader(t("denoising.images.uses"))
    st.markdown(t("denoising.images.uses_explain"))
    if "probe_accuracy_ae" in m:
        acc = {
            t("denoising.images.probe_pixels"): m["probe_accuracy_pixels"],
            t("denoising.images.probe_ae"): m["probe_accuracy_ae"],
        }
        dae = {n: m[f"probe_accuracy_dae_{n}"] for n in NAMES}
        acc.update({t("denoising.images.probe_dae", name=t(f"denoising.images.name.{n}")): v for n, v in dae.items()})
        st.plotly_chart(fig.probe_figure(acc, t("denoising.images.probe_title")), key="denoising.probe")
        best = max(dae, key=dae.get)
        st.caption(
            t(
                "denoising.images.probe_summary",
                ae=f"{m['probe_accuracy_ae']:.3f}",
                dae_best=f"{dae[best]:.3f}",
                best=t(f"denoising.images.name.{best}"),
                pixels=f"{m['probe_accuracy_pixels']:.3f}",
            )
        )
    else:
        st.caption(t("denoising.images.probe_hint"))
