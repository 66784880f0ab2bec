"""Lesson 8: the variational autoencoder, its ELBO split, and why it can generate."""

from dataclasses import replace

import numpy as np
import streamlit as st

from aecore import theory
from aecore.config import ConfigError
from aecore.experiments import get
from aecore.experiments.vae import (
    GaussianPair,
    VAEExperimentConfig,
    interpolate,
    kl_calculator,
    latent_grid,
)
from aecore.figures import generative as gen
from aecore.figures.common import image_grid
from aecore.models.vae import VAE
from ui import references
from ui.i18n import error_text, t
from ui.kit import chart, claims_box, code_expander, fmt, labels, loss_chart, metric_row, prose
from ui.panel import training_panel
from ui.widgets import settings_form

LESSON = "vae"
st.title(t("vae.title"))
prose(t("vae.explain"))
st.latex(
    r"\log p(x)\ \ge\ \mathrm{ELBO}=\mathbb{E}_{q_\theta(z|x)}\big[\log p_\phi(x|z)\big]"
    r"-\beta\,D_{KL}\big(q_\theta(z|x)\,\|\,\mathcal N(0,I)\big)"
)
st.latex(r"z=\mu_\theta(x)+\sigma_\theta(x)\odot\varepsilon,\qquad \varepsilon\sim\mathcal N(0,I)")
st.latex(
    r"D_{KL}\big(\mathcal N(\mu,\mathrm{diag}\,\sigma^2)\,\|\,\mathcal N(0,I)\big)"
    r"=-\tfrac12\sum_{j=1}^{k}\big(1+\log\sigma_j^2-\mu_j^2-\sigma_j^2\big)"
)
prose(t("vae.likelihoods"))
sources = (VAE.reparameterize, VAE.neg_log_likelihood, VAE.elbo_terms, VAE.objective, theory.kl_std_normal_per_dim)
code_expander(t("vae.source"), *sources)

cfg = settings_form(LESSON, VAEExperimentConfig(), ["latent_dim", "likelihood", "beta", "sigma_x", "epochs", "seed"])
res = training_panel(LESSON, cfg, auto=True)


def _elbo_split(res) -> None:
    m, a, k = res.metrics, res.arrays, cfg.latent_dim
    metric_row(LESSON, m, ("elbo", "recon", "kl", "active_units"), {"active_units": lambda v: f"{int(v)} / {k}"})
    if m["active_units"] < k:
        st.warning(t("vae.collapse", inactive=k - int(m["active_units"]), k=k), icon=":material/warning:")
    left, right = st.columns(2)
    with left:
        split = {t("vae.fig.recon"): a["recon_history"], t("vae.fig.kl"): a["kl_dim_history"].sum(1)}
        caption = t("vae.fig.split_summary", recon=f"{m['recon']:.2f}", kl=f"{m['kl']:.2f}")
        loss_chart(split, "vae.split", t("vae.fig.split"), ylabel=t("vae.fig.nats"), caption=caption)
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
    rows = {t("vae.fig.vae_row"): a["samples"]["vae"][:15], t("vae.fig.ae_row"): a["samples"]["ae"][:15]}
    caption = t("vae.fig.samples_summary", acc=f"{a['classifier_accuracy']:.3f}", **fmt(m, 3))
    chart(image_grid(rows, a["image_shape"], t("vae.fig.samples")), "vae.samples", caption)
    claims_box(LESSON, get(LESSON), m, fmt(m, 3))


def _interpolation(res) -> None:
    a = res.arrays
    st.subheader(t("vae.interp_title"))
    n = len(a["X"]) - 1
    c1, c2, c3 = st.columns(3)
    i = int(c1.number_input(t("vae.interp_a"), 0, n, 0, key="vae.interp_i"))
    j = int(c2.number_input(t("vae.interp_b"), 0, n, 1, key="vae.interp_j"))
    steps = int(c3.slider(t("vae.interp_steps"), 3, 15, 10, key="vae.interp_steps"))
    path = interpolate(res, i, j, steps)
    ends = np.full((steps, a["X"].shape[1]), np.nan)
    ends[0], ends[-1] = a["X"][i], a["X"][j]
    rows = {
        t("vae.fig.inputs", a=a["labels"][i], b=a["labels"][j]): ends,
        t("vae.fig.ae_interp"): path["ae"],
        t("vae.fig.vae_interp"): path["vae"],
    }
    chart(image_grid(rows, a["image_shape"], t("vae.fig.interp")), "vae.interp", t("vae.fig.interp_summary"))


def _two_d(res2) -> None:
    a, m = res2.arrays, res2.metrics
    names = labels("vae.fig", "prior", title="posterior")
    chart(
        gen.posterior_figure(a["mu"], a["logvar"], a["labels"], names), "vae.posterior", t("vae.fig.posterior_summary")
    )
    n = int(st.slider(t("vae.grid_size"), 5, 25, 15, key="vae.grid_n"))
    values, images = latent_grid(res2.models["vae"], n)
    caption = t("vae.fig.grid_summary", lo=f"{values[0]:.2f}", hi=f"{values[-1]:.2f}")
    chart(gen.latent_grid_figure(values, images, a["image_shape"], t("vae.fig.grid")), "vae.grid", caption)
    st.info(t("vae.two_d_note", **fmt(m, 3)), icon=":material/info:")


if res is not None:
    _elbo_split(res)
    _samples(res)
    _interpolation(res)
    st.subheader(t("vae.two_d_title"))
    cfg2 = replace(cfg, latent_dim=2)
    res2 = res if cfg2 == cfg else training_panel("vae2d", cfg2, experiment="vae", auto=True)
    if res2 is not None:
        _two_d(res2)

st.subheader(t("vae.calc_title"))
prose(t("vae.calc_explain"))
st.latex(
    r"D_{KL}(q\,\|\,p)=\tfrac12\Big[\log\frac{\sigma_2^2}{\sigma_1^2}+\frac{\sigma_1^2}"
    r"{\sigma_2^2}+\frac{(\mu_1-\mu_2)^2}{\sigma_2^2}-1\Big]"
)
cols = st.columns(5)
vals = [
    c.number_input(t(f"vae.calc.{k}"), value=float(getattr(GaussianPair, k)), format="%g", key=f"vae.calc.{k}")
    for c, k in zip(cols, ("mu1", "sigma1", "mu2", "sigma2"))
]
draws = int(cols[4].number_input(t("vae.calc.samples"), 10, 1_000_000, 10_000, step=1000, key="vae.calc.samples"))
try:
    pair = GaussianPair(*vals, samples=draws)
except ConfigError as exc:
    st.error(t("panel.invalid", message=error_text(exc)), icon=":material/error:")
else:
    kl = kl_calculator(pair)
    shown = {"closed": kl["closed"], "mc": kl["mc"], "reverse": kl["reverse"]}
    formats = {"closed": ".5f", "reverse": ".5f", "mc": lambda v: f"{v:.5f} ± {kl['se']:.5f}"}
    metric_row("vae.calc", shown, list(shown), formats, names=labels("vae.calc", *shown))
    names = labels("vae.calc", y="density", title="fig") | {"q": "q = N(μ₁, σ₁²)", "p": "p = N(μ₂, σ₂²)"}
    z = abs(kl["mc"] - kl["closed"]) / max(kl["se"], 1e-300)
    caption = t("vae.calc.summary", closed=f"{kl['closed']:.4f}", mc=f"{kl['mc']:.4f}", z=f"{z:.2f}")
    chart(gen.gaussians_figure(pair.mu1, pair.sigma1, pair.mu2, pair.sigma2, names), "vae.calc.fig", caption)
references.sources("vae")
