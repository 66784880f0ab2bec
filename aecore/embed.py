"""2-D embeddings (PCA, t-SNE, UMAP) and the numbers that compare them.

- t-SNE: van der Maaten & Hinton 2008, via openTSNE (Poličar et al. 2024), which can
  also place new points into an existing map.
- UMAP: McInnes, Healy & Melville 2018 (umap-learn). Its numba kernels are not safe to
  run from several threads at once, so every fit and transform holds one lock.
- Trustworthiness (Venna & Kaski 2001): how many of each point's k nearest neighbours
  in the map are also near in the data (1 = perfect).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.manifold import trustworthiness as _trust
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from aecore.theory import pca_fit

UMAP_LOCK = threading.Lock()
CAPS = {"tsne": 5000, "umap": 10000}


@dataclass
class Embedding:
    method: str
    Y: np.ndarray  # (n, 2)
    seconds: float
    transform: Callable[[np.ndarray], np.ndarray] | None  # embeds new points


def embed_pca(X: np.ndarray, seed: int = 0) -> Embedding:
    t0 = time.perf_counter()
    fit = pca_fit(X)
    Y = fit.transform(X, 2)
    return Embedding(
        "pca", Y.astype(np.float32), time.perf_counter() - t0, lambda Z: fit.transform(Z, 2).astype(np.float32)
    )


def embed_tsne(X: np.ndarray, seed: int = 0, perplexity: float = 30.0) -> Embedding:
    from openTSNE import TSNE

    t0 = time.perf_counter()
    perplexity = min(perplexity, (X.shape[0] - 1) / 3)
    emb = TSNE(n_components=2, perplexity=perplexity, random_state=seed, n_jobs=1, verbose=False).fit(
        np.asarray(X, np.float64)
    )
    Y = np.asarray(emb, np.float32)
    return Embedding(
        "tsne", Y, time.perf_counter() - t0, lambda Z: np.asarray(emb.transform(np.asarray(Z, np.float64)), np.float32)
    )


def embed_umap(X: np.ndarray, seed: int = 0, n_neighbors: int = 15) -> Embedding:
    import umap

    t0 = time.perf_counter()
    with UMAP_LOCK:
        model = umap.UMAP(n_components=2, n_neighbors=min(n_neighbors, X.shape[0] - 1), random_state=seed, n_jobs=1)
        Y = model.fit_transform(X).astype(np.float32)

    def transform(Z: np.ndarray) -> np.ndarray:
        with UMAP_LOCK:
            return model.transform(Z).astype(np.float32)

    return Embedding("umap", Y, time.perf_counter() - t0, transform)


EMBEDDINGS: dict[str, Callable[..., Embedding]] = {
    "pca": embed_pca,
    "tsne": embed_tsne,
    "umap": embed_umap,
}


def trustworthiness(X: np.ndarray, Y: np.ndarray, k: int = 10) -> float:
    return float(_trust(np.asarray(X, np.float64), np.asarray(Y, np.float64), n_neighbors=k))


def knn_accuracy(Y: np.ndarray, labels: np.ndarray, k: int = 5, folds: int = 5, seed: int = 0) -> float:
    """Cross-validated accuracy of a k-NN classifier on the embedding (stratified folds);
    NaN when the labels cannot support it (one class, or a class with fewer rows than folds)."""
    from sklearn.model_selection import StratifiedKFold

    _, counts = np.unique(labels, return_counts=True)
    if len(counts) < 2 or counts.min() < 2:
        return float("nan")
    cv = StratifiedKFold(min(folds, int(counts.min())), shuffle=True, random_state=seed)
    return float(cross_val_score(KNeighborsClassifier(k), Y, labels, cv=cv).mean())


def subsample(n: int, cap: int, seed: int = 0) -> np.ndarray:
    """Indices of at most ``cap`` rows (all rows when n ≤ cap), sorted."""
    if n <= cap:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, cap, replace=False))


def warm_up() -> None:
    """Compile UMAP's numba kernels once (about 10 s) so no user waits for it."""
    rng = np.random.default_rng(0)
    embed_umap(rng.standard_normal((200, 8)).astype(np.float32))
