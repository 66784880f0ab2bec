"""The family side by side, ``family``: plain, sparse (KL), contractive, denoising and
variational autoencoders on the same data, code size, width and training budget
(Goodfellow, Bengio & Courville 2016, ch. 14; Ng 2011; Rifai et al. 2011; Vincent et al.
2008; Kingma & Welling 2014).

Every model: encoder D → w → w/2 → k, decoder k → w/2 → w → D (ReLU hidden), trained through
``Tracker.fit`` for the same steps (lesson 8's budget, ``generative.schedule``: about
360 000 rows seen). The four deterministic models have sigmoid codes h ∈ (0, 1)ᵏ (KL
sparsity needs them; the others share them so that ‖J_f‖ and the active share are on one
scale) and a linear output (a sigmoid code followed by a sigmoid output stalls at the mean
image); the VAE is lesson 8's (Bernoulli likelihood, sigmoid output), its code the mean μ.

    plain        mean (x − x̂)²
    sparse       + β_s Σ_j KL(ρ ‖ ρ̂_j)                  (penalties.kl_sparsity)
    contractive  + λ mean ‖J_f(x)‖²_F                    (penalties.contractive, closed form)
    denoising    mean (x − g(f(x + ε)))², ε ~ N(0, σ²I)  (noise.gaussian)
    variational  ℒ_β = −E_q log p(x|z) + β KL(q ‖ N(0, I))

Measured on held-out rows unless named "train": reconstruction MSE; for a small change δ
inside and outside the span of the training data's principal directions, the share copied
(``probes.copy_share``) and the gain ‖Δx̂‖/‖δ‖ (``probes.gain``); mean ‖J_f(x)‖_F (the
VAE's: of μ); the active share (h_ij > 0.1) and the mean slope h(1 − h) of the sigmoid
codes (a saturated code has a small one); a linear probe's accuracy on
the codes; decodes of z ~ N(0, I) for every model, and for the AEs of a Gaussian fitted
to their training codes, scored by ``aecore.maths.genmetrics``. The claims and the table's
winners: ``aecore.experiments.family_claims``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from aecore import cost_terms as ct
from aecore.config import Config, param
from aecore.data import steps
from aecore.data.registry import image_dataset_names
from aecore.experiments.base import Experiment, Result, Tracker
from aecore.experiments.denoising_images import PROBE_ROWS, probe_accuracy
from aecore.experiments.family_claims import CLAIMS, rivals
from aecore.maths import probes
from aecore.maths.generative import (
    EPOCHS_BUDGET,
    ElboMeter,
    data_for,
    fitted_gaussian_codes,
    schedule,
    share_inside,
    training_cost,
    vae_config,
)
from aecore.maths.genmetrics import CLF_BATCH, CLF_STEPS, FEATURES, feature_classifier, generation_scores
from aecore.models import VAE, ModelConfig, build_model
from aecore.noise import make_corrupt
from aecore.penalties import make_penalty, mlp_jacobian_fro2
from aecore.theory import mse, pca_fit
from aecore.train import TrainConfig, as_tensor, predict

MEMBERS = ("plain", "sparse", "contractive", "denoising", "vae")
AES = MEMBERS[:4]  # the deterministic, sigmoid-coded members
# Stage ids (labels: assets/locales/<lang>/stages.toml): one per member, the VAE's two loss
# terms (generative.ElboMeter), the measurements.
STAGES = {m: f"family_{m}" for m in MEMBERS}
VAE_RECON, VAE_KL, SCORES = "vae_recon", "vae_kl", "scores"
ACTIVE = 0.1  # a sigmoid code unit is "on" above this (as lesson 5)
HELDOUT, MAX_HELDOUT = 0.2, 2000  # held-out share of the rows, at most this many
N_PROBE, N_GEN, PCA_ROWS = 500, 1000, 2000  # rows perturbed; decodes per generator; rows of the PCA
SHOWN = {"map": 500, "decodes": 16}  # what the result keeps for the figure: map points, decodes


@dataclass(frozen=True)
class FamilyConfig(Config):
    dataset: str = param("digits", "image data set (the sidebar's choice)", choices=image_dataset_names)
    latent_dim: int = param(8, "code size k of every model", lo=2, hi=64)
    width: int = param(128, "first hidden width of every model (the second is half)", lo=8, hi=512)
    epochs: int = param(
        0, "epochs of every model; 0 = lesson 8's budget (about {rows} rows seen)", lo=0, hi=2000, **EPOCHS_BUDGET
    )
    lr: float = param(3e-3, "initial learning rate (Adam, cosine decay)", lo=0.0, hi=0.1, lo_open=True)
    rho: float = param(0.1, "sparse: target mean activation ρ", lo=0.0, hi=0.99, lo_open=True)
    sparse_beta: float = param(0.01, "sparse: weight β of the KL sparsity penalty", lo=0.0, hi=100.0)
    lam: float = param(0.01, "contractive: weight λ of mean ‖J_f‖²_F", lo=0.0, hi=100.0)
    sigma: float = param(0.3, "denoising: σ of the Gaussian corruption", lo=0.0, hi=2.0)
    beta: float = param(1.0, "variational: weight β of the KL term", lo=0.0, hi=20.0)
    seed: int = param(0, "seed of the split, weights, batch order, noise and draws", lo=0, hi=2**31 - 1)


def split(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, held-out rows): a seeded permutation, HELDOUT of the rows held out."""
    order = np.random.default_rng(seed).permutation(n)
    n_out = max(1, min(round(HELDOUT * n), MAX_HELDOUT))
    return order[n_out:], order[:n_out]


def build(cfg: FamilyConfig, member: str, dim: int):
    """The member's model and its corruption (None: trained on clean inputs)."""
    if member == "vae":
        vc = vae_config(dim, cfg.width, cfg.latent_dim, "bernoulli", cfg.beta, 0.1, cfg.seed)
        return build_model(vc, kind="vae", seed=cfg.seed), None
    mc = ModelConfig(
        input_dim=dim,
        hidden=(cfg.width, max(cfg.width // 2, 2)),
        latent_dim=cfg.latent_dim,
        latent_activation="sigmoid",
        output="identity",
    )
    weights = {"sparse": ("kl", cfg.sparse_beta), "contractive": ("contractive", cfg.lam)}
    name, weight = weights.get(member, ("none", 0.0))
    penalty = make_penalty(name, weight, rho=cfg.rho) if weight > 0 else None
    corrupt = make_corrupt("gaussian", cfg.sigma) if member == "denoising" and cfg.sigma > 0 else None
    return build_model(mc, penalty=penalty, seed=cfg.seed), corrupt


def train_all(cfg: FamilyConfig, X: np.ndarray, track: Tracker) -> dict:
    """Every member trained for the same epochs and batches, one after the other."""
    epochs, batch = schedule(cfg, len(X))
    tc = TrainConfig(epochs=epochs, batch_size=batch, lr=cfg.lr, seed=cfg.seed)
    models = {}
    for member in MEMBERS:
        model, corrupt = build(cfg, member, X.shape[1])
        if member == "vae":
            meter = ElboMeter(track, VAE_RECON, VAE_KL, every=max(1, epochs // 50))
            track.fit(model, X, tc, loss_fn=meter.loss, on_progress=meter.progress, stage=STAGES[member])
        else:
            track.fit(model, X, tc, corrupt=corrupt, stage=STAGES[member])
        models[member] = model
    return models


def jacobian_norm(model, X: np.ndarray) -> float:
    """Mean over rows of ‖J_f(x)‖_F (the VAE's: of its mean μ(x))."""
    rows = slice(0, model.config.latent_dim) if isinstance(model, VAE) else None
    with torch.no_grad():
        sq = mlp_jacobian_fro2(model.encoder, as_tensor(X), rows=rows)
    return float(sq.clamp_min(0).sqrt().mean())


def codes_for_prior(model, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The codes N(0, I) is compared with: an AE's codes; for the VAE one draw z ~ q(z|x)
    per input (the aggregate posterior)."""
    if not isinstance(model, VAE):
        return predict(model.encode, X)
    with torch.no_grad():
        mu, logvar = (a.cpu().numpy() for a in model.posterior(as_tensor(X)))
    return mu + np.exp(0.5 * logvar) * rng.standard_normal(mu.shape)


def member_metrics(model, member: str, data: dict, basis: tuple[np.ndarray, np.ndarray], seed: int) -> dict:
    """One model's row of the table (all but the generation scores)."""
    X, X_held = data["X"], data["X_held"]
    H_tr, H_te = predict(model.encode, X), predict(model.encode, X_held)
    rows, inside, outside = X_held[:N_PROBE], *basis
    m = {
        "mse_train": mse(X, predict(model, X)),
        "mse_heldout": mse(X_held, predict(model, X_held)),
        "copy_in": probes.copy_share(model, rows, inside, seed),
        "copy_out": probes.copy_share(model, rows, outside, seed + 1),
        "gain_in": probes.gain(model, rows, inside, seed),
        "gain_out": probes.gain(model, rows, outside, seed + 1),
        "jacobian": jacobian_norm(model, rows),
    }
    if member != "vae":  # sigmoid codes: the share on, and the mean slope h(1 − h) (at most 1/4)
        m["active"], m["slope"] = float((H_te > ACTIVE).mean()), float((H_te * (1 - H_te)).mean())
    if len(np.unique(data["y"])) > 1:  # lesson 7's probe: ≤ PROBE_ROWS training codes (already shuffled)
        m["probe"] = probe_accuracy(H_tr[:PROBE_ROWS], data["y"][:PROBE_ROWS], H_te, data["y_held"])
    return {f"{k}_{member}": v for k, v in m.items()}


def random_decodes(model, member: str, codes: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Decodes of z ~ N(0, I) ("prior_<member>") and, for an AE, of codes drawn from a
    Gaussian fitted to its training codes ("fit_<member>"), clipped to [0, 1]."""
    z = {"prior": rng.standard_normal((N_GEN, codes.shape[1])).astype(np.float32)}
    if member != "vae":
        z["fit"] = fitted_gaussian_codes(codes, N_GEN, rng)
    return {f"{how}_{member}": np.clip(predict(model.decode, c), 0.0, 1.0) for how, c in z.items()}


def code_map(H: np.ndarray) -> np.ndarray:
    """The codes themselves when k = 2, else their projection on their top two principal
    directions (the 2-D map of the codes)."""
    if H.shape[1] <= 2:
        return H
    Hc = H - H.mean(0)
    _, _, Vt = np.linalg.svd(Hc, full_matrices=False)
    return Hc @ Vt[:2].T


def measure(models: dict, data: dict, cfg: FamilyConfig) -> tuple[dict, dict]:
    """Every member's row of the table, the generation scores, and what the figure shows."""
    X, rng = data["X"], np.random.default_rng(cfg.seed)
    pca = pca_fit(X[:PCA_ROWS])  # the span of the data's directions (rows already shuffled)
    r = probes.data_directions(pca)
    basis = (pca.components[:, :r], pca.components[:, r:])
    real = X[rng.permutation(len(X))[:N_GEN]]
    metrics, maps, samples = {"data_directions": float(r)}, {}, {}
    for member, model in models.items():
        metrics |= member_metrics(model, member, data, basis, cfg.seed)
        codes = codes_for_prior(model, X, rng)
        samples |= random_decodes(model, member, codes, rng)
        z = rng.standard_normal((N_GEN, cfg.latent_dim))
        metrics[f"prior_inside_{member}"] = share_inside(codes, z)
        maps[member] = code_map(predict(model.encode, data["X_held"][: SHOWN["map"]]))
    net, accuracy = feature_classifier(cfg.dataset)
    if net is not None:
        metrics |= generation_scores(samples, real, net) | {"classifier_accuracy": accuracy}
    shown = {name: s[: SHOWN["decodes"]] for name, s in samples.items() if name.startswith("prior_")}
    return metrics, {"maps": maps, "samples": shown, "map_labels": data["y_held"][: SHOWN["map"]]}


def run(cfg: FamilyConfig, on_progress=None) -> Result:
    ds, _ = data_for(cfg.dataset, "bernoulli")  # the VAE's likelihood needs values in [0, 1]
    tr, te = split(ds.n, cfg.seed)
    data = {"X": ds.X[tr], "y": ds.y[tr], "X_held": ds.X[te], "y_held": ds.y[te]}
    track = Tracker(on_progress)
    models = train_all(cfg, data["X"], track)
    track.step(SCORES)
    metrics, arrays = measure(models, data, cfg)
    metrics |= rivals(metrics) | settings(cfg)
    arrays |= {"image_shape": ds.image_shape, "epochs": schedule(cfg, len(tr))[0]}
    return track.result(metrics, arrays=arrays, models=models)


def settings(cfg: FamilyConfig) -> dict[str, float]:
    """The regularisers' weights, as metrics: a claim's why reads them."""
    return {"sparse_beta": cfg.sparse_beta, "rho": cfg.rho, "lam": cfg.lam, "sigma": cfg.sigma}


def cost(cfg: FamilyConfig) -> dict[str, float]:
    """Estimated one-core seconds (aecore.cost): the VAE and three AEs on lesson 8's budget,
    the contractive AE, whose penalty forms J_f = W₃D₂W₂D₁W₁ (k × D) for every row of every
    step (about k·(w/2)·w + k·w·D multiply-adds, 12 flops each with its backward pass,
    calibrated on the 8×8 digits), the feature classifier and the generation scores (k-NN
    radii and distances among N_GEN rows)."""
    train, _, n, d = training_cost(cfg, cfg.latent_dim, plain=3)
    count, seen = steps.work(cfg, "epochs", n)
    w, k = cfg.width, cfg.latent_dim
    contractive = ct.train(count, seen, ct.autoencoder(d, (w, w // 2), k))
    contractive += 12 * seen * (k * (w // 2) * w + k * w * d) / ct.FLOPS
    scores = ct.train(CLF_STEPS, CLF_STEPS * CLF_BATCH, ct.mlp((d, FEATURES, 10)))
    scores += 9 * ct.pairwise(N_GEN, FEATURES) + 5 * ct.ranks(N_GEN)
    return {"epochs": train + contractive, "latent_dim": scores}


EXPERIMENTS = [
    Experiment(
        "family",
        FamilyConfig,
        run,
        "The autoencoder family side by side",
        budget_s=40,
        cost=cost,
        stages=(*STAGES.values(), VAE_RECON, VAE_KL, SCORES),
        claims=CLAIMS,
        codes=lambda a: {f"{m}_map": (a["maps"][m], a["map_labels"]) for m in a["maps"]},
    ),
]
