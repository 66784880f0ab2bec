"""Lesson 9a: segmentation with a U-Net — an encoder–decoder that draws a mask, with and
without skip connections (Ronneberger, Fischer and Brox, 2015)."""

import numpy as np
import streamlit as st

from aecore.experiments import get
from aecore.experiments.unet import UNetConfig
from aecore.figures import applications as fig
from aecore.figures.common import image_grid
from aecore.models.unet import bce_dice_loss
from ui.i18n import t
from ui.kit import chart, claims_box, code_expander, metric_row, prose
from ui.panel import training_panel
from ui.widgets import settings_form

LESSON = "unet"
NETS = {"U-Net": "pred_skip", "no skips": "pred_noskip"}  # result key -> label key under unet.fig
st.title(t("unet.title"))
prose(t("unet.explain"))
st.latex(
    r"\mathcal{L} = -\frac{1}{N}\sum_p\big[y_p\log\sigma(s_p)+(1-y_p)\log(1-\sigma(s_p))\big]"
    r" + 1-\frac{2\sum_p \sigma(s_p)\,y_p}{\sum_p\sigma(s_p)+\sum_p y_p},\qquad "
    r"\mathrm{IoU}=\frac{|P\cap Y|}{|P\cup Y|}"
)

cfg = settings_form(LESSON, UNetConfig(), ["epochs", "width", "n_train", "clutter", "noise", "seed"])
res = training_panel(LESSON, cfg, auto=True)
if res is not None:
    m, a = res.metrics, res.arrays
    metric_row(LESSON, m, ("iou_skip", "iou_noskip", "params_skip", "params_noskip"))
    claims_box(LESSON, get(LESSON), m)
    s = cfg.image_size
    rows = {t("unet.fig.input"): np.clip(a["inputs"], 0, 1), t("unet.fig.truth"): a["truth"]}
    rows |= {t(f"unet.fig.{label}"): a["pred"][net] for net, label in NETS.items()}
    grid = image_grid(
        {k: v.reshape(len(v), -1) for k, v in rows.items()}, (s, s), t("unet.fig.segmentation"), height=460
    )
    ious = {net: ", ".join(f"{v:.2f}" for v in a["per_image_iou"][net]) for net in NETS}
    caption = t("unet.fig.segmentation_summary", skip=ious["U-Net"], noskip=ious["no skips"])
    chart(grid, "unet.grid", caption)
    which = st.radio(
        t("unet.fig.which"),
        list(NETS),
        horizontal=True,
        key="unet.which",
        format_func=lambda k: t(f"unet.fig.{NETS[k]}"),
    )
    layers = ["enc1", "enc2", "bottleneck", "dec2", "dec1"]
    maps = fig.feature_maps_figure(a["maps"][which], layers, 6, t("unet.fig.maps"))
    chart(maps, "unet.maps", t("unet.fig.maps_summary"))
    code_expander(t("unet.source"), bce_dice_loss)
prose(t("unet.note"))
