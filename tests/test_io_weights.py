"""Weights: safetensors round trip; every malformed or hostile file is a WeightsError,
nothing is executed, and the target model is left untouched. Plus a source guard that
forbids unsafe loaders anywhere in the repository."""

from __future__ import annotations

import json
import pickle
import struct
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.torch import save as st_save

from aecore.models import ModelConfig, build_model
from aecore.store.weights import (
    MAX_HEADER_BYTES,
    MAX_WEIGHTS_BYTES,
    WeightsError,
    config_from_weights,
    load_weights,
    save_weights,
)

ROOT = Path(__file__).resolve().parents[1]
CFG = ModelConfig(input_dim=12, hidden=(16, 8), latent_dim=2, activation="tanh")


def _model(seed: int = 0):
    return build_model(CFG, seed=seed)


def _state(**changes):
    sd = {k: v.clone() for k, v in _model().state_dict().items()}
    sd.update(changes)
    return sd


def test_round_trip_gives_identical_outputs():
    model = _model(seed=7)
    data = save_weights(model)
    x = torch.randn(9, 12, generator=torch.Generator().manual_seed(0))
    for target in (CFG, _model(seed=99)):
        loaded = load_weights(data, target)
        assert torch.equal(loaded(x), model(x))
        assert loaded.state_dict().keys() == model.state_dict().keys()
    assert config_from_weights(data) == CFG


def _unchanged_after(data: bytes, match: str) -> None:
    target = _model(seed=5)
    before = {k: v.clone() for k, v in target.state_dict().items()}
    with pytest.raises(WeightsError, match=match):
        load_weights(data, target)
    assert all(torch.equal(before[k], v) for k, v in target.state_dict().items())


class _Boom:
    """Unpickling this would create the sentinel file (it must never happen)."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def test_pickle_renamed_safetensors_never_runs(tmp_path):
    sentinel = tmp_path / "pwned"
    payload = pickle.dumps({"encoder.0.weight": _Boom(str(sentinel))})
    _unchanged_after(payload, "safetensors")
    zipped = tmp_path / "ckpt.pt"  # a real torch checkpoint (zip of pickle)
    torch.save({"x": _Boom(str(sentinel))}, zipped)
    _unchanged_after(zipped.read_bytes(), "safetensors")
    assert not sentinel.exists()


def test_truncated_and_garbage_files():
    data = save_weights(_model())
    for cut in (0, 5, 9, 50, len(data) // 2, len(data) - 1):
        with pytest.raises(WeightsError):
            load_weights(data[:cut], CFG)
    _unchanged_after(b"\x00" * 64, "not a .safetensors|header")
    _unchanged_after(struct.pack("<Q", 6) + b"[1, 2]" + b"\0" * 8, "not JSON")


def test_oversize_file_and_header():
    _unchanged_after(b"\0" * (MAX_WEIGHTS_BYTES + 1), "limit")
    huge = struct.pack("<Q", MAX_HEADER_BYTES + 1) + b"{" + b" " * (MAX_HEADER_BYTES + 10)
    _unchanged_after(huge, "header")
    _unchanged_after(struct.pack("<Q", 2**63) + b"{}" * 8, "header")


def test_wrong_keys_shapes_dtypes():
    sd = _state()
    sd["extra.weight"] = torch.zeros(2)
    _unchanged_after(st_save(sd), "unexpected extra.weight")
    sd = _state()
    del sd["decoder.0.bias"]
    _unchanged_after(st_save(sd), "missing decoder.0.bias")
    _unchanged_after(st_save(_state(**{"encoder.0.weight": torch.zeros(16, 13)})), "shape")
    _unchanged_after(st_save(_state(**{"encoder.0.weight": torch.zeros(16, 12, dtype=torch.float64)})), "F32")
    _unchanged_after(save_weights(build_model(ModelConfig(input_dim=12, hidden=(16, 8), latent_dim=3))), "latent_dim")


def test_other_activation_same_shapes_refused():
    other = build_model(ModelConfig(input_dim=12, hidden=(16, 8), latent_dim=2, activation="relu"))
    _unchanged_after(save_weights(other), "activation")


def test_non_finite_weights_refused():
    for bad in (float("nan"), float("inf")):
        w = torch.zeros(16, 12)
        w[3, 4] = bad
        _unchanged_after(st_save(_state(**{"encoder.0.weight": w})), "NaN or infinite")


def test_crafted_offsets_refused():
    data = bytearray(save_weights(_model()))
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header["encoder.0.weight"]["data_offsets"] = [0, 10**12]
    raw = json.dumps(header).encode()
    crafted = struct.pack("<Q", len(raw)) + raw + bytes(data[8 + n :])
    _unchanged_after(crafted, "offsets")
    header["encoder.0.weight"]["shape"] = [2**40, 2**40]
    raw = json.dumps(header).encode()
    _unchanged_after(struct.pack("<Q", len(raw)) + raw + bytes(data[8 + n :]), "shape")


def test_bad_target_and_metadata():
    with pytest.raises(WeightsError):
        load_weights(save_weights(_model()), "mlp")
    no_meta = st_save(_state())
    assert torch.equal(load_weights(no_meta, CFG).encoder[0].weight, _model().encoder[0].weight)
    with pytest.raises(WeightsError, match="architecture"):
        config_from_weights(no_meta)
    bad_cfg = st_save(_state(), metadata={"config": json.dumps({"input_dim": 10**9})})
    with pytest.raises(WeightsError, match="invalid|too large"):
        config_from_weights(bad_cfg)


_GOOD = save_weights(_model())


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    edits=st.lists(st.tuples(st.integers(0, len(_GOOD) - 1), st.integers(0, 255)), max_size=4),
    cut=st.integers(0, 64),
    blob=st.binary(max_size=300),
    mode=st.integers(0, 2),
)
def test_mutated_files_give_weightserror_only(edits, cut, blob, mode):
    data = bytearray(_GOOD)
    for i, b in edits:
        data[i] = b
    data = [bytes(data[: len(data) - cut]), blob, _GOOD[:8] + blob][mode]
    try:
        model = load_weights(data, CFG)
    except WeightsError:
        return
    assert all(torch.isfinite(p).all() for p in model.parameters())


# ---------------------------------------------------------------- source guard

FORBIDDEN = (
    "torch." + "load(",
    "weights_only" + "=False",
    "allow_pickle" + "=True",
    "pickle." + "loads(",
    "pickle." + "load(",
)
# files that build hostile inputs on purpose (they never load them)
HOSTILE_BUILDERS = {"tests/test_io_uploads.py"}


def test_no_unsafe_loaders_in_the_repository():
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        skip = rel.startswith((".venv/", "artifacts/", "data/")) or "/.venv/" in rel
        if skip or rel in HOSTILE_BUILDERS:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{rel}: {pat}" for pat in FORBIDDEN if pat in text.replace(" ", "")]
    assert offenders == []


def test_source_guard_would_catch_an_offender(tmp_path):
    text = ("x = torch." + "load( f , weights_only = " + "False)\n").replace(" ", "")
    assert any(pat in text for pat in FORBIDDEN)
