"""The sidebar shared by every page: language, data set (built-in, MNIST or the user's
own upload), presenter mode, device badge."""

from __future__ import annotations

from functools import partial

import streamlit as st

from aecore.data import DataError, register_dataset, user_label
from aecore.device import device_info
from aecore.io.uploads import MAX_UPLOAD_BYTES, load_upload
from ui import presenter
from ui.i18n import LANG_NAMES, current_lang, error_text, languages, t, translate

# Data sets a general lesson (pca, latent) can take: more than 2 features.
GENERAL_DATASETS = ("digits", "digits28", "swiss_roll", "s_curve", "mnist", "fashion_mnist")
UPLOADS = "uploads"  # session key: names of this session's own registered data sets
DATA_PARAM = "data"  # ?data=: the sidebar's data set (``dataset`` is a lesson knob on some pages)


def init_from_link() -> None:
    """Language (?lang=) and data set (?data=) from the URL on a session's first run.
    A link never selects uploaded data: that stays with the session that uploaded it."""
    if "lang" not in st.session_state:
        q = st.query_params.get("lang")
        st.session_state["lang"] = q if q in languages() else "en"
    if "dataset" not in st.session_state:
        q = st.query_params.get(DATA_PARAM)
        st.session_state["dataset"] = q if q in GENERAL_DATASETS else "digits"


def write_link() -> None:
    """Keep ?lang= and ?data= in the URL so a copied link reproduces the view."""
    for key, param, default in (("lang", "lang", "en"), ("dataset", DATA_PARAM, "digits")):
        value = st.session_state.get(key, default)
        if value not in GENERAL_DATASETS and key == "dataset":
            value = default  # the user's own data is not shared through links
        if value != default and st.query_params.get(param) != value:
            st.query_params[param] = value
        elif value == default and param in st.query_params:
            del st.query_params[param]


def dataset() -> str:
    """The data set chosen in the sidebar (digits by default)."""
    return st.session_state.get("dataset", "digits")


def image_dataset(fallback: str = "digits") -> tuple[str, bool]:
    """The sidebar's data set for a lesson on images, and whether it is the sidebar's
    choice (False: the sidebar holds points, e.g. the swiss roll, so ``fallback`` is used)."""
    from aecore.data import image_dataset_names

    name = dataset()
    return (name, True) if name in image_dataset_names() else (fallback, False)


def data_label(name: str) -> str:
    """A data set's name as the sidebar shows it, in the session's language."""
    return _label(name, current_lang())


def _label(name: str, lang: str) -> str:
    if name.startswith("upload-"):
        return translate("sidebar.own_data", lang, name=user_label(name) or name)
    return translate(f"data.{name}", lang)


def _upload() -> None:
    """Validate an uploaded CSV/NPZ, register it, and select it for this session."""
    f = st.file_uploader(
        t("sidebar.upload"),
        type=["csv", "npz", "npy"],
        key="upload_file",
        max_upload_size=MAX_UPLOAD_BYTES // 2**20,
        help=t("sidebar.upload_help"),
    )
    if f is None:
        return
    token = (f.name, f.size, getattr(f, "file_id", ""))
    if st.session_state.get("upload_token") == token:
        return  # already handled this file
    st.session_state["upload_token"] = token
    try:
        up = load_upload(f.name, f.getvalue())
        name = register_dataset(up.X, up.y, up.image_shape, label=up.name)
    except DataError as exc:
        st.session_state["upload_error"] = exc  # shown in the language of the moment
        return
    st.session_state.pop("upload_error", None)
    own = st.session_state.setdefault(UPLOADS, [])
    if name not in own:
        own.append(name)
    st.session_state["dataset"] = name
    st.session_state["upload_notes"] = list(up.notes)


def _relabel_choices() -> None:
    """After a language change, re-set every keyed selectbox (the data set, the lessons'
    choice knobs) to its own value so Streamlit sends its label in the new language.

    Streamlit 1.67 keys a selectbox's identity on its key alone, so a new ``format_func``
    does not redraw it: the old language's label stays on screen, and on the next language
    switch that stale label matches no option and the choice falls back to the first one
    (a chosen data set silently became digits). Selectbox values are the only strings
    among the widget values here."""
    for key in list(st.session_state):
        if key != "lang" and (key == "dataset" or ".w." in str(key)):
            value = st.session_state[key]
            if isinstance(value, str):
                st.session_state[key] = value


def render() -> None:
    with st.sidebar:
        st.selectbox(
            t("sidebar.language"),
            languages(),
            key="lang",
            format_func=lambda c: LANG_NAMES[c],
            on_change=_relabel_choices,
        )
        with st.expander(t("sidebar.your_data"), icon=":material/upload_file:"):
            _upload()
            if "upload_error" in st.session_state:
                st.error(error_text(st.session_state["upload_error"]), icon=":material/error:")
            for note in st.session_state.get("upload_notes", []):
                code = getattr(note, "code", None)
                st.caption(t(f"upload_note.{code}", **note.params) if code else note)
        options = list(GENERAL_DATASETS) + list(st.session_state.get(UPLOADS, []))
        if dataset() not in options:
            st.session_state["dataset"] = "digits"
        st.selectbox(
            t("sidebar.dataset"),
            options,
            key="dataset",
            help=t("sidebar.dataset_help"),
            format_func=partial(_label, lang=current_lang()),
        )  # may run outside this run
        presenter.toggle()
        info = device_info()
        where = info["device"] if info["device"] == info["name"] else f"{info['device']} · {info['name']}"
        st.caption(t("sidebar.device", device=where, torch=info["torch"], threads=info["threads"]))
