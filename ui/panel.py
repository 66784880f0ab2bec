"""The one training panel every page uses: start, live progress, Stop, errors.

``training_panel(lesson, config)`` returns the finished Result for that config, or None
while it trains. The training itself runs as a background Job (ui.jobs); a fragment
polls it twice a second to draw the progress bar and the live loss chart. Stop keeps the
model trained so far (it is shown, marked as stopped, and not shared with others).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from aecore import replay
from aecore.experiments import get as get_experiment
from aecore.figures.common import loss_figure
from ui import results
from ui.exports import export_panel
from ui.i18n import error_text, stage_label, stage_labels, t
from ui.jobs import Job

POLL_SECONDS, QUEUED_POLL_SECONDS = 0.5, 2.0


def _alive_fn():
    """A callable telling whether this browser session is still connected."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return lambda: True
    runtime, sid = Runtime.instance(), ctx.session_id
    return lambda: runtime.is_active_session(sid)


def _job_key(lesson: str) -> str:
    return f"{lesson}.job"


def start(
    lesson: str,
    config: Any,
    experiment: str | None = None,
    *,
    share: bool = True,
    states: dict | None = None,
    loaded_from: str | None = None,
) -> Job:
    """Start training ``config`` for this session, ending any job it already had.

    ``share=False``: train even if a result for this config exists (a live run of a
    preset). ``states``: replay these loaded weights instead of training (aecore.replay)."""
    for key in [k for k in st.session_state if str(k).endswith(".job")]:
        old = st.session_state[key]
        if isinstance(old, Job) and not old.done.is_set():
            old.superseded = True  # one job per session; it restarts when revisited
            old.cancel.set()
    name = experiment or lesson
    run = get_experiment(name).run
    if states is not None:
        run = lambda cfg, on_progress: replay.replay(name, cfg, states, on_progress)  # noqa: E731
    job = Job(name, config, run, alive=_alive_fn(), share=share and states is None, loaded_from=loaded_from).start()
    st.session_state[_job_key(lesson)] = job
    return job


def _status_line(job: Job) -> str:
    pos = job.queue_position
    if pos:
        return t("panel.queued", position=pos)
    p = job.last
    if p is None:
        return t("panel.starting")
    if p.loss != p.loss:
        return t("panel.stage", stage=stage_label(p.stage))
    return t("panel.progress", stage=stage_label(p.stage), epoch=p.epoch, epochs=p.epochs, loss=f"{p.loss:.4g}")


def _live(lesson: str) -> None:
    """Poll the job: twice a second while it trains, every 2 s while it waits in the
    queue (each poll costs the server ~20 ms; a waiting class should not outspend the
    training it waits for)."""
    job: Job | None = st.session_state.get(_job_key(lesson))
    if job is not None and job.queue_position:
        _poll_slow(lesson)
    else:
        _poll_fast(lesson)


@st.fragment(run_every=POLL_SECONDS)
def _poll_fast(lesson: str) -> None:
    _draw(lesson)


@st.fragment(run_every=QUEUED_POLL_SECONDS)
def _poll_slow(lesson: str) -> None:
    job: Job | None = st.session_state.get(_job_key(lesson))
    if job is not None and not job.queue_position and not job.done.is_set():
        st.rerun()  # admitted: switch to the fast poll
    _draw(lesson)


def _draw(lesson: str) -> None:
    job: Job | None = st.session_state.get(_job_key(lesson))
    if job is None:
        return
    if job.done.is_set():
        st.rerun()  # the whole page redraws with the result
    p = job.last
    frac = 0.0 if p is None or p.epochs == 0 else min(1.0, p.epoch / p.epochs)
    st.progress(frac, text=_status_line(job))
    if job.losses:
        curves = stage_labels({k: list(v) for k, v in job.losses.items()})
        st.plotly_chart(
            loss_figure(curves, xlabel=t("panel.epoch"), ylabel=t("panel.loss")),
            key=f"{lesson}.live_loss",
        )
    if st.button(t("panel.stop"), key=f"{lesson}.stop", icon=":material/stop:"):
        job.cancel.set()
        st.toast(t("panel.stopping"))


def _show_error(exc: BaseException) -> None:
    from aecore.config import ConfigError
    from aecore.data import DataError
    from aecore.train import TrainingDiverged

    if isinstance(exc, TrainingDiverged):
        st.error(t("panel.diverged", stage=stage_label(exc.stage), epoch=exc.epoch), icon=":material/warning:")
    elif isinstance(exc, (ConfigError, DataError)):
        st.error(t("panel.bad_setting", message=error_text(exc)), icon=":material/error:")
    else:
        st.error(t("panel.failed", kind=type(exc).__name__), icon=":material/error:")


def _preset_note(lesson: str, name: str, config: Any, live_key: str) -> None:
    """A preset is shown at once; one click trains the same view live for this session."""
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(t("panel.preset_note"))
    if right.button(t("panel.train_live"), key=f"{lesson}.train_live", icon=":material/replay:"):
        st.session_state[live_key] = config
        start(lesson, config, name, share=False)
        st.rerun()


def _show(lesson: str, name: str, config: Any, result: Any) -> Any:
    """The export panel under a result; loading weights there starts their replay."""
    loaded = export_panel(lesson, name, config, result)
    if loaded is not None:
        states, files = loaded
        start(lesson, config, name, states=states, loaded_from=files)
        st.rerun()
    return result


def _loaded_note(lesson: str, job: Job) -> None:
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.info(t("panel.loaded_note", files=job.loaded_from), icon=":material/upload_file:")
    if right.button(t("panel.back_to_trained"), key=f"{lesson}.unload", icon=":material/undo:"):
        del st.session_state[_job_key(lesson)]
        st.rerun()


def training_panel(lesson: str, config: Any, *, experiment: str | None = None, auto: bool = False) -> Any | None:
    """Show training state for ``config``; return its Result when there is one.

    ``auto`` starts training at once when nothing is cached (the default view)."""
    name = experiment or lesson
    cached = results.get(name, config)
    live_key = f"{lesson}.live_cfg"
    if cached is not None and cached.source == "preset" and st.session_state.get(live_key) == config:
        cached = None  # this session asked to watch the default view train live
    job: Job | None = st.session_state.get(_job_key(lesson))
    if job is not None and job.config != config and not job.done.is_set():
        job.cancel.set()  # settings changed: the old run is no longer wanted
        job = None
    if job is not None and job.superseded:
        job = None
    replaying = job is not None and job.loaded_from is not None and job.config == config
    if cached is not None and not replaying:
        if cached.source == "preset":
            _preset_note(lesson, name, config, live_key)
        return _show(lesson, name, config, cached)
    if job is not None and job.config == config and job.done.is_set():
        if job.error is not None:
            _show_error(job.error)
            return None
        if job.loaded_from is not None:
            _loaded_note(lesson, job)
        elif not job.result.stopped:
            results.put(name, config, job.result)
        if job.result.stopped:
            st.info(t("panel.stopped_note"), icon=":material/pause_circle:")
        return _show(lesson, name, config, job.result)
    if job is None or job.config != config:
        if not auto:
            return None
        start(lesson, config, experiment)
    _live(lesson)
    return None
