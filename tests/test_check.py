"""Claims across seeds: ``aecore.check`` and ``python -m aecore check``.

The counts are compared with the experiment's own runs on each seed (never copied numbers);
every registered experiment is checked for what ``check`` needs (a bounded ``seed`` field,
valid seed ranges, a cost under the cap) without training them all at full size.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from aecore import check, cost
from aecore.cli import _parser, main
from aecore.config import ConfigError
from aecore.experiments import Experiment, Result, get, registry
from aecore.presets import views
from aecore.train import Progress, TrainingDiverged

TINY = {"epochs": 30, "n_samples": 60}  # intro: a few hundred milliseconds per seed


def test_cli_check_json_shape_and_counts_match_the_runs(capsys):
    code = main(["check", "intro", "--seeds", "3", "--json", *[f"--set={k}={v}" for k, v in TINY.items()]])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"experiment", "config", "seeds", "claims"} <= set(doc)
    assert doc["experiment"] == "intro" and doc["seeds"] == 3 and doc["config"]["epochs"] == 30
    exp = get("intro")
    assert set(doc["claims"]) == {c.key for c in exp.claims}
    cfg = exp.config_cls(**TINY)
    verdicts = [exp.check_claims(exp.run(dataclasses.replace(cfg, seed=s), None).metrics) for s in range(3)]
    for key, count in doc["claims"].items():
        assert count == {"held": sum(v[key] for v in verdicts), "of": 3}


def test_cli_check_prints_a_table_without_json(capsys):
    assert main(["check", "intro", "--seeds", "1", *[f"--set={k}={v}" for k, v in TINY.items()]]) == 0
    out = capsys.readouterr().out
    assert "ae_beats_pca" in out and "/1 seeds" in out


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["check", "nope"], "unknown experiment"),
        (["check", "intro", "--set", "bogus=1"], "unknown setting"),
        (["check", "intro", "--seeds", "0"], "between 1 and"),
        (["check", "intro", "--seeds", "x"], "invalid int"),
        (["check", "intro", "--set", f"seed={2**31 - 2}"], "largest seed"),
    ],
)
def test_cli_check_bad_input_exits_2_with_one_line(capsys, args, fragment):
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and fragment in err, err


def test_cli_check_applies_the_run_cap_unless_told_not_to(capsys, monkeypatch):
    tiny = [f"--set={k}={v}" for k, v in TINY.items()]
    one = cost.estimate(get("intro"), get("intro").config_cls(**TINY)).seconds
    monkeypatch.setattr(cost, "SERVER_CAP_S", 2.5 * one)  # two seeds fit under it, three do not
    assert main(["check", "intro", "--seeds", "2", *tiny]) == 0
    capsys.readouterr()
    assert main(["check", "intro", "--seeds", "3", *tiny]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "3 seeds" in err and "--no-cap" in err
    assert main(["check", "intro", "--seeds", "3", "--no-cap", "--json", *tiny]) == 0


def test_the_cap_counts_every_seed(monkeypatch):
    exp = get("intro")
    one = cost.estimate(exp, exp.config_cls()).seconds
    assert check.check_cost(exp, exp.config_cls(), 5, cap=5 * one + 1e-9) == pytest.approx(5 * one)
    with pytest.raises(cost.RunTooLong) as info:
        check.check_cost(exp, exp.config_cls(), 5, cap=4.5 * one)  # one run fits, five do not
    assert info.value.code == "check_too_long" and info.value.params["seeds"] == 5


def test_stop_ends_the_check_and_the_stopped_seed_is_not_counted():
    seen: list[check.CheckProgress] = []

    def stop_in_second_seed(p: check.CheckProgress) -> bool:
        seen.append(p)
        return p.index == 1

    out = check.check_claims("intro", get("intro").config_cls(**TINY), 4, on_progress=stop_in_second_seed)
    assert out["stopped"] and all(c["of"] == 1 for c in out["claims"].values())
    assert {p.index for p in seen} == {0, 1} and {p.seed for p in seen} == {0, 1}
    assert all(p.seeds == 4 and isinstance(p, Progress) for p in seen)


def _fake(run) -> Experiment:
    from aecore.experiments.base import Claim

    claim = Claim.above("positive", "x", 0.0)
    return Experiment("fake", get("intro").config_cls, run, "fake", 1, claims=(claim,))


def test_a_diverged_seed_counts_as_checked_with_no_claim_holding(monkeypatch):
    def run(cfg, on_progress=None):
        if cfg.seed == 1:
            raise TrainingDiverged("deep_ae", 3, float("nan"))
        return Result({"x": 1.0 if cfg.seed != 2 else -1.0})

    monkeypatch.setattr(check, "get", lambda name: _fake(run))
    out = check.check_claims("fake", get("intro").config_cls(seed=0), 4)
    assert out["claims"] == {"positive": {"held": 2, "of": 4}} and out["diverged"] == [1]
    assert not out["stopped"]


def test_seed_ranges_are_validated_before_anything_runs(monkeypatch):
    monkeypatch.setattr(check, "get", lambda name: _fake(lambda cfg, p=None: pytest.fail("ran")))
    cfg = get("intro").config_cls(seed=2**31 - 3)
    with pytest.raises(ConfigError) as info:
        check.check_claims("fake", cfg, 5)
    assert info.value.code == "check_seed_range"
    assert [c.seed for c in check.seed_configs(cfg, 3)] == [2**31 - 3, 2**31 - 2, 2**31 - 1]


@pytest.mark.parametrize("name", sorted(registry()))
def test_every_experiment_accepts_check(name):
    """A bounded seed field (the convention of this round), five seeds of every page view
    valid and under the server's cap together, and the command line takes the name."""
    exp = get(name)
    spec = exp.config_cls.field_specs().get("seed")
    assert spec is not None, f"{name}: its config needs a seed field for `aecore check`"
    assert isinstance(spec.default, int) and spec.metadata["lo"] == 0 and spec.metadata["hi"] == 2**31 - 1
    for cfg in [c for n, c in views() if n == name] or [exp.config_cls()]:
        configs = check.seed_configs(cfg, check.DEFAULT_SEEDS)
        assert [c.seed for c in configs] == [cfg.seed + i for i in range(check.DEFAULT_SEEDS)]
        assert all(dataclasses.replace(c, seed=cfg.seed) == cfg for c in configs)  # only the seed changes
        assert check.check_cost(exp, cfg, check.DEFAULT_SEEDS) <= cost.SERVER_CAP_S
    args = _parser().parse_args(["check", name, "--seeds", "5", "--json"])
    assert (args.cmd, args.name, args.seeds) == ("check", name, 5)
