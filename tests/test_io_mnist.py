"""MNIST loading from tiny fake IDX/NPZ files in tmp_path; never touches the network."""

from __future__ import annotations

import gzip
import io
import struct

import numpy as np
import pytest

from aecore.errors import DataError
from aecore.io import mnist
from aecore.io.mnist import IDX_FILES, clear_cache, load_mnist, parse_idx


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("fetch_openml must not be called")

    import sklearn.datasets

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", refuse)
    clear_cache()
    yield
    clear_cache()


def _idx(arr: np.ndarray) -> bytes:
    return bytes([0, 0, 8, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.astype(np.uint8).tobytes()


def _fake(n: int, seed: int):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n)


def _write_idx(folder, gz=True, n_train=12, n_test=5):
    folder.mkdir(parents=True)
    data = {}
    for split, n in (("train", n_train), ("test", n_test)):
        x, y = _fake(n, n)
        data[split] = (x, y)
        for stem, arr in zip(IDX_FILES[split], (x, y)):
            raw = _idx(arr)
            if gz:
                (folder / f"{stem}.gz").write_bytes(gzip.compress(raw))
            else:
                (folder / stem).write_bytes(raw)
    return data


@pytest.mark.parametrize("gz", [True, False])
def test_idx_folder(tmp_path, gz):
    data = _write_idx(tmp_path / "fashion_mnist", gz=gz)
    ds = load_mnist("fashion", "train", folder=tmp_path)
    x, y = data["train"]
    assert ds.X.shape == (12, 784) and ds.image_shape == (28, 28) and ds.X.dtype == np.float32
    np.testing.assert_allclose(ds.X, x.reshape(12, -1) / 255, rtol=1e-6)
    assert ds.y.tolist() == y.tolist() and not ds.X.flags.writeable
    both = load_mnist("fashion_mnist", "all", n=15, folder=tmp_path)
    assert both.n == 15 and both.y[12:].tolist() == data["test"][1][:3].tolist()


def test_npz_file_and_env_var(tmp_path, monkeypatch):
    (xt, yt), (xs, ys) = _fake(11, 1), _fake(4, 2)
    buf = io.BytesIO()
    np.savez_compressed(buf, x_train=xt, y_train=yt.astype(np.uint8), x_test=xs, y_test=ys)
    (tmp_path / "mnist.npz").write_bytes(buf.getvalue())
    monkeypatch.setenv("AE_DATA_DIR", str(tmp_path))
    assert mnist.data_dir() == tmp_path
    ds = load_mnist("mnist", "test")
    assert ds.n == 4 and ds.y.tolist() == ys.tolist() and ds.meta["source"].endswith("mnist.npz")


def test_missing_files_message_without_download(tmp_path):
    with pytest.raises(DataError, match="put mnist.npz .* in") as info:
        load_mnist("mnist", folder=tmp_path)
    assert "train-images-idx3-ubyte.gz" in str(info.value) and "AE_DATA_DIR" in str(info.value)


def test_openml_only_when_allowed(tmp_path, monkeypatch):
    import sklearn.datasets

    calls = []

    class Bunch:
        data = np.tile(np.arange(784, dtype=float) % 256, (70_000, 1))
        target = np.array([str(i % 10) for i in range(70_000)])

    def fake_fetch(name, **kw):
        calls.append((name, kw["data_home"]))
        return Bunch

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", fake_fetch)
    with pytest.raises(DataError):
        load_mnist("fashion_mnist", folder=tmp_path)
    assert calls == []
    ds = load_mnist("fashion_mnist", "test", n=20, folder=tmp_path, allow_download=True)
    assert calls == [("Fashion-MNIST", str(tmp_path.resolve() / "openml"))]
    assert ds.n == 20 and ds.y[:3].tolist() == [0, 1, 2] and float(ds.X.max()) == 1.0


def test_download_failure_is_a_dataerror(tmp_path, monkeypatch):
    import sklearn.datasets

    def offline(*a, **k):
        raise OSError("no network")

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", offline)
    with pytest.raises(DataError, match="OpenML failed.*put mnist.npz"):
        load_mnist("mnist", folder=tmp_path, allow_download=True)


@pytest.mark.parametrize(
    "raw, match",
    [
        (b"\x00\x00\x08", "magic"),
        (b"\x01\x00\x08\x03" + struct.pack(">3I", 1, 28, 28), "magic"),
        (b"\x00\x00\x0d\x03" + struct.pack(">3I", 1, 28, 28), "element type"),
        (b"\x00\x00\x08\x02" + struct.pack(">2I", 1, 784), "dimension"),
        (b"\x00\x00\x08\x03" + struct.pack(">3I", 10**9, 28, 28), "declares shape"),
        (b"\x00\x00\x08\x03" + struct.pack(">3I", 2, 32, 32), "declares shape"),
        (b"\x00\x00\x08\x03" + struct.pack(">3I", 2, 28, 28) + bytes(100), "damaged"),
        (b"\x00\x00\x08\x03" + struct.pack(">3I", 1, 28, 28) + bytes(785), "damaged"),
        (b"\x00\x00\x08\x03\x00\x00", "truncated"),
    ],
)
def test_bad_idx(raw, match):
    with pytest.raises(DataError, match=match):
        parse_idx(raw, "f", 3)


def test_gzip_bomb_read_is_bounded(tmp_path):
    """A gz file declaring 1 image but unpacking to 100 MB is read only 785 bytes far."""
    folder = tmp_path / "mnist"
    _write_idx(folder)
    bomb = _idx(np.zeros((1, 28, 28), np.uint8)) + bytes(100 * 2**20)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(bomb, 1))
    with pytest.raises(DataError, match="damaged"):
        load_mnist("mnist", folder=tmp_path)


def test_label_problems(tmp_path):
    folder = tmp_path / "mnist"
    _write_idx(folder)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx(np.full(12, 11, np.uint8))))
    with pytest.raises(DataError, match="outside 0-9"):
        load_mnist("mnist", folder=tmp_path)
    clear_cache()
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx(np.zeros(3))))
    with pytest.raises(DataError, match="12 train images but 3 labels"):
        load_mnist("mnist", folder=tmp_path)


def test_bad_arguments_and_hostile_npz(tmp_path):
    for kw in ({"kind": "cifar"}, {"split": "val"}, {"n": 0}):
        with pytest.raises(DataError):
            load_mnist(folder=tmp_path, **kw)
    buf = io.BytesIO()
    np.savez(
        buf,
        x_train=np.zeros((3, 28, 28)),
        y_train=np.zeros(3, np.uint8),
        x_test=np.zeros((1, 28, 28), np.uint8),
        y_test=np.zeros(1, np.uint8),
    )
    (tmp_path / "mnist.npz").write_bytes(buf.getvalue())  # float64 images
    with pytest.raises(DataError, match="dtype"):
        load_mnist("mnist", folder=tmp_path)
