"""AppTest of lesson 0 (neural networks in one page): a tiny run, figures, the derivation
with its measured checks, and a step size above the descent bound explained in words."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, submit_form, wait_until_trained

pytestmark = pytest.mark.usefixtures("clean_app_state")
PAGE = "lessons/00_neural.py"


def _trained(lang: str | None = None, **values):
    at = open_page(PAGE, params={"lang": lang} if lang else None)
    submit_form(at, "neural", epochs=60, width=6, max_width=4, **values)
    wait_until_trained(at)
    no_errors(at)
    return at


def test_neural_tiny_run_shows_figures_claims_and_derivation():
    at = _trained()
    assert len(at.get("plotly_chart")) >= 3
    assert any("What the numbers" in md.value for md in at.markdown)
    assert any("held-out points" in c.value for c in at.caption)
    checks = [s.value for s in at.success]  # the derivation's numbers measured on this run
    assert any("autograd" in c and "largest difference" in c for c in checks), checks
    # widths 1, 2, 4 only: no fit explains 95 % of the variance, and the ❌ says why
    whys = [c.value for c in at.caption if "Why ❌" in c.value]  # under the claim (Claim.why)
    assert any("widest layer" in w for w in whys), whys


def test_step_above_the_bound_is_explained():
    at = _trained(lr=9.5)
    assert any("is not below 2/M" in c.value for c in at.caption), [c.value for c in at.caption]


def test_neural_in_portuguese_has_no_english_figure_text():
    at = _trained(lang="pt")
    captions = " ".join(c.value for c in at.caption)
    assert "pontos novos" in captions and "held-out" not in captions
