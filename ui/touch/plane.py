"""Click a point in the plane of a curve lesson and see what the page's trained model does there
(lessons 1, 6 and 7): ``plane_panel(LESSON, res, curve)``, one fragment per page.

The figure takes a click anywhere (an invisible grid of points catches it,
``aecore.figures.walk``); the point goes to ``aecore.touch.plane``: lesson 1 shows its code
z = f(x) and its reconstruction g(f(x)) on the learned curve; lesson 6 the right-singular
vectors of the plain AE's and the CAE's J_f(x) as arrows (each model's v₁ at one length, v₂ at s₂/s₁ of it)
against the true tangent at the nearest point of the curve; lesson 7 the DAE's step r(x) − x
and the true projection π(x) − x. The numbers (angles, lengths) are measured at that point.
The last click lives in this session's ``st.session_state``; nothing trains. Texts:
touch.toml, under ``plane``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from aecore.data.curves import CURVES
from aecore.figures import walk as fig
from aecore.touch import plane
from ui.kit import deck
from ui.kit.i18n import t
from ui.kit.page import chart, labels, num
from ui.touch.walk_words import clicked_point, picks

ARROW_SHARE = 0.3  # lesson 6: each model's v₁ arrow spans this share of the plot's width


def _point(key: str):
    """This session's last click on the plane (None before the first), after the chart's event."""
    x = clicked_point(st.session_state.get(f"{key}.map"))
    if x is not None:
        st.session_state[f"{key}.point"] = x
    return st.session_state.get(f"{key}.point")


def _values(pairs: dict[str, str]) -> None:
    for col, (label, value) in zip(st.columns(len(pairs)), pairs.items()):
        col.metric(label, value)


def _intro(res, curve, x, ans) -> tuple[dict, str]:
    _values({t("touch.plane.metric.code"): num(ans["code"], 3), t("touch.plane.metric.error"): num(ans["error"], 3)})
    dot = [(t("touch.plane.recon"), ans["recon"], fig.MARK)]
    arrow = [dict(name=t("touch.plane.to_recon"), start=x, vec=ans["recon"] - x, color=fig.COLORS["ae"])]
    words = dict(x=picks(x), z=num(ans["code"], 3), r=picks(ans["recon"]), err=num(ans["error"], 3))
    return {"arrows": arrow, "dots": dot, "learned": res.arrays["curve"]}, t("touch.plane.caption_intro", **words)


def _contractive(res, curve, x, ans) -> tuple[dict, str]:
    models = ans["models"]
    span = float(np.ptp(res.arrays["curve_X"][:, 0]))
    arrows = [dict(name=t("touch.plane.tangent"), start=ans["nearest"], vec=ans["tangent"] * 0.5 * ARROW_SHARE * span)]
    arrows[0] |= {"color": fig.COLORS["tangent"], "dash": "dot"}
    pairs = {}
    for m, v in models.items():
        for i, dash in ((0, "solid"), (1, "dash")):
            name = t(f"touch.plane.v{i + 1}", model=t(f"touch.plane.model_{m}"))
            length = ARROW_SHARE * span * v["s"][i] / max(float(v["s"][0]), 1e-12)  # each model's v₁: one length
            arrows.append(dict(name=name, start=x, vec=v["v"][i] * length, color=fig.COLORS[m], dash=dash))
        pairs[t("touch.plane.metric.angle", model=t(f"touch.plane.model_{m}"))] = f"{num(v['angle'], 3)}°"
        pairs[t("touch.plane.metric.ratio", model=t(f"touch.plane.model_{m}"))] = num(
            v["s"][0] / max(v["s"][1], 1e-12), 3
        )
    _values(pairs)
    closer = "cae" if models["cae"]["angle"] < models["ae"]["angle"] else "ae"
    words = {f"a_{m}": num(v["angle"], 3) for m, v in models.items()}
    words |= {f"s1_{m}": num(v["s"][0], 3) for m, v in models.items()} | {
        f"s2_{m}": num(v["s"][1], 3) for m, v in models.items()
    }
    caption = t("touch.plane.caption_contractive", **words) + " " + t(f"touch.plane.closer_{closer}")
    dot = [(t("touch.plane.nearest"), ans["nearest"], fig.COLORS["tangent"])]
    return {"arrows": arrows, "dots": dot}, caption


def _denoising(res, curve, x, ans) -> tuple[dict, str]:
    _values(
        {
            t("touch.plane.metric.shift"): num(ans["shift_length"], 3),
            t("touch.plane.metric.distance"): num(ans["distance"], 3),
            t("touch.plane.metric.between"): f"{num(ans['angle'], 3)}°",
        }
    )
    arrows = [
        dict(name=t("touch.plane.shift"), start=x, vec=ans["shift"], color=fig.COLORS["shift"]),
        dict(name=t("touch.plane.to_curve"), start=x, vec=ans["to_curve"], color=fig.COLORS["to_curve"], dash="dash"),
    ]
    way = "towards" if ans["angle"] < 90 else "away"
    words = dict(len=num(ans["shift_length"], 3), dist=num(ans["distance"], 3), angle=num(ans["angle"], 3))
    words["share"] = num(100 * ans["shift_length"] / max(ans["distance"], 1e-12), 3)
    caption = t("touch.plane.caption_denoising", **words) + " " + t(f"touch.plane.{way}")
    return {"arrows": arrows, "dots": [(t("touch.plane.nearest"), ans["nearest"], fig.COLORS["to_curve"])]}, caption


SHOW = {"intro": _intro, "contractive": _contractive, "denoising_field": _denoising}
DATA = {"intro": "X", "contractive": "curve_X", "denoising_field": "X"}  # the page's points of the plane


@deck.tagged("extra")  # outside the fragment: its reruns stay inside the part
@st.fragment
def plane_panel(name: str, res, curve: str) -> None:
    """Click a point of the plane of curve ``curve``; page ``name``'s model ``res`` answers."""
    if res is None or name not in SHOW or curve not in CURVES:
        return
    key = f"touch.plane.{name}"
    st.subheader(t("touch.plane.title"), anchor=False)
    st.markdown(t(f"touch.plane.intro.{name}"))
    x = _point(key)
    names = labels("touch.plane", "data", "curve", "point", "learned", title=f"fig_{name}") | {"x": "x₁", "y": "x₂"}
    parts, caption = {}, t("touch.plane.hint")
    numbers = st.container()
    if x is not None:
        x = np.asarray(x, np.float64)
        with numbers:
            parts, caption = SHOW[name](res, curve, x, plane.answer(name, res, curve, x))
    if name == "intro":
        parts.setdefault("learned", res.arrays["curve"])
    figure = fig.plane_figure(res.arrays[DATA[name]], CURVES[curve].drawn(), names, point=x, **parts)
    chart(figure, f"{key}.map", caption, on_select="rerun", selection_mode="points")
