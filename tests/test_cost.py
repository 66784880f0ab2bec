"""Run-cost estimates and caps, in the backend and on the command line.

The estimate is generic (config fields and data size), so these tests run over whatever the
registry holds: every default and preset view stays under both caps, the reported hostile
settings are above the server's cap, and the estimate follows the knobs it is made of.
"""

from __future__ import annotations

import dataclasses

import pytest

from aecore import cost
from aecore.cli import main
from aecore.config import Config, param
from aecore.experiments import Experiment, get, registry
from aecore.presets import views
from ui.kit.i18n import error_message

HOSTILE = [
    # The reported link; batches only matter to the Adam solver (ALS, the default, works on the covariance).
    ("pca", {"linear_solver": "adam", "linear_batch": 1, "linear_epochs": 5000}, "linear_epochs", "linear_batch"),
    ("denoising_field", {"batch_size": 8, "n_samples": 5000, "epochs": 5000}, "epochs", "batch_size"),
]


@pytest.mark.parametrize("name", sorted(registry()))
def test_every_default_config_is_under_the_servers_cap(name):
    exp = get(name)
    seconds = cost.estimate(exp, exp.config_cls()).seconds
    assert 0 < seconds <= cost.SERVER_CAP_S, f"{name}: {seconds:.0f} s"


def test_every_page_view_starts_without_asking():
    """The views pages open with (and their presets) are under the link cap, the smaller one."""
    assert cost.LINK_CAP_S * 5 <= cost.SERVER_CAP_S
    for name, cfg in views():
        seconds = cost.estimate(get(name), cfg).seconds
        assert 0 < seconds <= cost.LINK_CAP_S, f"{name} {cfg}: {seconds:.0f} s"


@pytest.mark.parametrize("name, overrides, knob, batch", HOSTILE)
def test_reported_hostile_settings_are_refused_with_the_knob_to_change(name, overrides, knob, batch):
    exp = get(name)
    cfg = dataclasses.replace(exp.config_cls(), **overrides)
    est = cost.estimate(exp, cfg)
    assert est.seconds > 3 * cost.SERVER_CAP_S, est
    with pytest.raises(cost.RunTooLong) as info:
        cost.check(exp, cfg)
    assert info.value.params["knob"] == knob and info.value.params["batch"] == batch
    for lang in ("en", "pt", "es"):
        text = error_message(info.value, lang)
        assert knob in text and batch in text and info.value.params["time"] in text


def test_the_command_line_applies_the_cap_unless_told_not_to(capsys, monkeypatch):
    code = main(["run", "pca", "--set", "linear_solver=adam", "--set", "linear_batch=1", "--set", "linear_epochs=5000"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "linear_epochs" in err and "--no-cap" in err
    monkeypatch.setattr(cost, "SERVER_CAP_S", 1e-3)  # now even a tiny run is above the cap
    assert main(["run", "intro", "--set", "epochs=3", "--set", "n_samples=60"]) == 2
    capsys.readouterr()
    assert main(["run", "intro", "--set", "epochs=3", "--set", "n_samples=60", "--no-cap", "--json"]) == 0


@dataclasses.dataclass(frozen=True)
class _NewConfig(Config):
    """An experiment written tomorrow: only the naming conventions are shared."""

    dataset: str = param("digits", "data", choices=("digits", "digits28", "circle"))
    width: int = param(64, "width", lo=1, hi=4096)
    epochs: int = param(100, "epochs (batches of 64)", lo=1, hi=10**6)
    head_epochs: int = param(10, "full-batch epochs of a second model", lo=1, hi=10**6)
    seed: int = param(0, "seed", lo=0, hi=10)


def _new(**kw) -> Experiment:
    return Experiment("tomorrow", _NewConfig, lambda c, p=None: None, "new", budget_s=10, **kw)


def test_the_estimate_follows_the_fields_of_any_config():
    exp, base = _new(), _NewConfig()
    seconds = cost.estimate(exp, base).seconds
    for change in ({"epochs": 1000}, {"width": 1024}, {"dataset": "digits28"}, {"head_epochs": 1000}):
        assert cost.estimate(exp, dataclasses.replace(base, **change)).seconds > seconds, change
    assert cost.estimate(exp, dataclasses.replace(base, dataset="circle")).seconds < seconds
    est = cost.estimate(exp, dataclasses.replace(base, epochs=10**6))
    assert est.knob == "epochs" and est.seconds > cost.SERVER_CAP_S


@dataclasses.dataclass(frozen=True)
class _AutoConfig(Config):
    """Data-aware defaults: epochs 0 = automatic (the help says how much), or step counts."""

    dataset: str = param("digits", "data", choices=("digits", "digits28"))
    hidden: int = param(128, "width", lo=1, hi=4096)
    epochs: int = param(0, "epochs (batches of 256); 0 = automatic, about 1 600 steps", lo=0, hi=2000)
    head_epochs: int = param(0, "epochs; 0 = automatic (about 360 000 rows seen)", lo=0, hi=2000)
    clf_steps: int = param(700, "classifier steps (batches of 128)", lo=10, hi=10**6)


def test_automatic_epochs_and_step_counts_are_read_from_the_fields_and_their_help():
    exp = Experiment("auto", _AutoConfig, lambda c, p=None: None, "auto", budget_s=10)
    base = _AutoConfig()
    est = cost.model_seconds(base)
    assert set(est.stages) == {"epochs", "head_epochs", "clf_steps"} and min(est.stages.values()) > 0
    # "about 1 600 steps" of 256 rows is what 1 600 × 256 / 1 797 explicit epochs cost
    explicit = cost.model_seconds(dataclasses.replace(base, epochs=round(1600 * 256 / 1797)))
    assert explicit.stages["epochs"] == pytest.approx(est.stages["epochs"], rel=0.05)
    more = cost.model_seconds(dataclasses.replace(base, clf_steps=70_000))
    assert more.stages["clf_steps"] == pytest.approx(100 * est.stages["clf_steps"])
    big = cost.estimate(exp, dataclasses.replace(base, dataset="digits28")).seconds
    assert cost.estimate(exp, base).seconds < big < 20 * cost.estimate(exp, base).seconds  # rows seen stay put


def test_an_experiments_own_cost_is_used_and_a_broken_one_is_not_trusted():
    own = _new(cost=lambda cfg: 12_345.0)
    assert cost.estimate(own, _NewConfig()).seconds == 12_345.0

    def broken(cfg):
        raise KeyError("oops")

    assert cost.estimate(_new(cost=broken), _NewConfig()).seconds == cost.estimate(_new(), _NewConfig()).seconds


def test_an_uploads_size_counts_for_its_owner(monkeypatch, user_data):
    import numpy as np

    from aecore.data import userdata

    userdata.set_owner("cost-test")
    name = userdata.register_dataset(np.random.default_rng(0).random((15_000, 1000)).astype(np.float32), label="big")
    try:
        exp = get("pca")
        big = cost.estimate(exp, exp.config_cls(dataset=name)).seconds
        assert big > 5 * cost.estimate(exp, exp.config_cls()).seconds
    finally:
        userdata.STORE.forget("cost-test")
        userdata.set_owner(None)
