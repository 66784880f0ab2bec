"""Lesson 3: the same points in 2-D by an AE, PCA, t-SNE and UMAP, with linked selection,
t-SNE's mechanism, and t-SNE's and UMAP's layouts drawn live while they form."""

import numpy as np
import streamlit as st

from aecore import embed
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.latent import METHODS, LatentConfig, ScalingConfig
from aecore.figures import basic, embedding
from aecore.figures.common import image_grid
from lessons.parts import latent as latent_views
from ui.kit.i18n import t
from ui.kit.page import chart, fmt, labels, num, on_sidebar_data, prose
from ui.kit.references import sources
from ui.kit.requests import ask_to_train
from ui.kit.widgets import settings_form
from ui.learn import exercises, objectives, recap, selfcheck
from ui.runtime.checks import claims_box
from ui.runtime.panel import training_panel
from ui.touch.latent import walk_panel
from ui.touch.pad import draw_panel

LESSON, SEL = "latent", "latent.selected"
st.title(t("latent.title"))
objectives(LESSON)
prose(t("latent.explain"))
with st.expander(t("latent.tsne_title"), icon=":material/hub:"):
    st.markdown(t("latent.tsne_explain"))
    names = labels("latent.kernel", "title", "x", "y", "gauss", "student") | {
        "level": t("latent.kernel.level", level=0.1)
    }
    chart(embedding.kernel_figure(names), "latent.kernel")

fields = ["epochs", "perplexity", "n_neighbors", "max_points", "seed"]
cfg = on_sidebar_data(settings_form(LESSON, LatentConfig(), fields, columns=5))
latent_views.manifold_view(cfg.dataset)
res = training_panel(LESSON, cfg, auto=True)


def _update_selection(events: dict) -> None:
    """The map whose selection changed (and is not empty) sets the shared selection."""
    last = st.session_state.setdefault("latent.last_events", {})
    for m, ev in events.items():
        pts = sorted({int(p["customdata"]) for p in ev.selection.get("points", []) if "customdata" in p}) if ev else []
        if pts and pts != last.get(m):
            st.session_state[SEL] = pts
        last[m] = pts


def _timeline(tl: dict, a: dict) -> None:
    """Scrub the autoencoder's map, reconstructions and code histograms through training."""
    st.subheader(t("latent.timeline.title"))
    epochs = [int(e) for e in tl["epochs"]]
    epoch = st.select_slider(
        t("latent.timeline.slider"),
        options=epochs,
        value=epochs[-1],
        key=f"latent.timeline.epoch.{len(epochs)}.{epochs[-1]}",
    )
    i, box = epochs.index(epoch), basic.timeline_box(tl["codes"])
    left, right = st.columns(2)
    with left:
        title = t("latent.timeline.map", epoch=epoch)
        chart(basic.map_figure(tl["codes"][i], a["labels"], title, box=box), "latent.timeline.map")
    names = labels("latent.timeline", x="code", y="count", title="hist") | {"h1": "h₁", "h2": "h₂"}
    with right:
        chart(basic.code_histograms(tl["codes"][i], box, names), "latent.timeline.hist")
    if a["image_shape"] is not None:
        rows = np.asarray(tl["rows"], int)
        grid = {t("latent.original"): a["X"][rows], t("latent.reconstruction"): tl["recon"][i]}
        chart(image_grid(grid, a["image_shape"]), "latent.timeline.images")
    pct = lambda v: f"{100 * v:.1f} %"  # noqa: E731
    knn = tl["knn"]
    summary = dict(epoch=epoch, knn=pct(knn[i]), first=pct(knn[0]), last=pct(knn[-1]), final=epochs[-1])
    st.caption(t("latent.timeline.summary", **summary))


if res is None:
    ds = load_dataset(cfg.dataset)
    latent_views.live_map(ds.y[embed.subsample(ds.n, cfg.max_points, cfg.seed)])
else:
    m, a = res.metrics, res.arrays
    if a["subsampled"]:
        st.info(t("latent.subsampled", n=len(a["labels"]), total=a["n_total"]))
    selected = np.asarray(st.session_state.get(SEL, []), int)
    selected = selected[selected < len(a["labels"])]
    events = {}
    for row in (METHODS[:2], METHODS[2:]):
        for col, meth in zip(st.columns(2), row):
            title = f"{t(f'latent.method.{meth}')} · T={num(m[f'{meth}_trustworthiness'], 3)}"
            with col:
                fig = basic.map_figure(a["maps"][meth], a["labels"], title, selected)
                events[meth] = chart(fig, f"latent.map.{meth}", on_select="rerun", selection_mode=("lasso", "box"))
    _update_selection(events)
    st.caption(t("latent.select_hint"))
    selected = np.asarray(st.session_state.get(SEL, []), int)
    if len(selected):
        show = selected[:16]
        st.markdown(t("latent.selected", n=len(selected), shown=len(show)))
        if a["image_shape"] is not None:
            grid = {t("latent.original"): a["X"][show], t("latent.reconstruction"): a["recon"][show]}
            chart(image_grid(grid, a["image_shape"]), "latent.sel_images")
        if st.button(t("latent.clear"), key="latent.clear"):
            st.session_state[SEL] = []
            st.rerun()
    draw_panel(LESSON, res, cfg.dataset)
    walk_panel(LESSON, res, cfg.dataset)
    latent_views.table(m)
    claims_box(LESSON, get(LESSON), m, fmt(m, 3))
    latent_views.reading(m, len(a["labels"]), a["X"].shape[1], a["reduced"], cfg.perplexity)
    _timeline(a["timeline"], a)

    st.subheader(t("latent.scaling_title"))
    scfg = ScalingConfig(seed=cfg.seed)
    st.button(t("latent.scaling_run"), key="latent.scaling_btn", on_click=ask_to_train, args=("latent_scaling",))
    sres = training_panel("latent_scaling", scfg)
    if sres is not None:
        names = labels("latent.method", *METHODS) | labels("latent", x="scaling_x", y="scaling_y") | {"title": ""}
        chart(basic.scaling_figure(sres.metrics, names), "latent.scaling", t("latent.scaling_summary"))
exercises(LESSON, LESSON, cfg, res)
selfcheck(LESSON)
if res is not None:
    recap(LESSON, res.metrics)
sources("latent")
