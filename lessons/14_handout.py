"""Handout: the lecture's formulas as the pages show them and each lesson's claims with the
numbers of the runs shipped with the app, on one page that prints cleanly (and as Markdown)."""

import streamlit as st

from aecore.check import DEFAULT_SEEDS
from lessons.parts import handout
from ui.kit.i18n import current_lang, t

lang = current_lang()
parts = handout.blocks(lang)
st.title(t("handout.title"))
st.markdown(t("handout.lead", check=t("check.button", seeds=DEFAULT_SEEDS)))
with st.container(key="handout-screen"):
    st.download_button(
        t("handout.download"),
        handout.markdown(parts, lang),
        file_name=f"autoencoder-lab-handout-{lang}.md",
        mime="text/markdown",
        icon=":material/download:",
    )
    st.caption(t("handout.print_hint"))
handout.render(parts, lang)
st.html(handout.PRINT_CSS)
