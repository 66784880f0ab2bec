"""References: every work the lecture cites and what each lesson uses it for; what the app adds
beyond the lecture; the EN ↔ PT ↔ ES glossary, the notation of slides and notes, and their errata."""

import streamlit as st

from ui.kit import references as refs
from ui.kit.i18n import t

st.title(t("references.title"))
st.markdown(t("references.intro"))

st.subheader(t("references.material_title"), anchor="course-material")
st.markdown(t("references.material"))
refs.table(refs.material_rows())

st.subheader(t("references.by_lesson"))
refs.table(refs.by_lesson_rows())

st.subheader(t("references.lecture"))
st.caption(t("references.lecture_note"))
refs.bibliography(in_lecture=True)

st.subheader(t("references.beyond_title"))
st.markdown(t("references.beyond_intro"))
refs.table(refs.beyond_rows())
refs.bibliography(in_lecture=False)

st.subheader(t("references.glossary"))
st.markdown(t("references.glossary_intro"))
refs.table(refs.glossary_rows())

st.subheader(t("references.notation_title"))
st.markdown(t("references.notation_intro"))
refs.notation_table()
refs.errata_box()
