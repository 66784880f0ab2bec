"""The generation scores (aecore.maths.genmetrics) on planted cases whose answers are known,
against brute force, and the feature classifier they use."""

from __future__ import annotations

import numpy as np
import pytest

from aecore.maths.genmetrics import (
    class_entropy,
    density_coverage,
    feature_classifier,
    generation_scores,
    knn_radii,
    precision_recall,
)


@pytest.fixture
def real():
    return np.random.default_rng(0).standard_normal((400, 5))


def test_knn_radius_is_the_kth_other_point():
    pts = np.array([[0.0], [1.0], [3.0], [7.0]])
    assert np.allclose(knn_radii(pts, k=1), [1, 1, 2, 4])
    assert np.allclose(knn_radii(pts, k=2), [3, 2, 3, 6])


def test_scores_match_a_brute_force_loop():
    rng = np.random.default_rng(5)
    real, gen, k = rng.normal(size=(40, 3)), 1.3 * rng.normal(size=(30, 3)) + 0.2, 3

    def radius(S, i):
        return sorted(np.linalg.norm(S[i] - S[j]) for j in range(len(S)) if j != i)[k - 1]

    r_real = [radius(real, j) for j in range(len(real))]
    r_gen = [radius(gen, i) for i in range(len(gen))]
    inside = [[np.linalg.norm(g - real[j]) <= r_real[j] for j in range(len(real))] for g in gen]
    precision = np.mean([any(row) for row in inside])
    recall = np.mean([any(np.linalg.norm(x - gen[i]) <= r_gen[i] for i in range(len(gen))) for x in real])
    density = np.sum(inside) / (k * len(gen))
    coverage = np.mean([any(inside[i][j] for i in range(len(gen))) for j in range(len(real))])
    assert precision_recall(real, gen, k) == pytest.approx((precision, recall))
    assert density_coverage(real, gen, k) == pytest.approx((density, coverage))


def test_same_distribution_scores_high(real):
    other = np.random.default_rng(1).standard_normal((400, 5))
    p, r = precision_recall(real, other)
    d, c = density_coverage(real, other)
    assert p > 0.8 and r > 0.8 and c > 0.8 and 0.7 < d < 1.3


def test_far_samples_score_zero(real):
    p, r = precision_recall(real, real + 100.0)
    d, c = density_coverage(real, real + 100.0)
    assert p == r == d == c == 0.0


def test_one_repeated_sample_is_precise_but_covers_nothing(real):
    """Mode collapse: every sample the same typical point (precision rewards it, coverage not)."""
    gen = np.zeros((400, 5))  # the mode of N(0, I), repeated
    p, r = precision_recall(real, gen)
    _, c = density_coverage(real, gen)
    assert p == 1.0 and r < 0.05 and c < 0.05


def test_scattered_outliers_inflate_recall_not_coverage(real):
    """Samples 4× too spread: their own large balls swallow the real set (recall high), yet
    few land in the real balls (coverage low)."""
    gen = 4.0 * np.random.default_rng(2).standard_normal((400, 5))
    p, r = precision_recall(real, gen)
    _, c = density_coverage(real, gen)
    assert r > 0.5 and c < 0.5 * r and p < 0.5


def test_class_entropy_bounds():
    assert class_entropy(np.zeros(50, int), 10) == 0.0
    assert class_entropy(np.arange(100) % 10, 10) == pytest.approx(np.log(10))
    assert class_entropy(np.array([0, 0, 1, 1]), 10) == pytest.approx(np.log(2))


def test_feature_classifier_scores_real_digits_as_real():
    """The classifier is accurate on held-out digits; real rows score near the top on every
    measure, one repeated digit scores precision without coverage or class entropy."""
    from aecore.data.registry import load_dataset

    net, acc = feature_classifier("digits")
    assert acc > 0.9
    X = load_dataset("digits").X
    order = np.random.default_rng(0).permutation(len(X))
    real, other = X[order[:800]], X[order[800:1600]]
    s = generation_scores({"data": other, "one": np.repeat(other[:1], 800, 0)}, real, net)
    assert s["precision_data"] > 0.8 and s["coverage_data"] > 0.7 and s["class_entropy_data"] > 2.2
    assert s["confidence_data"] > 0.8
    assert s["precision_one"] == 1.0 and s["coverage_one"] < 0.05 and s["class_entropy_one"] == 0.0
