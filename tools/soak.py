"""Session-churn soak: open and close many sessions, then check memory comes back down.

Opens ``--sessions`` sessions (default 200) over Streamlit's websocket protocol,
``--concurrency`` at a time, each rendering ``--pages`` once and disconnecting; then waits
for the server's ``disconnectedSessionTTL`` (plus a margin) so that closed sessions can be
dropped, and reports the server's resident memory (process and children, psutil) at the
start (after one unmeasured priming visit), at its peak, and at the end, with the memory
kept per 100 sessions. Loopback only; at most 500 sessions and 900 s.

    python tools/soak.py                           # starts its own server (TTL 20 s)
    python tools/soak.py --url http://127.0.0.1:8501 --server-pid 1234 --ttl 60
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadtest as lt  # noqa: E402

MAX_SESSIONS = 500
MAX_DURATION = 900.0


async def churn(
    ws_url: str, origin: str, n: int, concurrency: int, pages: list[str], deadline: float
) -> tuple[int, list[str]]:
    sem = asyncio.Semaphore(concurrency)
    done, errors = 0, []

    async def worker() -> None:
        nonlocal done
        async with sem:
            if time.monotonic() >= deadline:
                errors.append("not started before the deadline")
                return
            errors.extend(await lt.prime(ws_url, origin, pages, deadline - time.monotonic()))
            done += 1

    await asyncio.gather(*(worker() for _ in range(n)))
    return done, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=200, help=f"sessions in all (1..{MAX_SESSIONS})")
    ap.add_argument("--concurrency", type=int, default=10, help="open at once (1..50)")
    ap.add_argument("--pages", default="home,intro", help="pages each session renders once")
    ap.add_argument(
        "--ttl",
        type=float,
        default=20.0,
        help="server.disconnectedSessionTTL (set on the server this script starts; "
        "with --url, give the server's value)",
    )
    ap.add_argument("--margin", type=float, default=15.0, help="extra wait after the TTL (s)")
    ap.add_argument("--duration", type=float, default=600.0, help=f"cap on the churn phase (1..{MAX_DURATION:.0f} s)")
    ap.add_argument("--url", help="use this running server (loopback only)")
    ap.add_argument("--server-pid", type=int, help="PID of the --url server")
    ap.add_argument("--out", help="JSON report path (default artifacts/soak-<time>.json)")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        ap.error(f"--sessions must be within 1..{MAX_SESSIONS}")
    if not 1 <= args.concurrency <= 50:
        ap.error("--concurrency must be within 1..50")
    if not 1 <= args.duration <= MAX_DURATION:
        ap.error(f"--duration must be within 1..{MAX_DURATION:.0f}")
    if not 0 <= args.ttl <= 600 or not 0 <= args.margin <= 300:
        ap.error("--ttl must be within 0..600 and --margin within 0..300")
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]

    server = None
    if args.url:
        try:
            host, port = lt.check_loopback(args.url)
        except ValueError as exc:
            ap.error(str(exc))
        base = f"http://{lt._host_in_url(host)}:{port}"
        pid = args.server_pid or lt.find_listening_pid(port)
    else:
        server = lt.Server(None, False, {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(int(args.ttl))})
        base, pid = server.base, server.pid
        try:
            lt.wait_healthy(base, 90, server.proc)
        except (TimeoutError, RuntimeError) as exc:
            print(f"server did not start: {exc}\n{server.tail()}", file=sys.stderr)
            server.stop()
            return 2
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    sampler = lt.MemorySampler(pid, every=0.5)
    try:
        prime_errors = asyncio.run(lt.prime(ws_url, base, pages, 120.0))
        time.sleep(args.ttl + 2)  # the primer's session is gone too before the baseline
        gc.collect()
        sampler.start()
        rss_start = sampler.rss()
        t0 = time.monotonic()
        done, errors = asyncio.run(churn(ws_url, base, args.sessions, args.concurrency, pages, t0 + args.duration))
        churn_s = time.monotonic() - t0
        rss_after_churn = sampler.rss()
        time.sleep(args.ttl + args.margin)
        rss_end = sampler.rss()
    finally:
        sampler.stop()
        if server is not None:
            server.stop()
    mb = lambda b: None if b is None else round(b / 2**20, 1)  # noqa: E731
    kept = None if rss_end is None or rss_start is None else (rss_end - rss_start)
    report = {
        "url": base,
        "sessions": args.sessions,
        "completed": done,
        "concurrency": args.concurrency,
        "pages": pages,
        "ttl_s": args.ttl,
        "margin_s": args.margin,
        "churn_s": churn_s,
        "errors": len(errors) + len(prime_errors),
        "error_samples": sorted(set(errors + prime_errors))[:10],
        "rss_mb": {
            "start": mb(rss_start),
            "peak": mb(sampler.peak or None),
            "after_churn": mb(rss_after_churn),
            "end": mb(rss_end),
        },
        "kept_mb_per_100_sessions": None if kept is None or not done else round(kept / 2**20 / done * 100, 2),
        "series_mb": [(t, mb(v)) for t, v in sampler.samples[:: max(1, len(sampler.samples) // 200)]],
    }
    out = Path(args.out) if args.out else (lt.ROOT / "artifacts" / f"soak-{time.strftime('%Y%m%dT%H%M%S')}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    r = report["rss_mb"]
    print(
        f"soak {base}: {done}/{args.sessions} sessions ({args.concurrency} at once, pages "
        f"{','.join(pages)}) in {churn_s:.1f} s, errors {report['errors']}"
    )
    print(
        f"  server RSS start {r['start']} MB / peak {r['peak']} MB / after churn "
        f"{r['after_churn']} MB / end (after TTL {args.ttl:.0f} s + {args.margin:.0f} s) "
        f"{r['end']} MB; kept {report['kept_mb_per_100_sessions']} MB per 100 sessions"
    )
    for e in report["error_samples"][:5]:
        print(f"  error: {e}")
    print(f"  report: {out}")
    return 0 if report["errors"] == 0 and done == args.sessions else 1


if __name__ == "__main__":
    sys.exit(main())
