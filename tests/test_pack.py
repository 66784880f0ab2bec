"""Class packs (aecore.store.pack): a round trip keeps every number and weight; hostile files
are refused with a coded error before anything is built."""

from __future__ import annotations

import json
import pickle
import struct

import numpy as np
import pytest
import torch

from aecore.experiments import Result, get
from aecore.models import ModelConfig, build_model
from aecore.store import pack, prepare

pytestmark = pytest.mark.usefixtures("user_data")


@pytest.fixture()
def data(user_data):
    """A small uploaded data set: its name and content digest."""
    rng = np.random.default_rng(0)
    name = user_data.register_dataset(rng.random((80, 16), dtype=np.float32), np.arange(80) % 3, label="mine.csv")
    return name, prepare.digest(name)


def _result(seed: int = 0) -> Result:
    model = build_model(ModelConfig(input_dim=16, hidden=(8,), latent_dim=2), seed=seed)
    arrays = {"codes": np.arange(12, dtype=np.float32).reshape(6, 2), "labels": np.arange(6), "k": [1, (2, 3.5)]}
    return Result(
        {"mse": 0.125 + seed, "auc": 0.9},
        arrays,
        {"autoencoder": model},
        {"ae": [1.0, 0.5]},
        {"autoencoder": "ae"},
        seconds=1.5,
    )


def _entries(name: str, n: int = 2) -> list:
    cfg = get("anomaly").config_cls(dataset=name)
    return [("anomaly", cfg, _result(0)), ("latent", get("latent").config_cls(dataset=name), _result(1))][:n]


def _rewrite(blob: bytes, edit) -> bytes:
    """The pack with its JSON header changed by ``edit(header, doc)`` (tensor bytes kept)."""
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8 : 8 + n])
    doc = json.loads(header["__metadata__"]["aecore-pack"])
    edit(header, doc)
    header["__metadata__"]["aecore-pack"] = json.dumps(doc)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + blob[8 + n :]


def _refused(blob: bytes, code: str, data) -> pack.PackError:
    with pytest.raises(pack.PackError) as caught:
        pack.read(blob, data[1], data[0])
    assert caught.value.code == code, caught.value
    return caught.value


def test_round_trip_keeps_numbers_arrays_and_weights(data):
    entries = _entries(data[0])
    out = pack.read(pack.dump(entries, data[1], "mine.csv"), data[1], data[0])
    assert [(n, c) for n, c, _ in out] == [(n, c) for n, c, _ in entries]
    for (_, _, before), (_, _, after) in zip(entries, out, strict=True):
        assert after.metrics == before.metrics and after.histories == before.histories
        assert np.array_equal(after.arrays["codes"], before.arrays["codes"]) and after.arrays["k"] == [1, (2, 3.5)]
        for k, v in before.models["autoencoder"].state_dict().items():
            assert torch.equal(after.models["autoencoder"].state_dict()[k], v)
        assert after.stages == before.stages and after.source == "preset"


def test_other_data_is_refused_naming_both(data, user_data):
    blob = pack.dump(_entries(data[0]), data[1], "mine.csv")
    other = user_data.register_dataset(np.random.default_rng(1).random((80, 16), dtype=np.float32), label="other.csv")
    with pytest.raises(pack.PackError) as caught:
        pack.read(blob, prepare.digest(other), other, "other.csv")
    err = caught.value
    assert err.code == "pack_digest" and "mine.csv" in str(err) and "other.csv" in str(err)
    assert data[1][:16] in str(err) and prepare.digest(other)[:16] in str(err)


def test_truncated_and_framing(data):
    blob = pack.dump(_entries(data[0]), data[1], "mine.csv")
    _refused(blob[:-64], "pack_damaged", data)  # the last tensor runs past the end
    _refused(blob[:6], "pack_not_pack", data)
    _refused(struct.pack("<Q", 2**40) + blob[8:], "pack_not_pack", data)  # a huge header length
    _refused(pickle.dumps({"weights": list(range(100))}), "pack_not_pack", data)  # a pickle renamed .pack
    _refused(b"\x00" * 16 + b"not json", "pack_not_pack", data)


def test_oversize_file_is_refused_before_parsing(data, monkeypatch):
    blob = pack.dump(_entries(data[0]), data[1], "mine.csv")
    monkeypatch.setattr(pack, "MAX_PACK_BYTES", len(blob) - 1)
    _refused(blob, "pack_too_large", data)


def test_wrong_dtype_and_bad_offsets(data):
    blob = pack.dump(_entries(data[0]), data[1], "mine.csv")
    first = lambda h: next(k for k in h if k != "__metadata__")  # noqa: E731
    _refused(_rewrite(blob, lambda h, d: h[first(h)].update(dtype="C64")), "pack_dtype", data)
    _refused(_rewrite(blob, lambda h, d: h[first(h)].update(shape=[10**6])), "pack_damaged", data)
    _refused(_rewrite(blob, lambda h, d: h.update({"../x": h.pop(first(h))})), "pack_damaged", data)


def test_forged_configs_are_refused(data):
    blob = pack.dump(_entries(data[0]), data[1], "mine.csv")
    cases = [
        lambda h, d: d["entries"][0]["config"].update(steps=-5),  # out of range
        lambda h, d: d["entries"][0]["config"].update(evil="__import__('os')"),  # unknown key
        lambda h, d: d["entries"][0].update(experiment="os.system"),
        lambda h, d: d["entries"][0]["config"].update(dataset="digits"),  # not the pack's data
    ]
    for edit in cases:
        assert _refused(_rewrite(blob, edit), "pack_config", data).params["index"] == 1


def test_forged_results_and_models_are_refused(data):
    blob = pack.dump(_entries(data[0]), data[1], "mine.csv")
    model = lambda d: d["entries"][1]["result"]["models"]["autoencoder"]  # noqa: E731
    cases = [
        lambda h, d: model(d).update(spec={"kind": "os.system", "args": {}}),
        lambda h, d: model(d).update(spec={"kind": "unet", "args": {"width": 10**6, "depth": 9}}),
        lambda h, d: model(d)["spec"]["config"].update(latent_dim=3),  # shapes no longer the file's
        lambda h, d: d["entries"][1]["result"].update(metrics={"mse": "1; rm -rf"}),
        lambda h, d: d["entries"][1]["result"].update(tree={"nd": "arrays/999"}),
        lambda h, d: d["entries"][1]["result"].update(tree=json.loads('{"list": [' * 40 + "]}" * 40)),
    ]
    for edit in cases:
        assert _refused(_rewrite(blob, edit), "pack_result", data).params["index"] == 2


def test_non_finite_weights_are_refused(data):
    name = data[0]
    bad = _result()
    with torch.no_grad():
        next(bad.models["autoencoder"].parameters())[0, 0] = float("nan")
    blob = pack.dump([("anomaly", get("anomaly").config_cls(dataset=name), bad)], data[1], "mine.csv")
    _refused(blob, "pack_result", data)


def test_too_many_entries(data, monkeypatch):
    entries = _entries(data[0], 1) * 3
    monkeypatch.setattr(pack, "MAX_ENTRIES", 2)
    with pytest.raises(pack.PackError, match="at most 2"):
        pack.dump(entries, data[1], "mine.csv")
    monkeypatch.setattr(pack, "MAX_ENTRIES", 3)
    blob = pack.dump(entries, data[1], "mine.csv")
    monkeypatch.setattr(pack, "MAX_ENTRIES", 2)
    _refused(blob, "pack_entries", data)


def test_the_command_line_writes_a_pack_the_app_reads(tmp_path, user_data):
    """``python -m aecore pack --data FILE --only anomaly``: trains that page's views on the file
    and writes a pack that reads back on the same data, and only on it."""
    rng = np.random.default_rng(1)
    rows = [",".join(f"{v:.4f}" for v in r) + f",{i % 10}" for i, r in enumerate(rng.random((120, 16)))]
    csv = tmp_path / "mine.csv"
    csv.write_text("\n".join([",".join(f"p{i}" for i in range(16)) + ",label", *rows]))
    out = tmp_path / "class.pack"
    assert prepare.command(str(csv), "anomaly", str(out)) == 0
    name = prepare._data_name(str(csv))  # the same file names the same upload
    entries = pack.read(out.read_bytes(), prepare.digest(name), name)
    assert entries and {e for e, _, _ in entries} == {"anomaly"}
    assert all(c.dataset == name for _, c, _ in entries) and all(r.metrics for _, _, r in entries)
    other = user_data.register_dataset(rng.random((80, 16), dtype=np.float32), np.arange(80) % 3, label="other.csv")
    with pytest.raises(pack.PackError):
        pack.read(out.read_bytes(), prepare.digest(other), other)
    assert prepare.command(str(csv), "no_such_page", str(tmp_path / "x.pack")) == 2
