"""A finished Result as one safetensors file: arrays and weights as tensors, the rest
(metrics, histories, the nesting of ``arrays``, model architectures) as JSON metadata.

Used for the lecture presets (``python -m aecore presets``). No pickle anywhere: the
file is read by ``safetensors`` and ``json`` only, and models are rebuilt from a closed
list of architectures (``aecore.models.spec``), so a file cannot carry code.

Tree encoding of ``Result.arrays`` (nested dicts, lists, tuples, arrays, scalars)::

    {"nd": "arrays/3"}              a NumPy array, stored as tensor "arrays/3"
    {"dict": [[key, node], ...]}    keys may be str, int, float or bool
    {"tuple": [...]}, {"list": [...]}, {"v": scalar}   (scalar: None/bool/int/float/str)
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import torch
from safetensors.numpy import load as np_load
from safetensors.numpy import save as np_save

from aecore.experiments.base import Result
from aecore.models.spec import describe, rebuild

FORMAT = "aecore-result-1"


class _Writer:
    def __init__(self) -> None:
        self.tensors: dict[str, np.ndarray] = {}

    def node(self, x: Any) -> Any:
        if isinstance(x, dict):
            return {"dict": [[_key(k), self.node(v)] for k, v in x.items()]}
        if isinstance(x, (tuple, list)):
            return {type(x).__name__: [self.node(v) for v in x]}
        if torch.is_tensor(x):
            x = x.detach().cpu().numpy()
        if isinstance(x, np.ndarray):
            if x.dtype.kind not in "biuf":
                raise TypeError(f"cannot store an array of dtype {x.dtype}.")
            name = f"arrays/{len(self.tensors)}"
            self.tensors[name] = np.ascontiguousarray(x)
            return {"nd": name}
        if isinstance(x, np.generic):
            x = x.item()
        if x is None or isinstance(x, (bool, int, float, str)):
            return {"v": x}
        raise TypeError(f"cannot store a {type(x).__name__} in a result file.")


def _key(k: Any) -> Any:
    if isinstance(k, np.generic):
        k = k.item()
    if not isinstance(k, (str, int, float, bool)):
        raise TypeError(f"cannot store a dict key of type {type(k).__name__}.")
    return k


def _read(node: Any, tensors: dict[str, np.ndarray]) -> Any:
    ((tag, val),) = node.items()
    if tag == "nd":
        return tensors[val]
    if tag == "dict":
        return {k: _read(v, tensors) for k, v in val}
    if tag == "tuple":
        return tuple(_read(v, tensors) for v in val)
    if tag == "list":
        return [_read(v, tensors) for v in val]
    if tag == "v":
        return val
    raise ValueError(f"unknown node {tag!r} in a result file.")


def dump(result: Result, header: dict[str, Any] | None = None) -> bytes:
    """The result as safetensors bytes; ``header`` (JSON-able) is stored alongside."""
    tensors, meta = encode(result, header)
    return np_save(tensors, metadata={"aecore": json.dumps(meta)})


def encode(result: Result, header: dict[str, Any] | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """(tensors, JSON metadata) of ``result``: what ``dump`` writes (a class pack,
    ``aecore.store.pack``, writes several under prefixes)."""
    w = _Writer()
    tree = w.node(result.arrays)
    models = {}
    for i, (name, model) in enumerate(result.models.items()):
        prefix = f"models/{i}/"
        for k, v in model.state_dict().items():
            w.tensors[prefix + k] = v.detach().cpu().numpy().copy()
        models[name] = {"spec": describe(model), "prefix": prefix, "stage": result.stages.get(name)}
    meta = {
        "format": FORMAT,
        "header": header or {},
        "metrics": result.metrics,
        "histories": result.histories,
        "seconds": result.seconds,
        "tree": tree,
        "models": models,
    }
    return w.tensors, meta


def read_meta(data: bytes) -> dict[str, Any]:
    """The JSON part alone (cheap: the tensors are not decoded)."""
    n = int.from_bytes(data[:8], "little")
    meta = json.loads(data[8 : 8 + n])["__metadata__"]
    out = json.loads(meta["aecore"])
    if out.get("format") != FORMAT:
        raise ValueError(f"not an {FORMAT} file.")
    return out


def load(data: bytes) -> tuple[Result, dict[str, Any]]:
    """(Result, header) from ``dump`` bytes (trusted files: the shipped presets)."""
    meta = read_meta(data)
    return decode(meta, np_load(bytes(data))), meta["header"]


def decode(meta: dict[str, Any], tensors: dict[str, np.ndarray], source: str = "preset") -> Result:
    """The Result of ``encode``'s (tensors, metadata); models rebuilt, in eval mode."""
    arrays = {k: v for k, v in tensors.items() if k.startswith("arrays/")}
    models, stages = {}, {}
    for name, entry in meta["models"].items():
        model, prefix = rebuild(entry["spec"]), entry["prefix"]
        state = {k[len(prefix) :]: torch.from_numpy(v) for k, v in tensors.items() if k.startswith(prefix)}
        model.load_state_dict(state, strict=True)
        if entry.get("stage"):
            stages[name] = entry["stage"]
        models[name] = model.eval()
    return Result(
        metrics={k: float(v) for k, v in meta["metrics"].items()},
        arrays=_read(meta["tree"], arrays),
        models=models,
        histories={k: list(v) for k, v in meta["histories"].items()},
        stages=stages,
        seconds=float(meta["seconds"]),
        source=source,
    )
