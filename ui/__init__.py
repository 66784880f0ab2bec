"""Streamlit glue shared by the pages: translation, jobs, the training panel, sidebar.

Only the app and its lesson pages import this package; ``aecore`` never does.
"""
