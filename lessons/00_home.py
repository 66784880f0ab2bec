"""Home: what an autoencoder is, in one picture, and a card per lesson."""

import streamlit as st

from aecore.device import device_info
from aecore.figures.diagram import autoencoder_diagram
from ui.kit.i18n import t
from ui.kit.page import chart, labels, prose
from ui.kit.references import sources
from ui.shell.nav import PAGES

st.title(t("home.title"))
prose(t("home.lead"))
names = labels("home.diagram", "x", "encoder", "h", "decoder", "xhat", "encoder_note", "code_note", "decoder_note")
chart(autoencoder_diagram(names), "home.diagram", t("home.diagram.caption"), config={"displayModeBar": False})
st.latex(
    r"h = f_\theta(x), \qquad \hat{x} = g_\phi(h), \qquad "
    r"\mathcal{L}(\theta,\phi) = \mathbb{E}_x\, d\big(x,\, g_\phi(f_\theta(x))\big)"
)

st.subheader(t("home.map"))
sections: dict[str, list] = {}  # every page but this one, by navigation section, in order
for spec in PAGES:
    if not spec.is_default:
        sections.setdefault(spec.section, []).append(spec)
for section, specs in sections.items():
    st.markdown(f"**{t(section)}**")
    cols = st.columns(3)
    for i, spec in enumerate(specs):
        with cols[i % 3].container(border=True):
            st.page_link(spec.path, label=t(spec.title_key), icon=spec.icon)
            st.caption(t(f"{spec.url_path}.summary"))

info = device_info()
where = info["device"] if info["device"] == info["name"] else f"{info['device']} ({info['name']})"
st.info(t("home.device", device=where, torch=info["torch"]), icon=":material/memory:")
sources("home")
