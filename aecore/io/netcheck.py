"""Is the internet reachable from this machine? A TCP connection to a mirror's host, tried
in a background thread (a DNS lookup on an offline machine can take long) and remembered
for a few minutes, so that a page may ask on every rerun and never wait.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from urllib.parse import urlsplit

_probes: dict[tuple[str, int], list] = {}  # (host, port) -> [checked at, reachable or None, running]
_lock = threading.Lock()


def resolve(host: str, port: int, timeout: float) -> tuple | None:
    """The first address of ``host`` (``socket.getaddrinfo``, which has no timeout of its own:
    run in a daemon thread and waited for at most ``timeout`` s), or None."""
    found: list = []

    def lookup() -> None:
        with contextlib.suppress(OSError):
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))

    thread = threading.Thread(target=lookup, daemon=True)
    thread.start()
    thread.join(timeout)
    return found[0][4][:2] if found else None


def probe(url: str, timeout: float = 3.0) -> bool:
    """Whether ``url``'s host resolves and accepts a TCP connection, each within ``timeout`` s."""
    parts = urlsplit(url)
    address = resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80), timeout)
    if address is None:
        return False
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def online(url: str, ttl: float = 300.0) -> bool | None:
    """Whether ``url``'s host is reachable: the answer of a probe at most ``ttl`` seconds old,
    or None while the first probe runs (in a background thread: this never blocks)."""
    parts = urlsplit(url)
    key = (parts.hostname or "", parts.port or 0)
    with _lock:
        at, state, running = _probes.get(key, (0.0, None, False))
        if not running and (at == 0.0 or time.monotonic() - at > ttl):
            _probes[key] = [at, state, True]
            threading.Thread(target=_run_probe, args=(url, key), daemon=True).start()
    return state


def _run_probe(url: str, key: tuple[str, int]) -> None:
    state = probe(url)
    with _lock:
        _probes[key] = [time.monotonic(), state, False]
