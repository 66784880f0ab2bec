"""Lesson 9: applications — U-Net segmentation, anomaly detection, SAE features."""

import inspect
from dataclasses import replace

import numpy as np
import streamlit as st

from aecore.config import ConfigError
from aecore.experiments import get
from aecore.experiments.anomaly import AnomalyConfig
from aecore.experiments.sae_features import SAEConfig
from aecore.experiments.unet import UNetConfig
from aecore.figures import applications as fig
from aecore.figures.common import image_grid
from aecore.models.unet import bce_dice_loss
from aecore.sae import SparseAutoencoder
from ui.i18n import error_text, t
from ui.jobs import Job
from ui.panel import training_panel
from ui.widgets import claims_box, fmt, settings_form

LESSONS = ("unet", "anomaly", "sae_features")  # one tab each, one training panel each
st.title(t("applications.title"))
st.markdown(t("applications.intro"))


def _running(key: str) -> Job | None:
    job = st.session_state.get(key)
    ok = isinstance(job, Job) and not job.done.is_set() and not job.superseded
    return job if ok and not job.cancel.is_set() else None


def panel(lesson: str, cfg):
    """The training panel of one tab. A tab trains by itself when no other tab of this
    session is training (so the three defaults train one after the other), or at once
    when its settings were just changed (which ends the other tab's run; that one
    resumes later). ``ui.panel.start`` keeps one job per session, so tabs never fight."""
    seen_key = f"{lesson}.seen_cfg"
    changed = st.session_state.get(seen_key, cfg) != cfg
    st.session_state[seen_key] = cfg
    busy = any(_running(f"{other}.job") for other in LESSONS if other != lesson)
    res = training_panel(lesson, cfg, auto=changed or not busy)
    if res is None and busy and _running(f"{lesson}.job") is None:
        st.info(t("applications.waiting"), icon=":material/hourglass_top:")
    return res


def metric_row(lesson: str, m: dict, keys: tuple[str, ...]) -> None:
    for col, key in zip(st.columns(len(keys)), keys):
        col.metric(t(f"{lesson}.metric.{key}"), f"{m[key]:.4g}")


def unet_tab() -> None:
    st.markdown(t("unet.explain"))
    st.latex(
        r"\mathcal{L} = -\frac{1}{N}\sum_p\big[y_p\log\sigma(s_p)+(1-y_p)\log(1-\sigma(s_p))\big]"
        r" + 1-\frac{2\sum_p \sigma(s_p)\,y_p}{\sum_p\sigma(s_p)+\sum_p y_p},\qquad "
        r"\mathrm{IoU}=\frac{|P\cap Y|}{|P\cup Y|}"
    )
    cfg = settings_form(
        "unet", UNetConfig(), ["epochs", "width", "n_train", "clutter", "noise", "seed"], url_prefix="unet_"
    )
    res = panel("unet", cfg)
    if res is None:
        return
    m, a = res.metrics, res.arrays
    metric_row("unet", m, ("iou_skip", "iou_noskip", "params_skip", "params_noskip"))
    claims_box("unet", get("unet"), m, fmt(m))
    s = cfg.image_size
    rows = {
        t("unet.fig.input"): np.clip(a["inputs"], 0, 1),
        t("unet.fig.truth"): a["truth"],
        t("unet.fig.pred_skip"): a["pred"]["U-Net"],
        t("unet.fig.pred_noskip"): a["pred"]["no skips"],
    }
    st.plotly_chart(
        image_grid(
            {k: v.reshape(len(v), -1) for k, v in rows.items()},
            (s, s),
            t("unet.fig.segmentation"),
            height=460,
        ),
        key="unet.grid",
    )
    ious = a["per_image_iou"]
    st.caption(
        t(
            "unet.fig.segmentation_summary",
            skip=", ".join(f"{v:.2f}" for v in ious["U-Net"]),
            noskip=", ".join(f"{v:.2f}" for v in ious["no skips"]),
        )
    )
    which = st.radio(
        t("unet.fig.which"),
        ["U-Net", "no skips"],
        horizontal=True,
        key="unet.which",
        format_func=lambda k: t("unet.fig.pred_skip" if k == "U-Net" else "unet.fig.pred_noskip"),
    )
    layers = ["enc1", "enc2", "bottleneck", "dec2", "dec1"]
    st.plotly_chart(fig.feature_maps_figure(a["maps"][which], layers, 6, t("unet.fig.maps")), key="unet.maps")
    st.caption(t("unet.fig.maps_summary"))
    with st.expander(t("applications.source")):
        st.code(inspect.getsource(bce_dice_loss), language="python")


def anomaly_tab() -> None:
    st.markdown(t("anomaly.explain"))
    st.latex(
        r"s(x)=\frac1D\lVert x-g_\phi(f_\theta(x))\rVert^2,\qquad "
        r"\mathrm{AUC}=P\big(s(x_{\text{anomaly}})>s(x_{\text{normal}})\big)"
    )
    normal = st.multiselect(
        t("anomaly.knob.normal_classes"),
        list(range(10)),
        default=[0, 1, 2, 3, 4],
        key="anomaly.normal",
    )
    cfg = settings_form(
        "anomaly",
        AnomalyConfig(),
        ["latent_dim", "hidden", "epochs", "seed"],
        columns=4,
        url_prefix="anomaly_",
    )
    try:
        cfg = replace(cfg, normal_classes=tuple(sorted(normal)))
    except ConfigError as exc:
        st.error(t("panel.invalid", message=error_text(exc)), icon=":material/error:")
        return
    res = panel("anomaly", cfg)
    if res is None:
        return
    m, a = res.metrics, res.arrays
    metric_row("anomaly", m, ("roc_auc", "pca_roc_auc", "normal_score_mean", "anomaly_score_mean"))
    claims_box("anomaly", get("anomaly"), m, fmt(m))
    names = {
        "normal": t("anomaly.fig.normal"),
        "anomaly": t("anomaly.fig.anomaly"),
        "x": t("anomaly.fig.log_score"),
        "title": t("anomaly.fig.histograms"),
    }
    st.plotly_chart(
        fig.score_histograms_figure(a["scores"], a["labels"], a["anomalous"], names),
        key="anomaly.hist",
    )
    st.caption(
        t(
            "anomaly.fig.histograms_summary",
            normal=f"{m['normal_score_mean']:.4f}",
            anomaly=f"{m['anomaly_score_mean']:.4f}",
        )
    )
    left, right = st.columns(2)
    with left:
        curves = {
            t("anomaly.fig.ae_curve", auc=f"{m['roc_auc']:.3f}"): a["roc"],
            t("anomaly.fig.pca_curve", auc=f"{m['pca_roc_auc']:.3f}"): a["pca_roc"],
        }
        st.plotly_chart(
            fig.roc_figure(
                curves,
                {
                    "chance": t("anomaly.fig.chance"),
                    "x": t("anomaly.fig.fpr"),
                    "y": t("anomaly.fig.tpr"),
                    "title": t("anomaly.fig.roc"),
                },
            ),
            key="anomaly.roc",
        )
        st.caption(t("anomaly.fig.roc_summary", auc=f"{m['roc_auc']:.3f}", pca=f"{m['pca_roc_auc']:.3f}"))
    with right:
        X, R, worst, best = a["X"], a["recon"], a["worst"], a["best"]
        rows = {
            t("anomaly.fig.worst"): X[worst],
            t("anomaly.fig.recon"): R[worst],
            t("anomaly.fig.best"): X[best],
            t("anomaly.fig.recon") + " ": R[best],
        }
        st.plotly_chart(image_grid(rows, a["image_shape"], t("anomaly.fig.extremes")), key="anomaly.extremes")
        st.caption(
            t(
                "anomaly.fig.extremes_summary",
                worst=", ".join(str(a["labels"][i]) for i in worst),
                best=", ".join(str(a["labels"][i]) for i in best),
            )
        )


def sae_tab() -> None:
    st.markdown(t("sae_features.explain"))
    st.latex(
        r"z=\mathrm{TopK}\big(W_e(a-b_d)+b_e\big),\quad \hat a=W_d z+b_d,\qquad "
        r"\mathrm{EV}=1-\frac{\sum\lVert a-\hat a\rVert^2}{\sum\lVert a-\bar a\rVert^2},\quad "
        r"L_0=\frac1n\sum_i\#\{j: z_{ij}>0\}"
    )
    cfg = settings_form(
        "sae_features",
        SAEConfig(),
        ["expansion", "sparsity", "k", "l1", "aux_coef", "sae_epochs", "hidden", "seed"],
        columns=4,
        url_prefix="sae_",
    )
    res = panel("sae_features", cfg)
    if res is None:
        return
    m, a = res.metrics, res.arrays
    metric_row(
        "sae_features",
        m,
        (
            "explained_variance",
            "l0",
            "dead_fraction",
            "dict_size",
            "classifier_accuracy",
            "spliced_accuracy",
        ),
    )
    claims_box("sae_features", get("sae_features"), m, fmt(m))
    freq, z = a["freq"], a["z"]
    order = [int(j) for j in np.argsort(-freq, kind="stable")]
    j = st.selectbox(
        t("sae_features.pick"),
        order,
        key=f"sae_features.feature.{z.shape[1]}",
        format_func=lambda j: t(
            "sae_features.option",
            j=j,
            freq=f"{100 * freq[j]:.1f}",
            cls=int(a["class_mean"][:, j].argmax()),
        ),
    )
    top = a["top_idx"][j][z[a["top_idx"][j], j] > 0]
    if top.size:
        st.plotly_chart(
            image_grid(
                {t("sae_features.fig.top"): a["X"][top]},
                a["image_shape"],
                t("sae_features.fig.top_title", j=j),
                height=170,
            ),
            key="sae_features.top",
        )
        st.caption(t("sae_features.fig.top_summary", labels=", ".join(str(a["y"][i]) for i in top)))
    else:
        st.warning(t("sae_features.dead_feature", j=j), icon=":material/block:")
    left, right = st.columns(2)
    with left:
        vals = z[:, j][z[:, j] > 0]
        st.plotly_chart(
            fig.activation_histogram(
                vals,
                {
                    "x": t("sae_features.fig.activation"),
                    "y": t("sae_features.fig.count"),
                    "title": t("sae_features.fig.hist", j=j),
                },
            ),
            key="sae_features.hist",
        )
        st.caption(t("sae_features.fig.hist_summary", n=vals.size, total=z.shape[0]))
    with right:
        eff = a["logit_effect"][j]
        st.plotly_chart(
            fig.logit_effect_figure(
                eff,
                {
                    "x": t("sae_features.fig.class"),
                    "y": t("sae_features.fig.dlogit"),
                    "title": t("sae_features.fig.effect", j=j),
                },
            ),
            key="sae_features.effect",
        )
        st.caption(t("sae_features.fig.effect_summary", up=int(eff.argmax()), down=int(eff.argmin())))
    st.plotly_chart(
        fig.feature_density_figure(
            freq,
            j,
            {
                "x": t("sae_features.fig.rank"),
                "y": t("sae_features.fig.freq"),
                "title": t("sae_features.fig.density"),
                "selected": t("sae_features.fig.selected"),
            },
        ),
        key="sae_features.density",
    )
    st.caption(t("sae_features.fig.density_summary", dead=int((freq == 0).sum()), m=freq.size))
    with st.expander(t("applications.source")):
        st.code(inspect.getsource(SparseAutoencoder.training_loss), language="python")


tabs = st.tabs([t("applications.tab.unet"), t("applications.tab.anomaly"), t("applications.tab.sae")])
for tab, draw in zip(tabs, (unet_tab, anomaly_tab, sae_tab)):
    with tab:
        draw()
st.markdown(t("applications.note"))
