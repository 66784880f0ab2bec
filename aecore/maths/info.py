"""Entropy, cross-entropy and KL divergence of discrete distributions (lesson 10, annex).

Shannon (1948); Kullback & Leibler (1951). For distributions P, Q over the same outcomes,

    H(P)      = −Σ_i p_i log p_i                 (0 log 0 = 0)
    H(P, Q)   = −Σ_i p_i log q_i                 (∞ when some q_i = 0 < p_i)
    D_KL(P‖Q) = Σ_i p_i log(p_i / q_i) = H(P, Q) − H(P) ≥ 0,

with equality only for P = Q, and in general D_KL(P‖Q) ≠ D_KL(Q‖P). The entropy in bits is
a lower bound on the mean codeword length of any uniquely decodable code (Shannon's source
coding theorem); a Huffman code (Huffman 1952), the best symbol code, reaches it to within one bit:
H(P) ≤ L < H(P) + 1 (Cover & Thomas 2006, ch. 5). Pure NumPy.
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np

from aecore.errors import CodedError

MAX_OUTCOMES = 50
UNITS = {"bits": 2.0, "nats": float(np.e)}


class DistributionError(CodedError):
    """The numbers cannot be made into a probability distribution; says how to fix them."""


def normalize(weights, name: str = "P") -> np.ndarray:
    """Non-negative weights scaled to sum to 1 (float64). Raises DistributionError for
    an empty list, too many outcomes, non-finite or negative entries, or a zero sum."""
    w = np.asarray(weights, np.float64).ravel()
    if w.size == 0:
        raise DistributionError(
            f"{name} has no outcomes; give at least one weight.", code="dist_empty", params=dict(name=name)
        )
    if w.size > MAX_OUTCOMES:
        raise DistributionError(
            f"{name} has {w.size} outcomes; at most {MAX_OUTCOMES} are allowed.",
            code="dist_too_many",
            params=dict(name=name, count=w.size, max=MAX_OUTCOMES),
        )
    if not np.all(np.isfinite(w)):
        raise DistributionError(
            f"{name} has an empty or non-numeric entry; fill every cell with a number.",
            code="dist_not_numeric",
            params=dict(name=name),
        )
    if np.any(w < 0):
        bad = int(np.argmax(w < 0)) + 1
        raise DistributionError(
            f"{name} has a negative weight (outcome {bad}); probabilities cannot be negative.",
            code="dist_negative",
            params=dict(name=name, outcome=bad),
        )
    total = w.sum()
    if total <= 0:
        raise DistributionError(
            f"{name}'s weights sum to zero; give at least one positive weight.",
            code="dist_zero_sum",
            params=dict(name=name),
        )
    return w / total


def _log(x: np.ndarray, base: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(x) / np.log(base)


def entropy(p, base: float = 2.0) -> float:
    """H(P) = −Σ p_i log p_i, with 0 log 0 = 0."""
    p = np.asarray(p, np.float64)
    nz = p > 0
    return float(-(p[nz] * _log(p[nz], base)).sum())


def _paired(p, q) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P and Q as float64 arrays of the same outcomes, and the mask of P's support."""
    p, q = np.asarray(p, np.float64), np.asarray(q, np.float64)
    if p.shape != q.shape:
        raise DistributionError(
            f"P has {p.size} outcomes and Q has {q.size}; they must match.",
            code="dist_mismatch",
            params=dict(p=p.size, q=q.size),
        )
    return p, q, p > 0


def cross_entropy(p, q, base: float = 2.0) -> float:
    """H(P, Q) = −Σ p_i log q_i over the outcomes with p_i > 0 (∞ if some of them has q_i = 0)."""
    p, q, nz = _paired(p, q)
    if np.any(q[nz] == 0):
        return float("inf")
    return float(-(p[nz] * _log(q[nz], base)).sum())


def kl_divergence(p, q, base: float = 2.0) -> float:
    """D_KL(P‖Q) = Σ p_i log(p_i / q_i) = H(P, Q) − H(P); computed term by term (no
    cancellation), ∞ when Q gives zero probability to an outcome P can produce."""
    p, q, nz = _paired(p, q)
    if np.any(q[nz] == 0):
        return float("inf")
    return float(max((p[nz] * _log(p[nz] / q[nz], base)).sum(), 0.0))


def kl_terms(p, q, base: float = 2.0) -> np.ndarray:
    """Each outcome's term p_i log(p_i / q_i) of D_KL(P‖Q): 0 where p_i = 0, ∞ where
    q_i = 0 < p_i. Terms may be negative; their sum is not."""
    p, q = np.asarray(p, np.float64), np.asarray(q, np.float64)
    out = np.zeros_like(p)
    nz = p > 0
    with np.errstate(divide="ignore"):
        out[nz] = p[nz] * _log(p[nz] / q[nz], base)
    return out


def summary(p, q, base: float = 2.0) -> dict[str, float]:
    """Every quantity the annex shows, for normalised P and Q."""
    return {
        "H_P": entropy(p, base),
        "H_Q": entropy(q, base),
        "H_PQ": cross_entropy(p, q, base),
        "H_QP": cross_entropy(q, p, base),
        "KL_PQ": kl_divergence(p, q, base),
        "KL_QP": kl_divergence(q, p, base),
    }


def huffman_lengths(p) -> np.ndarray:
    """Codeword lengths in bits of a Huffman code for P: merge the two least likely groups
    until one is left; each merge adds one bit to every outcome in both. Outcomes with
    p_i = 0 get no codeword (length 0), and so does a sole outcome (nothing to transmit)."""
    p = np.asarray(p, np.float64)
    lengths = np.zeros(p.size, np.int64)
    tie = itertools.count()  # equal probabilities merge in a fixed order
    heap = [(pi, next(tie), [i]) for i, pi in enumerate(p) if pi > 0]
    heapq.heapify(heap)
    while len(heap) > 1:
        (pa, _, a), (pb, _, b) = heapq.heappop(heap), heapq.heappop(heap)
        lengths[a + b] += 1
        heapq.heappush(heap, (pa + pb, next(tie), a + b))
    return lengths


def mean_code_length(p) -> float:
    """L = Σ p_i ℓ_i in bits for the Huffman code of P; H(P) ≤ L < H(P) + 1."""
    p = np.asarray(p, np.float64)
    return float((p * huffman_lengths(p)).sum())
