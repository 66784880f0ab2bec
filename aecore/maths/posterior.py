"""The ELBO gap made visible: the true posterior of a 2-D-latent VAE, and log p(x) two ways.

    p_θ(x) = ∫ p(z) p_θ(x|z) dz,   p_θ(z|x) = p(z) p_θ(x|z) / p_θ(x)
    log p_θ(x) = ELBO + KL(q_φ(z|x) ‖ p_θ(z|x))            (Kingma & Welling 2014, eq. 1)

In two dimensions the integral is a sum over a grid (quadrature), which gives the
normalised posterior. log p_θ(x) is also estimated by importance sampling with q as the
proposal, log (1/S) Σ_s p(z_s) p_θ(x|z_s) / q_φ(z_s|x), z_s ~ q (Burda et al. 2016). The
three terms of the identity are computed by three separate methods, so checking it tests
the numbers: log p(x) by importance sampling, the ELBO by Monte Carlo on fresh draws with
the closed-form KL to the prior, and KL(q ‖ p(z|x)) between q and the grid posterior,
both normalised on the grid. Nothing forces them to add up but the maths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from aecore import theory

LogJoint = Callable[[np.ndarray], np.ndarray]  # z (S, 2) -> log p(z) + log p(x|z), (S,)
COARSE, CUT = 161, 16.0  # first pass: points per axis, and nats below the peak still kept


@dataclass(frozen=True)
class GridPosterior:
    z1: np.ndarray  # (n,) grid of the first latent coordinate
    z2: np.ndarray  # (n,) second coordinate
    log_post: np.ndarray  # (n, n) log p(z|x) as cell probabilities, indexed [i2, i1]
    log_px: float  # log Σ_cells p(z) p(x|z) ΔA: the quadrature estimate of log p(x)
    mean: np.ndarray  # (2,) posterior mean
    cov: np.ndarray  # (2, 2) posterior covariance
    edge_mass: float  # posterior probability on the grid's border cells (≈ 0: nothing cut off)

    @property
    def correlation(self) -> float:
        return float(self.cov[0, 1] / np.sqrt(self.cov[0, 0] * self.cov[1, 1]))

    @property
    def points(self) -> np.ndarray:  # (n·n, 2), row by row as in log_post
        a, b = np.meshgrid(self.z1, self.z2)
        return np.stack([a.ravel(), b.ravel()], 1)


def _box(lo: np.ndarray, hi: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z1, z2 = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
    a, b = np.meshgrid(z1, z2)
    return z1, z2, np.stack([a.ravel(), b.ravel()], 1)


def grid_posterior(log_joint: LogJoint, mu: np.ndarray, sigma: np.ndarray, n: int = 201) -> GridPosterior:
    """Two passes: a coarse grid over the prior's bulk and q's ±8σ finds where the posterior
    lives (within CUT nats of its peak); a fine n × n grid over that box (and q's ±6σ)
    gives the normalised posterior, its moments and the quadrature log p(x)."""
    mu, sigma = np.asarray(mu, np.float64), np.asarray(sigma, np.float64)
    lo, hi = np.minimum(-5.0, mu - 8 * sigma), np.maximum(5.0, mu + 8 * sigma)
    z1, z2, pts = _box(lo, hi, COARSE)
    lj = log_joint(pts).reshape(COARSE, COARSE)
    rows, cols = np.nonzero(lj > lj.max() - CUT)
    step = (hi - lo) / (COARSE - 1)
    flo = np.minimum(np.array([z1[cols.min()], z2[rows.min()]]) - 2 * step, mu - 6 * sigma)
    fhi = np.maximum(np.array([z1[cols.max()], z2[rows.max()]]) + 2 * step, mu + 6 * sigma)
    z1, z2, pts = _box(flo, fhi, n)
    lj = log_joint(pts)
    area = np.prod((fhi - flo) / (n - 1))
    log_px = float(logsumexp(lj) + np.log(area))
    log_post = (lj - logsumexp(lj)).reshape(n, n)
    p = np.exp(log_post).ravel()
    mean = p @ pts
    d = pts - mean
    cov = (d * p[:, None]).T @ d
    border = np.ones((n, n), bool)
    border[1:-1, 1:-1] = False
    edge = float(np.exp(log_post[border]).sum())
    return GridPosterior(z1, z2, log_post, log_px, mean, cov, edge)


def kl_q_to_grid(post: GridPosterior, mu: np.ndarray, logvar: np.ndarray) -> tuple[float, float]:
    """KL(q ‖ p(z|x)) between q = N(μ, diag σ²) and the grid posterior, both as cell
    probabilities on the grid; and q's own mass on the grid (≈ 1 when the grid holds q)."""
    pts = post.points
    area = (post.z1[1] - post.z1[0]) * (post.z2[1] - post.z2[0])
    log_q = theory.normal_logpdf(pts, mu, logvar) + np.log(area)
    q_mass = float(np.exp(logsumexp(log_q)))
    log_q = log_q - logsumexp(log_q)
    return float(np.sum(np.exp(log_q) * (log_q - post.log_post.ravel()))), q_mass


def importance_log_px(log_joint: LogJoint, mu, logvar, samples: int, rng) -> dict[str, float | np.ndarray]:
    """log p(x) ≈ log (1/S) Σ w_s, w_s = p(z_s) p(x|z_s) / q(z_s|x), z_s ~ q; its standard
    error (delta method: sd(w) / (√S · mean w)) and the effective sample size (Σw)² / Σw²."""
    mu, logvar = np.asarray(mu, np.float64), np.asarray(logvar, np.float64)
    z = mu + np.exp(0.5 * logvar) * rng.standard_normal((samples, mu.size))
    log_w = log_joint(z) - theory.normal_logpdf(z, mu, logvar)
    w = np.exp(log_w - log_w.max())
    return {
        "log_px": float(logsumexp(log_w) - np.log(samples)),
        "se": float(w.std(ddof=1) / (np.sqrt(samples) * w.mean())),
        "ess": float(w.sum() ** 2 / (w * w).sum()),
        "z": z,
        "log_w": log_w,
    }


def elbo_monte_carlo(log_joint: LogJoint, mu, logvar, samples: int, rng) -> dict[str, float]:
    """ELBO = E_q[log p(x|z)] − KL(q ‖ N(0, I)): the expectation by Monte Carlo on its own
    draws, the KL in closed form. Also the expectation's standard error."""
    mu, logvar = np.asarray(mu, np.float64), np.asarray(logvar, np.float64)
    z = mu + np.exp(0.5 * logvar) * rng.standard_normal((samples, mu.size))
    loglik = log_joint(z) - theory.normal_logpdf(z, np.zeros_like(mu), np.zeros_like(mu))
    kl = float(theory.kl_std_normal(mu, logvar))
    return {
        "elbo": float(loglik.mean()) - kl,
        "expected_loglik": float(loglik.mean()),
        "expected_loglik_se": float(loglik.std(ddof=1) / np.sqrt(samples)),
        "kl_prior": kl,
    }


def gaussian_comparison(post: GridPosterior, mu, logvar, samples: int, rng) -> dict[str, float]:
    """How much the diagonal (independence) assumption costs, on this posterior.

    The posterior's Gaussian fit N(m, Σ) (moments on the grid): KL(q ‖ N(m, Σ)) by the
    full-covariance formula, its Monte Carlo check, the same KL with Σ's correlation
    dropped, and −½ log(1 − ρ²), the least KL any diagonal Gaussian can reach to a
    Gaussian of correlation ρ."""
    from scipy.stats import multivariate_normal

    mu, logvar = np.asarray(mu, np.float64), np.asarray(logvar, np.float64)
    var = np.exp(logvar)
    full = float(theory.kl_full_gaussians(mu, np.diag(var), post.mean, post.cov))
    z = mu + np.sqrt(var) * rng.standard_normal((samples, mu.size))
    ratio = theory.normal_logpdf(z, mu, logvar) - multivariate_normal(post.mean, post.cov).logpdf(z)
    diag = float(theory.kl_diag_gaussians(mu, logvar, post.mean, np.log(np.diag(post.cov))))
    rho = post.correlation
    return {
        "kl_gauss_full": full,
        "kl_gauss_full_mc": float(ratio.mean()),
        "kl_gauss_full_mc_se": float(ratio.std(ddof=1) / np.sqrt(samples)),
        "kl_gauss_diag": diag,
        "independence_cost": float(-0.5 * np.log1p(-(rho**2))),
    }
