"""Presets on MNIST-format data: built into the data folder (not assets/presets) by
``python -m aecore presets --data mnist``, found by ``presets.lookup`` only while the same
files are there; the command says clearly when the files are missing. ``python -m aecore
data`` lists and downloads (from a loopback mirror here)."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from aecore import cli, presets
from aecore.experiments import registry
from aecore.experiments.pca import PCAConfig
from aecore.io import download
from aecore.io.mnist import clear_cache
from tests.test_download import Server, manifest, tiny_files

TINY = PCAConfig(dataset="mnist", latent_dim=2, linear_epochs=5, deep_epochs=1, deep_width=8)


def _npz(rows: int = 60, seed: int = 0) -> bytes:
    rng, buf = np.random.default_rng(seed), io.BytesIO()
    x, y = rng.integers(0, 256, (rows, 28, 28), dtype=np.uint8), rng.integers(0, 10, rows)
    np.savez(buf, x_train=x, y_train=y, x_test=x[:5], y_test=y[:5])
    return buf.getvalue()


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("AE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AE_PRESETS", "1")
    clear_cache()
    yield tmp_path
    clear_cache()


def test_a_data_preset_lives_in_the_data_folder_and_follows_its_files(data):
    (data / "mnist.npz").write_bytes(_npz())
    path = presets.build("pca", TINY)
    assert path.parent == data / "presets" and path.parent != presets.DIR
    found, fresh = presets.lookup("pca", TINY), registry()["pca"].run(TINY, None)
    assert found is not None and found.source == "preset"
    assert {k: v for k, v in found.metrics.items() if "seconds" not in k} == pytest.approx(
        {k: v for k, v in fresh.metrics.items() if "seconds" not in k}, rel=1e-4, abs=1e-6
    )
    (data / "mnist.npz").write_bytes(_npz(seed=1))  # other files of the same name
    os.utime(data / "mnist.npz", ns=(1, 1))
    assert presets.lookup("pca", TINY) is None
    (data / "mnist.npz").unlink()
    assert presets.lookup("pca", TINY) is None


def test_data_views_are_the_page_views_of_every_experiment_that_offers_the_data():
    views = presets.data_views("fashion_mnist")
    assert views and all(cfg.dataset == "fashion_mnist" for _, cfg in views)
    offering = set()
    for name, exp in registry().items():
        field = exp.config_cls.field_specs().get("dataset")
        choices = field.metadata.get("choices") if field else ()
        if exp.views and "fashion_mnist" in (choices() if callable(choices) else choices):
            offering.add(name)
    assert {n for n, _ in views} == offering
    assert len(views) == sum(len(registry()[n].views) for n in offering)


def test_check_lists_missing_and_stale_data_presets(data):
    (data / "presets").mkdir()
    (data / "presets" / "pca-000000000000.safetensors").write_bytes(b"")
    missing, stale = presets.check("mnist")
    assert set(missing) == {n for n, _ in presets.data_views("mnist")}
    assert [p.name for p in stale] == ["pca-000000000000.safetensors"]


def test_presets_command_says_when_the_files_are_missing(data, capsys):
    assert cli.main(["presets", "--data", "mnist"]) == 2
    err = capsys.readouterr().err
    assert "mnist is not installed" in err and "data --download mnist" in err and str(data) not in err


def test_data_command_downloads_and_lists(data, capsys, monkeypatch):
    server, files = Server(), tiny_files()
    server.serve(files)
    monkeypatch.setitem(download.FILES, "mnist", tuple(manifest(files)))
    monkeypatch.setenv("AE_MNIST_MIRRORS", server.url)
    try:
        assert cli.main(["data"]) == 0
        assert "mnist          not installed" in capsys.readouterr().out
        assert cli.main(["data", "--download", "mnist"]) == 0
        out = capsys.readouterr().out
        assert "mnist: downloaded" in out and "mnist          installed" in out
        assert "fashion_mnist  not installed" in out
        monkeypatch.setenv("AE_FASHION_MNIST_MIRRORS", server.url + "nothing/")
        assert cli.main(["data", "--download", "fashion_mnist"]) == 2
        assert "answered 404" in capsys.readouterr().err
    finally:
        server.close()


def test_replaced_files_are_read_again(data):
    from aecore.data.registry import installed, load_dataset

    assert not installed("mnist")
    (data / "mnist.npz").write_bytes(_npz(rows=60))
    assert installed("mnist") and load_dataset("mnist").n == 60
    (data / "mnist.npz").write_bytes(_npz(rows=40))
    os.utime(data / "mnist.npz", ns=(1, 1))
    assert load_dataset("mnist").n == 40
