"""``aecore.bench.recipes``: the bench's "this project" recipe is the pca lesson's default
solver, every solver the lesson offers reaches both pca claims, and the stopwatch uses the
claims' own thresholds."""

from __future__ import annotations

import pytest

from aecore.bench import recipes as br
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.experiments.pca import PCAConfig
from aecore.theory import pca_fit


def test_every_solver_of_the_lesson_has_a_recipe():
    assert set(br.SOLVERS) == set(PCAConfig.choices_of("linear_solver"))


@pytest.mark.parametrize("solver", sorted(br.SOLVERS))
def test_the_lesson_recipes_reach_both_claims(solver):
    X = load_dataset("digits").X
    pca = pca_fit(X)
    words, w = br.lesson_recipe(X, br.limits()[0] * pca.bound(8), pca.basis(8), solver)
    assert w.error_s is not None and w.full_s is not None and w.error_s <= w.full_s
    if solver == PCAConfig().linear_solver:  # "this project" is the lesson's default
        assert br.lesson_recipe(X, br.limits()[0] * pca.bound(8), pca.basis(8))[0] == words


def test_the_stopwatch_stops_exactly_at_the_claims_thresholds():
    factor, angle = br.limits()
    pca = get("pca")
    assert (factor, angle) == (pca.claim("linear_matches_pca").threshold, pca.claim("same_subspace").threshold)
    w = br.Watch(load_dataset("digits").X[:4], None, target=1.0, basis=None)
    assert not w.seen(1.0 + 1e-9, lambda: 0.0) and w.error_s is None  # error above the target
    assert not w.seen(1.0, lambda: angle + 1e-9) and w.error_s is not None and w.full_s is None
    assert w.seen(0.5, lambda: angle) and w.full_s is not None  # both at their limits: held
