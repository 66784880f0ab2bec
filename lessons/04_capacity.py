"""Lesson 4: depth, width, under- and overcomplete codes — what a model copies, how a small
code still memorises, what units at each depth respond to, greedy pretraining."""

from dataclasses import replace

import streamlit as st

from aecore.experiments import capacity, get
from aecore.experiments.capacity import CapacityConfig
from aecore.figures import capacity as fc
from aecore.figures.common import image_grid
from lessons.parts import capacity_deep as deep
from lessons.parts import formulas
from ui.kit.i18n import current_lang, t
from ui.kit.page import chart, code_expander, labels, metric_row, num, on_sidebar_data, prose
from ui.kit.references import sources
from ui.kit.widgets import open_view, option_label, settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel

LESSON = "capacity"
FIELDS = [
    "depth",
    "width",
    "under_latent",
    "over_latent",
    "activation",
    "output",
    "epochs",
    "seed",
    "sweep",
    "few_rows",
    "pretrain",
]
ERRORS = [f"{model}_{part}_mse" for model in ("undercomplete", "overcomplete") for part in ("data", "heldout", "noise")]


def say(key: str, **extra) -> str:
    return t(f"capacity.{key}", **words, **extra)


st.title(t("capacity.title"))
objectives(LESSON)
prose(t("capacity.explain"))
st.latex(formulas.CODE_SIZES)
prose(t("capacity.explain_tests"))
cfg = on_sidebar_data(settings_form(LESSON, CapacityConfig(), FIELDS, columns=4))
with st.expander(t("capacity.slides.title"), icon=":material/school:"):
    st.latex(r"h=\sigma(Wx+b),\qquad x'=\sigma(W'h+b'),\qquad \mathcal L=\frac1N\sum_{i=1}^N\lVert x_i-x'_i\rVert^2")
    prose(t("capacity.slides.explain"))
    slides = cfg == replace(cfg, **capacity.SLIDES_EXAMPLE)
    st.button(
        t("capacity.slides.open"), on_click=open_view, args=(LESSON, cfg, capacity.SLIDES_EXAMPLE), disabled=slides
    )
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a, exp = res.metrics, res.arrays, get(LESSON)
    claims = exp.check_claims(m)
    words = {k: num(v, 3) for k, v in m.items()} | {k: str(v) for k, v in cfg.to_dict().items()}
    words |= {"rest_directions": int(m["input_dim"] - m["data_directions"]), "few_epochs": capacity.FEW_EPOCHS}
    st.caption(say("data_note", name=option_label("dataset", cfg.dataset, current_lang())))
    metric_row(LESSON, m, ERRORS, 3, per_row=3)
    claims_box(LESSON, exp, m)
    names = {x: say(f"fig.{x}") for x in ("undercomplete", "overcomplete")}
    names |= labels("capacity.fig", "mean", "data", "heldout", "noise", "mse", title="bars")
    kinds = ("undercomplete", "overcomplete")
    same = all(m[f"{x}_heldout_mse"] <= capacity.HELDOUT_SAME * m[f"{x}_data_mse"] for x in kinds)
    caption = [say("fig.heldout_" + ("same" if same else "differs")), say("fig.noise_pattern")]
    caption.append(say("fig.noise_over_" + ("below" if m["overcomplete_noise_mse"] < m["mean_noise_mse"] else "above")))
    caption.append(
        say("fig.noise_under_" + ("above" if m["undercomplete_noise_mse"] > m["mean_noise_mse"] else "below"))
    )
    chart(fc.error_bars(m, names), "capacity.bars", " ".join(caption))

    st.subheader(t("capacity.copy_heading"))
    prose(t("capacity.copy_explain"))
    st.latex(
        r"s = 1-\frac{\sum_i\lVert r(x_i+\delta_i)-r(x_i)-\delta_i\rVert^2}{\sum_i\lVert\delta_i\rVert^2},"
        r"\qquad r = g_\phi\circ f_\theta"
    )
    left, right = st.columns(2)
    with left:
        cnames = names | labels("capacity.fig", "share", title="copy_bars")
        cnames |= {"inside": say("fig.inside"), "outside": say("fig.outside")}
        caption = say("fig.copy_summary" if claims["copies_data_directions_only"] else "fig.copy_summary_odd")
        chart(fc.copy_bars(m, cnames), "capacity.copy", caption)
    with right:
        sw = a["sweep"]
        ks = sorted(sw)
        ends = dict(k_first=ks[0], k_last=ks[-1], first=num(sw[ks[0]][0], 3), last=num(sw[ks[-1]][0], 3))
        ends |= dict(noise_first=num(sw[ks[0]][1], 3), noise_last=num(sw[ks[-1]][1], 3))
        snames = labels("capacity.fig", "data", "noise", "mse", x="k", title="sweep") | {"d_line": say("fig.d_line")}
        caption = say("fig.sweep_summary", **ends) + ("" if cfg.sweep else " " + t("capacity.fig.sweep_hint"))
        chart(fc.sweep_figure(sw, int(m["input_dim"]), snames), "capacity.sweep", caption)
    if a["image_shape"] is not None:
        under, over = a["recon"]["undercomplete"], a["recon"]["overcomplete"]
        rows = {
            t("capacity.fig.original"): a["X_held"],
            t("capacity.fig.under_rec"): under["heldout"],
            t("capacity.fig.over_rec"): over["heldout"],
            t("capacity.fig.noise_input"): a["noise"],
            t("capacity.fig.under_noise"): under["noise"],
            t("capacity.fig.over_noise"): over["noise"],
        }
        grid = image_grid(rows, a["image_shape"], t("capacity.fig.images"))
        chart(grid, "capacity.images", t("capacity.fig.images_summary"))

    st.subheader(t("capacity.memorise.heading"))
    prose(say("memorise.explain"))
    ratio = num(m["memorise_heldout_mse"] / m["memorise_train_mse"], 3)
    caption = say("memorise." + ("summary" if claims["undercomplete_memorises"] else "summary_not"), ratio=ratio)
    mnames = labels("capacity.memorise", "train", "heldout", "network", "pca", title="bars")
    chart(fc.memorise_bars(m, mnames | {"mse": t("capacity.fig.mse")}), "capacity.memorise", caption)

    deep.depth_section(cfg, m, a)
    deep.greedy_section(cfg, m, words, res.histories)
    deep.view_buttons(cfg)
    code_expander(t("capacity.source"), capacity.greedy)
    prose(t("capacity.note"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources("capacity")
