"""Seconds of the operations the experiments are made of, on one core of the reference
machine (2 cores; one torch thread, one BLAS thread), for the cost estimates (``aecore.cost``).

Each term models the *work* an operation does, with constants measured on that machine
(``python -m aecore bench --section 6`` prints estimate against measured for every
experiment):

* training a multilayer perceptron with Adam: per step ``T_STEP + T_LAYER · layers``
  (Python, autograd and optimiser overhead) and ``T_ADAM`` per weight (the update), plus, per
  row, ``6 · weights / FLOPS`` (forward 2 and backward 4 flops per weight) and ``T_UNIT`` per
  activation value;
* t-SNE (van der Maaten & Hinton 2008) with Barnes–Hut gradients: 750 iterations over n
  points, each point attracted by its 3·perplexity nearest neighbours and repelled through
  a tree of the others (measured to grow as n (log n)²), after a neighbour search (n² · d);
* UMAP (McInnes et al. 2018): a neighbour search and a spectral layout (n²), then 500 epochs
  of updates along the edges of the neighbour graph, sampled in proportion to their weights,
  which sum to log₂ k per point for k neighbours; on 4 096 points and more, approximate
  neighbours instead (n · k), and their compilation;
* trustworthiness and k-NN scores: all pairwise distances and their ranks (n² log n);
* a logistic regression by L-BFGS: iterations × rows × features × classes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from aecore.config import Config
from aecore.data import steps

T_STEP = 9e-4  # s per optimiser step (drawing and indexing the batch, the loss, the schedule)
T_LAYER = 4.5e-4  # s per linear layer and step (forward, backward, Adam's update)
T_ADAM = 4e-9  # s per weight and step (Adam's update reads and writes four numbers per weight)
FLOPS = 4e10  # flops per second of float32 matmuls on one core
FLOP_S = 1 / 1.5e10  # s per flop of float64 NumPy / LAPACK work (covariances, least squares)
T_UNIT = 5e-9  # s per activation value and row (element-wise work, forward and backward)
T_PREDICT = 2.5  # a forward pass costs this share of the per-row training work... (see predict)
TSNE_ITERS, UMAP_EPOCHS, UMAP_NEGATIVE = 750, 500, 5
TSNE_PLACE_ITERS = 250  # iterations that place new points into a t-SNE map
T_UMAP_PLACE, T_UMAP_PLACE_PAIR = 0.1, 1e-6  # s to place points into a UMAP map, and per (new, map) pair
T_KNN_FIT, T_KNN_POINT = 2e-3, 3e-6  # s per fold, and per point of a 5-NN fit and prediction in 2-D
T_TSNE_EDGE = 9e-9  # s per iteration and neighbour pair (attraction)
T_TSNE_TREE = 4.4e-8  # s per iteration, point and squared tree depth (log₂ n)² (repulsion)
T_TSNE_PLACE = 1e-7  # s per pair of map points, for 200 new points placed (their tree and affinities)
T_UMAP_EDGE = 7e-7  # s per epoch, point and log₂ k: a point's edge weights sum to log₂ k
T_UMAP_PAIR = 5.5e-7  # s per pair of points (neighbour search and spectral layout)
UMAP_APPROX_FROM, T_UMAP_APPROX, T_UMAP_APPROX_K = 4096, 9e-4, 1.3e-5  # s per point, and per point and neighbour
UMAP_APPROX_COMPILE = 120.0  # s of one core to compile NN-descent's fit and search (measured under load)
T_PAIR = 2e-10  # s per pair of points and feature (distance matrices, by matrix products)
T_RANK = 5e-9  # s per pair of points and log₂ n (sorting distances)
T_LOGREG = 1.5e-10  # s per L-BFGS iteration, row, feature and class
T_CORRUPT = 8e-4  # s per step to draw a batch's corruption (denoising), or to add a penalty
T_NUMPY = 2e-8  # s per element of a short chain of NumPy element-wise operations
T_QUAD = 4e-8  # s per point and quadrature node of a curve's smoothed density (aecore.data.curve_truth)
T_JACOBIAN_ROW = 3e-5  # s per row and layer of an autograd Jacobian of a small network
T_EIGH = 3e-9  # s per d³ of a symmetric eigendecomposition (or an SVD of a d × d matrix)


def mlp(widths: Sequence[int]) -> tuple[int, int, int]:
    """(weights, activation values per row, linear layers) of an MLP through ``widths``."""
    pairs = list(zip(widths[:-1], widths[1:]))
    return sum(a * b + b for a, b in pairs), sum(widths), len(pairs)


def autoencoder(dim: int, hidden: Sequence[int], code: int) -> tuple[int, int, int]:
    """The same for an autoencoder: encoder dim → hidden → code, decoder the mirror image."""
    widths = [dim, *hidden, code]
    return mlp(widths + widths[-2::-1])


def train(count: float, seen: float, net: tuple[int, int, int], extra: float = 0.0) -> float:
    """Seconds of ``count`` Adam steps that see ``seen`` rows in all, on network ``net``
    (``extra``: seconds a step spends beyond the network, e.g. on a penalty)."""
    weights, units, layers = net
    per_step = T_STEP + T_LAYER * layers + T_ADAM * weights + extra
    return count * per_step + seen * (6 * weights / FLOPS + units * T_UNIT)


def stage(cfg: Config, name: str, n: int, net: tuple[int, int, int], models: int = 1, extra: float = 0.0) -> float:
    """Seconds of ``models`` networks trained as field ``name`` of ``cfg`` says (its epochs,
    or steps, and batch from the budget: ``aecore.data.steps.work``) on a data set of n rows."""
    count, seen = steps.work(cfg, name, n)
    return models * train(count, seen, net, extra)


def forward_row(net: tuple[int, int, int]) -> float:
    """Seconds of one row through ``net`` without gradients (a third of a training row's work)."""
    weights, units, _ = net
    return (6 * weights / FLOPS + units * T_UNIT) / 3


def predict(rows: float, net: tuple[int, int, int]) -> float:
    """Seconds of a forward pass over ``rows`` rows, in chunks of 4 096."""
    return T_LAYER * net[2] * math.ceil(rows / 4096) + rows * forward_row(net)


def tsne(n: int, perplexity: float, dim: int) -> float:
    """Seconds of a t-SNE map of n points of ``dim`` features (after the PCA reduction)."""
    k = min(3 * perplexity, n - 1)
    return n * n * dim * T_PAIR + TSNE_ITERS * n * (k * T_TSNE_EDGE + math.log2(max(n, 2)) ** 2 * T_TSNE_TREE)


def umap(n: int, neighbours: int, dim: int) -> float:
    """Seconds of a UMAP map of n points of ``dim`` features. From ``UMAP_APPROX_FROM`` points
    umap-learn finds approximate neighbours (NN-descent: n · k work, measured); add
    ``umap_compile``."""
    k = max(2, min(neighbours, n - 1))
    if n >= UMAP_APPROX_FROM:
        return n * (T_UMAP_APPROX + k * T_UMAP_APPROX_K)
    return n * n * (dim * T_PAIR + T_UMAP_PAIR) + UMAP_EPOCHS * n * math.log2(k) * T_UMAP_EDGE


def umap_compile(n: int) -> float:
    """Seconds to compile NN-descent's numba code (fit and placement), which a UMAP map of n
    points needs from ``UMAP_APPROX_FROM`` points: paid once per process, counted every time
    (a server's first such run pays it; the app's warm-up covers only the smaller maps)."""
    return UMAP_APPROX_COMPILE if n >= UMAP_APPROX_FROM else 0.0


def tsne_place(new: int, n: int, perplexity: float, dim: int) -> float:
    """Seconds to place ``new`` points into a finished t-SNE map of n points (their neighbours
    among the n, then ``TSNE_PLACE_ITERS`` iterations of their positions against the map)."""
    k = min(3 * perplexity, n - 1)
    return new * n * dim * T_PAIR + TSNE_PLACE_ITERS * new * k * T_TSNE_EDGE + n * n * T_TSNE_PLACE * new / 200


def umap_place(new: int, n: int) -> float:
    """Seconds to place ``new`` points into a finished UMAP map of n points."""
    return T_UMAP_PLACE + new * n * T_UMAP_PLACE_PAIR


def knn(n: int, folds: int = 5) -> float:
    """Seconds of the cross-validated 5-NN accuracy of n points of a 2-D map."""
    return folds * (T_KNN_FIT + n * T_KNN_POINT)


def pairwise(n: int, dim: int) -> float:
    """Seconds of all pairwise distances of n points of ``dim`` features."""
    return n * n * dim * T_PAIR


def ranks(n: int) -> float:
    """Seconds to rank every point's distances to the others (trustworthiness)."""
    return n * n * math.log2(max(n, 2)) * T_RANK


def logistic(rows: int, features: int, classes: int, iterations: int) -> float:
    """Seconds of a multinomial logistic regression fitted by L-BFGS."""
    return iterations * rows * (features + 1) * classes * T_LOGREG
