"""The numerics of the ELBO-gap lesson (``aecore.maths.posterior``) against a model whose posterior
and evidence are known in closed form: z ~ N(0, I₂), x | z ~ N(Wz + b, s² I).

There p(z|x) = N(m, Σ) with Σ = (I + WᵀW / s²)⁻¹, m = Σ Wᵀ(x − b) / s², and
log p(x) = log N(x; b, WWᵀ + s² I); for any q, ELBO = log p(x) − KL(q ‖ p(z|x))."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import multivariate_normal
from torch.distributions import MultivariateNormal, kl_divergence

from aecore import theory
from aecore.maths import posterior

D, S2 = 6, 0.3**2


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(7)
    W = rng.normal(0, 1, (D, 2))
    W[:, 1] += 0.8 * W[:, 0]  # correlated columns: a correlated posterior
    b = rng.normal(0, 0.5, D)
    x = W @ np.array([0.7, -0.4]) + b + rng.normal(0, 0.3, D)
    cov = np.linalg.inv(np.eye(2) + W.T @ W / S2)
    mean = cov @ W.T @ (x - b) / S2
    log_px = multivariate_normal(b, W @ W.T + S2 * np.eye(D)).logpdf(x)

    def log_joint(z):
        z = np.atleast_2d(z)
        lik = multivariate_normal(np.zeros(D), S2 * np.eye(D)).logpdf(x - z @ W.T - b)
        return np.atleast_1d(lik) + multivariate_normal(np.zeros(2), np.eye(2)).logpdf(z)

    # q: a diagonal Gaussian near (not at) the posterior, as an encoder would give
    q_mu = mean + np.array([0.05, -0.03])
    q_logvar = np.log(1 / np.diag(np.linalg.inv(cov)))  # the best diagonal precision
    return dict(log_joint=log_joint, mean=mean, cov=cov, log_px=log_px, q_mu=q_mu, q_logvar=q_logvar)


def _kl_q_post(m):
    return theory.kl_full_gaussians(m["q_mu"], np.diag(np.exp(m["q_logvar"])), m["mean"], m["cov"])


def test_full_covariance_kl_matches_torch_and_the_diagonal_form():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    S1, S2_ = A @ A.T + 0.5 * np.eye(3), B @ B.T + 0.5 * np.eye(3)
    m1, m2 = rng.normal(size=3), rng.normal(size=3)
    ref = kl_divergence(
        MultivariateNormal(torch.as_tensor(m1), torch.as_tensor(S1)),
        MultivariateNormal(torch.as_tensor(m2), torch.as_tensor(S2_)),
    ).item()
    assert theory.kl_full_gaussians(m1, S1, m2, S2_) == pytest.approx(ref, rel=1e-10)
    v1, v2 = np.diag(S1), np.diag(S2_)
    diag = theory.kl_diag_gaussians(m1, np.log(v1), m2, np.log(v2))
    assert theory.kl_full_gaussians(m1, np.diag(v1), m2, np.diag(v2)) == pytest.approx(float(diag), rel=1e-12)


def test_grid_posterior_recovers_the_exact_posterior_and_evidence(model):
    post = posterior.grid_posterior(model["log_joint"], model["q_mu"], np.exp(0.5 * model["q_logvar"]), n=201)
    assert post.log_px == pytest.approx(model["log_px"], abs=1e-4)
    np.testing.assert_allclose(post.mean, model["mean"], atol=1e-4)
    np.testing.assert_allclose(post.cov, model["cov"], rtol=1e-3, atol=1e-6)
    rho = model["cov"][0, 1] / np.sqrt(model["cov"][0, 0] * model["cov"][1, 1])
    assert abs(rho) > 0.3  # the fixture really is correlated
    assert post.correlation == pytest.approx(rho, abs=1e-3)
    assert post.edge_mass < 1e-8


def test_importance_sampling_and_monte_carlo_elbo_agree_with_the_closed_forms(model):
    rng = np.random.default_rng(1)
    imp = posterior.importance_log_px(model["log_joint"], model["q_mu"], model["q_logvar"], 5000, rng)
    assert abs(imp["log_px"] - model["log_px"]) < 5 * imp["se"] + 1e-9
    assert 0 < imp["ess"] <= 5000
    elbo = posterior.elbo_monte_carlo(model["log_joint"], model["q_mu"], model["q_logvar"], 5000, rng)
    exact_elbo = model["log_px"] - _kl_q_post(model)
    assert abs(elbo["elbo"] - exact_elbo) < 5 * elbo["expected_loglik_se"]
    assert elbo["elbo"] < imp["log_px"]  # Jensen


def test_grid_kl_to_the_posterior_and_the_identity(model):
    post = posterior.grid_posterior(model["log_joint"], model["q_mu"], np.exp(0.5 * model["q_logvar"]), n=201)
    kl, q_mass = posterior.kl_q_to_grid(post, model["q_mu"], model["q_logvar"])
    assert q_mass == pytest.approx(1.0, abs=1e-6)
    assert kl == pytest.approx(_kl_q_post(model), abs=2e-4)
    args = model["log_joint"], model["q_mu"], model["q_logvar"], 20000
    elbo = posterior.elbo_monte_carlo(*args, np.random.default_rng(2))
    imp = posterior.importance_log_px(*args, np.random.default_rng(3))
    noise = np.hypot(imp["se"], elbo["expected_loglik_se"])  # the two Monte Carlo terms' standard errors
    assert abs(imp["log_px"] - elbo["elbo"] - kl) < 5 * noise + 1e-3


def test_gaussian_comparison_prices_the_independence_assumption(model):
    post = posterior.grid_posterior(model["log_joint"], model["q_mu"], np.exp(0.5 * model["q_logvar"]), n=201)
    out = posterior.gaussian_comparison(post, model["q_mu"], model["q_logvar"], 20000, np.random.default_rng(4))
    assert out["kl_gauss_full"] == pytest.approx(_kl_q_post(model), rel=1e-2)  # the posterior is Gaussian here
    assert abs(out["kl_gauss_full_mc"] - out["kl_gauss_full"]) < 5 * out["kl_gauss_full_mc_se"]
    rho = post.correlation
    assert out["independence_cost"] == pytest.approx(-0.5 * np.log(1 - rho**2), rel=1e-12)
    # q has the best diagonal precisions and a small offset: its KL is at least the cost
    assert out["kl_gauss_full"] >= out["independence_cost"] - 1e-6
