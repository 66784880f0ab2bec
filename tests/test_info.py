"""Lesson 10 (annex): entropy, cross-entropy and KL of discrete distributions against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import entropy as sp_entropy

from aecore.maths import info

weights = st.lists(st.floats(0.0, 10.0, allow_nan=False), min_size=2, max_size=8)


@settings(max_examples=60, deadline=None)
@given(weights, st.sampled_from(sorted(info.UNITS)))
def test_entropy_matches_scipy(w, unit):
    if sum(w) <= 0:
        return
    p, base = info.normalize(w), info.UNITS[unit]
    assert info.entropy(p, base) == pytest.approx(sp_entropy(p, base=base), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 8).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0.0, 10.0), min_size=n, max_size=n),
            st.lists(st.floats(0.01, 10.0), min_size=n, max_size=n),
        )
    )
)
def test_kl_and_cross_entropy_match_scipy(pq):
    w, v = pq
    if sum(w) <= 0:
        return
    p, q = info.normalize(w), info.normalize(v, "Q")
    kl = info.kl_divergence(p, q)
    assert kl == pytest.approx(sp_entropy(p, q, base=2), abs=1e-10)
    h_pq = sp_entropy(p, base=2) + sp_entropy(p, q, base=2)
    assert info.cross_entropy(p, q) == pytest.approx(h_pq, abs=1e-10)
    assert kl == pytest.approx(info.cross_entropy(p, q) - info.entropy(p), abs=1e-10)
    assert kl >= 0


def test_kl_is_zero_only_for_equal_and_asymmetric_otherwise():
    p = np.array([0.5, 0.5])
    q = np.array([0.9, 0.1])
    assert info.kl_divergence(p, p) == 0.0
    assert info.kl_divergence(p, q) != pytest.approx(info.kl_divergence(q, p), abs=1e-3)


def test_zero_probability_in_q_gives_infinity_but_zero_in_p_does_not():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([1.0, 0.0, 0.0])
    assert info.kl_divergence(p, q) == np.inf and info.cross_entropy(p, q) == np.inf
    assert np.isfinite(info.kl_divergence(q, p))
    assert info.kl_divergence(q, p) == pytest.approx(sp_entropy(q, p, base=2))


@pytest.mark.parametrize(
    "bad, message",
    [
        ([1.0, -0.5, 2.0], "negative weight"),
        ([0.0, 0.0], "sum to zero"),
        ([], "no outcomes"),
        ([1.0, float("nan")], "non-numeric"),
        ([1.0] * 51, "at most"),
    ],
)
def test_invalid_weights_are_refused_with_a_message(bad, message):
    with pytest.raises(info.DistributionError, match=message):
        info.normalize(bad)


def test_mismatched_sizes_are_refused():
    with pytest.raises(info.DistributionError, match="must match"):
        info.kl_divergence([0.5, 0.5], [1 / 3] * 3)


def test_kl_terms_sum_to_the_divergence():
    p, q = info.normalize([1, 2, 3, 0]), info.normalize([2, 2, 1, 1], "Q")
    terms = info.kl_terms(p, q)
    assert terms[3] == 0.0 and np.any(terms < 0)
    assert terms.sum() == pytest.approx(info.kl_divergence(p, q))
    assert info.kl_terms([0.5, 0.5], [1.0, 0.0])[1] == np.inf


@settings(max_examples=60, deadline=None)
@given(weights)
def test_huffman_code_is_within_one_bit_of_the_entropy(w):
    """The annex's sentence: H(P) ≤ L < H(P) + 1 for the Huffman code (bits), and the code
    is a prefix code (Kraft: Σ 2^−ℓ ≤ 1 over the outcomes that occur)."""
    if sum(w) <= 0:
        return
    p = info.normalize(w)
    lengths, L, H = info.huffman_lengths(p), info.mean_code_length(p), info.entropy(p, 2.0)
    assert H - 1e-12 <= L < H + 1 + 1e-12  # strict in exact arithmetic; H + 1 may round to 1.0
    used = p > 0
    assert np.sum(2.0 ** -lengths[used]) <= 1 + 1e-12 if used.sum() > 1 else lengths[used].sum() == 0


def test_huffman_meets_the_entropy_on_dyadic_probabilities_and_not_otherwise():
    p = np.array([0.5, 0.25, 0.125, 0.125])
    assert list(info.huffman_lengths(p)) == [1, 2, 3, 3]
    assert info.mean_code_length(p) == pytest.approx(info.entropy(p, 2.0))
    skewed = np.array([0.9, 0.1])  # a symbol code needs a whole bit; the entropy is 0.47 bits
    assert info.mean_code_length(skewed) == 1.0 and info.entropy(skewed, 2.0) < 0.5
