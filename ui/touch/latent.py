"""Walk the latent space of a page's trained model (lessons 3, 8 and 8b): ``walk_panel`` and,
for lesson 8, ``traverse_panel``. Texts: touch.toml, under ``walk``, ``interp``, ``traverse``.

``walk_panel`` is one fragment (a click or a slider reruns only it): on a 2-D code, each
model's latent map takes a click anywhere (an invisible grid of points catches it,
``aecore.figures.walk``) and the point is decoded at once, with the data's classifier's label
and confidence; lesson 8 shows the plain AE and the VAE side by side, each on its own map.
Below, the measured share of each map's region whose decodes the classifier recognises (the
run's metrics: ``aecore.maths.holes``) and the interpolation: two images (or the last two
points clicked on each map) and a slider t decode z(t) = (1 − t) z_a + t z_b, drawn on the maps.
The clicks live in this session's ``st.session_state`` only; nothing trains, queues a job or
enters the result cache (``aecore.touch.decode``).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from aecore.data.registry import load_dataset
from aecore.errors import DataError
from aecore.figures import walk as fig
from aecore.figures.pad import panels_figure
from aecore.touch import decode
from aecore.touch.images import ImageSpec, spec_of, to_ink
from ui.kit import deck
from ui.kit.i18n import error_text, t
from ui.kit.page import chart, labels, num
from ui.touch.walk_words import clicked_point, holes_sentence, line_words, picks, z_name

STEPS = 21  # slider positions of the interpolation: t = 0, 0.05, …, 1
MAX_CLICKS = 2  # clicks remembered per map (the ends of an interpolation)


def image_spec(res, dataset: str) -> ImageSpec | None:
    try:
        spec = spec_of(load_dataset(dataset))
    except DataError as exc:  # the data set left the session (an expired upload): say so, keep the page
        st.warning(error_text(exc), icon=":material/warning:")
        return None
    shape = res.arrays.get("image_shape")
    return spec if spec is not None and shape is not None and tuple(spec.shape) == tuple(shape) else None


def _clicks(key: str, m: str) -> list:
    """This session's last clicks on model m's map (codes, newest last), after the chart's event."""
    clicks = st.session_state.setdefault(f"{key}.{m}.clicks", [])
    z = clicked_point(st.session_state.get(f"{key}.{m}.map"))
    if z is not None:
        if not clicks or clicks[-1] != z:
            clicks.append(z)
            del clicks[:-MAX_CLICKS]
    return clicks


def show_images(spec: ImageSpec, rows: list, key: str, row_labels: list[str] | None = None) -> None:
    """Rows of (title, data row) as ink."""
    grid = [[(title, to_ink(x, spec), False) for title, x in row] for row in rows]
    chart(panels_figure(grid, row_labels=row_labels), key)


def show_verdict(col, found: dict) -> None:
    if found["label"] is None:
        col.caption(t("touch.walk.no_classifier"))
        return
    a, b = col.columns(2)
    a.metric(t("touch.walk.metric.label"), str(found["label"]))
    b.metric(t("touch.walk.metric.confidence"), f"{num(100 * found['confidence'], 3)} %")


def _map(name: str, res, spec, key: str, m: str, clicks: list, path: dict | None) -> None:
    """Model m's clickable map and, under it, the decode of the last click."""
    codes = decode.training_codes(name, res)[m]
    letter = "h" if name == "latent" else "z"  # lesson 3 names its code h, as on its maps
    names = labels("touch.walk", "data", "point", "path", "at", title=f"map_{m}")
    names |= {"x": z_name(0, letter), "y": z_name(1, letter)}
    point = np.array(clicks[-1]) if clicks else None
    on = {} if path is None else {"path": path["codes"], "at": path["at"]}
    figure = fig.latent_map_figure(codes, res.arrays["labels"], names, point=point, **on)
    chart(figure, f"{key}.{m}.map", on_select="rerun", selection_mode="points")
    if point is None:
        st.caption(t("touch.walk.click_hint"))
        return
    found = decode.decode_point(name, res, m, point)
    left, right = st.columns([1, 1.4])
    with left:
        show_images(spec, [[(t("touch.walk.decoded"), found["image"])]], f"{key}.{m}.decoded")
    show_verdict(right, found)
    right.caption(t("touch.walk.clicked_at", z=picks(point)))


def _interp_controls(name: str, res, dataset: str, key: str, models: list[str]) -> tuple[dict, float]:
    """The ends of the line (per model: (z_a, z_b)) and t."""
    st.markdown(t("touch.interp.title"))
    clicks = {m: st.session_state.get(f"{key}.{m}.clicks", []) for m in models}
    options = ["images"] + (["clicks"] if all(len(c) >= 2 for c in clicks.values()) else [])
    source = "images"
    if len(next(iter(decode.training_codes(name, res).values()))[0]) == 2:
        if len(options) == 1:  # no choice yet: say how to get one
            st.caption(t("touch.interp.need_clicks"))
        else:
            source = st.radio(
                t("touch.interp.source"),
                options,
                format_func={o: t(f"touch.interp.source_{o}") for o in options}.get,  # words fixed at this run
                horizontal=True,
                key=f"{key}.source",
            )
    X, ys = decode.images(name, res, dataset)
    if source == "images":
        _, first = np.unique(np.asarray(ys), return_index=True)
        rows = sorted(int(i) for i in first[:10])
        words = {i: t("touch.interp.image", label=ys[i], i=i) for i in rows}
        a, b = st.columns(2)
        i = a.selectbox(t("touch.interp.a"), rows, index=0, format_func=words.get, key=f"{key}.a")
        j = b.selectbox(t("touch.interp.b"), rows, index=min(1, len(rows) - 1), format_func=words.get, key=f"{key}.b")
        codes = decode.encode_images(name, res, X[[i, j]])
        ends = {m: (codes[m][0], codes[m][1]) for m in models}
    else:
        ends = {m: (np.array(clicks[m][-2]), np.array(clicks[m][-1])) for m in models}
    s = st.select_slider(
        t("touch.interp.slider"), options=list(np.round(np.linspace(0, 1, STEPS), 2)), value=0.5, key=f"{key}.t"
    )
    return ends, float(s)


def _interp_frames(spec, key: str, path: dict, s: float, line: dict, maps: bool) -> None:
    models = list(path)
    rows, row_labels = [], []
    for m in models:
        titles = ("g(z(0))", f"g(z({num(s, 2)}))", "g(z(1))")
        frames = path[m]["frames"]
        rows.append([(title if not rows else "", img) for title, img in zip(titles, frames)])
        row_labels.append(t(f"touch.walk.model_{m}"))
    show_images(spec, rows, f"{key}.frames", row_labels if len(models) > 1 else None)
    for col, m in zip(st.columns(len(models)), models):
        found = {"label": path[m]["labels"][1], "confidence": float(path[m]["confidence"][1])}
        if len(models) > 1:
            col.markdown(f"**{t(f'touch.walk.model_{m}')}**")
        show_verdict(col, found)
    st.caption(line_words(line, np.linspace(0, 1, STEPS), maps))


@deck.tagged("extra")  # outside the fragment: its reruns stay inside the part
@st.fragment
def walk_panel(name: str, res, dataset: str, parts: tuple[str, ...] = ("map", "interp")) -> None:
    """Click the latent map(s) of page ``name``'s run ``res`` (2-D codes) and interpolate
    between two codes (any k). Nothing is shown for a run on data that are not images."""
    if res is None or name not in decode.WALKS or res.arrays.get("image_shape") is None:
        return
    spec = image_spec(res, dataset)
    if spec is None:
        return
    k = next(iter(decode.training_codes(name, res).values())).shape[1]
    key, models = f"touch.walk.{name}.k{k}", list(decode.WALKS[name])
    maps = "map" in parts and k == 2
    st.subheader(t("touch.walk.title" if maps else "touch.interp.heading"), anchor=False)
    st.markdown(t(f"touch.walk.intro.{name}" if maps else "touch.interp.intro"))
    clicks = {m: _clicks(key, m) for m in models} if maps else {}
    box = st.container()
    path = None
    if "interp" in parts:
        ends, s = _interp_controls(name, res, dataset, key, models)
        path = decode.interpolate(name, res, ends, [0.0, s, 1.0])
        line = decode.interpolate(name, res, ends, np.linspace(0, 1, STEPS))
    if maps:
        with box:
            for col, m in zip(st.columns(len(models)), models):
                with col:
                    on = None if path is None else {"codes": line[m]["codes"], "at": path[m]["codes"][1]}
                    _map(name, res, spec, key, m, clicks[m], on)
            st.caption(holes_sentence(name, res.metrics))
    if path is not None:
        _interp_frames(spec, key, path, s, line, maps)
