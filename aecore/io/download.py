"""Download MNIST or Fashion-MNIST's four IDX files, check them, and cache them atomically.

The files are the four gzip-compressed IDX files each data set was published as (MNIST:
LeCun, Bottou, Bengio & Haffner 1998; Fashion-MNIST: Xiao, Rasul & Vollgraf 2017). Each
file is checked twice before it counts: its size and SHA-256 against the published values
(``FILES``: as listed in TensorFlow Datasets' ``url_checksums`` and repeated by several
independent projects), then by parsing it (``aecore.io.mnist``: magic number, element
type, 28×28 images, item count = ``Remote.rows``, labels 0-9). Files are written to a
temporary folder inside the data folder and moved into ``<data>/<kind>/`` (a rename on
one file system) only when all four passed: a download that stops halfway, fails a check
or is interrupted leaves nothing that counts (``aecore.io.mnist_files.available``).

Mirrors: ``AE_MNIST_MIRRORS`` / ``AE_FASHION_MNIST_MIRRORS`` (http(s) base URLs separated
by spaces or commas) replace the defaults; each file is tried on each mirror in turn.
``AE_DOWNLOAD=0`` turns downloading off. Every socket operation times out after
``timeout`` seconds (a stalled server) and a whole download after ``deadline`` (a
trickling one). Nothing is fetched unless asked; messages never name a server folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.client import HTTPException, IncompleteRead
from pathlib import Path
from urllib.parse import urlsplit

from aecore.errors import DataError
from aecore.io import netcheck
from aecore.io.mnist import N_CLASSES, clear_cache, read_idx_file
from aecore.io.mnist_files import data_dir

TIMEOUT_S, DEADLINE_S, CHUNK = 10.0, 900.0, 1 << 16


class DownloadError(DataError):
    """A download failed; nothing was saved. The message says why and what to do."""


@dataclass(frozen=True)
class Remote:
    name: str  # file name on the mirror and in <data>/<kind>/
    size: int  # bytes of the .gz file
    sha256: str
    rows: int  # items its IDX header must declare
    ndim: int  # 3: images (rows, 28, 28); 1: labels (rows,)


# Published sizes and SHA-256 of the gzip files (TensorFlow Datasets' url_checksums).
_PUBLISHED = """
mnist train-images-idx3-ubyte.gz 9912422 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609
mnist train-labels-idx1-ubyte.gz 28881 3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c
mnist t10k-images-idx3-ubyte.gz 1648877 8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6
mnist t10k-labels-idx1-ubyte.gz 4542 f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6
fashion_mnist train-images-idx3-ubyte.gz 26421880 3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84
fashion_mnist train-labels-idx1-ubyte.gz 29515 a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845
fashion_mnist t10k-images-idx3-ubyte.gz 4422102 346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073
fashion_mnist t10k-labels-idx1-ubyte.gz 5148 67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5
"""


def _published() -> dict[str, tuple[Remote, ...]]:
    out: dict[str, list[Remote]] = {}
    for line in _PUBLISHED.split("\n"):
        if line:
            kind, name, size, sha = line.split()
            rows, ndim = (60000 if name.startswith("train") else 10000), (3 if "images" in name else 1)
            out.setdefault(kind, []).append(Remote(name, int(size), sha, rows, ndim))
    return {k: tuple(v) for k, v in out.items()}


FILES = _published()  # kind -> its four files, in the order of aecore.io.mnist_files.IDX_FILES
MIRRORS = {
    "mnist": (
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
    ),
    "fashion_mnist": (
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",  # plain http: the checksum guards it
    ),
}
_LOCKS = {kind: threading.Lock() for kind in FILES}
Progress = Callable[[int, int], object]  # (bytes received, bytes in all) -> ignored


def enabled() -> bool:
    """False when the server's administrator set ``AE_DOWNLOAD=0``."""
    return os.environ.get("AE_DOWNLOAD", "1") != "0"


def mirrors(kind: str) -> tuple[str, ...]:
    """Base URLs to try in turn: ``AE_<KIND>_MIRRORS`` when set, else ``MIRRORS[kind]``."""
    env = os.environ.get(f"AE_{kind.upper()}_MIRRORS", "").replace(",", " ").split()
    urls = tuple(u if u.endswith("/") else u + "/" for u in env) or MIRRORS[kind]
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise DownloadError(
                f"the mirror {url!r} set in AE_{kind.upper()}_MIRRORS is not an http(s) address.",
                code="download_bad_mirror",
                params=dict(url=url, variable=f"AE_{kind.upper()}_MIRRORS"),
            )
    return urls


def total_bytes(kind: str) -> int:
    return sum(r.size for r in FILES[kind])


def fetch(
    kind: str,
    folder: str | os.PathLike | None = None,
    *,
    on_progress: Progress | None = None,
    urls: Sequence[str] | None = None,
    files: Sequence[Remote] | None = None,
    timeout: float = TIMEOUT_S,
    deadline: float = DEADLINE_S,
) -> None:
    """Download ``kind``'s four files into ``<folder>/<kind>/`` (folder: the data folder),
    checked as the module says; ``DownloadError`` (nothing saved) otherwise. One download
    of a kind at a time in this process: a second caller is told to wait."""
    files, urls = tuple(files or FILES[kind]), tuple(urls or mirrors(kind))
    lock = _LOCKS[kind]
    if not lock.acquire(blocking=False):
        raise DownloadError(
            f"{kind} is being downloaded already (another user asked first); wait a minute and reload the page.",
            code="download_busy",
            params=dict(kind=kind),
        )
    try:
        base = Path(folder) if folder is not None else data_dir()
        work = _workdir(base, kind)
        try:
            _download_all(files, urls, work, on_progress, timeout, time.monotonic() + deadline)
            _check_parsed(work, files)
            (base / kind).mkdir(exist_ok=True)
            for r in files:  # all four passed: move them in (atomic renames on one file system)
                os.replace(work / r.name, base / kind / r.name)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        lock.release()
    clear_cache()


def _workdir(base: Path, kind: str) -> Path:
    """A new temporary folder in ``base`` (same file system: the final moves are renames);
    those left by a process killed mid-download, an hour old or more, are removed."""
    try:
        base.mkdir(parents=True, exist_ok=True)
        for old in base.glob(f".{kind}-download-*"):
            if time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix=f".{kind}-download-", dir=base))
    except OSError:
        raise DownloadError(
            "the app's data folder cannot be written on this server; ask its administrator to add the files.",
            code="download_not_writable",
        ) from None


def _download_all(files, urls, work: Path, on_progress: Progress | None, timeout: float, until: float) -> None:
    total, done = sum(r.size for r in files), 0
    for remote in files:
        errors: list[DownloadError] = []
        for base_url in urls:
            report = (lambda got, d=done: on_progress(d + got, total)) if on_progress else (lambda got: None)
            try:
                _stream(base_url + remote.name, work / remote.name, remote, report, timeout, until)
                break
            except DownloadError as exc:
                errors.append(exc)
        else:
            raise _offline(errors) if all(e.code == "download_unreachable" for e in errors) else errors[-1]
        done += remote.size


def _offline(errors: list[DownloadError]) -> DownloadError:
    hosts = ", ".join(dict.fromkeys(str(e.params["host"]) for e in errors))
    return DownloadError(
        f"this server could not reach {hosts}: it is offline or a firewall blocks it. "
        "Add the files by hand (see data/README.md).",
        code="download_offline",
        params=dict(hosts=hosts),
    )


def _stream(url: str, dest: Path, r: Remote, report: Callable[[int], object], timeout: float, until: float) -> None:
    """One file into ``dest``: bounded size, SHA-256 computed on the way, errors coded."""
    parts, digest, got = urlsplit(url), hashlib.sha256(), 0
    host, port = parts.hostname or "?", parts.port or (443 if parts.scheme == "https" else 80)
    if netcheck.resolve(host, port, timeout) is None:  # urlopen's own lookup could wait far longer
        raise _fail(code="download_unreachable", params=dict(name=r.name, host=host))
    request = urllib.request.Request(url, headers={"User-Agent": "autoencoder-lab"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp, dest.open("wb") as out:
            length = resp.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) != r.size:
                raise _fail(code="download_size", params=dict(name=r.name, host=host, got=int(length), size=r.size))
            while chunk := resp.read(CHUNK):
                got += len(chunk)
                if got > r.size:
                    raise _fail(code="download_size", params=dict(name=r.name, host=host, got=got, size=r.size))
                if time.monotonic() > until:
                    raise _fail(code="download_too_slow", params=dict(name=r.name, host=host))
                digest.update(chunk)
                out.write(chunk)
                report(got)
    except urllib.error.HTTPError as exc:
        raise _fail(code="download_http", params=dict(name=r.name, host=host, status=exc.code)) from None
    except IncompleteRead:
        raise _fail(code="download_truncated", params=dict(name=r.name, host=host, got=got, size=r.size)) from None
    except TimeoutError:  # while reading (a connection timeout arrives as a URLError)
        raise _fail(code="download_stalled", params=dict(name=r.name, host=host, timeout=f"{timeout:g}")) from None
    except (urllib.error.URLError, HTTPException, ConnectionError):
        raise _fail(code="download_unreachable", params=dict(name=r.name, host=host)) from None
    except OSError:  # the file could not be written (disk full ...)
        raise _fail(code="download_write", params=dict(name=r.name)) from None
    if got < r.size:
        raise _fail(code="download_truncated", params=dict(name=r.name, host=host, got=got, size=r.size))
    if digest.hexdigest() != r.sha256:
        raise _fail(code="download_checksum", params=dict(name=r.name, host=host))


_TEXTS = {
    "download_size": "{name} from {host} is {got} bytes, not the {size} published; nothing was saved.",
    "download_truncated": "{name} from {host} stopped after {got} of {size} bytes; nothing was saved. Try again.",
    "download_checksum": "{name} from {host} does not match the published checksum (damaged or another file); "
    "nothing was saved.",
    "download_http": "{host} answered {status} for {name}; nothing was saved.",
    "download_stalled": "{host} stopped sending {name} (no data for {timeout} s); nothing was saved. Try again later.",
    "download_unreachable": "{host} could not be reached for {name}.",
    "download_too_slow": "downloading {name} from {host} took too long; nothing was saved. Try again later.",
    "download_write": "{name} could not be written to the app's data folder (full or read-only); nothing was saved.",
}


def _fail(code: str, params: dict[str, object]) -> DownloadError:
    """A failed file's coded error: English text from ``_TEXTS``; the UI's from ``error.<code>``."""
    return DownloadError(_TEXTS[code].format(**params), code, params)


def _check_parsed(work: Path, files: Sequence[Remote]) -> None:
    """Parse every file as ``load_mnist`` will (magic, type, shape) and check its item count
    and, for labels, the range 0-9."""
    for r in files:
        arr = read_idx_file(work / r.name, r.ndim)
        if len(arr) != r.rows or (r.ndim == 1 and arr.size and int(arr.max()) >= N_CLASSES):
            raise DownloadError(
                f"{r.name} holds {len(arr)} items where {r.rows} labelled 0-9 were expected; nothing was saved.",
                code="download_rows",
                params=dict(name=r.name, got=len(arr), rows=r.rows),
            )


def online() -> bool | None:
    """Whether the first MNIST mirror is reachable (None: not known yet); never blocks."""
    return netcheck.online(mirrors("mnist")[0])
