"""The drawing pad of the image lessons: draw an input, and see at once what the page's trained
model makes of it (``draw_panel(LESSON, result, dataset)``, one call per page).

The pad is ``streamlit-drawable-canvas`` (Fabric.js, a Streamlit Components v2 component:
Streamlit has no drawing element). Its grid is the data's image, each pixel a square of whole
screen pixels; white strokes (the pen) or black ones (the eraser) lie over a black background
or over one of the result's real images. Each stroke sends the stroke layer back; it is
resampled like the data (``aecore.touch.images.pad_row``) and answered by
``aecore.touch.encode`` on the already trained model: the panel is a fragment, so a stroke
reruns only it, and nothing trains, queues a job or writes a cache.

What the session drew lives in its own ``st.session_state`` (a stack of the pad's states:
its strokes as Fabric JSON and their coverage of each image pixel): Undo drops the last
state and redraws the pad from the one before; Clear empties it. The pad's own toolbar
(undo, redo, reset, on hover) sends its results too.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from aecore.data.registry import load_dataset
from aecore.errors import DataError
from aecore.touch import encode
from aecore.touch.images import (
    PAD_PX,
    ImageSpec,
    cell_px,
    spec_of,
    stroke_coverage,
    stroke_layer,
    to_ink,
    to_row,
    upsample,
)
from ui.kit import deck, presenter
from ui.kit.i18n import error_text, t
from ui.touch import answers

PRESENT_PX = 440  # the pad's side when presenting
MAX_STATES = 40  # undo depth
MAX_DPR = 4  # a high-density screen may send its canvas at up to this many pixels per CSS pixel
GRID = 0.16  # brightness of the pixel grid drawn over the pad's background (not part of the data)
WIDTHS = (0.75, 1.0, 1.5, 2.0, 3.0)  # pen widths, in image pixels


def _state(key: str, reset_on: tuple) -> dict:
    """This session's pad state for ``key``; a new one when ``reset_on`` (start image, pad size) changes."""
    ss = st.session_state
    state = ss.get(f"{key}.state")
    if state is None or state["on"] != reset_on:
        version = 0 if state is None else state["version"] + 1
        state = {"on": reset_on, "version": version, "stack": [], "initial": None}
        ss[f"{key}.state"] = state
    return state


def _undo(state: dict) -> None:
    if state["stack"]:
        state["stack"].pop()
    state["initial"] = {"objects": state["stack"][-1]["objects"]} if state["stack"] else None
    state["version"] += 1  # a new canvas, drawn from the state before


def _clear(state: dict) -> None:
    state["stack"].clear()
    state["initial"] = None
    state["version"] += 1


def _record(state: dict, canvas, shape: tuple[int, int], side: int) -> None:
    """Push what the canvas sent, if it is new (a malformed or oversized image: ignored)."""
    data = canvas.image_bytes
    if not data:
        return
    try:
        rgba = stroke_layer(data, MAX_DPR * side)
    except DataError:
        return
    objects = (canvas.json_data or {}).get("objects", [])
    top = state["stack"][-1] if state["stack"] else None
    if top is not None and top["objects"] == objects:
        return
    cover, ink = stroke_coverage(rgba, shape)
    state["stack"].append({"objects": objects, "cover": cover, "ink": ink})
    del state["stack"][:-MAX_STATES]


def _background(ink: np.ndarray | None, shape: tuple[int, int], cell: int) -> Image.Image:
    """What the pad shows behind the strokes: the start image (or black) with a faint pixel grid."""
    big = upsample(np.zeros(shape) if ink is None else ink, cell)
    big[::cell, :] = np.maximum(big[::cell, :], GRID)
    big[:, ::cell] = np.maximum(big[:, ::cell], GRID)
    return Image.fromarray(np.round(255 * big).astype(np.uint8), "L")


def _starts(name: str, res) -> tuple[np.ndarray, list, str]:
    """Rows offered as starting images (the first of each label, ten at most) and their labels."""
    X, labels, source = encode.real_images(name, res)
    if labels is None:
        rows = list(range(min(10, len(X))))
        return rows, [None] * len(rows), source
    _, first = np.unique(np.asarray(labels), return_index=True)
    rows = sorted(int(i) for i in first[:10])
    return rows, [labels[i] for i in rows], source


def _start_picker(key: str, name: str, res, spec: ImageSpec) -> tuple[str, np.ndarray | None]:
    """The 'start from' choice: (its id, the chosen image as ink, or None for a blank pad)."""
    rows, labels, source = _starts(name, res)
    X = encode.real_images(name, res)[0]
    options = ["blank", *map(str, rows)]

    def label(opt: str) -> str:
        if opt == "blank":
            return t("touch.draw.start_blank")
        c = labels[rows.index(int(opt))]
        where = t(f"touch.draw.source.{source}", i=int(opt))
        return where if c is None else t("touch.draw.start_labelled", label=c, where=where)

    names = {opt: label(opt) for opt in options}  # in the session's language now, not when called later
    choice = st.selectbox(t("touch.draw.start"), options, format_func=names.get, key=f"{key}.start")
    return choice, None if choice == "blank" else to_ink(X[int(choice)], spec)


def pad(key: str, name: str, res, spec: ImageSpec) -> np.ndarray | None:
    """The pad with its controls; the data row it holds now (None: nothing drawn, blank start)."""
    start, bg = _start_picker(key, name, res, spec)
    left, right = st.columns(2)
    tool = left.segmented_control(
        t("touch.draw.tool"),
        ["pen", "eraser"],
        default="pen",
        format_func=lambda v: t(f"touch.draw.{v}"),
        key=f"{key}.tool",
    )
    default = min(WIDTHS, key=lambda v: abs(v - max(1.5, 0.1 * max(spec.shape))))  # MNIST: strokes ~ 1/10 of the side
    width = right.select_slider(t("touch.draw.width"), WIDTHS, value=default, key=f"{key}.width")
    cell = cell_px(spec.shape, PRESENT_PX if presenter.active() else PAD_PX)
    state = _state(key, (start, cell, spec))
    h, w = spec.shape
    canvas = st_canvas(
        stroke_width=max(1, round(width * cell)),
        stroke_color="#000000" if tool == "eraser" else "#ffffff",
        background_image=_background(bg, spec.shape, cell),
        width=w * cell,
        height=h * cell,
        drawing_mode="freedraw",
        initial_drawing=state["initial"],
        return_image_data=True,
        key=f"{key}.canvas.{state['version']}",
    )
    _record(state, canvas, spec.shape, max(h, w) * cell)
    b1, b2 = st.columns(2)
    b1.button(t("touch.draw.undo"), key=f"{key}.undo", on_click=_undo, args=(state,), icon=":material/undo:")
    b2.button(t("touch.draw.clear"), key=f"{key}.clear", on_click=_clear, args=(state,), icon=":material/delete:")
    st.caption(t("touch.draw.hint", h=h, w=w))
    top = state["stack"][-1] if state["stack"] else None
    if top is None and bg is None:
        return None
    base = np.zeros(spec.shape) if bg is None else bg
    return to_row(base if top is None else base * (1.0 - top["cover"]) + top["ink"], spec)


@deck.tagged("extra")  # outside the fragment: its reruns stay inside the part
@st.fragment
def draw_panel(name: str, res, dataset: str) -> None:
    """The pad and, beside it, what the page's model ``res`` makes of the drawing. Nothing is
    shown for a lesson without drawn input or a run on data that are not images."""
    if res is None or name not in encode.LESSONS or encode.image_shape(res) is None:
        return
    key = f"touch.{name}"
    st.subheader(t("touch.draw.title"), anchor=False)
    st.markdown(t(f"touch.draw.intro.{name}"))
    try:
        spec = spec_of(load_dataset(dataset))
    except DataError as exc:  # the data set left the session (an expired upload): say so, keep the page
        st.warning(error_text(exc), icon=":material/warning:")
        return
    if spec is None or spec.shape != encode.image_shape(res):
        return
    left, right = st.columns([1, 1.25], gap="medium")
    below = st.container()
    with left:
        x = pad(key, name, res, spec)
    with right:
        if x is None:
            st.info(t("touch.draw.empty"), icon=":material/draw:")
        else:
            answers.show(name, res, spec, x, key, below)
