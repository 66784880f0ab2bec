"""The sidebar's data sets that live in files (MNIST, Fashion-MNIST): only those whose files
are present are offered; the others are listed under the selector as not installed, with
how to add them and, when the server can reach a mirror, a button that downloads them with
a progress bar (``aecore.io.download``: checked against the published checksums, cached
atomically in the data folder). No message names a server folder."""

from __future__ import annotations

import time

import streamlit as st

from aecore.data.registry import installed
from aecore.errors import DataError
from aecore.io import download
from ui.kit.i18n import error_text, t

PICK = "datasets_pick"  # session key: a data set to select on the next run (just downloaded)
DONE = "datasets_done"  # session key: the data set just downloaded (one success message)
FAILED = "datasets_error"  # session key: the last download's error, shown until the next try
LINKED = "datasets_linked"  # session key: a link named a data set this server does not have


def offered(names: tuple[str, ...]) -> list[str]:
    """The data sets among ``names`` that can be selected now (cheap: file names only)."""
    return [n for n in names if installed(n)]


def before_selector(names: tuple[str, ...]) -> None:
    """Run before the selector is drawn: select a data set just downloaded; note a data set
    a link asked for that is not installed here (the selector then falls back)."""
    if (kind := st.session_state.pop(PICK, None)) and installed(kind):
        st.session_state["dataset"] = kind
    chosen = st.session_state.get("dataset")
    if chosen in names and not installed(chosen):
        st.session_state[LINKED] = chosen


def after_selector(names: tuple[str, ...]) -> None:
    """Under the selector: the data sets that are not installed, how to add them, the
    download button; messages of the last download."""
    if kind := st.session_state.pop(DONE, None):
        st.success(t("datasets.downloaded", name=t(f"datasets.name.{kind}")), icon=":material/check_circle:")
    if kind := st.session_state.pop(LINKED, None):
        st.warning(t("datasets.link_missing", name=t(f"datasets.name.{kind}")), icon=":material/info:")
    missing = [n for n in names if not installed(n)]
    if not missing:
        return
    names = ", ".join(t(f"datasets.name.{n}") for n in missing)
    st.caption(t("datasets.not_installed", names=names))
    with st.expander(t("datasets.add_title", names=names), icon=":material/download:"):
        st.markdown(t("datasets.how_to"))
        if FAILED in st.session_state:
            st.error(error_text(st.session_state[FAILED]), icon=":material/error:")
        _buttons(missing)


def _buttons(missing: list[str]) -> None:
    if not download.enabled():
        st.caption(t("datasets.download_off"))
        return
    try:
        reachable = download.online()  # None while the first probe runs: offer the button
    except DataError as exc:  # a mirror variable that is not a URL: the administrator's to fix
        st.caption(error_text(exc))
        return
    if reachable is False:
        st.info(t("datasets.offline"), icon=":material/cloud_off:")
        return
    for kind in missing:
        size = f"{download.total_bytes(kind) / 1e6:.0f}"
        label = t("datasets.download", name=t(f"datasets.name.{kind}"), size=size)
        if st.button(label, key=f"download_{kind}", icon=":material/download:"):
            _download(kind)


def _download(kind: str) -> None:
    """Download ``kind`` here, in this script run, with a progress bar; on success select it."""
    st.session_state.pop(FAILED, None)
    name = t(f"datasets.name.{kind}")
    bar = st.progress(0.0, text=t("datasets.connecting", name=name))
    shown = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - shown[0] >= 0.2 or done == total:  # at most 5 redraws a second
            shown[0] = time.monotonic()
            text = t("datasets.progress", name=name, done=f"{done / 1e6:.1f}", total=f"{total / 1e6:.1f}")
            bar.progress(min(1.0, done / max(total, 1)), text=text)

    try:
        download.fetch(kind, on_progress=progress)
    except DataError as exc:  # DownloadError, or a file that does not parse (nothing saved)
        bar.empty()
        st.session_state[FAILED] = exc
        st.error(error_text(exc), icon=":material/error:")
        return
    st.session_state[PICK] = kind
    st.session_state[DONE] = kind
    st.rerun()
