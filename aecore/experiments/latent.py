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

On images with labels the run also keeps the data's classifier (``aecore.maths.holes``), the
judge of the decodes a learner asks for by clicking on the map, and measures how much of the
map's region decodes to images it recognises (``grid_confident_ae``; ``data_confident`` for
the images themselves).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from aecore import cost_terms as ct
from aecore import embed, neighbours
from aecore.config import Config, param
from aecore.cost import data_size
from aecore.data.registry import dataset_names, load_dataset
from aecore.experiments import latent_why as why
from aecore.experiments.base import Claim, Experiment, Result, Tracker
from aecore.maths import holes
from aecore.maths.generative import SCORER_ITERS
from aecore.models import ModelConfig, build_model
from aecore.timeline import Timeline
from aecore.train import ProgressFn, TrainConfig, predict

# Stage ids (labels: assets/locales/<lang>/stages.toml); timing stages add ":n=<points>".
AE_MAP, TSNE, UMAP, SCORES, CLASSIFIER = "ae_map", "tsne", "umap", "scores", "classifier"
TIMING = {m: f"timing_{m}" for m in ("ae", "pca", "tsne", "umap")}
AE_BATCH = 256  # rows per step of the autoencoder map
NEW_POINTS = 200  # rows placed into each finished map to time "embed a new point"

METHODS = ("ae", "pca", "tsne", "umap")
NEW_POINT = {"ae": "exact", "pca": "exact", "tsne": "approximate", "umap": "approximate"}


@dataclass(frozen=True)
class LatentConfig(Config):
    dataset: str = param("digits", "data set (built-in or registered user data)", choices=dataset_names)
    epochs: int = param(150, "autoencoder epochs (batches of {batch})", lo=1, hi=2000, batch=AE_BATCH)
    width: int = param(128, "autoencoder first hidden width", lo=4, hi=1024)
    perplexity: float = param(30.0, "t-SNE perplexity", lo=2.0, hi=100.0, scales=True)
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
        TrainConfig(epochs=cfg.epochs, batch_size=AE_BATCH, lr=5e-3, seed=cfg.seed),
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
    trust = neighbours.trustworthiness(X, {m: e.Y for m, e in maps.items()}, 10)
    metrics: dict[str, float] = {}
    for m, e in maps.items():
        metrics[f"{m}_trustworthiness"] = trust[m]
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
    if ds.image_shape is not None and not track.step(CLASSIFIER):
        _holes(cfg.dataset, model, maps["ae"].Y, X, metrics, arrays)
    return track.result(metrics, arrays=arrays, models={"autoencoder": model})


def _holes(dataset: str, model, codes: np.ndarray, X: np.ndarray, metrics: dict, arrays: dict) -> None:
    """The data's classifier (the judge of the page's decodes) and the share of the map's region
    whose decodes it recognises (``aecore.maths.holes``), on images with labels."""
    clf = holes.image_classifier(dataset)
    if clf is not None:
        arrays["classifier"] = clf
        metrics |= holes.plane_metrics({"ae": (lambda z: predict(model.decode, z), codes)}, X, clf)


MAX_SIZES = 8  # each size fits every method once: the run's cost grows with their number
SCALING_EPOCHS = 60  # the autoencoder map's epochs when timing it


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


def _fit_seconds(m: str, X: np.ndarray, seed: int, track: Tracker, stage: str) -> float | None:
    """Seconds of one fit of method ``m`` on X; None when Stop ended it early (its time
    would not be the method's). Stop requests reach the fit through ``track.step``."""
    ask = lambda p: track.step(stage)  # noqa: E731  (no numbers recorded: a timing step)
    if m == "ae":
        inner = Tracker(ask)
        e, _, _ = train_ae_map(LatentConfig(epochs=SCALING_EPOCHS, seed=seed), X, inner)
        return None if inner.stopped else e.seconds
    e = embed.embed_pca(X, seed) if m == "pca" else embed.EMBEDDINGS[m](X, seed, on_progress=ask)
    return None if e.stopped else e.seconds


def run_scaling(cfg: ScalingConfig, on_progress: ProgressFn | None = None) -> Result:
    """Fit seconds against n; digits resampled with a little pixel noise beyond 1 797."""
    ds = load_dataset("digits")
    rng = np.random.default_rng(cfg.seed)
    track = Tracker(on_progress)
    metrics: dict[str, float] = {}
    for n in map(int, cfg.sizes):
        X = resample(ds, n, rng)
        for m in METHODS:
            stage = f"{TIMING[m]}:n={n}"
            if track.step(stage) or (seconds := _fit_seconds(m, X, cfg.seed, track, stage)) is None:
                break
            metrics[f"{m}_seconds_n{n}"] = seconds
    return track.result(metrics)


def cost(cfg: LatentConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost) on m = min(rows, max_points) points: the AE map
    (its epochs, and 13 timeline snapshots each encoded and scored by 5-NN), PCA, t-SNE (its
    perplexity sets the neighbours each point is attracted to), UMAP (n_neighbors sets the
    edges of its graph), placing NEW_POINTS new points in each map, and the scores (pairwise
    distances and their ranks for trustworthiness, 5-NN accuracy)."""
    n, d = data_size(cfg.dataset)
    m, inputs = min(n, cfg.max_points), min(d, embed.PCA_DIMS) if d > embed.PCA_ABOVE else d
    net = ct.autoencoder(d, (cfg.width, cfg.width // 2), 2)
    ae = ct.stage(cfg, "epochs", m, net) + ct.predict(14 * m, net) + 14 * ct.knn(m)
    shared = m * d * d * ct.FLOP_S + d**3 * ct.T_EIGH + ct.pairwise(m, d) + 4 * (ct.ranks(m) + ct.knn(m))
    shared += ct.umap_compile(m)  # many points: UMAP's approximate neighbours, compiled once
    if d >= 64:  # image-wide rows: the data's classifier that judges the map's decodes (holes)
        shared += ct.logistic(3 * n // 4, d, 10, SCORER_ITERS)
    tsne = ct.tsne(m, cfg.perplexity, inputs) + ct.tsne_place(NEW_POINTS, m, cfg.perplexity, inputs)
    umap = ct.umap(m, cfg.n_neighbors, inputs) + ct.umap_place(NEW_POINTS, m)
    return {"epochs": ae, "max_points": shared, "perplexity": tsne, "n_neighbors": umap}


def cost_scaling(cfg: ScalingConfig) -> dict[str, float]:
    """Estimated one-core seconds: every method fitted once per size, at its defaults (the
    rows resampled from the 8×8 digits, 64 features)."""
    base, sub = LatentConfig(seed=cfg.seed), LatentConfig(epochs=SCALING_EPOCHS, seed=cfg.seed)
    net = ct.autoencoder(64, (base.width, base.width // 2), 2)
    fits = [
        ct.stage(sub, "epochs", n, net) + ct.tsne(n, base.perplexity, 64) + ct.umap(n, base.n_neighbors, 64)
        for n in map(int, cfg.sizes)
    ]
    return {"sizes": sum(fits) + max(map(ct.umap_compile, map(int, cfg.sizes)))}


EXPERIMENTS = [
    Experiment(
        "latent",
        LatentConfig,
        run,
        "Latent spaces: AE vs PCA vs t-SNE vs UMAP",
        budget_s=45,
        stages=(AE_MAP, TSNE, UMAP, SCORES, CLASSIFIER),
        cost=cost,
        codes=lambda a: {m: (a["maps"][m], a["labels"]) for m in METHODS},
        claims=(
            Claim.greater("ae_knn_beats_pca", "ae_knn_accuracy", "pca_knn_accuracy", why=why.ae_knn),
            Claim.greater("tsne_trust_beats_pca", "tsne_trustworthiness", "pca_trustworthiness", why=why.tsne_trust),
        ),
    ),
    Experiment(
        "latent_scaling",
        ScalingConfig,
        run_scaling,
        "Fit time against n",
        budget_s=120,
        views=(),
        cost=cost_scaling,
        stages=tuple(TIMING.values()),
    ),
]
