"""2-D embeddings (PCA, t-SNE, UMAP), their live layouts, and the numbers that compare them.

- t-SNE (van der Maaten & Hinton 2008), via openTSNE (Poličar et al. 2024). Affinities
  p_{j|i} ∝ exp(−‖x_i − x_j‖² / 2σ_i²), σ_i set so that 2^{H(P_i)} equals the perplexity,
  symmetrised p_ij = (p_{j|i} + p_{i|j}) / 2n; map affinities q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹
  (a Student-t with one degree of freedom); the map y minimises KL(P ‖ Q) by gradient descent,
  first 250 iterations with P exaggerated ×12 (clusters form), then 500 plain ones. Callbacks
  every few iterations report the map as it forms (``LayoutProgress``). Its neighbours (3 ×
  perplexity of them) come from openTSNE's own Annoy index, queried point by point so that
  an abandoned run ends there (``aecore.neighbours.StoppableAnnoy``).
- UMAP (McInnes, Healy & Melville 2018; umap-learn). Its numba kernels are not safe to run
  from several threads at once, so every fit and transform holds one lock. It gets exact
  neighbours computed in chunks (``aecore.neighbours.exact_knn``) instead of running its
  NN-descent. Its epoch loop iterates a tqdm bar; ``_UmapTap`` stands in for it and reads
  the layout being optimised from the loop's frame (umap.layouts.optimize_layout_euclidean,
  umap-learn 0.5.12).
- A run nobody will look at ends within a chunk of neighbours, an iteration or an epoch
  (``aecore.stopping``).
- Both see the data's first 50 principal components when it has more than 100 features
  (the recipe of van der Maaten's original t-SNE code): the neighbour search gets cheaper,
  the neighbourhoods barely change. Trustworthiness is measured on the full data.
- Trustworthiness (Venna & Kaski 2001): how many of each point's k nearest neighbours
  in the map are also near in the data (1 = perfect); ``aecore.neighbours.trustworthiness``.
"""

from __future__ import annotations

import sys
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from aecore import neighbours, stopping
from aecore.device import keep_threads
from aecore.theory import PCAFit, pca_fit
from aecore.train import Progress, ProgressFn

UMAP_LOCK = threading.Lock()
CAPS = {"tsne": 5000, "umap": 10000}
PCA_DIMS, PCA_ABOVE = 50, 100  # t-SNE/UMAP inputs: 50 principal components when D > 100
TSNE_PHASES = ((250, 12.0, 0.5), (500, 1.0, 0.8))  # (iterations, exaggeration, momentum)
EVERY = 10  # t-SNE iterations between two live layouts
CHECK_EVERY = 5  # t-SNE iterations between two checks for an abandoned run (divides EVERY)
ANNOY_ABOVE = 1000  # openTSNE's own choice: exact neighbours below this many points, Annoy above
# UMAP warns that, without an NN-descent index, it cannot place new points: ExactIndex does.
warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\]", category=UserWarning)


@dataclass(frozen=True)
class LayoutProgress(Progress):
    """Progress of a method that draws a map: the map as it stands, (n, 2)."""

    layout: np.ndarray | None = None


@dataclass
class Embedding:
    method: str
    Y: np.ndarray  # (n, 2)
    seconds: float
    transform: Callable[[np.ndarray], np.ndarray] | None  # embeds new points
    stopped: bool = False
    kl: float = float("nan")  # t-SNE: the KL(P ‖ Q) it reached
    pca: PCAFit | None = None  # PCA: the fit (its components can feed t-SNE and UMAP)


def reducer(X: np.ndarray, fit: PCAFit | None = None) -> Callable[[np.ndarray], np.ndarray]:
    """Rows → the input t-SNE and UMAP see for data X: the rows themselves, or their
    coordinates on X's first 50 principal components when X has more than 100 features
    (``fit``: X's PCA when the caller already has it)."""
    if X.shape[1] <= PCA_ABOVE:
        return lambda W: np.asarray(W, np.float64)
    fit = fit or pca_fit(X)
    return lambda W: fit.transform(W, PCA_DIMS)


def embed_pca(X: np.ndarray, seed: int = 0) -> Embedding:
    t0 = time.perf_counter()
    fit = pca_fit(X)
    Y = fit.transform(X, 2)
    new = lambda Z: fit.transform(Z, 2).astype(np.float32)  # noqa: E731
    return Embedding("pca", Y.astype(np.float32), time.perf_counter() - t0, new, pca=fit)


class _TsneTap:
    """An openTSNE callback, called every ``CHECK_EVERY`` iterations: has the run been
    abandoned? Every ``EVERY`` iterations it also reports the map and KL(P ‖ Q) and
    remembers a stop request. (Evaluating KL at a callback does not change the map.)"""

    def __init__(self, on_progress: ProgressFn | None, stage: str, total: int):
        self.on_progress, self.stage, self.total, self.offset, self.stopped = on_progress, stage, total, 0, False

    def __call__(self, iteration: int, error: float, embedding) -> bool:
        stopping.check()
        if self.on_progress is not None and iteration % EVERY == 0:
            layout = np.array(embedding, np.float32)
            p = LayoutProgress(self.stage, self.offset + iteration, self.total, float(error), layout=layout)
            self.stopped = bool(self.on_progress(p))
        return self.stopped


def _affinities(Z: np.ndarray, perplexity: float, seed: int):
    """openTSNE's perplexity-based affinities of Z, its neighbours found as openTSNE would
    (exact below ``ANNOY_ABOVE`` points, else Annoy) but with checks between points."""
    from openTSNE import affinity

    if Z.shape[0] < ANNOY_ABOVE:
        return affinity.PerplexityBasedNN(Z, perplexity=perplexity, n_jobs=1, random_state=seed, verbose=False)
    k = min(Z.shape[0] - 1, int(3 * perplexity))
    index = neighbours.StoppableAnnoy(Z, k, metric="euclidean", n_jobs=1, random_state=seed)
    return affinity.PerplexityBasedNN(perplexity=perplexity, n_jobs=1, random_state=seed, knn_index=index)


def embed_tsne(
    X: np.ndarray,
    seed: int = 0,
    perplexity: float = 30.0,
    on_progress: ProgressFn | None = None,
    stage: str = "tsne",
    fit: PCAFit | None = None,
) -> Embedding:
    """t-SNE in its two phases (early exaggeration, then plain KL descent), reporting the map
    and KL(P ‖ Q) every ``EVERY`` iterations; a truthy progress answer stops it there."""
    from openTSNE import TSNEEmbedding, initialization

    t0 = time.perf_counter()
    to_input = reducer(X, fit)
    Z = to_input(X)
    perplexity = min(perplexity, (Z.shape[0] - 1) / 3)
    P = _affinities(Z, perplexity, seed)
    emb = TSNEEmbedding(initialization.pca(Z, random_state=seed), P, n_jobs=1, random_state=seed)
    tap = _TsneTap(on_progress, stage, sum(p[0] for p in TSNE_PHASES))
    for n_iter, exaggeration, momentum in TSNE_PHASES:
        emb = emb.optimize(
            n_iter, exaggeration=exaggeration, momentum=momentum, callbacks=tap, callbacks_every_iters=CHECK_EVERY
        )
        tap.offset += n_iter
        if tap.stopped:
            break
    Y = np.asarray(emb, np.float32)
    new = lambda W: np.asarray(emb.transform(to_input(W)), np.float32)  # noqa: E731
    seconds, kl = time.perf_counter() - t0, float(getattr(emb, "kl_divergence", float("nan")))
    return Embedding("tsne", Y, seconds, None if tap.stopped else new, tap.stopped, kl)


class _Stop(Exception):
    """Raised through UMAP's epoch loop when the user asked to stop."""


class _UmapTap:
    """Stands in for the ``tqdm`` of umap.layouts (umap-learn 0.5.12), whose epoch loop reads
    ``for n in tqdm(range(n_epochs), **tqdm_kwds)``: yields the epochs and, between two (``reports``
    times per fit), reports the layout being optimised, read from the loop's frame.
    A stop raises ``_Stop`` here, between epochs, where no lock is held: raised from inside a
    real tqdm bar's write it would leave tqdm's process-wide lock taken (``tqdm.refresh``
    acquires and releases it without ``with``), and every later bar would wait forever."""

    def __init__(self, on_progress: ProgressFn, stage: str, reports: int = 50):
        self.on_progress, self.stage, self.reports = on_progress, stage, reports
        self.last, self.stopped = None, False

    def __call__(self, epochs, **_tqdm_kwds):
        return self._epochs(epochs)

    def _epochs(self, epochs):
        every = max(1, len(epochs) // self.reports)
        for n in epochs:
            stopping.check()  # an abandoned run ends between two epochs, where no lock is held
            if n and n % every == 0:
                self._report(sys._getframe(1), n, len(epochs))  # frame 1: the loop that called next()
            yield n

    def _report(self, frame, epoch: int, epochs: int) -> None:
        if frame is None or "head_embedding" not in frame.f_locals:
            return
        self.last = np.array(frame.f_locals["head_embedding"], np.float32)
        if self.on_progress(LayoutProgress(self.stage, epoch, epochs, float("nan"), layout=self.last)):
            self.stopped = True
            raise _Stop


def embed_umap(
    X: np.ndarray,
    seed: int = 0,
    n_neighbors: int = 15,
    on_progress: ProgressFn | None = None,
    stage: str = "umap",
    fit: PCAFit | None = None,
) -> Embedding:
    """UMAP on exact neighbours (module docstring), reporting its layout 50 times as its
    epochs run; a truthy progress answer stops it with the layout reached."""
    import umap
    from umap import layouts

    t0 = time.perf_counter()
    to_input = reducer(X, fit)
    Z = to_input(X)
    k = min(n_neighbors, Z.shape[0] - 1)
    knn = neighbours.exact_knn(Z, k)
    tap = None if on_progress is None else _UmapTap(on_progress, stage)
    stopped = False
    with UMAP_LOCK, keep_threads():
        model = umap.UMAP(
            n_components=2,
            n_neighbors=k,
            random_state=seed,
            n_jobs=1,
            tqdm_kwds={"disable": True},
            precomputed_knn=(*knn, neighbours.ExactIndex(Z)),
        )
        real_bar, layouts.tqdm = layouts.tqdm, tap or _checked
        try:
            Y = model.fit_transform(Z).astype(np.float32)
        except _Stop:
            Y, stopped = tap.last, True
        finally:
            layouts.tqdm = real_bar

    def transform(W: np.ndarray) -> np.ndarray:
        with UMAP_LOCK, keep_threads():
            return model.transform(to_input(W)).astype(np.float32)

    return Embedding("umap", Y, time.perf_counter() - t0, None if stopped else transform, stopped)


def _checked(epochs, **_tqdm_kwds):
    """UMAP's epochs without progress reports, checking for an abandoned run between two."""
    for n in epochs:
        stopping.check()
        yield n


EMBEDDINGS: dict[str, Callable[..., Embedding]] = {
    "pca": embed_pca,
    "tsne": embed_tsne,
    "umap": embed_umap,
}


def trustworthiness(X: np.ndarray, Y: np.ndarray, k: int = 10) -> float:
    """Trustworthiness of map Y for data X (``aecore.neighbours.trustworthiness``)."""
    return neighbours.trustworthiness(X, {"map": Y}, k)["map"]


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
    """Compile UMAP's numba kernels (fit and transform) once, so no user waits for them."""
    rng = np.random.default_rng(0)
    e = embed_umap(rng.standard_normal((200, 8)).astype(np.float32))
    e.transform(rng.standard_normal((4, 8)).astype(np.float32))
