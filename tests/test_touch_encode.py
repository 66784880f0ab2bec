"""What a page's trained model makes of one input (aecore.touch.encode), on the shipped presets
and on a short digits28 run: each answer agrees with the experiment's own numbers for a data
image and with a direct computation; the ELBO estimate matches the run's, the anomaly verdict
follows the score and the Youden threshold; nothing trains or draws from a model's generator.
Planted faults (the KL term dropped, the SAE's decoder bias ignored, a threshold at another quantile) fail."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from aecore import presets
from aecore.data.registry import load_dataset
from aecore.experiments import get
from aecore.touch import encode
from aecore.touch.images import cell_px, pad_row, spec_of, to_ink, upsample

LESSONS = ("latent", "pca", "denoising_images", "vae", "anomaly", "sae_features")


@pytest.fixture
def preset(monkeypatch):
    monkeypatch.setenv("AE_PRESETS", "1")

    def load(name: str, **overrides):
        cfg = dataclasses.replace(get(name).config_cls(), **overrides)
        res = presets.lookup(name, cfg)
        assert res is not None, f"no preset for {name} {overrides}"
        return res

    return load


@pytest.mark.parametrize("name", LESSONS)
def test_every_lesson_answers_with_the_right_shapes(preset, name):
    res = preset(name)
    X, labels, source = encode.real_images(name, res)
    assert source in ("held_out", "training", "data") and X.shape[1] == 64
    assert labels is None or len(labels) == len(X)
    ans = encode.answer(name, res, X[0])
    if name in ("pca", "denoising_images"):
        for m in ans["models"].values():
            assert m["code"].ndim == 1 and (m.get("recon", m.get("output"))).shape == (64,)
    elif name == "sae_features":
        assert ans["code"].shape == (res.arrays["m"],) and ans["probs"].sum() == pytest.approx(1)
        assert len(ans["features"]) == (ans["code"] > 0).sum()
    else:
        assert ans["recon"].shape == (64,) and ans["mse"] == pytest.approx(np.mean((ans["recon"] - X[0]) ** 2))
    again = encode.answer(name, res, X[0])  # the same input, the same numbers
    assert _same(ans, again)


def _same(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return np.array_equal(np.asarray(a), np.asarray(b))


def test_latent_code_of_a_data_image_is_its_point_on_the_map(preset):
    res = preset("latent")
    a = res.arrays
    for i in (0, 100, 1500):
        ans = encode.answer("latent", res, a["X"][i])
        assert np.allclose(ans["code"], a["maps"]["ae"][i], atol=1e-5)
        assert np.allclose(ans["recon"], a["recon"][i], atol=1e-5)


@pytest.mark.parametrize("name", ["digits", "digits28"])
def test_the_pad_path_gives_the_data_path_code_of_a_trained_model(name):
    """A test image of the anomaly run, laid on the pad as its background, gets the score the
    experiment gave it (lesson 9b's trained autoencoder on digits and digits28)."""
    exp = get("anomaly")
    cfg = dataclasses.replace(exp.config_cls(), dataset=name, steps=40)
    res = exp.run(cfg, None)
    spec = spec_of(load_dataset(name))
    cell = cell_px(spec.shape)
    a = res.arrays
    for i in (0, 7, len(a["X"]) - 1):
        ink = to_ink(a["X"][i], spec)
        x = pad_row(np.zeros((*upsample(ink, cell).shape, 4), np.uint8), spec, background=ink)
        ans = encode.answer("anomaly", res, x)
        assert ans["score"] == pytest.approx(float(a["scores"][i]), rel=1e-5, abs=1e-9)
        data_code = encode.answer("anomaly", res, a["X"][i])["code"]
        assert np.allclose(ans["code"], data_code, atol=1e-6)


def test_vae_posterior_of_a_data_image_is_the_runs(preset):
    res = preset("vae")
    a = res.arrays
    ans = encode.answer("vae", res, a["X"][3])
    assert np.allclose(ans["mu"], a["mu"][3], atol=1e-5)
    assert np.allclose(np.log(ans["sigma"] ** 2), a["logvar"][3], atol=1e-4)
    assert list(ans["dims"]) == sorted(np.argsort(-a["kl_per_dim"])[:2].tolist())  # the two most active


def test_vae_elbo_estimate_agrees_with_the_run_and_ranks_data_in_the_middle(preset):
    res = preset("vae")
    vae, a, m = res.models["vae"], res.arrays, res.metrics
    est = encode.elbos(vae, a["X"])
    tol = 0.01 * abs(m["elbo"])  # 16 draws per image against the run's one, over 1 797 images
    assert est["elbo"].mean() == pytest.approx(m["elbo"], abs=tol)
    assert est["kl"].mean() == pytest.approx(m["kl"], rel=1e-4)  # closed form both times
    no_kl = -est["recon_nll"]  # a planted fault: the ELBO without its KL term
    assert abs(no_kl.mean() - m["elbo"]) > tol
    pct = [encode.answer("vae", res, a["X"][i])["elbo_percentile"] for i in range(0, 1797, 60)]
    assert 30 < np.mean(pct) < 70 and 0 < np.median(pct) < 100  # data images rank among the data
    noise = np.random.default_rng(0).random(64).astype(np.float32)
    assert encode.answer("vae", res, noise)["elbo_percentile"] < 5  # noise is far less likely


def _brute_youden(scores: np.ndarray, bad: np.ndarray) -> float:
    """max over thresholds t of TPR(t) − FPR(t), flagging s ≥ t, by trying every score."""
    return max(np.mean(scores[bad] >= t) - np.mean(scores[~bad] >= t) for t in np.unique(scores))


def test_anomaly_threshold_is_the_youden_point_and_the_verdict_follows_it(preset):
    res = preset("anomaly")
    a = res.arrays
    s, bad = np.asarray(a["scores"]), np.asarray(a["anomalous"], bool)
    cut = encode.youden(s, bad)
    j = np.mean(s[bad] >= cut["threshold"]) - np.mean(s[~bad] >= cut["threshold"])
    assert j == pytest.approx(_brute_youden(s, bad)) and j == pytest.approx(cut["tpr"] - cut["fpr"])
    other = float(np.quantile(s, 0.25))  # a planted fault: another threshold is not the Youden point
    assert np.mean(s[bad] >= other) - np.mean(s[~bad] >= other) < j - 1e-3
    flagged = []
    for i in range(len(s)):  # every test image: the verdict is s(x) ≥ τ, and they flag TPR and FPR
        ans = encode.answer("anomaly", res, a["X"][i])
        assert ans["flagged"] == (ans["score"] >= ans["threshold"])
        assert ans["score"] == pytest.approx(float(s[i]), rel=1e-5)
        flagged.append(ans["flagged"])
    flagged = np.array(flagged)
    assert flagged[bad].mean() == pytest.approx(cut["tpr"]) and flagged[~bad].mean() == pytest.approx(cut["fpr"])
    assert encode.answer("anomaly", res, a["X"][int(np.argmax(s))])["flagged"]
    assert not encode.answer("anomaly", res, a["X"][int(np.argmin(s))])["flagged"]


def _sae_direct(res, x: np.ndarray, centre: bool = True) -> np.ndarray:
    """z = ReLU(TopK(W_enc (a − b_dec) + b_enc)) with a = ReLU(W₁x + b₁), in NumPy."""
    clf, sae = res.models["classifier"], res.models["sae"]
    W1, b1 = (p.detach().double().numpy() for p in (clf[0].weight, clf[0].bias))
    a = np.maximum(W1 @ x + b1, 0)
    W, be, bd = (p.detach().double().numpy() for p in (sae.W_enc, sae.b_enc, sae.b_dec))
    pre = W @ (a - bd if centre else a) + be
    z = np.zeros_like(pre)
    keep = np.argsort(-pre, kind="stable")[: sae.k] if sae.sparsity == "topk" else np.arange(len(pre))
    z[keep] = np.maximum(pre[keep], 0)
    return z


def test_sae_features_equal_a_direct_computation(preset):
    res = preset("sae_features")
    X = res.arrays["X"]
    for i in (0, 10, 900):
        ans = encode.answer("sae_features", res, X[i])
        z = _sae_direct(res, X[i].astype(np.float64))
        assert set(ans["features"].tolist()) == set(np.flatnonzero(z > 0).tolist())
        assert np.allclose(ans["values"], z[ans["features"]], atol=1e-4)
        assert list(ans["values"]) == sorted(ans["values"], reverse=True)
        wrong = _sae_direct(res, X[i].astype(np.float64), centre=False)  # planted fault: b_dec ignored
        assert not np.allclose(wrong, z, atol=1e-3)
        for j in ans["features"][:3].tolist():
            rows = res.arrays["top_idx"][j]
            assert set(ans["top_images"][j].tolist()) <= set(rows.tolist())
    logits = res.models["classifier"](torch.from_numpy(X[10:11])).detach().numpy()[0]
    assert encode.answer("sae_features", res, X[10])["predicted"] == int(np.argmax(logits))


def test_answering_never_trains_or_draws_from_a_models_generator(preset):
    for name in LESSONS:
        res = preset(name)
        before = {k: {p: v.clone() for p, v in m.state_dict().items()} for k, m in res.models.items()}
        gens = {k: m.gen.get_state().clone() for k, m in res.models.items() if hasattr(m, "gen")}
        modes = {k: m.training for k, m in res.models.items()}
        X = encode.real_images(name, res)[0]
        encode.answer(name, res, X[1])
        for k, m in res.models.items():
            assert all(torch.equal(v, before[k][p]) for p, v in m.state_dict().items()), (name, k)
            assert m.training == modes[k]
        for k, g in gens.items():
            assert torch.equal(res.models[k].gen.get_state(), g), (name, k)


def test_lessons_without_images_refuse(preset):
    res = preset("latent")
    with pytest.raises(encode.NoImages):
        encode.answer("intro", res, np.zeros(64, np.float32))
    curve = dataclasses.replace(res, arrays={**res.arrays, "image_shape": None})
    with pytest.raises(encode.NoImages):
        encode.answer("latent", curve, np.zeros(2, np.float32))
    with pytest.raises(ValueError, match="8×8"):
        encode.answer("latent", res, np.zeros(784, np.float32))
