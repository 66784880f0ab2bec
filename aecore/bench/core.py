"""``python -m aecore bench``: speed figures measured side by side in one run.

1. Time to the ``pca`` claims (error and subspace, at the claims' own thresholds, on digits,
   k = 8): the lesson's solvers against the textbook recipe (``aecore.bench.recipes``).
2. Throughput of one MNIST-size epoch (784-256-32-256-784 MLP, 70 000 random rows)
   as a share of the machine's measured float32 matmul throughput, same thread count.
3. Fit seconds of the latent lesson's 2-D maps at the caps (``embed.CAPS``: t-SNE 5 000,
   UMAP 10 000 points), with the lesson's own functions on digits resampled to that size
   (``latent.resample``); PCA and the autoencoder map beside them. UMAP's one-off numba
   compilation is timed apart, both the part the app's start-up warm-up pays and the
   approximate-neighbour part (4 096 points and more) that the warm-up does not cover.
4. Cold and warm first view of every page (``tools/pagetime.py``, run as a subprocess
   against a real ``streamlit run`` server; skipped when the tool or Streamlit is absent).
5. Every lesson's default view on its default data and at MNIST size (``aecore.bench.lessons``).
6. The run-cost estimate against the measured CPU seconds, for every experiment at its
   defaults and with each setting that scales the work at its maximum (``aecore.bench.costs``).
7. The time-left error of three lessons at a tenth of their run, with and without two CPU
   burners; 8. the first MNIST-size UMAP map in a fresh process (``aecore.bench.times``).
No thresholds are asserted here; the figures are printed for the README.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from aecore.bench.recipes import print_recipes, seconds_text
from aecore.data.registry import load_dataset
from aecore.device import get_device
from aecore.models import ModelConfig, build_model
from aecore.train import TrainConfig, fit


def matmul_gflops(n: int = 1024, repeats: int = 20) -> float:
    dev = get_device()
    a, b = torch.randn(n, n, device=dev), torch.randn(n, n, device=dev)
    a @ b  # warm-up
    _sync(dev)
    t0 = time.perf_counter()
    for _ in range(repeats):
        a @ b
    _sync(dev)
    return 2 * n**3 * repeats / (time.perf_counter() - t0) / 1e9


def _sync(dev: torch.device) -> None:
    if dev.type == "cuda":
        torch.cuda.synchronize()


def mnist_epoch_gflops(rows: int = 70_000, batch: int = 256) -> tuple[float, float]:
    """(achieved GFLOP/s, epoch seconds) of one training epoch; FLOPs = 6 × weights × rows
    (forward 2, backward 4 multiply-adds per weight and sample)."""
    widths = [784, 256, 32, 256, 784]
    n_weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    X = np.random.default_rng(0).random((rows, 784), dtype=np.float32)
    model = build_model(ModelConfig(input_dim=784, hidden=(256,), latent_dim=32), seed=0)
    fit(model, X[: batch * 4], TrainConfig(epochs=1, batch_size=batch))  # warm-up
    t0 = time.perf_counter()
    fit(model, X, TrainConfig(epochs=1, batch_size=batch, lr=1e-3))
    _sync(get_device())
    seconds = time.perf_counter() - t0
    return 6 * n_weights * rows / seconds / 1e9, seconds


MAP_METHODS = {
    "pca": "PCA",
    "ae": "autoencoder (lesson defaults)",
    "tsne": "t-SNE (openTSNE)",
    "umap": "UMAP (umap-learn)",
}


def map_sizes(quick: bool = False) -> dict[str, int]:
    """Points per method: the caps, or a tenth of them for a smoke run."""
    from aecore.embed import CAPS

    return {m: n // 10 if quick else n for m, n in CAPS.items()}


def map_seconds(caps: dict[str, int], seed: int = 0) -> tuple[dict[tuple[str, int], float], dict[str, float]]:
    """({(method, n): fit seconds}, {"warm-up": UMAP compile seconds}) at every size in
    ``caps``; a method is fitted only up to its own cap (PCA and the autoencoder have none).
    UMAP's numba code is compiled first by the app's own warm-up, untimed in the table (every
    size takes the same path: exact neighbours given to UMAP, aecore.neighbours)."""
    from aecore import embed
    from aecore.experiments import latent
    from aecore.experiments.base import Tracker

    compile_s: dict[str, float] = {}
    t0 = time.perf_counter()
    embed.warm_up()
    compile_s["warm-up"] = time.perf_counter() - t0
    ds, rng = load_dataset("digits"), np.random.default_rng(seed)
    out: dict[tuple[str, int], float] = {}
    for n in sorted(set(caps.values())):
        X = latent.resample(ds, n, rng)
        for m in MAP_METHODS:
            if n > caps.get(m, n):
                continue
            if m == "ae":
                e, _, _ = latent.train_ae_map(latent.LatentConfig(seed=seed), X, Tracker(None))
            else:
                e = embed.EMBEDDINGS[m](X, seed)
            out[(m, n)] = e.seconds
    return out, compile_s


def print_maps(quick: bool) -> None:
    caps = map_sizes(quick)
    secs, compile_s = map_seconds(caps)
    sizes = sorted(set(caps.values()))
    f = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
    print(
        f"\n3. 2-D maps of the latent lesson, fit seconds at the caps{' / 10' if quick else ''} "
        "(digits resampled with pixel noise; '-' = above the method's cap)"
    )
    print(f"   {'method':<32}{'cap':>8}" + "".join(f"{f'n = {n}':>12}" for n in sizes))
    for m, label in MAP_METHODS.items():
        print(f"   {label:<32}{caps.get(m, '-'):>8}" + "".join(f"{f(secs.get((m, n))):>12}" for n in sizes))
    print(
        f"   UMAP's numba compilation, once per process, not in the table: {compile_s['warm-up']:.2f} s "
        "(the app's start-up warm-up)"
    )


def _page_tool() -> Path:
    return Path(__file__).resolve().parents[2] / "tools" / "pagetime.py"


def print_pages(quick: bool, tool: Path | None = None) -> None:
    """Section 4 from ``tools/pagetime.py --json`` in a subprocess (aecore imports neither
    Streamlit nor tools/); one note instead when it cannot run."""
    tool = tool or _page_tool()
    head = "\n4. First view of each page, seconds"
    missing = [m for m in ("streamlit", "websockets") if importlib.util.find_spec(m) is None]
    if not tool.is_file() or not (tool.parents[1] / "app.py").is_file():
        print(f"{head}: skipped (no tools/pagetime.py and app.py beside aecore: not a source checkout).")
        return
    if missing:
        print(f"{head}: skipped ({', '.join(missing)} not installed).")
        return
    budget = 300 if quick else 1800
    cmd = [sys.executable, str(tool), "--json", "--budget", str(budget)] + (["--quick"] if quick else [])
    proc = subprocess.Popen(cmd, cwd=tool.parents[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=budget + 120)  # the tool keeps to its budget
    except subprocess.TimeoutExpired:
        proc.terminate()  # SIGTERM: the tool stops the server it started
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        print(f"{head}: skipped (tools/pagetime.py ran past {budget + 120} s).")
        return
    try:
        rep = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        last = (err.strip().splitlines() or ["no output"])[-1]
        print(f"{head}: skipped (tools/pagetime.py exited {proc.returncode}: {last}).")
        return
    print(
        f"{head}, from opening until the default result shows (server start-up not counted)\n"
        "   cold: a fresh server per page, empty caches (AE_WARMUP=0, AE_PRESETS=0); "
        f"warm: a new session once the result is cached, median of {rep['repeats']};\n"
        "   preset: a fresh server with the lecture presets on (as deployed); 'trained' = it had to train"
    )
    print(page_table(rep["pages"]))


def page_table(rows: list[dict]) -> str:
    """page | cold s | warm s | cold/warm | preset s, then the first error of each failed page."""
    lines = [f"   {'page':<16}{'cold s':>9}{'warm s':>9}{'cold/warm':>11}{'preset s':>10}"]
    for r in rows:
        ratio = "-" if r.get("ratio") is None else f"{r['ratio']:.1f}×"
        preset = seconds_text(r.get("preset_s")) + (" trained" if r.get("preset_trained") else "")
        cold, warm = seconds_text(r.get("cold_s")), seconds_text(r.get("warm_s"))
        lines.append(f"   {r['page']:<16}{cold:>9}{warm:>9}{ratio:>11}{preset:>10}")
    lines += [f"   {r['page']}: {r['errors'][0]}" for r in rows if r.get("errors")]
    return "\n".join(lines)


def run_bench(
    quick: bool = False, pages: bool = True, sections: Sequence[int] = (), lessons: Sequence[str] = ()
) -> int:
    """Print the sections asked for (all by default); ``lessons`` limits sections 5, 6 and 7."""
    dev, want = get_device(), set(sections) or {1, 2, 3, 4, 5, 6, 7, 8}
    print(f"device: {dev.type}, torch {torch.__version__}, threads {torch.get_num_threads()}")
    if 1 in want:
        print_recipes(quick)
    if 2 in want:
        rows, peak = 10_000 if quick else 70_000, matmul_gflops()
        for batch in (256, 1024):
            got, secs = mnist_epoch_gflops(rows, batch)
            print(
                f"\n2. MNIST-size epoch (784-256-32-256-784, {rows} rows, batch {batch}): "
                f"{secs:.2f} s, {got:.1f} GFLOP/s = {got / peak:.0%} of matmul peak {peak:.1f} GFLOP/s"
            )
    if 3 in want:
        print_maps(quick)
    if 4 in want and pages:
        sys.stdout.flush()
        print_pages(quick)
    elif 4 in want:
        print("\n4. First view of each page: skipped (--no-pages).")
    if 5 in want:
        from aecore.bench.lessons import print_lessons

        print_lessons(quick, lessons)
    if 6 in want:
        from aecore.bench.costs import print_costs

        print_costs(quick, lessons)
    if 7 in want or 8 in want:
        from aecore.bench import times

        if 7 in want:
            times.print_eta(quick, lessons)
        if 8 in want:
            times.print_first_map(quick)
    return 0
