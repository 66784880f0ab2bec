"""Lesson 7: denoising autoencoders — corruptions, the field back to a curve, images."""

import streamlit as st

from aecore import noise
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.denoising_field import FieldConfig
from aecore.experiments.denoising_images import SHOW, ImagesConfig
from aecore.figures import denoising as fig
from aecore.figures.common import image_grid
from aecore.models.base import Autoencoder
from lessons.parts import formulas
from lessons.parts.denoising import (
    denoising_steps,
    effect_button,
    field_texts,
    probe_part,
    robust_part,
    show_notice,
    sweep_chart,
    sweep_pairs,
)
from ui.kit import references
from ui.kit.derivation import derivation
from ui.kit.i18n import t
from ui.kit.page import chart, code_expander, fmt, labels, metric_row, num, on_sidebar_data, one_per_class, prose
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.touch.pad import draw_panel
from ui.touch.plane import plane_panel

LESSON, FIELD, IMAGES = "denoising", "denoising.field", "denoising.images"
NAMES = tuple(noise.CORRUPTIONS)

st.title(t("denoising.title"))
objectives(LESSON)
prose(t("denoising.explain"))
st.latex(formulas.DAE_LOSS)
prose(t("denoising.manifold"))
prose(t("denoising.corruptions"))
for col, name in zip(st.columns(3), NAMES):
    col.latex(noise.CORRUPTIONS[name].formula)
sources = (noise.gaussian, noise.masking, noise.salt_and_pepper, Autoencoder.training_loss)
code_expander(t("denoising.source"), *sources, icon=":material/code:")

# ---- 1 · the field on a curve -------------------------------------------------------
st.header(t("denoising.field.heading"))
prose(t("denoising.field.explain"))
st.latex(formulas.TWEEDIE)
prose(t("denoising.field.explain2"))
field_knobs = ["dataset", "sigma", "epochs", "width", "latent_dim", "n_samples", "sweep"]
fcfg = settings_form(FIELD, FieldConfig(), field_knobs, columns=4)
fres = training_panel(FIELD, fcfg, experiment="denoising_field", auto=True)
if fres is not None:
    m, a = fres.metrics, fres.arrays
    keys = ("projection_cosine", "score_cosine", "score_magnitude_ratio", "distance_ratio")
    metric_row(FIELD, m, keys, 3)
    claims_box(FIELD, get("denoising_field"), m, fmt(m, 3))
    names = labels("denoising.field.fig", "title", "noisy", "clean", "curve", "tweedie", "arrows")
    cos = dict(cos=num(m["projection_cosine"], 3), opt=num(m["optimal_projection_cosine"], 3))
    caption = t(f"{FIELD}.fig.summary", band=num(3 * a["sigma"], 3), **cos)
    chart(fig.field_figure(a, names), "denoising.field.fig", caption)
    field_texts(m, a)
    plane_panel("denoising_field", fres, fcfg.dataset)
    names |= labels("denoising.field.fig", "learned", "true", title="score_title")
    caption = t(f"{FIELD}.fig.score_summary", cos=num(m["score_cosine"], 3))
    chart(fig.score_figure(a, names), "denoising.field.score", caption)
    dist = dict(before=num(a["d_before"], 3), after=num(a["d_after"], 3))
    ratios = dict(ratio=num(m["distance_ratio"], 3), opt=num(m["optimal_distance_ratio"], 3))
    st.caption(t(f"{FIELD}.fig.distance_summary", **dist, **ratios))
    if "sweep" in a:
        sweep_chart(a)
    derivation(FIELD, t(f"{FIELD}.derivation.title"), denoising_steps(m, a))
exercises(LESSON, FIELD, fcfg, fres, experiment="denoising_field")
if fres is not None:
    recap(LESSON, fres.metrics, experiment="denoising_field", prefix=FIELD)

# ---- 2 · images ---------------------------------------------------------------------
st.header(t("denoising.images.heading"))
prose(t("denoising.images.explain"))
st.latex(r"\mathrm{PSNR}(x, \hat x) = 10\,\log_{10}\frac{1}{\frac1D\lVert x-\hat x\rVert^2}\ \text{dB}")
prose(t("denoising.images.pca"))
image_knobs = ["gaussian", "masking", "salt_and_pepper", "latent_dim", "loss", "epochs", "sweep", "probe"]
icfg = on_sidebar_data(settings_form(IMAGES, ImagesConfig(), image_knobs, columns=4, url_prefix="img_"))
prose(t("denoising.images.loss_text", loss=t(f"options.{icfg.loss}")))
images = load_dataset(icfg.dataset)
if images.image_shape is not None:
    sample = images.X[one_per_class(images.y, SHOW)]
    levels = {n: getattr(icfg, n) for n in NAMES}
    rows = {t("denoising.images.fig.clean"): sample}
    rows |= {t(f"denoising.images.name.{n}"): noise.corrupt_array(n, sample, levels[n], icfg.seed) for n in NAMES}
    preview = image_grid(rows, images.image_shape, t("denoising.images.preview"))
    chart(preview, "denoising.preview", t("denoising.images.preview_summary", **levels))
ires = training_panel(IMAGES, icfg, experiment="denoising_images", auto=fres is not None)
if ires is None and fres is None:
    show_notice()
if ires is not None:
    m, a = ires.metrics, ires.arrays
    claims_box(IMAGES, get("denoising_images"), m, fmt(m, 3))
    st.caption(t("denoising.images.epochs", epochs=int(m["epochs_run"])))
    kinds = labels("denoising.images.name", *NAMES)
    if a["image_shape"] is not None:
        grid = {t("denoising.images.fig.clean"): a["grids"][NAMES[0]]["clean"]}
        for n in NAMES:
            grid |= {f"{kinds[n]}: {t(f'denoising.images.fig.{r}')}": a["grids"][n][r] for r in ("noisy", "dae", "pca")}
        psnrs = [{k: num(m[f"psnr_{k}_{n}"], 3) for k in ("noisy", "dae", "pca")} for n in NAMES]
        summary = " ".join(
            t("denoising.images.grid_summary", name=kinds[n], k=int(m[f"pca_k_{n}"]), **p) for n, p in zip(NAMES, psnrs)
        )
        chart(image_grid(grid, a["image_shape"], t("denoising.images.grids")), "denoising.grids", summary)
    if a["sweep"]:
        names = labels("denoising.images.fig", "noisy", "dae", "pca", "x_gaussian", "x_masking", "x_salt_and_pepper")
        names |= kinds | labels("denoising.images", title="sweep_title")
        caption = t("denoising.images.sweep_summary", pairs=sweep_pairs(a, kinds))
        chart(fig.psnr_sweep_figure(a["sweep"], a["levels"], names), "denoising.sweep", caption)
    else:
        st.caption(t("denoising.images.sweep_hint"))
    draw_panel("denoising_images", ires, icfg.dataset)
    st.subheader(t("denoising.images.uses"))
    prose(t("denoising.images.uses_explain"))
    if "probe_accuracy_ae" in m:
        probe_part(m, kinds, images.dim)
        robust_part(m, kinds, images.dim)
    else:
        st.caption(t("denoising.images.probe_hint"))
    effect_button(IMAGES, icfg)
exercises(LESSON, IMAGES, icfg, ires, experiment="denoising_images")
selfcheck(LESSON)
if ires is not None:
    recap(LESSON, ires.metrics, experiment="denoising_images", prefix=IMAGES)
references.sources("denoising")
