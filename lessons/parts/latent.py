"""Parts of lesson 3's page (lessons/03_latent.py): the live t-SNE/UMAP layout while the job
runs, the comparison table, and the reading of the run (which map kept neighbourhoods best,
t-SNE's run, the slides' "t-SNE or an autoencoder?" measured), and a surface data set drawn
as a 2-D manifold. Texts: latent.toml."""

from __future__ import annotations

import numpy as np
import streamlit as st

from aecore import embed
from aecore.data.registry import load_dataset
from aecore.experiments.latent import METHODS, NEW_POINT, NEW_POINTS
from aecore.figures import basic
from aecore.figures.common import finish
from aecore.figures.embedding import manifold_figure
from ui.kit import numbers
from ui.kit.i18n import current_lang, t
from ui.kit.page import chart, num, prose

LESSON = "latent"


@st.fragment(run_every=0.5)
def live_map(y: np.ndarray) -> None:
    """While t-SNE or UMAP runs, their map as it stands (the job's latest layout)."""
    job = st.session_state.get(f"{LESSON}.job")
    if job is None or job.done.is_set():
        return
    p, keep = job.last, f"{LESSON}.live_layout"
    if isinstance(p, embed.LayoutProgress) and p.layout is not None and len(p.layout) == len(y):
        st.session_state[keep] = (job, p)
    elif st.session_state.get(keep, (None,))[0] is job:
        p = st.session_state[keep][1]  # between two layouts (UMAP building its graph): the last one stays
    else:
        return
    if p.stage.startswith("tsne"):
        early = p.epoch <= embed.TSNE_PHASES[0][0]
        title = t(
            "latent.live.tsne_exaggerated" if early else "latent.live.tsne", it=p.epoch, of=p.epochs, kl=num(p.loss, 3)
        )
    else:
        title = t("latent.live.umap", it=p.epoch + 1, of=p.epochs)
    st.plotly_chart(finish(basic.map_figure(p.layout, y, title), current_lang()), key="latent.live_map")


def _cell(v: object, spec: str | None) -> object:
    if not isinstance(v, float) or spec is None:
        return v
    return "–" if v != v else numbers.localize(format(v, spec), current_lang())


def table(m: dict) -> None:
    """Trustworthiness, 5-NN accuracy, fit seconds and placing new points, per method."""
    cols = {k: t(f"latent.col.{k}") for k in ("method", "trust", "knn", "seconds", "new", "new_seconds")}
    rows = {
        cols["method"]: [t(f"latent.method.{k}") for k in METHODS],
        cols["trust"]: [m[f"{k}_trustworthiness"] for k in METHODS],
        cols["knn"]: [m[f"{k}_knn_accuracy"] for k in METHODS],
        cols["seconds"]: [m[f"{k}_fit_seconds"] for k in METHODS],
        cols["new"]: [t(f"latent.new.{NEW_POINT[k]}") for k in METHODS],
        cols["new_seconds"]: [m.get(f"{k}_embed_seconds", float("nan")) for k in METHODS],
    }
    formats = {cols["trust"]: ".3f", cols["knn"]: ".3f", cols["seconds"]: ".2f", cols["new_seconds"]: ".2f"}
    # a plain table, numbers written as text in the page's language: its columns wrap on a phone
    # (a data grid would scroll sideways); NaN (a method that places no new points) as '–'
    shown = {c: [_cell(v, formats.get(c)) for v in vs] for c, vs in rows.items()}
    st.table(shown)
    st.caption(t("latent.col.new_help"))


def reading(m: dict, n: int, dim: int, reduced: bool, perplexity: float) -> None:
    """Which map kept neighbourhoods best, t-SNE's run, and the slides' question, measured."""
    best = max(("tsne", "umap"), key=lambda k: m[f"{k}_trustworthiness"])
    trust = dict(best=t(f"latent.method.{best}"), best_t=num(m[f"{best}_trustworthiness"], 3))
    beaten = m[f"{best}_trustworthiness"] > m["ae_trustworthiness"]
    prose(t("latent.reading_nbr" if beaten else "latent.reading_ae", ae_t=num(m["ae_trustworthiness"], 3), **trust))
    iters = sum(p[0] for p in embed.TSNE_PHASES)
    run = dict(perplexity=num(min(perplexity, (n - 1) / 3), 3), kl=num(m["tsne_kl"], 3), iters=iters, dim=dim)
    st.caption(t("latent.tsne_run_reduced" if reduced else "latent.tsne_run", **run))
    st.subheader(t("latent.versus_title"))
    prose(t("latent.versus"))
    ae_first = m["ae_fit_seconds"] <= m["tsne_fit_seconds"]
    words = dict(n=n, ae=num(m["ae_fit_seconds"], 3), tsne=num(m["tsne_fit_seconds"], 3), new=NEW_POINTS)
    new = {f"{k}_new": num(m.get(f"{k}_embed_seconds", float("nan")), 3) for k in ("ae", "tsne")}
    st.markdown(t("latent.versus_ae_faster" if ae_first else "latent.versus_tsne_faster", **words, **new))
    st.caption(t("latent.versus_scaling"))


SURFACES = ("swiss_roll", "s_curve")  # 3-D data that is a rolled-up 2-D sheet (height = the second column)


def manifold_view(dataset: str) -> None:
    """Note 003's picture of non-linear reduction to 2-D: a surface data set beside its two
    coordinates on the sheet (the roll parameter t and the height)."""
    if dataset not in SURFACES:
        return
    ds = load_dataset(dataset)
    label = t(f"latent.manifold.name_{dataset}")
    st.markdown(t("latent.manifold.explain", data=label))
    names = {k: t(f"latent.manifold.{k}") for k in ("rolled", "unrolled", "t", "height")}
    names["title"] = t("latent.manifold.title", data=label)
    chart(manifold_figure(ds.X, ds.t, ds.X[:, 1], names), "latent.manifold", t("latent.manifold.summary", n=ds.n))
