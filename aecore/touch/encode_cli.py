"""``python -m aecore encode NAME --image FILE.png [--json] [--set k=v ...] [--no-cap]``.

Reads a greyscale-convertible PNG of any size and range, resamples it like the data
(``aecore.touch.images.png_row``) and prints what the page's trained model makes of it
(``aecore.touch.encode``): the code, the reconstruction's MSE to the resampled input and,
where the page has them, q(z|x)'s mean and σ with the ELBO, the anomaly score and verdict,
each denoiser's change, the SAE features that fire. The model is the page's shipped preset
for those settings; settings without one are trained first, under the server's cost cap.
A bad image, a lesson without images or a bad setting exits 2 with one line on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from aecore.touch import encode
from aecore.touch.images import MAX_FILE_BYTES, png_row, spec_of


def _floats(a, digits: int = 6) -> list[float]:
    return [round(float(v), digits) for v in np.asarray(a).reshape(-1)]


def _model(ans: dict) -> dict:
    return {"code": _floats(ans["code"]), "mse": ans["mse"], "reconstruction": _floats(ans["recon"])}


def summary(name: str, ans: dict) -> dict:
    """The JSON-ready part of a lesson's answer (``aecore.touch.encode``)."""
    if name == "pca":
        return {"models": {k: _model(v) for k, v in ans["models"].items()}}
    if name == "denoising_images":
        models = ans["models"]
        plain = {"code": models["ae"]["code"], "recon": models["ae"]["output"], "mse": models["ae"]["change_mse"]}
        denoised = {
            k: {"code": _floats(v["code"]), "change_mse": v["change_mse"], "denoised": _floats(v["output"])}
            for k, v in models.items()
            if k != "ae"
        }
        return _model(plain) | {"denoised": denoised}
    if name == "sae_features":
        feats = [
            {"id": int(j), "activation": float(v), "top_images": [int(i) for i in ans["top_images"][int(j)]]}
            for j, v in zip(ans["features"], ans["values"])
        ]
        probs = ans["probs"]
        return {
            "code": _floats(ans["code"]),
            "mse": ans["act_mse"],
            "reconstructs": "classifier activations",
            "predicted_class_index": ans["predicted"],
            "probability": float(probs[ans["predicted"]]),
            "features": feats,
        }
    out = _model(ans)
    if name == "vae":
        out["posterior"] = {
            "mu": _floats(ans["mu"]),
            "sigma": _floats(ans["sigma"]),
            "shown_dims": [int(d) for d in ans["dims"]],
        }
        keys = ("elbo", "recon_nll", "kl", "elbo_percentile")
        out["elbo"] = {k: ans[k] for k in keys} | {"reference_images": len(ans["reference_elbo"])}
    if name == "anomaly":
        keys = ("score", "threshold", "flagged", "tpr", "fpr", "normal_percentile")
        out["anomaly"] = {k: ans[k] for k in keys} | {"threshold_rule": "youden"}
    return out


def _result(name: str, exp, cfg, cap: bool):
    """(Result, "preset" | "trained"): the shipped preset of these settings, else a run."""
    from aecore import cost, presets

    found = presets.lookup(name, cfg)
    if found is not None:
        return found, "preset"
    if cap:
        cost.check(exp, cfg)
    return exp.run(cfg, None), "trained"


def _read(path: str) -> bytes:
    from aecore.errors import DataError

    p = Path(path)
    if not p.is_file():
        raise DataError(f"{path} is not a file.")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise DataError(f"{p.name} is larger than {MAX_FILE_BYTES // 2**20} MB; a drawing is smaller.")
    return p.read_bytes()


def _fail(msg: str, code: int = 2) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return code


def cmd_encode(exp, cfg, image: str, as_json: bool, cap: bool = True) -> int:
    """Run ``encode`` for experiment ``exp`` with settings ``cfg`` (resolved by aecore.cli)."""
    from aecore import cost
    from aecore.config import ConfigError
    from aecore.data.registry import load_dataset
    from aecore.errors import DataError
    from aecore.train import TrainingDiverged

    name = exp.name
    try:
        if name not in encode.LESSONS:
            raise encode.NoImages(f"{name} takes no drawn input; these lessons do: {', '.join(encode.LESSONS)}.")
        spec = spec_of(load_dataset(cfg.dataset))
        if spec is None:
            raise encode.NoImages(f"{name} on {cfg.dataset} has no images; pick an image data set.")
        x, info = png_row(_read(image), spec, Path(image).name)
        res, source = _result(name, exp, cfg, cap)
        ans = encode.answer(name, res, x)
    except cost.RunTooLong as exc:
        return _fail(f"{exc} (Or pass --no-cap; AE_MAX_RUN_S sets the limit.)")
    except (ConfigError, DataError, encode.NoImages) as exc:
        return _fail(str(exc))
    except TrainingDiverged as exc:
        return _fail(str(exc), 1)
    out = {"experiment": name, "config": cfg.to_dict(), "model": source}
    out["image"] = info | {"file": image, "resampled_to": list(spec.shape), "range": [spec.lo, spec.hi]}
    out |= {"input": _floats(x)} | summary(name, ans)
    if as_json:
        print(json.dumps(out))
        return 0
    _print(out)
    return 0


def _print(out: dict) -> None:
    h, w = out["image"]["resampled_to"]
    print(f"{out['experiment']} ({out['model']} model) on {out['image']['file']}, resampled to {h}×{w}")
    for key, value in out.items():
        if key in ("experiment", "config", "model", "image", "input", "reconstruction"):
            continue
        text = json.dumps(value)
        print(f"  {key:12s} {text if len(text) <= 100 else text[:97] + '...'}")
    sys.stdout.flush()
