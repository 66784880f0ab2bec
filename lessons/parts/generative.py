"""Page pieces of lesson 8 (``vae``, ``elbo_gap``): the derivations (the ELBO, Kingma &
Welling 2014; the KL between two Gaussians) as ``ui.kit.derivation.Step`` lists, each step one line of maths,
one translated sentence and the numbers of the current run beside the steps they check; the
choice between a lesson text's variants by the measured numbers; and the table of the
generation scores."""

from __future__ import annotations

import math

import streamlit as st

from ui.kit.derivation import Step
from ui.kit.i18n import t
from ui.kit.page import cells, num, prose

GENERATORS = ("vae", "ae", "ae_fitted", "data")  # the score table's rows (metric suffixes)
SCORES = ("precision", "recall", "coverage", "density", "sample_confidence", "class_entropy")
RECALL_LOW = 0.5  # recall below this × coverage: the page explains why recall is small

VAE_LATEX = (  # the lesson's formulas, in the notation of Kingma & Welling (2014)
    r"\delta\big(h-f(x)\big)\ \longrightarrow\ "
    r"\mathbb E_{\tilde x\sim C(\tilde x|x)}\,\delta\big(h-f(\tilde x)\big)\ \longrightarrow\ "
    r"q_\phi(z|x)=\mathcal N\big(\mu_\phi(x),\mathrm{diag}\,\sigma_\phi^2(x)\big)",  # p_enc: AE, DAE, VAE
    r"-\log p_{\text{dec}}(x|h)=\frac{\lVert x-g(h)\rVert^2}{2\sigma^2}+\text{const}",
    r"\log p_\theta(x)\ \ge\ \mathrm{ELBO}=\mathbb{E}_{q_\phi(z|x)}\big[\log p_\theta(x|z)\big]"
    r"-D_{KL}\big(q_\phi(z|x)\,\|\,p(z)\big),\qquad p(z)=\mathcal N(0,I)",
    r"\mathcal L_\beta=-\mathbb{E}_{q_\phi(z|x)}\big[\log p_\theta(x|z)\big]"
    r"+\beta\,D_{KL}\big(q_\phi(z|x)\,\|\,p(z)\big),\qquad -\mathcal L_\beta=\mathrm{ELBO}+(1-\beta)\,D_{KL}",
    r"z=\mu_\phi(x)+\sigma_\phi(x)\odot\varepsilon,\qquad \varepsilon\sim\mathcal N(0,I)",
    r"D_{KL}\big(\mathcal N(\mu,\mathrm{diag}\,\sigma^2)\,\|\,\mathcal N(0,I)\big)"
    r"=-\tfrac12\sum_{j=1}^{k}\big(1+\log\sigma_j^2-\mu_j^2-\sigma_j^2\big)",
)

# What the ELBO misses (Kingma & Welling 2014), the KL between diagonal Gaussians (notes 004),
# with full covariances, and the least cost of a diagonal q for a correlated Gaussian posterior.
ELBO_GAP = (
    r"\log p_\theta(x)-\mathrm{ELBO}=\mathbb E_q\Big[\log\frac{q_\phi(z|x)}{p_\theta(z|x)}\Big]"
    r"=D_{KL}\big(q_\phi(z|x)\,\|\,p_\theta(z|x)\big)\ \ge 0"
)
KL_DIAGONAL = (
    r"D_{KL}(q\,\|\,p)=\tfrac12\sum_j\Big[\log\frac{\sigma_{2j}^2}{\sigma_{1j}^2}+\frac{\sigma_{1j}^2}{\sigma_{2j}^2}"
    r"+\frac{(\mu_{1j}-\mu_{2j})^2}{\sigma_{2j}^2}-1\Big]"
)
KL_FULL = (
    r"\begin{aligned}&D_{KL}\big(\mathcal N(\mu_1,\Sigma_1)\,\|\,\mathcal N(\mu_2,\Sigma_2)\big)\\"
    r"&=\tfrac12\Big[\mathrm{tr}"
    r"(\Sigma_2^{-1}\Sigma_1)+(\mu_2-\mu_1)^\top\Sigma_2^{-1}(\mu_2-\mu_1)-k"
    r"+\log\frac{\det\Sigma_2}{\det\Sigma_1}\Big]\end{aligned}"
)
DIAGONAL_COST = r"\min_{q\ \text{diagonal}}D_{KL}\big(q\,\|\,\mathcal N(m,\Sigma)\big)=-\tfrac12\log(1-\rho^2)"


def _n(value: float, digits: int = 4) -> str:
    return num(value, digits)


def _d(name: str, **numbers: str) -> str:
    """A derivation sentence or check of the ELBO-gap page."""
    return t(f"elbo_gap.derive.{name}", **numbers)


def _power(value: float) -> str:
    """A huge count as m×10ⁿ (no 'e+18')."""
    exponent = math.floor(math.log10(value))
    return f"{value / 10**exponent:.1f}×10{str(exponent).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))}"


def elbo_steps(m: dict[str, float], grid: int, samples: int) -> list[Step]:
    """Note 002's derivation, from p(x) = ∫ p(z) p(x|z) dz to the identity and β."""
    nums = {k: _n(v) for k, v in m.items()}
    nums["gap"] = _n(m["log_px"] - m["elbo"])
    cells = grid * grid
    return [
        Step(
            r"p_\theta(x)=\int p(z)\,p_\theta(x|z)\,dz",
            _d("elbo_1"),
            _d("elbo_1_check", cells=num(cells), **nums),
        ),
        Step(
            r"p_\theta(z|x)=\frac{p(z)\,p_\theta(x|z)}{p_\theta(x)}",
            _d("elbo_2"),
            _d("elbo_2_check", m=grid, cells=num(cells), cells8=_power(float(grid) ** 8)),
        ),
        Step(
            r"p_\theta(x)=\int q_\phi(z|x)\,\frac{p(z)\,p_\theta(x|z)}{q_\phi(z|x)}\,dz"
            r"=\mathbb E_{q_\phi(z|x)}\big[w(z)\big]",
            _d("elbo_3"),
            _d("elbo_3_check", samples=num(samples), **nums),
        ),
        Step(
            r"\log p_\theta(x)=\log\mathbb E_q\big[w(z)\big]\ \ge\ \mathbb E_q\big[\log w(z)\big]=\mathrm{ELBO}",
            _d("elbo_4"),
            _d("elbo_4_check", **nums),
        ),
        Step(
            r"\mathbb E_q[\log w]=\mathbb E_{q_\phi(z|x)}\big[\log p_\theta(x|z)\big]"
            r"-D_{KL}\big(q_\phi(z|x)\,\|\,p(z)\big)",
            _d("elbo_5"),
            _d("elbo_5_check", **nums),
        ),
        Step(
            ELBO_GAP,
            _d("elbo_6"),
            _d("elbo_6_check", **nums),
        ),
        Step(
            r"\begin{aligned}-\mathcal L_\beta&=\mathrm{ELBO}+(1-\beta)\,D_{KL}\big(q\,\|\,p(z)\big)>\log p_\theta(x)\\"
            r"&\iff\beta<1-\frac{D_{KL}(q\,\|\,p(z|x))}{D_{KL}(q\,\|\,p(z))}\end{aligned}",
            _d("elbo_7"),
            _d("elbo_7_check", **nums),
        ),
    ]


def kl_steps(m: dict[str, float], calc: dict[str, float] | None) -> list[Step]:
    """Note 004's derivation for diagonal Gaussians, then the full covariance and the
    independence question; ``calc`` is the KL calculator's current result (or None)."""
    nums = {k: _n(v) for k, v in m.items()}
    calc_check = None
    if calc is not None:
        calc_check = _d("kl_6_check", closed=_n(calc["closed"], 5), mc=_n(calc["mc"], 5), se=_n(calc["se"], 2), **nums)
    return [
        Step(
            r"D_{KL}(q\,\|\,p)=\mathbb E_q\big[\log q(z)-\log p(z)\big],"
            r"\quad q=\mathcal N(\mu_1,\mathrm{diag}\,\sigma_1^2),\ p=\mathcal N(\mu_2,\mathrm{diag}\,\sigma_2^2)",
            _d("kl_1"),
        ),
        Step(
            r"q(z)=\prod_{j=1}^{k}\mathcal N(z_j;\mu_{1j},\sigma_{1j}^2)\ \Rightarrow\ "
            r"D_{KL}(q\,\|\,p)=\sum_{j=1}^{k}\mathbb E_{q}\big[\log q_j(z_j)-\log p_j(z_j)\big]",
            _d("kl_2"),
        ),
        Step(r"\log\mathcal N(z;\mu,\sigma^2)=-\tfrac12\log 2\pi\sigma^2-\frac{(z-\mu)^2}{2\sigma^2}", _d("kl_3")),
        Step(
            r"D_{KL}=\tfrac12\sum_j\mathbb E_q\Big[\log\frac{\sigma_{2j}^2}{\sigma_{1j}^2}"
            r"+\frac{(z_j-\mu_{2j})^2}{\sigma_{2j}^2}-\frac{(z_j-\mu_{1j})^2}{\sigma_{1j}^2}\Big]",
            _d("kl_4"),
        ),
        Step(
            r"\mathbb E_q[(z-\mu_1)^2]=\sigma_1^2,\qquad \mathbb E_q[(z-\mu_2)^2]"
            r"=\mathbb E_q[(z-\mu_1+\mu_1-\mu_2)^2]=\sigma_1^2+(\mu_1-\mu_2)^2",
            _d("kl_5"),
        ),
        Step(
            KL_DIAGONAL,
            _d("kl_6"),
            calc_check,
        ),
        Step(
            KL_FULL,
            _d("kl_7"),
            _d("kl_7_check", **nums),
        ),
        Step(
            DIAGONAL_COST,
            _d("kl_8"),
            _d("kl_8_check", **nums),
        ),
    ]


def objective_text(m: dict[str, float], beta: float) -> str:
    """E1: how −ℒ_β relates to the ELBO for this β (equal, a looser bound, or no bound)."""
    numbers = dict(beta=f"{beta:g}", neg_objective=_n(-m["beta_objective"]), elbo=_n(m["elbo"]))
    diff = _n(abs(-m["beta_objective"] - m["elbo"]))
    if beta == 1:
        return t("vae.objective_equal", **numbers)
    return t("vae.objective_below" if beta > 1 else "vae.objective_above", diff=diff, **numbers)


def active_text(m: dict[str, float], k: int) -> str:
    active = int(m["active_units"])
    if active == k:
        return t("vae.active_all", k=k)
    return t("vae.active_some", active=active, k=k, inactive=k - active)


def fair_text(m: dict[str, float]) -> str:
    """M2: the VAE against the plain AE decoding codes from a Gaussian fitted to its own codes,
    by coverage (Ghosh et al. 2020 find the fitted Gaussian about as good)."""
    key = "vae.fair_vae" if m["coverage_vae"] > m["coverage_ae_fitted"] else "vae.fair_ae"
    return t(key, **{k: _n(v, 3) for k, v in m.items()})


def two_d_text(m: dict[str, float]) -> str:
    leads = m.get("coverage_vae", math.nan) > m.get("coverage_ae", math.nan)
    return t("vae.two_d_vae" if leads else "vae.two_d_mixed", **_numbers(m))


def _numbers(m: dict[str, float]) -> dict[str, str]:
    numbers = {k: _n(v, 3) for k, v in m.items()}
    numbers.update({f"inside_{k}": f"{100 * m[f'prior_inside_{k}_codes']:.0f}" for k in ("vae", "ae")})
    return numbers


def sample_texts(m: dict[str, float]) -> list[str]:
    """What the scores show on this run beyond the claim: the fair baseline (M2), recall
    against coverage, the classifier's confidence, and the nearest-image distance."""
    if "coverage_vae" not in m:  # no labels: no classifier, no feature space
        return [t("vae.no_labels"), t("vae.nn_only", **_numbers(m))]
    nn = "nn_agrees" if (m["sample_nn_mse_vae"] < m["sample_nn_mse_ae"]) == covers(m) else "nn_disagrees"
    nn_text = t(f"vae.{nn}", **_numbers(m))
    numbers = _numbers(m)
    texts = [fair_text(m)]
    if m["recall_vae"] < RECALL_LOW * m["coverage_vae"]:
        texts.append(t("vae.recall_low", **numbers))
    vae_surer = m["sample_confidence_vae"] > m["sample_confidence_ae"]
    return [*texts, t("vae.conf_vae" if vae_surer else "vae.conf_ae", **numbers), nn_text]


def covers(m: dict[str, float]) -> bool:
    return m.get("coverage_vae", math.nan) > m.get("coverage_ae", math.nan)


def scores_table(m: dict[str, float], accuracy: float, n: int) -> None:
    """How generated images are scored, what each number rewards, and the table of scores."""
    from aecore.maths.genmetrics import FEATURES, K_NN

    prose(t("vae.scores_explain", features=FEATURES, acc=num(accuracy, 3), k=K_NN, n=num(n)))
    rows = [g for g in GENERATORS if f"coverage_{g}" in m]
    if "data" in rows:
        st.caption(t("vae.scores_ceiling", rows=num(m["ceiling_rows"])))
    entropy = dict(max_entropy=num(m["max_class_entropy"], 3), classes=round(math.exp(m["max_class_entropy"])))
    lines = [f"- {t(f'vae.rewards.{s}', **entropy)}" for s in SCORES]
    prose(t("vae.scores_reward_title") + "\n\n" + "\n".join(lines))
    table = [
        {t("vae.table.generator"): t(f"vae.table.{g}")} | {t(f"vae.table.{s}"): m[f"{s}_{g}"] for s in SCORES}
        for g in rows
    ]
    st.dataframe(cells(table), hide_index=True, width="stretch")
