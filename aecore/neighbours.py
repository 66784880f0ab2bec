"""Nearest neighbours in small chunks, so that a run nobody waits for ends within one chunk
(``aecore.stopping.check`` between chunks), and the scores that rank them.

- ``exact_knn(Z, k)``: each row's k nearest rows of Z by exact Euclidean distance (scipy
  ``cdist``: differences squared and summed, so a point is at distance exactly 0 from
  itself and from its duplicates), a chunk of rows at a time. UMAP gets them as
  precomputed neighbours (umap-learn's ``precomputed_knn``): no NN-descent, so neither its
  numba compilation (tens of seconds at the first call on more than 4 096 points) nor a
  search nobody can interrupt; ``ExactIndex`` answers UMAP's search for new points.
- ``StoppableAnnoy``: openTSNE's Annoy neighbour index (``openTSNE.nearest_neighbors.Annoy``,
  openTSNE 1.0.4) making the same calls in the same order, so the same neighbours and the
  same t-SNE, with a check between points.
- ``trustworthiness(X, maps, k)`` (Venna & Kaski 2001), for several maps of the same data:
  T = 1 − 2 / (n k (2n − 3k − 1)) Σ_i Σ_{j ∈ U_k(i)} (r(i, j) − k), where U_k(i) are i's k
  nearest neighbours in the map that are not among its k nearest in the data and r(i, j)
  is j's rank among i's neighbours in the data. The data's ranks are computed once for all
  maps, a chunk of rows at a time (scikit-learn's ``trustworthiness`` sorts an n × n
  matrix per map: 2 s and 600 MB at 5 000 points).
"""

from __future__ import annotations

import numpy as np
from openTSNE import nearest_neighbors
from scipy.spatial.distance import cdist
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from aecore import stopping

CHUNK_CELLS = 2_000_000  # distances computed per chunk (16 MB of float64)
ANNOY_CHECK = 64  # Annoy queries between two checks


def _chunks(rows: int, cols: int):
    step = max(1, CHUNK_CELLS // max(1, cols))
    for start in range(0, rows, step):
        stopping.check()
        yield slice(start, min(rows, start + step))


def exact_knn(Z: np.ndarray, k: int, Q: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(indices int32 (m, k), distances float32 (m, k)) of the k rows of Z nearest to each
    row of Q (default Z itself: a row is its own first neighbour), nearest first."""
    Z = np.asarray(Z, np.float64)
    Q = Z if Q is None else np.asarray(Q, np.float64)
    idx, dist = np.empty((len(Q), k), np.int32), np.empty((len(Q), k), np.float32)
    for rows in _chunks(len(Q), len(Z)):
        d = cdist(Q[rows], Z)
        near = np.argpartition(d, k - 1, axis=1)[:, :k] if k < len(Z) else np.tile(np.arange(len(Z)), (len(d), 1))
        dn = np.take_along_axis(d, near, 1)
        order = np.argsort(dn, axis=1, kind="stable")
        idx[rows], dist[rows] = np.take_along_axis(near, order, 1), np.take_along_axis(dn, order, 1)
    return idx, dist


class ExactIndex:
    """The neighbour search umap-learn's ``transform`` uses (``query(X, k, epsilon)``), exact."""

    _angular_trees = False

    def __init__(self, Z: np.ndarray):
        self.Z = Z

    def query(self, X: np.ndarray, k: int, epsilon: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        return exact_knn(self.Z, k, X)


class StoppableAnnoy(nearest_neighbors.Annoy):
    """openTSNE's Annoy index on the Euclidean metric with one job (the build of
    ``nearest_neighbors.Annoy``, openTSNE 1.0.4), checking for an abandoned run between points."""

    def build(self):
        from openTSNE.dependencies.annoy import AnnoyIndex

        data, k, n = self.data, self.k, self.data.shape[0]
        self.index = AnnoyIndex(data.shape[1], "euclidean")
        self.index.set_seed(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        for i in range(n):
            self.index.add_item(i, data[i])
        self.index.build(n_jobs=1, n_trees=50)
        indices, distances = np.zeros((n, k)).astype(int), np.zeros((n, k))
        for i in range(n):
            if i % ANNOY_CHECK == 0:
                stopping.check()
            found, d = self.index.get_nns_by_item(i, k + 1, include_distances=True)  # the point itself first
            indices[i], distances[i] = found[1:], d[1:]
        return indices, distances


def trustworthiness(X: np.ndarray, maps: dict[str, np.ndarray], k: int = 10) -> dict[str, float]:
    """The trustworthiness of each map (n, 2) of the data X (n, D) (module docstring); the
    same numbers as ``sklearn.manifold.trustworthiness(X, Y, n_neighbors=k)``."""
    X = np.asarray(X, np.float64)
    n = len(X)
    near = {m: NearestNeighbors(n_neighbors=k).fit(Y).kneighbors(return_distance=False) for m, Y in maps.items()}
    total = dict.fromkeys(maps, 0)
    for rows in _chunks(n, n):
        d = pairwise_distances(X[rows], X)
        d[np.arange(len(d)), np.arange(rows.start, rows.stop)] = np.inf  # a point is not its own neighbour
        rank = np.empty(d.shape, np.int64)
        np.put_along_axis(rank, np.argsort(d, axis=1), np.arange(1, n + 1), 1)  # data rank of every point
        for m, nbrs in near.items():
            r = np.take_along_axis(rank, nbrs[rows], 1) - k
            total[m] += int(r[r > 0].sum())
    scale = 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))
    return {m: 1.0 - total[m] * scale for m in maps}
