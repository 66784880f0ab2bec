"""Training budgets live in the settings' ``param`` metadata (``aecore.data.steps``): the help
texts place their numbers instead of writing them, and the cost estimate reads them."""

from __future__ import annotations

import dataclasses
import re

import pytest

from aecore import cost
from aecore.config import param
from aecore.data import steps
from aecore.experiments import get, registry
from tests.i18n_scan import OTHER_LANGS, REF, load_raw


def _budget_fields() -> list[tuple[str, str]]:
    """(experiment, field) of every setting that carries a budget."""
    return [
        (name, field)
        for name, exp in sorted(registry().items())
        for field in exp.config_cls.field_specs()
        if steps.help_values(exp.config_cls, field)
    ]


def _literals(text: str) -> set[int]:
    """The whole numbers written in ``text`` ('1 600', '1,600', '1 600' and '1600' alike)."""
    edge, end = r"(?<![\w.{×-])", r"(?![\w.}×])"
    found = re.findall(rf"{edge}\d{{1,3}}(?:[ ,\u202f\u00a0]\d{{3}})+{end}|{edge}\d+{end}", text)
    return {int(re.sub(r"\D", "", n)) for n in found}


def budget_literals(texts: dict[str, str]) -> list[str]:
    """Help texts (key -> text) of budget fields that write one of the budget's numbers as
    digits: a help text of field ``f`` (key ending in ``help.f``, or the config's own help) must
    not hold any number that some budget of a field named ``f`` gives."""
    numbers: dict[str, set[int]] = {}
    for name, field in _budget_fields():
        values = steps.help_values(get(name).config_cls, field)
        numbers.setdefault(field, set()).update(int(re.sub(r"\D", "", v)) for v in values.values())
    return [
        f"{key}: {sorted(hit)} in {text!r}"
        for key, text in texts.items()
        if (hit := _literals(text) & numbers.get(key.rsplit(".", 1)[-1], set()))
    ]


def _help_texts() -> dict[str, str]:
    texts = {}
    for lang in (REF, *OTHER_LANGS):
        for key, text in load_raw(lang).items():
            if ".help." in key:
                texts[f"{lang}:{key}"] = str(text)
    for name, field in _budget_fields():
        texts[f"config:{name}.{field}"] = str(get(name).config_cls.field_specs()[field].metadata["help"])
    return texts


def test_no_help_text_writes_a_budgets_number():
    assert _budget_fields(), "no setting carries a budget"
    bad = budget_literals(_help_texts())
    assert not bad, "format these from the metadata ({batch}, {steps}…):\n  " + "\n  ".join(bad)


def test_the_scan_sees_a_written_budget():
    """Planted: the old tooltips, with the numbers written out, fail the scan."""
    planted = {
        "en:pca.help.deep_epochs": "Epochs of the non-linear AEs (batches of 256); 0 = about 1 600 steps",
        "pt:vae.help.epochs": "0 = automático: cerca de 360 000 linhas vistas, em lotes de 128",
        "config:anomaly.steps": "training steps (batches of 64)",
        "en:latent.help.perplexity": "t-SNE perplexity, 5 to 50",  # not a budget field: no finding
    }
    found = [b.split(":")[1] for b in budget_literals(planted)]
    assert found == ["pca.help.deep_epochs", "vae.help.epochs", "anomaly.steps"]


@pytest.mark.parametrize("name, field", _budget_fields())
def test_help_texts_place_the_budgets_numbers(name, field):
    """The config's help and the tooltip in every language (``<lesson>.help.<field>``, the
    lesson's catalog named like the experiment: ``denoising.images`` for ``denoising_images``)
    format with the budget's numbers, and show at least one of them."""
    from ui.kit.i18n import translate

    values = steps.help_values(get(name).config_cls, field)
    english = steps.help_text(get(name).config_cls, field)
    assert "{" not in english and any(v in english for v in values.values()), english
    for lang in (REF, *OTHER_LANGS):
        keys = [k for k in load_raw(lang) if k.replace(".", "_") == f"{name}_help_{field}"]
        for key in keys:
            shown = translate(key, lang, **values)  # a placeholder the budget lacks: KeyError
            assert "{" not in shown and any(v in shown for v in values.values()), shown


def _with_budget(cls, field: str, **change):
    """``cls`` with field ``field``'s budget changed (a subclass: the class itself stays)."""
    spec = cls.field_specs()[field]
    meta = {k: v for k, v in spec.metadata.items() if k not in ("help", "lo", "hi", "choices", "lo_open")}
    meta |= change
    m = spec.metadata
    new = param(spec.default, m["help"], m["lo"], m["hi"], m["choices"], m["lo_open"], **meta)
    return dataclasses.make_dataclass(f"Changed{cls.__name__}", [(field, spec.type, new)], bases=(cls,), frozen=True)


@pytest.mark.parametrize("name, field", _budget_fields())
def test_the_estimate_follows_the_budget_in_the_metadata(name, field):
    """Halving the automatic steps or rows of a budget lowers the estimate; doubling the
    batch changes it (fewer steps; more rows for a step count): the cost is read from the
    metadata, not from a copy of it."""
    exp = get(name)
    meta = exp.config_cls.field_specs()[field].metadata
    key = next((k for k in ("auto_steps", "auto_rows") if meta.get(k)), "batch")
    changed = _with_budget(exp.config_cls, field, **{key: meta[key] // 2 if key != "batch" else 2 * meta[key]})
    base = cost.estimate(exp, exp.config_cls()).seconds
    new = cost.estimate(exp, changed()).seconds
    assert new < 0.98 * base if key != "batch" else abs(new - base) > 1e-6 * base, (name, field, key, base, new)


def test_epochs_from_a_budget():
    """The numbers the lessons train with (the former per-lesson functions gave the same)."""
    from aecore.experiments.capacity import CapacityConfig
    from aecore.experiments.pca import PCAConfig
    from aecore.experiments.vae import VAEExperimentConfig

    assert steps.epochs_for(PCAConfig(), "deep_epochs", 1797) == 200  # 1 600 steps, capped at 200 epochs
    assert steps.epochs_for(PCAConfig(), "deep_epochs", 10_000) == 40  # 1 600 / ⌈10 000 / 256⌉
    assert steps.epochs_for(PCAConfig(deep_epochs=7), "deep_epochs", 10_000) == 7
    assert steps.epochs_for(CapacityConfig(), "epochs", 100_000) == 3  # at least 3
    assert steps.epochs_for(VAEExperimentConfig(), "epochs", 10_000) == 36  # 360 000 rows seen
    assert steps.batch_for(VAEExperimentConfig(), "epochs", 10_000) == 512  # larger data: larger batches
    assert steps.epochs_for(VAEExperimentConfig(), "epochs", 100) == 2000  # at most 2 000 epochs
