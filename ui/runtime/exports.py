"""Export & share: every lesson's result as files a student can keep or re-run.

Config as JSON, a runnable script that reproduces the experiment with aecore, the
metrics as CSV, and each trained model's weights as safetensors (loadable back with
``aecore.store.weights.load_weights``, validated against the architecture). Figures export
from each chart's own toolbar (camera icon: PNG).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from aecore import replay
from aecore.experiments import get as get_experiment
from aecore.store import export, script, weights
from ui.kit.i18n import error_text, stage_label, t
from ui.kit.safe import md

MAX_WEIGHT_FILES = 8


@st.cache_data(max_entries=64, show_spinner=False)
def _weights_bytes(_model, stage: str | None, key: str) -> bytes:
    return weights.save_weights(_model, stage)


def export_panel(lesson: str, experiment: str, config: Any, result: Any) -> tuple[dict, str] | None:
    """Downloads for ``result``; returns (weights by stage, file names) when the user asks
    to load exported weights back (the caller replays the experiment with them)."""
    with st.expander(t("export.title"), icon=":material/download:"):
        cols = st.columns(3)
        cols[0].download_button(
            t("export.config"),
            export.config_to_json(config, experiment),
            file_name=f"{experiment}-config.json",
            mime="application/json",
            key=f"{lesson}.dl.config",
        )
        cols[1].download_button(
            t("export.script"),
            script.script_for(experiment, config),
            file_name=f"reproduce_{experiment}.py",
            mime="text/x-python",
            key=f"{lesson}.dl.script",
        )
        cols[2].download_button(
            t("export.metrics"),
            export.metrics_to_csv(result.metrics),
            file_name=f"{experiment}-metrics.csv",
            mime="text/csv",
            key=f"{lesson}.dl.metrics",
        )
        extra = st.columns(3)  # weights and latent codes flow in one grid below
        n = 0
        for name, model in result.models.items():
            stage = result.stages.get(name)
            try:
                # A config fixes the trained weights, except after Stop or a load: not cached then.
                data = (
                    weights.save_weights(model, stage)
                    if result.stopped or result.source == "loaded"
                    else _weights_bytes(model, stage, f"{experiment}:{hash(config)}:{name}")
                )
            except (ValueError, TypeError):  # a model kind without a weights format
                continue
            slug = "".join(c if c.isalnum() else "_" for c in str(name)).strip("_").lower()
            extra[n % 3].download_button(
                t("export.weights", model=stage_label(stage) if stage else name),
                data,
                file_name=f"{experiment}-{slug}.safetensors",
                mime="application/octet-stream",
                key=f"{lesson}.dl.weights.{n}",
            )
            n += 1
        _codes_buttons(lesson, experiment, result, extra, n)
        st.caption(t("export.note"))
        return _weights_loader(lesson, result)


def _codes_buttons(lesson: str, experiment: str, result: Any, cols, start: int) -> None:
    """One CSV per code set the experiment declares (z1..zk and the label), built on click."""
    declare = get_experiment(experiment).codes
    if declare is None:
        return
    try:
        sets = declare(result.arrays)
    except (KeyError, TypeError):  # a result without those arrays (e.g. stopped early)
        return
    for i, (name, (Z, labels)) in enumerate(sets.items()):
        cols[(start + i) % 3].download_button(
            t("export.codes", name=name),
            lambda Z=Z, y=labels: export.codes_to_csv(Z, y),
            file_name=f"{experiment}-codes-{name}.csv",
            mime="text/csv",
            key=f"{lesson}.dl.codes.{i}",
            on_click="ignore",
        )


def _weights_loader(lesson: str, result: Any) -> tuple[dict, str] | None:
    """Upload .safetensors files exported from this lesson; validated before anything runs."""
    if not replay.stages(result):
        return None
    files = st.file_uploader(
        t("export.load_label"),
        type=["safetensors"],
        accept_multiple_files=True,
        key=f"{lesson}.load_weights",
        help=t("export.load_help"),
        max_upload_size=weights.MAX_WEIGHTS_BYTES // 2**20,
    )
    if not files or not st.button(t("export.load_run"), key=f"{lesson}.load_run", icon=":material/upload:"):
        return None
    if len(files) > MAX_WEIGHT_FILES:
        st.error(t("export.load_too_many", most=MAX_WEIGHT_FILES), icon=":material/error:")
        return None
    try:
        states = replay.match({f.name: f.getvalue() for f in files}, result)
    except weights.WeightsError as exc:
        st.error(
            t("export.load_error", file=md(getattr(exc, "file", "?")), message=error_text(exc)), icon=":material/error:"
        )
        return None
    return states, ", ".join(f.name for f in files)
