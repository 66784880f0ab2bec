"""AppTest of lesson 4 (capacity): a tiny run with every section, the deep view one click
away (greedy pretraining no longer refused at depth 0), a ❌ explained, the sidebar's data."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, submit_form, wait_until_trained

pytestmark = pytest.mark.usefixtures("clean_app_state")
PAGE = "lessons/04_capacity.py"
TINY = dict(epochs=2, width=8, over_latent=80, few_rows=8)


def _captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_capacity_tiny_run_shows_every_section():
    at = open_page(PAGE)
    submit_form(at, "capacity", sweep=False, **TINY)
    wait_until_trained(at)
    no_errors(at)
    assert any("held-out MSE" in m.label for m in at.metric)
    assert len(at.get("plotly_chart")) >= 4  # errors, copy shares, sweep, images (+ memorisation)
    text = _captions(at)
    assert "predicting the mean scores" in text and "directions the images vary in" in text


def test_pretraining_at_depth_zero_is_explained_not_refused():
    at = open_page(PAGE)
    submit_form(at, "capacity", pretrain=True, depth=0, sweep=False, **TINY)
    wait_until_trained(at)
    no_errors(at)
    assert not at.error
    assert any("with depth 0 there are none" in i.value for i in at.info)


def test_deep_view_button_switches_to_depth_two_with_pretraining():
    at = open_page(PAGE)
    submit_form(at, "capacity", sweep=False, **TINY)
    wait_until_trained(at)
    next(b for b in at.button if "deep view" in b.label).click().run()
    cfg = at.session_state["capacity.cfg"]
    assert (cfg.depth, cfg.pretrain) == (2, True) and at.number_input(key="capacity.w.depth").value == 2
    wait_until_trained(at)
    no_errors(at)
    assert any("Greedy" in m.label for m in at.metric)
    assert any("Label purity" in c.value for c in at.caption)


def test_a_failed_claim_is_explained():
    """Hidden layers narrower than the input: the overcomplete code cannot copy, and the page says why."""
    at = open_page(PAGE)
    submit_form(at, "capacity", sweep=False, depth=1, **TINY)
    wait_until_trained(at)
    no_errors(at)
    reasons = [c.value for c in at.caption]  # under the claim (Claim.why)
    assert any("Why ❌" in r and "narrower than the input (64 pixels)" in r for r in reasons), reasons


def test_lesson_takes_the_sidebar_image_data():
    at = open_page(PAGE, params={"data": "digits28"})
    submit_form(at, "capacity", sweep=False, epochs=1, width=8, over_latent=800)
    wait_until_trained(at)
    no_errors(at)
    assert "784 pixels" in _captions(at)


def test_effect_button_opens_the_sigmoid_stack_with_pretraining():
    from aecore.experiments.capacity_claims import GREEDY_VIEW

    at = open_page(PAGE)
    submit_form(at, "capacity", sweep=False, **TINY)
    wait_until_trained(at)
    next(b for b in at.button if "Show the effect" in b.label).click().run()
    cfg = at.session_state["capacity.cfg"]
    assert all(getattr(cfg, k) == v for k, v in GREEDY_VIEW.items()), cfg
    wait_until_trained(at)
    no_errors(at)
    assert any("Greedy" in m.label for m in at.metric)
