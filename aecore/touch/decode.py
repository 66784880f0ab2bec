"""Walk the latent space of a page's trained model: decode a point, interpolate between two
codes, traverse one dimension of a VAE. Plain functions on a finished Result; nothing here
trains, samples or changes a model (forward passes without gradients only).

The pages and their decoders (``WALKS``): lesson 3's 2-D autoencoder (``latent``), lesson 8's
VAE and the plain AE trained beside it with the same code size k (``vae``; the VAE's code of
an image is the mean μ of q(z|x)) and lesson 8b's 2-D VAE (``elbo_gap``). A decoded image is
judged by the data's classifier the experiment kept (``aecore.maths.holes``): its top class and
that class's probability.

- ``decode_point``: g(z) for a code z and the classifier's verdict.
- ``interpolate``: the straight line z(t) = (1 − t) z_a + t z_b, t ∈ [0, 1], decoded at each t
  (the ends are the two codes' own decodes).
- ``traverse`` / ``dimension_effect``: one coordinate z_d swept with the others held at a base
  code, and the largest pixel change that sweep causes, max_v max_i |g(z + (v − z_d) e_d)_i − g(z)_i|:
  a dimension the VAE does not use (KL < 0.01 nats, Burda et al. 2016) changes almost nothing.
"""

from __future__ import annotations

import numpy as np
import torch

from aecore.experiments.base import Result
from aecore.maths import holes
from aecore.train import predict

# page -> {model id: its key in Result.models}, in the order shown (a plain AE left of a VAE)
WALKS: dict[str, dict[str, str]] = {
    "latent": {"ae": "autoencoder"},
    "vae": {"ae": "ae", "vae": "vae"},
    "elbo_gap": {"vae": "vae"},
}
MAIN = {"latent": "ae", "vae": "vae", "elbo_gap": "vae"}  # the page's own model
SPAN = 3.0  # a traversal runs z_d over [−SPAN, SPAN]: ±3 standard deviations of the prior
SWEEP = 13  # values of z_d a dimension's effect is measured at


class NoDecoder(ValueError):
    """The lesson has no decoder of images to walk, or this run of it is not on images."""


def check(name: str, res: Result | None = None) -> None:
    """NoDecoder unless ``name`` (and its run ``res``, when given) has images to decode."""
    if name not in WALKS:
        raise NoDecoder(f"{name} has no decoder of images to walk; these lessons do: {', '.join(WALKS)}.")
    if res is not None and res.arrays.get("image_shape") is None:
        raise NoDecoder(f"this {name} run is on data that are not images, so its codes decode to no picture.")


def code_size(name: str, cfg) -> int:
    """The length of a code of page ``name`` with settings ``cfg`` (known before any run)."""
    check(name)
    return int(cfg.latent_dim) if name == "vae" else 2


def models(name: str, res: Result) -> dict:
    """{model id: trained model} of the page, in the order shown."""
    check(name, res)
    return {m: res.models[key] for m, key in WALKS[name].items()}


def training_codes(name: str, res: Result) -> dict[str, np.ndarray]:
    """{model id: the codes of the training images (n, k)}: the points of the latent map."""
    a = res.arrays
    if name == "latent":
        found = {"ae": a["maps"]["ae"]}
    elif name == "vae":
        found = {"ae": a["ae_codes"], "vae": a["mu"]}
    else:
        found = {"vae": a["mu_all"]}
    return {m: np.asarray(c, np.float64) for m, c in found.items()}


def classifier(res: Result) -> dict | None:
    """The data's classifier the run kept (None: a run without one, or data without labels)."""
    return res.arrays.get("classifier")


@torch.no_grad()
def decode(model, Z: np.ndarray) -> np.ndarray:
    """g(z) for each row of Z: (n, D) float32."""
    return predict(model.decode, np.atleast_2d(np.asarray(Z, np.float32)))


def verdicts(res: Result, images: np.ndarray) -> tuple[list, np.ndarray]:
    """(labels, confidences) of the classifier for rows of images; (Nones, nans) without one."""
    clf = classifier(res)
    if clf is None:
        return [None] * len(images), np.full(len(images), np.nan)
    labels, conf = holes.judge(images, clf)
    return [int(v) for v in labels], conf


def decode_point(name: str, res: Result, model_id: str, z: np.ndarray) -> dict:
    """The image model ``model_id`` of page ``name`` decodes the code z to, and the verdict."""
    z = _code(name, res, z)
    image = decode(models(name, res)[model_id], z)[0]
    label, conf = verdicts(res, image[None])
    return {"code": z, "image": image, "label": label[0], "confidence": float(conf[0])}


def _code(name: str, res: Result, z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, np.float64).reshape(-1)
    k = next(iter(training_codes(name, res).values())).shape[1]
    if z.size != k or not np.all(np.isfinite(z)):
        raise ValueError(f"a code of this {name} model is {k} finite numbers; got {z.size}.")
    return z


def encode_images(name: str, res: Result, X: np.ndarray) -> dict[str, np.ndarray]:
    """{model id: the codes of rows X} (a VAE's: the means μ of q(z|x)), float64."""
    return {m: predict(model.encode, np.atleast_2d(X)).astype(np.float64) for m, model in models(name, res).items()}


def line(za: np.ndarray, zb: np.ndarray, ts) -> np.ndarray:
    """z(t) = (1 − t) z_a + t z_b for each t of ``ts``: (len(ts), k)."""
    t = np.asarray(ts, np.float64).reshape(-1, 1)
    return (1.0 - t) * np.asarray(za, np.float64)[None] + t * np.asarray(zb, np.float64)[None]


def interpolate(name: str, res: Result, ends: dict[str, tuple[np.ndarray, np.ndarray]], ts) -> dict[str, dict]:
    """Per model id of ``ends`` ({m: (z_a, z_b)}): the codes on the line at ``ts``, their
    decodes, and the classifier's labels and confidences."""
    out = {}
    for m, model in models(name, res).items():
        if m not in ends:
            continue
        Z = line(*ends[m], ts)
        frames = decode(model, Z)
        labels, conf = verdicts(res, frames)
        out[m] = {"codes": Z, "frames": frames, "labels": labels, "confidence": conf}
    return out


def active_dims(res: Result) -> np.ndarray:
    """The VAE's dimensions whose mean KL on the data exceeds the page's threshold."""
    a = res.arrays
    return np.flatnonzero(np.asarray(a["kl_per_dim"]) > float(a["active_threshold"]))


def traverse(model, base: np.ndarray, dim: int, values) -> np.ndarray:
    """Decodes of the base code with coordinate ``dim`` set to each of ``values``: (len, D)."""
    Z = np.repeat(np.asarray(base, np.float64)[None], len(values), 0)
    Z[:, dim] = np.asarray(values, np.float64)
    return decode(model, Z)


def dimension_effect(model, base: np.ndarray, dims, span: float = SPAN, sweep: int = SWEEP) -> np.ndarray:
    """For each dimension of ``dims``: the largest change of any pixel from g(base) while z_d
    runs over ``sweep`` values in [−span, span], the others held at the base. (len(dims),)."""
    values = np.linspace(-span, span, sweep)
    g0 = decode(model, base)[0]
    return np.array([float(np.abs(traverse(model, base, int(d), values) - g0).max()) for d in dims])


def images(name: str, res: Result, dataset: str) -> tuple[np.ndarray, np.ndarray]:
    """(rows, labels) of the images whose codes ``training_codes`` holds, in its order."""
    a = res.arrays
    if "X" in a:
        return a["X"], a["labels"]
    from aecore.data.registry import load_dataset  # lesson 8b keeps the codes, not the images

    ds = load_dataset(dataset)
    return ds.X, ds.y
