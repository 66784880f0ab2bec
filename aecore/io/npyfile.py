"""Safe reading of ``.npy`` and ``.npz`` bytes: every header checked before allocating.

Defends against (reliability anchors §4.2):

* pickles: object dtypes are refused from the header, and numpy is never asked to
  unpickle (we never call ``np.load``, so ``allow_pickle`` is never involved);
* declared-shape bombs: a header may declare (10**9, 784) over 1 KB of data; shapes
  are checked against the caller's caps (rows, features, ndim) *before* any array exists;
* zip bombs: a member's declared uncompressed size (``ZipInfo.file_size``) must match
  header + declared data exactly, stay under a byte cap, and not exceed
  ``MAX_RATIO`` × its stored compressed size; decompression is bounded by that size;
* odd archives: directories listing more than ``MAX_MEMBERS`` files (checked from the
  raw end record, before ``zipfile`` parses them), encrypted members, unusual
  compression methods, duplicate or unexpected member names, complex/structured/string
  dtypes (strings only where the caller allows them, e.g. text labels), truncated or
  trailing data.

Every rejection is a ``DataError`` whose message names the problem and the fix.
Used by ``aecore.io.uploads`` (user uploads) and ``aecore.io.mnist`` (local files).
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from numpy.lib import format as npformat

from aecore.data import DataError

NPY_MAGIC = npformat.MAGIC_PREFIX  # b"\x93NUMPY"
ZIP_MAGIC = b"PK\x03\x04"
MAX_HEADER_BYTES = 10_000  # numpy's own default limit for npy headers
MAX_MEMBERS = 4
MAX_RATIO = 200  # declared / compressed size; zlib tops out ~1030
HOW_TO_SAVE = "save it with np.savez('data.npz', X=X, y=y) (numbers only, no objects)"


@dataclass(frozen=True)
class ArraySpec:
    """What one array may look like: numeric kinds, dimensions, shape caps."""

    ndims: tuple[int, ...]  # allowed numbers of dimensions
    max_rows: int  # cap on shape[0]
    max_row_size: int  # cap on prod(shape[1:])
    kinds: str = "biuf"  # numpy dtype kinds allowed (b bool, i/u int, f float, U text)
    max_itemsize: int = 8


def _dtype_problem(dtype: np.dtype, spec: ArraySpec) -> str | None:
    if dtype.hasobject:
        return "holds Python objects (a pickle), which are never loaded"
    if dtype.names is not None or dtype.subdtype is not None:
        return "has a structured dtype; give a plain numeric array"
    if dtype.kind == "c":
        return "holds complex numbers; give real values"
    if dtype.kind not in spec.kinds:
        return f"has dtype {dtype.str!r}; numbers only (int, float or bool)"
    if dtype.itemsize > spec.max_itemsize:
        return f"has dtype {dtype.str!r}, wider than {spec.max_itemsize} bytes per value"
    return None


def read_header(fp: BinaryIO, label: str, spec: ArraySpec) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    """Read and check a ``.npy`` header; return (shape, fortran_order, dtype, data bytes)."""
    try:
        version = npformat.read_magic(fp)
    except (ValueError, EOFError, OSError) as exc:
        raise DataError(
            f"{label} is not a valid .npy array ({exc}); {HOW_TO_SAVE}.", code="npy_invalid", params=dict(name=label)
        ) from None
    try:
        if version == (1, 0):
            shape, fortran, dtype = npformat.read_array_header_1_0(fp, MAX_HEADER_BYTES)
        elif version == (2, 0):
            shape, fortran, dtype = npformat.read_array_header_2_0(fp, MAX_HEADER_BYTES)
        else:
            raise DataError(
                f"{label} uses .npy format version {version}; {HOW_TO_SAVE} to get version 1.0.",
                code="npy_invalid",
                params=dict(name=label),
            )
    except DataError:
        raise
    except (
        ValueError,
        TypeError,
        SyntaxError,
        EOFError,
        OSError,
        KeyError,
        zipfile.BadZipFile,
        UnicodeDecodeError,
    ) as exc:
        raise DataError(
            f"{label} has an unreadable .npy header ({exc}); {HOW_TO_SAVE}.",
            code="npy_invalid",
            params=dict(name=label),
        ) from None
    problem = _dtype_problem(dtype, spec)
    if problem:
        raise DataError(
            f"{label} {problem}; {HOW_TO_SAVE}.",
            code="pickle_refused" if dtype.hasobject else "bad_dtype",
            params=dict(name=label, dtype=dtype.str),
        )
    if len(shape) not in spec.ndims:
        allowed = " or ".join(map(str, spec.ndims))
        raise DataError(
            f"{label} has {len(shape)} dimension(s) {tuple(shape)}; "
            f"{allowed} expected (reshape it, e.g. X.reshape(len(X), -1)).",
            code="bad_shape",
            params=dict(name=label, ndim=len(shape), shape=tuple(shape), allowed="/".join(map(str, spec.ndims))),
        )
    if any(int(s) < 0 for s in shape):
        raise DataError(
            f"{label} declares a negative size {tuple(shape)}.", code="npy_invalid", params=dict(name=label)
        )
    rows = int(shape[0]) if shape else 1
    row_size = math.prod(int(s) for s in shape[1:])
    if rows > spec.max_rows or row_size > spec.max_row_size:
        raise DataError(
            f"{label} declares shape {tuple(shape)}; the limit is {spec.max_rows} "
            f"rows of at most {spec.max_row_size} values. Use a smaller sample.",
            code="shape_too_large",
            params=dict(name=label, shape=tuple(shape), max_rows=spec.max_rows, max_row_size=spec.max_row_size),
        )
    nbytes = rows * row_size * dtype.itemsize  # Python ints: no overflow
    return tuple(int(s) for s in shape), bool(fortran), dtype, nbytes


def _array_from(raw: bytes, shape: tuple[int, ...], fortran: bool, dtype: np.dtype) -> np.ndarray:
    arr = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return np.array(arr, dtype=dtype.newbyteorder("="))  # own, writable, native order


def read_npy(data: bytes, label: str, spec: ArraySpec) -> np.ndarray:
    """One ``.npy`` file's bytes -> array, header checked before anything is allocated."""
    fp = io.BytesIO(data)
    shape, fortran, dtype, nbytes = read_header(fp, label, spec)
    left = len(data) - fp.tell()
    if left != nbytes:
        raise DataError(
            f"{label} declares {nbytes} bytes of data but holds {left}; "
            "the file is truncated or padded. Save it again.",
            code="npy_invalid",
            params=dict(name=label),
        )
    return _array_from(data[fp.tell() :], shape, fortran, dtype)


def _check_directory(data: bytes, label: str) -> None:
    """Read the end-of-central-directory record ourselves, so that an archive listing
    thousands of members is refused before ``zipfile`` builds an object for each."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) - at < 22:
        raise DataError(
            f"{label} is not a readable .npz archive (no zip directory); {HOW_TO_SAVE}.",
            code="npz_invalid",
            params=dict(name=label),
        )
    entries, cd_size = struct.unpack_from("<HI", data, at + 10)
    if entries > MAX_MEMBERS or cd_size > MAX_MEMBERS * 1024:
        raise DataError(
            f"{label} lists {entries} files ({cd_size} bytes of directory); at "
            f"most {MAX_MEMBERS} arrays are read. {HOW_TO_SAVE}.",
            code="npz_too_many",
            params=dict(name=label, count=entries, max=MAX_MEMBERS),
        )


def read_npz(
    data: bytes,
    label: str,
    specs: dict[str, ArraySpec],
    aliases: dict[str, str],
    max_member_bytes: int,
    required: tuple[str, ...] = ("X",),
) -> dict[str, np.ndarray]:
    """Read the allowed members of an ``.npz`` archive.

    ``aliases`` maps accepted member names (without ``.npy``) to canonical keys of
    ``specs``; any other member is refused. Returns {canonical key: array}.
    """
    _check_directory(data, label)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
        KeyError,
        IndexError,
        UnicodeDecodeError,
    ) as exc:
        raise DataError(
            f"{label} is not a readable .npz archive ({exc}); {HOW_TO_SAVE}.",
            code="npz_invalid",
            params=dict(name=label),
        ) from None
    if not infos:
        raise DataError(f"{label} is an empty archive; {HOW_TO_SAVE}.", code="npz_empty", params=dict(name=label))
    if len(infos) > MAX_MEMBERS:
        raise DataError(
            f"{label} holds {len(infos)} files; at most {MAX_MEMBERS} ({', '.join(sorted(set(aliases)))}) are read.",
            code="npz_too_many",
            params=dict(name=label, count=len(infos), max=MAX_MEMBERS),
        )
    wanted = ", ".join(sorted(set(aliases)))
    seen: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        stem = info.filename[:-4] if info.filename.endswith(".npy") else None
        key = aliases.get(stem) if stem is not None else None
        if key is None:
            raise DataError(
                f"{label} contains {info.filename!r}; only arrays named {wanted} are accepted. {HOW_TO_SAVE}.",
                code="npz_member",
                params=dict(name=label, member=info.filename, wanted=wanted),
            )
        if key in seen:
            raise DataError(
                f"{label} holds more than one array for {key!r}; keep one.",
                code="npz_duplicate",
                params=dict(name=label, array=key),
            )
        if info.flag_bits & 0x1:
            raise DataError(
                f"{label}: member {info.filename!r} is encrypted; save it without a password.",
                code="npz_invalid",
                params=dict(name=label),
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DataError(
                f"{label}: member {info.filename!r} uses an unsupported compression "
                "method; use np.savez or np.savez_compressed.",
                code="npz_invalid",
                params=dict(name=label),
            )
        if info.file_size > max_member_bytes:
            raise DataError(
                f"{label}: member {info.filename!r} unpacks to {info.file_size} "
                f"bytes; the limit is {max_member_bytes}. Use fewer rows or "
                "float32.",
                code="npz_member_too_large",
                params=dict(name=label, member=info.filename, size=info.file_size, max=max_member_bytes),
            )
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 4096:
            raise DataError(
                f"{label}: member {info.filename!r} claims to unpack to "
                f"{info.file_size} bytes from {info.compress_size} stored bytes "
                "(a zip bomb?); it was not unpacked.",
                code="npz_invalid",
                params=dict(name=label),
            )
        seen[key] = info
    for key in required:
        if key not in seen:
            raise DataError(
                f"{label} has no array named {key}; {HOW_TO_SAVE}.",
                code="npz_missing",
                params=dict(name=label, array=key),
            )
    out: dict[str, np.ndarray] = {}
    for key, info in seen.items():
        name = f"{label}:{info.filename}"
        try:
            with zf.open(info) as fp:
                shape, fortran, dtype, nbytes = read_header(fp, name, specs[key])
                stored = info.file_size - fp.tell()
                if stored != nbytes:
                    raise DataError(
                        f"{name} declares {nbytes} bytes of data but the archive "
                        f"lists {stored}; the file is damaged or crafted.",
                        code="npz_invalid",
                        params=dict(name=label),
                    )
                raw = fp.read(nbytes)
                if len(raw) != nbytes or fp.read(1):
                    raise DataError(f"{name} is truncated; save it again.", code="npz_invalid", params=dict(name=label))
        except DataError:
            raise
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise DataError(
                f"{name} could not be unpacked ({exc}); save it again.", code="npz_invalid", params=dict(name=label)
            ) from None
        except Exception as exc:  # zlib.error and struct.error share no narrower base
            if isinstance(exc, MemoryError):
                raise
            raise DataError(
                f"{name} could not be unpacked ({type(exc).__name__}); save it again.",
                code="npz_invalid",
                params=dict(name=label),
            ) from None
        out[key] = _array_from(raw, shape, fortran, dtype)
    return out
