"""The sidebar's "Prepare the class" section, shown when the chosen data is the lecturer's own
(an upload, MNIST files): one background queue per session trains every page's default views
on it (``ui.runtime.prepqueue``), with per-page progress and Stop, whatever page is open; the
results go where the pages look (``ui.runtime.results``: the session's own store for an
upload, the shared one otherwise), so every page then opens at once. The prepared results
download as one class pack (``aecore.store.pack``), and a pack loaded back (on the same data)
makes every page open at once in any session.

``AE_PREPARE_ONLY`` (experiments, comma-separated) limits the queue to those pages (tests).
"""

from __future__ import annotations

import os

import streamlit as st

from aecore import cost
from aecore.experiments import get as get_experiment
from aecore.store import pack
from aecore.store import prepare as core
from ui.kit.i18n import error_text, t
from ui.kit.safe import md
from ui.runtime import guard, panel, results
from ui.runtime.prepqueue import Item, PrepQueue

QUEUE = "prepare.queue"  # session key: (data name, PrepQueue)
LOADED = "prepare.loaded"  # session key: the pack file already read (name, size), and what it gave
POLL_SECONDS = 1.0


def _views(data: str) -> list[tuple[str, object]]:
    only = [s.strip() for s in os.environ.get("AE_PREPARE_ONLY", "").split(",") if s.strip()]
    return core.views(data, only)


def page_label(experiment: str, index: int) -> str:
    """The page a view belongs to, by its menu name (a second view of a page: "(2)")."""
    page = "denoising" if experiment.startswith("denoising") else experiment
    name = t(f"{page}.nav")
    return name if index == 0 else f"{name} ({index + 1})"


def _estimate(name: str, cfg: object) -> float | None:
    try:
        return cost.estimate(get_experiment(name), cfg).seconds
    except Exception:  # no estimate: the queue shows no time for it
        return None


def _items(data: str) -> list[Item]:
    out = []
    for name, cfg in _views(data):
        item = Item(name, cfg, _estimate(name, cfg))
        if results.get(name, cfg) is not None:
            item.state = "ready"
        elif item.estimate_s is not None and item.estimate_s > cost.SERVER_CAP_S:
            item.state = "too_long"
        out.append(item)
    return out


def _start(data: str) -> None:
    old = st.session_state.get(QUEUE)
    if old is not None:
        old[1].stop()
    items = _items(data)
    todo = [i for i in items if i.state == "waiting"]
    first = todo[0] if todo else None
    est = None if first is None else guard.estimate(first.experiment, first.config)
    refused = None if first is None else guard.refusal("prepare", guard.too_long("prepare", first.experiment, est))
    if refused is not None:
        st.session_state["prepare.refused"] = str(refused)
        return
    alive = panel.alive_fn()

    def make_job(name: str, cfg: object):
        job = panel.new_job(name, cfg)
        job.alive = alive  # the queue ends with the session, whatever page is open
        return job

    st.session_state[QUEUE] = (data, PrepQueue(items, make_job).start())


def _drain() -> None:
    """Move what the queue finished where the pages look (in this script run: the session's store)."""
    entry = st.session_state.get(QUEUE)
    if entry is not None:
        for name, cfg, result in entry[1].take():
            results.put(name, cfg, result)


def section(data: str) -> None:
    """The sidebar section for data set ``data`` (drawn only for the lecturer's own data)."""
    _drain()
    entry = st.session_state.get(QUEUE)
    queue = entry[1] if entry is not None and entry[0] == data else None
    with st.expander(t("prepare.title"), icon=":material/school:", expanded=queue is not None and queue.running):
        if queue is not None and queue.running:
            _progress(queue)
        else:
            _offer(data, queue)
        _download(data)
        _load(data)


def _offer(data: str, queue: PrepQueue | None) -> None:
    items = _items(data)
    left = [i.estimate_s or 0.0 for i in items if i.state == "waiting"]
    if queue is not None:
        _rows(queue)
    if refused := st.session_state.pop("prepare.refused", None):
        st.warning(refused, icon=":material/hourglass_disabled:")
    if not left:
        st.caption(t("prepare.all_ready", count=len(items)))
        return
    st.caption(t("prepare.explain", count=len(left)))
    label = t("prepare.start", time=cost.human(sum(left)))
    if st.button(label, key="prepare.start", icon=":material/playlist_play:"):  # not a callback: the
        _start(data)  # queue's jobs must start in this run's context, which names the session's uploads
        st.rerun()


@st.fragment(run_every=POLL_SECONDS)
def _progress(queue: PrepQueue) -> None:
    if not queue.running or any(i.state == "trained" and not i.taken for i in queue.items):
        st.rerun()  # a page finished: the whole app reruns, so the pages find it
    _rows(queue)
    if st.button(t("prepare.stop"), key="prepare.stop", icon=":material/stop:"):
        queue.stop()
        st.rerun()


def _rows(queue: PrepQueue) -> None:
    seen: dict[str, int] = {}
    lines = []
    for item in queue.items:
        index = seen[item.experiment] = seen.get(item.experiment, -1) + 1
        state = t(f"prepare.state.{item.state}")
        left = item.seconds_left() if item.state in ("waiting", "training") else None
        when = "" if left is None else " · " + t("prepare.left", time=cost.human(left))
        why = f" ({error_text(item.error)})" if item.error is not None else ""
        lines.append(f"- {page_label(item.experiment, index)}: {state}{when}{why}")
    st.markdown("\n".join(lines))


def _data_facts(data: str) -> tuple[str, str]:
    """(digest, label) of the chosen data, computed once per data set and session."""
    key = f"prepare.digest.{data}"
    if key not in st.session_state:
        st.session_state[key] = (core.digest(data), core.label(data))
    return st.session_state[key]


def _download(data: str) -> None:
    entries = [(n, c, r) for n, c in _views(data) if (r := results.get(n, c)) is not None]
    if not entries:
        return
    digest, label = _data_facts(data)
    st.download_button(
        t("prepare.download", count=len(entries)),
        data=lambda: pack.dump(entries, digest, label),
        file_name="class.pack",
        mime="application/octet-stream",
        key="prepare.download",
        icon=":material/download:",
        on_click="ignore",
    )


def _load(data: str) -> None:
    f = st.file_uploader(t("prepare.load"), type=["pack"], key="prepare.pack_file", help=t("prepare.load_help"))
    if f is None:
        return
    token = (data, f.name, f.size, getattr(f, "file_id", ""))
    done = st.session_state.get(LOADED)
    if done is None or done[0] != token:
        digest, label = _data_facts(data)
        try:
            entries = pack.read(f.getvalue(), digest, data, label)
        except pack.PackError as exc:
            done = (token, exc)
        else:
            kept = sum(results.put(n, c, r) for n, c, r in entries)
            done = (token, (kept, len(entries)))
        st.session_state[LOADED] = done
    if isinstance(done[1], Exception):
        st.error(error_text(done[1]), icon=":material/error:")
    else:
        kept, count = done[1]
        st.success(t("prepare.loaded", kept=kept, count=count, name=md(f.name)), icon=":material/check_circle:")
