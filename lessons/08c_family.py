"""Lesson 8c: the family side by side — plain, sparse, contractive, denoising and variational
autoencoders trained alike, one table (each column's winner computed) and one figure."""

import streamlit as st

from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.family import FamilyConfig, split
from aecore.figures.family import family_figure
from aecore.maths.generative import schedule
from lessons.parts.family import member_names, shown_texts, table
from ui.kit.i18n import t
from ui.kit.page import chart, num, on_sidebar_data, prose
from ui.kit.references import sources
from ui.kit.widgets import settings_form
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel

LESSON = "family"
st.title(t("family.title"))
prose(t("family.explain"))
st.latex(
    r"\begin{aligned}"
    r"\text{plain:}\quad&\tfrac1{nD}\textstyle\sum_i\lVert x_i-g(f(x_i))\rVert^2\\"
    r"\text{sparse:}\quad&\text{plain}+\beta\textstyle\sum_j\mathrm{KL}(\rho\,\|\,\hat\rho_j)\\"
    r"\text{contractive:}\quad&\text{plain}+\lambda\,\tfrac1n\textstyle\sum_i\lVert J_f(x_i)\rVert_F^2\\"
    r"\text{denoising:}\quad&\tfrac1{nD}\textstyle\sum_i\lVert x_i-g(f(x_i+\varepsilon_i))\rVert^2,"
    r"\ \varepsilon_i\sim\mathcal N(0,\sigma^2I)\\"
    r"\text{VAE:}\quad&-\mathbb E_{q_\phi(z|x)}\log p_\theta(x|z)"
    r"+\beta\,D_{KL}\big(q_\phi(z|x)\,\|\,\mathcal N(0,I)\big)"
    r"\end{aligned}"
)
fields = ["latent_dim", "sparse_beta", "rho", "lam", "sigma", "beta", "epochs", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, FamilyConfig(), fields, columns=4))
res = training_panel(LESSON, cfg, auto=True)

if res is not None:
    m, a = res.metrics, res.arrays
    prose(t("family.measures"))
    n_train, n_held = (len(part) for part in split(load_dataset(cfg.dataset).n, cfg.seed))
    epochs, batch = schedule(cfg, n_train)
    sizes = dict(epochs=epochs, batch=batch, rows=num(epochs * n_train), n_train=num(n_train), n_held=num(n_held))
    st.caption(t("family.trained_for", **sizes))
    table(m)
    names = member_names() | {"title": t("family.fig.title"), "map": t("family.fig.map")}
    scores = {
        p: t(
            "family.fig.scores",
            precision=num(m[f"precision_prior_{p}"], 2),
            coverage=num(m[f"coverage_prior_{p}"], 2),
            entropy=num(m[f"class_entropy_prior_{p}"], 2),
        )
        for p in a["maps"]
        if f"coverage_prior_{p}" in m
    }
    decodes = {p.removeprefix("prior_"): s for p, s in a["samples"].items()}
    fig = family_figure(a["maps"], a["map_labels"], decodes, a["image_shape"], names, scores)
    chart(fig, "family.figure", t("family.fig_summary"))
    claims_box(LESSON, get(LESSON), m)
    for text in shown_texts(m, cfg.latent_dim):
        prose(text)
    st.page_link("lessons/06_contractive.py", label=t("family.lesson6_link"), icon=":material/unfold_less:")
    st.page_link("lessons/07_denoising.py", label=t("family.lesson7_link"), icon=":material/blur_off:")
sources(LESSON)
