"""The sidebar shared by every page: language, data set (built-in, MNIST and Fashion-MNIST
once installed (``ui.shell.datasets``), or the user's own upload), presenter mode, device badge.

Uploads belong to the browser session that made them (``aecore.data.userdata``): every script
run binds the session's id as their owner. A reload or a link starts a new session, which
cannot see them: a link only marks ``?data=upload``, and the new session says that the
data set was not kept and asks for the file again."""

from __future__ import annotations

import secrets
from functools import partial

import streamlit as st

from aecore.data import userdata
from aecore.data.dataset import MIN_FEATURES, MIN_ROWS
from aecore.data.registry import SIDEBAR_DATASETS
from aecore.device import device_info
from aecore.errors import DataError
from aecore.io.mnist_files import KINDS as FILE_DATA
from aecore.io.uploads import MAX_UPLOAD_BYTES, load_upload
from ui.kit import presenter
from ui.kit.i18n import LANG_NAMES, current_lang, error_text, languages, md_params, t, translate
from ui.kit.safe import md
from ui.shell import datasets, prepare

DATA_PARAM = "data"  # ?data=: the sidebar's data set (``dataset`` is a lesson knob on some pages)
OWN_DATA = "upload"  # ?data=upload: the view used an upload, which a link or a reload cannot carry
DROPPED = "upload_dropped"  # session key: why the session's own data set is not there ("link", "gone")


def _owner() -> tuple[str, str]:
    """(Streamlit session id, a random token of this session): the token tells sessions
    apart where ids repeat (AppTest), the id lets the store ask whether it is still alive."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    token = st.session_state.setdefault("_upload_owner", secrets.token_hex(16))
    return (ctx.session_id if ctx is not None else "", token)


@st.cache_resource(show_spinner=False)
def _install_liveness() -> bool:
    """Once per server: the upload store may drop the data of sessions that are gone."""
    from streamlit.runtime import Runtime

    if Runtime.exists():
        runtime = Runtime.instance()
        # an owner is (session id, token); None is the process itself (command line, tests)
        userdata.STORE.alive = lambda owner: not isinstance(owner, tuple) or runtime.is_active_session(owner[0])
    return True


def own_datasets() -> tuple[str, ...]:
    """This session's uploaded data sets, oldest first."""
    return userdata.STORE.names(userdata.current_owner())


def init_from_link() -> None:
    """Every run: bind this session as the owner of its uploads. On a session's first run:
    language (?lang=) and data set (?data=) from the URL. A link never selects uploaded
    data: that stays with the session that uploaded it."""
    _install_liveness()
    userdata.set_owner(_owner())
    if "lang" not in st.session_state:
        q = st.query_params.get("lang")
        st.session_state["lang"] = q if q in languages() else "en"
    if "dataset" not in st.session_state:
        q = st.query_params.get(DATA_PARAM)
        st.session_state["dataset"] = q if q in SIDEBAR_DATASETS else "digits"
        if q == OWN_DATA:
            st.session_state[DROPPED] = "link"


def write_link() -> None:
    """Keep ?lang= and ?data= in the URL so a copied link reproduces the view."""
    for key, param, default in (("lang", "lang", "en"), ("dataset", DATA_PARAM, "digits")):
        value = st.session_state.get(key, default)
        if value not in SIDEBAR_DATASETS and key == "dataset":
            value = OWN_DATA if str(value).startswith("upload-") else default  # never the data's name
        if value != default and st.query_params.get(param) != value:
            st.query_params[param] = value
        elif value == default and param in st.query_params:
            del st.query_params[param]


def dataset() -> str:
    """The data set chosen in the sidebar (digits by default)."""
    return st.session_state.get("dataset", "digits")


def dataset_label(name: str, lang: str, owner: object = ...) -> str:
    """A data set's name for the user, as plain text (a selectbox option; pass it through
    ``ui.kit.safe.md`` before showing it as Markdown: an upload's label is its file name)."""
    if name.startswith("upload-"):
        return translate("sidebar.own_data", lang, name=userdata.user_label(name, owner) or name)
    return translate(f"data.{name}", lang)


def upload_help() -> str:
    """The uploader's tooltip, with the caps and minimums the checks apply."""
    return t("sidebar.upload_help", mb=MAX_UPLOAD_BYTES // 2**20, rows=MIN_ROWS, columns=MIN_FEATURES)


def _upload() -> None:
    """Validate an uploaded CSV/NPZ, register it for this session, and select it."""
    f = st.file_uploader(
        t("sidebar.upload"),
        type=["csv", "npz", "npy"],
        key="upload_file",
        max_upload_size=MAX_UPLOAD_BYTES // 2**20,
        help=upload_help(),
    )
    if f is None:
        return
    token = (f.name, f.size, getattr(f, "file_id", ""))
    if st.session_state.get("upload_token") == token:
        return  # already handled this file
    st.session_state["upload_token"] = token
    before = own_datasets()
    try:
        up = load_upload(f.name, f.getvalue())
        name = userdata.register_dataset(up.X, up.y, up.image_shape, label=up.name)
    except DataError as exc:
        st.session_state["upload_error"] = exc  # shown in the language of the moment
        return
    for key in ("upload_error", DROPPED):
        st.session_state.pop(key, None)
    st.session_state["dataset"] = name
    st.session_state["upload_notes"] = list(up.notes)
    if gone := [n for n in before if n not in own_datasets()]:
        st.session_state["upload_evicted"] = len(gone)


def _upload_messages() -> None:
    if "upload_error" in st.session_state:
        st.error(error_text(st.session_state["upload_error"]), icon=":material/error:")
    for note in st.session_state.get("upload_notes", []):
        code = getattr(note, "code", None)
        st.caption(t(f"upload_note.{code}", **md_params(note.params)) if code else md(note))
    if n := st.session_state.pop("upload_evicted", 0):
        st.info(t("uploads.evicted", count=n, limit=userdata.SESSION_BYTES // userdata.MB), icon=":material/info:")


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


# _KEEP: the sidebar's boxes are given their current value as their default on every run.
# Streamlit 1.67's browser side can re-mount a widget after a rerun asked from a polling
# fragment (ui.runtime.live, when a job ends); a re-mounted box starts from its default, and the
# next click sent that default back: the language fell back to English and the data set to
# digits in about half of the first clicks after a page's first training.


def render() -> None:
    with st.sidebar:
        langs = languages()
        st.selectbox(
            t("sidebar.language"),
            langs,
            index=langs.index(current_lang()),  # a re-mounted box falls back to this (see _KEEP)
            key="lang",
            format_func=lambda c: LANG_NAMES[c],
            on_change=_relabel_choices,
        )
        notice = st.empty()  # filled once this run's upload (if any) is handled
        with st.expander(t("sidebar.your_data"), icon=":material/upload_file:"):
            _upload()
            _upload_messages()
        if st.session_state.get(DROPPED):
            notice.warning(t(f"uploads.dropped_{st.session_state[DROPPED]}"), icon=":material/upload_file:")
        datasets.before_selector(SIDEBAR_DATASETS)
        options = datasets.offered(SIDEBAR_DATASETS) + list(own_datasets())  # MNIST only when installed
        if dataset() not in options:
            if dataset().startswith("upload-"):  # no longer in memory (e.g. the server restarted)
                st.session_state[DROPPED] = "gone"
            st.session_state["dataset"] = "digits"
        st.selectbox(
            t("sidebar.dataset"),
            options,
            index=options.index(dataset()),  # see _KEEP
            key="dataset",
            help=t("sidebar.dataset_help"),
            format_func=partial(dataset_label, lang=current_lang(), owner=userdata.current_owner()),
            on_change=lambda: st.session_state.pop(DROPPED, None),
        )  # may run outside this run: language and owner bound now
        datasets.after_selector(SIDEBAR_DATASETS)
        if dataset().startswith("upload-") or dataset() in FILE_DATA:  # the lecturer's own data
            prepare.section(dataset())
        presenter.toggle()
        info = device_info()
        where = info["device"] if info["device"] == info["name"] else f"{info['device']} · {info['name']}"
        st.caption(t("sidebar.device", device=where, torch=info["torch"], threads=info["threads"]))
