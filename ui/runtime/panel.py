"""The one training panel every page uses: first view, Train/Retrain, live progress, Stop.

``training_panel(key, config, experiment=...)`` returns the Result to draw for ``config``, or
None while it trains. ``key`` is the form/session key of the page part (``"denoising.field"``);
``experiment`` the aecore experiment it runs (``"denoising_field"``, default: ``key``).

What the panel shows is one explicit state, computed by the pure function
``ui.runtime.panel_state.plan`` from what the result cache holds for these settings, this session's
job and whether the session just asked to train (the form's Train button or Retrain): Train
always trains what the form shows; a cached result (a lecture preset, the instant first
view, or a result trained before) is shown at once with Retrain; Stop keeps the partial model.

Training runs as a background Job (ui.runtime.jobs); a fragment polls it to draw the progress bar,
the queue position, the time left and the live loss chart (ui.runtime.live). A closed tab ends the
job. In presenter mode the preset's note and the Export & share panel are left out.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from aecore import cost, replay
from aecore import eta as aeta
from aecore.errors import CodedError
from aecore.experiments import get as get_experiment
from aecore.train import TrainingDiverged
from ui.kit import presenter
from ui.kit.i18n import error_text, stage_label, t
from ui.kit.requests import ask_to_train, take_press
from ui.kit.safe import md
from ui.runtime import eta, guard, results
from ui.runtime.exports import export_panel
from ui.runtime.jobs import Job
from ui.runtime.live import follow, job_of
from ui.runtime.panel_state import Decision, JobFacts, State, plan


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


def alive_fn():
    """A callable telling whether this browser session is still connected."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return lambda: True
    runtime, sid = Runtime.instance(), ctx.session_id
    return lambda: runtime.is_active_session(sid)


def new_job(
    experiment: str,
    config: Any,
    *,
    share: bool = True,
    states: dict | None = None,
    loaded_from: str | None = None,
    estimate: cost.Estimate | None = None,
) -> Job:
    """A job (not started) running ``experiment`` on ``config``, or replaying ``states``
    (weights loaded from the files ``loaded_from``; never shared). ``share=False``: train
    even if another session finishes the same config meanwhile. ``estimate``: the page
    run's estimate of ``config`` (``guard.estimate``), made here when not given."""
    run = get_experiment(experiment).run
    if states is not None:
        run = lambda cfg, on_progress: replay.replay(experiment, cfg, states, on_progress)  # noqa: E731
    share = share and states is None
    job = Job(experiment, config, run, alive=alive_fn(), share=share, loaded_from=loaded_from)
    est = estimate if estimate is not None else guard.estimate(experiment, config)
    job.estimate_s = None if est is None else est.seconds  # the server's speed and load are applied as it runs
    job.shares = stage_shares(experiment, config)
    return job


def stage_shares(experiment: str, config: Any) -> dict[str, float]:
    """Each stage's share of a run's estimated cost, for the fraction done (``aecore.eta``)."""
    try:
        return aeta.weights(cost.stage_seconds(get_experiment(experiment), config))
    except Exception:  # no weights: each stage's own epochs make the bar, as before
        return {}


def start(key: str, config: Any, experiment: str | None = None, *, decision: Decision | None = None, **kw: Any) -> Job:
    """Start ``experiment`` (default ``key``) on ``config`` for this session, ending any job
    it already had (one job per session); ``decision``: this page run's, whose estimate and
    cost verdict are used; ``kw`` as for ``new_job``."""
    name = experiment or key
    replaying = kw.get("states") is not None
    est = decision.estimate if decision is not None else None if replaying else guard.estimate(name, config)
    job = new_job(name, config, estimate=est, **kw)
    too_long = decision.too_long if decision is not None else guard.too_long(key, name, est)
    return launch(key, job, guard.refusal(key, too_long, replay=replaying))


def decide(key: str, name: str, config: Any, job: Job | None, pressed: bool, auto: bool) -> Decision:
    """This page run's plan (``panel_state.plan``) and, when it starts a job or offers Train on
    the user's own data, the one cost estimate of ``config``; for a start, whether to ask first
    and the cost cap's verdict."""
    cached = results.get(name, config)
    source = None if cached is None else "preset" if cached.source == "preset" else "shared"
    p = plan(source, facts(job, config), pressed, auto, self_start=not results.own_data(config))
    if p.start is None and p.state is not State.UNTRAINED:
        return Decision(p, cached)
    est = guard.estimate(name, config)  # the one estimate of this page run
    work = None if est is None else eta.work_seconds(est.seconds, name)
    if p.start is None:  # untrained on the user's own data: Train is offered with this time
        return Decision(p, cached, est, work)
    ask = not pressed and guard.needs_click(work)
    return Decision(p, cached, est, work, ask=ask, too_long=guard.too_long(key, name, est))


def launch(key: str, job: Job, refused: Exception | None) -> Job:
    """Store ``job`` as the session's job under ``key`` and start it, ending any job the
    session already had (one job per session: training runs and claims checks alike);
    a refused job is stored finished, carrying the reason, for the page to show."""
    for old_key in [k for k in st.session_state if str(k).endswith(".job")]:
        old = st.session_state[old_key]
        if isinstance(old, Job) and not old.done.is_set():
            old.superseded = True  # it restarts when its page is revisited
            old.abandon.set()
            old.cancel.set()
    if refused is None:
        job.start()
    else:  # a finished job that carries the reason (too long, too many starts): the page shows it
        job.error = refused
        job.done.set()
    st.session_state[f"{key}.job"] = job
    return job


def training_panel(key: str, config: Any, *, experiment: str | None = None, auto: bool = False) -> Any | None:
    """The Train button, progress, Stop and errors of one page part; its result.

    Parameters
    ----------
    key : the page part's key, also its settings form's (``settings_form``) and catalog prefix.
    config : the config the form returns; experiment : its name, when not ``key``.
    auto : the page's default view trains by itself when no preset or cached result has it.

    Returns
    -------
    The Result to show (a preset, a cached or this session's run, a stopped run's partial
    models), or None while nothing is ready.

    Example (in a page)
    -------------------
    ``res = training_panel("intro", settings_form("intro", IntroConfig(), ["epochs"]), auto=True)``
    """
    name = experiment or key
    job, pressed = job_of(key), take_press(key)
    if job is not None and job.released and not job.too_big:
        job = None  # its result was dropped to bound the session's memory: as if never trained here
    d = decide(key, name, config, job, pressed, auto)
    p, cached = d.plan, d.cached
    if p.cancel_stale:  # settings changed: the old run is no longer wanted
        job.abandon.set()
        job.cancel.set()
    if p.start is not None:
        if d.ask and not guard.ask(key, d.work_s):  # a long run without a click asks first
            return None
        job = start(key, config, name, decision=d, share=p.start == "shared")
    match p.state:
        case State.PRESET | State.CACHED:
            _cached_note(key, p.state)
            return _show(key, name, config, cached)
        case State.QUEUED | State.TRAINING:
            follow(key)
            return None
        case State.FAILED:
            _show_error(job.error)
            if isinstance(job.error, guard.Refused):  # asked again next time (the rate may allow it)
                del st.session_state[f"{key}.job"]
            return None
        case State.STOPPED:
            if job.result is None:  # stopped while queued, abandoned (aecore.stopping), or too big to keep
                if not (job.too_big and not _hold(key, job)):
                    st.info(t("panel.stopped_empty"), icon=":material/pause_circle:")
                return None
            st.info(t("panel.stopped_note"), icon=":material/pause_circle:")
            return _show(key, name, config, job.result) if _hold(key, job) else None
        case State.REPLAYED:
            _loaded_note(key, job)
            return _show(key, name, config, job.result) if _hold(key, job) else None
        case State.TRAINED:
            results.put(name, config, job.result)
            return _show(key, name, config, job.result) if _hold(key, job) else None
        case State.UNTRAINED:  # (and IDLE: nothing to show)
            _untrained(key, d.work_s)
    return None


def _hold(key: str, job: Job) -> bool:
    """Count the job's result in the session's bounded store; say so when it is too big."""
    if job.too_big or not results.hold(key, job):
        mb = lambda b: f"{b / 2**20:.0f}"  # noqa: E731
        st.warning(t("panel.too_big", size=mb(job.too_big), limit=mb(results.SESSION_BYTES)), icon=":material/memory:")
        return False
    return True


def _cached_note(key: str, state: State) -> None:
    """Say where the result comes from; Retrain trains these settings live for this session."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    if not presenter.active():  # where it comes from is for the lecturer's preparation, not the class
        left.caption(t("panel.preset_note" if state is State.PRESET else "panel.cached_note"))
    right.button(t("panel.retrain"), key=f"{key}.retrain", icon=":material/replay:", on_click=ask_to_train, args=(key,))


def _show(key: str, name: str, config: Any, result: Any) -> Any:
    """The export panel under a result (not while presenting); loading weights there starts
    their replay. Remembers what is shown, for the claims box's check across seeds."""
    st.session_state[f"{key}.shown"] = (name, config)
    loaded = None if presenter.active() else export_panel(key, name, config, result)
    if loaded is not None:
        states, files = loaded
        st.session_state[f"{key}.before_load"] = job_of(key)  # what "Back to trained" restores
        start(key, config, name, states=states, loaded_from=files)
        st.rerun()
    return result


def _untrained(key: str, seconds: float | None) -> None:
    """The default view on the lecturer's own data: not started by opening the page (it
    would train for minutes and end the job of the page before); Train, with the page run's
    estimate (``seconds``)."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.info(t("panel.untrained"), icon=":material/model_training:")
    label = t("panel.train") if seconds is None else t("panel.train_about", time=cost.human(seconds))
    right.button(label, key=f"{key}.train_own", icon=":material/play_arrow:", on_click=ask_to_train, args=(key,))


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
