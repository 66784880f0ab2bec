"""Page pieces of the family page (``family``): the one table with each column's winner
highlighted (``family_claims.winners``), and the sentences that the run's numbers choose
(what is shown and not claimed, what a column does not say)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from aecore.experiments.family_claims import MEMBERS, SHOWN, best, winners
from ui.kit.i18n import t
from ui.kit.page import num

WINNER_STYLE = "font-weight: 700; background-color: #cfe3f7"  # a light blue the dark text reads on
FAR = 0.5  # a copy share below this for every member: none of them copies a change through


def member_names() -> dict[str, str]:
    return {m: t(f"family.member.{m}") for m in MEMBERS}


# The table in two halves that each fit a 1280 px screen: what the models rebuild and how
# their maps move (reconstruction and geometry), then what their codes hold (codes and generation).
HALVES = {
    "recon": ("mse_train", "mse_heldout", "copy_in", "copy_out", "gain_in", "gain_out", "jacobian"),
    "codes": ("active", "probe", "precision_prior", "coverage_prior", "class_entropy_prior", "coverage_fit"),
}


def table(m: Mapping[str, float]) -> None:
    """One row per member, one column per measure, in two tables (``HALVES``); each column's
    winner highlighted."""
    won = winners(m)
    for half, keys in HALVES.items():
        cols = [key for key in keys if any(f"{key}_{p}" in m for p in MEMBERS)]
        if cols:
            st.markdown(f"**{t(f'family.half.{half}')}**")
            _frame(m, cols, won)
    st.caption(t("family.half.legend"))
    st.caption(t("family.winners_note"))


def _frame(m: Mapping[str, float], cols: list[str], won: dict[str, str]) -> None:
    import pandas as pd

    names = member_names()
    # Text cells: a member without the measure (the VAE has no sigmoid code) reads "–", not None.
    data = {t(f"family.col.{c}"): [num(m[f"{c}_{p}"], 3) if f"{c}_{p}" in m else "–" for p in MEMBERS] for c in cols}
    frame = pd.DataFrame(data, index=[names[p] for p in MEMBERS])

    def mark(column: pd.Series) -> list[str]:
        key = cols[list(frame.columns).index(column.name)]
        return [WINNER_STYLE if names.get(won.get(key)) == row else "" for row in frame.index]

    styled = frame.style.apply(mark, axis=0)
    config = {t(f"family.col.{c}"): st.column_config.Column(help=t(f"family.col_help.{c}")) for c in cols}
    st.dataframe(styled, width="stretch", column_config=config)


def shown_texts(m: Mapping[str, float], k: int) -> list[str]:
    """The sentences chosen by this run's numbers: the two results shown but not claimed,
    the contractive AE's flat sigmoids, and what the copy share cannot show here."""
    names, numbers = member_names(), {key: num(v, 3) for key, v in m.items()}
    texts = []
    if "coverage_prior_vae" in m:
        fit = best(m, "coverage_fit", MEMBERS[:4], lowest=False)
        extra = dict(fit=names[fit], fit_coverage=numbers[f"coverage_fit_{fit}"])
        key = "family.shown.fitted_vae" if SHOWN["vae_beats_fitted"](m) else "family.shown.fitted_ae"
        texts.append(t(key, **extra, **numbers))
    least = best(m, "gain_out", MEMBERS)
    if SHOWN["denoising_least_off_span"](m):
        texts.append(t("family.shown.least_dae", **numbers))
    else:
        texts.append(
            t("family.shown.least_other", other=names[least], other_gain=numbers[f"gain_out_{least}"], **numbers)
        )
    if m["slope_contractive"] < m["slope_plain"]:
        texts.append(t("family.slope_note", **numbers))
    if max(m[f"copy_in_{p}"] for p in MEMBERS) < FAR:
        texts.append(t("family.copy_note", k=k, **numbers))
    return texts
