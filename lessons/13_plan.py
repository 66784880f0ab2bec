"""Lecture plan: every section of the lecture's slides and notes, in order, as steps of a
class; each step links to its page in presenter mode with the view it needs, and gives a
time, the point to make and a question. The totals are computed from the plan's data."""

import streamlit as st

from aecore import lecture
from lessons.parts.plan import card
from ui.kit.i18n import current_lang, t

lang = current_lang()
plan = lecture.plan()
st.title(t("plan.title"))
st.markdown(t("plan.lead"))
cols = st.columns(3)
cols[0].metric(t("plan.total"), t("plan.of_budget", total=plan.total, budget=plan.minutes))
cols[1].metric(t("plan.short_total"), t("plan.of_budget", total=plan.short_total, budget=plan.short_minutes))
cols[2].metric(
    t("plan.sections_count"), t("plan.sections_value", sections=len(lecture.sections()), rows=len(plan.rows))
)
short = st.toggle(t("plan.show_short"), key="plan.short")
st.page_link("lessons/14_handout.py", label=t("plan.handout_link"), icon=":material/print:")
for i, row in enumerate(plan.rows, start=1):
    if row.short or not short:
        card(i, row, lang)
