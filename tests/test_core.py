"""Unit tests of aecore: configs, data, models, the training loop, theory, embeddings."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from aecore import embed, theory
from aecore.config import ConfigError
from aecore.data.dataset import validate_matrix
from aecore.data.registry import DATASETS, SIDEBAR_DATASETS, DatasetSpec, installed, load_dataset
from aecore.errors import DataError
from aecore.models import MODELS, ModelConfig, build_model
from aecore.train import Progress, TrainConfig, TrainingDiverged, fit, predict


# --- configs -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"epochs": 0}, "too small"),
        ({"epochs": 10**9}, "too large"),
        ({"lr": 0.0}, "must be > 0"),
        ({"lr": float("nan")}, "finite"),
        ({"optimizer": "rmsprop"}, "choose one of"),
    ],
)
def test_train_config_rejects_bad_values(kwargs, fragment):
    with pytest.raises(ConfigError, match=fragment):
        TrainConfig(**kwargs)


def test_config_parses_strings_by_field_type():
    cfg = TrainConfig.from_strings({"epochs": "7", "lr": "0.5", "optimizer": "sgd"})
    assert (cfg.epochs, cfg.lr, cfg.optimizer) == (7, 0.5, "sgd")
    with pytest.raises(ConfigError, match="unknown setting"):
        TrainConfig.from_strings({"nope": "1"})
    with pytest.raises(ConfigError, match="not a valid int"):
        TrainConfig.from_strings({"epochs": "many"})


def test_a_tuple_setting_picks_several_of_its_choices():
    from aecore.experiments.anomaly import AnomalyConfig

    assert AnomalyConfig(normal_classes=(1, 7)).normal_classes == (1, 7)
    assert AnomalyConfig.from_strings({"normal_classes": "2,3"}).normal_classes == (2, 3)
    with pytest.raises(ConfigError, match="not allowed") as bad:
        AnomalyConfig(normal_classes=(1, 12))
    assert bad.value.code == "not_a_choice"


def test_model_config_bounds():
    with pytest.raises(ConfigError):
        ModelConfig(latent_dim=0)
    with pytest.raises(ConfigError, match="hidden width"):
        ModelConfig(hidden=(0,))
    with pytest.raises(ConfigError, match="at most"):
        ModelConfig(hidden=(8,) * 9)


# --- data ------------------------------------------------------------------------------
LOCAL_FILES = ("mnist", "fashion_mnist")  # need files the repository does not ship


@pytest.mark.parametrize("name", [n for n in DATASETS if n not in LOCAL_FILES])
def test_every_dataset_is_float32_readonly_and_labelled(name):
    ds = load_dataset(name)
    assert ds.X.dtype == np.float32 and ds.X.ndim == 2 and np.isfinite(ds.X).all()
    assert ds.y.shape == (ds.n,)
    assert not ds.X.flags.writeable  # shared between users: nobody may mutate it


def test_digits_is_scaled_to_unit_interval():
    ds = load_dataset("digits")
    assert ds.X.shape == (1797, 64) and ds.X.min() == 0 and ds.X.max() == 1
    assert ds.image_shape == (8, 8)


def test_curves_are_seeded():
    a, b = load_dataset("spiral", 100, 0.1, 3), load_dataset("spiral", 100, 0.1, 3)
    c = load_dataset("spiral", 100, 0.1, 4)
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, c.X)


@pytest.mark.parametrize(
    "bad, fragment",
    [
        ([["a", "b"]] * 20, "numbers only"),
        (np.zeros(30), "2-D table"),
        (np.ones((5, 3)), "at least 10 are needed"),
        (np.ones((20, 1)), "at least 2 are needed"),
        (np.where(np.eye(20) > 0, np.nan, 1.0), "missing or infinite"),
        (np.full((20, 3), 1e9), "beyond"),
        (np.ones((20, 3)), "not constant"),
    ],
)
def test_validate_matrix_says_what_to_fix(bad, fragment):
    with pytest.raises(DataError, match=fragment):
        validate_matrix(bad)


@pytest.mark.parametrize("name", LOCAL_FILES)
def test_mnist_without_files_says_where_to_put_them(name, tmp_path, monkeypatch):
    from aecore.io import mnist

    monkeypatch.setenv("AE_DATA_DIR", str(tmp_path))
    mnist.clear_cache()
    from aecore.data.registry import _load_builtin

    _load_builtin.cache_clear()
    with pytest.raises(DataError, match="data/README.md"):
        load_dataset(name)


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_entry_says_its_features_truly(name):
    """The cost model and the sidebar read ``features`` from the entry: it must be what the
    data has (data read from files: checked when they are installed)."""
    spec = DATASETS[name]
    assert isinstance(spec.features, int) and isinstance(spec.in_sidebar, bool)
    if not installed(name):
        pytest.skip(f"{name} is not installed")
    assert load_dataset(name, n=200).dim == spec.features


def test_a_dataset_entry_cannot_leave_out_its_features_or_sidebar_flag():
    with pytest.raises(TypeError, match="features"):
        DatasetSpec(lambda n, noise, seed: None, "points", 10, 0.0, "new", in_sidebar=False)
    with pytest.raises(TypeError, match="in_sidebar"):
        DatasetSpec(lambda n, noise, seed: None, "points", 10, 0.0, "new", features=2)


def test_the_sidebar_offers_the_data_every_general_lesson_can_take():
    """More than two features (PCA to 2-D, the latent lesson), the built-in digits first."""
    assert SIDEBAR_DATASETS[:2] == ("digits", "digits28")
    assert all(DATASETS[n].features > 2 for n in SIDEBAR_DATASETS)
    assert {n for n, s in DATASETS.items() if s.features > 2} == set(SIDEBAR_DATASETS)


def test_registered_user_data_is_loadable_and_bounded(user_data):
    from aecore.data import registry as data
    from aecore.data import userdata

    rng = np.random.default_rng(0)
    userdata.set_owner("test_core")
    name = userdata.register_dataset(rng.random((20, 4)), label="u")
    assert name in data.dataset_names() and load_dataset(name).X.shape == (20, 4)
    userdata.set_owner(None)  # another owner sees nothing of it
    assert name not in data.dataset_names()
    with pytest.raises(DataError, match="upload the file again"):
        load_dataset(name)
    with pytest.raises(DataError):
        userdata.register_dataset(np.full((20, 3), np.nan))
    userdata.STORE.forget("test_core")


def test_unknown_dataset():
    with pytest.raises(DataError, match="unknown dataset"):
        load_dataset("imagenet")


# --- models and training ---------------------------------------------------------------
def test_registry_and_shapes():
    assert "mlp" in MODELS
    m = build_model(ModelConfig(input_dim=10, hidden=(16, 8), latent_dim=3))
    x = torch.randn(5, 10)
    assert m.encode(x).shape == (5, 3) and m(x).shape == (5, 10)


def test_seeded_init_is_reproducible_and_leaves_global_rng_alone():
    state = torch.random.get_rng_state()
    a = build_model(ModelConfig(input_dim=6), seed=1)
    b = build_model(ModelConfig(input_dim=6), seed=1)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
    assert not torch.equal(a.encoder[0].weight, build_model(ModelConfig(input_dim=6), seed=2).encoder[0].weight)
    torch.random.set_rng_state(state)


def test_fit_reduces_loss_and_is_deterministic():
    X = load_dataset("digits").X[:300]
    cfg = TrainConfig(epochs=20, batch_size=64, lr=5e-3, seed=3)
    runs = []
    for _ in range(2):
        m = build_model(ModelConfig(input_dim=64, hidden=(32,), latent_dim=4), seed=0)
        runs.append(fit(m, X, cfg).losses)
    assert runs[0] == runs[1]
    assert runs[0][-1] < 0.5 * runs[0][0]


def test_progress_callback_can_stop_and_keeps_the_model():
    X = load_dataset("digits").X[:200]
    m = build_model(ModelConfig(input_dim=64, latent_dim=2))
    seen: list[Progress] = []
    hist = fit(m, X, TrainConfig(epochs=50), on_progress=lambda p: seen.append(p) or p.epoch == 3)
    assert hist.stopped and hist.epochs_run == 3 and [p.epoch for p in seen] == [1, 2, 3]
    assert predict(m, X).shape == X.shape


def test_divergence_stops_at_first_non_finite_loss():
    X = np.random.default_rng(0).standard_normal((64, 8)).astype(np.float32) * 100
    m = build_model(ModelConfig(input_dim=8, hidden=(16,), latent_dim=2))
    with pytest.raises(TrainingDiverged) as err:
        fit(m, X, TrainConfig(epochs=100, lr=10.0, optimizer="sgd", schedule="constant"))
    assert err.value.epoch < 100 and not math.isfinite(err.value.loss)
    assert "Lower the learning rate" in str(err.value)


def test_corruption_hook_receives_the_run_generator():
    X = load_dataset("digits").X[:100]
    gens = []

    def corrupt(x, gen):
        gens.append(gen)
        return x + 0.1 * torch.randn(x.shape, generator=gen)

    m = build_model(ModelConfig(input_dim=64, latent_dim=2))
    fit(m, X, TrainConfig(epochs=2), corrupt=corrupt)
    assert len(gens) == 2 and all(isinstance(g, torch.Generator) for g in gens)


# --- theory ----------------------------------------------------------------------------
def test_pca_optimum_matches_sklearn_and_eckart_young():
    from sklearn.decomposition import PCA

    X = load_dataset("digits").X
    fit_ = theory.pca_fit(X)
    for k in (1, 5, 20):
        ours = theory.mse(X, fit_.reconstruct(X, k))
        skl = PCA(k).fit(X.astype(np.float64))
        ref = theory.mse(X, skl.inverse_transform(skl.transform(X.astype(np.float64))))
        assert ours == pytest.approx(ref, rel=1e-9)
        assert ours == pytest.approx(fit_.bound(k), rel=1e-9)


def test_pca_components_orthonormal_and_sign_stable():
    V = theory.pca_fit(load_dataset("digits").X).components
    assert np.allclose(V.T @ V, np.eye(64), atol=1e-10)
    assert (V[np.abs(V).argmax(0), np.arange(64)] > 0).all()


def test_principal_angles_reference_cases():
    e = np.eye(3)
    assert theory.principal_angles_deg(e[:, :2], e[:, :2]) == pytest.approx([0, 0], abs=1e-6)
    assert theory.principal_angles_deg(e[:, :1], e[:, 1:2]) == pytest.approx([90])
    r = np.array([[np.cos(0.3)], [np.sin(0.3)], [0.0]])
    assert theory.principal_angles_deg(e[:, :1], r)[0] == pytest.approx(np.degrees(0.3))
    # invariant to the basis chosen inside the subspace
    B = e[:, :2] @ np.array([[2.0, 1.0], [0.5, 3.0]])
    assert theory.principal_angles_deg(e[:, :2], B) == pytest.approx([0, 0], abs=1e-6)


# --- embeddings ------------------------------------------------------------------------
def test_trustworthiness_and_knn_extremes():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5))
    assert embed.trustworthiness(X, X[:, :2] * 0 + X[:, :2], 5) < 1
    assert embed.trustworthiness(X, X, 5) == pytest.approx(1.0)
    y = (X[:, 0] > 0).astype(int)
    assert embed.knn_accuracy(X[:, :1], y) > 0.95
    assert embed.subsample(10, 20).tolist() == list(range(10))
    assert len(embed.subsample(100, 20)) == 20
