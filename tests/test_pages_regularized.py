"""AppTest of lessons 4-6: a tiny training run through the form, claims shown, bad settings."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _stop_jobs(at, lesson: str) -> None:
    """Cancel the page's background job (opening a page starts its default run)."""
    key = f"{lesson}.job"
    if key in at.session_state:
        at.session_state[key].cancel.set()
        at.session_state[key].done.wait(60)


def _claims_shown(at) -> bool:
    return any("What the numbers show" in md.value for md in at.markdown)


def test_capacity_tiny_training():
    at = open_page("lessons/04_capacity.py")
    _submit(at, "capacity", sweep=False, epochs=2, width=8, over_latent=80)
    wait_until_trained(at)
    no_errors(at)
    assert any("noise MSE" in m.label for m in at.metric)
    assert _claims_shown(at)


def test_capacity_greedy_tiny():
    at = open_page("lessons/04_capacity.py")
    _submit(
        at,
        "capacity",
        sweep=False,
        pretrain=True,
        epochs=2,
        width=8,
        depth=1,
        over_latent=80,
    )
    wait_until_trained(at)
    no_errors(at)
    assert any("Greedy" in m.label for m in at.metric)


@pytest.mark.parametrize(
    "values,message",
    [
        ({"under_latent": 64}, "must be smaller than the 64 inputs"),
        ({"over_latent": 32}, "must be larger than the 64 inputs"),
    ],
)
def test_capacity_code_size_on_the_wrong_side_gives_message(values, message):
    at = open_page("lessons/04_capacity.py")
    _submit(at, "capacity", **values)
    wait_until_trained(at)
    no_errors(at)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]


def test_sparse_tiny_training_and_unit_browser():
    at = open_page("lessons/05_sparse.py")
    _submit(at, "sparse", epochs=2, hidden=16)
    wait_until_trained(at)
    no_errors(at)
    assert any("Dead units" in m.label for m in at.metric)
    assert at.dataframe, "penalty table missing"
    at.radio(key="sparse.which").set_value("l1").run()
    at.number_input(key="sparse.unit").set_value(3).run()
    no_errors(at)
    assert any("Unit 3" in c.value for c in at.caption)


def test_sparse_rho_zero_gives_message_and_keeps_page():
    at = open_page("lessons/05_sparse.py")
    _submit(at, "sparse", rho=0.0)
    no_errors(at)
    assert any("rho=0.0 is too small" in e.value for e in at.error), [e.value for e in at.error]
    assert at.number_input(key="sparse.w.rho").value == 0.0
    _stop_jobs(at, "sparse")


@pytest.mark.parametrize(
    "page,lesson,field,lo,hi",
    [
        ("lessons/05_sparse.py", "sparse", "rho", 0.0, 0.99),
        ("lessons/05_sparse.py", "sparse", "beta", 0.0, 100.0),
        ("lessons/05_sparse.py", "sparse", "alpha", 0.0, 10.0),
        ("lessons/05_sparse.py", "sparse", "hidden", 1, 1024),
        ("lessons/04_capacity.py", "capacity", "under_latent", 1, 1024),
        ("lessons/06_contractive.py", "contractive", "lam", 0.0, 100.0),
        ("lessons/06_contractive.py", "contractive", "latent_dim", 1, 1024),
    ],
)
def test_widgets_refuse_values_the_backend_refuses(page, lesson, field, lo, hi):
    """Negative weights, ρ ≥ 1 and code size 0 cannot be typed: the widget carries the
    config's bounds (Streamlit's own message shows in the browser)."""
    at = open_page(page)
    w = at.number_input(key=f"{lesson}.w.{field}")
    _stop_jobs(at, lesson)
    assert (w.min, w.max) == (lo, hi)


def test_contractive_tiny_training():
    at = open_page("lessons/06_contractive.py")
    _submit(at, "contractive", tied=True, epochs=2, curve_epochs=3, latent_dim=4, curve_width=4)
    wait_until_trained(at)
    no_errors(at)
    assert any("along / across" in m.label for m in at.metric)
    assert _claims_shown(at)
    assert any("Part 1 trains on the images chosen in the sidebar" in c.value for c in at.caption)
    # 3 epochs on the curve: the curve claims fail, and with tied weights the warning must not
    # blame an untied decoder
    why = [c.value for c in at.caption if "Why the ❌" in c.value and "shrinking the whole code" in c.value]
    assert why and all("weights are tied" in w and "untied decoder" not in w for w in why), why


def test_sparse_takes_the_sidebars_images_and_relu_codes():
    """The sidebar's 28×28 data set reaches the experiment; ReLU codes drop KL and its claims."""
    at = open_page("lessons/05_sparse.py", params={"data": "digits28"})
    at.selectbox(key="sparse.w.code").set_value("relu")
    at.selectbox(key="sparse.w.penalty").set_value("l1")
    _submit(at, "sparse", epochs=1, hidden=8)
    wait_until_trained(at)
    no_errors(at)
    assert any("D = 784 pixels" in c.value for c in at.caption)
    assert any("exactly to zero" in c.value for c in at.caption)  # the ReLU summary
    text = " ".join(md.value for md in at.markdown)
    assert "L1 on the code at least halves" in text and "KL sparsity reaches" not in text


def test_sparse_kl_with_relu_codes_gives_message():
    at = open_page("lessons/05_sparse.py")
    at.selectbox(key="sparse.w.code").set_value("relu")
    _submit(at, "sparse")
    no_errors(at)
    assert any("KL sparsity needs sigmoid codes" in e.value for e in at.error), [e.value for e in at.error]
    _stop_jobs(at, "sparse")
