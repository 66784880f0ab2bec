"""AppTest of the family page (8c) and of the seed figures on lessons 3, 5 and 9a."""

from __future__ import annotations

import pytest

from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _chart_keys(at) -> set[str]:
    return {el.proto.id for el in at.get("plotly_chart")}


def test_family_page_tiny_training_shows_the_table_figure_and_claims():
    at = open_page("lessons/08c_family.py")
    no_errors(at)
    _submit(at, "family", epochs=1, latent_dim=2)
    wait_until_trained(at)
    no_errors(at)
    assert at.dataframe, "the table"
    frame = at.dataframe[0].value
    assert len(frame) == 5 and "‖J_f‖_F" in " ".join(map(str, frame.columns))
    assert "family.figure" in " ".join(_chart_keys(at))
    text = " ".join(md.value for md in at.markdown)
    assert "What the numbers show" in text and "Measured, not claimed" in text
    assert any("Highlighted" in c.value for c in at.caption)


def test_sparse_page_draws_the_active_paths_of_one_input():
    at = open_page("lessons/05_sparse.py")
    _submit(at, "sparse", epochs=2, hidden=16)
    wait_until_trained(at)
    no_errors(at)
    assert "sparse.paths" in " ".join(_chart_keys(at))
    at.number_input(key="sparse.paths.i").set_value(7).run()  # another input: no training
    no_errors(at)
    assert any("units fire" in c.value for c in at.caption)


def test_latent_page_shows_the_manifold_picture_for_the_swiss_roll_only():
    at = open_page("lessons/03_latent.py")
    assert "latent.manifold" not in " ".join(_chart_keys(at))
    at.selectbox(key="dataset").set_value("swiss_roll").run()
    no_errors(at)
    assert "latent.manifold" in " ".join(_chart_keys(at))
    assert any("manifold" in md.value for md in at.markdown)


def test_unet_page_draws_its_u():
    at = open_page("lessons/09a_unet.py")
    no_errors(at)
    assert "unet.u" in " ".join(_chart_keys(at))
    assert any("channels at full resolution" in c.value for c in at.caption)
