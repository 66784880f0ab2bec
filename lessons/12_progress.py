"""My progress: the exercises and self-check questions this browser session answered, per
lesson, and a link that restores them elsewhere (nothing is stored on the server)."""

import streamlit as st

from aecore import exercises
from ui.kit.i18n import t
from ui.learn import progress
from ui.learn.boxes import OPEN, RIGHT, WRONG
from ui.shell.nav import PAGES

st.title(t("progress.title"))
st.markdown(t("progress.lead"))
if dropped := st.session_state.get(progress.DROPPED, 0):
    st.warning(t("progress.dropped", n=dropped), icon=":material/link_off:")

mine = progress.state()
pages = {spec.url_path: spec for spec in PAGES}
for lesson in sorted(exercises.lessons(), key=lambda n: list(pages).index(n) if n in pages else len(pages)):
    spec, learn, answers = pages.get(lesson), exercises.load(lesson), mine.get(lesson, {})
    with st.container(border=True):
        if spec is not None:
            st.page_link(spec.path, label=t(spec.title_key), icon=spec.icon)
        marks = []
        for i, ex in enumerate(learn.exercises, start=1):
            done = answers.get(ex.id)
            mark = OPEN if done is None else RIGHT if done else WRONG
            marks.append(f"{mark} {t('teach.exercise_n', n=i)}")
        st.markdown(" · ".join(marks))
        st.caption(t("progress.counts", **progress.counts(lesson)))

st.subheader(t("progress.link_heading"), anchor=False)
text = progress.encode(mine)
if not text:
    st.info(t("progress.none_yet"), icon=":material/info:")
else:
    base = (st.context.url or "").rstrip("/")  # this page's address: the app's, then /progress
    base = base.removesuffix("/progress")
    lang = st.session_state.get("lang", "en")
    link = f"{base}/progress?{progress.PARAM}={text}" + (f"&lang={lang}" if lang != "en" else "")
    st.code(link, language=None, wrap_lines=True)
    st.caption(t("progress.link_help"))
    st.button(t("progress.clear"), icon=":material/delete:", on_click=progress.clear, key="progress.clear")
