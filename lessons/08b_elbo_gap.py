"""Lesson 8b: the ELBO derived, its gap measured on a 2-D VAE, and the KL between Gaussians."""

from dataclasses import replace

import streamlit as st

from aecore.config import ConfigError
from aecore.data import image_dataset_names, load_dataset
from aecore.experiments import get
from aecore.experiments.elbo_gap import ElboGapConfig, gap_report
from aecore.experiments.vae import GaussianPair, kl_calculator
from aecore.figures import generative as gen
from aecore.figures.common import image_grid
from ui import sidebar
from ui.derivation import derivation
from ui.generative import data_label, elbo_steps, kl_steps
from ui.i18n import error_text, t
from ui.panel import training_panel
from ui.widgets import claims_box, fmt, settings_form

LESSON = "elbo_gap"
st.title(t("elbo_gap.title"))
st.markdown(t("elbo_gap.explain"))
data = sidebar.dataset()
if data not in image_dataset_names():
    st.info(t("elbo_gap.data_fallback"), icon=":material/info:")
    data = "digits"
fields = ["likelihood", "sigma_x", "epochs", "is_samples", "grid", "seed"]
cfg = replace(settings_form(LESSON, ElboGapConfig(dataset=data), fields), dataset=data)
res = training_panel(LESSON, cfg, auto=True)


def _for_image(res, index: int):
    """(metrics, arrays) of the chosen image: the run's own, or computed with its model."""
    if index == cfg.image:
        return res.metrics, res.arrays
    memo = st.session_state.setdefault("elbo_gap.reports", {})
    key = (cfg, index)
    if key not in memo:
        x = load_dataset(cfg.dataset).X[index]
        if len(memo) > 8:  # a few images per session at most
            memo.clear()
        memo[key] = gap_report(res.models["vae"], x, cfg.is_samples, cfg.grid, cfg.seed)
    return memo[key]


def _gap(res) -> dict[str, float]:
    a0 = res.arrays
    st.caption(t("elbo_gap.data_note", data=data_label(cfg.dataset), epochs=a0["epochs"]))
    n = len(a0["labels"]) - 1
    index = int(st.number_input(t("elbo_gap.image_pick"), 0, n, cfg.image, key="elbo_gap.image"))
    m, a = _for_image(res, index)
    st.subheader(t("elbo_gap.gap_title"))
    left, right = st.columns([3, 1])
    names = {k: t(f"elbo_gap.fig.{k}") for k in ("title", "post", "q", "draws", "post_mean", "q_mean")}
    left.plotly_chart(gen.gap_figure(a, names), key="elbo_gap.fig")
    if a0["image_shape"] is not None:
        rows = {t("elbo_gap.image_row"): a["image"][None], t("elbo_gap.recon_row"): a["recon"][None]}
        right.plotly_chart(image_grid(rows, a0["image_shape"], t("elbo_gap.fig.image")), key="elbo_gap.image_fig")
        right.caption(t("elbo_gap.image_label", index=index, label=a0["labels"][index]))
    edge, q_mass = f"{m['grid_edge_mass']:.1e}", f"{m['q_mass_on_grid']:.4f}"
    st.caption(t("elbo_gap.gap_caption", n=cfg.grid, edge=edge, q_mass=q_mass, **fmt(m, 3)))
    cols = st.columns(5)
    for col, key in zip(cols, ("log_px", "log_px_grid", "elbo", "kl_to_posterior", "posterior_correlation")):
        col.metric(t(f"elbo_gap.metric.{key}"), f"{m[key]:.4g}")
    numbers = {**fmt(m, 4), "gap": f"{m['log_px'] - m['elbo']:.4g}", "samples": f"{cfg.is_samples:,}"}
    st.markdown(t("elbo_gap.identity_summary", ess=f"{m['importance_ess']:.0f}", **numbers))
    claims_box(LESSON, get(LESSON), m, fmt(m, 3))
    if cfg.likelihood == "bernoulli":
        st.caption(t("elbo_gap.grey_note"))
    return m


def _calculator() -> dict | None:
    st.subheader(t("elbo_gap.calc_title"))
    st.markdown(t("elbo_gap.calc_explain"))
    cols = st.columns(5)
    vals = [
        c.number_input(t(f"elbo_gap.calc.{k}"), value=float(getattr(GaussianPair, k)), format="%g", key=f"vae.calc.{k}")
        for c, k in zip(cols, ("mu1", "sigma1", "mu2", "sigma2"))
    ]
    draws = int(cols[4].number_input(t("elbo_gap.calc.samples"), 10, 1_000_000, 10_000, step=1000, key="vae.calc.n"))
    try:
        pair = GaussianPair(*vals, samples=draws)
    except ConfigError as exc:
        st.error(t("panel.invalid", message=error_text(exc)), icon=":material/error:")
        return None
    kl = kl_calculator(pair)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("elbo_gap.calc.closed"), f"{kl['closed']:.5f}")
    c2.metric(t("elbo_gap.calc.mc"), f"{kl['mc']:.5f} ± {kl['se']:.5f}")
    c3.metric(t("elbo_gap.calc.reverse"), f"{kl['reverse']:.5f}")
    names = {
        "q": "q = N(μ₁, σ₁²)",
        "p": "p = N(μ₂, σ₂²)",
        "y": t("elbo_gap.calc.density"),
        "title": t("elbo_gap.calc.fig"),
    }
    fig = gen.gaussians_figure(pair.mu1, pair.sigma1, pair.mu2, pair.sigma2, names)
    st.plotly_chart(fig, key="vae.calc.fig")
    summary = {k: f"{kl[k]:.4g}" for k in ("closed", "mc", "se")}
    st.caption(t("elbo_gap.calc.summary", z=f"{kl['z']:.2f}", rel=f"{kl['rel_error']:.2g}", **summary))
    return kl


m = _gap(res) if res is not None else None
if m is not None:
    derivation("elbo_gap.elbo", t("elbo_gap.derive.elbo_title"), elbo_steps(m, cfg.grid, cfg.is_samples))
    st.subheader(t("elbo_gap.independence_title"))
    share = 100 * m["independence_cost"] / max(m["kl_to_posterior"], 1e-12)
    st.markdown(t("elbo_gap.independence", share=f"{share:.0f}", **fmt(m, 3)))
st.subheader(t("elbo_gap.kl_title"))
kl = _calculator()
if m is not None:
    derivation("elbo_gap.kl", t("elbo_gap.derive.kl_title"), kl_steps(m, kl))
with st.expander(t("elbo_gap.errata_title"), icon=":material/edit_note:"):
    st.markdown(t("elbo_gap.errata"))
