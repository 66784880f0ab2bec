"""The MNIST downloader against a local HTTP server on loopback (``http.server`` in a thread)
serving tiny IDX gz files made here: success, mirror fallback, a truncated file, a wrong
checksum, a wrong shape, a stalled server, no server at all, a busy lock. Never the network."""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from aecore.io import download, mnist_files, netcheck
from aecore.io.download import DownloadError, Remote, fetch
from aecore.io.mnist import clear_cache, load_mnist

ROWS = {"train": 12, "t10k": 5}


def _idx(arr: np.ndarray) -> bytes:
    return bytes([0, 0, 8, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.astype(np.uint8).tobytes()


def tiny_files(side: int = 28) -> dict[str, bytes]:
    """The four gz files of a tiny MNIST-format data set (``side`` != 28: a wrong shape)."""
    rng, out = np.random.default_rng(0), {}
    for split, n in ROWS.items():
        out[f"{split}-images-idx3-ubyte.gz"] = gzip.compress(_idx(rng.integers(0, 256, (n, side, side))))
        out[f"{split}-labels-idx1-ubyte.gz"] = gzip.compress(_idx(rng.integers(0, 10, n)))
    return out


def manifest(files: dict[str, bytes]) -> list[Remote]:
    """Remote entries for ``files`` in the published order (sizes and SHA-256 of these bytes)."""
    order = [f"{s}.gz" for pair in mnist_files.IDX_FILES.values() for s in pair]
    return [
        Remote(n, len(files[n]), hashlib.sha256(files[n]).hexdigest(), ROWS[n.split("-")[0]], 3 if "images" in n else 1)
        for n in order
    ]


class Server:
    """Serves ``routes[path] = (bytes, mode)``; mode "ok", "truncate" (announces the full
    length, sends half, closes), "stall" (headers, then nothing until released), "404"."""

    def __init__(self):
        self.routes: dict[str, tuple[bytes, str]] = {}
        self.release = threading.Event()
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                outer.hits.append(self.path)
                body, mode = outer.routes.get(self.path, (b"", "404"))
                if mode == "404":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode == "stall":
                    outer.release.wait(30)
                    return
                self.wfile.write(body[: len(body) // 2] if mode == "truncate" else body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, files: dict[str, bytes], prefix: str = "/", mode: str = "ok", only: str | None = None):
        for name, body in files.items():
            self.routes[prefix + name] = (body, mode if only in (None, name) else "ok")

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def _nothing_saved(folder):
    assert not mnist_files.available("mnist", folder)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_download_checks_and_installs_the_files(server, tmp_path):
    files = tiny_files()
    server.serve(files)
    seen = []
    fetch("mnist", tmp_path, urls=[server.url], files=manifest(files), on_progress=lambda d, t: seen.append((d, t)))
    total = sum(map(len, files.values()))
    assert seen[-1] == (total, total) and all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    assert mnist_files.available("mnist", tmp_path)
    ds = load_mnist("mnist", "train", folder=tmp_path)
    assert ds.X.shape == (ROWS["train"], 784) and ds.image_shape == (28, 28)
    assert sorted(p.name for p in (tmp_path / "mnist").iterdir()) == sorted(files)
    assert [p.name for p in tmp_path.iterdir()] == ["mnist"]


def test_temporary_folders_of_a_killed_download_are_cleaned_up(server, tmp_path):
    old, recent = tmp_path / ".mnist-download-old", tmp_path / ".mnist-download-recent"
    old.mkdir()
    recent.mkdir()  # perhaps another process's download, under way
    os.utime(old, (0, 0))
    files = tiny_files()
    server.serve(files)
    fetch("mnist", tmp_path, urls=[server.url], files=manifest(files))
    assert not old.exists() and recent.exists()


def test_a_failing_mirror_is_skipped(server, tmp_path):
    files = tiny_files()
    server.serve(files, prefix="/second/")
    fetch("mnist", tmp_path, urls=[server.url + "first/", server.url + "second/"], files=manifest(files))
    assert mnist_files.available("mnist", tmp_path)
    assert any(h.startswith("/first/") for h in server.hits)


@pytest.mark.parametrize(
    "mode,code", [("truncate", "download_truncated"), ("404", "download_http")], ids=["truncated", "missing"]
)
def test_a_broken_file_saves_nothing(server, tmp_path, mode, code):
    files = tiny_files()
    server.serve(files, mode=mode, only="t10k-images-idx3-ubyte.gz")  # the third file: two were fine
    with pytest.raises(DownloadError) as info:
        fetch("mnist", tmp_path, urls=[server.url], files=manifest(files))
    assert info.value.code == code and "t10k-images-idx3-ubyte.gz" in str(info.value)
    _nothing_saved(tmp_path)


def test_a_wrong_checksum_saves_nothing(server, tmp_path):
    files = tiny_files()
    server.serve(files)
    wanted = manifest(files)
    wanted[1] = Remote(wanted[1].name, wanted[1].size, "0" * 64, wanted[1].rows, 1)
    with pytest.raises(DownloadError) as info:
        fetch("mnist", tmp_path, urls=[server.url], files=wanted)
    assert info.value.code == "download_checksum" and "train-labels-idx1-ubyte.gz" in str(info.value)
    _nothing_saved(tmp_path)


def test_a_wrong_size_saves_nothing(server, tmp_path):
    files = tiny_files()
    server.serve(files)
    wanted = manifest(files)
    wanted[0] = Remote(wanted[0].name, wanted[0].size - 10, wanted[0].sha256, wanted[0].rows, 3)
    with pytest.raises(DownloadError) as info:
        fetch("mnist", tmp_path, urls=[server.url], files=wanted)
    assert info.value.code == "download_size"
    _nothing_saved(tmp_path)


def test_a_wrong_shape_or_count_saves_nothing(server, tmp_path):
    """Files whose checksums match the manifest but whose contents are not MNIST's shape."""
    bad = tiny_files(side=27)
    server.serve(bad)
    with pytest.raises(Exception) as info:
        fetch("mnist", tmp_path, urls=[server.url], files=manifest(bad))
    assert getattr(info.value, "code", None) == "idx_shape_images"
    _nothing_saved(tmp_path)
    files = tiny_files()
    server.serve(files)
    wanted = [Remote(r.name, r.size, r.sha256, r.rows + 1, r.ndim) for r in manifest(files)]
    with pytest.raises(DownloadError) as info:
        fetch("mnist", tmp_path, urls=[server.url], files=wanted)
    assert info.value.code == "download_rows"
    _nothing_saved(tmp_path)


def test_a_stalled_server_times_out(server, tmp_path):
    files = tiny_files()
    server.serve(files, mode="stall", only="train-images-idx3-ubyte.gz")
    with pytest.raises(DownloadError) as info:
        fetch("mnist", tmp_path, urls=[server.url], files=manifest(files), timeout=0.5)
    assert info.value.code == "download_stalled"
    _nothing_saved(tmp_path)


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_offline_is_a_clear_message_and_the_probe_says_so(server, tmp_path):
    dead = _closed_port_url()
    with pytest.raises(DownloadError) as info:
        fetch("mnist", tmp_path, urls=[dead], files=manifest(tiny_files()), timeout=2)
    assert info.value.code == "download_offline" and "127.0.0.1" in str(info.value)
    assert str(tmp_path) not in str(info.value)
    _nothing_saved(tmp_path)
    assert netcheck.probe(server.url) and not netcheck.probe(dead, timeout=2)


def test_a_hanging_name_lookup_does_not_hang_the_download(tmp_path, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(netcheck.socket, "getaddrinfo", lambda *a, **k: release.wait(30) and [])
    try:
        with pytest.raises(DownloadError) as info:
            fetch("mnist", tmp_path, urls=["http://mirror.invalid/"], files=manifest(tiny_files()), timeout=0.3)
        assert info.value.code == "download_offline" and "mirror.invalid" in str(info.value)
        assert not netcheck.probe("http://mirror.invalid/", timeout=0.3)
    finally:
        release.set()
    _nothing_saved(tmp_path)


def _settled(url: str, ttl: float = 300.0) -> bool | None:
    """``online(url)`` once no probe of its host runs any more."""
    key = ("127.0.0.1", int(url.rstrip("/").rsplit(":", 1)[1]))
    for _ in range(200):
        if not netcheck._probes[key][2]:
            break
        threading.Event().wait(0.05)
    return netcheck.online(url, ttl)


def test_online_never_blocks_and_remembers_its_answer(server):
    assert netcheck.online(server.url) is None  # the first probe runs in the background
    assert _settled(server.url) is True
    server.close()
    assert netcheck.online(server.url) is True  # remembered for ttl seconds
    netcheck.online(server.url, ttl=0)  # too old: probe again
    assert _settled(server.url) is False


def test_one_download_of_a_kind_at_a_time(tmp_path):
    with download._LOCKS["mnist"]:
        with pytest.raises(DownloadError) as info:
            fetch("mnist", tmp_path, urls=["http://127.0.0.1:9/"], files=manifest(tiny_files()))
    assert info.value.code == "download_busy"


def test_a_read_only_data_folder_is_a_clear_message(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(DownloadError) as info:
        fetch("mnist", tmp_path / "file" / "data", urls=["http://127.0.0.1:9/"], files=manifest(tiny_files()))
    assert info.value.code == "download_not_writable" and str(tmp_path) not in str(info.value)


def test_mirrors_come_from_the_environment(monkeypatch):
    assert download.mirrors("mnist") == download.MIRRORS["mnist"]
    monkeypatch.setenv("AE_FASHION_MNIST_MIRRORS", "http://a.example/x, https://b.example/y/")
    assert download.mirrors("fashion_mnist") == ("http://a.example/x/", "https://b.example/y/")
    monkeypatch.setenv("AE_MNIST_MIRRORS", "file:///etc/")
    with pytest.raises(DownloadError) as info:
        download.mirrors("mnist")
    assert info.value.code == "download_bad_mirror"


def test_published_files_match_the_loader_and_are_about_the_announced_size():
    assert set(download.FILES) == {"mnist", "fashion_mnist"}
    for files in download.FILES.values():
        assert [r.name for r in files] == [f"{s}.gz" for pair in mnist_files.IDX_FILES.values() for s in pair]
        assert [r.rows for r in files] == [60000, 60000, 10000, 10000]
        assert all(len(r.sha256) == 64 for r in files)
    assert 11e6 < download.total_bytes("mnist") < 12e6 and 30e6 < download.total_bytes("fashion_mnist") < 32e6


def test_downloading_can_be_turned_off(monkeypatch):
    assert download.enabled()
    monkeypatch.setenv("AE_DOWNLOAD", "0")
    assert not download.enabled()
