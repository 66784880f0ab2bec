"""Streamlit glue shared by the pages: translation, jobs, the training panel, sidebar.

Only the app and its pages import this package; ``aecore`` never does.

One deliberate import-time action: Streamlit falls back to its legacy multipage mode
(auto-discovering ``pages/`` beside the entry script, and running a page *without*
app.py) until some run calls ``st.navigation``. Every page imports ``ui``, so the first
run of a fresh server turns that legacy mode off and reruns through app.py, whose
explicit ``st.navigation`` then owns the page list.
"""

from streamlit.runtime.pages_manager import PagesManager as _PagesManager

if _PagesManager.uses_pages_directory:
    import streamlit as _st

    _PagesManager.uses_pages_directory = False
    _st.rerun()
