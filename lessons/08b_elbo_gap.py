"""Lesson 8b: the ELBO derived, its gap measured on a 2-D VAE, and the KL between Gaussians."""

import streamlit as st

from aecore.config import ConfigError
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.elbo_gap import ElboGapConfig, gap_report
from aecore.experiments.vae import GaussianPair, kl_calculator
from aecore.figures import generative as gen
from aecore.figures.common import image_grid
from lessons.parts.generative import elbo_steps, kl_steps
from ui.kit import references
from ui.kit.derivation import derivation
from ui.kit.i18n import error_text, t
from ui.kit.page import chart, fmt, labels, metric_row, num, on_sidebar_data, prose
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime import results
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.touch.latent import walk_panel

LESSON = "elbo_gap"
st.title(t("elbo_gap.title"))
objectives(LESSON)
prose(t("elbo_gap.explain"))
fields = ["likelihood", "sigma_x", "epochs", "is_samples", "grid", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, ElboGapConfig(), fields))
res = training_panel(LESSON, cfg, auto=True)


def _for_image(res, index: int):
    """(metrics, arrays) of the chosen image: the run's own, or computed with its model."""
    if index == cfg.image:
        return res.metrics, res.arrays
    key = ("elbo_gap.report", cfg, index)  # kept in the session's own store, bounded in bytes
    found = results.recall(key)
    if found is None:
        x = load_dataset(cfg.dataset).X[index]
        found = results.remember(key, gap_report(res.models["vae"], x, cfg.is_samples, cfg.grid, cfg.seed))
    return found


def _gap(res) -> dict[str, float]:
    a0 = res.arrays
    st.caption(t("elbo_gap.trained_for", epochs=a0["epochs"]))
    n = len(a0["labels"]) - 1
    index = int(st.number_input(t("elbo_gap.image_pick"), 0, n, cfg.image, key="elbo_gap.image"))
    m, a = _for_image(res, index)
    st.subheader(t("elbo_gap.gap_title"))
    left, right = st.columns([3, 1])
    with left:
        names = labels("elbo_gap.fig", "title", "post", "q", "draws", "post_mean", "q_mean")
        numbers = {"n": cfg.grid, "edge": num(m["grid_edge_mass"], 2), "q_mass": num(m["q_mass_on_grid"], 5)}
        chart(gen.gap_figure(a, names), "elbo_gap.fig", t("elbo_gap.gap_caption", **numbers, **fmt(m, 3)))
    if a0["image_shape"] is not None:
        with right:
            rows = {t("elbo_gap.image_row"): a["image"][None], t("elbo_gap.recon_row"): a["recon"][None]}
            caption = t("elbo_gap.image_label", index=index, label=a0["labels"][index])
            chart(image_grid(rows, a0["image_shape"]), "elbo_gap.image_fig", caption)
    shown = ("log_px", "log_px_grid", "elbo", "kl_to_posterior", "mismatch_nats", "posterior_correlation")
    metric_row(LESSON, m, shown, per_row=3)
    numbers = {"gap": num(m["log_px"] - m["elbo"]), "samples": num(cfg.is_samples), "ess": num(m["importance_ess"], 3)}
    numbers |= {"share": num(100 * m["mismatch_share_of_kl"], 2), "z": num(m["mismatch_nats"] / m["mismatch_se"], 2)}
    prose(t("elbo_gap.identity_summary", **numbers, **fmt(m)))
    claims_box(LESSON, get(LESSON), m, fmt(m, 3))
    if cfg.likelihood == "bernoulli":
        st.caption(t("elbo_gap.grey_note"))
    return m


def _calculator() -> dict | None:
    prose(t("elbo_gap.calc_explain"))
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
    formats = {"closed": ".5f", "reverse": ".5f", "mc": lambda v: f"{v:.5f} ± {kl['se']:.5f}"}
    metric_row("elbo_gap.calc", kl, ("closed", "mc", "reverse"), formats, names=labels("elbo_gap.calc", *formats))
    names = labels("elbo_gap.calc", y="density", title="fig") | {"q": "q = N(μ₁, σ₁²)", "p": "p = N(μ₂, σ₂²)"}
    shown = fmt({k: kl[k] for k in ("closed", "mc", "se")})
    caption = t("elbo_gap.calc.summary", z=num(kl["z"], 3), rel=num(kl["rel_error"], 2), **shown)
    chart(gen.gaussians_figure(pair.mu1, pair.sigma1, pair.mu2, pair.sigma2, names), "vae.calc.fig", caption)
    return kl


m = _gap(res) if res is not None else None
walk_panel(LESSON, res, cfg.dataset)
if m is not None:
    derivation("elbo_gap.elbo", t("elbo_gap.derive.elbo_title"), elbo_steps(m, cfg.grid, cfg.is_samples))
    st.subheader(t("elbo_gap.independence_title"))
    share = num(100 * m["independence_cost"] / max(m["kl_to_posterior"], 1e-12), 2)
    rest = "rest" if m["independence_cost"] <= m["kl_to_posterior"] else "over"
    prose(t("elbo_gap.independence", share=share, **fmt(m, 3)) + " " + t(f"elbo_gap.independence_{rest}"))
st.subheader(t("elbo_gap.kl_title"))
above = st.container()  # the derivation reads above the calculator whose numbers it checks
kl = _calculator()
if m is not None:
    with above:
        derivation("elbo_gap.kl", t("elbo_gap.derive.kl_title"), kl_steps(m, kl))
with st.expander(t("elbo_gap.errata_title"), icon=":material/edit_note:"):
    prose(t("elbo_gap.errata"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
references.sources("elbo_gap")
