"""Lesson 3, ``latent``: the same points mapped to 2-D by an AE, PCA, t-SNE and UMAP.

The autoencoder's map is also recorded every few epochs (aecore.timeline) with its
5-NN accuracy, so the page can scrub back through training.

Each map is scored by trustworthiness (k = 10; Venna & Kaski 2001), by the
cross-validated accuracy of a 5-NN classifier on the 2-D coordinates, by its fit time and
by the time it takes to place new points. The autoencoder and PCA are functions (a new
point is encoded exactly); t-SNE and UMAP place new points approximately, by optimising
them against the fixed map. t-SNE and UMAP report their layout as it forms
(``embed.LayoutProgress``). Larger data sets are subsampled to ``max_points`` rows (the
same rows for every map), and the page says so.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from aecore import embed
from aecore.config import Config, param
from aecore.data.registry import dataset_names, load_dataset
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.models import ModelConfig, build_model
from aecore.timeline import Timeline
from aecore.train import ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml); timing stages add ":n=<points>".
AE_MAP, TSNE, UMAP, SCORES = "ae_map", "tsne", "umap", "scores"
TIMING = {m: f"timing_{m}" for m in ("ae", "pca", "tsne", "umap")}
NEW_POINTS = 200  # rows placed into each finished map to time "embed a new point"

METHODS = ("ae", "pca", "tsne", "umap")
NEW_POINT = {"ae": "exact", "pca": "exact", "tsne": "approximate", "umap": "approximate"}


@dataclass(frozen=True)
class LatentConfig(Config):
    dataset: str = param("digits", "data set (built-in or registered user data)", choices=dataset_names)
    epochs: int = param(150, "autoencoder epochs (batches of 256)", lo=1, hi=2000)
    width: int = param(128, "autoencoder first hidden width", lo=4, hi=1024)
    perplexity: float = param(30.0, "t-SNE perplexity", lo=2.0, hi=100.0)
    n_neighbors: int = param(15, "UMAP neighbours", lo=2, hi=200)
    max_points: int = param(2500, "points in the maps (larger data: a random subset)", lo=100, hi=embed.CAPS["tsne"])
    seed: int = param(0, "seed of every method", lo=0, hi=2**31 - 1)


def train_ae_map(cfg: LatentConfig, X: np.ndarray, track: Tracker, timeline_rows: np.ndarray | None = None):
    """The 2-D autoencoder map; with ``timeline_rows``, also a Timeline of its codes and of
    the reconstructions of those rows (the lesson's scrubbing slider)."""
    mc = ModelConfig(input_dim=X.shape[1], hidden=(cfg.width, cfg.width // 2), latent_dim=2, activation="relu")
    model = build_model(mc, seed=cfg.seed)
    t0 = time.perf_counter()
    tl = (
        None
        if timeline_rows is None
        else Timeline(
            cfg.epochs, lambda: {"codes": predict(model.encode, X), "recon": predict(model, X[timeline_rows])}
        )
    )
    track.fit(
        model,
        X,
        TrainConfig(epochs=cfg.epochs, batch_size=256, lr=5e-3, seed=cfg.seed),
        on_progress=None if tl is None else tl.wrap(track),
        stage=AE_MAP,
    )
    seconds = time.perf_counter() - t0
    Y = predict(model.encode, X)
    e = embed.Embedding("ae", Y, seconds, lambda Z: predict(model.encode, Z))
    if tl is not None:
        tl.finish()
    return e, model, tl


def _timeline(tl: Timeline, y: np.ndarray, rows: np.ndarray, seed: int) -> dict:
    """Snapshots plus the 5-NN accuracy of the map at each of them."""
    out = tl.arrays()
    out["knn"] = np.array([embed.knn_accuracy(c, y, 5, seed=seed) for c in out["codes"]])
    out["rows"] = rows
    return out


def _maps(cfg: LatentConfig, X: np.ndarray, y: np.ndarray, track: Tracker, rows: np.ndarray):
    """The four maps of X, in order; t-SNE and UMAP report their layouts to ``track``."""
    ae, model, tl = train_ae_map(cfg, X, track, rows)
    maps = {"ae": ae, "pca": embed.embed_pca(X)}
    fit = maps["pca"].pca  # its first 50 components are what t-SNE and UMAP see when D > 100
    track.step(TSNE)
    maps["tsne"] = embed.embed_tsne(X, cfg.seed, cfg.perplexity, on_progress=track, stage=TSNE, fit=fit)
    track.step(UMAP)
    maps["umap"] = embed.embed_umap(X, cfg.seed, cfg.n_neighbors, on_progress=track, stage=UMAP, fit=fit)
    return maps, model, tl


def _scores(maps: dict, X: np.ndarray, y: np.ndarray, new: np.ndarray, seed: int) -> dict[str, float]:
    """Trustworthiness, 5-NN accuracy, fit seconds and seconds to place ``new`` rows, per map."""
    dist = embed.distances(X)
    metrics: dict[str, float] = {}
    for m, e in maps.items():
        metrics[f"{m}_trustworthiness"] = embed.trustworthiness(X, e.Y, 10, dist)
        metrics[f"{m}_knn_accuracy"] = embed.knn_accuracy(e.Y, y, 5, seed=seed)
        metrics[f"{m}_fit_seconds"] = e.seconds
        if e.transform is not None:
            e.transform(new[:2])  # one-time set-up (UMAP compiles its kernels) is not the cost of a point
            t0 = time.perf_counter()
            e.transform(new)
            metrics[f"{m}_embed_seconds"] = time.perf_counter() - t0
    return metrics


def run(cfg: LatentConfig, on_progress: ProgressFn | None = None) -> Result:
    ds = load_dataset(cfg.dataset)
    track = Tracker(on_progress)
    idx = embed.subsample(ds.n, cfg.max_points, cfg.seed)
    X, y = ds.X[idx], ds.y[idx]
    rng = np.random.default_rng(cfg.seed)
    rows = rng.choice(len(X), min(8, len(X)), replace=False)
    maps, model, tl = _maps(cfg, X, y, track, rows)
    track.step(SCORES)
    metrics = _scores(maps, X, y, resample(ds, NEW_POINTS, rng), cfg.seed)
    metrics["tsne_kl"] = maps["tsne"].kl
    arrays = {
        "maps": {m: e.Y for m, e in maps.items()},
        "X": X,
        "labels": y,
        "recon": predict(model, X),
        "image_shape": ds.image_shape,
        "subsampled": len(idx) < ds.n,
        "n_total": ds.n,
        "reduced": X.shape[1] > embed.PCA_ABOVE,
        "timeline": _timeline(tl, y, rows, cfg.seed),
    }
    return track.result(metrics, arrays=arrays, models={"autoencoder": model})


MAX_SIZES = 8  # each size fits every method once: the run's cost grows with their number


@dataclass(frozen=True)
class ScalingConfig(Config):
    sizes: tuple = param((250, 500, 1000, 2000, 4000), "numbers of points to time")
    seed: int = param(0, "seed", lo=0, hi=2**31 - 1)

    def check(self) -> None:
        from aecore.config import ConfigError

        if len(self.sizes) > MAX_SIZES:
            raise ConfigError(
                f"give at most {MAX_SIZES} sizes; got {len(self.sizes)}.",
                code="sizes_too_many",
                params=dict(max=MAX_SIZES, got=len(self.sizes)),
            )
        if not self.sizes or any(not 50 <= int(n) <= embed.CAPS["tsne"] for n in self.sizes):
            raise ConfigError(
                f"sizes must be between 50 and {embed.CAPS['tsne']} points.",
                code="sizes_range",
                params=dict(max=embed.CAPS["tsne"]),
            )


def resample(ds, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` rows of ``ds`` drawn at random (with replacement beyond its size) plus a
    little pixel noise (σ = 0.02, clipped to [0, 1]), so that repeated rows differ."""
    rows = rng.choice(ds.n, n, replace=n > ds.n)
    return np.clip(ds.X[rows] + 0.02 * rng.standard_normal((n, ds.dim)), 0, 1).astype(np.float32)


def run_scaling(cfg: ScalingConfig, on_progress: ProgressFn | None = None) -> Result:
    """Fit seconds against n; digits resampled with a little pixel noise beyond 1 797."""
    ds = load_dataset("digits")
    rng = np.random.default_rng(cfg.seed)
    track = Tracker(on_progress)
    metrics: dict[str, float] = {}
    for n in map(int, cfg.sizes):
        X = resample(ds, n, rng)
        for m in METHODS:
            if track.step(f"{TIMING[m]}:n={n}"):
                break
            if m == "ae":
                sub = LatentConfig(epochs=60, seed=cfg.seed)
                e, _, _ = train_ae_map(sub, X, Tracker(None))
            else:
                e = embed.EMBEDDINGS[m](X, cfg.seed)
            metrics[f"{m}_seconds_n{n}"] = e.seconds
    return track.result(metrics)


def cost(cfg: LatentConfig) -> float:
    """Estimated one-core seconds (aecore.cost), calibrated on digits28 at 2 500 points:
    the AE map's Adam steps, t-SNE and UMAP at about 10 ms per point together, PCA and the
    50-component reduction, and the scores (pairwise distances and their ranks, ~1 µs a pair)."""
    ds = load_dataset(cfg.dataset)
    m, d, w = min(ds.n, cfg.max_points), ds.dim, cfg.width
    params = 2 * (d * w + w * (w // 2) + (w // 2) * 2)
    ae = cfg.epochs * math.ceil(m / 256) * (4e-4 + 6 * 256 * params / 6e10)
    return ae + 0.01 * m + m * d * d / 5e9 + 2 * (d / 784) ** 3 + 1e-6 * m * m


EXPERIMENTS = [
    Experiment(
        "latent",
        LatentConfig,
        run,
        "Latent spaces: AE vs PCA vs t-SNE vs UMAP",
        budget_s=45,
        stages=(AE_MAP, TSNE, UMAP, SCORES),
        cost=cost,
        codes=lambda a: {m: (a["maps"][m], a["labels"]) for m in METHODS},
        claims=(
            Claim.greater("ae_knn_beats_pca", "ae_knn_accuracy", "pca_knn_accuracy"),
            Claim.greater("tsne_trust_beats_pca", "tsne_trustworthiness", "pca_trustworthiness"),
        ),
    ),
    Experiment(
        "latent_scaling",
        ScalingConfig,
        run_scaling,
        "Fit time against n",
        budget_s=120,
        views=(),
        stages=tuple(TIMING.values()),
    ),
]
