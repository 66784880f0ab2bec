"""Page pieces of lesson 5 that would crowd its page: the derivation steps (one line of
maths, one translated sentence, numbers from the run) and the table of every model with
the sentences its numbers support; the active paths of one input (note 003's drawing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import streamlit as st

from aecore.experiments.sparse import ACTIVE, BATCH, DECODER_GREW, KL_COSTS, MOST
from aecore.figures.drawings import active_paths
from ui.kit.derivation import Step
from ui.kit.i18n import t
from ui.kit.page import cells, chart, num

KL = r"\Omega_{KL}"
DRHO = r"\partial\hat\rho_j"
SLOPE = r"\frac1{|B|}\sum_{i\in B}h_{ij}(1-h_{ij})"


def sparse_steps(m: Mapping[str, float], k: int) -> list[Step]:
    """Lesson 5: why KL keeps units alive and L1 lets them die (Ng 2011)."""
    d = "sparse.derivation"
    return [
        Step(
            KL + r"=\beta\sum_j\Big[\rho\log\frac{\rho}{\hat\rho_j}+(1-\rho)\log\frac{1-\rho}{1-\hat\rho_j}\Big]",
            t(f"{d}.s1"),
        ),
        Step(
            rf"\frac{{\partial{KL}}}{{{DRHO}}}=\beta\Big(-\frac{{\rho}}{{\hat\rho_j}}+\frac{{1-\rho}}{{1-\hat\rho_j}}\Big)",
            t(f"{d}.s2"),
            t(f"{d}.c2", k=k, err=num(m["kl_grad_rel_error"], 2)),
        ),
        Step(
            rf"\frac{{\partial{KL}}}{{{DRHO}}}=\beta\,\frac{{\hat\rho_j-\rho}}{{\hat\rho_j(1-\hat\rho_j)}}"
            r"\ \xrightarrow[\hat\rho_j\to0]{}\ -\infty",
            t(f"{d}.s3"),
            t(f"{d}.c3", dead=int(m["kl_dead_units"]), k=k),
        ),
        Step(
            r"\Omega_{L1}=\alpha\frac1{|B|}\sum_{i\in B}\sum_j h_{ij}=\alpha\sum_j\hat\rho_j"
            rf"\ \Rightarrow\ \frac{{\partial\Omega_{{L1}}}}{{{DRHO}}}=\alpha",
            t(f"{d}.s4"),
            t(f"{d}.c4", dead=int(m["l1_dead_units"]), k=k),
        ),
        Step(
            rf"\frac{{\partial{KL}}}{{\partial b_j}}=\frac{{\partial{KL}}}{{{DRHO}}}\,{SLOPE}\to-\beta\rho,"
            rf"\qquad\frac{{\partial\Omega_{{L1}}}}{{\partial b_j}}=\alpha\,{SLOPE}\to0",
            t(f"{d}.s5"),
        ),
    ]


PATH_SETS = 100  # the active-path caption counts the distinct sets of firing units among this many inputs
TABLE = (
    "mean_activation",
    "fraction_active",
    "dead_units",
    "zero_fraction",
    "recon_mse",
    "w_enc",
    "w_dec",
    "small_weights",
)


def sparse_table(m: Mapping[str, float], trained: Sequence[str], pen: Mapping[str, str], k: int) -> dict[str, int]:
    """Lesson 5's table of every model and the sentences it supports, chosen by the numbers
    (dead units, the L1 model's decoder growth, Lasso against L1 on the code); the dead counts."""
    rows = [
        {t("sparse.table.penalty"): pen[p], **{t(f"sparse.table.{c}"): m[f"{p}_{c}"] for c in TABLE}} for p in trained
    ]
    st.dataframe(cells(rows), hide_index=True, width="stretch")
    pct = {
        f"{p}_{c}": num(100 * m[f"{p}_{c}"], 3)
        for p in trained
        for c in ("zero_fraction", "small_weights", "fraction_active")
    }
    dead = {f"{p}_dead": int(m[f"{p}_dead_units"]) for p in trained}
    if "kl" in trained:
        summary = t("sparse.table.summary_kl", hidden=k, **dead)
        ratio = m["kl_recon_mse"] / m["none_recon_mse"]
        if ratio > KL_COSTS:  # the sentence is true only when KL costs reconstruction
            summary += " " + t("sparse.table.kl_cost", kl_ratio=num(ratio, 3))
    else:
        zeros = dict(l1_zeros=pct["l1_zero_fraction"], none_zeros=pct["none_zero_fraction"])
        summary = t("sparse.table.summary_relu", hidden=k, **zeros, **dead)
    st.caption(summary + " " + t("sparse.table.epochs", epochs=int(m["epochs_run"]), batch=BATCH))
    grew = m["l1_w_dec"] > DECODER_GREW * m["none_w_dec"]
    decoders = dict(l1_dec=num(m["l1_w_dec"], 3), none_dec=num(m["none_w_dec"], 3))
    st.markdown(t("sparse.table.weights_grew" if grew else "sparse.table.weights_kept", **decoders))
    split = m["l1_weights_small_weights"] > MOST > m["l1_small_weights"]
    split = split and m["l1_weights_fraction_active"] > m["l1_fraction_active"]
    lasso = dict(
        lasso_small=pct["l1_weights_small_weights"],
        l1_small=pct["l1_small_weights"],
        lasso_on=pct["l1_weights_fraction_active"],
        l1_on=pct["l1_fraction_active"],
    )
    st.markdown(t("sparse.table.lasso" if split else "sparse.table.lasso_not", **lasso))
    return dead


def active_path_view(a: Mapping, code: str, penalty: str, pen: Mapping[str, str]) -> None:
    """Note 003's picture from the trained models: which code units fire for one input in
    the plain AE and in a sparse one (the page's penalty when it is L1 or KL on the code)."""
    codes = a["codes"]
    sparse = penalty if penalty in ("l1", "kl") else ("kl" if "kl" in codes else "l1")
    st.subheader(t("sparse.paths.title"))
    st.markdown(t("sparse.paths.explain"))
    n, k = len(codes["none"]), codes["none"].shape[1]
    i = int(st.number_input(t("sparse.paths.input"), 0, n - 1, 0, key="sparse.paths.i"))
    on = {p: codes[p] > ACTIVE[code] for p in ("none", sparse)}
    count = {p: int(on[p][i].sum()) for p in on}
    names = {p: t("sparse.paths.panel", model=pen[p], on=count[p], k=k) for p in on}
    names |= {"title": t("sparse.paths.fig_title", i=i, label=a["labels"][i])}
    names |= {s: t(f"sparse.paths.{s}") for s in ("x", "h", "xhat")}
    fig = active_paths({p: codes[p][i] for p in on}, ACTIVE[code], names)
    first = slice(0, min(n, PATH_SETS))
    sets = {p: len({tuple(np.flatnonzero(row)) for row in on[p][first]}) for p in on}
    mean = {p: num(on[p].sum(1).mean(), 3) for p in on}
    numbers = dict(plain=pen["none"], sparse=pen[sparse], k=k, rows=first.stop)
    numbers |= dict(
        mean_plain=mean["none"], mean_sparse=mean[sparse], sets_plain=sets["none"], sets_sparse=sets[sparse]
    )
    chart(fig, "sparse.paths", t("sparse.paths.summary", **numbers))
