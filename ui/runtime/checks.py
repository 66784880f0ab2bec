"""The claims box, and 'Check on 5 seeds' under it: does each claim survive other seeds?

The same check as ``python -m aecore check`` (``aecore.check.check_claims``: seeds
``cfg.seed … cfg.seed + 4``, everything else as on screen), run in the background like
training (ui.runtime.jobs: queue position, a progress bar saying which seed and stage runs, Stop;
ui.runtime.live). Finished checks are kept per (experiment, config) for every session, like results:
a lecturer's check serves the class; a check on an upload stays in its session (ui.runtime.results).
A stopped check shows the seeds that finished and is not kept. The settings checked are
those of the result on screen (``ui.runtime.panel`` records them as ``<key>.shown``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import streamlit as st

from aecore.check import DEFAULT_SEEDS, check_claims
from aecore.errors import CodedError
from aecore.memory import ByteLRU, env_mb
from ui.kit import deck, presenter
from ui.kit.i18n import current_lang, error_text, t, translate
from ui.kit.page import claim_words, fmt
from ui.runtime import guard, panel
from ui.runtime.jobs import Job
from ui.runtime.live import follow, job_of
from ui.runtime.results import Cache

SEEDS = DEFAULT_SEEDS
CHECKS_BYTES = env_mb("AE_CHECKS_MB", 16)  # finished checks: a small dict per (experiment, config)
_store = Cache("check", ByteLRU(CHECKS_BYTES))  # checks on uploads: the session's own store


def clear() -> None:
    _store.clear()


def shown_config(key: str, experiment: str) -> Any | None:
    """The config of the result the page part ``key`` shows, if it runs ``experiment``."""
    shown = st.session_state.get(f"{key}.shown")
    return shown[1] if isinstance(shown, tuple) and shown[0] == experiment else None


def _mine(key: str, config: Any) -> Job | None:
    job = job_of(f"{key}.check")
    return job if job is not None and job.config == config and not job.superseded else None


def outcome(key: str, experiment: str) -> dict | None:
    """The check of what ``key`` shows: finished (anyone's) or stopped (this session's)."""
    config = shown_config(key, experiment)
    if config is None:
        return None
    job = _mine(key, config)
    if job is not None and job.done.is_set() and isinstance(job.result, dict):
        if not job.stopped:
            _store.put(experiment, config, job.result)
        return job.result
    return _store.get(experiment, config)


def claims_box(lesson: str, experiment: Any, metrics: Mapping[str, float], numbers: Mapping | None = None) -> None:
    """The lesson's claims with a tick or a cross and the measured numbers in their text
    (``<lesson>.claims.<key>`` formatted with ``claim_words``); under a ❌ the claim's own
    explanation (``Claim.why``: a key under ``<lesson>.`` and its numbers); under them "Check on
    5 seeds" (``check_panel``), whose counts then stand beside each claim."""
    numbers = fmt(metrics) if numbers is None else numbers
    checked = outcome(lesson, experiment.name)
    lang = current_lang()
    with deck.part("claims"), st.container(border=True):
        st.markdown(f"**{t('claim.heading')}**")
        for key, ok in experiment.check_claims(dict(metrics)).items():
            claim = experiment.claim(key)
            count = None if checked is None else checked["claims"].get(key)
            _claim_line(t(f"{lesson}.claims.{key}", **claim_words(claim, metrics, numbers)), ok, count)
            if not ok and (why := claim.explain(metrics, shown_config(lesson, experiment.name))):
                st.caption(f":material/help: {t(f'{lesson}.{why[0]}', **fmt(why[1], 3))}")
            if count and count["held"] < count["of"] and (note := seed_note(lesson, key, lang)):
                st.caption(note)
        check_panel(lesson, experiment.name)


def _claim_line(text: str, ok: bool, count: Mapping[str, int] | None = None) -> None:
    """A claim with its verdict on this run; under it, once checked, on how many seeds it holds."""
    mark = ":green[:material/check_circle:]" if ok else ":red[:material/cancel:]"
    verdict = t("claim.holds") if ok else t("claim.fails")
    st.markdown(f"{mark} {text} — *{verdict}*")
    if count and count["of"]:
        st.markdown(f":material/repeat: {count_text(count)}")


def count_text(count: dict[str, int]) -> str:
    """'holds on 5/5 seeds' — and plainly when it holds on fewer than all."""
    held, of = count["held"], count["of"]
    if held == of:
        return ":green[" + t("check.holds_all", held=held, of=of) + "]"
    return ":orange[**" + t("check.holds_none" if held == 0 else "check.holds_some", held=held, of=of) + "**]"


def seed_note(key: str, claim: str, lang: str) -> str | None:
    """The lesson's explanation of when ``claim`` holds (``<key>.seed_note.<claim>``), if
    it wrote one: shown under a claim that did not hold on every seed."""
    name = f"{key}.seed_note.{claim}"
    text = translate(name, lang)
    return None if text == name else text


def _busy_elsewhere(key: str) -> bool:
    """Another job of this session runs (one job per session: starting would end it)."""
    jobs = [v for k, v in st.session_state.items() if str(k).endswith(".job") and k != f"{key}.check.job"]
    return any(isinstance(j, Job) and not j.done.is_set() for j in jobs)


def _start(key: str, experiment: str, config: Any) -> None:
    job = Job(experiment, config, partial(_run, experiment), alive=panel.alive_fn(), lookup=_store.get)
    est = guard.estimate(experiment, config)  # one estimate: the time left's prior and the cap's verdict
    job.estimate_s, job.shares = None if est is None else est.seconds, panel.stage_shares(experiment, config)
    panel.launch(f"{key}.check", job, guard.refusal(key, guard.too_long(key, experiment, est, seeds=SEEDS)))


def _run(experiment: str, config: Any, on_progress) -> dict:
    return check_claims(experiment, config, SEEDS, on_progress)


def check_panel(key: str, experiment: str) -> None:
    """Under the claims: the button, the running check, or what the finished one says."""
    config = shown_config(key, experiment)
    if config is None:
        return
    job = _mine(key, config)
    if job is not None and not job.done.is_set():
        follow(f"{key}.check", chart=False)
        return
    if job is not None and job.error is not None:
        exc = job.error
        text = str(exc) if isinstance(exc, guard.Refused) else error_text(exc) if isinstance(exc, CodedError) else None
        st.warning(text or t("check.failed", kind=type(exc).__name__), icon=":material/error:")
    done = outcome(key, experiment)
    if done is not None:
        first = config.seed
        st.caption(t("check.seeds_note", first=first, last=first + done["seeds"] - 1))
        if done.get("stopped"):
            st.caption(t("check.stopped", done=max((c["of"] for c in done["claims"].values()), default=0)))
        if done.get("diverged"):
            st.caption(t("check.diverged", seeds=", ".join(map(str, done["diverged"]))))
        if not done.get("stopped"):
            return
    busy = _busy_elsewhere(key)
    tip = t("check.busy") if busy else t("check.help", first=config.seed, last=config.seed + SEEDS - 1)
    st.button(
        t("check.button", seeds=SEEDS),
        key=f"{key}.check.start",
        icon=":material/repeat:",
        help=None if presenter.active() else tip,  # presenting: no tooltips on the projector
        disabled=busy,
        on_click=_start,
        args=(key, experiment, config),
    )
