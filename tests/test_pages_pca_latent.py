"""AppTest of lessons 2 and 3's new parts: the derivation with its checks, the solver knob,
the ❌ explanation, and lesson 3's t-SNE explanation and reading in every language."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _text(at) -> str:
    return " ".join(str(m.value) for m in [*at.markdown, *at.caption, *at.info, *at.success])


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_pca_page_shows_the_derivation_with_measured_checks(lang):
    at = open_page("lessons/02_pca.py", params={"lang": lang})
    _submit(at, "pca", deep_epochs=2, latent_dim=4)
    wait_until_trained(at)
    no_errors(at)
    assert any("Eckart" in str(s.value) for s in at.markdown), "derivation step missing"
    assert len(at.success) >= 6  # one measured check per step
    assert ("0,0" if lang == "pt" else "0.0") in _text(at)  # numbers formatted into the texts, in the language's way


def test_pca_adam_with_too_few_epochs_explains_the_cross():
    at = open_page("lessons/02_pca.py")
    at.selectbox(key="pca.w.linear_solver").set_value("adam")
    _submit(at, "pca", linear_epochs=3, deep_epochs=1, latent_dim=8)
    wait_until_trained(at)
    no_errors(at)
    assert any("stopped at" in str(c.value) for c in at.caption), [c.value for c in at.caption]
