"""Lesson 9a: segmentation with a U-Net — an encoder–decoder that draws a mask, with and
without skip connections (Ronneberger, Fischer and Brox, 2015); and why it does not simply
copy its input through the skips (the same networks trained to copy, measured)."""

import numpy as np
import streamlit as st

from aecore.experiments import get
from aecore.experiments.unet import DEPTH, UNET, UNET_NO_SKIPS, UNetConfig
from aecore.figures import applications as fig
from aecore.figures.common import image_grid
from aecore.figures.drawings import unet_diagram
from aecore.models.unet import UNet, bce_dice_loss, copy_loss, map_shapes
from ui.kit.i18n import t
from ui.kit.page import chart, code_expander, labels, metric_row, num, prose
from ui.kit.references import sources
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel

LESSON = "unet"
NETS = {UNET: "pred_skip", UNET_NO_SKIPS: "pred_noskip"}  # model id -> label key under unet.fig
default = UNetConfig()
st.title(t("unet.title"))
objectives(LESSON)
prose(t("unet.explain", b=default.image_size // 4, n_test=default.n_test))
st.latex(
    r"\mathcal{L} = -\frac{1}{N}\sum_p\big[y_p\log\sigma(s_p)+(1-y_p)\log(1-\sigma(s_p))\big]"
    r" + 1-\frac{2\sum_p \sigma(s_p)\,y_p+1}{\sum_p\sigma(s_p)+\sum_p y_p+1},\qquad "
    r"\mathrm{IoU}=\frac{|P\cap Y|}{|P\cup Y|}"
)

fields = ["epochs", "width", "n_train", "clutter", "noise", "copy_epochs", "seed"]
cfg = settings_form(LESSON, default, fields, columns=4)
st.caption(t("unet.data_note"))
u_names = labels("unet.u", "title", "down", "up", "bottom", "skip", "pool", "up_conv", "box")
shapes = map_shapes(UNet(cfg.width, depth=DEPTH), cfg.image_size)  # the page's network, measured
(w, s), (w2, h), (wb, b) = shapes["enc1"], shapes["enc2"], shapes["bottleneck"]
u_sizes = dict(w=w, s=s, w2=w2, h=h, wb=wb, b=b, depth=DEPTH)
chart(unet_diagram(shapes, True, u_names), "unet.u", t("unet.u.summary", **u_sizes))
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
    per = a["per_image_iou"]
    ious = {net: ", ".join(f"{v:.2f}" for v in per[net]) for net in NETS}
    worse = sum(b < u for u, b in zip(per[UNET], per[UNET_NO_SKIPS]))
    n = len(per[UNET])
    caption = t("unet.fig.segmentation_summary", skip=ious[UNET], noskip=ious[UNET_NO_SKIPS], worse=worse, n=n)
    chart(grid, "unet.grid", caption)
    prose(t("unet.copy", epochs=cfg.copy_epochs))
    copied = {k: num(m[f"copy_mse_{k}"], 3) for k in ("skip", "noskip", "mean")}
    st.info(t("unet.copy_result", **copied), icon=":material/content_copy:")
    which = st.radio(
        t("unet.fig.which"),
        list(NETS),
        horizontal=True,
        key="unet.which",
        format_func=lambda k: t(f"unet.fig.{NETS[k]}"),
    )
    sizes = dict(s=s, h=s // 2, b=s // 4)
    part = {"e": "encoder", "b": "bottleneck", "d": "decoder"}  # by the map's name: enc1, bottleneck, dec1 …
    shown = {k: v for k, v in a["maps"][which].items() if k != "logits"}
    layers = {k: f"{t(f'unet.fig.layer.{part[k[0]]}')}<br>{v.shape[-1]}×{v.shape[-2]}" for k, v in shown.items()}
    maps = fig.feature_maps_figure(a["maps"][which], layers, 6, t("unet.fig.maps"))
    chart(maps, "unet.maps", t("unet.fig.maps_summary", **sizes))
    code_expander(t("unet.source"), bce_dice_loss, copy_loss)
prose(t("unet.note"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources(LESSON)
