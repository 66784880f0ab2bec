"""Backend errors reach users in their language: every ``code`` a backend error is raised with
has an ``error.<code>`` text that formats with that raise site's ``params``, and the common
errors, raised for real, read in Portuguese and Spanish (``ui.kit.i18n.error_message``).
The English ``str(exc)`` stays as it was (command line, logs, the other tests)."""

from __future__ import annotations

import copy
import io

import numpy as np
import pytest
import torch
from safetensors.torch import save as st_save

from aecore.config import ConfigError
from aecore.data.dataset import MAX_FEATURES, MAX_ROWS
from aecore.errors import CodedError, DataError
from aecore.experiments.intro import IntroConfig
from aecore.experiments.sae_features import SAEConfig
from aecore.io.mnist import load_mnist, parse_idx
from aecore.io.uploads import MAX_UPLOAD_BYTES, load_upload
from aecore.maths.info import DistributionError, normalize
from aecore.models import ModelConfig, build_model
from aecore.models.vae import VAE
from aecore.noise import corrupt
from aecore.penalties import make_penalty
from aecore.store.export import config_from_json
from aecore.store.script import script_for
from aecore.store.weights import MAX_WEIGHTS_BYTES, WeightsError, load_weights, read_header, save_weights
from tests.filebytes import npy_header
from tests.i18n_scan import (
    OTHER_LANGS,
    REF,
    coded_error_classes,
    load_raw,
    placeholders,
    raise_sites,
    uncoded_raise_sites,
)
from ui.kit.i18n import error_message


def test_every_coded_error_is_raised_with_a_code():
    classes = coded_error_classes()
    known = {cls.__name__ for cls in (ConfigError, DataError, WeightsError, DistributionError)}
    assert known <= classes, f"the class scan missed {known - classes}"
    missing = uncoded_raise_sites()
    assert not missing, (
        "backend errors raised without code= (pt/es users would read English; "
        f"give each a code and params and an error.<code> text): {missing}"
    )


def test_uncoded_raise_scan_finds_a_missing_code(tmp_path):
    (tmp_path / "aecore").mkdir()
    (tmp_path / "aecore" / "m.py").write_text(
        "class E(CodedError): ...\nclass F(E): ...\n"
        "def f(x):\n    if x:\n        raise F('no code')\n    raise E('ok', code='c')\n"
    )
    assert uncoded_raise_sites(tmp_path) == ["aecore/m.py:5 F"]


def test_every_raised_code_has_a_text_that_fits_its_params():
    sites, unreadable = raise_sites()
    assert sites and not unreadable, f"code=/params= this scan cannot read (use literals, dict(...)): {unreadable}"
    english = {k[len("error.") :]: v for k, v in load_raw(REF).items() if k.startswith("error.")}
    missing = sorted(set(sites) - set(english))
    assert not missing, f"codes raised without an error.<code> text in English: {missing}"
    stale = sorted(set(english) - set(sites))
    assert not stale, f"error texts for codes no backend error is raised with: {stale}"
    for lang in [REF, *OTHER_LANGS]:
        catalog = load_raw(lang)
        for code, param_sets in sites.items():
            text = str(catalog[f"error.{code}"])
            for names in param_sets:
                assert placeholders(text) <= names, f"{lang} error.{code} uses {placeholders(text) - names}, not given"
                out = text.format(**{n: f"<{n}>" for n in names})
                assert "{" not in out and "}" not in out, f"{lang} error.{code}: {out}"


@pytest.mark.parametrize("lang", OTHER_LANGS)
def test_error_texts_are_translated(lang):
    ref, got = load_raw(REF), load_raw(lang)
    same = sorted(k for k in ref if k.startswith("error.") and ref[k] == got[k])
    assert not same, f"{lang}: error texts still in English: {same}"


# ---------------------------------------------------------------- real errors, rendered


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def _model_bytes(cfg: ModelConfig, nan: bool = False) -> bytes:
    model = build_model(cfg)
    if nan:
        with torch.no_grad():
            next(model.parameters()).fill_(float("nan"))
    return save_weights(model)


SMALL = ModelConfig(input_dim=4, hidden=(3,), latent_dim=2)
CASES = {
    "too_small": lambda: IntroConfig(epochs=0),
    "too_large": lambda: IntroConfig(epochs=10**7),
    "not_a_choice": lambda: IntroConfig(dataset="nope"),
    "non_finite": lambda: IntroConfig(lr=float("nan")),
    "not_parseable": lambda: IntroConfig.from_strings({"epochs": "many"}),
    "unknown_setting": lambda: IntroConfig.from_strings({"colour": "red"}),
    "k_exceeds_dictionary": lambda: SAEConfig(sparsity="topk", k=64, expansion=1, hidden=8),
    "upload_too_large": lambda: load_upload("big.csv", b"1" * (MAX_UPLOAD_BYTES + 1)),
    "upload_empty": lambda: load_upload("empty.csv", b" \n"),
    "unsupported_type": lambda: load_upload("table.xlsx", b"PK\x03\x04...."),
    "not_a_number": lambda: load_upload("text.csv", b"1,2\n" * 12 + b"3,abc\n"),
    "non_finite_values": lambda: load_upload("nan.csv", b"1,2,3\n" * 15 + b"1,nan,3\n"),
    "too_few_rows": lambda: load_upload("tiny.csv", b"1,2\n3,4\n"),
    "too_many_rows": lambda: load_upload("long.csv", b"1,2\n" * (MAX_ROWS + 1)),
    "too_many_columns": lambda: load_upload("wide.csv", b",".join([b"0"] * (MAX_FEATURES + 1))),
    "bad_shape": lambda: load_upload("cube.npy", _npy(np.zeros((2, 2, 2, 2)))),
    "pickle_refused": lambda: load_upload("p.npy", npy_header((10,), "|O") + b"\0" * 80),  # object dtype
    "npz_invalid": lambda: load_upload("fake.npz", b"PK\x03\x04garbage"),
    "dist_negative": lambda: normalize([1.0, -2.0], "P"),
    "dist_zero_sum": lambda: normalize([0.0, 0.0], "Q"),
    "weights_too_large": lambda: read_header(b"\0" * (MAX_WEIGHTS_BYTES + 1)),
    "weights_not_safetensors": lambda: load_weights(b"\x10" + b"\0" * 20, SMALL),
    "weights_architecture": lambda: load_weights(st_save({"w": torch.zeros(2)}), SMALL),
    "weights_settings": lambda: load_weights(_model_bytes(SMALL), ModelConfig(input_dim=4, hidden=(5,))),
    "weights_non_finite": lambda: load_weights(_model_bytes(SMALL, nan=True), SMALL),
    "weights_needs_model": lambda: load_weights(b"", "not a model"),
    "penalty_weight": lambda: make_penalty("l1", -1.0),
    "sparsity_target": lambda: make_penalty("kl", 0.1, rho=1.5),
    "noise_level": lambda: corrupt("gaussian", torch.zeros(1), 3.0, torch.Generator()),
    "vae_needs_config": lambda: VAE(SMALL),
    "out_of_range": lambda: load_mnist("mnist", n=0),
    "idx_bad_magic": lambda: parse_idx(b"\x01\x02\x03\x04", "images.idx", 3),
    "idx_truncated": lambda: parse_idx(b"\0\0\x08\x03\0\0", "images.idx", 3),
    "config_not_json": lambda: config_from_json("{nope"),
    "config_unknown_fields": lambda: config_from_json('{"config": {}, "extra": 1}'),
    "unknown_experiment": lambda: script_for("nope", IntroConfig()),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_common_errors_read_in_every_language(code):
    with pytest.raises(CodedError) as info:
        CASES[code]()
    exc = info.value
    assert exc.code == code, f"raised {exc.code!r}: {exc}"
    english = error_message(exc, REF)
    for lang in OTHER_LANGS:
        text = error_message(exc, lang)
        assert text != str(exc) and text != english, f"{lang}: {code} not translated"
        assert "{" not in text and "}" not in text, text
        if "name" in exc.params:
            assert str(exc.params["name"]) in text


def test_english_message_is_unchanged_and_is_the_fallback():
    exc = pytest.raises(ConfigError, IntroConfig, epochs=0).value
    assert str(exc) == "epochs=0 is too small; it must be ≥ 1."
    assert error_message(ValueError("plain"), "pt") == "plain"
    assert error_message(ConfigError("no code"), "pt") == "no code"
    assert error_message(DataError("odd", code="no_such_code"), "es") == "odd"
    assert error_message(ConfigError("short", code="too_large", params={}), "pt") == "short"  # params missing


def test_code_and_params_survive_copying():  # as with pickling: args and __dict__ are kept
    exc = copy.deepcopy(ConfigError("m", code="too_large", params={"name": "x", "value": 2, "hi": 1}))
    assert (str(exc), exc.code, exc.params) == ("m", "too_large", {"name": "x", "value": 2, "hi": 1})
