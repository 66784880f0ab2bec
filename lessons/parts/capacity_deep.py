"""Parts of lesson 4's page (lessons/04_capacity.py): what the units of each layer respond to,
greedy layer-wise pretraining against end-to-end training, and the buttons to the two deep
views (``aecore.experiments.capacity_claims``). Texts: capacity.toml."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from aecore.experiments import capacity
from aecore.experiments import capacity_claims as cc
from aecore.experiments.capacity import CapacityConfig
from aecore.figures import capacity as fc
from ui.kit.i18n import stage_labels, t
from ui.kit.page import chart, labels, loss_chart, metric_row, num, prose
from ui.kit.widgets import open_view

LESSON = "capacity"


def depth_section(cfg: CapacityConfig, m: dict, a: dict) -> None:
    """Feature tiles and label purity by layer of the end-to-end undercomplete model."""
    st.subheader(t("capacity.depth.heading"))
    if not (a["features"] and a["image_shape"] is not None):
        st.caption(t("capacity.depth.hint"))
        return
    prose(t("capacity.depth.explain"))
    rows = [t("capacity.depth.layer", i=i + 1) for i in range(cfg.depth)] + [t("capacity.depth.code")]
    caption = purity_words(m, rows) if "purity_layer_1" in m else None
    if caption and "greedy_heldout_mse" in m and cc.stalled(m):
        caption += " " + t("capacity.depth.stalled")
    chart(
        fc.feature_grid(a["features"], a["image_shape"], rows, t("capacity.depth.features")),
        "capacity.features",
        caption,
    )


def purity_words(m: dict, rows: list[str]) -> str:
    """Purity by layer, trained and at the random start, and whether training made it rise more."""
    trained, start = ([m[f"{p}_layer_{i + 1}"] for i in range(len(rows))] for p in ("purity", "purity_untrained"))
    rise = (trained[-1] - trained[0]) - (start[-1] - start[0])  # the rise training added
    trend = "rises" if rise >= capacity.PURITY_RISE else "flat"
    words = [
        t(f"capacity.depth.{key}", values=", ".join(f"{r} {num(p, 2)}" for r, p in zip(rows, values)))
        for key, values in (("purity", trained), ("purity_untrained", start))
    ]
    words.append(t(f"capacity.depth.purity_{trend}", rise=num(capacity.PURITY_RISE)))
    return " ".join([*words, t("capacity.depth.purity_scale")])


def greedy_section(cfg: CapacityConfig, m: dict, words: dict, histories: dict) -> None:
    """Greedy stages + fine-tuning against end-to-end: errors, curves, and why they differ."""
    if "greedy_data_mse" not in m:
        if cfg.pretrain:
            st.info(t("capacity.greedy.skipped"), icon=":material/info:")
        else:
            st.caption(t("capacity.greedy.hint"))
        return
    st.subheader(t("capacity.greedy.heading"))
    prose(t("capacity.greedy.explain"))
    greedy = labels("capacity.greedy", greedy_stacked_data_mse="stacked", greedy_data_mse="finetuned")
    greedy |= labels("capacity.greedy", undercomplete_data_mse="end_to_end")
    metric_row(LESSON, m, list(greedy), 3, names=greedy)
    shown = (capacity.GREEDY_LAYER, capacity.GREEDY_FINETUNE, capacity.UNDERCOMPLETE)
    curves = stage_labels({k: v for k, v in histories.items() if k.partition(":")[0] in shown})
    better = m["greedy_data_mse"] < m["undercomplete_data_mse"]
    caption = t(
        "capacity.greedy.summary_" + ("better" if better else "worse"),
        greedy=words["greedy_data_mse"],
        e2e=words["undercomplete_data_mse"],
    )
    loss_chart(curves, "capacity.greedy_loss", t("capacity.greedy.loss"), caption=caption)
    held = {k: num(m[k], 3) for k in ("undercomplete_heldout_mse", "greedy_heldout_mse", "mean_heldout_mse")}
    case = "stalled" if cc.stalled(m) else "trained"
    prose(t(f"capacity.greedy.{case}", activation=cfg.activation, depth=cfg.depth, epochs=words["epochs_used"], **held))


def view_buttons(cfg: CapacityConfig) -> None:
    """One click to the deep view (ELU) and to the view where greedy pretraining matters."""
    views = (
        ("capacity.depth.open_deep", cc.DEEP_VIEW, ":material/layers:"),
        ("capacity.greedy.open_effect", cc.GREEDY_VIEW, ":material/science:"),
    )
    for column, (label, view, icon) in zip(st.columns(2), views, strict=True):
        shown = cfg == replace(cfg, **view)
        column.button(t(label), on_click=open_view, args=(LESSON, cfg, view), icon=icon, disabled=shown)
