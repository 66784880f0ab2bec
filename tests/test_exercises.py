"""Every lesson's exercise file (``aecore/exercises/*.toml``) is valid: it loads, its
exercises' setting changes build valid configs, the metrics its grading reads exist in the
runs it grades, its texts exist in en/pt/es with exactly the keys the data asks for, and
every explanation formats with the numbers a grade gives it. Written over ``lessons()``,
so a new lesson file is checked with no edit here."""

from __future__ import annotations

import tomllib

import pytest

from aecore import presets
from aecore.exercises import lessons, load, target_config
from aecore.exercises.loader import parse
from aecore.exercises.spec import DIR, ExerciseError
from aecore.experiments import registry
from tests.exercise_checks import (
    OPTIONAL_KEYS,
    allowed_params,
    expected_keys,
    fields_of,
    learn_catalog,
    runs_of,
)
from tests.i18n_scan import OTHER_LANGS, REF

LESSONS = lessons()
# Every lesson page 0–9c (the experiment keys of their pages).
ALL_LESSONS = (
    "neural intro pca latent capacity sparse contractive denoising vae elbo_gap unet anomaly sae_features".split()
)


def test_there_are_exercise_files():
    assert {"intro", "sparse"} <= set(LESSONS)


def test_a_preset_or_a_reason_never_both():
    """``no_preset`` explains a lesson without a preset exercise; beside one it is refused."""
    raw = tomllib.loads((DIR / "anomaly.toml").read_text())
    assert any(e.get("preset") for e in raw["exercise"])
    with pytest.raises(ExerciseError, match="no_preset"):
        parse("anomaly", {**raw, "no_preset": "too large"})
    for e in raw["exercise"]:
        e.pop("preset", None)
    assert parse("anomaly", {**raw, "no_preset": "too large"}).no_preset == "too large"


def test_every_lesson_has_an_exercise_file():
    assert set(ALL_LESSONS) <= set(LESSONS), sorted(set(ALL_LESSONS) - set(LESSONS))


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_file_loads_with_enough_content(lesson):
    learn = load(lesson)
    kinds = [ex.kind for ex in learn.exercises]
    assert 2 <= len(kinds) <= 4, f"{lesson}: 2 to 4 exercises, got {len(kinds)}"
    assert "direction" in kinds and {"choice", "number"} & set(kinds), f"{lesson}: a direction and a choice/number"
    assert 3 <= len(learn.selfchecks) <= 5, f"{lesson}: 3 to 5 self-check questions"
    assert 2 <= len(learn.objectives) <= 3, f"{lesson}: 2 or 3 objectives"
    has_preset = any(ex.preset for ex in learn.exercises)
    assert has_preset or learn.no_preset, f"{lesson}: mark one exercise preset = true (or say why not: no_preset)"
    assert learn.objective_claims, f"{lesson}: say which claims prove which objective (objective_claims)"


@pytest.mark.parametrize("lesson", LESSONS)
def test_overrides_build_valid_configs_and_presets_exist(lesson):
    for ex in load(lesson).exercises:
        base = registry()[ex.experiment].config_cls()
        target = target_config(ex, base)
        assert target != base, f"{lesson}/{ex.id}: the setting change changes nothing on the defaults"
        if ex.preset:
            assert presets.path_for(ex.experiment, target).is_file(), (
                f"run: python -m aecore presets --only {ex.experiment}"
            )


@pytest.mark.parametrize("lesson", LESSONS)
def test_graded_metrics_exist_in_the_runs(lesson):
    learn = load(lesson)
    for ex in learn.exercises:
        after, before = runs_of(learn, ex)
        missing = ex.metric_names() - after
        assert not missing, f"{lesson}/{ex.id}: {sorted(missing)} not among the run's metrics {sorted(after)}"
        if ex.kind == "direction":
            assert not ex.metric_names() - before, f"{lesson}/{ex.id}: the run before lacks {ex.metric_names()}"


@pytest.mark.parametrize("lang", [REF, *OTHER_LANGS])
@pytest.mark.parametrize("lesson", LESSONS)
def test_texts_have_exactly_the_keys_the_data_asks_for(lesson, lang):
    got = set(learn_catalog(lang, lesson))
    want = expected_keys(load(lesson))
    missing, extra = want - got, got - want - OPTIONAL_KEYS
    assert not missing and not extra, f"{lang}/learn/{lesson}.toml: missing {sorted(missing)}, unused {sorted(extra)}"
    bad = [k for k, v in learn_catalog(lang, lesson).items() if not isinstance(v, str) or not v.strip()]
    assert not bad, f"{lang}/learn/{lesson}.toml: empty or non-text values {bad}"


@pytest.mark.parametrize("lang", [REF, *OTHER_LANGS])
@pytest.mark.parametrize("lesson", LESSONS)
def test_every_placeholder_is_formatted(lesson, lang):
    """Explanations use only numbers a grade gives; other texts are shown as written."""
    learn, texts = load(lesson), learn_catalog(lang, lesson)
    for key, text in texts.items():
        if ".why." in key and key.startswith("exercise."):
            ex = learn.exercise(key.split(".")[1])
            allowed = allowed_params(ex, *runs_of(learn, ex))
            unknown = fields_of(text) - allowed
            assert not unknown, f"{lang}/learn/{lesson}.toml {key}: {sorted(unknown)} are not numbers of the run"
            text.format(**dict.fromkeys(fields_of(text), "1.5"))
        else:
            assert not fields_of(text), f"{lang}/learn/{lesson}.toml {key} is shown unformatted: no {{…}}"


def test_the_text_checks_catch_planted_faults():
    """The checks above, fed a lesson's texts with a key dropped, a key added and a
    placeholder the grade does not give, report each one."""
    learn = load("intro")
    texts = learn_catalog(REF, "intro")
    want = expected_keys(learn)
    dropped = set(texts) - {"exercise.few_epochs.why.mean"}
    assert want - dropped == {"exercise.few_epochs.why.mean"}
    assert (dropped | {"exercise.few_epochs.why.tsne"}) - want - OPTIONAL_KEYS == {"exercise.few_epochs.why.tsne"}
    ex = learn.exercise("few_epochs")
    allowed = allowed_params(ex, *runs_of(learn, ex))
    assert {"v_pca", "m_ae_mse", "c_lr"} <= allowed
    assert not {"before", "b_ae_mse", "m_no_such_metric", "v_tsne"} & allowed  # a choice has no run before
    assert fields_of("{v_pca} and {m_no_such_metric}") - allowed == {"m_no_such_metric"}
