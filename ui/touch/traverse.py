"""Move the VAE's latent dimensions one at a time (lesson 8, any k): ``traverse_panel``, one
fragment. One slider per active dimension (mean KL on the data above the page's threshold,
0.01 nats: Burda et al. 2016) sets that coordinate of the code, the others stay at a base code
(the prior's mean 0 or an image's posterior mean μ), and the decoder's image follows at once.
Beside it, the largest pixel change each dimension causes when swept over [−3, 3] from the
code the sliders set (``aecore.touch.decode.dimension_effect``): what the inactive ones do,
measured. Session state only; nothing trains. Texts: touch.toml, under ``traverse``."""

from __future__ import annotations

import numpy as np
import streamlit as st

from aecore.figures import walk as fig
from aecore.touch import decode
from ui.kit.i18n import t
from ui.kit.page import chart, labels, num
from ui.touch.latent import image_spec, show_images, show_verdict
from ui.touch.walk_words import effect_words, z_name

PER_ROW = 4  # sliders per row
STEP = 0.1


def _base(res, key: str) -> tuple[str, np.ndarray]:
    """(its id, the base code): the prior's mean, or the posterior mean of an image."""
    a = res.arrays
    _, first = np.unique(np.asarray(a["labels"]), return_index=True)
    options = ["prior", *map(str, sorted(int(i) for i in first[:10]))]

    def word(o: str) -> str:
        return (
            t("touch.traverse.prior") if o == "prior" else t("touch.interp.image", label=a["labels"][int(o)], i=int(o))
        )

    names = {o: word(o) for o in options}
    choice = st.selectbox(t("touch.traverse.base"), options, format_func=names.get, key=f"{key}.base")
    k = a["mu"].shape[1]
    return choice, np.zeros(k) if choice == "prior" else np.asarray(a["mu"][int(choice)], np.float64)


def _sliders(res, key: str, base_id: str, base: np.ndarray, active: np.ndarray) -> np.ndarray:
    z = base.copy()
    kl = res.arrays["kl_per_dim"]
    for first in range(0, len(active), PER_ROW):
        for col, d in zip(st.columns(PER_ROW), active[first : first + PER_ROW]):
            start = float(np.clip(np.round(base[d] / STEP) * STEP, -decode.SPAN, decode.SPAN))
            label = t("touch.traverse.slider", z=z_name(int(d)), kl=num(float(kl[d]), 3))
            z[d] = col.slider(label, -decode.SPAN, decode.SPAN, start, STEP, key=f"{key}.{base_id}.{int(d)}")
    return z


@st.fragment
def traverse_panel(res, dataset: str) -> None:
    """Lesson 8's VAE ``res`` (any k), one slider per active dimension."""
    if res is None or res.arrays.get("image_shape") is None:
        return
    spec = image_spec(res, dataset)
    if spec is None:
        return
    vae, a = res.models["vae"], res.arrays
    k = a["mu"].shape[1]
    key = f"touch.traverse.k{k}"
    active = decode.active_dims(res)
    inactive = np.setdiff1d(np.arange(k), active)
    st.subheader(t("touch.traverse.title"), anchor=False)
    words = dict(k=k, n=len(active), threshold=num(float(a["active_threshold"])), span=num(decode.SPAN))
    st.markdown(t("touch.traverse.intro", **words))
    base_id, base = _base(res, key)
    z = _sliders(res, key, base_id, base, active)
    if not len(active):
        st.info(t("touch.traverse.no_active", **words), icon=":material/info:")
    image = decode.decode(vae, z)[0]
    effects = decode.dimension_effect(vae, z, range(k))
    left, right = st.columns([1, 1.6])
    with left:
        show_images(spec, [[(t("touch.traverse.decoded"), image)]], f"{key}.image")
        label, conf = decode.verdicts(res, image[None])
        show_verdict(st, {"label": label[0], "confidence": float(conf[0])})
    with right:
        names = labels("touch.traverse", "active", "inactive", title="effect_title", x="dims", y="change")
        names |= {f"z{d + 1}": z_name(d) for d in range(k)}
        chart(fig.effect_figure(effects, active, names), f"{key}.effect")
    st.caption(effect_words(effects[active], effects[inactive], decode.SPAN))
