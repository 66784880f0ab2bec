"""A class pack: every prepared page's result on one data set, in one safetensors file.

Layout: entry ``i``'s tensors are stored as ``e<i>/<name>`` in the format of
``aecore.store.resultfile`` (``arrays/<k>``, ``models/<j>/<param>``); the metadata key
``aecore-pack`` holds JSON: the format, the data's content digest
(``aecore.data.userdata.content_digest``: the hash that names an upload), its label, and per
entry the experiment, its config and the result's resultfile metadata.

No pickle: the file is read by ``json`` and ``safetensors`` only, and loading it is checked
as weights are (``aecore.store.weights``) before anything is built: a size cap, the 8-byte
header length against the file and a cap, the JSON header parsed by ``json``, every tensor's
dtype (a closed list; model parameters of their model's dtype and finite), shape and offsets; at most
``MAX_ENTRIES`` entries; the digest equal to the loaded data's; each config rebuilt by its
Config class (unknown keys, wrong types, out-of-range values refused) and naming that data;
models rebuilt only from the closed list of ``aecore.models.spec`` with bounded sizes, and
their parameters matching the file exactly. Every refusal is a ``PackError`` with a code.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
from typing import Any

import numpy as np
import torch
from safetensors.numpy import load as np_load
from safetensors.numpy import save as np_save

from aecore.config import Config, ConfigError
from aecore.errors import CodedError
from aecore.experiments import Result, registry
from aecore.store import resultfile
from aecore.store.export import config_from_dict

FORMAT = "aecore-pack-1"
MAX_PACK_BYTES = int(float(os.environ.get("AE_PACK_MB", "128")) * 2**20)
MAX_HEADER_BYTES = 8 * 2**20
MAX_ENTRIES = 64
MAX_DEPTH = 32  # nesting of a result's tree of arrays
MAX_WIDTH = 4096  # any size argument of a model spec (units, channels, features)
_ITEMSIZE = {"F64": 8, "F32": 4, "F16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
_ENTRY = re.compile(r"e(\d{1,3})/(arrays/\d{1,6}|models/\d{1,3}/[\w.]{1,200})")


class PackError(CodedError):
    """The class pack cannot be used; the message says why."""


def dump(entries: list[tuple[str, Config, Result]], digest: str, label: str) -> bytes:
    """The pack of ``entries`` (experiment, config, result) on the data of ``digest``."""
    if len(entries) > MAX_ENTRIES:
        raise PackError(
            f"a pack holds at most {MAX_ENTRIES} results.", code="pack_entries", params=dict(max=MAX_ENTRIES)
        )
    tensors, meta = {}, []
    for i, (name, cfg, result) in enumerate(entries):
        arrays, rmeta = resultfile.encode(result)
        tensors.update({f"e{i}/{k}": v for k, v in arrays.items()})
        meta.append({"experiment": name, "config": cfg.to_dict(), "result": rmeta})
    doc = {"format": FORMAT, "digest": digest, "label": str(label)[:200], "entries": meta}
    data = np_save(tensors, metadata={"aecore-pack": json.dumps(doc)})
    if len(data) > MAX_PACK_BYTES:
        raise _too_large(len(data))
    return data


def _too_large(size: int) -> PackError:
    mb, limit = f"{size / 2**20:.1f}", f"{MAX_PACK_BYTES / 2**20:.0f}"
    return PackError(
        f"the class pack is {mb} MB; the limit is {limit} MB.", code="pack_too_large", params=dict(size=mb, limit=limit)
    )


def _not_pack(why: str) -> PackError:
    return PackError(f"this is not a class pack ({why}); download the pack again.", code="pack_not_pack")


def read_header(data: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """(tensor entries, pack metadata) after the framing, size and entry checks; no tensor
    is decoded."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise _not_pack("not bytes")
    if len(data) > MAX_PACK_BYTES:
        raise _too_large(len(data))
    if len(data) < 10:
        raise _not_pack("too short")
    (n,) = struct.unpack("<Q", bytes(data[:8]))
    if n > MAX_HEADER_BYTES or n > len(data) - 8:
        raise _not_pack(f"a {n}-byte header in a {len(data)}-byte file")
    try:
        header = json.loads(bytes(data[8 : 8 + n]).decode("utf-8"))
        doc = json.loads(header["__metadata__"]["aecore-pack"])
    except (UnicodeDecodeError, ValueError, RecursionError, KeyError, TypeError):
        raise _not_pack("its header is not a pack's JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("entries"), list):
        raise _not_pack(f"not the {FORMAT} format")
    if len(doc["entries"]) > MAX_ENTRIES:
        n_entries = len(doc["entries"])
        raise PackError(
            f"the pack holds {n_entries} results; at most {MAX_ENTRIES} are read.",
            code="pack_entries",
            params=dict(max=MAX_ENTRIES),
        )
    if not isinstance(doc.get("digest"), str) or not re.fullmatch(r"[0-9a-f]{64}", doc["digest"]):
        raise _not_pack("no data digest")
    del header["__metadata__"]
    body = len(data) - 8 - n
    for key, entry in header.items():
        _check_tensor(key, entry, body)
    return header, doc


def _check_tensor(key: str, entry: Any, body: int) -> None:
    dtype = entry.get("dtype") if isinstance(entry, dict) else None
    if dtype not in _ITEMSIZE:
        raise PackError(
            f"tensor {key!r} has dtype {dtype!r}, which a pack does not hold.",
            code="pack_dtype",
            params=dict(tensor=key[:80], dtype=str(dtype)[:20]),
        )
    shape, offs = entry.get("shape"), entry.get("data_offsets")
    ok = (
        _ENTRY.fullmatch(key) is not None
        and isinstance(shape, list)
        and len(shape) <= 8
        and all(isinstance(s, int) and 0 <= s <= 2**31 for s in shape)
        and isinstance(offs, list)
        and len(offs) == 2
        and all(isinstance(o, int) for o in offs)
        and 0 <= offs[0] <= offs[1] <= body
        and offs[1] - offs[0] == _ITEMSIZE[dtype] * math.prod(shape)
    )
    if not ok:
        raise PackError(f"tensor {key!r} is damaged.", code="pack_damaged", params=dict(tensor=key[:80]))


def check_digest(doc: dict[str, Any], digest: str, data_label: str) -> None:
    """Refuse a pack made on other data, naming both."""
    if doc["digest"] != digest:
        pack, mine = str(doc.get("label", ""))[:200], doc["digest"][:16]
        raise PackError(
            f"this pack was prepared on {pack} (digest {mine}), not on the data loaded now, {data_label} "
            f"(digest {digest[:16]}); load that data first.",
            code="pack_digest",
            params=dict(pack=pack, pack_digest=mine, data=data_label, data_digest=digest[:16]),
        )


def read(data: bytes, digest: str, data_name: str, data_label: str = "") -> list[tuple[str, Config, Result]]:
    """The pack's (experiment, config, result) entries, every check passed (module docstring):
    made on the data of ``digest``, whose configs all name ``data_name``."""
    header, doc = read_header(data)
    check_digest(doc, digest, data_label or data_name)
    configs = [_config(i, e, data_name) for i, e in enumerate(doc["entries"])]
    try:
        tensors = np_load(bytes(data))
    except Exception as exc:  # SafetensorError has no public base class
        if isinstance(exc, MemoryError):
            raise
        raise PackError("the pack's tensors are damaged.", code="pack_damaged", params=dict(tensor="—")) from None
    out = []
    for i, (entry, (name, cfg)) in enumerate(zip(doc["entries"], configs, strict=True)):
        mine = {k[len(f"e{i}/") :]: v for k, v in tensors.items() if k.startswith(f"e{i}/")}
        out.append((name, cfg, _result(i, entry["result"], mine)))
    return out


def _config(i: int, entry: Any, data_name: str) -> tuple[str, Config]:
    """Entry ``i``'s experiment and config, rebuilt by its Config class."""
    exp = registry().get(entry.get("experiment")) if isinstance(entry, dict) else None
    try:
        cfg = config_from_dict(exp.config_cls, entry.get("config")) if exp is not None else None
    except ConfigError as exc:
        cfg, why = None, str(exc)
    else:
        why = "unknown experiment" if cfg is None else ""
    if cfg is None:
        raise PackError(f"result {i + 1}'s settings are refused ({why}).", code="pack_config", params=dict(index=i + 1))
    if getattr(cfg, "dataset", data_name) != data_name:
        raise PackError(f"result {i + 1}'s settings name other data.", code="pack_config", params=dict(index=i + 1))
    return entry["experiment"], cfg


def _bad_result(i: int, why: str) -> PackError:
    return PackError(f"result {i + 1} cannot be read ({why}).", code="pack_result", params=dict(index=i + 1))


def _result(i: int, meta: Any, tensors: dict[str, np.ndarray]) -> Result:
    """Entry ``i``'s Result from its checked metadata and tensors."""
    if not isinstance(meta, dict) or not isinstance(meta.get("models"), dict):
        raise _bad_result(i, "no result metadata")
    number = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)  # noqa: E731
    metrics, hist = meta.get("metrics"), meta.get("histories")
    if not isinstance(metrics, dict) or not all(map(number, metrics.values())) or not number(meta.get("seconds")):
        raise _bad_result(i, "metrics")
    if not isinstance(hist, dict) or not all(isinstance(v, list) and all(map(number, v)) for v in hist.values()):
        raise _bad_result(i, "histories")
    _check_tree(i, meta.get("tree"), tensors, 0)
    specs = []
    for entry in meta["models"].values():
        if not isinstance(entry, dict) or not re.fullmatch(r"models/\d{1,3}/", str(entry.get("prefix"))):
            raise _bad_result(i, "a model entry")
        specs.append(entry.get("spec"))
    for spec in specs:
        _check_spec(i, spec)
    try:
        result = resultfile.decode({**meta, "models": {}}, tensors, source="preset")
        for name, entry in meta["models"].items():
            result.models[name] = _model(i, entry, tensors)
            if entry.get("stage"):
                result.stages[name] = str(entry["stage"])
    except PackError:
        raise
    except Exception as exc:  # any other inconsistency: refused, never half-loaded
        if isinstance(exc, MemoryError):
            raise
        raise _bad_result(i, type(exc).__name__) from None
    return result


def _check_tree(i: int, node: Any, tensors: dict[str, np.ndarray], depth: int) -> None:
    if depth > MAX_DEPTH or not isinstance(node, dict) or len(node) != 1:
        raise _bad_result(i, "its arrays")
    ((tag, val),) = node.items()
    if tag == "nd" and val in tensors and str(val).startswith("arrays/"):
        return
    if tag == "v" and (val is None or isinstance(val, (bool, int, float, str))):
        return
    if tag in ("list", "tuple") and isinstance(val, list):
        for v in val:
            _check_tree(i, v, tensors, depth + 1)
        return
    if tag == "dict" and isinstance(val, list):
        for pair in val:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], (str, int, float, bool))):
                raise _bad_result(i, "its arrays")
            _check_tree(i, pair[1], tensors, depth + 1)
        return
    raise _bad_result(i, "its arrays")


def _sizes(spec: Any) -> list[Any]:
    """Every number of a model spec (its config's or arguments' values, its layers')."""
    if isinstance(spec, dict):
        return [x for v in spec.values() for x in _sizes(v)]
    if isinstance(spec, list):
        return [x for v in spec for x in _sizes(v)]
    return [spec] if isinstance(spec, int) and not isinstance(spec, bool) else []


def _check_spec(i: int, spec: Any) -> None:
    """A model of the closed list (``aecore.models.spec``) with bounded sizes, before it is built."""
    from aecore.models.base import MODELS

    kinds = {*MODELS, "unet", "sae", "sequential"}
    if not isinstance(spec, dict) or spec.get("kind") not in kinds or len(json.dumps(spec)) > 4096:
        raise _bad_result(i, "an unknown model")
    if any(abs(x) > MAX_WIDTH for x in _sizes(spec)):
        raise _bad_result(i, "a model too large")


def _model(i: int, entry: dict[str, Any], tensors: dict[str, np.ndarray]) -> torch.nn.Module:
    """A model rebuilt from its spec, its parameters exactly the file's (float32, finite)."""
    from aecore.models.spec import rebuild

    prefix = entry["prefix"]
    with torch.device("meta"):  # its shapes first, allocating nothing: a forged spec cannot exhaust memory
        want = rebuild(entry["spec"]).state_dict()
    state = {k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)}
    if set(state) != set(want) or any(tuple(state[k].shape) != tuple(v.shape) for k, v in want.items()):
        raise _bad_result(i, "a model's parameters")
    dtype = lambda t: torch.empty(0, dtype=t.dtype).numpy().dtype  # noqa: E731
    if any(v.dtype != dtype(want[k]) or (v.dtype.kind == "f" and not np.isfinite(v).all()) for k, v in state.items()):
        raise _bad_result(i, "a model's parameters")
    model = rebuild(entry["spec"])  # as large as the file's own tensors
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in state.items()}, strict=True)
    return model.eval()
