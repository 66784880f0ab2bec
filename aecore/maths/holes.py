"""Holes in a latent plane: how much of the region a model's codes occupy decodes to images
that the data's own classifier recognises.

The judge is the logistic regression of ``aecore.maths.generative.sample_classifier``
(trained on the data set's labels), kept as plain arrays so that a finished Result carries
it and nothing is fitted when a learner clicks: for C > 2 classes (multinomial)
p(c | x) = softmax(W x + b)_c, for two classes p(c₁ | x) = σ(w·x + b) — what scikit-learn's
``predict_proba`` computes.

The measure: a ``GRID`` × ``GRID`` grid over the box the codes span, keeping the grid
points inside the convex hull of the codes (the smallest convex region holding them all:
gaps between clusters count, the empty corners of the box do not); each point is decoded and
counted when the classifier's top-class probability is at least ``LEVEL``. A plain
autoencoder is trained to reconstruct only, so nothing asks the space between its codes to
decode to anything (its holes); a VAE's KL term and sampled z spread each code over a
neighbourhood (Kingma & Welling 2014). The same share for the training images themselves
says how often the judge is that sure of a real image.
"""

from __future__ import annotations

import numpy as np

GRID = 30  # grid points per axis over the codes' box
LEVEL = 0.9  # a decode is "recognised" when the classifier's top-class probability is at least this


def classifier_arrays(clf) -> dict[str, np.ndarray] | None:
    """A fitted scikit-learn LogisticRegression as arrays (None stays None)."""
    if clf is None:
        return None
    return {
        "coef": np.asarray(clf.coef_, np.float64),
        "intercept": np.asarray(clf.intercept_, np.float64),
        "classes": np.asarray(clf.classes_),
    }


def image_classifier(dataset: str) -> dict[str, np.ndarray] | None:
    """The data set's classifier as arrays, for images with at least two classes (else None).
    Fitted once per data set and process (``sample_classifier``'s cache)."""
    from aecore.data.registry import load_dataset
    from aecore.maths.generative import sample_classifier

    if load_dataset(dataset).image_shape is None:
        return None
    return classifier_arrays(sample_classifier(dataset)[0])


def probabilities(images: np.ndarray, clf: dict[str, np.ndarray]) -> np.ndarray:
    """p(c | x) for each row of ``images``: (n, C), rows summing to 1."""
    X = np.atleast_2d(np.asarray(images, np.float64))
    logits = X @ clf["coef"].T + clf["intercept"]
    if clf["coef"].shape[0] == 1:  # two classes: one logit, that of the second class
        p1 = 1.0 / (1.0 + np.exp(-logits[:, 0]))
        return np.stack([1.0 - p1, p1], 1)
    logits -= logits.max(1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(1, keepdims=True)


def judge(images: np.ndarray, clf: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(top class label, its probability) per row of ``images``."""
    p = probabilities(images, clf)
    top = p.argmax(1)
    return clf["classes"][top], p[np.arange(len(p)), top]


def region_grid(codes: np.ndarray, n: int = GRID) -> np.ndarray:
    """The points of an n × n grid over the box of the 2-D ``codes`` that lie inside their
    convex hull: (m, 2) float32, row by row from the lowest z₂."""
    from scipy.spatial import Delaunay

    c = np.asarray(codes, np.float64)
    lo, hi = c.min(0), c.max(0)
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    Z = np.column_stack([g1.ravel(), g2.ravel()])
    inside = Delaunay(c).find_simplex(Z, tol=1e-9) >= 0
    return Z[inside].astype(np.float32)


def confident_share(decode, codes: np.ndarray, clf: dict[str, np.ndarray], n: int = GRID) -> dict[str, float]:
    """The share of ``region_grid(codes, n)``'s decodes (``decode``: codes (m, 2) → images)
    whose top-class probability is at least ``LEVEL``, and how many grid points were decoded."""
    Z = region_grid(codes, n)
    _, conf = judge(decode(Z), clf)
    return {"share": float(np.mean(conf >= LEVEL)), "points": float(len(Z))}


def data_share(X: np.ndarray, clf: dict[str, np.ndarray]) -> float:
    """The same share for real images: the rows of X."""
    return float(np.mean(judge(X, clf)[1] >= LEVEL))


def plane_metrics(decoders: dict, X: np.ndarray, clf: dict[str, np.ndarray]) -> dict[str, float]:
    """``grid_confident_<m>`` and ``grid_points_<m>`` for each model m of ``decoders``
    ({m: (decode, its training codes (n, 2))}), and ``data_confident`` for the rows of X."""
    out = {"data_confident": data_share(X, clf)}
    for m, (decode, codes) in decoders.items():
        found = confident_share(decode, codes, clf)
        out[f"grid_confident_{m}"], out[f"grid_points_{m}"] = found["share"], found["points"]
    return out
