"""Grading from the run's own metrics, on synthetic metrics: exactly one direction or choice
option is right, and it is the one an independent reading of the numbers gives; a planted
wrong answer is graded wrong; number tolerances hold at their edges; a grader that returns a
stored answer instead of reading the run is caught. The file validation refuses planted
faults in a lesson file."""

from __future__ import annotations

import math

import pytest

from aecore.exercises import AnswerError, ExerciseError, evaluate, grade, parse_answer
from aecore.exercises.loader import parse
from aecore.exercises.spec import Exercise

DIRECTION = Exercise("d", "intro", "intro", "direction", (("noise", 0.3),), measure="ae_mse", same_within=0.02)
CHOICE = Exercise(
    "c", "intro", "intro", "choice", (("epochs", 5),), choices=(("ae", "ae_mse"), ("pca", "pca_mse"), ("m", "mean_mse"))
)
CHOICE_MIN = Exercise(**{**CHOICE.__dict__, "best": "min"})
NUMBER = Exercise("n", "intro", "intro", "number", (("noise", 0.3),), measure="ae_mse", tolerance=0.1)
NUMBER_REL = Exercise("n", "intro", "intro", "number", (("noise", 0.3),), measure="ae_mse", rel_tolerance=0.3)


def expected_direction(before: float, after: float, within: float, same_abs: float = 0.0) -> str:
    """Written apart from the grader: the sign of the change, or 'same' inside the band."""
    if abs(after - before) <= max(same_abs, within * abs(before)):
        return "same"
    return "up" if after > before else "down"


CASES = [(1.0, 1.5), (1.0, 0.5), (1.0, 1.01), (1.0, 0.99), (2.0, 2.03), (2.0, 2.05), (-1.0, -2.0), (0.0, 0.0)]


def right_options(grader, ex, after, before=None):
    return [o for o in ex.options if grader(ex, o, after, before).correct]


def check_follows_measurement(grader) -> None:
    """The property every grader must have, over many synthetic runs (used on a planted fault too)."""
    for b, a in CASES:
        right = right_options(grader, DIRECTION, {"ae_mse": a}, {"ae_mse": b})
        assert right == [expected_direction(b, a, 0.02)], (b, a, right)
    for values in ([0.1, 0.2, 0.3], [0.3, 0.2, 0.1], [0.2, 0.9, 0.1], [0.5, 0.5, 0.1]):
        after = dict(zip(("ae_mse", "pca_mse", "mean_mse"), values))
        ids = ["ae", "pca", "m"]
        assert right_options(grader, CHOICE, after) == [ids[values.index(max(values))]], values
        assert right_options(grader, CHOICE_MIN, after) == [ids[values.index(min(values))]], values


def test_grade_follows_the_measurement():
    check_follows_measurement(grade)


def test_a_grader_with_a_stored_answer_is_caught():
    """Planted fault: a grader that always calls 'up' (or the first option) right."""

    def stored(ex, answer, after, before=None):
        g = grade(ex, answer, after, before)
        return type(g)(g.answer, g.measured, answer == ex.options[0], ex.options[0], g.params)

    with pytest.raises(AssertionError):
        check_follows_measurement(stored)


def test_planted_wrong_answers_are_graded_wrong():
    g = grade(DIRECTION, "down", {"ae_mse": 2.0}, {"ae_mse": 1.0})
    assert not g.correct and g.outcome == "up" and g.measured == pytest.approx(1.0)
    assert g.params["before"] == 1.0 and g.params["after"] == 2.0 and g.params["b_ae_mse"] == 1.0
    g = grade(CHOICE_MIN, "ae", {"ae_mse": 0.12, "pca_mse": 0.04, "mean_mse": 0.55})
    assert not g.correct and g.outcome == "pca" and g.measured == {"ae": 0.12, "pca": 0.04, "m": 0.55}
    assert not grade(NUMBER, 0.3, {"ae_mse": 0.04}).correct


def test_ties_go_to_the_first_option_in_order():
    after = {"ae_mse": 0.2, "pca_mse": 0.2, "mean_mse": 0.2}
    assert grade(CHOICE, "ae", after).outcome == "ae" and grade(CHOICE_MIN, "ae", after).outcome == "ae"
    assert right_options(grade, CHOICE, after) == ["ae"]


def test_same_band_edges():
    assert grade(DIRECTION, "same", {"ae_mse": 1.02}, {"ae_mse": 1.0}).correct  # on the edge: same
    assert grade(DIRECTION, "up", {"ae_mse": 1.0201}, {"ae_mse": 1.0}).correct  # just past it
    absolute = Exercise(**{**DIRECTION.__dict__, "same_abs": 0.5})
    assert grade(absolute, "same", {"ae_mse": 0.5}, {"ae_mse": 0.0}).correct  # 0 → 0.5: within same_abs
    assert grade(absolute, "up", {"ae_mse": 1.0}, {"ae_mse": 0.0}).correct
    assert grade(DIRECTION, "same", {"ae_mse": 0.0}, {"ae_mse": 0.0}).correct  # no change at all


def test_number_tolerance_edges():
    after = {"ae_mse": 1.0}
    assert grade(NUMBER, 1.1, after).correct and grade(NUMBER, 0.9, after).correct
    assert not grade(NUMBER, 1.1001, after).correct and not grade(NUMBER, 0.8999, after).correct
    assert grade(NUMBER_REL, 0.7, {"ae_mse": 1.0}).correct and not grade(NUMBER_REL, 0.69, {"ae_mse": 1.0}).correct
    g = grade(NUMBER_REL, 0.045, {"ae_mse": 0.04})
    assert g.correct and g.params["tolerance"] == pytest.approx(0.012) and g.params["answer"] == 0.045


def test_number_bands_pick_the_explanation():
    banded = Exercise(**{**NUMBER.__dict__, "bands": (("low", 0.5), ("near", 1.5), ("high", math.inf))})
    assert [grade(banded, 0, {"ae_mse": v}).outcome for v in (0.1, 0.5, 1.0, 9.0)] == ["low", "low", "near", "high"]
    assert grade(NUMBER, 0, {"ae_mse": 3.0}).outcome == "measured"


def test_unmeasurable_runs_grade_every_answer_wrong():
    for answer in ("up", "same", "down"):
        assert not grade(DIRECTION, answer, {"ae_mse": math.nan}, {"ae_mse": 1.0}).correct
    ratio = Exercise(**{**NUMBER.__dict__, "measure": "pca_mse / ae_mse"})
    assert math.isnan(evaluate("pca_mse / ae_mse", {"pca_mse": 1.0, "ae_mse": 0.0}))
    assert not grade(ratio, 1.0, {"pca_mse": 1.0, "ae_mse": 0.0}).correct


def test_measures():
    m = {"a": 3.0, "b": 2.0}
    assert evaluate("a", m) == 3.0 and evaluate("a - b", m) == 1.0 and evaluate(" a / b ", m) == 1.5
    with pytest.raises(KeyError):
        evaluate("a - c", m)


def test_answers_are_parsed_or_refused_with_a_code():
    assert parse_answer(DIRECTION, " Up ") == "up" and parse_answer(CHOICE, "pca") == "pca"
    assert parse_answer(NUMBER, "0.045") == 0.045 and parse_answer(NUMBER, "0,045") == 0.045
    for ex, bad in ((DIRECTION, "sideways"), (CHOICE, "tsne"), (NUMBER, "nan"), (NUMBER, "inf"), (NUMBER, "x")):
        with pytest.raises(AnswerError) as err:
            parse_answer(ex, bad)
        assert err.value.code in ("answer_not_option", "answer_not_number")


GOOD = {
    "objectives": ["a", "b"],
    "objective_claims": [{"objective": "a", "claims": ["ae_beats_pca"]}],
    "exercise": [
        {"id": "d", "kind": "direction", "set": {"noise": 0.3}, "measure": "ae_mse"},
        {"id": "c", "kind": "choice", "set": {"epochs": 5}, "choices": {"x": "ae_mse", "y": "pca_mse"}},
    ],
    "selfcheck": [{"id": "q", "choices": ["r", "s"], "answer": "r"}],
}


def planted(path: str, value) -> dict:
    """GOOD with one entry replaced: ``path`` like "exercise.0.kind"."""
    import copy

    raw = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    node = raw
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    node[int(last) if last.isdigit() else last] = value
    return raw


def test_a_good_file_parses():
    learn = parse("intro", GOOD)
    assert [e.id for e in learn.exercises] == ["d", "c"] and learn.claims_of("a") == [("intro", "ae_beats_pca")]


@pytest.mark.parametrize(
    "path,value",
    [
        ("colour", "red"),  # unknown top-level key
        ("exercise.0.kind", "guess"),  # unknown kind
        ("exercise.0.tolerance", 0.1),  # a key the kind does not take
        ("exercise.0.set", {"noise": 9.0}),  # out of the setting's range
        ("exercise.0.set", {"nosie": 0.3}),  # unknown setting
        ("exercise.0.set", {"epochs": 2.5}),  # wrong type
        ("exercise.0.set", {}),  # a direction that changes nothing
        ("exercise.0.measure", "ae_mse * 2"),  # not a measure
        ("exercise.0.same_within", -1),
        ("exercise.0.experiment", "nope"),
        ("exercise.0.objective", "zzz"),
        ("exercise.1.id", "d"),  # duplicate id
        ("exercise.1.id", "Bad-Id"),
        ("exercise.1.choices", {"x": "ae_mse"}),  # one option
        ("exercise.1.best", "mean"),
        ("selfcheck.0.answer", "t"),  # not one of its choices
        ("selfcheck.0.choices", ["r"]),
        ("objective_claims.0.claims", ["no_such_claim"]),
        ("objective_claims.0.objective", "c"),
    ],
)
def test_planted_faults_in_a_file_are_refused(path, value):
    with pytest.raises(ExerciseError) as err:
        parse("intro", planted(path, value))
    assert "aecore/exercises/intro.toml" in str(err.value)


def test_number_exercises_need_a_tolerance_and_sound_bands():
    base = {"id": "n", "kind": "number", "set": {"noise": 0.3}, "measure": "ae_mse"}
    for extra in ({}, {"tolerance": 0.1, "bands": [["a", 1.0], ["b", 0.5]]}, {"tolerance": 0.1, "bands": [["a", 1]]}):
        with pytest.raises(ExerciseError):
            parse("intro", {**GOOD, "exercise": [{**base, **extra}]})
    ok = parse("intro", {**GOOD, "exercise": [{**base, "rel_tolerance": 0.3, "bands": [["a", 1], ["b", math.inf]]}]})
    assert ok.exercises[0].outcomes == ("a", "b")
