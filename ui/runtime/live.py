"""A running job on the page: a fragment polls it and redraws its progress.

``follow(key)`` draws the job stored under ``<key>.job`` in the session (a training run of
``ui.runtime.panel``, or a claims check of ``ui.runtime.checks``): queue position, a progress
bar (its stages weighed by their estimated cost) whose text says which model or stage runs,
how long it has run and, for runs expected to last over 10 s, about how long is left
(``aecore.eta``: the run's own pace blended with its estimate), the live loss chart, and
Stop. The time shown changes every second, so the page never sits still while a job runs; when the job ends
the whole page reruns and draws its result.
"""

from __future__ import annotations

import math
import time

import streamlit as st

from aecore.figures.common import finish, loss_figure
from ui.kit import presenter
from ui.kit.i18n import current_lang, stage_label, stage_labels, t
from ui.runtime import eta
from ui.runtime.jobs import Job

POLL_SECONDS, QUEUED_POLL_SECONDS = 0.5, 2.0


def job_of(key: str) -> Job | None:
    job = st.session_state.get(f"{key}.job")
    return job if isinstance(job, Job) else None


def _time_parts(job: Job) -> list[str]:
    """'14 s so far' and, for a run expected to last over 10 s, 'about 40 s left'."""
    since = job.running_since
    if since is None:
        return []
    elapsed = time.monotonic() - since
    parts = [t("live.elapsed", seconds=math.floor(elapsed))]
    clock, prior = job.clock(), job.prior_s()
    if clock is not None:
        left = clock.left(time.monotonic())
    else:  # before the first report (loading data, building models): the prior counts down
        left = None if prior is None else max(0.0, prior - elapsed)
    if eta.worth_showing(elapsed, left):
        unit, value = eta.rounded(left)
        parts.append(t(f"live.left_{unit}", value=value))
    return parts


def status_line(job: Job) -> str:
    """Queue position, or what runs now and for how long."""
    pos = job.queue_position
    if pos:
        return t("panel.queued", position=pos)
    p = job.last
    if p is None:
        return " · ".join([t("panel.starting"), *_time_parts(job)])
    stage = stage_label(p.stage)
    if p.loss != p.loss:
        what = t("panel.stage", stage=stage)
    elif hasattr(p, "seeds"):  # a claims check: the loss of one seed's run says little
        what = t("live.epoch", stage=stage, epoch=p.epoch, epochs=p.epochs)
    else:
        what = t("panel.progress", stage=stage, epoch=p.epoch, epochs=p.epochs, loss=f"{p.loss:.4g}")
    if hasattr(p, "seeds"):
        what = t("live.seed", seed=p.seed, n=p.index + 1, seeds=p.seeds) + " · " + what
    return " · ".join([what, *_time_parts(job)])


def follow(key: str, chart: bool = True) -> None:
    """Poll the job: twice a second while it runs, every 2 s while it waits in the queue
    (each poll costs the server ~20 ms; a waiting class should not outspend the training
    it waits for)."""
    job = job_of(key)
    if job is not None and job.queue_position:
        _poll_slow(key, chart)
    else:
        _poll_fast(key, chart)


@st.fragment(run_every=POLL_SECONDS)
def _poll_fast(key: str, chart: bool) -> None:
    _draw(key, chart)


@st.fragment(run_every=QUEUED_POLL_SECONDS)
def _poll_slow(key: str, chart: bool) -> None:
    job = job_of(key)
    if job is not None and not job.queue_position and not job.done.is_set():
        st.rerun()  # admitted: switch to the fast poll
    _draw(key, chart)


def _draw(key: str, chart: bool) -> None:
    job = job_of(key)
    if job is None:
        return
    if job.done.is_set():
        st.rerun()  # the whole page redraws with the result
    clock = job.clock()
    frac = 0.0 if clock is None else clock.fraction()  # stages weighed by their estimated cost
    st.progress(frac, text=status_line(job))
    if chart and job.losses:
        curves = stage_labels({k: list(v) for k, v in job.losses.items()})
        fig = loss_figure(curves, xlabel=t("panel.epoch"), ylabel=t("panel.loss"))
        st.plotly_chart(presenter.figure(finish(fig, current_lang())), key=f"{key}.live_loss")
    if st.button(t("panel.stop"), key=f"{key}.stop", icon=":material/stop:"):
        job.cancel.set()
        st.toast(t("panel.stopping"))
