"""What each image lesson's trained model makes of the drawing, drawn beside the pad
(``ui.touch.pad``): the numbers of ``aecore.touch.encode`` and the figures of
``aecore.figures.pad``. Texts: touch.toml, under ``draw``."""

from __future__ import annotations

import numpy as np
import streamlit as st

from aecore.figures import pad as fig
from aecore.figures.common import image_grid
from aecore.touch import encode
from aecore.touch.images import ImageSpec, to_ink
from ui.kit.i18n import t
from ui.kit.page import chart, labels, num

CODE = {"h1": "h₁", "h2": "h₂"}  # the code's coordinates, named as on lesson 3's map
SHOWN_FEATURES = 3  # firing SAE features whose top images are shown


def _values(pairs: dict[str, str], per_row: int = 2) -> None:
    """Rows of labelled values (st.metric), labels under ``touch.draw.metric`` (the code's
    coordinates h₁, h₂ as they are)."""
    items = list(pairs.items())
    for first in range(0, len(items), per_row):
        for col, (key, value) in zip(st.columns(per_row), items[first : first + per_row]):
            col.metric(CODE.get(key) or t(f"touch.draw.metric.{key}"), value)


def _images(spec: ImageSpec, key: str, rows: list, row_labels: list[str] | None = None) -> None:
    """Small images: rows of (label key under ``touch.draw.img`` or "", data row or None,
    signed); a signed image is a change, shown in ink units (divided by the data's hi − lo)."""
    grid = [
        [
            (
                t(f"touch.draw.img.{k}") if k else "",
                None if img is None else img.reshape(spec.shape) / (spec.hi - spec.lo) if sign else to_ink(img, spec),
                sign,
            )
            for k, img, sign in row
        ]
        for row in rows
    ]
    chart(fig.panels_figure(grid, row_labels=row_labels), key)


def _z(d: int) -> str:
    """z₁, z₂, … for latent dimension d (from 0)."""
    return "z" + str(d + 1).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _code(v: np.ndarray) -> str:
    return "(" + ", ".join(num(c, 3) for c in v) + ")"


def latent(res, spec: ImageSpec, x: np.ndarray, ans: dict, key: str, below) -> None:
    a = res.arrays
    h1, h2 = (num(c, 3) for c in ans["code"])
    _values({"h1": h1, "h2": h2, "mse": num(ans["mse"])})
    data_mse = np.median(np.mean((a["recon"] - a["X"]) ** 2, 1))
    _images(spec, f"{key}.images", [[("input", x, False), ("recon", ans["recon"], False)]])
    names = labels("touch.draw", "data", "drawing", title="map_title") | {"x": "h₁", "y": "h₂"}
    chart(fig.code_map_figure(a["maps"]["ae"], a["labels"], ans["code"], names), f"{key}.map")
    st.caption(t("touch.draw.latent_caption", n=len(a["X"]), mse=num(ans["mse"]), median=num(data_mse)))


PCA_MODELS = {"linear_ae": "linear", "deep_ae": "nonlinear", "lindec_ae": "lindec"}


def pca(res, spec: ImageSpec, x: np.ndarray, ans: dict, key: str, below) -> None:
    models = {PCA_MODELS[k]: m for k, m in ans["models"].items() if k in PCA_MODELS}
    _values({k: num(m["mse"]) for k, m in models.items()})
    panels = [("input", x, False)] + [(k, m["recon"], False) for k, m in models.items()]
    _images(spec, f"{key}.images", [panels[:2], panels[2:]])
    st.caption(t("touch.draw.pca_caption"))


def denoising(res, spec: ImageSpec, x: np.ndarray, ans: dict, key: str, below) -> None:
    models = ans["models"]
    st.markdown(t("touch.draw.change_heading"))
    _values({f"change_{k}": num(m["change_mse"], 3) for k, m in models.items()})
    _images(spec, f"{key}.input", [[("input", x, False)]])
    rows = [[("output", m["output"], False), ("change", m["change"], True)] for m in models.values()]
    for row in rows[1:]:  # the column titles stand above the first row only
        row[:] = [("", img, sign) for _, img, sign in row]
    with below:  # a row per model: the full width under the pad
        _images(spec, f"{key}.images", rows, [t(f"touch.draw.img.out_{k}") for k in models])
    worst = max(models, key=lambda k: models[k]["change_mse"])
    below.caption(t("touch.draw.denoising_caption", most=t(f"touch.draw.img.out_{worst}")))


def vae(res, spec: ImageSpec, x: np.ndarray, ans: dict, key: str, below) -> None:
    a, dims, k = res.arrays, [int(d) for d in ans["dims"]], len(ans["mu"])
    _values({"elbo": num(ans["elbo"]), "percentile": f"{num(ans['elbo_percentile'], 3)} %", "kl": num(ans["kl"], 3)})
    _images(spec, f"{key}.images", [[("input", x, False), ("recon", ans["recon"], False)]])
    pad = (lambda v: np.c_[v, np.zeros(len(v))]) if k == 1 else (lambda v: v)  # k = 1: a line, drawn at 0
    mu, sigma = ans["mu"][dims], ans["sigma"][dims]
    codes, point, radii = pad(a["mu"][:, dims]), pad(mu[None])[0], pad(sigma[None])[0]
    names = labels("touch.draw", "data", "drawing", "sigma1", "sigma2", title="ellipse_title")
    names |= {"x": _z(dims[0]), "y": _z(dims[1]) if k > 1 else ""}
    chart(fig.code_map_figure(codes, a["labels"], point, names, sigma=radii), f"{key}.ellipse")
    rule = "active" if k > 2 else "all"
    words = dict(i=_z(dims[0]), j=_z(dims[-1]), k=k, mu=_code(mu), sigma=_code(sigma))
    st.caption(t(f"touch.draw.ellipse_caption_{rule}", **words))
    names = labels("touch.draw", "data", "drawing", x="elbo_x", y="count", title="elbo_title")
    chart(fig.elbo_figure(ans["reference_elbo"], ans["elbo"], names), f"{key}.elbo")
    median = float(np.median(ans["reference_elbo"]))
    words = dict(elbo=num(ans["elbo"]), pct=num(ans["elbo_percentile"], 3), n=len(ans["reference_elbo"]))
    st.caption(t("touch.draw.elbo_caption", median=num(median), samples=encode.ELBO_SAMPLES, **words))


def anomaly(res, spec: ImageSpec, x: np.ndarray, ans: dict, key: str, below) -> None:
    a = res.arrays
    _values({"score": num(ans["score"]), "threshold": num(ans["threshold"])})
    words = dict(s=num(ans["score"]), tau=num(ans["threshold"]))
    if ans["flagged"]:
        st.error(t("touch.draw.flagged", **words), icon=":material/flag:")
    else:
        st.success(t("touch.draw.not_flagged", **words), icon=":material/check_circle:")
    _images(spec, f"{key}.images", [[("input", x, False), ("recon", ans["recon"], False)]])
    names = labels(
        "touch.draw", "normal", "anomaly", "threshold", "drawing", x="log_score", y="count", title="scores_title"
    )
    chart(fig.score_figure(a["scores"], a["anomalous"], ans["score"], ans["threshold"], names), f"{key}.scores")
    rates = dict(tpr=num(100 * ans["tpr"], 3), fpr=num(100 * ans["fpr"], 3), pct=num(ans["normal_percentile"], 3))
    st.caption(t("touch.draw.threshold_caption", n=len(a["scores"]), **rates))


def sae_features(res, spec: ImageSpec, x: np.ndarray, ans: dict, key: str, below) -> None:
    a = res.arrays
    p = f"{num(100 * ans['probs'][ans['predicted']], 3)} %"
    _values({"predicted": str(a["classes"][ans["predicted"]]), "probability": p, "firing": str(len(ans["features"]))})
    _images(spec, f"{key}.images", [[("input", x, False)]])
    if not len(ans["features"]):
        st.info(t("touch.draw.no_features"), icon=":material/block:")
        return
    names = labels("touch.draw", x="feature", y="activation", title="features_title")
    chart(fig.features_figure(ans["features"], ans["values"], names), f"{key}.features")
    sae, n, l0 = res.models["sae"], len(ans["features"]), num(res.metrics["l0"], 3)
    if sae.sparsity == "topk":
        st.caption(t("touch.draw.features_caption_topk", n=n, k=sae.k, l0=l0, mse=num(ans["act_mse"], 3)))
    else:
        st.caption(t("touch.draw.features_caption", n=n, l0=l0, mse=num(ans["act_mse"], 3)))
    rows = {
        t("touch.draw.feature_row", j=int(j), v=num(v, 3)): a["X"][ans["top_images"][int(j)]]
        for j, v in zip(ans["features"][:SHOWN_FEATURES], ans["values"])
        if len(ans["top_images"][int(j)])
    }
    if rows:
        grid = image_grid(rows, spec.shape, t("touch.draw.top_title"), zrange=(spec.lo, spec.hi))
        chart(grid, f"{key}.top")


SHOW = {
    "latent": latent,
    "pca": pca,
    "denoising_images": denoising,
    "vae": vae,
    "anomaly": anomaly,
    "sae_features": sae_features,
}


def show(name: str, res, spec: ImageSpec, x: np.ndarray, key: str, below) -> None:
    """The answer of ``aecore.touch.encode`` for the data row ``x``, drawn here; ``below``: a
    container under the pad and this column, for what needs the page's width."""
    SHOW[name](res, spec, x, encode.answer(name, res, x), key, below)
