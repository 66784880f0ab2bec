"""AppTest of lesson 8 (VAE, the ELBO gap) and the annex: no exception, a tiny training run, messages."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import entropy as sp_entropy

from tests.apptest_utils import no_errors, open_page, wait_until_trained
from tests.apptest_utils import submit_form as _submit

pytestmark = pytest.mark.usefixtures("clean_app_state")


def _chart_keys(at) -> set[str]:
    return {el.proto.id for el in at.get("plotly_chart")}


def test_vae_page_tiny_training_shows_split_claims_and_2d_views():
    at = open_page("lessons/08_vae.py")
    no_errors(at)
    _submit(at, "vae", epochs=2, latent_dim=3)
    wait_until_trained(at)  # the k = 3 model ...
    wait_until_trained(at)  # ... then the 2-D model of the latent views
    no_errors(at)
    labels = [m.label for m in at.metric]
    assert any("ELBO at β = 1" in label for label in labels) and any("ℒᵦ" in label for label in labels)
    assert any("Active" in label for label in labels)
    text = " ".join(md.value for md in at.markdown)
    assert "relative error" in text  # the claims box
    assert "β = 1: the objective is the negative ELBO" in text  # E1, chosen by β
    assert "fair baseline" in text  # M2, chosen by the numbers
    assert not at.warning  # M15: inactive units are a measured observation, not a warning
    charts = " ".join(_chart_keys(at))
    for key in ("vae.split", "vae.kl_dim", "vae.samples", "vae.interp", "vae.posterior", "vae.grid"):
        assert key in charts, key
    at.number_input(key="vae.interp_j").set_value(7).run()
    at.slider(key="vae.grid_n").set_value(7).run()
    no_errors(at)


def test_vae_page_beta_below_one_says_the_objective_is_no_bound():
    at = open_page("lessons/08_vae.py")
    _submit(at, "vae", epochs=2, latent_dim=2, beta=0.5)
    wait_until_trained(at)
    no_errors(at)
    text = " ".join(md.value for md in at.markdown)
    assert "so it is not a bound" in text


def test_vae_page_follows_the_sidebar_data_set():
    at = open_page("lessons/08_vae.py")
    at.selectbox(key="dataset").set_value("swiss_roll").run()  # not images: the lesson says so, uses digits
    no_errors(at)
    assert any("does not offer" in c.value for c in at.caption)


def test_elbo_gap_page_tiny_training_shows_the_identity_and_derivations():
    at = open_page("lessons/08b_elbo_gap.py")
    no_errors(at)
    _submit(at, "elbo_gap", epochs=2, grid=51, is_samples=1000)
    wait_until_trained(at)
    no_errors(at)
    labels = [m.label for m in at.metric]
    assert any("importance sampling" in label for label in labels)
    text = " ".join(md.value for md in at.markdown)
    assert "standard error of that difference" in text and "log p(x) − ELBO" in text
    assert "elbo_gap.fig" in " ".join(_chart_keys(at))
    titles = [e.proto.label for e in at.expander]
    assert any("the ELBO and its gap" in x for x in titles) and any("two Gaussians" in x for x in titles)
    at.number_input(key="elbo_gap.image").set_value(5).run()  # another image, the same model
    no_errors(at)
    assert any("Image 5" in c.value for c in at.caption)


def test_kl_calculator_bad_sigma_gives_a_message():
    at = open_page("lessons/08b_elbo_gap.py")
    at.number_input(key="vae.calc.sigma1").set_value(0.0).run()
    no_errors(at)
    assert any("sigma1" in e.value for e in at.error)


def test_kl_calculator_needs_no_training():
    at = open_page("lessons/08b_elbo_gap.py")
    at.number_input(key="vae.calc.mu2").set_value(3.0).run()
    no_errors(at)
    metrics = {m.label: m.value for m in at.metric}
    closed = float(metrics["KL(q ‖ p), closed form"])
    mc = float(metrics["KL(q ‖ p), Monte Carlo"].split("±")[0])
    assert closed == pytest.approx(0.5 * ((1 / 4) + 9 / 4 - 1) + 0.6931471805599453, rel=1e-4)
    assert mc == pytest.approx(closed, rel=0.05)
    assert any("standard errors" in c.value for c in at.caption)


def test_annex_shows_entropies_and_asymmetry():
    at = open_page("lessons/10_annex.py")
    no_errors(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Entropy H(P)"].startswith("1.7500")  # P = (1/2, 1/4, 1/8, 1/8), in bits
    assert metrics["Cross-entropy H(Q, P)"].startswith("2.5000")  # Q = (1, 2, 2, 3) / 8
    p, q = np.array([4, 2, 1, 1]) / 8, np.array([1, 2, 2, 3]) / 8
    refs = {"KL(P ‖ Q)": sp_entropy(p, q, base=2), "KL(Q ‖ P)": sp_entropy(q, p, base=2)}
    for key, ref in refs.items():
        assert float(metrics[key].split()[0]) == pytest.approx(ref, abs=1e-4)
    assert any("Asymmetry" in i.value for i in at.info)


@pytest.mark.parametrize("weights, message", [((-1.0,), "negative weight"), ((0.0, 0.0, 0.0, 0.0), "sum to zero")])
def test_annex_invalid_distribution_shows_a_message(weights, message):
    at = open_page("lessons/10_annex.py")
    for i, w in enumerate(weights):
        at.number_input(key=f"annex.Q.{i}").set_value(w)
    at.run()
    no_errors(at)
    assert any(message in e.value for e in at.error)
    assert not at.metric


def test_annex_zero_in_q_gives_infinite_divergence_message():
    at = open_page("lessons/10_annex.py")
    at.number_input(key="annex.Q.0").set_value(0.0).run()
    no_errors(at)
    assert any("infinite" in w.value for w in at.warning)
