"""``python -m aecore bench`` section 5, the per-lesson table: its shape on tiny settings
(never its timings), which data stands for MNIST, and the command-line flags."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from aecore import cli
from aecore.bench import core as bench
from aecore.bench import lessons as bench_lessons
from aecore.experiments.intro import IntroConfig
from aecore.experiments.pca import PCAConfig
from aecore.io.mnist import clear_cache

TINY = [
    ("pca", PCAConfig(latent_dim=2, linear_epochs=5, deep_epochs=1, deep_width=8)),
    ("intro", IntroConfig(n_samples=100, epochs=5)),
]
LIST = ["pca", "vae"]
CELL = re.compile(r"^\d+\.\d \(\d+/\d+\)$")


def test_rows_time_each_view_on_both_data_sets_or_say_own_data():
    rows = bench_lessons.lesson_rows(TINY, big="digits")
    assert [r["data"] for r in rows] == ["digits", "sine"]
    assert rows[0]["view"].startswith("pca (") and "latent_dim=2" in rows[0]["view"]
    pca, intro = rows
    for cell in (pca[("cpu", "default")], pca[("cpu", "mnist")], intro[("cpu", "default")]):
        assert cell.seconds is not None and cell.seconds >= 0 and 0 <= cell.held <= cell.of and cell.of > 0
        assert CELL.match(cell.text()), cell.text()
    assert intro[("cpu", "mnist")] is None  # intro learns its own 2-D curves


def test_table_has_a_column_pair_per_device_and_a_line_per_view():
    cell = bench_lessons.Cell(1.25, 2, 3)
    rows = [
        {"view": "pca", "data": "digits", ("cpu", "default"): cell, ("cpu", "mnist"): cell,
         ("cuda", "default"): cell, ("cuda", "mnist"): bench_lessons.Cell(None, note="failed: DataError")},
        {"view": "intro", "data": "sine", ("cpu", "default"): cell, ("cpu", "mnist"): None,
         ("cuda", "default"): cell, ("cuda", "mnist"): None},
    ]  # fmt: skip
    lines = bench_lessons.lesson_table(rows, ("cpu", "cuda")).splitlines()
    assert len(lines) == 3
    for col in ("cpu default", "cpu MNIST size", "cuda default", "cuda MNIST size"):
        assert col in lines[0]
    assert lines[1].split()[:6] == ["pca", "digits", "1.2", "(2/3)", "1.2", "(2/3)"]
    assert lines[1].rstrip().endswith("failed: DataError")
    assert lines[2].count("own data") == 2
    skipped = bench_lessons.lesson_table(rows[1:], ("cpu",), big_skipped=True)
    assert skipped.splitlines()[1].rstrip().endswith("skipped")


def test_mnist_size_data_is_real_mnist_when_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("AE_DATA_DIR", str(tmp_path))
    clear_cache()
    name, label = bench_lessons.mnist_size_data()
    assert name == "digits28" and "no MNIST files" in label
    rng, buf = np.random.default_rng(0), io.BytesIO()
    x, y = rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), rng.integers(0, 10, 30)
    np.savez(buf, x_train=x, y_train=y, x_test=x[:3], y_test=y[:3])
    (tmp_path / "mnist.npz").write_bytes(buf.getvalue())
    name, label = bench_lessons.mnist_size_data()
    assert name == "mnist" and "real MNIST (30 rows" in label
    clear_cache()


def test_print_lessons_quick_prints_one_main_view_per_experiment(capsys, monkeypatch):
    monkeypatch.setattr(bench_lessons, "lesson_rows", lambda views, big, devices: [
        {"view": n, "data": "x", ("cpu", "default"): bench_lessons.Cell(0.1, 1, 1), ("cpu", "mnist"): None}
        for n, _ in views
    ])  # fmt: skip
    bench_lessons.print_lessons(quick=True, only=("vae", "intro"), warm_up=False)
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("5. Each lesson's default view") and "--quick" in out[1]
    assert [line.split()[0] for line in out[3:]] == ["intro", "vae"]  # registry order, the main view only


@pytest.mark.parametrize(
    "argv, expected",
    [
        ([], {"quick": False, "pages": True}),
        (
            ["--section", "5", "--lessons", "pca, vae"],
            {"quick": False, "pages": True, "sections": [5], "lessons": LIST},
        ),
    ],
)
def test_bench_flags(monkeypatch, argv, expected):
    seen = []
    monkeypatch.setattr(bench, "run_bench", lambda **kw: seen.append(kw) or 0)
    assert cli.main(["bench", *argv]) == 0
    assert seen == [expected]
