"""First view of each page, cold and warm, against a real ``streamlit run`` server.

A page's *first view* lasts from opening the page (websocket connect and the browser's
request for the page) until its default view is complete: a full script run has finished
and no progress bar is left, i.e. the default training result is shown. The client is
the websocket-protocol session of ``tools/loadtest.py`` (it replays the 0.5 s fragment
polls a browser sends while a page trains).

- **cold**: a freshly started server for each page, with ``AE_WARMUP=0`` (no background
  warm-up: UMAP's numba compilation and torch's optimiser imports are paid by the page)
  and ``AE_PRESETS=0`` (no preloaded lecture results), so the result caches are empty;
  the first session opens the page.
- **warm**: new sessions on the same server open the page again once its cold view is
  complete and the default result is cached; the median of ``--repeats``.
- **preset**: another freshly started server, this time with the lecture presets on (as
  deployed; ``AE_WARMUP=0`` still): what the first student of a new server waits.

Server start-up (until ``/_stcore/health`` answers) is reported apart, not counted.
Bounded: ``--deadline`` per page view, ``--budget`` for the whole run (pages left when it
is spent are reported as not measured; a server takes at most 20 s more to stop). Servers are started on loopback only.

    python tools/pagetime.py                          # every page of ui/shell/nav.py PAGES
    python tools/pagetime.py --pages home,intro --json
    python tools/pagetime.py --quick                  # home and intro, one warm view
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

import loadtest as lt  # noqa: E402

QUICK_PAGES = ("home", "intro")
MAX_DEADLINE = 600.0
MAX_BUDGET = 3600.0
NOT_MEASURED = "not measured: the run's --budget was spent"


def all_pages() -> list[str]:
    from ui.shell.nav import PAGES

    return [p.url_path for p in PAGES]


async def first_view(ws_url: str, origin: str, page: str, deadline: float) -> dict[str, Any]:
    """One new session opens ``page`` and waits until its default view is complete."""
    s = lt.ProtocolSession(ws_url, origin, lt._queued_pattern())
    pr = lt.PageResult(page, "open")
    t0 = time.monotonic()
    connect_s = 0.0
    try:
        await s.connect()
        connect_s = time.monotonic() - t0
        await s.visit(pr, deadline, page_name=page, wait_ready=True)
    except Exception as exc:  # noqa: BLE001  (reported in the row)
        pr.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        try:
            await s.close()
        except Exception:  # noqa: BLE001
            pass
    ok = pr.ready_s is not None and not pr.errors
    return {
        "seconds": connect_s + pr.ready_s if ok else None,
        "trained": pr.trained,
        "elements": pr.elements,
        "errors": pr.errors,
    }


def measure_page(page: str, repeats: int, deadline_s: float, until: float) -> dict[str, Any]:
    """Cold and warm first views of one page on a server started for it alone; each view
    ends by ``deadline_s`` after it starts, and everything by ``until`` (monotonic)."""

    def view_deadline() -> float:
        return min(time.monotonic() + deadline_s, until)

    row: dict[str, Any] = {
        "page": page,
        "cold_s": None,
        "warm_s": None,
        "ratio": None,
        "warm_runs": [],
        "trained": False,
        "server_start_s": None,
        "elements": {"cold": 0, "warm": 0},
        "warm_trained": False,
        "preset_s": None,
        "preset_trained": False,
        "errors": [],
    }
    server = lt.Server(None, warmup=False, extra_env={"AE_PRESETS": "0"})
    try:
        try:
            row["server_start_s"] = lt.wait_healthy(
                server.base, max(1.0, min(90.0, until - time.monotonic())), server.proc
            )
        except (TimeoutError, RuntimeError) as exc:
            row["errors"].append(f"server did not start: {exc}")
            return row
        ws_url = server.base.replace("http://", "ws://") + "/_stcore/stream"
        cold = asyncio.run(first_view(ws_url, server.base, page, view_deadline()))
        row["cold_s"], row["trained"] = cold["seconds"], cold["trained"]
        row["elements"]["cold"] = cold["elements"]
        row["errors"] += [f"cold: {e}" for e in cold["errors"]]
        if cold["seconds"] is None:
            return row
        time.sleep(0.5)  # the cold session's job and connection wind down
        for _ in range(repeats):
            warm = asyncio.run(first_view(ws_url, server.base, page, view_deadline()))
            row["errors"] += [f"warm: {e}" for e in warm["errors"]]
            if warm["seconds"] is None:
                break
            row["warm_runs"].append(warm["seconds"])
            row["elements"]["warm"] = warm["elements"]
            row["warm_trained"] = row["warm_trained"] or warm["trained"]  # should stay False
        if row["warm_runs"] and not row["errors"]:
            row["warm_s"] = statistics.median(row["warm_runs"])
            row["ratio"] = row["cold_s"] / row["warm_s"] if row["warm_s"] > 0 else None
    finally:
        if row["errors"]:
            row["server_log_tail"] = server.tail(30)
        server.stop()
    if row["warm_s"] is not None:
        _preset_view(row, page, view_deadline, until)
    return row


def _preset_view(row: dict[str, Any], page: str, view_deadline, until: float) -> None:
    """The first view on a fresh server whose lecture presets are on."""
    server = lt.Server(None, warmup=False, extra_env={"AE_PRESETS": "1"})
    try:
        lt.wait_healthy(server.base, max(1.0, min(90.0, until - time.monotonic())), server.proc)
        ws_url = server.base.replace("http://", "ws://") + "/_stcore/stream"
        view = asyncio.run(first_view(ws_url, server.base, page, view_deadline()))
        row["errors"] += [f"preset: {e}" for e in view["errors"]]
        row["preset_s"], row["preset_trained"] = view["seconds"], view["trained"]
    except (TimeoutError, RuntimeError) as exc:
        row["errors"].append(f"preset server did not start: {exc}")
    finally:
        server.stop()


def run(pages: list[str], repeats: int, deadline_s: float, budget_s: float) -> dict[str, Any]:
    t_start = time.monotonic()
    until = t_start + budget_s
    load_start = os.getloadavg()
    rows = []
    for page in pages:
        if until - time.monotonic() < 30:
            rows.append(
                {"page": page, "cold_s": None, "warm_s": None, "ratio": None, "warm_runs": [], "errors": [NOT_MEASURED]}
            )
            continue
        rows.append(measure_page(page, repeats, deadline_s, until))
    return {
        "pages": rows,
        "repeats": repeats,
        "deadline_s": deadline_s,
        "budget_s": budget_s,
        "env": {"AE_WARMUP": "0", "AE_PRESETS": "0", "AE_TORCH_THREADS": os.environ.get("AE_TORCH_THREADS", "1")},
        "cpu_count": os.cpu_count(),
        "loadavg_start": load_start,
        "loadavg_end": os.getloadavg(),
        "total_s": time.monotonic() - t_start,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pages", default=None, help="comma-separated url paths (default: every page of ui/shell/nav.py)")
    ap.add_argument("--repeats", type=int, default=None, help="warm views per page (1..10)")
    ap.add_argument(
        "--deadline", type=float, default=None, help=f"cap in seconds on one page view (1..{MAX_DEADLINE:.0f})"
    )
    ap.add_argument("--budget", type=float, default=None, help=f"cap in seconds on the whole run (1..{MAX_BUDGET:.0f})")
    ap.add_argument("--quick", action="store_true", help=f"pages {','.join(QUICK_PAGES)}, one warm view, shorter caps")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)

    known = all_pages()
    default_pages = ",".join(QUICK_PAGES if args.quick else known)
    pages = [p.strip() for p in (args.pages or default_pages).split(",") if p.strip()]
    unknown = [p for p in pages if p not in known]
    if not pages or unknown:
        ap.error(f"unknown page(s) {unknown}; known: {','.join(known)}")
    repeats = args.repeats if args.repeats is not None else (1 if args.quick else 3)
    deadline = args.deadline if args.deadline is not None else (120.0 if args.quick else 300.0)
    budget = args.budget if args.budget is not None else (300.0 if args.quick else 1800.0)
    if not 1 <= repeats <= 10:
        ap.error("--repeats must be within 1..10")
    if not 1 <= deadline <= MAX_DEADLINE:
        ap.error(f"--deadline must be within 1..{MAX_DEADLINE:.0f} s")
    if not 1 <= budget <= MAX_BUDGET:
        ap.error(f"--budget must be within 1..{MAX_BUDGET:.0f} s")

    # SIGTERM (e.g. from the bench's backstop timeout) unwinds, so the server is stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rep = run(pages, repeats, deadline, budget)
    if args.json:
        print(json.dumps(rep))
    else:
        from aecore.bench.core import page_table  # the same table as ``python -m aecore bench``

        print(page_table(rep["pages"]))
    ok = all(r["cold_s"] is not None and r["warm_s"] is not None for r in rep["pages"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
