"""Uploads: valid CSV/NPZ/NPY round-trip; bad and hostile files give a DataError only.

Hostile NPZ/NPY files are built here by hand (pickled object arrays, declared-shape bombs,
zip bombs, complex dtypes, too many dimensions); each must be refused before anything
large is allocated (tracemalloc peak under 50 MB).
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aecore.data.dataset import MAX_FEATURES, MAX_ROWS
from aecore.errors import DataError
from aecore.io.uploads import MAX_UPLOAD_BYTES, UploadedData, load_upload
from tests.filebytes import npy_header

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
PEAK_LIMIT = 50 * 2**20


def _csv(X, header=None, delim=",", labels=None) -> bytes:
    lines = [] if header is None else [delim.join(header)]
    for i, row in enumerate(X):
        cells = [repr(float(v)) for v in row]
        if labels is not None:
            cells.append(str(labels[i]))
        lines.append(delim.join(cells))
    return ("\n".join(lines) + "\n").encode()


def _npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def _refused(name: str, data: bytes, match: str | None = None) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=match) as info:
            load_upload(name, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_LIMIT, f"{peak / 2**20:.0f} MB allocated before refusing {name}"
    return str(info.value)


# ---------------------------------------------------------------- valid files

finite = st.floats(-1e5, 1e5, allow_nan=False, allow_infinity=False, width=32)


@FAST
@given(
    n=st.integers(10, 40),
    d=st.integers(2, 6),
    delim=st.sampled_from([",", ";", "\t"]),
    header=st.booleans(),
    bom=st.booleans(),
    data=st.data(),
)
def test_csv_round_trip(n, d, delim, header, bom, data):
    X = np.array(
        data.draw(st.lists(st.lists(finite, min_size=d, max_size=d), min_size=n, max_size=n)), dtype=np.float64
    )
    X[:, :2] += np.arange(n)[:, None]  # at least 2 non-constant columns
    names = [f"f{j}" for j in range(d)] if header else None
    raw = _csv(X, names, delim)
    up = load_upload("t.csv", (b"\xef\xbb\xbf" if bom else b"") + raw)
    assert isinstance(up, UploadedData) and up.y is None and up.image_shape is None
    assert up.X.dtype == np.float32 and not up.X.flags.writeable
    np.testing.assert_allclose(up.X, X.astype(np.float32), rtol=1e-6, atol=1e-6)
    assert up.columns == (tuple(names) if header else None)


def test_csv_label_column_text_and_numbers():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    up = load_upload("a.csv", _csv(X, ["a", "b", "c", "Target"], labels=["cat", "dog"] * 10))
    assert up.X.shape == (20, 3) and up.classes == ("cat", "dog")
    assert up.y.tolist() == [0, 1] * 10 and any("labels" in n for n in up.notes)
    up = load_upload("b.csv", _csv(X, ["a", "b", "c", "label"], labels=list(range(20))))
    assert up.y.dtype == np.int64 and up.y.tolist() == list(range(20))
    up = load_upload("c.csv", _csv(X[:, :2], ["x", "y"]))  # x, y are coordinates, not labels
    assert up.X.shape == (20, 2) and up.y is None


def test_decimal_comma_and_whitespace_and_comments():
    X = np.arange(30, dtype=float).reshape(15, 2) / 4
    semi = "\n".join(f"{a};{b}".replace(".", ",") for a, b in X).encode()
    up = load_upload("s.csv", semi)
    np.testing.assert_allclose(up.X, X)
    assert "decimal comma" in " ".join(up.notes)
    spaces = ("# saved by np.savetxt\n" + "\n".join(f"{a} {b}" for a, b in X)).encode()
    np.testing.assert_allclose(load_upload("s.txt", spaces).X, X)


def test_quoted_cells_keep_their_delimiter():
    """RFC 4180 quoting: a quoted label or header holding the delimiter is one cell."""
    rows = ["a,b,label"] + [f'{i},{i / 2},"cls,{i % 2}"' for i in range(12)]
    up = load_upload("q.csv", "\n".join(rows).encode())
    assert up.X.shape == (12, 2) and up.classes == ("cls,0", "cls,1")
    head = ['"x;1";"x;2"'] + [f"{i};{i},5" for i in range(12)]
    up = load_upload("h.csv", "\n".join(head).encode())  # a decimal comma, quoted ';' in the header
    np.testing.assert_allclose(up.X[:, 1], np.arange(12) + 0.5)
    assert up.y is None


def test_pixels_rescaled_and_images_detected():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 256, size=(12, 28, 28), dtype=np.uint8)
    up = load_upload("m.npz", _npz(X=img, y=np.arange(12)))
    assert up.image_shape == (28, 28) and up.X.shape == (12, 784)
    assert up.X.max() <= 1 and "rescaled from 0-255 to 0-1" in up.notes
    np.testing.assert_allclose(up.X, img.reshape(12, -1) / 255, rtol=1e-6)
    digits = rng.integers(0, 17, size=(15, 64)).astype(float)
    up = load_upload("d.csv", _csv(digits))
    assert up.image_shape == (8, 8) and "rescaled from 0-16 to 0-1" in up.notes
    buf = io.BytesIO()
    np.save(buf, rng.normal(size=(12, 64)))  # negative values: a table
    assert load_upload("t.npy", buf.getvalue()).image_shape is None


@FAST
@given(
    n=st.integers(10, 30),
    d=st.integers(2, 5),
    seed=st.integers(0, 1000),
    dtype=st.sampled_from(["float32", "float64", "int16", "uint8"]),
)
def test_npz_round_trip(n, d, seed, dtype):
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, d)) * 20 + 50).astype(dtype)
    X[:, :2] = (np.arange(n)[:, None] + np.arange(2)).astype(dtype)
    y = rng.integers(0, 3, n)
    up = load_upload("x.npz", _npz(X=X, y=y))
    np.testing.assert_allclose(up.X, X.astype(np.float32), rtol=1e-6)
    assert up.y.tolist() == y.tolist()


# ---------------------------------------------------------------- bad files


def _text_table(cells: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in cells).encode()


bad_cell = st.sampled_from(["nan", "inf", "-inf", "abc", "", "1e400", "9" * 400, "1e7", "0x1F", "NaN", "--1", "1.2.3"])


@FAST
@given(blob=st.binary(max_size=2000))
def test_random_bytes_raise_dataerror_only(blob):
    for name in ("r.csv", "r.npz", "r.npy", "r.bin"):
        with pytest.raises(DataError):
            load_upload(name, blob)


@FAST
@given(n=st.integers(10, 20), d=st.integers(2, 5), bad=bad_cell, data=st.data())
def test_bad_cells_raise_dataerror(n, d, bad, data):
    cells = [[str(i + j) for j in range(d)] for i in range(n)]
    i, j = data.draw(st.integers(1, n - 1)), data.draw(st.integers(0, d - 1))
    cells[i][j] = bad
    with pytest.raises(DataError):
        load_upload("bad.csv", _text_table(cells))


@FAST
@given(n=st.integers(10, 20), d=st.integers(2, 5), data=st.data())
def test_ragged_rows_raise_dataerror(n, d, data):
    cells = [[str(i * j + i) for j in range(d)] for i in range(n)]
    i = data.draw(st.integers(1, n - 1))
    cells[i] = cells[i][:-1] if data.draw(st.booleans()) else cells[i] + ["1"]
    msg = str(pytest.raises(DataError, load_upload, "ragged.csv", _text_table(cells)).value)
    assert "cells" in msg


@pytest.mark.parametrize(
    "raw, match",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"a,b,c\n", "no rows"),
        (b"1,2\n3,4\n", "at least 10"),
        (b"1\n" * 20, "feature"),
        (b"5,5\n" * 20, "not constant"),
        ("\n".join(",".join(["1"] * (MAX_FEATURES + 1)) for _ in range(10)).encode(), "columns"),
        (b"1,2\n" * (MAX_ROWS + 1), "rows"),
        (b"1,2\n" * (MAX_UPLOAD_BYTES // 4), "lines"),
        (b"a," * (MAX_UPLOAD_BYTES // 2 - 8), "characters long"),
        (b"1,2\n" * 12 + b"1 " * (MAX_UPLOAD_BYTES // 4), "characters long"),
        (b"PK\x03\x04" + bytes(100), "npz"),
        (b"1,\xff\xfe\xfa\n" * 12, "UTF-8"),
    ],
)
def test_bad_tables_named(raw, match):
    _refused("t.csv", raw, match)


def test_oversize_and_other_formats_refused_before_parsing():
    _refused("big.csv", b"1," * (MAX_UPLOAD_BYTES // 2 + 1), "limit")
    _refused("sheet.xlsx", b"PK\x03\x04" + bytes(100), "save the table as CSV")


# ---------------------------------------------------------------- hostile NPZ / NPY


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, payload in members.items():
            zf.writestr(name, payload)
    return buf.getvalue()


def test_pickled_object_array_refused():
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}, print] * 10, dtype=object), allow_pickle=True)
    assert "pickle" in _refused("p.npz", _zip({"X.npy": buf.getvalue()}), "objects")
    assert "pickle" in _refused("p.npy", buf.getvalue())


def test_declared_shape_bomb_refused():
    hdr = npy_header((10**9, 784))
    _refused("bomb.npz", _zip({"X.npy": hdr + b"\0" * 1024}), "declares shape")
    _refused("bomb.npy", hdr + b"\0" * 1024, "declares shape")
    small = npy_header((100, 4))  # within caps but data missing
    _refused("short.npz", _zip({"X.npy": small + b"\0" * 64}), "declares")


def test_zip_bomb_member_refused():
    hdr = npy_header((MAX_ROWS, MAX_FEATURES))  # legal shape, 160 MB of zeros
    bomb = _zip({"X.npy": hdr + bytes(MAX_ROWS * MAX_FEATURES * 8)})
    assert len(bomb) < MAX_UPLOAD_BYTES
    _refused("zipbomb.npz", bomb, "unpacks to .* the limit")
    hdr = npy_header((MAX_ROWS, 512), "<f4")  # 40 MB of zeros, under the byte cap
    bomb = _zip({"X.npy": hdr + bytes(MAX_ROWS * 512 * 4)})
    _refused("zipbomb.npz", bomb, "zip bomb")


def test_lying_zip_directory_refused():
    """A member whose central directory understates its size is not read past it."""
    payload = npy_header((20, 4)) + np.arange(80, dtype="<f8").tobytes()
    raw = bytearray(_zip({"X.npy": payload}, zipfile.ZIP_STORED))
    cd = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, cd + 24, 100)  # uncompressed size in the directory
    _refused("lie.npz", bytes(raw))


@pytest.mark.parametrize(
    "descr, shape, match",
    [
        ("<c16", (20, 4), "complex"),
        ("<f8", (20, 4, 4, 1), "dimension"),
        ("<f8", (20, 40, 40), "declares shape"),
        ("<f4", (20, 30, 30), "images"),
        ("<U5", (20, 4), "dtype"),
        ([("a", "<f8"), ("b", "<f8")], (20,), "structured"),
        ("<f8", (20,), "dimension"),
        ("<f8", (20, MAX_FEATURES + 1), "declares shape"),
    ],
)
def test_bad_dtypes_and_shapes_refused(descr, shape, match):
    dt = np.dtype(descr)
    n = int(np.prod(shape)) * dt.itemsize
    body = npy_header(shape, descr if isinstance(descr, str) else dt.descr) + bytes(n)
    _refused("h.npz", _zip({"X.npy": body}, zipfile.ZIP_STORED), match)


def test_member_names_allow_listed():
    good = npy_header((20, 4)) + np.arange(80, dtype="<f8").tobytes()
    _refused("n.npz", _zip({"X.npy": good, "evil.npy": good}), "evil")
    _refused("n.npz", _zip({"../X.npy": good}), "only arrays")
    _refused("n.npz", _zip({"y.npy": good}), "no array named X")
    _refused("n.npz", _zip({"X.npy": good, "x.npy": good}), "more than one")
    _refused("n.npz", _zip({"X.npy": good}, zipfile.ZIP_BZIP2), "compression")


def test_archive_with_many_members_refused_early():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(100_000):  # 8 MB of directory entries
            zf.writestr(str(i), b"")
    _refused("many.npz", buf.getvalue(), r"lists \d+ files")


def test_label_mismatch_and_version_3_refused():
    X = np.arange(40.0).reshape(20, 2) ** 1.5
    _refused("l.npz", _npz(X=X, y=np.arange(19)), "one label per row")
    v3 = bytearray(npy_header((20, 2), version=(2, 0)) + X.tobytes())
    v3[6] = 3
    _refused("v3.npy", bytes(v3), "version")


@FAST
@given(cut=st.integers(0, 400), flip=st.integers(0, 400), byte=st.integers(0, 255))
def test_corrupted_npz_raises_dataerror_only(cut, flip, byte):
    raw = bytearray(_npz(X=np.arange(60.0).reshape(20, 3) ** 1.1, y=np.arange(20)))
    raw[flip % len(raw)] = byte
    try:
        load_upload("c.npz", bytes(raw[: len(raw) - cut]))
    except DataError:
        pass
