"""The chunked neighbour searches and scores (aecore.neighbours) give the numbers of the
libraries they stand in for: exact neighbours as a brute-force sort, openTSNE's Annoy
neighbours unchanged, scikit-learn's trustworthiness to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
from openTSNE import nearest_neighbors
from sklearn.manifold import trustworthiness as sklearn_trust

from aecore import embed, neighbours
from aecore.data.registry import load_dataset


@pytest.fixture(scope="module")
def data():
    ds = load_dataset("digits")
    idx = embed.subsample(ds.n, 1200, 0)
    return ds.X[idx].astype(np.float64)


def test_exact_neighbours_are_the_nearest_by_a_full_sort(data, monkeypatch):
    monkeypatch.setattr(neighbours, "CHUNK_CELLS", 50_000)  # many chunks
    idx, dist = neighbours.exact_knn(data, 15)
    full = np.sqrt(((data[:, None, :] - data[None, :, :]) ** 2).sum(-1))
    expect = np.sort(full, axis=1)[:, :15]
    assert np.allclose(dist, expect, atol=1e-5)
    assert np.allclose(np.take_along_axis(full, idx.astype(int), 1), dist, atol=1e-5)
    assert (dist[:, 0] == 0).all(), "a point is its own nearest neighbour, at distance exactly 0"
    new_idx, _ = neighbours.ExactIndex(data).query(data[:5] + 1e-3, 3)
    assert (new_idx[:, 0] == np.arange(5)).all()


def test_the_stoppable_annoy_index_finds_openTSNEs_neighbours(data):
    Z = embed.reducer(data)(data)
    theirs = nearest_neighbors.Annoy(Z, 45, metric="euclidean", random_state=3, n_jobs=1).build()
    ours = neighbours.StoppableAnnoy(Z, 45, metric="euclidean", random_state=3, n_jobs=1).build()
    assert np.array_equal(theirs[0], ours[0]) and np.array_equal(theirs[1], ours[1])


def test_trustworthiness_of_several_maps_is_sklearns(data, monkeypatch):
    monkeypatch.setattr(neighbours, "CHUNK_CELLS", 100_000)
    rng = np.random.default_rng(0)
    maps = {"pca": embed.embed_pca(data).Y, "noise": rng.standard_normal((len(data), 2)), "first": data[:, :2]}
    ours = neighbours.trustworthiness(data, maps, 10)
    for m, Y in maps.items():
        assert ours[m] == sklearn_trust(data, Y, n_neighbors=10), m
