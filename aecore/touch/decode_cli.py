"""``python -m aecore decode NAME --code z1,z2,... [--json] [--png OUT.png] [--set k=v ...] [--no-cap]``.

Decodes one latent code with the page's trained model (``aecore.touch.decode``): lesson 3's
2-D autoencoder (``latent``), lesson 8's VAE (``vae``; the plain AE trained beside it decodes
the same code too) or lesson 8b's 2-D VAE (``elbo_gap``), and prints the image as a list of
rows in the data's range with the label and confidence of the data's classifier (a logistic
regression on the data's labels, kept by the run). ``--png`` writes the image as an 8-bit
greyscale PNG of the data's size (the data's range mapped onto 0–255). The model is the
page's shipped preset for those settings; settings without one are trained first, under the
server's cost cap. A code of the wrong length, a lesson without images or a bad value exits 2
with one line on stderr.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from aecore.touch import decode
from aecore.touch.encode_cli import fail, floats, report, result_for


def code_args(argv: list[str]) -> list[str]:
    """``--code -1,2`` as ``--code=-1,2``: argparse would take a value that starts with "-"
    (a negative first coordinate) for an option."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] == "--code" and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            out.append(f"--code={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def parse_code(text: str) -> np.ndarray:
    """ "z1,z2,..." as finite floats; ValueError with one line otherwise."""
    parts = [p.strip() for p in text.split(",")]
    try:
        z = np.array([float(p) for p in parts], np.float64)
    except ValueError:
        raise ValueError(f"--code takes numbers separated by commas, e.g. 0.5,-1.2; got {text!r}.") from None
    if not np.all(np.isfinite(z)):
        raise ValueError(f"--code takes finite numbers; got {text!r}.")
    return z


def _verdict(res, name: str, m: str, z: np.ndarray, shape) -> dict:
    found = decode.decode_point(name, res, m, z)
    conf = found["confidence"]
    rows = np.asarray(found["image"]).reshape(shape)
    return {
        "image": [floats(r) for r in rows],
        "label": found["label"],
        "confidence": None if math.isnan(conf) else conf,
    }


def write_png(path: str, image: np.ndarray, lo: float, hi: float) -> None:
    """``image`` (h, w) in [lo, hi] as an 8-bit greyscale PNG (lo → 0, hi → 255)."""
    from PIL import Image

    ink = np.clip((np.asarray(image, np.float64) - lo) / (hi - lo), 0.0, 1.0)
    Image.fromarray(np.round(255 * ink).astype(np.uint8), "L").save(path, format="PNG")


def cmd_decode(exp, cfg, code: str, as_json: bool, png: str | None = None, cap: bool = True) -> int:
    """Run ``decode`` for experiment ``exp`` with settings ``cfg`` (resolved by aecore.cli)."""
    from aecore import cost
    from aecore.config import ConfigError
    from aecore.data.registry import load_dataset
    from aecore.errors import DataError
    from aecore.touch.images import spec_of
    from aecore.train import TrainingDiverged

    name = exp.name
    try:
        decode.check(name)
        spec = spec_of(load_dataset(cfg.dataset))
        if spec is None:
            raise decode.NoDecoder(f"{name} on {cfg.dataset} has no images; pick an image data set.")
        z, k = parse_code(code), decode.code_size(name, cfg)
        if z.size != k:
            raise ValueError(f"the code has {z.size} number(s); this {name} model's code has {k}.")
        if png is not None and not Path(png).resolve().parent.is_dir():
            raise ValueError(f"{png}: its folder does not exist.")
        res, source = result_for(name, exp, cfg, cap)
        found = {m: _verdict(res, name, m, z, spec.shape) for m in decode.WALKS[name]}
    except cost.RunTooLong as exc:
        return fail(f"{exc} (Or pass --no-cap; AE_MAX_RUN_S sets the limit.)")
    except (ConfigError, DataError, ValueError) as exc:  # NoDecoder is a ValueError
        return fail(str(exc))
    except TrainingDiverged as exc:
        return fail(str(exc), 1)
    main = decode.MAIN[name]
    out = {"experiment": name, "config": cfg.to_dict(), "model": source, "decoder": main, "code": floats(z)}
    out |= {"image_shape": list(spec.shape), "range": [spec.lo, spec.hi]} | found[main]
    out["classifier"] = "logistic regression on the data's labels" if found[main]["label"] is not None else None
    if name == "vae":
        out["plain_ae"] = found["ae"]
    if png is not None:
        write_png(png, np.asarray(found[main]["image"]), spec.lo, spec.hi)
        out["png"] = png
    return report(out, as_json, _print)


def _print(out: dict) -> None:
    h, w = out["image_shape"]
    conf = out["confidence"]
    said = "no classifier" if conf is None else f"the classifier reads it as {out['label']} ({100 * conf:.1f} %)"
    print(f"{out['experiment']} ({out['model']} model, {out['decoder']}) decodes z = {out['code']} to {h}×{w}: {said}")
    shades = " .:-=+*#%@"
    lo, hi = out["range"]
    for row in out["image"]:
        print("  " + "".join(shades[int(np.clip((v - lo) / (hi - lo), 0, 1) * (len(shades) - 1))] * 2 for v in row))
    sys.stdout.flush()
