"""Lesson 8: the variational autoencoder, its ELBO and objective, and generating from a prior."""

import inspect
from dataclasses import replace

import numpy as np
import streamlit as st

from aecore import theory
from aecore.data import image_dataset_names
from aecore.experiments import get
from aecore.experiments.vae import VAEExperimentConfig, interpolate, latent_grid
from aecore.figures import generative as gen
from aecore.figures.common import image_grid
from aecore.generative import nearest_sq_distance
from aecore.models.vae import VAE
from ui import sidebar
from ui.generative import active_text, claim_notes, data_label, objective_text, sample_texts, two_d_text
from ui.i18n import t
from ui.panel import training_panel
from ui.widgets import claims_box, fmt, settings_form

LESSON = "vae"
st.title(t("vae.title"))
st.markdown(t("vae.explain"))
st.caption(t("vae.notation"))
st.subheader(t("vae.bridge_title"))
st.markdown(t("vae.bridge"))
st.latex(
    r"p_{\text{enc}}(h|x)=\delta\big(h-f(x)\big)\ \longrightarrow\ q_\phi(z|x)=\mathcal N\big(\mu_\phi(x),"
    r"\mathrm{diag}\,\sigma_\phi^2(x)\big),\qquad "
    r"-\log p_{\text{dec}}(x|h)=\frac{\lVert x-g(h)\rVert^2}{2\sigma^2}+\text{const}"
)
st.latex(
    r"\log p_\theta(x)\ \ge\ \mathrm{ELBO}=\mathbb{E}_{q_\phi(z|x)}\big[\log p_\theta(x|z)\big]"
    r"-D_{KL}\big(q_\phi(z|x)\,\|\,p(z)\big),\qquad p(z)=\mathcal N(0,I)"
)
st.latex(
    r"\mathcal L_\beta=-\mathbb{E}_{q_\phi(z|x)}\big[\log p_\theta(x|z)\big]"
    r"+\beta\,D_{KL}\big(q_\phi(z|x)\,\|\,p(z)\big),\qquad -\mathcal L_\beta=\mathrm{ELBO}+(1-\beta)\,D_{KL}"
)
st.latex(r"z=\mu_\phi(x)+\sigma_\phi(x)\odot\varepsilon,\qquad \varepsilon\sim\mathcal N(0,I)")
st.latex(
    r"D_{KL}\big(\mathcal N(\mu,\mathrm{diag}\,\sigma^2)\,\|\,\mathcal N(0,I)\big)"
    r"=-\tfrac12\sum_{j=1}^{k}\big(1+\log\sigma_j^2-\mu_j^2-\sigma_j^2\big)"
)
st.markdown(t("vae.objective"))
st.markdown(t("vae.likelihoods"))
with st.expander(t("vae.source")):
    funcs = (VAE.reparameterize, VAE.neg_log_likelihood, VAE.elbo_terms, VAE.objective, theory.kl_std_normal_per_dim)
    st.code("\n".join(inspect.getsource(f) for f in funcs), language="python")

data = sidebar.dataset()
if data not in image_dataset_names():
    st.info(t("vae.data_fallback"), icon=":material/info:")
    data = "digits"
fields = ["latent_dim", "likelihood", "beta", "sigma_x", "epochs", "seed"]
cfg = replace(settings_form(LESSON, VAEExperimentConfig(dataset=data), fields), dataset=data)
res = training_panel(LESSON, cfg, auto=True)


def _elbo_split(res) -> None:
    m, a, k = res.metrics, res.arrays, cfg.latent_dim
    st.caption(
        t("vae.data_note", data=data_label(cfg.dataset))
        + " "
        + t("vae.trained_for", epochs=a["epochs"], batch=a["batch_size"])
    )
    cols = st.columns(5)
    for col, key in zip(cols, ("elbo", "beta_objective", "recon", "kl", "active_units")):
        col.metric(t(f"vae.metric.{key}"), f"{m[key]:.4g}" if key != "active_units" else f"{int(m[key])} / {k}")
    st.markdown(objective_text(m, cfg.beta))
    note = "vae.grey_pixels" if cfg.likelihood == "bernoulli" else "vae.gaussian_note"
    st.markdown(t(note, **fmt(m, 4)))
    st.info(active_text(m, k), icon=":material/insights:")
    left, right = st.columns(2)
    curves = {t("vae.fig.recon"): a["recon_history"], t("vae.fig.kl"): a["kl_dim_history"].sum(1)}
    names = {"title": t("vae.fig.split"), "x": t("panel.epoch"), "y": t("vae.fig.nats")}
    left.plotly_chart(gen.elbo_split_figure(curves, names), key="vae.split")
    left.caption(t("vae.fig.split_summary", **fmt(m, 4)))
    names = {"title": t("vae.fig.kl_dim"), "y": t("vae.fig.nats"), "threshold": t("vae.fig.threshold")}
    right.plotly_chart(gen.kl_per_dim_figure(a["kl_per_dim"], a["active_threshold"], names), key="vae.kl_dim")
    right.caption(t("vae.fig.kl_dim_summary", active=int(m["active_units"]), k=k))
    names = {"title": t("vae.fig.kl_history"), "x": t("panel.epoch"), "y": t("vae.fig.nats")}
    st.plotly_chart(gen.kl_history_figure(a["kl_dim_history"], a["active_threshold"], names), key="vae.kl_history")
    st.caption(t("vae.fig.kl_history_summary"))


def _samples(res) -> None:
    m, a = res.metrics, res.arrays
    st.subheader(t("vae.samples_title"))
    st.markdown(t("vae.samples_explain"))
    if a["image_shape"] is not None:
        rows = {t(f"vae.fig.{r}_row"): a["samples"][r][:15] for r in ("vae", "ae", "ae_fitted")}
        st.plotly_chart(image_grid(rows, a["image_shape"], t("vae.fig.samples")), key="vae.samples")
    st.caption(t("vae.fig.samples_summary", acc=f"{a['classifier_accuracy']:.3f}", **_pct(m), **fmt(m, 3)))
    for text in sample_texts(m):
        st.markdown(text)
    claims_box(LESSON, get(LESSON), m, fmt(m, 3))
    for note in claim_notes(m, get(LESSON).check_claims(m), cfg.beta):
        st.caption(note)


def _pct(m) -> dict[str, str]:
    return {f"inside_{k}": f"{100 * m[f'prior_inside_{k}_codes']:.0f}" for k in ("vae", "ae")}


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
    st.plotly_chart(image_grid(rows, a["image_shape"], t("vae.fig.interp")), key="vae.interp")
    dist = {k: nearest_sq_distance(p[1:-1], a["X"]).mean() / a["X"].shape[1] for k, p in path.items()}
    key = "vae.fig.interp_vae" if dist["vae"] < dist["ae"] else "vae.fig.interp_ae"
    st.caption(t(key, **{k: f"{v:.3g}" for k, v in dist.items()}))


def _two_d(res2) -> None:
    a, m = res2.arrays, res2.metrics
    names = {"title": t("vae.fig.posterior"), "prior": t("vae.fig.prior")}
    st.plotly_chart(gen.posterior_figure(a["mu"], a["logvar"], a["labels"], names), key="vae.posterior")
    inside = 100 * np.mean(np.linalg.norm(a["mu"], axis=1) <= 2.0)
    st.caption(t("vae.fig.posterior_summary", inside=f"{inside:.0f}"))
    if a["image_shape"] is not None:
        n = int(st.slider(t("vae.grid_size"), 5, 25, 15, key="vae.grid_n"))
        values, images = latent_grid(res2.models["vae"], n)
        st.plotly_chart(gen.latent_grid_figure(values, images, a["image_shape"], t("vae.fig.grid")), key="vae.grid")
        st.caption(t("vae.fig.grid_summary", lo=f"{values[0]:.2f}", hi=f"{values[-1]:.2f}"))
    st.info(two_d_text(m), icon=":material/info:")


if res is not None:
    _elbo_split(res)
    _samples(res)
    if res.arrays["image_shape"] is not None:
        _interpolation(res)
    st.subheader(t("vae.two_d_title"))
    cfg2 = replace(cfg, latent_dim=2)
    res2 = res if cfg2 == cfg else training_panel("vae2d", cfg2, experiment="vae", auto=True)
    if res2 is not None:
        _two_d(res2)
st.markdown(t("vae.next_page", page=t("elbo_gap.nav")))
