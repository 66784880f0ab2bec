"""Safe reading of ``.npy`` and ``.npz`` bytes: every header checked before allocating.

Defences:

* pickles: object dtypes are refused from the header, and numpy is never asked to
  unpickle (``np.load`` is never called, so ``allow_pickle`` is never involved);
* malformed headers (unclosed brackets or quotes, absurd nesting, any parser error):
  one coded ``DataError``, whatever numpy's parser raises;
* declared-shape bombs: shapes are checked against the caller's caps (rows, features,
  ndim) *before* any array exists;
* zip bombs: a member's declared uncompressed size must match header + data exactly,
  stay under a byte cap and under ``MAX_RATIO`` × its stored size; the caller may also
  cap the memory all members cost together (``budget``), checked from each header
  before its data is unpacked;
* odd archives: more than ``MAX_MEMBERS`` files (read from the raw end record, before
  ``zipfile`` parses them), encrypted members, unusual compression methods, duplicate or
  unexpected names, complex/structured/string dtypes (strings only where the caller
  allows them), truncated or trailing data.

Every rejection is a ``DataError`` whose message names the problem and the fix.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from numpy.lib import format as npformat

from aecore.errors import DataError

NPY_MAGIC = npformat.MAGIC_PREFIX  # b"\x93NUMPY"
ZIP_MAGIC = b"PK\x03\x04"
MAX_HEADER_BYTES = 10_000  # numpy's own default limit for npy headers
MAX_MEMBERS = 4
MAX_RATIO = 200  # declared / compressed size; zlib tops out ~1030
HOW_TO_SAVE = "save it with np.savez('data.npz', X=X, y=y) (numbers only, no objects)"
# (shape, dtype) -> bytes of memory an array costs its reader; see ``read_npz(budget=)``
Cost = Callable[[tuple[int, ...], np.dtype], int]


@dataclass(frozen=True)
class ArraySpec:
    """What one array may look like: numeric kinds, dimensions, shape caps."""

    ndims: tuple[int, ...]  # allowed numbers of dimensions
    max_rows: int  # cap on shape[0]
    max_row_size: int  # cap on prod(shape[1:])
    kinds: str = "biuf"  # numpy dtype kinds allowed (b bool, i/u int, f float, U text)
    max_itemsize: int = 8


def _invalid(label: str, why: str) -> DataError:
    return DataError(f"{label}: {why}; {HOW_TO_SAVE}.", code="npy_invalid", params=dict(name=label))


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


def _parse_header(fp: BinaryIO, label: str) -> tuple[tuple, bool, np.dtype]:
    """numpy's own header parser, with every way it can fail turned into one DataError:
    it raises ValueError, SyntaxError, tokenize.TokenError, RecursionError, MemoryError
    (parser stack) and more on crafted headers, which are at most 10 kB here."""
    try:
        version = npformat.read_magic(fp)
    except Exception:
        raise _invalid(label, "not a valid .npy array (bad magic string)") from None
    if version not in ((1, 0), (2, 0)):
        raise _invalid(label, f"uses .npy format version {version}; version 1.0 expected")
    read = npformat.read_array_header_1_0 if version == (1, 0) else npformat.read_array_header_2_0
    try:
        shape, fortran, dtype = read(fp, MAX_HEADER_BYTES)
        shape = tuple(int(s) for s in shape)
        return shape, bool(fortran), np.dtype(dtype)
    except Exception:  # any parser error of a crafted header, see the docstring
        raise _invalid(label, "has an unreadable .npy header") from None


def read_header(fp: BinaryIO, label: str, spec: ArraySpec) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    """Read and check a ``.npy`` header; return (shape, fortran_order, dtype, data bytes)."""
    shape, fortran, dtype = _parse_header(fp, label)
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
            f"{label} has {len(shape)} dimension(s) {shape}; "
            f"{allowed} expected (reshape it, e.g. X.reshape(len(X), -1)).",
            code="bad_shape",
            params=dict(name=label, ndim=len(shape), shape=shape, allowed="/".join(map(str, spec.ndims))),
        )
    if any(s < 0 for s in shape):
        raise _invalid(label, f"declares a negative size {shape}")
    rows = shape[0] if shape else 1
    row_size = math.prod(shape[1:])
    if rows > spec.max_rows or row_size > spec.max_row_size:
        raise DataError(
            f"{label} declares shape {shape}; the limit is {spec.max_rows} "
            f"rows of at most {spec.max_row_size} values. Use a smaller sample.",
            code="shape_too_large",
            params=dict(name=label, shape=shape, max_rows=spec.max_rows, max_row_size=spec.max_row_size),
        )
    return shape, fortran, dtype, rows * row_size * dtype.itemsize  # Python ints: no overflow


def _array_from(raw, shape: tuple[int, ...], fortran: bool, dtype: np.dtype) -> np.ndarray:
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
    return _array_from(memoryview(data)[fp.tell() :], shape, fortran, dtype)


# ---------------------------------------------------------------- NPZ archives


def _npz_error(label: str, why: str) -> DataError:
    return DataError(f"{label}: {why}.", code="npz_invalid", params=dict(name=label))


def _check_directory(data: bytes, label: str) -> None:
    """Read the end-of-central-directory record ourselves, so that an archive listing
    thousands of members is refused before ``zipfile`` builds an object for each."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) - at < 22:
        raise _npz_error(label, f"not a readable .npz archive (no zip directory); {HOW_TO_SAVE}")
    entries, cd_size = struct.unpack_from("<HI", data, at + 10)
    if entries > MAX_MEMBERS or cd_size > MAX_MEMBERS * 1024:
        raise DataError(
            f"{label} lists {entries} files ({cd_size} bytes of directory); at "
            f"most {MAX_MEMBERS} arrays are read. {HOW_TO_SAVE}.",
            code="npz_too_many",
            params=dict(name=label, count=entries, max=MAX_MEMBERS),
        )


def _open_archive(data: bytes, label: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    _check_directory(data, label)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # zipfile raises a dozen unrelated types on crafted directories
        raise _npz_error(label, f"not a readable .npz archive; {HOW_TO_SAVE}") from None
    if not infos:
        raise DataError(f"{label} is an empty archive; {HOW_TO_SAVE}.", code="npz_empty", params=dict(name=label))
    if len(infos) > MAX_MEMBERS:
        raise DataError(
            f"{label} holds {len(infos)} files; at most {MAX_MEMBERS} arrays are read.",
            code="npz_too_many",
            params=dict(name=label, count=len(infos), max=MAX_MEMBERS),
        )
    return zf, infos


def _check_member(label: str, info: zipfile.ZipInfo, max_member_bytes: int) -> None:
    if info.flag_bits & 0x1:
        raise _npz_error(label, f"member {info.filename!r} is encrypted; save it without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _npz_error(label, f"member {info.filename!r} uses a compression method other than np.savez's")
    if info.file_size > max_member_bytes:
        raise DataError(
            f"{label}: member {info.filename!r} unpacks to {info.file_size} bytes; the limit is "
            f"{max_member_bytes}. Use fewer rows or float32.",
            code="npz_member_too_large",
            params=dict(name=label, member=info.filename, size=info.file_size, max=max_member_bytes),
        )
    if info.file_size > MAX_RATIO * max(info.compress_size, 1) + 4096:
        raise _npz_error(
            label,
            f"member {info.filename!r} claims {info.file_size} bytes from {info.compress_size} (a zip bomb?); "
            "it was not unpacked",
        )


def _select_members(
    label: str, infos: list[zipfile.ZipInfo], aliases: dict[str, str], max_member_bytes: int, required: tuple[str, ...]
) -> dict[str, zipfile.ZipInfo]:
    """Canonical key -> member; unknown, duplicate or odd members are refused."""
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
        _check_member(label, info, max_member_bytes)
        seen[key] = info
    for key in required:
        if key not in seen:
            raise DataError(
                f"{label} has no array named {key}; {HOW_TO_SAVE}.",
                code="npz_missing",
                params=dict(name=label, array=key),
            )
    return seen


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, spec: ArraySpec, charge) -> np.ndarray:
    """One member: header checked and charged to the budget before its data is unpacked."""
    name = f"{label}:{info.filename}"
    try:
        with zf.open(info) as fp:
            shape, fortran, dtype, nbytes = read_header(fp, name, spec)
            if info.file_size - fp.tell() != nbytes:
                raise _npz_error(label, f"{info.filename} declares {nbytes} bytes but the archive lists another size")
            charge(shape, dtype)
            raw = fp.read(nbytes)
            if len(raw) != nbytes or fp.read(1):
                raise _npz_error(label, f"{info.filename} is truncated; save it again")
    except DataError:
        raise
    except Exception:  # zlib.error, struct.error, BadZipFile ... share no narrower base
        raise _npz_error(label, f"{info.filename} could not be unpacked; save it again") from None
    return _array_from(raw, shape, fortran, dtype)


def read_npz(
    data: bytes,
    label: str,
    specs: dict[str, ArraySpec],
    aliases: dict[str, str],
    max_member_bytes: int,
    required: tuple[str, ...] = ("X",),
    budget: tuple[int, Cost] | None = None,
) -> dict[str, np.ndarray]:
    """Read the allowed members of an ``.npz`` archive.

    ``aliases`` maps accepted member names (without ``.npy``) to canonical keys of
    ``specs``; any other member is refused. ``budget = (limit, cost)``: the members'
    ``cost(shape, dtype)`` together may not exceed ``limit`` bytes (checked from each
    header, before its data is unpacked). Returns {canonical key: array}.
    """
    zf, infos = _open_archive(data, label)
    members = _select_members(label, infos, aliases, max_member_bytes, required)
    spent = [0]

    def charge(shape: tuple[int, ...], dtype: np.dtype) -> None:
        if budget is None:
            return
        spent[0] += budget[1](shape, dtype)
        if spent[0] > budget[0]:
            mb, limit = f"{spent[0] / 2**20:.0f}", f"{budget[0] / 2**20:.0f}"
            raise DataError(
                f"{label} unpacks to arrays that need {mb} MB from a {len(data) / 2**20:.1f} MB file "
                f"(at most {limit} MB here); save it with np.savez (not compressed) or use fewer rows.",
                code="npz_unpacks_too_much",
                params=dict(name=label, size=mb, max=limit),
            )

    return {key: _read_member(zf, info, label, specs[key], charge) for key, info in members.items()}
