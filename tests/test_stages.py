"""Training stages: every stage id an experiment can report is declared, well formed and
labelled in every language (pt/es in their own words); labels format their parameter."""

from __future__ import annotations

import dataclasses

import pytest

from aecore.config import ConfigError
from aecore.experiments import registry
from aecore.train import check_stage
from ui.kit.i18n import catalog, languages, stage_label

# Labels the glossary keeps in every language: the English word or a proper name.
SAME_IN_ALL_LANGUAGES = {"autoencoder", "tsne", "umap"}
# What a tiny run needs beyond "every *epochs field = 1, every switch on" to reach all its stages.
TINY_EXTRA = {"capacity": {"depth": 1, "width": 8}, "latent_scaling": {"sizes": (50,)}}


def _declared() -> dict[str, set[str]]:
    """stage id -> the experiments that declare it."""
    out: dict[str, set[str]] = {}
    for name, exp in registry().items():
        for stage in exp.stages:
            out.setdefault(stage, set()).add(name)
    return out


def test_every_experiment_declares_well_formed_stage_ids():
    for name, exp in registry().items():
        assert exp.stages, f"{name}: declare its stage ids (Experiment.stages)"
        for stage in exp.stages:
            assert check_stage(stage) == stage and ":" not in stage, (name, stage)


@pytest.mark.parametrize("lang", languages())
def test_every_declared_stage_has_a_label(lang):
    labels = {k.removeprefix("stages."): v for k, v in catalog(lang).items() if k.startswith("stages.")}
    missing = {s: sorted(names) for s, names in _declared().items() if s not in labels}
    assert not missing, f"add stages.<id> to assets/locales/{lang}/stages.toml for {missing}"
    if lang != "en":
        en = catalog("en")
        same = sorted(s for s in _declared() if s not in SAME_IN_ALL_LANGUAGES and labels[s] == en[f"stages.{s}"])
        assert not same, f"{lang} stage labels still in English: {same}"


def test_no_label_without_a_stage():
    labelled = {k.removeprefix("stages.") for k in catalog("en") if k.startswith("stages.")}
    unused = sorted(labelled - set(_declared()))
    assert not unused, f"labels of stages no experiment declares: {unused}"


def test_labels_place_the_parameter():
    for lang in languages():
        assert stage_label("greedy_layer:2", lang).count("2") == 1, lang
        assert stage_label("deep_ae:k=8", lang) == f"{stage_label('deep_ae', lang)} (k=8)"
        assert "{" not in stage_label("greedy_layer", lang)
    named = {lang: stage_label("linear_ae", lang) for lang in languages()}
    assert all("_" not in label for label in named.values()), named  # words, not the id
    assert len(set(named.values())) > 1, named  # translated, not English everywhere


@pytest.mark.parametrize("bad", ["linear AE", "Linear_ae", "greedy layer 1", "deep_ae:", "", "x:a b"])
def test_display_labels_are_not_stage_ids(bad):
    with pytest.raises(ValueError, match="not a stage id"):
        check_stage(bad)


def _tiny(name: str):
    """The default config with every epochs field at 1 and every switch on (all stages run)."""
    cls = registry()[name].config_cls
    specs = {f.name: f for f in dataclasses.fields(cls)}
    over = {k: 1 for k in specs if k.endswith("epochs")}
    over |= {k: True for k, f in specs.items() if isinstance(f.default, bool)}
    over |= TINY_EXTRA.get(name, {})
    try:
        return cls(**over)
    except ConfigError as exc:
        pytest.fail(f"{name}: the tiny config is refused ({exc}); add what it needs to TINY_EXTRA")


def _runs():
    """Every experiment; the ones budgeted over 30 s (t-SNE, probes ...) only in slow runs."""
    slow = pytest.mark.slow
    return [pytest.param(n, marks=slow) if e.budget_s > 30 else n for n, e in sorted(registry().items())]


@pytest.mark.parametrize("name", _runs())
def test_a_run_reports_only_declared_stages_and_names_its_models(name):
    exp = registry()[name]
    seen: list[str] = []
    res = exp.run(_tiny(name), lambda p: seen.append(p.stage))
    assert seen, f"{name} reported no stage"
    assert {s.partition(":")[0] for s in seen} <= set(exp.stages), (name, sorted(set(seen)))
    assert set(res.histories) <= set(seen)
    torch_models = {k for k, m in res.models.items() if hasattr(m, "state_dict")}
    assert set(res.stages) == torch_models, f"{name}: train every model through Tracker.fit"
