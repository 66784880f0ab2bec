"""Lesson 2: a linear autoencoder trained with squared error recovers PCA's subspace."""

import streamlit as st

from aecore.data.registry import DataError, load_dataset
from aecore.experiments import get
from aecore.experiments.pca import LINEAR_AE, PCAConfig
from aecore.figures import basic
from aecore.figures.common import image_grid, loss_figure
from aecore.maths import linear_ae
from lessons.parts import formulas
from lessons.parts.pca import lindec_part
from ui.kit.derivation import Step, derivation
from ui.kit.i18n import t
from ui.kit.page import chart, labels, metric_row, num, on_sidebar_data, one_per_class, prose
from ui.kit.references import sources
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.shell import sidebar
from ui.touch.pad import draw_panel

LESSON = "pca"
FIELDS = ["latent_dim", "linear_solver", "linear_epochs", "linear_lr", "linear_batch", "deep_epochs", "sweep"]
st.title(t("pca.title"))
objectives(LESSON)
st.latex(formulas.PCA_BOUND)
prose(t("pca.explain") + "\n\n" + t("pca.training"))


def _default_k() -> int:
    """k = 8, or fewer on data with at most 8 features (a 3-D swiss roll takes k ≤ 2)."""
    try:
        return max(1, min(8, load_dataset(sidebar.dataset()).dim - 1))
    except DataError:
        return 8


cfg = on_sidebar_data(settings_form(LESSON, PCAConfig(latent_dim=_default_k()), FIELDS))
res = training_panel(LESSON, cfg, auto=True)


def _derivation(m: dict, a: dict, k: int) -> None:
    checks = linear_ae.derivation_checks(m, k, a["X"].shape[1], a["X"].shape[0], lambda v: num(v, 2))
    steps = [
        Step(tex, t(f"pca.derivation.{key}"), t(f"pca.derivation.{key}_check", **checks[key]))
        for tex, key in linear_ae.DERIVATION
    ]
    derivation(LESSON, t("pca.derivation.title"), steps)


if res is not None:
    m, a, k = res.metrics, res.arrays, cfg.latent_dim
    keys = ("pca_mse", "pca_bound", "linear_ae_mse", "max_principal_angle_deg", "deep_ae_mse")
    metric_row(LESSON, m, keys, {k_: 3 if "angle" in k_ else 4 for k_ in keys})
    claims_box(LESSON, get(LESSON), m)
    als, ratio = cfg.linear_solver == "als", f"{m['linear_ae_mse'] / m['pca_mse']:.6f}"
    left, right = st.columns(2)
    with left:
        names = labels("pca.fig", "discarded", x="index", y="eigenvalue", title="spectrum") | {
            "kept": t("pca.fig.kept", k=k)
        }
        caption = t("pca.fig.spectrum_summary", k=k, bound=num(m["pca_bound"]))
        chart(basic.spectrum_figure(a["eigvals"], k, names), "pca.spectrum", caption)
    with right:
        xlabel = t("pca.fig.loss_x_als") if als else t("panel.epoch")
        lin = {t("pca.fig.linear"): res.histories.get(LINEAR_AE, [])}
        fig = loss_figure(
            lin, t("pca.fig.loss"), refs={t("pca.fig.optimum"): m["pca_bound"]}, xlabel=xlabel, ylabel="MSE"
        )
        chart(fig, "pca.loss", t("pca.fig.loss_summary", ratio=ratio))
    left, right = st.columns(2)
    with left:
        names = labels("pca.fig", title="angles", y="angle_deg", rate="angle_rate", measured="linear")
        limit = get(LESSON).claim("same_subspace").threshold
        names |= {"x": xlabel, "limit": t("pca.fig.angle_limit", limit=num(limit))}
        fig = basic.angle_trace_figure(a["angle_trace"], names, m["eigengap_ratio"] if als else None, limit)
        chart(fig, "pca.angles", t("pca.fig.angles_summary", angle=num(m["max_principal_angle_deg"], 3), k=k))
    with right:
        chart(basic.gram_figure(a["gram"], t("pca.fig.gram")), "pca.gram", t("pca.fig.gram_summary"))
    certs = {c: num(m[f"{n}_certificate_deg"], 3) for c, n in (("cert", "angle"), ("cert_tol", "tolerance"))}
    gap = dict(gap=num(m["eigengap_ratio"]), k=k, ratio=ratio, angle=num(m["max_principal_angle_deg"], 3))
    # The certificate bounds the angle from above; below it only when the excess error is lost in rounding.
    rounded = m["angle_certificate_deg"] < m["max_principal_angle_deg"]
    run = t("pca.run_rounding" if rounded else "pca.run_cert", **gap, **certs)
    tol = num(100 * (get(LESSON).claim("linear_matches_pca").threshold - 1))
    prose(t("pca.note", **gap, cert_tol=certs["cert_tol"], run=run, tol=tol))
    if a["image_shape"] is not None:
        idx = one_per_class(a["labels"])
        rows = {
            t("pca.fig.original"): a["X"][idx],
            t("pca.fig.pca_row", k=k): a["recon"]["pca"][idx],
            t("pca.fig.linear_row"): a["recon"]["linear"][idx],
            t("pca.fig.deep_row"): a["recon"]["deep"][idx],
        }
        chart(image_grid(rows, a["image_shape"], t("pca.fig.recon")), "pca.recon")
    draw_panel(LESSON, res, cfg.dataset)
    lindec_part(m)
    names = labels("pca.fig", pca="pca_curve", deep="deep_curve", title="error_k") | {"x": "k", "y": "MSE"}
    caption = None if a["sweep"] else t("pca.fig.sweep_hint")
    chart(basic.error_vs_k_figure(a["pca_curve"], a["sweep"], names), "pca.error_k", caption)
    _derivation(m, a, k)
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources("pca")
