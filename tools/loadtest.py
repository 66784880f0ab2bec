"""Load test: N simulated students against a real ``streamlit run`` server, loopback only.

Each simulated session speaks Streamlit's own websocket protocol (the ``BackMsg`` and
``ForwardMsg`` protobufs the browser exchanges with ``/_stcore/stream``), so 20-50
sessions fit on a small machine where 20 browsers would not. A session opens the pages
in ``--pages`` one after another on one connection, the way a browser tab navigates a
multipage app, and waits on each until it is *ready*: a full script run has finished and
no progress bar is left (training pages start their default run on load; the client
replays the 0.5 s fragment polls that the browser would send). On the lesson named by
``--train`` (default ``intro``) it then submits the settings form with a seed of its own,
so every session really trains a model rather than reading the shared result cache.

Measured per page: time to the first finished script run (``page``), time until no
progress bar remains (``ready``); per training request: time spent queued for a job slot
(``job wait``, to the resolution of the 0.5 s poll) and time until the result shows
(``train``). Errors: exception elements, ``st.error`` alerts, compile errors, pages not
found or not the page asked for, dropped connections. Timeouts, counted apart: pages not
ready before ``--duration`` (a session stops there). Peak memory is the
server's resident set size, its child processes included, sampled every 0.2 s with psutil.

Bounded: at most 50 sessions and 600 s; only 127.0.0.1, localhost or ::1 are accepted.

    python tools/loadtest.py --sessions 20            # starts its own server
    python tools/loadtest.py --url http://127.0.0.1:8501 --server-pid 1234 --sessions 5

Prints a short table and writes a JSON report under artifacts/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
MAX_SESSIONS = 50
MAX_DURATION = 600.0
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = "not ready before the deadline"  # a capacity limit, counted apart from errors
POLL_FALLBACK = 0.5  # seconds between fragment polls if the server names no interval
DEFAULT_PAGE = {"home", "/", ""}  # app.py's default page is served at "/", not "/home"


# ---------------------------------------------------------------------------------------
# guards and helpers
# ---------------------------------------------------------------------------------------


def check_loopback(url: str) -> tuple[str, int]:
    """(host, port) of ``url``; refuses anything but http(s)/ws(s) on loopback."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https", "ws", "wss"):
        raise ValueError(f"unsupported scheme in {url!r}")
    host = (parsed.hostname or "").lower()
    if host not in LOOPBACK:
        raise ValueError(f"refusing non-loopback host {host!r}: only 127.0.0.1, localhost, ::1")
    return host, parsed.port or (443 if parsed.scheme in ("https", "wss") else 80)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _host_in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def wait_healthy(base: str, timeout: float, proc: subprocess.Popen | None = None) -> float:
    """Seconds until GET /_stcore/health answers 'ok'; raises on timeout or server exit."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"{base}/_stcore/health not ok after {timeout:.0f} s")


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s) - 1e-9) - 1))
    return s[k]


def _queued_pattern() -> re.Pattern:
    """The English 'queued' status line of the training panel, as a regex."""
    try:
        cat = tomllib.loads((ROOT / "assets/locales/en/common.toml").read_text())
        text = cat["panel"]["queued"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        text = "position {position} in the queue"
    return re.compile(re.escape(text).replace(re.escape("{position}"), r"\d+"))


# ---------------------------------------------------------------------------------------
# memory sampler (server process tree)
# ---------------------------------------------------------------------------------------


class MemorySampler:
    """Samples the RSS of a process and its children in a thread; keeps peak and series."""

    def __init__(self, pid: int | None, every: float = 0.2):
        self.pid, self.every = pid, every
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)
        self._t0 = time.monotonic()

    def _tree_sum(self, measure) -> float | None:
        """Sum ``measure(process)`` over the server process and its live children."""
        if self.pid is None:
            return None
        import psutil

        try:
            p = psutil.Process(self.pid)
            procs = [p, *p.children(recursive=True)]
        except psutil.Error:
            return None
        total = 0
        for q in procs:
            try:
                total += measure(q)
            except psutil.Error:
                pass
        return total

    def rss(self) -> int | None:
        return self._tree_sum(lambda q: q.memory_info().rss)

    def cpu_seconds(self) -> float | None:
        """User+system CPU seconds of the process and its live children so far."""
        return self._tree_sum(lambda q: sum(q.cpu_times()[:2]))

    def _loop(self) -> None:
        while not self._stop.is_set():
            v = self.rss()
            if v is not None:
                self.peak = max(self.peak, v)
                self.samples.append((round(time.monotonic() - self._t0, 2), v))
            self._stop.wait(self.every)

    def start(self) -> MemorySampler:
        if self.pid is not None:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(2)


def find_listening_pid(port: int) -> int | None:
    """PID of the process listening on ``port`` (psutil; may need privileges)."""
    import psutil

    try:
        for c in psutil.net_connections(kind="tcp"):
            if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid:
                return c.pid
    except (psutil.Error, OSError):
        return None
    return None


# ---------------------------------------------------------------------------------------
# the server this script may start
# ---------------------------------------------------------------------------------------


class Server:
    """``streamlit run app.py`` on a free loopback port, with its log in a temp file."""

    def __init__(self, max_jobs: int | None, warmup: bool, extra_env: dict[str, str] | None = None):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.setdefault("AE_TORCH_THREADS", "1")
        env["AE_WARMUP"] = "1" if warmup else "0"
        if max_jobs is not None:
            env["AE_MAX_JOBS"] = str(max_jobs)
        env.update(extra_env or {})
        self.log = tempfile.NamedTemporaryFile("w+", prefix="loadtest-server-", suffix=".log", delete=False)
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.pid = self.proc.pid

    def tail(self, n: int = 40) -> str:
        try:
            return "".join(Path(self.log.name).read_text(errors="replace").splitlines(True)[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


# ---------------------------------------------------------------------------------------
# one simulated browser session
# ---------------------------------------------------------------------------------------


@dataclass
class PageResult:
    page: str
    action: str  # "open" or "train"
    page_s: float | None = None  # request -> first finished full script run
    ready_s: float | None = None  # request -> finished full run without progress bar
    trained: bool = False  # a progress bar was seen (a job ran or waited)
    job_wait_s: float | None = None  # time queued for a job slot (0.5 s resolution)
    elements: int = 0  # elements in the last full run
    errors: list[str] = field(default_factory=list)


@dataclass
class SessionResult:
    index: int
    session_id: str = ""
    pages: list[PageResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    complete: bool = False


class ProtocolSession:
    """Minimal Streamlit browser client over the websocket protocol.

    Keeps what the frontend keeps and this app needs: the session id (new_session), the
    current page's script hash, widget ids seen in the last run, the fragments asking for
    auto-reruns, and the element types of the last full run.
    """

    def __init__(self, ws_url: str, origin: str, queued: re.Pattern, verbose: bool = False):
        self.ws_url, self.origin, self.queued, self.verbose = ws_url, origin, queued, verbose
        self.ws = None
        self.session_id = ""
        self.page_hash = ""
        self.page_name = ""
        self.page_url = ""  # url path of the page being shown
        self.widgets: dict[str, str] = {}  # widget id -> element type
        self.auto: dict[str, float] = {}  # fragment id -> interval
        self.run_kinds: list[str] = []  # element types in the current run
        self.run_progress: list[str] = []  # progress texts in the current run/fragment
        self.errors: list[str] = []

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],
            origin=self.origin,
            max_size=64 * 2**20,
            open_timeout=30,
            ping_interval=20,
            ping_timeout=60,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _send_rerun(
        self, *, navigate: bool = False, fragment_id: str = "", widgets: list[Any] | None = None, auto: bool = False
    ) -> None:
        """What the browser sends: to open a page, its url path and no hash; to rerun
        the page shown (widget change, fragment poll), the page's hash and url path."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = ""
        cs.page_name = self.page_name
        if not navigate:
            cs.page_script_hash = self.page_hash
        if fragment_id:
            cs.fragment_id = fragment_id
            cs.is_auto_rerun = auto
        for w in widgets or []:
            cs.widget_states.widgets.append(w)
        await self.ws.send(msg.SerializeToString())

    async def _next(self, timeout: float):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        data = await asyncio.wait_for(self.ws.recv(), timeout)
        m = ForwardMsg()
        m.ParseFromString(data)
        return m

    def _absorb(self, m) -> str | None:
        """Update state from one ForwardMsg; returns 'full', 'fragment', 'early', 'error'
        when a script run ends, else None."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        kind = m.WhichOneof("type")
        if self.verbose:
            print(f"{time.monotonic():.2f} {self.session_id[:8]} {kind}", file=sys.stderr)
        if kind == "new_session":
            self.session_id = m.new_session.initialize.session_id or self.session_id
            self.run_kinds, self.run_progress = [], []
            if not m.metadata.run.fragment_ids:  # a full run redraws everything
                self.widgets, self.auto = {}, {}
        elif kind == "navigation":  # st.navigation names the page being shown
            nav = m.navigation
            self.page_hash = nav.page_script_hash or self.page_hash
            for page in nav.app_pages:
                if page.page_script_hash == self.page_hash:
                    self.page_url = page.url_pathname
        elif kind == "delta":
            d = m.delta
            if d.WhichOneof("type") == "new_element":
                el = d.new_element
                et = el.WhichOneof("type")
                self.run_kinds.append(et)
                if et == "progress":
                    self.run_progress.append(el.progress.text)
                elif et == "exception":
                    self.errors.append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
                elif et == "alert" and el.alert.format == el.alert.ERROR:
                    self.errors.append(f"st.error: {el.alert.body[:200]}")
                wid = getattr(getattr(el, et), "id", "") if et else ""
                if isinstance(wid, str) and wid.startswith("$$ID-"):
                    self.widgets[wid] = et
        elif kind == "auto_rerun":
            self.auto[m.auto_rerun.fragment_id] = m.auto_rerun.interval or POLL_FALLBACK
        elif kind == "stop_auto_rerun":
            ids = list(m.stop_auto_rerun.fragment_ids)
            for fid in ids or list(self.auto):
                self.auto.pop(fid, None)
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {m.page_not_found.page_name}")
        elif kind == "script_finished":
            st = m.script_finished
            if st == ForwardMsg.FINISHED_SUCCESSFULLY:
                return "full"
            if st == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                return "fragment"
            if st == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return "early"
            self.errors.append("script finished with a compile error")
            return "error"
        return None

    async def _until_run_end(self, deadline: float) -> str:
        """Read messages until a script run ends (any kind); returns its kind."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no script_finished before the deadline")
            end = self._absorb(await self._next(left))
            if end is not None:
                return end

    async def visit(
        self,
        result: PageResult,
        deadline: float,
        *,
        page_name: str = "",
        widgets: list[Any] | None = None,
        wait_ready: bool = True,
    ) -> None:
        """Open a page (or rerun the current one with ``widgets``) and wait for its first
        full run, and with ``wait_ready`` until a full run leaves no progress bar."""
        t0 = time.monotonic()
        n_err = len(self.errors)
        queued_until: float | None = None
        seen_queued = False
        if page_name:
            self.page_name = "" if page_name in DEFAULT_PAGE else page_name
        self.run_kinds, self.run_progress = [], []
        await self._send_rerun(navigate=bool(page_name), widgets=widgets)
        try:
            while True:
                end = await self._until_run_end(deadline)
                now = time.monotonic()
                texts = list(self.run_progress)
                if texts:
                    result.trained = True
                    if any(self.queued.search(x) for x in texts):
                        seen_queued = True
                    elif seen_queued and queued_until is None:
                        queued_until = now
                if end == "full":
                    if result.page_s is None:
                        result.page_s = now - t0
                    result.elements = len(self.run_kinds)
                    if self.page_url != self.page_name:
                        result.errors.append(f"rendered page {self.page_url!r} instead of {self.page_name!r}")
                        break
                    if not texts:
                        result.ready_s = now - t0
                        break
                    if not wait_ready:
                        break
                if end == "error":
                    break
                if end == "early":  # st.rerun() from the fragment: the full run follows
                    self.run_kinds, self.run_progress = [], []
                    continue
                # still training: replay the browser's fragment poll after its interval
                self.run_progress = []
                if end == "full":
                    self.run_kinds = []
                if not self.auto:
                    raise RuntimeError("progress bar shown but no fragment auto-rerun")
                frag, interval = next(iter(self.auto.items()))
                await asyncio.sleep(max(0.05, min(interval, deadline - time.monotonic())))
                await self._send_rerun(fragment_id=frag, auto=True)
        except TimeoutError:
            result.errors.append(TIMEOUT)
        finally:
            result.errors.extend(self.errors[n_err:])
            if result.trained and wait_ready:  # waits are only known when followed
                if seen_queued:
                    end_q = queued_until or (result.ready_s and t0 + result.ready_s)
                    result.job_wait_s = (end_q - t0) if end_q else None
                else:
                    result.job_wait_s = 0.0

    def form_submission(self, lesson: str, values: dict[str, Any]) -> list[Any]:
        """Widget states the browser sends when the lesson's settings form is submitted
        with ``values`` (name -> int/float) changed; raises if a widget is missing."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        states = []
        submit = [w for w in self.widgets if f"FormSubmitter:{lesson}.form" in w]
        if not submit:
            raise RuntimeError(f"no submit button of form {lesson}.form on the page")
        for name, value in values.items():
            ids = [w for w in self.widgets if w.endswith(f"-{lesson}.w.{name}")]
            if not ids:
                raise RuntimeError(f"no widget {lesson}.w.{name} on the page")
            ws = WidgetState(id=ids[0])
            if isinstance(value, int):
                ws.int_value = value
            else:
                ws.double_value = float(value)
            states.append(ws)
        states.append(WidgetState(id=submit[0], trigger_value=True))
        return states


async def run_session(
    index: int,
    ws_url: str,
    origin: str,
    pages: list[str],
    train: str | None,
    wait: set[str],
    deadline: float,
    start_delay: float,
    queued: re.Pattern,
    seed_base: int,
) -> SessionResult:
    res = SessionResult(index)
    await asyncio.sleep(start_delay)
    s = ProtocolSession(ws_url, origin, queued, verbose=bool(os.environ.get("LOADTEST_DEBUG")))
    try:
        await s.connect()
        for page in pages:
            pr = PageResult(page, "open")
            res.pages.append(pr)
            await s.visit(pr, deadline, page_name=page, wait_ready=page in wait)
            if TIMEOUT in pr.errors:
                break  # out of time: the remaining pages are not visited
            if page == train and pr.ready_s is not None and not pr.errors:
                tr = PageResult(page, "train")
                res.pages.append(tr)
                try:
                    widgets = s.form_submission(page, {"seed": seed_base + index})
                except RuntimeError as exc:
                    tr.errors.append(str(exc))
                else:
                    await s.visit(tr, deadline, widgets=widgets)
                    if not tr.trained and not tr.errors:
                        tr.errors.append("form submitted but no training job was seen")
                    if TIMEOUT in tr.errors:
                        break
        res.session_id = s.session_id
        res.complete = (
            len({p.page for p in res.pages}) == len(pages)
            and all(p.page_s is not None and not p.errors for p in res.pages)
            and all(p.ready_s is not None for p in res.pages if p.page in wait or p.action == "train")
        )
    except Exception as exc:  # noqa: BLE001  (every failure is a counted error)
        res.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        try:
            await s.close()
        except Exception:  # noqa: BLE001
            pass
    return res


async def prime(ws_url: str, origin: str, pages: list[str], timeout: float) -> list[str]:
    """One session opens every page once (first render only) so that imports and
    first-run compilation are not charged to the measured sessions (the soak test opens its
    sessions with it too); returns errors."""
    s = ProtocolSession(ws_url, origin, _queued_pattern())
    errors: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        await s.connect()
        for page in pages:
            pr = PageResult(page, "open")
            await s.visit(pr, deadline, page_name=page, wait_ready=False)
            errors.extend(pr.errors)
    except Exception as exc:  # noqa: BLE001
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        try:
            await s.close()
        except Exception:  # noqa: BLE001
            pass
    return errors


async def drive(
    ws_url: str,
    origin: str,
    n: int,
    pages: list[str],
    train: str | None,
    wait: set[str],
    duration: float,
    ramp: float,
    seed_base: int,
) -> list[SessionResult]:
    deadline = time.monotonic() + duration
    queued = _queued_pattern()
    rng = random.Random(0)
    tasks = [
        asyncio.create_task(
            run_session(
                i,
                ws_url,
                origin,
                pages,
                train,
                wait,
                deadline,
                rng.uniform(0, ramp) if ramp > 0 else 0.0,
                queued,
                seed_base,
            )
        )
        for i in range(n)
    ]
    done, pending = await asyncio.wait(tasks, timeout=duration + 15)
    for t in pending:
        t.cancel()
    out = []
    for i, t in enumerate(tasks):
        if t in done and not t.cancelled() and t.exception() is None:
            out.append(t.result())
        else:
            out.append(SessionResult(i, errors=[TIMEOUT]))
    return out


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------


def summarize(sessions: list[SessionResult], n_pages: int) -> dict[str, Any]:
    pages = [p for s in sessions for p in s.pages]
    opens = [p for p in pages if p.action == "open"]
    trains = [p for p in pages if p.action == "train"]
    problems = [e for s in sessions for e in s.errors] + [e for p in pages for e in p.errors]
    errors = [e for e in problems if e != TIMEOUT]

    def stats(vals: list[float | None]) -> dict[str, Any]:
        v = [x for x in vals if x is not None]
        return {
            "n": len(v),
            "p50": percentile(v, 50),
            "p95": percentile(v, 95),
            "max": max(v) if v else None,
            "mean": statistics.fmean(v) if v else None,
        }

    per_page = {}
    for name in dict.fromkeys(p.page for p in opens):
        ps = [p for p in opens if p.page == name]
        per_page[name] = {
            "page_s": stats([p.page_s for p in ps]),
            "ready_s": stats([p.ready_s for p in ps]),
            "trained": sum(p.trained for p in ps),
        }
    return {
        "sessions": len(sessions),
        "sessions_complete": sum(s.complete for s in sessions),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:20],
        "timeouts": len(problems) - len(errors),
        "pages_not_reached": sum(n_pages - len({p.page for p in s.pages}) for s in sessions),
        "page_s": stats([p.page_s for p in opens]),
        "ready_s": stats([p.ready_s for p in opens]),
        "per_page": per_page,
        "train_s": stats([p.ready_s for p in trains]),
        "job_wait_s": stats([p.job_wait_s for p in pages if p.trained]),
        "jobs_seen": sum(p.trained for p in pages),
    }


def _fmt(v: float | None, unit: str = "s") -> str:
    return "-" if v is None else f"{v:.2f} {unit}"


def print_table(rep: dict[str, Any]) -> None:
    s = rep["summary"]
    mem = rep["memory"]
    rows = [
        ("sessions (complete)", f"{s['sessions']} ({s['sessions_complete']})"),
        ("errors", str(s["errors"])),
        ("timeouts (pages not reached)", f"{s['timeouts']} ({s['pages_not_reached']})"),
    ]
    for key, label in (
        ("page_s", "page time"),
        ("ready_s", "page ready"),
        ("train_s", "train (form submit)"),
        ("job_wait_s", "job wait"),
    ):
        st = s[key]
        rows.append((f"{label} p50 / p95 (n)", f"{_fmt(st['p50'])} / {_fmt(st['p95'])} ({st['n']})"))
    for name, pp in s["per_page"].items():
        rows.append((f"  {name}: page p50 / p95", f"{_fmt(pp['page_s']['p50'])} / {_fmt(pp['page_s']['p95'])}"))
    mb = lambda b: "-" if b is None else f"{b / 2**20:.0f} MB"  # noqa: E731
    rows.append(
        (
            "server RSS start / peak / end",
            f"{mb(mem['start_bytes'])} / {mb(mem['peak_bytes'])} / {mb(mem['end_bytes'])}",
        )
    )
    cpu = rep["server_cpu_s"]
    rows.append(("server CPU during load", "-" if cpu is None else f"{cpu:.1f} s"))
    rows.append(("wall time", f"{rep['wall_s']:.1f} s"))
    la = rep["loadavg_start"]
    rows.append(
        ("machine load avg (1 min) start/end", f"{la[0]:.1f} / {rep['loadavg_end'][0]:.1f} on {rep['cpu_count']} cores")
    )
    w = max(len(r[0]) for r in rows)
    print(f"loadtest {rep['url']}  max_jobs={rep['max_jobs']}  pages={','.join(rep['pages'])}  train={rep['train']}")
    for k, v in rows:
        print(f"  {k:<{w}}  {v}")
    for e in s["error_samples"][:5]:
        print(f"  error: {e}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sessions", type=int, default=20, help=f"concurrent sessions (1..{MAX_SESSIONS})")
    ap.add_argument(
        "--duration", type=float, default=180.0, help=f"cap in seconds on the whole run (1..{MAX_DURATION:.0f})"
    )
    ap.add_argument(
        "--pages", default="home,intro,pca", help="comma-separated url paths opened in order by every session"
    )
    ap.add_argument(
        "--wait",
        default=None,
        help="pages whose training (progress bar) is awaited after opening "
        "(comma-separated; default: the --train page)",
    )
    ap.add_argument(
        "--train", default="intro", help="lesson whose form each session submits with its own seed ('' = none)"
    )
    ap.add_argument("--ramp", type=float, default=2.0, help="sessions start at random times within this many seconds")
    ap.add_argument(
        "--seed-base",
        type=int,
        default=None,
        help="session i submits seed seed_base+i (default: random, so results cached by an earlier run are not reused)",
    )
    ap.add_argument("--url", help="use this running server (loopback only) instead of starting one")
    ap.add_argument("--server-pid", type=int, help="PID of the --url server, for its memory")
    ap.add_argument("--max-jobs", type=int, help="AE_MAX_JOBS for the server this script starts")
    ap.add_argument("--warmup", action="store_true", help="let the started server warm up UMAP (AE_WARMUP=1)")
    ap.add_argument(
        "--no-prime", action="store_true", help="skip the unmeasured first visit of every page (cold server)"
    )
    ap.add_argument("--out", help="JSON report path (default artifacts/loadtest-N<n>-<time>.json)")
    args = ap.parse_args(argv)

    if not 1 <= args.sessions <= MAX_SESSIONS:
        ap.error(f"--sessions must be within 1..{MAX_SESSIONS}")
    if not 1 <= args.duration <= MAX_DURATION:
        ap.error(f"--duration must be within 1..{MAX_DURATION:.0f} s")
    if args.ramp < 0 or args.ramp > args.duration:
        ap.error("--ramp must be within 0..duration")
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    if not pages or len(pages) > 10:
        ap.error("--pages needs 1..10 pages")
    train = args.train.strip() or None
    if train and train not in pages:
        ap.error(f"--train {train!r} must be one of --pages")
    wait = {p.strip() for p in (args.wait if args.wait is not None else (train or "")).split(",") if p.strip()}
    if train:
        wait.add(train)

    seed_base = args.seed_base if args.seed_base is not None else random.SystemRandom().randrange(10_000, 2**30)
    server: Server | None = None
    t_start = time.monotonic()
    if args.url:
        try:
            host, port = check_loopback(args.url)
        except ValueError as exc:
            ap.error(str(exc))
        base = f"http://{_host_in_url(host)}:{port}"
        pid = args.server_pid or find_listening_pid(port)
        startup_s = None
    else:
        server = Server(args.max_jobs, args.warmup)
        base, pid = server.base, server.pid
        try:
            startup_s = wait_healthy(base, 90, server.proc)
        except (TimeoutError, RuntimeError) as exc:
            print(f"server did not start: {exc}\n{server.tail()}", file=sys.stderr)
            server.stop()
            return 2
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    prime_errors: list[str] = []
    if not args.no_prime:
        prime_errors = asyncio.run(prime(ws_url, base, pages, min(120.0, args.duration)))
        time.sleep(1.0)  # let the primer's cancelled jobs wind down
    sampler = MemorySampler(pid).start()
    time.sleep(0.5)
    rss_start = sampler.rss()
    cpu_start = sampler.cpu_seconds()
    load_start = os.getloadavg()
    t_load = time.monotonic()
    try:
        sessions = asyncio.run(
            drive(ws_url, base, args.sessions, pages, train, wait, args.duration, args.ramp, seed_base)
        )
    finally:
        rss_end = sampler.rss()
        cpu_end = sampler.cpu_seconds()
        load_end = os.getloadavg()
        sampler.stop()
        if server is not None:
            log_tail = server.tail(60)
            server.stop()
        else:
            log_tail = ""
    wall = time.monotonic() - t_load

    summary = summarize(sessions, len(pages))
    report = {
        "url": base,
        "started_server": server is not None,
        "server_startup_s": startup_s,
        "sessions_requested": args.sessions,
        "duration_cap_s": args.duration,
        "pages": pages,
        "train": train,
        "wait_ready": sorted(wait),
        "ramp_s": args.ramp,
        "seed_base": seed_base,
        "max_jobs": args.max_jobs if server is not None else None,
        "cpu_count": os.cpu_count(),
        "loadavg_start": load_start,
        "loadavg_end": load_end,
        "primed": not args.no_prime,
        "prime_errors": prime_errors,
        "server_cpu_s": (cpu_end - cpu_start) if cpu_end is not None and cpu_start is not None else None,
        "wall_s": wall,
        "total_s": time.monotonic() - t_start,
        "memory": {
            "pid": pid,
            "start_bytes": rss_start,
            "peak_bytes": sampler.peak or None,
            "end_bytes": rss_end,
            "series": sampler.samples[:: max(1, len(sampler.samples) // 300)],
        },
        "summary": summary,
        "sessions_detail": [asdict(s) for s in sessions],
        "server_log_tail": log_tail if summary["errors"] else "",
    }
    out = (
        Path(args.out)
        if args.out
        else (ROOT / "artifacts" / f"loadtest-N{args.sessions}-{time.strftime('%Y%m%dT%H%M%S')}.json")
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1))
    print_table(report)
    print(f"  report: {out}")
    ok = summary["errors"] == 0 and summary["timeouts"] == 0 and summary["sessions_complete"] == args.sessions
    return 0 if ok and not prime_errors else 1


if __name__ == "__main__":
    sys.exit(main())
