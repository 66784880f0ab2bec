"""Hostile files: truncated, oversized, malformed or mislabelled uploads and data files.

Each input either loads or raises the coded error of its reader (``DataError`` with a
``code`` that every catalog translates, ``WeightsError`` for weights), allocates at most
a bound proportional to its size before doing so, and never shows a server path.
"""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.lib import format as npformat
from safetensors.torch import save as st_save

from aecore.data.dataset import MAX_ROWS
from aecore.errors import DataError
from aecore.io import mnist
from aecore.io.uploads import MAX_LABEL_CHARS, MAX_UPLOAD_BYTES, load_upload
from aecore.models import ModelConfig, build_model
from aecore.store.weights import WeightsError, config_from_weights, save_weights
from ui.kit.i18n import catalog, error_message

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def memory_bound(size: int) -> int:
    """The most an upload reader may allocate for a file of ``size`` bytes."""
    return 20 * size + 50 * 2**20


def _load_measured(name: str, data: bytes):
    """(result or the DataError, peak bytes traced while reading)."""
    tracemalloc.start()
    try:
        try:
            out = load_upload(name, data)
        except DataError as exc:
            out = exc
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, peak


def _coded(exc: BaseException) -> None:
    assert exc.code and f"error.{exc.code}" in catalog("en"), (exc.code, str(exc))
    for lang in ("en", "pt", "es"):
        assert error_message(exc, lang) != f"error.{exc.code}"


# ---------------------------------------------------------------- item 1: text labels


def _labelled_csv(rows: int, label) -> bytes:
    lines = ["a,b,c,label"] + [f"{i % 7},{(i * 3) % 5},{i % 2},{label(i)}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_one_very_long_text_label_is_refused_before_allocating():
    long = "x" * 60_000  # one row under the row-length cap; as a fixed-width array 5000 × 60 000 × 4 bytes
    data = _labelled_csv(5000, lambda i: long if i == 4999 else "cat")
    assert len(data) < MAX_UPLOAD_BYTES
    out, peak = _load_measured("long.csv", data)
    assert isinstance(out, DataError) and out.code == "label_too_long", out
    assert peak < memory_bound(len(data)), f"{peak / 2**20:.0f} MB for a {len(data) / 2**10:.0f} KB file"
    assert str(MAX_LABEL_CHARS) in error_message(out, "pt") and str(MAX_LABEL_CHARS) in error_message(out, "es")


def test_too_many_distinct_text_labels_refused():
    out, _ = _load_measured("many.csv", _labelled_csv(3000, lambda i: f"class{i}"))
    assert isinstance(out, DataError) and out.code == "too_many_classes"
    _coded(out)


def test_ordinary_text_labels_still_load():
    up = load_upload("pets.csv", _labelled_csv(40, lambda i: ("cat", "dog", "emu")[i % 3]))
    assert up.classes == ("cat", "dog", "emu") and up.y.tolist()[:4] == [0, 1, 2, 0]


# ---------------------------------------------------------------- item 2: npy headers


def _npy(header_dict_text: bytes) -> bytes:
    head = header_dict_text + b" " * ((64 - (len(header_dict_text) + 11) % 64) % 64) + b"\n"
    return npformat.MAGIC_PREFIX + b"\x01\x00" + len(head).to_bytes(2, "little") + head + bytes(80)


@pytest.mark.parametrize(
    "header",
    [
        b"{'descr': '<f8', 'fortran_order': False, 'shape': (10, 8",  # unclosed bracket
        b"{'descr': '<f8, 'fortran_order': False, 'shape': (10, 8), }",  # unclosed quote
        b"{'descr': '<f8', 'fortran_order': False, 'shape': (" + b"(" * 300 + b")" * 300 + b"), }",
        b"{'descr': '<f8', 'fortran_order': False, 'shape': (10, 8), 'x': 1e999999, }",
        b"{'descr': \"\"\"<f8, 'shape': (10, 8), }",
    ],
)
def test_malformed_npy_headers_give_the_coded_error(header):
    for name, data in (("h.npy", _npy(header)), ("h.npz", _zip({"X.npy": _npy(header)}))):
        with pytest.raises(DataError) as info:
            load_upload(name, data)
        _coded(info.value)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return buf.getvalue()


# ---------------------------------------------------------------- fuzz: every reader, every input

_good_npz = io.BytesIO()
np.savez_compressed(_good_npz, X=np.arange(120.0).reshape(30, 4) ** 1.1, y=np.arange(30) % 3)
_good_npy = io.BytesIO()
np.save(_good_npy, (np.arange(120.0).reshape(30, 4) % 7).astype(np.float32))
SEEDS = {
    "a.csv": _labelled_csv(30, lambda i: ("cat", "dog")[i % 2]),
    "a.npz": _good_npz.getvalue(),
    "a.npy": _good_npy.getvalue(),
}


@FUZZ
@given(
    name=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
    cut=st.integers(0, 300),
    insert=st.binary(max_size=400),
    at=st.integers(0, 10**6),
    repeat=st.integers(1, 300),
)
def test_fuzzed_uploads_load_or_raise_the_coded_error_within_a_memory_bound(name, edits, cut, insert, at, repeat):
    raw = bytearray(SEEDS[name])
    for i, b in edits:
        raw[i % len(raw)] = b
    pos = at % (len(raw) + 1)
    raw[pos:pos] = insert * repeat  # long cells, long labels, long headers ...
    data = bytes(raw[: max(0, len(raw) - cut)])
    out, peak = _load_measured(name, data)
    if isinstance(out, DataError):
        _coded(out)
    else:
        assert out.X.dtype == np.float32 and not out.X.flags.writeable
    assert peak < memory_bound(len(data)), f"{peak / 2**20:.1f} MB for {len(data)} bytes"


@FUZZ
@given(text=st.text(max_size=3000), delim=st.sampled_from([",", ";", "\t", " "]), rows=st.integers(0, 60))
def test_fuzzed_text_tables_load_or_raise_the_coded_error(text, delim, rows):
    data = ("a" + delim + "b" + delim + "label\n" + (f"1{delim}2{delim}{text}\n" * rows)).encode("utf-8", "replace")
    out, peak = _load_measured("t.csv", data)
    if isinstance(out, DataError):
        _coded(out)
    assert peak < memory_bound(len(data))


def test_highly_compressed_archive_is_refused_within_the_memory_bound():
    """A 2 MB archive that unpacks to 20 000 binary images (a ratio far below a zip bomb's,
    but 80 MB of arrays to check) is refused from its headers, before anything is unpacked."""
    rng = np.random.default_rng(0)
    buf = io.BytesIO()
    np.savez_compressed(buf, X=rng.random((MAX_ROWS, 784)) < 0.1)
    data = buf.getvalue()
    out, peak = _load_measured("z.npz", data)
    assert isinstance(out, DataError) and out.code == "npz_unpacks_too_much", out
    _coded(out)
    assert peak < 2**20, f"{peak / 2**20:.1f} MB allocated before refusing"


def test_an_mnist_size_compressed_upload_loads_within_the_bound():
    rng = np.random.default_rng(0)
    X = (rng.random((10_000, 784)) < 0.2) * rng.integers(0, 256, (10_000, 784))  # ~80 % zeros, like MNIST
    buf = io.BytesIO()
    np.savez_compressed(buf, X=X.astype(np.uint8), y=rng.integers(0, 10, 10_000))
    data = buf.getvalue()
    out, peak = _load_measured("mnist_like.npz", data)
    assert not isinstance(out, DataError), str(out)
    assert out.X.shape == (10_000, 784) and out.image_shape == (28, 28)
    assert peak < memory_bound(len(data)), f"{peak / 2**20:.0f} MB for {len(data) / 2**20:.1f} MB"


# ---------------------------------------------------------------- item 6: MNIST files, weights


def _idx(arr: np.ndarray) -> bytes:
    return bytes([0, 0, 8, arr.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in arr.shape) + arr.tobytes()


@pytest.fixture
def secret_dir(tmp_path, monkeypatch):
    """A data folder whose path must never reach a message."""
    folder = tmp_path / "srv-secret-path-7f3a"
    folder.mkdir()
    monkeypatch.setenv("AE_DATA_DIR", str(folder))
    mnist.clear_cache()
    yield folder
    mnist.clear_cache()


def _no_path(exc: BaseException, folder: Path) -> None:
    texts = [str(exc)] + [error_message(exc, lang) for lang in ("en", "pt", "es")]
    texts += [str(v) for v in getattr(exc, "params", {}).values()]
    for text in texts:
        assert "srv-secret-path" not in text and str(folder.parent) not in text, text


def _write_mnist(folder: Path, corrupt: str | None = None) -> None:
    (folder / "mnist").mkdir()
    rng = np.random.default_rng(0)
    for split, n in (("train", 12), ("test", 5)):
        images, labels = mnist.IDX_FILES[split]
        for stem, arr in ((images, rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)), (labels, np.arange(n) % 10)):
            raw = gzip.compress(_idx(arr.astype(np.uint8)))
            if stem == corrupt:
                raw = raw[:12] + bytes(b ^ 0x5A for b in raw[12:40]) + raw[40:]
            (folder / "mnist" / f"{stem}.gz").write_bytes(raw)


def test_corrupt_mnist_gzip_is_a_coded_dataerror_without_the_path(secret_dir):
    _write_mnist(secret_dir, corrupt="train-images-idx3-ubyte")
    with pytest.raises(DataError) as info:
        mnist.load_mnist("mnist")
    _coded(info.value)
    _no_path(info.value, secret_dir)


def test_mnist_missing_message_shows_no_server_path(secret_dir):
    with pytest.raises(DataError) as info:
        mnist.load_mnist("fashion_mnist")
    assert info.value.code == "mnist_missing"
    assert "AE_DATA_DIR" in str(info.value) and "fashion_mnist" in str(info.value)
    _no_path(info.value, secret_dir)


def test_mnist_file_problems_show_no_server_path(secret_dir):
    (secret_dir / "mnist.npz").write_bytes(b"PK\x03\x04 not really a zip" * 10)
    with pytest.raises(DataError) as info:
        mnist.load_mnist("mnist")
    _no_path(info.value, secret_dir)
    (secret_dir / "mnist.npz").unlink()
    _write_mnist(secret_dir)
    (secret_dir / "mnist" / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx(np.full(5, 12, np.uint8))))
    with pytest.raises(DataError) as info:
        mnist.load_mnist("mnist")
    _no_path(info.value, secret_dir)
    source = mnist.load_mnist.__doc__ or ""
    assert "srv-secret" not in source


def test_loaded_mnist_does_not_carry_the_server_path(secret_dir):
    _write_mnist(secret_dir)
    ds = mnist.load_mnist("mnist")
    assert "srv-secret-path" not in json.dumps(ds.meta, default=str)


_STATE = {
    k: v.clone() for k, v in build_model(ModelConfig(input_dim=6, hidden=(4,), latent_dim=2)).state_dict().items()
}


@pytest.mark.parametrize(
    "config",
    [
        {"input_dim": "784"},
        {"input_dim": 6.5},
        {"input_dim": True},
        {"hidden": "64"},
        {"hidden": [4, "4"]},
        {"hidden": [[4]]},
        {"latent_dim": None},
        {"activation": 3},
        {"hidden": 4},
    ],
)
def test_config_from_weights_refuses_wrong_types(config):
    data = st_save(_STATE, metadata={"config": json.dumps(config)})
    with pytest.raises(WeightsError) as info:
        config_from_weights(data)
    assert info.value.code == "weights_config_invalid"


def test_config_from_weights_still_reads_a_real_file():
    cfg = ModelConfig(input_dim=6, hidden=(4,), latent_dim=2)
    assert config_from_weights(save_weights(build_model(cfg))) == cfg


def test_latent_scaling_sizes_have_a_length_cap():
    from aecore.config import ConfigError
    from aecore.experiments.latent import ScalingConfig

    ScalingConfig(sizes=(250, 500))
    with pytest.raises(ConfigError) as info:
        ScalingConfig(sizes=(100,) * 50)
    _coded(info.value)
    with pytest.raises(ConfigError):
        ScalingConfig.from_strings({"sizes": ",".join(["60"] * 1000)})
