"""Why a claim of the latent-space page fails on a run: (catalog key under ``latent.``, the
numbers its text shows), from the run's metrics and settings."""

from __future__ import annotations

from collections.abc import Mapping


def _numbers(m: Mapping[str, float]) -> dict[str, float]:
    numbers = {"ae": 100 * m["ae_knn_accuracy"], "pca": 100 * m["pca_knn_accuracy"], "epochs": m["epochs"]}
    numbers |= {"ae_trust": m["ae_trustworthiness"], "pca_trust": m["pca_trustworthiness"]}
    return numbers | {"tsne": m["tsne_trustworthiness"], "perplexity": m["perplexity"], "kl": m["tsne_kl"]}


def ae_knn(m: Mapping[str, float]) -> tuple[str, dict[str, float]]:
    """The AE's 2-D code is trained to rebuild, not to separate classes: it may not."""
    return "why.ae_knn", _numbers(m)


def tsne_trust(m: Mapping[str, float]) -> tuple[str, dict[str, float]]:
    return "why.tsne_trust", _numbers(m)
