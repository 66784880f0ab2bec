"""Lesson 8: the variational autoencoder, its ELBO and objective, and generating from a prior."""

from dataclasses import replace

import numpy as np
import streamlit as st

from aecore import theory
from aecore.experiments import get
from aecore.experiments.vae import (
    INTERP_PAIR,
    INTERP_STEPS,
    VAEExperimentConfig,
    interpolate,
    interpolation_nn_mse,
    latent_grid,
    mu_inside_2sd,
)
from aecore.figures import generative as gen
from aecore.figures.common import image_grid
from aecore.maths.generative import AUTO_EPOCHS, ROWS_SEEN
from aecore.models.vae import VAE
from lessons.parts.generative import (
    VAE_LATEX,
    active_text,
    objective_text,
    sample_texts,
    scores_table,
    two_d_text,
)
from ui.kit import references
from ui.kit.i18n import t
from ui.kit.page import chart, code_expander, fmt, labels, metric_row, num, on_sidebar_data, prose
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.touch.latent import walk_panel
from ui.touch.pad import draw_panel
from ui.touch.traverse import traverse_panel

LESSON = "vae"
st.title(t("vae.title"))
objectives(LESSON)
prose(t("vae.explain"))
st.caption(t("vae.notation"))
st.subheader(t("vae.bridge_title"))
prose(t("vae.bridge"))
st.page_link("lessons/07_denoising.py", label=t("vae.dae_link"), icon=":material/blur_off:")
for formula in VAE_LATEX:
    st.latex(formula)
prose(t("vae.objective"))
prose(t("vae.likelihoods"))
sources = (VAE.reparameterize, VAE.neg_log_likelihood, VAE.elbo_terms, VAE.objective, theory.kl_std_normal_per_dim)
code_expander(t("vae.source"), *sources)

fields = ["latent_dim", "likelihood", "beta", "sigma_x", "epochs", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, VAEExperimentConfig(), fields))
res = training_panel(LESSON, cfg, auto=True)


def _elbo_split(res) -> None:
    m, a, k = res.metrics, res.arrays, cfg.latent_dim
    auto = dict(auto=num(ROWS_SEEN), lo=num(ROWS_SEEN // AUTO_EPOCHS[1]), hi=num(ROWS_SEEN // AUTO_EPOCHS[0]))
    rows = num(a["epochs"] * len(a["X"]))
    st.caption(t("vae.trained_for", epochs=a["epochs"], batch=a["batch_size"], rows=rows, **auto))
    keys = ("elbo", "beta_objective", "recon", "kl", "active_units")
    metric_row(LESSON, m, keys, {"active_units": lambda v: f"{int(v)} / {k}"})
    prose(objective_text(m, cfg.beta))
    prose(t("vae.grey_pixels" if cfg.likelihood == "bernoulli" else "vae.gaussian_note", **fmt(m)))
    st.info(active_text(m, k), icon=":material/insights:")
    left, right = st.columns(2)
    with left:
        curves = {t("vae.fig.recon"): a["recon_history"], t("vae.fig.kl"): a["kl_dim_history"].sum(1)}
        names = labels("vae.fig", title="split", y="nats") | {"x": t("panel.epoch")}
        chart(gen.elbo_split_figure(curves, names), "vae.split", t("vae.fig.split_summary", **fmt(m)))
    with right:
        names = labels("vae.fig", "threshold", title="kl_dim", y="nats")
        caption = t("vae.fig.kl_dim_summary", active=int(m["active_units"]), k=k)
        chart(gen.kl_per_dim_figure(a["kl_per_dim"], a["active_threshold"], names), "vae.kl_dim", caption)
    names = labels("vae.fig", title="kl_history", y="nats") | {"x": t("panel.epoch")}
    history = gen.kl_history_figure(a["kl_dim_history"], a["active_threshold"], names)
    chart(history, "vae.kl_history", t("vae.fig.kl_history_summary"))


def _samples(res) -> None:
    m, a = res.metrics, res.arrays
    st.subheader(t("vae.samples_title"))
    prose(t("vae.samples_explain"))
    inside = {f"inside_{k}": num(100 * m[f"prior_inside_{k}_codes"], 3) for k in ("vae", "ae")}
    caption = t("vae.fig.samples_summary", n=num(cfg.n_samples), **inside)
    if a["image_shape"] is not None:
        rows = {t(f"vae.fig.{r}_row"): a["samples"][r][:15] for r in ("vae", "ae", "ae_fitted")}
        chart(image_grid(rows, a["image_shape"], t("vae.fig.samples")), "vae.samples", caption)
    else:
        st.caption(caption)
    if "coverage_vae" in m:
        scores_table(m, a["classifier_accuracy"], cfg.n_samples)
    for text in sample_texts(m):
        prose(text)
    claims_box(LESSON, get(LESSON), m, fmt(m, 3))


def _interpolation(res) -> None:
    a, m = res.arrays, res.metrics
    st.subheader(t("vae.interp_title"))
    n, (i0, j0) = len(a["X"]) - 1, INTERP_PAIR
    c1, c2, c3 = st.columns(3)
    i = int(c1.number_input(t("vae.interp_a"), 0, n, i0, key="vae.interp_i"))
    j = int(c2.number_input(t("vae.interp_b"), 0, n, j0, key="vae.interp_j"))
    steps = int(c3.slider(t("vae.interp_steps"), 3, 15, INTERP_STEPS, key="vae.interp_steps"))
    path = interpolate(res, i, j, steps)
    ends = np.full((steps, a["X"].shape[1]), np.nan)
    ends[0], ends[-1] = a["X"][i], a["X"][j]
    rows = {
        t("vae.fig.inputs", a=a["labels"][i], b=a["labels"][j]): ends,
        t("vae.fig.ae_interp"): path["ae"],
        t("vae.fig.vae_interp"): path["vae"],
    }
    measured = {k: m.get(f"interp_nn_mse_{k}") for k in path}  # the run's own, for the pair it opens with
    default = (i, j, steps) == (i0, j0, INTERP_STEPS) and None not in measured.values()
    dist = measured if default else interpolation_nn_mse(path, a["X"])
    key = "vae.fig.interp_vae" if dist["vae"] < dist["ae"] else "vae.fig.interp_ae"
    chart(image_grid(rows, a["image_shape"], t("vae.fig.interp")), "vae.interp", t(key, **fmt(dist, 3)))


def _two_d(res2) -> None:
    a, m = res2.arrays, res2.metrics
    names = labels("vae.fig", "prior", title="posterior")
    inside = num(100 * m.get("mu_inside_2sd", mu_inside_2sd(a["mu"])), 3)
    caption = t("vae.fig.posterior_summary", inside=inside)
    chart(gen.posterior_figure(a["mu"], a["logvar"], a["labels"], names), "vae.posterior", caption)
    if a["image_shape"] is not None:
        n = int(st.slider(t("vae.grid_size"), 5, 25, 15, key="vae.grid_n"))
        values, images = latent_grid(res2.models["vae"], n)
        caption = t("vae.fig.grid_summary", lo=f"{values[0]:.2f}", hi=f"{values[-1]:.2f}")
        chart(gen.latent_grid_figure(values, images, a["image_shape"], t("vae.fig.grid")), "vae.grid", caption)
    st.info(two_d_text(m), icon=":material/info:")


if res is not None:
    _elbo_split(res)
    _samples(res)
    if res.arrays["image_shape"] is not None:
        _interpolation(res)
    draw_panel(LESSON, res, cfg.dataset)
    if cfg.latent_dim != 2:  # at k = 2 the 2-D view below interpolates, on its maps
        walk_panel(LESSON, res, cfg.dataset, parts=("interp",))
    traverse_panel(res, cfg.dataset)
    st.subheader(t("vae.two_d_title"))
    cfg2 = replace(cfg, latent_dim=2)
    res2 = res if cfg2 == cfg else training_panel("vae2d", cfg2, experiment="vae", auto=True)
    if res2 is not None:
        _two_d(res2)
        walk_panel(LESSON, res2, cfg.dataset)
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
prose(t("vae.next_page"))
st.page_link("lessons/08b_elbo_gap.py", label=t("elbo_gap.nav"), icon=":material/difference:")
references.sources("vae")
