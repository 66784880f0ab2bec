"""The built-in MNIST-size stand-in: 28×28 digits, deterministic, balanced, all distinct."""

import numpy as np

from aecore.data.digits28 import make_digits28
from aecore.data.registry import DATASETS, image_dataset_names, load_dataset


def test_digits28_has_mnist_shape_and_range():
    ds = load_dataset("digits28")
    assert ds.X.shape == (DATASETS["digits28"].default_n, 784) and ds.image_shape == (28, 28)
    assert ds.X.dtype == np.float32 and 0.0 <= ds.X.min() and ds.X.max() <= 1.0
    assert not ds.X.flags.writeable
    counts = np.bincount(ds.y, minlength=10)
    assert counts.min() > 0.9 * counts.max(), f"classes are not balanced: {counts}"


def test_digits28_is_deterministic_for_a_seed_and_rows_differ():
    a, ya = make_digits28(300, seed=3)
    b, yb = make_digits28(300, seed=3)
    c, _ = make_digits28(300, seed=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(a, c)
    assert len(np.unique(a.round(4), axis=0)) == len(a), "two stand-in images are identical"


def test_digits28_is_offered_to_image_lessons():
    assert "digits28" in image_dataset_names()
