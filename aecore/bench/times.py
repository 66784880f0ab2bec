"""``python -m aecore bench``, sections 7 and 8: times a busy server can keep.

7. The time-left error of three lessons' default runs (``aecore.eta``, as a job on the page
   computes it: stages weighed by their estimated cost, the run's own pace blended with the
   estimate × the learned speed × the load factor), once 10 % of the run is done:
   |left − actual left| / actual left, on the machine as it is and with two CPU burners
   (subprocesses spinning) beside it. The estimate alone (|prior − actual| / actual) is
   printed beside it. The speed is learned across the section's runs, as a server would.
8. The first MNIST-size UMAP map (digits28's 10 000 rows; ``embed.CAPS``) in a fresh Python
   process: CPU and wall seconds of the first map without the app's start-up warm-up and
   after it (its numba compilation then paid at start-up), and a second map beside them.
No thresholds are asserted here (the goal for section 7 is ±30 %); the figures are printed
for the README, with the machine's load average.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from aecore import cost, eta
from aecore.experiments import get

ETA_LESSONS = ("intro", "neural", "pca")
AT_FRACTION = 0.10
QUICK = {
    "intro": {"epochs": 300},
    "neural": {"epochs": 50, "fit_epochs": 150, "max_width": 8},
    "pca": {"deep_epochs": 5},
}


@dataclass(frozen=True)
class EtaRun:
    lesson: str
    burners: int
    seconds: float  # wall, from the run's start to its end
    cpu_s: float  # this process's CPU seconds over the run
    prior_error: float  # |prior − actual| / actual
    left_error: float | None  # |left − actual left| / actual left at AT_FRACTION done (None: never reached)


@contextlib.contextmanager
def burners(n: int) -> Iterator[None]:
    """``n`` subprocesses spinning a core each, ended on exit."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def eta_run(lesson: str, speed: eta.Speed, overrides: dict | None = None, n_burners: int = 0) -> EtaRun:
    """One default run of ``lesson`` (its first view, ``overrides`` on top) timed as a job
    would be, its time left read at every progress report."""
    exp = get(lesson)
    cfg = exp.config_cls(**{**(exp.views[0] if exp.views else {}), **(overrides or {})})
    est = cost.estimate(exp, cfg).seconds
    shares = eta.weights(cost.stage_seconds(exp, cfg))
    load = eta.current_load()
    prior = eta.prior_seconds(est, speed.ratio(lesson), load)
    start, cpu0 = time.monotonic(), time.process_time()
    clock = eta.RunClock(shares, prior, start)
    seen: list[tuple[float, float, float | None]] = []  # (time, fraction, left)

    def on_progress(p) -> bool:
        now = time.monotonic()
        clock.report(p.stage, p.epoch, p.epochs, now, getattr(p, "index", 0), getattr(p, "seeds", 1))
        seen.append((now, clock.fraction(), clock.left(now)))
        return False

    exp.run(cfg, on_progress)
    end, cpu = time.monotonic(), time.process_time() - cpu0
    actual = end - start
    speed.learn(lesson, actual, est, load)
    at = next(((t, left) for t, f, left in seen if f >= AT_FRACTION and left is not None), None)
    left_error = None if at is None else abs(at[1] - (end - at[0])) / max(end - at[0], 1e-9)
    return EtaRun(lesson, n_burners, actual, cpu, abs(prior - actual) / actual, left_error)


def eta_errors(
    lessons: Sequence[str] = ETA_LESSONS, counts: Sequence[int] = (0, 2), overrides: dict | None = None
) -> list[EtaRun]:
    """Every lesson without and with ``counts`` burners, one learned speed across them."""
    speed, out = eta.Speed(), []
    for n in counts:
        with burners(n):
            out += [eta_run(lesson, speed, (overrides or {}).get(lesson), n) for lesson in lessons]
    return out


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0%}"


def print_eta(quick: bool, lessons: Sequence[str] = ()) -> None:
    lessons = tuple(lessons) or ETA_LESSONS
    overrides = QUICK if quick else {}
    before = os.getloadavg()[0]
    runs = eta_errors(lessons, overrides=overrides)
    print(
        f"\n7. Time-left error once {AT_FRACTION:.0%} of a run is done (|left − actual| / actual; goal ±30 %), "
        f"default views{' (quick: shorter runs)' if quick else ''}; load average {before:.1f} → "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"   {'lesson':<10}{'burners':>8}{'run s':>9}{'CPU s':>8}{'estimate alone':>16}{'time left':>11}")
    for r in runs:
        print(
            f"   {r.lesson:<10}{r.burners:>8}{r.seconds:>9.1f}{r.cpu_s:>8.1f}"
            f"{_pct(r.prior_error):>16}{_pct(r.left_error):>11}"
        )


_CHILD = """
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from aecore import embed
from aecore.data.registry import load_dataset
X = load_dataset("digits28").X[: int(sys.argv[1])]
out = {"load_s": time.process_time() - c0}
if sys.argv[2] == "warm":
    c, w = time.process_time(), time.perf_counter()
    embed.warm_up()
    out["warm_cpu"], out["warm_wall"] = time.process_time() - c, time.perf_counter() - w
for name in ("first", "second"):
    c, w = time.process_time(), time.perf_counter()
    embed.embed_umap(X, 0)
    out[name + "_cpu"], out[name + "_wall"] = time.process_time() - c, time.perf_counter() - w
print(json.dumps(out))
"""


def first_map(n: int, warm: bool) -> dict[str, float]:
    """CPU and wall seconds of the first (and second) UMAP map of n digits28 rows in a fresh
    process, after the app's warm-up when ``warm``; one torch/BLAS/numba thread, as the app."""
    env = dict(os.environ, **{v: "1" for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.getcwd(), env.get("PYTHONPATH", "")) if p)
    cmd = [sys.executable, "-c", _CHILD, str(n), "warm" if warm else "cold"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def print_first_map(quick: bool) -> None:
    from aecore.embed import CAPS

    n = CAPS["umap"] // 10 if quick else CAPS["umap"]
    cold, warm = first_map(n, False), first_map(n, True)
    print(
        f"\n8. The first UMAP map of {n} digits28 rows in a fresh process, CPU s (wall s); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"   without the start-up warm-up: first map {cold['first_cpu']:.1f} ({cold['first_wall']:.1f})")
    print(
        f"   after the warm-up ({warm['warm_cpu']:.1f} CPU s at server start): first map "
        f"{warm['first_cpu']:.1f} ({warm['first_wall']:.1f}), "
        f"second {warm['second_cpu']:.1f} ({warm['second_wall']:.1f})"
    )
