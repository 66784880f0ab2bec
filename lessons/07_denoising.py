"""Lesson 7: denoising autoencoders — corruptions, the field back to a curve, images."""

import streamlit as st

from aecore import noise
from aecore.data import load_dataset
from aecore.experiments import get
from aecore.experiments.denoising_field import FieldConfig
from aecore.experiments.denoising_images import SHOW, ImagesConfig
from aecore.figures import denoising as fig
from aecore.figures.common import image_grid
from aecore.models.base import Autoencoder
from ui import references
from ui.i18n import t
from ui.kit import chart, claims_box, code_expander, fmt, labels, metric_row, one_per_class, prose
from ui.panel import training_panel
from ui.widgets import settings_form

FIELD, IMAGES = "denoising.field", "denoising.images"
NAMES = tuple(noise.CORRUPTIONS)

st.title(t("denoising.title"))
prose(t("denoising.explain"))
st.latex(
    r"\tilde x \sim q(\tilde x \mid x),\qquad \mathcal L(\theta,\phi) = "
    r"\mathbb E_{x}\,\mathbb E_{\tilde x \sim q(\cdot\mid x)}\,\lVert x - g_\phi(f_\theta(\tilde x))\rVert^2"
)
prose(t("denoising.corruptions"))
for col, name in zip(st.columns(3), NAMES):
    col.latex(noise.CORRUPTIONS[name].formula)
sources = (noise.gaussian, noise.masking, noise.salt_and_pepper, Autoencoder.training_loss)
code_expander(t("denoising.source"), *sources, icon=":material/code:")

# ---- 1 · the field on a curve -------------------------------------------------------
st.header(t("denoising.field.heading"))
prose(t("denoising.field.explain"))
st.latex(
    r"r^*(\tilde x) = \mathbb E[x \mid \tilde x] = \tilde x + \sigma^2\,\nabla_{\tilde x}\log p_\sigma(\tilde x)"
    r",\qquad p_\sigma = p_{\text{data}} * \mathcal N(0, \sigma^2 I)"
)
prose(t("denoising.field.explain2"))
fcfg = settings_form(FIELD, FieldConfig(), ["dataset", "sigma", "epochs", "width", "latent_dim", "n_samples"])
fres = training_panel(FIELD, fcfg, experiment="denoising_field", auto=True)
if fres is not None:
    m, a = fres.metrics, fres.arrays
    keys = ("projection_cosine", "score_cosine", "distance_ratio", "optimal_projection_cosine")
    metric_row(FIELD, m, keys, ".3f")
    claims_box(FIELD, get("denoising_field"), m, fmt(m, 3))
    names = labels("denoising.field.fig", "title", "noisy", "clean", "curve", "tweedie", "arrows")
    cos = dict(cos=f"{m['projection_cosine']:.3f}", opt=f"{m['optimal_projection_cosine']:.3f}")
    chart(
        fig.field_figure(a, names),
        "denoising.field.fig",
        t("denoising.field.fig.summary", band=f"{3 * a['sigma']:.2f}", **cos),
    )
    prose(t("denoising.field.tweedie"))
    names |= labels("denoising.field.fig", "learned", "true", title="score_title")
    chart(
        fig.score_figure(a, names),
        "denoising.field.score",
        t("denoising.field.fig.score_summary", cos=f"{m['score_cosine']:.3f}"),
    )
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
prose(t("denoising.images.explain"))
st.latex(r"\mathrm{PSNR}(x, \hat x) = 10\,\log_{10}\frac{1}{\frac1D\lVert x-\hat x\rVert^2}\ \text{dB}")
prose(t("denoising.images.pca"))
icfg = settings_form(
    IMAGES,
    ImagesConfig(),
    ["gaussian", "masking", "salt_and_pepper", "latent_dim", "epochs", "sweep", "probe"],
    columns=4,
    url_prefix="img_",
)
digits = load_dataset(icfg.dataset)
sample = digits.X[one_per_class(digits.y, SHOW)]
levels = {n: getattr(icfg, n) for n in NAMES}
rows = {t("denoising.images.fig.clean"): sample}
rows.update({t(f"denoising.images.name.{n}"): noise.corrupt_array(n, sample, levels[n], icfg.seed) for n in NAMES})
preview = image_grid(rows, digits.image_shape, t("denoising.images.preview"))
chart(preview, "denoising.preview", t("denoising.images.preview_summary", **levels))
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
    summary = " ".join(
        t(
            "denoising.images.grid_summary",
            name=t(f"denoising.images.name.{n}"),
            k=int(m[f"pca_k_{n}"]),
            **{k: f"{m[f'psnr_{k}_{n}']:.1f}" for k in ("noisy", "dae", "pca")},
        )
        for n in NAMES
    )
    chart(image_grid(grid, a["image_shape"], t("denoising.images.grids")), "denoising.grids", summary)
    if a["sweep"]:
        names = labels("denoising.images.fig", "noisy", "dae", "pca", "x_gaussian", "x_masking", "x_salt_and_pepper")
        names |= labels("denoising.images.name", *NAMES) | labels("denoising.images", title="sweep_title")
        sweep = fig.psnr_sweep_figure(a["sweep"], a["levels"], names)
        chart(sweep, "denoising.sweep", t("denoising.images.sweep_summary"))
    else:
        st.caption(t("denoising.images.sweep_hint"))
    st.subheader(t("denoising.images.uses"))
    prose(t("denoising.images.uses_explain"))
    if "probe_accuracy_ae" in m:
        acc = {
            t("denoising.images.probe_pixels"): m["probe_accuracy_pixels"],
            t("denoising.images.probe_ae"): m["probe_accuracy_ae"],
        }
        dae = {n: m[f"probe_accuracy_dae_{n}"] for n in NAMES}
        acc.update({t("denoising.images.probe_dae", name=t(f"denoising.images.name.{n}")): v for n, v in dae.items()})
        best = max(dae, key=dae.get)
        caption = t(
            "denoising.images.probe_summary",
            ae=f"{m['probe_accuracy_ae']:.3f}",
            dae_best=f"{dae[best]:.3f}",
            best=t(f"denoising.images.name.{best}"),
            pixels=f"{m['probe_accuracy_pixels']:.3f}",
        )
        chart(fig.probe_figure(acc, t("denoising.images.probe_title")), "denoising.probe", caption)
    else:
        st.caption(t("denoising.images.probe_hint"))
references.sources("denoising")
