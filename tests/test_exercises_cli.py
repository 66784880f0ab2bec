"""``python -m aecore exercise``: the JSON contracts of the list and of a graded run, and
exit status 2 with one line for an unknown lesson or exercise, an invalid answer, a bad
setting or a run above the cost cap."""

from __future__ import annotations

import json

import pytest

from aecore import cost
from aecore.cli import main
from aecore.exercises import grade, load

CHEAP = ["--set", "n_samples=100"]


def _run(capsys, *argv):
    code = main(["exercise", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_contract(capsys):
    code, out, _ = _run(capsys, "intro", "--list", "--json")
    items = json.loads(out)
    assert code == 0 and [i["id"] for i in items] == [e.id for e in load("intro").exercises]
    for item in items:
        assert set(item) == {"id", "question", "kind", "choices"} and item["question"].strip()
        assert item["kind"] in ("direction", "choice", "number")
        assert (item["choices"] is None) == (item["kind"] == "number")
    kinds = {i["id"]: i for i in items}
    assert kinds["noise_ratio"]["choices"] == ["up", "same", "down"]
    assert kinds["few_epochs"]["choices"] == ["ae", "pca", "mean"]


def test_run_contract_and_grade(capsys):
    code, out, _ = _run(capsys, "intro", "few_epochs", "--answer", "mean", *CHEAP, "--json")
    got = json.loads(out)
    assert code == 0 and set(got) == {"lesson", "exercise", "answer", "measured", "correct", "seconds"}
    assert got["lesson"] == "intro" and got["exercise"] == "few_epochs" and got["answer"] == "mean"
    assert set(got["measured"]) == {"ae", "pca", "mean"} and got["seconds"] >= 0
    assert got["correct"] is False  # PCA's line passes through the mean: the mean never beats it
    ex = load("intro").exercise("few_epochs")
    after = {"ae_mse": got["measured"]["ae"], "pca_mse": got["measured"]["pca"], "mean_mse": got["measured"]["mean"]}
    assert got["correct"] == grade(ex, "mean", after).correct


def test_number_answer_and_plain_text(capsys):
    code, out, _ = _run(capsys, "intro", "noise_floor", "--answer", "0.045", *CHEAP, "--set", "epochs=50")
    assert code == 0 and "noise_floor: answer 0.045 is" in out and "σ²/2 = 0.045" in out  # the English explanation


@pytest.mark.parametrize(
    "argv,says",
    [
        (["intro", "nope", "--answer", "up"], "unknown exercise 'nope'"),
        (["nowhere", "--list"], "no exercises for 'nowhere'"),
        (["intro", "noise_ratio", "--answer", "sideways"], "not one of: up, same, down"),
        (["intro", "noise_floor", "--answer", "lots"], "is not a number"),
        (["intro", "few_epochs", "--answer", "tsne"], "not one of: ae, pca, mean"),
        (["intro", "few_epochs"], "needs --answer"),
        (["intro", "few_epochs", "--list"], "--list takes no exercise id"),
        (["intro", "few_epochs", "--answer", "pca", "--set", "colour=red"], "unknown setting 'colour'"),
        (["intro", "few_epochs", "--answer", "pca", "--set", "n_samples"], "--set expects KEY=VALUE"),
    ],
)
def test_mistakes_exit_2_with_one_line(capsys, argv, says):
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == "" and says in err and err.count("\n") == 1, err


def test_runs_above_the_cap_are_refused_before_training(capsys, monkeypatch):
    monkeypatch.setattr(cost, "SERVER_CAP_S", 1e-6)
    code, out, err = _run(capsys, "intro", "few_epochs", "--answer", "pca", "--json")
    assert code == 2 and out == "" and "limit" in err and err.count("\n") == 1


def test_presets_missing_builds_nothing_when_every_view_has_its_file(capsys):
    assert main(["presets", "--only", "intro", "--missing"]) == 0
    assert "every view has its preset" in capsys.readouterr().out
