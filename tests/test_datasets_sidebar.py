"""The sidebar offers MNIST and Fashion-MNIST only when their files are present, lists the
others as not installed with how to add them, and downloads them from a (loopback) mirror
with a button; no message names a server folder."""

from __future__ import annotations

import io

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from aecore.io import download, netcheck
from tests.apptest_utils import APP, no_errors
from tests.test_download import Server, manifest, tiny_files
from ui.kit.i18n import translate
from ui.kit.safe import md

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _npz() -> bytes:
    rng, buf = np.random.default_rng(0), io.BytesIO()
    x, y = rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), rng.integers(0, 10, 30)
    np.savez(buf, x_train=x, y_train=y, x_test=x[:5], y_test=y[:5])
    return buf.getvalue()


def _app(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    no_errors(at)
    return at


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _all_text(at: AppTest) -> str:
    """Every element of the page as its protobuf text (labels, options, help, messages)."""
    return "\n".join(str(getattr(n, "proto", "")) for n in _walk(at._tree))


def _options(at: AppTest) -> list[str]:
    return at.sidebar.selectbox(key="dataset").options


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "secret-server-folder"
    folder.mkdir()
    monkeypatch.setenv("AE_DATA_DIR", str(folder))
    return folder


def test_missing_files_are_listed_not_offered_and_no_path_shows(data_dir):
    at = _app()
    en = lambda key: translate(key, "en")  # noqa: E731
    assert en("data.mnist") not in _options(at) and en("data.fashion_mnist") not in _options(at)
    assert en("data.digits28") in _options(at)
    caption = next(c.value for c in at.sidebar.caption if "MNIST" in c.value)
    assert "Fashion-MNIST" in caption and caption.startswith(en("datasets.not_installed").split("{")[0])
    assert translate("datasets.add_title", "en", names="MNIST, Fashion-MNIST") in [e.label for e in at.sidebar.expander]
    assert str(data_dir) not in _all_text(at) and "secret-server-folder" not in _all_text(at)


def test_present_files_are_offered(data_dir):
    (data_dir / "mnist.npz").write_bytes(_npz())
    at = _app()
    assert translate("data.mnist", "en") in _options(at)
    assert translate("data.fashion_mnist", "en") not in _options(at)
    at.sidebar.selectbox(key="dataset").select("mnist").run()
    no_errors(at)
    assert at.sidebar.selectbox(key="dataset").value == "mnist"


def test_a_link_to_a_missing_data_set_says_so(data_dir):
    at = _app({"data": "mnist", "lang": "pt"})
    assert at.sidebar.selectbox(key="dataset").value == "digits"
    warning = " ".join(w.value for w in at.sidebar.warning)
    assert warning == translate("datasets.link_missing", "pt", name="MNIST")


@pytest.fixture
def mirror(monkeypatch):
    server, files = Server(), tiny_files()
    server.serve(files)
    monkeypatch.setitem(download.FILES, "mnist", tuple(manifest(files)))
    monkeypatch.setenv("AE_MNIST_MIRRORS", server.url)
    yield server
    server.close()


def _download_button(at: AppTest, kind: str = "mnist"):
    return next(b for b in at.sidebar.button if b.key == f"download_{kind}")


def test_the_button_downloads_checks_and_selects_the_data(data_dir, mirror):
    at = _app()
    _download_button(at).click().run()
    no_errors(at)
    assert at.sidebar.selectbox(key="dataset").value == "mnist"
    assert [s.value for s in at.sidebar.success] == [translate("datasets.downloaded", "en", name="MNIST")]
    assert (data_dir / "mnist" / "train-images-idx3-ubyte.gz").is_file()
    assert "download_mnist" not in [b.key for b in at.sidebar.button]  # installed: nothing to download


def test_a_failed_download_is_explained_without_paths(data_dir, mirror, monkeypatch):
    broken = list(download.FILES["mnist"])
    broken[2] = download.Remote(broken[2].name, broken[2].size, "0" * 64, broken[2].rows, 3)
    monkeypatch.setitem(download.FILES, "mnist", tuple(broken))
    at = _app({"lang": "es"})
    _download_button(at).click().run()
    no_errors(at)
    error = " ".join(e.value for e in at.sidebar.error)
    expected = translate("error.download_checksum", "es").format(
        name=md("t10k-images-idx3-ubyte.gz"), host=md("127.0.0.1")
    )
    assert error == expected
    assert at.sidebar.selectbox(key="dataset").value == "digits"
    assert str(data_dir) not in _all_text(at)


def test_offline_machine_gets_a_message_instead_of_the_button(data_dir, monkeypatch):
    monkeypatch.setattr(netcheck, "online", lambda url, ttl=300.0: False)
    at = _app()
    assert not [b for b in at.sidebar.button if b.key and b.key.startswith("download_")]
    assert translate("datasets.offline", "en") in [i.value for i in at.sidebar.info]


def test_downloading_turned_off_says_so(data_dir, monkeypatch):
    monkeypatch.setenv("AE_DOWNLOAD", "0")
    at = _app()
    assert not [b for b in at.sidebar.button if b.key and b.key.startswith("download_")]
    assert translate("datasets.download_off", "en") in [c.value for c in at.sidebar.caption]
