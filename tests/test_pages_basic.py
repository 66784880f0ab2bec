"""AppTest of Home and lessons 1-3: no exception, a tiny training run, claims shown."""

from __future__ import annotations

import pytest

from aecore.experiments import get
from aecore.experiments.latent import METHODS
from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit
from ui.kit.i18n import translate
from ui.kit.page import fmt, num

pytestmark = pytest.mark.usefixtures("clean_app_state")


def test_home_lists_every_lesson():
    at = open_page("lessons/00_home.py")
    no_errors(at)
    from ui.kit.i18n import translate
    from ui.shell.nav import PAGES

    # one card per page, then the foot's links: the course material it follows and its sources
    labels = [el.proto.label for el in at.get("page_link")]
    assert sorted(translate(p.title_key) for p in PAGES if not p.is_default) == sorted(labels[:-2])
    followed = translate("references.followed", names="").strip()
    assert labels[-2].startswith(followed) and labels[-1].startswith("Sources: ")


def test_intro_tiny_training_shows_claim():
    at = open_page("lessons/01_intro.py")
    _submit(at, "intro", epochs=60, width=8)
    wait_until_trained(at)
    no_errors(at)
    m = at.session_state["intro.job"].result.metrics
    verdict = get("intro").check_claims(m)["ae_beats_pca"]  # whichever way this tiny run went
    claim = translate("intro.claims.ae_beats_pca", "en", **fmt(m))
    mark = translate("claim.holds" if verdict else "claim.fails", "en")
    icon = ":green[:material/check_circle:]" if verdict else ":red[:material/cancel:]"
    shown = [md.value for md in at.markdown if claim in md.value]
    assert shown.count(f"{icon} {claim} — *{mark}*") == 1  # the claims box, with this run's verdict
    assert len(shown) <= 2 and all(icon in v for v in shown)  # and the recap's line, the same verdict
    downloads = at.get("download_button")
    assert len(downloads) >= 4  # config, script, metrics, weights


def test_intro_bad_learning_rate_gets_a_message_and_keeps_the_page():
    at = open_page("lessons/01_intro.py")
    _submit(at, "intro", lr=0.0)
    no_errors(at)
    assert any("lr=0.0 is too small" in e.value for e in at.error)
    assert at.number_input(key="intro.w.lr").value == 0.0  # what the user typed is kept


def test_pca_tiny_training():
    at = open_page("lessons/02_pca.py")
    _submit(at, "pca", linear_epochs=30, deep_epochs=2, latent_dim=2)
    wait_until_trained(at)
    no_errors(at)
    m = at.session_state["pca.job"].result.metrics  # the page shows its own run's numbers
    shown = {x.label: x.value for x in at.metric}
    for key in ("pca_mse", "pca_bound", "linear_ae_mse", "deep_ae_mse"):
        assert shown[translate(f"pca.metric.{key}", "en")] == num(m[key], 4), key
    assert shown[translate("pca.metric.max_principal_angle_deg", "en")] == num(m["max_principal_angle_deg"], 3)


def test_pca_latent_too_large_gives_message():
    at = open_page("lessons/02_pca.py")
    _submit(at, "pca", linear_epochs=5, deep_epochs=1, latent_dim=64)
    wait_until_trained(at)
    no_errors(at)
    assert any("smaller than" in e.value for e in at.error)


@pytest.mark.slow
def test_latent_page_trains_and_scores():
    at = open_page("lessons/03_latent.py")
    _submit(at, "latent", epochs=3)
    wait_until_trained(at, limit=900)
    no_errors(at)
    m = at.session_state["latent.job"].result.metrics
    (table,) = at.table  # the score table: one row per method, the numbers of this run
    for col, metric in (("trust", "trustworthiness"), ("knn", "knn_accuracy")):
        shown = list(table.value[translate(f"latent.col.{col}", "en")])
        assert shown == [f"{m[f'{k}_{metric}']:.3f}" for k in METHODS], col
