"""Model weights as safetensors, and loading them back validated against the architecture.

Defends against "PyTorch models are programs": a pickle
checkpoint runs code when loaded, so only safetensors bytes are accepted and
``torch.load`` is never called. Before safetensors parses anything: a size cap
(``MAX_WEIGHTS_BYTES``), the 8-byte header length checked against the file and a small
cap, the JSON header read by ``json`` and each entry checked (dtype F32, shape, offsets
inside the buffer and matching the shape). Then: keys must equal the architecture's
``state_dict`` keys, shapes equal, values finite, metadata (model kind and config, when
present) consistent with the target model; only then ``load_state_dict(strict=True)``.
A rejected file leaves the target model untouched. Errors are ``WeightsError`` (a
``ValueError``) whose message names the problem.
"""

from __future__ import annotations

import json
import math
import struct

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save
from torch import nn

from aecore.errors import CodedError
from aecore.models import MODELS, ModelConfig, build_model

MAX_WEIGHTS_BYTES = 5 * 1024 * 1024
MAX_HEADER_BYTES = 64 * 1024
FORMAT = "aecore-weights-1"


class WeightsError(CodedError):
    """The weights file cannot be used; the message says why."""


def model_kind(model: nn.Module) -> str:
    """The registry name of ``model``'s class ("mlp", ...), else its class name."""
    for kind, cls in MODELS.items():
        if type(model) is cls:
            return kind
    return type(model).__name__


def _config_json(model: nn.Module) -> str | None:
    cfg = getattr(model, "config", None)
    return json.dumps(cfg.to_dict()) if hasattr(cfg, "to_dict") else None


def save_weights(model: nn.Module, stage: str | None = None) -> bytes:
    """Serialise ``model.state_dict()`` with safetensors; metadata: kind, the stage id it
    trained under (``Result.stages``; loading the file back replays that stage) and config JSON."""
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous().clone() for k, v in model.state_dict().items()}
    meta = {"format": FORMAT, "kind": model_kind(model)}
    if stage:
        meta["stage"] = stage
    cfg = _config_json(model)
    if cfg is not None:
        meta["config"] = cfg
    return st_save(tensors, metadata=meta)


def read_header(data: bytes) -> dict:
    """Check the size and the safetensors header without touching the tensor data."""
    header, body = _parse_header(data)
    for key, entry in header.items():
        if key != "__metadata__":
            _check_entry(key, entry, body)
    return header


def _parse_header(data: bytes) -> tuple[dict, int]:
    """(the JSON header, the size of the tensor data after it), size and framing checked."""
    if not isinstance(data, (bytes, bytearray)):
        raise WeightsError("weights must be given as the bytes of a .safetensors file.", code="weights_not_safetensors")
    if len(data) > MAX_WEIGHTS_BYTES:
        size, limit = f"{len(data) / 2**20:.1f}", MAX_WEIGHTS_BYTES // 2**20
        raise WeightsError(
            f"the weights file is {size} MB; the limit is {limit} MB.",
            code="weights_too_large",
            params=dict(size=size, limit=limit),
        )
    if len(data) < 10:
        raise WeightsError(
            "the file is too short to be a .safetensors file; export the weights again.", code="weights_not_safetensors"
        )
    (n,) = struct.unpack("<Q", bytes(data[:8]))
    if n > MAX_HEADER_BYTES or n > len(data) - 8:
        raise WeightsError(
            f"the file declares a {n}-byte header but is {len(data)} bytes "
            f"long (limit {MAX_HEADER_BYTES}); it is not a valid .safetensors "
            "file (only .safetensors weights are accepted, never pickles).",
            code="weights_not_safetensors",
        )
    raw = bytes(data[8 : 8 + n])
    if not raw.lstrip().startswith(b"{"):
        raise WeightsError(
            "the file is not a .safetensors file (its header is not JSON); only .safetensors weights are accepted.",
            code="weights_not_safetensors",
        )
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WeightsError(
            "the .safetensors header is not valid JSON; export the weights again.", code="weights_not_safetensors"
        ) from None
    if not isinstance(header, dict):
        raise WeightsError("the .safetensors header is not a JSON object.", code="weights_not_safetensors")
    meta = header.get("__metadata__") or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise WeightsError("the .safetensors metadata must map names to strings.", code="weights_not_safetensors")
    return header, len(data) - 8 - n


def _check_entry(key: str, entry: object, body: int) -> None:
    """One tensor entry of the header: dtype F32, a sane shape, offsets inside the data."""
    if not isinstance(entry, dict) or entry.get("dtype") != "F32":
        dt = entry.get("dtype") if isinstance(entry, dict) else None
        raise WeightsError(
            f"tensor {key!r} has dtype {dt!r}; float32 (F32) expected.",
            code="weights_dtype",
            params=dict(tensor=key, dtype=dt),
        )
    shape, offs = entry.get("shape"), entry.get("data_offsets")
    if not isinstance(shape, list) or len(shape) > 4 or not all(isinstance(s, int) and 0 <= s <= 2**31 for s in shape):
        raise WeightsError(
            f"tensor {key!r} has an invalid shape {shape!r}.", code="weights_damaged", params=dict(tensor=key)
        )
    if (
        not isinstance(offs, list)
        or len(offs) != 2
        or not all(isinstance(o, int) for o in offs)
        or not 0 <= offs[0] <= offs[1] <= body
        or offs[1] - offs[0] != 4 * math.prod(shape)
    ):
        raise WeightsError(
            f"tensor {key!r} has data offsets {offs!r} that do not match "
            "its shape or the file size; the file is damaged.",
            code="weights_damaged",
            params=dict(tensor=key),
        )


def _is_type_of(value: object, default: object) -> bool:
    """JSON ``value`` has the type of the field's ``default`` (bools are not numbers here;
    tuples arrive as lists of ints)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, tuple):
        return isinstance(value, (list, tuple)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def config_from_weights(data: bytes) -> ModelConfig:
    """The ModelConfig stored in the file's metadata, validated (for building the model)."""
    meta = read_header(data).get("__metadata__") or {}
    if "config" not in meta:
        raise WeightsError(
            "the file does not say which architecture it belongs to; choose "
            "the model settings and load it into that model.",
            code="weights_no_config",
        )
    try:
        d = json.loads(meta["config"])
    except (ValueError, RecursionError):
        raise WeightsError("the file's model config is not valid JSON.", code="weights_config_invalid") from None
    specs = ModelConfig.field_specs()
    if not isinstance(d, dict) or not set(d) <= set(specs):
        raise WeightsError("the file's model config has unknown settings.", code="weights_config_invalid")
    wrong = sorted(k for k, v in d.items() if not _is_type_of(v, specs[k].default))
    if wrong:
        raise WeightsError(
            f"the file's model config has values of the wrong type: {wrong}.", code="weights_config_invalid"
        )
    try:
        return ModelConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})
    except ValueError as exc:  # ConfigError: out of range
        raise WeightsError(f"the file's model config is invalid: {exc}", code="weights_config_invalid") from None


def load_weights(data: bytes, model_or_config: nn.Module | ModelConfig) -> nn.Module:
    """Validate ``data`` against the architecture, then load it (strict) and return the model.

    ``model_or_config``: a ModelConfig (a fresh ``build_model`` model is returned) or an
    existing model (loaded in place, and only if every check passes).
    """
    if isinstance(model_or_config, ModelConfig):
        model = build_model(model_or_config)
    elif isinstance(model_or_config, nn.Module):
        model = model_or_config
    else:
        raise WeightsError("load_weights needs a model or a ModelConfig to check against.", code="weights_needs_model")
    header = read_header(data)
    meta = header.pop("__metadata__", None) or {}
    if "kind" in meta and meta["kind"] != model_kind(model):
        raise WeightsError(
            f"these weights are for a {meta['kind']!r} model, not {model_kind(model)!r}.",
            code="weights_kind",
            params=dict(file=meta["kind"], model=model_kind(model)),
        )
    _check_config(meta, model)
    _check_architecture(header, model)
    model.load_state_dict(_read_tensors(data), strict=True)
    return model


def _check_architecture(header: dict, model: nn.Module) -> None:
    """The header's tensors are exactly the model's ``state_dict`` keys, with its shapes."""
    expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    missing, extra = sorted(set(expected) - set(header)), sorted(set(header) - set(expected))
    if missing or extra:
        raise WeightsError(
            "the weights do not fit this architecture: "
            + "; ".join(
                p
                for p in (
                    f"missing {', '.join(missing[:5])}" if missing else "",
                    f"unexpected {', '.join(extra[:5])}" if extra else "",
                )
                if p
            )
            + ". Choose the same model settings as when they were saved.",
            code="weights_architecture",
            params=dict(missing=", ".join(missing[:5]) or "—", unexpected=", ".join(extra[:5]) or "—"),
        )
    for key, shape in expected.items():
        if tuple(header[key]["shape"]) != shape:
            raise WeightsError(
                f"tensor {key!r} has shape {tuple(header[key]['shape'])}, the "
                f"architecture needs {shape}. Choose the same model settings.",
                code="weights_shape",
                params=dict(tensor=key, shape=tuple(header[key]["shape"]), expected=shape),
            )


def _read_tensors(data: bytes) -> dict[str, torch.Tensor]:
    """The tensors, parsed by safetensors, each float32 and finite."""
    try:
        tensors = st_load(bytes(data))
    except Exception as exc:  # SafetensorError has no public base class
        if isinstance(exc, MemoryError):
            raise
        raise WeightsError(f"the .safetensors file is invalid ({exc}).", code="weights_not_safetensors") from None
    for key, t in tensors.items():
        if t.dtype != torch.float32:
            raise WeightsError(
                f"tensor {key!r} is {t.dtype}; float32 expected.",
                code="weights_dtype",
                params=dict(tensor=key, dtype=str(t.dtype)),
            )
        if not torch.isfinite(t).all():
            raise WeightsError(
                f"tensor {key!r} contains NaN or infinite values.", code="weights_non_finite", params=dict(tensor=key)
            )
    return tensors


def _check_config(meta: dict, model: nn.Module) -> None:
    """The file's stored config (if any) must equal the model's (activations matter too)."""
    cfg = getattr(model, "config", None)
    if "config" not in meta or not hasattr(cfg, "to_dict"):
        return
    try:
        stored = json.loads(meta["config"])
    except ValueError:
        raise WeightsError("the file's model config is not valid JSON.", code="weights_config_invalid") from None
    mine = json.loads(json.dumps(cfg.to_dict()))
    if not isinstance(stored, dict):
        raise WeightsError("the file's model config is not a JSON object.", code="weights_config_invalid")
    diff = sorted(k for k in set(stored) | set(mine) if stored.get(k) != mine.get(k))
    if diff:
        detail = ", ".join(f"{k}: file {stored.get(k)!r} vs model {mine.get(k)!r}" for k in diff[:4])
        raise WeightsError(
            f"these weights were saved for other model settings ({detail}).",
            code="weights_settings",
            params=dict(keys=", ".join(diff[:4])),
        )


__all__ = [
    "MAX_WEIGHTS_BYTES",
    "WeightsError",
    "config_from_weights",
    "load_weights",
    "model_kind",
    "read_header",
    "save_weights",
]
