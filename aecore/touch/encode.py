"""What a page's trained model makes of one input image: plain functions on a finished Result.

Nothing here trains or changes a model: every function reads the Result's models and arrays
(shared between sessions, read-only) and runs forward passes without gradients. A VAE's
samples come from a generator of this module's own, never the model's (which its training
owns). Each lesson's answer is a dict of NumPy arrays and numbers:

- ``latent`` (lesson 3): the 2-D code h = f(x), the reconstruction g(h), MSE = ‖x − g(h)‖²/D.
- ``pca`` (lesson 2): the same for each of its three autoencoders.
- ``denoising_images`` (lesson 7): each model's output r(x) and its change r(x) − x.
- ``vae`` (lesson 8): q(z|x) = N(μ, diag σ²), the decoded mean, and the ELBO
  E_q[log p(x|z)] − KL(q ‖ N(0, I)) ≤ log p(x) (Kingma & Welling 2014), estimated with
  ``ELBO_SAMPLES`` draws of z, placed among the ELBOs of ``ELBO_ROWS`` of the data's images.
- ``anomaly`` (lesson 9b): the score s(x) = ‖x − g(f(x))‖²/D against the threshold at the
  held-out ROC's Youden point, argmax over thresholds of TPR − FPR (Youden 1950).
- ``sae_features`` (lesson 9c): the classifier's activations a, its class, the SAE's code
  z (the features that fire, z_j > 0) and each one's top-activating images of the data.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

import numpy as np
import torch
from sklearn.metrics import roc_curve

from aecore.experiments.base import Result
from aecore.experiments.sae_features import feature_column
from aecore.train import as_tensor, predict

ELBO_SAMPLES = 8  # draws z ~ q(z|x) per input of the ELBO's reconstruction term
ELBO_ROWS = 256  # data images whose ELBOs the drawing's is ranked among (a fixed random subset)
SEED = 0  # of those draws and of that subset: the same input always gets the same numbers
TOP_IMAGES = 6  # top-activating images shown per firing SAE feature


class NoImages(ValueError):
    """The lesson (or this run of it) has no images to draw."""


def _recon(model, x: np.ndarray) -> dict:
    """Code, reconstruction and its MSE of a plain autoencoder."""
    code = predict(model.encode, x[None])[0]
    recon = predict(model.decode, code[None])[0]
    return {"code": code, "recon": recon, "mse": float(np.mean((recon - x) ** 2))}


def latent(res: Result, x: np.ndarray) -> dict:
    return _recon(res.models["autoencoder"], x)


def pca(res: Result, x: np.ndarray) -> dict:
    return {"models": {name: _recon(m, x) for name, m in res.models.items()}}


def denoising(res: Result, x: np.ndarray) -> dict:
    """Each model's output r(x) on the input as it is, and its change r(x) − x."""
    out = {}
    for name, model in res.models.items():
        r = predict(model, x[None])[0]
        out[name] = {"code": predict(model.encode, x[None])[0], "output": r, "change": r - x}
        out[name]["change_mse"] = float(np.mean(out[name]["change"] ** 2))
    return {"models": out}


def shown_dims(kl_per_dim: np.ndarray) -> np.ndarray:
    """The two latent dimensions the plane shows: the two with the largest mean KL (the most
    active; ties: the lower index), in index order; all of them when k ≤ 2."""
    order = np.argsort(-np.asarray(kl_per_dim), kind="stable")
    return np.sort(order[:2])


@torch.no_grad()
def elbos(vae, X: np.ndarray, samples: int = ELBO_SAMPLES, seed: int = SEED) -> dict[str, np.ndarray]:
    """Per input: ELBO = −(E_q[−log p(x|z)] + KL(q(z|x) ‖ N(0, I))) in nats, the expectation
    over ``samples`` draws z = μ + σ ε (ε from a generator seeded with ``seed``), its two
    terms, and q's μ and σ. float64."""
    x = as_tensor(X)
    mu, logvar = vae.posterior(x)
    sigma = torch.exp(0.5 * logvar)
    eps = torch.randn((samples, *mu.shape), generator=torch.Generator().manual_seed(seed)).to(mu.device)
    z = mu[None] + sigma[None] * eps  # (S, B, k)
    nll = vae.neg_log_likelihood(vae.decode(z.reshape(-1, z.shape[-1])), x.repeat(samples, 1))
    recon = nll.reshape(samples, -1).double().mean(0)
    kl = (0.5 * (mu.double() ** 2 + sigma.double() ** 2 - 1.0) - 0.5 * logvar.double()).sum(1)
    out = {"elbo": -(recon + kl), "recon_nll": recon, "kl": kl, "mu": mu.double(), "sigma": sigma.double()}
    return {k: v.cpu().numpy() for k, v in out.items()}


def reference_rows(n: int, rows: int = ELBO_ROWS, seed: int = SEED) -> np.ndarray:
    """The fixed random subset of the data's images the drawing is ranked among."""
    return np.sort(np.random.default_rng(seed).permutation(n)[:rows])


_REFERENCE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # trained VAE -> its data's ELBOs
_LOCK = threading.Lock()


def reference_elbos(model, X: np.ndarray) -> np.ndarray:
    """The ELBOs of ``reference_rows`` of X under ``model``: the same for every input, so
    computed once per trained model (kept while the model lives; a finished model's weights
    never change) and shared read-only."""
    with _LOCK:
        found = _REFERENCE.get(model)
    if found is None:
        found = elbos(model, X[reference_rows(len(X))])["elbo"]
        found.setflags(write=False)
        with _LOCK:
            _REFERENCE[model] = found
    return found


def vae(res: Result, x: np.ndarray) -> dict:
    """q(z|x), the decoded mean, the drawing's ELBO and its percentile among the data's."""
    model, a = res.models["vae"], res.arrays
    mine = {k: v[0] for k, v in elbos(model, x[None]).items()}
    ref = reference_elbos(model, a["X"])
    recon = predict(model.decode, mine["mu"][None].astype(np.float32))[0]
    return {
        "code": mine["mu"],  # the code a VAE passes on: the mean of q(z|x)
        "mu": mine["mu"],
        "sigma": mine["sigma"],
        "dims": shown_dims(a["kl_per_dim"]),
        "recon": recon,
        "mse": float(np.mean((recon - x) ** 2)),
        "elbo": float(mine["elbo"]),
        "recon_nll": float(mine["recon_nll"]),
        "kl": float(mine["kl"]),
        "reference_elbo": ref,
        "elbo_percentile": float(100.0 * np.mean(ref <= mine["elbo"])),
    }


def youden(scores: np.ndarray, anomalous: np.ndarray) -> dict[str, float]:
    """The threshold τ at the ROC's Youden point (max TPR − FPR; an input is flagged when
    s(x) ≥ τ) over held-out scores, with its TPR and FPR."""
    fpr, tpr, thresholds = roc_curve(np.asarray(anomalous, bool), np.asarray(scores, np.float64))
    i = int(np.argmax(tpr - fpr))
    return {"threshold": float(thresholds[i]), "tpr": float(tpr[i]), "fpr": float(fpr[i])}


def anomaly(res: Result, x: np.ndarray) -> dict:
    """The anomaly score of the input and the verdict at the held-out ROC's Youden threshold."""
    a = res.arrays
    out = _recon(res.models["autoencoder"], x)
    score = out["mse"]  # s(x) = ‖x − g(f(x))‖² / D, as the experiment scores its test images
    cut = youden(a["scores"], a["anomalous"])
    normal = np.asarray(a["scores"])[~np.asarray(a["anomalous"], bool)]
    return (
        out
        | cut
        | {
            "score": score,
            "flagged": bool(score >= cut["threshold"]),
            "normal_percentile": float(100.0 * np.mean(normal <= score)),
        }
    )


def sae_features(res: Result, x: np.ndarray) -> dict:
    """The classifier's activations and class, the SAE features that fire (by activation,
    largest first) and each one's top-activating images of the data (where it fires at all)."""
    clf, sae, a = res.models["classifier"], res.models["sae"], res.arrays
    acts = predict(lambda t: clf[1](clf[0](t)), x[None])  # (1, d)
    logits = predict(clf[2], acts)[0].astype(np.float64)
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    z = predict(sae.encode, acts)[0]
    a_hat = predict(sae.decode, z[None])[0]
    ids = np.flatnonzero(z > 0)
    ids = ids[np.argsort(-z[ids], kind="stable")]
    tops = {}
    for j in ids.tolist():
        rows, _ = feature_column(a["cols"], j)
        tops[j] = a["top_idx"][j][np.isin(a["top_idx"][j], rows)][:TOP_IMAGES]
    return {
        "activations": acts[0],
        "probs": probs,
        "predicted": int(np.argmax(probs)),
        "code": z,
        "features": ids,
        "values": z[ids],
        "top_images": tops,
        "act_mse": float(np.mean((a_hat - acts[0]) ** 2)),
    }


LESSONS: dict[str, Callable[[Result, np.ndarray], dict]] = {
    "latent": latent,
    "pca": pca,
    "denoising_images": denoising,
    "vae": vae,
    "anomaly": anomaly,
    "sae_features": sae_features,
}


def real_images(name: str, res: Result) -> tuple[np.ndarray, np.ndarray | None, str]:
    """(rows, labels or None, where they come from) of the real images the pad can start from:
    those the page's result holds. ``"held_out"``: images the model never trained on
    (lessons 7 and 9b); ``"training"``: the images it trained on (lessons 2, 3 and 8);
    ``"data"``: the whole data set, both (lesson 9c)."""
    a = res.arrays
    if name == "denoising_images":
        return a["grids"]["gaussian"]["clean"], None, "held_out"
    if name == "anomaly":
        return a["X"], a["labels"], "held_out"
    if name == "sae_features":
        return a["X"], a["classes"][a["y"]], "data"
    return a["X"], a["labels"], "training"


def image_shape(res: Result) -> tuple[int, int] | None:
    shape = res.arrays.get("image_shape")
    return None if shape is None else (int(shape[0]), int(shape[1]))


def answer(name: str, res: Result, x: np.ndarray) -> dict:
    """The page ``name``'s answer for the input row ``x`` (float32, the data's size and range)."""
    if name not in LESSONS:
        raise NoImages(f"{name} has no drawing input; these do: {', '.join(LESSONS)}.")
    shape = image_shape(res)
    if shape is None:
        raise NoImages(f"this {name} run is on data that are not images, so there is nothing to draw.")
    x = np.asarray(x, np.float32).reshape(-1)
    if x.size != shape[0] * shape[1]:
        raise ValueError(f"the input has {x.size} values; this model reads {shape[0]}×{shape[1]} images.")
    return LESSONS[name](res, x)
