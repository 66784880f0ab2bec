"""The sidebar shared by every page: language, data set, device badge."""

from __future__ import annotations

import streamlit as st

from aecore.data import DATASETS
from aecore.device import device_info
from ui import presenter
from ui.i18n import LANG_NAMES, languages, t

# Data sets a general lesson (pca, latent, ...) can take: more than 2 features.
GENERAL_DATASETS = tuple(k for k in DATASETS if k in ("digits", "swiss_roll", "s_curve"))


def init_from_link() -> None:
    """Language (?lang=) and data set (?dataset=) from the URL on a session's first run."""
    if "lang" not in st.session_state:
        q = st.query_params.get("lang")
        st.session_state["lang"] = q if q in languages() else "en"
    if "dataset" not in st.session_state:
        q = st.query_params.get("dataset")
        st.session_state["dataset"] = q if q in GENERAL_DATASETS else "digits"


def write_link() -> None:
    """Keep ?lang= and ?dataset= in the URL so a copied link reproduces the view."""
    for key, default in (("lang", "en"), ("dataset", "digits")):
        value = st.session_state.get(key, default)
        if value != default and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif value == default and key in st.query_params:
            del st.query_params[key]


def dataset() -> str:
    """The data set chosen in the sidebar (digits by default)."""
    return st.session_state.get("dataset", "digits")


def render() -> None:
    with st.sidebar:
        st.selectbox(t("sidebar.language"), languages(), key="lang",
                     format_func=lambda c: LANG_NAMES[c])
        st.selectbox(t("sidebar.dataset"), GENERAL_DATASETS, key="dataset",
                     format_func=lambda d: t(f"data.{d}"), help=t("sidebar.dataset_help"))
        presenter.toggle()
        info = device_info()
        where = info["device"] if info["device"] == info["name"] else f"{info['device']} · {info['name']}"
        st.caption(t("sidebar.device", device=where, torch=info["torch"], threads=info["threads"]))
