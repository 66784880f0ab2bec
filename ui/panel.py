"""The one training panel every page uses: first view, Train/Retrain, live progress, Stop.

``training_panel(key, config, experiment=...)`` returns the Result to draw for ``config``, or
None while it trains. ``key`` is the form/session key of the page part (``"denoising.field"``);
``experiment`` the aecore experiment it runs (``"denoising_field"``, default: ``key``).

What the panel shows is one explicit state, computed by the pure function
``ui.panel_state.plan`` from what the result cache holds for these settings, this session's
job and whether the session just asked to train (the form's Train button or Retrain): Train
always trains what the form shows; a cached result (a lecture preset, the instant first
view, or a result trained before) is shown at once with Retrain; Stop keeps the partial model.

Training runs as a background Job (ui.jobs); a fragment polls it to draw the progress bar,
the queue position and the live loss chart. A closed tab ends the job.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from aecore import replay
from aecore.errors import CodedError
from aecore.experiments import get as get_experiment
from aecore.figures.common import loss_figure
from aecore.train import TrainingDiverged
from ui import guard, results
from ui.exports import export_panel
from ui.i18n import error_text, stage_label, stage_labels, t
from ui.jobs import Job
from ui.panel_state import JobFacts, State, plan
from ui.safe import md

POLL_SECONDS, QUEUED_POLL_SECONDS = 0.5, 2.0


def facts(job: Job | None, config: Any) -> JobFacts | None:
    if job is None:
        return None
    if not job.done.is_set():
        return JobFacts(job.config == config, job.superseded, queued=bool(job.queue_position))
    return JobFacts(
        job.config == config,
        job.superseded,
        done=True,
        failed=job.error is not None,
        stopped=job.result is None or job.stopped,
        replay=job.loaded_from is not None,
    )


def ask_to_train(key: str) -> None:
    """Record a Train/Retrain press for ``key``; the next ``training_panel(key, ...)`` trains."""
    st.session_state[f"{key}.press"] = True


def _job(key: str) -> Job | None:
    job = st.session_state.get(f"{key}.job")
    return job if isinstance(job, Job) else None


def _alive_fn():
    """A callable telling whether this browser session is still connected."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return lambda: True
    runtime, sid = Runtime.instance(), ctx.session_id
    return lambda: runtime.is_active_session(sid)


def new_job(
    experiment: str, config: Any, *, share: bool = True, states: dict | None = None, loaded_from: str | None = None
) -> Job:
    """A job (not started) running ``experiment`` on ``config``, or replaying ``states``
    (weights loaded from the files ``loaded_from``; never shared). ``share=False``: train
    even if another session finishes the same config meanwhile."""
    run = get_experiment(experiment).run
    if states is not None:
        run = lambda cfg, on_progress: replay.replay(experiment, cfg, states, on_progress)  # noqa: E731
    share = share and states is None
    return Job(experiment, config, run, alive=_alive_fn(), share=share, loaded_from=loaded_from)


def start(key: str, config: Any, experiment: str | None = None, **kw: Any) -> Job:
    """Start ``experiment`` (default ``key``) on ``config`` for this session, ending any job
    it already had (one job per session); ``kw`` as for ``new_job``."""
    for old_key in [k for k in st.session_state if str(k).endswith(".job")]:
        old = st.session_state[old_key]
        if isinstance(old, Job) and not old.done.is_set():
            old.superseded = True  # it restarts when its page is revisited
            old.cancel.set()
    job = new_job(experiment or key, config, **kw)
    refused = guard.refusal(key, experiment or key, config, replay=kw.get("states") is not None)
    if refused is None:
        job.start()
    else:  # a finished job that carries the reason (too long, too many starts): the page shows it
        job.error = refused
        job.done.set()
    st.session_state[f"{key}.job"] = job
    return job


def training_panel(key: str, config: Any, *, experiment: str | None = None, auto: bool = False) -> Any | None:
    """Draw the panel's state for ``config``; return the Result to show, if there is one."""
    name = experiment or key
    cached = results.get(name, config)
    source = None if cached is None else "preset" if cached.source == "preset" else "shared"
    job, pressed = _job(key), st.session_state.pop(f"{key}.press", False)
    p = plan(source, facts(job, config), pressed, auto)
    if p.cancel_stale:
        job.cancel.set()  # settings changed: the old run is no longer wanted
    if p.start is not None:
        if not (pressed or guard.may_autostart(key, name, config)):  # a long run without a click asks first
            return None
        job = start(key, config, name, share=p.start == "shared")
    match p.state:
        case State.PRESET | State.CACHED:
            _cached_note(key, p.state)
            return _show(key, name, config, cached)
        case State.QUEUED | State.TRAINING:
            _live(key)
            return None
        case State.FAILED:
            _show_error(job.error)
            if isinstance(job.error, guard.Refused):  # asked again next time (the rate may allow it)
                del st.session_state[f"{key}.job"]
            return None
        case State.STOPPED:
            st.info(t("panel.stopped_note"), icon=":material/pause_circle:")
            return None if job.result is None else _show(key, name, config, job.result)
        case State.REPLAYED:
            _loaded_note(key, job)
            return _show(key, name, config, job.result)
        case State.TRAINED:
            results.put(name, config, job.result)
            return _show(key, name, config, job.result)
        case State.IDLE:
            return None


def _cached_note(key: str, state: State) -> None:
    """Say where the result comes from; Retrain trains these settings live for this session."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(t("panel.preset_note" if state is State.PRESET else "panel.cached_note"))
    right.button(t("panel.retrain"), key=f"{key}.retrain", icon=":material/replay:", on_click=ask_to_train, args=(key,))


def _show(key: str, name: str, config: Any, result: Any) -> Any:
    """The export panel under a result; loading weights there starts their replay."""
    loaded = export_panel(key, name, config, result)
    if loaded is not None:
        states, files = loaded
        st.session_state[f"{key}.before_load"] = _job(key)  # what "Back to trained" restores
        start(key, config, name, states=states, loaded_from=files)
        st.rerun()
    return result


def _loaded_note(key: str, job: Job) -> None:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.info(t("panel.loaded_note", files=md(job.loaded_from)), icon=":material/upload_file:")
    if right.button(t("panel.back_to_trained"), key=f"{key}.unload", icon=":material/undo:"):
        st.session_state[f"{key}.job"] = st.session_state.pop(f"{key}.before_load", None)
        st.rerun()
    if job.result.stopped:
        st.info(t("panel.stopped_note"), icon=":material/pause_circle:")


def _show_error(exc: BaseException) -> None:
    if isinstance(exc, guard.Refused):
        st.warning(str(exc), icon=":material/hourglass_disabled:")
    elif isinstance(exc, TrainingDiverged):
        st.error(t("panel.diverged", stage=stage_label(exc.stage), epoch=exc.epoch), icon=":material/warning:")
    elif isinstance(exc, CodedError):  # a bad setting or data set, with a translated message
        st.error(t("panel.bad_setting", message=error_text(exc)), icon=":material/error:")
    else:
        st.error(t("panel.failed", kind=type(exc).__name__), icon=":material/error:")


# ---- live progress: a fragment polls the job ---------------------------------------------


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


def _live(key: str) -> None:
    """Poll the job: twice a second while it trains, every 2 s while it waits in the
    queue (each poll costs the server ~20 ms; a waiting class should not outspend the
    training it waits for)."""
    job = _job(key)
    if job is not None and job.queue_position:
        _poll_slow(key)
    else:
        _poll_fast(key)


@st.fragment(run_every=POLL_SECONDS)
def _poll_fast(key: str) -> None:
    _draw(key)


@st.fragment(run_every=QUEUED_POLL_SECONDS)
def _poll_slow(key: str) -> None:
    job = _job(key)
    if job is not None and not job.queue_position and not job.done.is_set():
        st.rerun()  # admitted: switch to the fast poll
    _draw(key)


def _draw(key: str) -> None:
    job = _job(key)
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
            key=f"{key}.live_loss",
        )
    if st.button(t("panel.stop"), key=f"{key}.stop", icon=":material/stop:"):
        job.cancel.set()
        st.toast(t("panel.stopping"))
