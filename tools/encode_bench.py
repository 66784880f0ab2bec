"""How long the drawing pad's answer takes: ``aecore.touch.encode`` for one input, per lesson.

For each image lesson: the page's trained model on the 8×8 digits (its lecture preset) and
on digits28 (28×28, the MNIST-size stand-in; the same architecture as the page's default,
trained briefly here: the answer's cost does not depend on how well the model learned). One
drawing, resampled from a 280×280 stroke layer as the pad sends it (``pad_row``, timed apart),
is answered ``--repeats`` times; printed: the first call (the VAE ranks the data's ELBOs once
per model then) and the median and maximum of the later ones, in milliseconds, one torch
thread (``AE_TORCH_THREADS``). A benchmark, not a test: nothing asserts a time.

    python tools/encode_bench.py                 # both data sets
    python tools/encode_bench.py --data digits   # the presets only (seconds)
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("AE_PRESETS", "1")

from aecore import presets  # noqa: E402
from aecore.device import limit_threads  # noqa: E402
from aecore.experiments import get  # noqa: E402
from aecore.touch import encode  # noqa: E402
from aecore.touch.images import cell_px, pad_row, spec_of, to_ink, upsample  # noqa: E402

# digits28 runs: the page's default models, trained briefly (only the time of an answer matters)
SHORT = {
    "latent": {"epochs": 2, "max_points": 500},
    "pca": {"linear_epochs": 20, "deep_epochs": 1},
    "denoising_images": {"epochs": 1, "sweep": False, "probe": False},
    "vae": {"epochs": 1, "n_samples": 50, "mc_samples": 2},
    "anomaly": {"steps": 20},
    "sae_features": {"clf_steps": 20, "sae_steps": 20},
}


def result_for(name: str, data: str):
    """(Result, how it was made) of lesson ``name`` on ``data``."""
    cfg = get(name).config_cls()
    if data == "digits":
        found = presets.lookup(name, cfg)
        if found is not None:
            return found, "preset"
    cfg = dataclasses.replace(cfg, dataset=data, **SHORT[name])
    return get(name).run(cfg, None), "short run"


def drawing(name: str, res, data: str) -> tuple[np.ndarray, np.ndarray, object]:
    """A real image of the result traced as strokes on a 280×280 layer: (layer, its row, spec)."""
    from aecore.data.registry import load_dataset

    spec = spec_of(load_dataset(data))
    ink = to_ink(encode.real_images(name, res)[0][1], spec)
    big = upsample(ink, cell_px(spec.shape))
    rgba = np.zeros((*big.shape, 4), np.uint8)
    rgba[..., :3] = 255
    rgba[..., 3] = np.round(255 * big).astype(np.uint8)
    return rgba, pad_row(rgba, spec), spec


def _ms(f, repeats: int) -> tuple[float, float, float]:
    """(first call, median, max) of ``f`` in milliseconds."""
    times = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        f()
        times.append(1000 * (time.perf_counter() - t0))
    return times[0], statistics.median(times[1:]), max(times[1:])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", choices=("digits", "digits28"), action="append", default=[])
    p.add_argument("--repeats", type=int, default=30)
    args = p.parse_args(argv)
    limit_threads()
    print(f"{'lesson':18s} {'data':9s} {'model':9s} {'pad→row':>8s} {'first':>8s} {'median':>8s} {'max':>8s}  (ms)")
    for data in args.data or ["digits", "digits28"]:
        for name in encode.LESSONS:
            res, how = result_for(name, data)
            rgba, x, spec = drawing(name, res, data)
            resample = _ms(lambda rgba=rgba, spec=spec: pad_row(rgba, spec), args.repeats)[1]
            first, median, most = _ms(lambda n=name, r=res, x=x: encode.answer(n, r, x), args.repeats)
            print(f"{name:18s} {data:9s} {how:9s} {resample:8.2f} {first:8.2f} {median:8.2f} {most:8.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
