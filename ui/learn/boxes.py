"""The teaching boxes around a lesson: its objectives under the title, a self-check fold,
and a recap at the end (each objective with the claims that prove it, their verdicts and
numbers from the run on screen, and how this session's exercises on it went)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from aecore import exercises
from aecore.experiments import get as get_experiment
from ui.kit import deck
from ui.kit.i18n import t
from ui.kit.page import claim_words, fmt
from ui.learn.progress import counts, record, state

RIGHT, WRONG, OPEN = (
    ":green[:material/check_circle:]",
    ":red[:material/cancel:]",
    ":gray[:material/radio_button_unchecked:]",
)


def _learn(lesson: str) -> exercises.LessonLearn | None:
    return exercises.load(lesson) if lesson in exercises.lessons() else None


@deck.tagged("note")
def objectives(lesson: str) -> None:
    """A short box under the title: what the learner will be able to do."""
    if (learn := _learn(lesson)) is None:
        return
    with st.container(border=True):
        st.markdown(f":material/flag: **{t('teach.objectives')}**")
        st.markdown("\n".join(f"- {t(f'learn.{lesson}.objective.{o}')}" for o in learn.objectives))


def _check_answered(lesson: str, sc_id: str, answer: str) -> None:
    record(lesson, sc_id, st.session_state.get(f"learn.{lesson}.sc.{sc_id}") == answer)


@deck.tagged("note")
def selfcheck(lesson: str) -> None:
    """The lesson's self-check questions in a fold, each with its feedback once answered."""
    if (learn := _learn(lesson)) is None or not learn.selfchecks:
        return
    title = t("teach.selfcheck", n=len(learn.selfchecks))
    with st.expander(title, icon=":material/quiz:", expanded=False):
        for i, sc in enumerate(learn.selfchecks, start=1):
            base = f"learn.{lesson}.selfcheck.{sc.id}"
            picked = st.radio(
                f"{i}. {t(f'{base}.question')}",
                sc.choices,
                index=None,
                format_func=lambda c, base=base: t(f"{base}.choice.{c}"),
                key=f"learn.{lesson}.sc.{sc.id}",
                on_change=_check_answered,
                args=(lesson, sc.id, sc.answer),
            )
            if picked is not None:
                mark = RIGHT if picked == sc.answer else WRONG
                st.markdown(f"{mark} {t(f'{base}.why.{picked}')}")


def _claims(lesson: str, experiment: str, claims: list[str], metrics: Mapping[str, float], prefix: str) -> list[str]:
    """One line per claim that this run makes: its verdict and its text with the numbers."""
    made = get_experiment(experiment).check_claims(dict(metrics))
    numbers = fmt(metrics)
    lines = []
    for key in claims:
        if key in made:
            mark = RIGHT if made[key] else WRONG
            verdict = t("claim.holds" if made[key] else "claim.fails")
            words = claim_words(get_experiment(experiment).claim(key), metrics, numbers)
            lines.append(f"    - {mark} {t(f'{prefix}.claims.{key}', **words)} — *{verdict}*")
    return lines


def _exercise_lines(learn: exercises.LessonLearn, objective: str) -> list[str]:
    mine = state().get(learn.lesson, {})
    lines = []
    for i, ex in enumerate(learn.exercises, start=1):
        if ex.objective == objective:
            done = mine.get(ex.id)
            if done is None:
                mark, word = OPEN, t("teach.not_done")
            else:
                mark, word = (RIGHT, t("teach.right")) if done else (WRONG, t("teach.wrong"))
            lines.append(f"    - {mark} {t('teach.exercise_n', n=i)} {word}")
    return lines


@deck.tagged("note")
def recap(lesson: str, metrics: Mapping[str, float], experiment: str | None = None, prefix: str | None = None) -> None:
    """At the end of the page: each objective, the claims of ``experiment`` that prove it
    (verdicts and numbers of the run on screen, texts ``<prefix>.claims.<key>``) and the
    exercises that practise it, as this session answered them."""
    if (learn := _learn(lesson)) is None:
        return
    name, prefix = experiment or learn.experiment, prefix or lesson
    with st.container(border=True):
        st.markdown(f":material/summarize: **{t('teach.recap')}**")
        if (intro := t(f"learn.{lesson}.recap.intro")) != f"learn.{lesson}.recap.intro":
            st.markdown(intro)
        lines = []
        for objective in learn.objectives:
            lines.append(f"- {t(f'learn.{lesson}.objective.{objective}')}")
            claims = [c for e, c in learn.claims_of(objective) if e == name]
            lines += _claims(lesson, name, claims, metrics, prefix) + _exercise_lines(learn, objective)
        st.markdown("\n".join(lines))
        c = counts(lesson)
        st.caption(t("teach.recap_counts", **c))
