"""Page pieces of lesson 7 that would crowd its page: the sentences chosen by the run's
numbers (Tweedie's band, direction against length), the derivation from score matching to
the DAE, and the linear probe's honest summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import streamlit as st

from aecore.experiments import get
from aecore.experiments.denoising_field import TAYLOR_POINTS
from aecore.experiments.denoising_images import AE, PROBE_GAIN, ROBUST_HURTS, ROBUST_VIEW, probe_metric
from aecore.figures import denoising as fig
from lessons.parts import formulas
from ui.kit.derivation import Step
from ui.kit.i18n import t
from ui.kit.page import chart, labels, num, prose
from ui.kit.widgets import open_view

F = "denoising.field"
SAME_COSINE = 0.005  # two cosines closer than this read as "the same"


def field_texts(m: Mapping[str, float], a: Mapping[str, Any]) -> None:
    """Where the best denoiser sends points (E5), then direction against length (M1)."""
    sigma = a["sigma"]
    common = dict(
        shift=num(m["tweedie_shift"], 2),
        half=num(sigma**2 / 2, 2),
        sigma=num(sigma),
        opt=num(m["optimal_projection_cosine"], 3),
        cos=num(m["projection_cosine"], 3),
    )
    k = int(m["optimal_reversed_points"])
    if k == 0:
        prose(t(f"{F}.tweedie_none", **common))
    else:
        prose(t(f"{F}.tweedie_some", k=k, n=int(m["near_points"]), **common))
    length = dict(ratio=num(m["score_magnitude_ratio"], 3), n=len(a["noisy"]))
    if abs(m["score_cosine"] - m["projection_cosine"]) < SAME_COSINE:
        prose(t(f"{F}.coincide", cos=num(m["score_cosine"], 3), **length))
    else:
        cosines = dict(pcos=num(m["projection_cosine"], 3), scos=num(m["score_cosine"], 3))
        prose(t(f"{F}.differ", **cosines, **length))


def sweep_chart(a: Mapping[str, Any]) -> None:
    """‖J_r‖_F against σ: the learned DAEs beside the best denoiser (Alain & Bengio 2014)."""
    prose(t(f"{F}.sweep_explain"))
    s = a["sweep"]
    names = labels(
        "denoising.field", learned="sweep_learned", best="sweep_best", x="sweep_x", y="sweep_y", title="sweep_title"
    )
    pairs = "; ".join(f"σ = {num(r[0])}: {num(r[1], 3)} ({num(r[2], 3)})" for r in s)
    chart(fig.jacobian_sweep_figure(s, names), "denoising.field.sweep", t(f"{F}.sweep_summary", pairs=pairs))


def denoising_steps(m: Mapping[str, float], a: Mapping[str, Any]) -> list[Step]:
    """Score matching (Hyvärinen 2005) → denoising score matching (Vincent 2011) → Tweedie →
    the slides' small-σ form → the DAE ↔ CAE link (Alain & Bengio 2014)."""
    d = f"{F}.derivation"
    check5 = t(
        f"{d}.c5",
        ratio=num(m["score_magnitude_ratio"], 3),
        n=len(a["noisy"]),
        cos=num(m["score_cosine"], 3),
    )
    check7 = t(
        f"{d}.c7",
        n=TAYLOR_POINTS,
        sigma=num(a["sigma"]),
        mc=num(m["dae_loss_mc"], 3),
        taylor=num(m["dae_loss_taylor"], 3),
    )
    return [
        Step(
            r"s_\theta(x)=\nabla_x\log\frac{\tilde p_\theta(x)}{Z(\theta)}=\nabla_x\log\tilde p_\theta(x)",
            t(f"{d}.s1"),
        ),
        Step(
            r"\tfrac12\,\mathbb E_{p}\lVert s_\theta-\nabla\log p\rVert^2"
            r"=\mathbb E_{p}\big[\operatorname{tr}\nabla_x s_\theta(x)+\tfrac12\lVert s_\theta(x)\rVert^2\big]"
            r"+\text{const}",
            t(f"{d}.s2"),
        ),
        Step(
            r"\mathbb E_{x,\tilde x}\Big\lVert s_\theta(\tilde x)-\frac{x-\tilde x}{\sigma^2}\Big\rVert^2"
            r"=\mathbb E_{\tilde x}\lVert s_\theta(\tilde x)-\nabla\log p_\sigma(\tilde x)\rVert^2+\text{const}",
            t(f"{d}.s3"),
        ),
        Step(
            r"s_\theta(\tilde x)=\frac{r(\tilde x)-\tilde x}{\sigma^2}\ \Rightarrow\ "
            r"\Big\lVert s_\theta(\tilde x)-\frac{x-\tilde x}{\sigma^2}\Big\rVert^2"
            r"=\frac{\lVert r(\tilde x)-x\rVert^2}{\sigma^4}",
            t(f"{d}.s4"),
        ),
        Step(
            r"r^*(\tilde x)=\mathbb E[x\mid\tilde x]=\tilde x+\sigma^2\,\nabla\log p_\sigma(\tilde x)",
            t(f"{d}.s5"),
            check5,
        ),
        Step(formulas.SCORE, t(f"{d}.s6")),
        Step(
            r"\mathbb E_\varepsilon\lVert r(x+\sigma\varepsilon)-x\rVert^2"
            r"\approx\lVert r(x)-x\rVert^2+\sigma^2\lVert J_r(x)\rVert_F^2",
            t(f"{d}.s7"),
            check7,
        ),
    ]


def probe_part(m: Mapping[str, float], names: Mapping[str, str], dim: int) -> None:
    """Held-out linear-probe accuracies and what they show, whichever way they come out."""
    im = "denoising.images"
    acc = {t(f"{im}.probe_pixels", d=dim): m["probe_accuracy_pixels"], t(f"{im}.probe_ae"): m["probe_accuracy_ae"]}
    dae = {n: m[f"probe_accuracy_dae_{n}"] for n in names}
    acc.update({t(f"{im}.probe_dae", name=names[n]): v for n, v in dae.items()})
    best = max(dae, key=dae.get)
    diff = dae[best] - m["probe_accuracy_ae"]
    caption = t(
        "denoising.images.probe_gain" if diff >= PROBE_GAIN else "denoising.images.probe_none",
        ae=num(m["probe_accuracy_ae"], 3),
        dae_best=num(dae[best], 3),
        best=names[best],
        diff=num(diff, 2),
        pixels=num(m["probe_accuracy_pixels"], 3),
    )
    caption += " " + t(f"{im}.probe_rows", rows=int(m["probe_rows"]))
    figure = fig.probe_figure(acc, t(f"{im}.probe_title"), t(f"{im}.accuracy"))
    chart(figure, "denoising.probe", caption)


def robust_part(m: Mapping[str, float], names: Mapping[str, str], dim: int) -> None:
    """The same probes scored on corrupted held-out images: clean against corrupted accuracy
    of the pixels, the plain AE's codes and the DAE's codes, per corruption, and the verdict."""
    im = "denoising.images"
    prose(t(f"{im}.robust_explain"))
    who = {"pixels": t(f"{im}.probe_pixels", d=dim), AE: t(f"{im}.robust_ae")}
    acc, lines, worse = {}, [], []
    verdicts = get("denoising_images").check_claims(m)
    for n, label in names.items():
        keys = {"pixels": "pixels", AE: AE, n: n}
        acc[label] = {
            who.get(k, t(f"{im}.robust_dae")): (m[probe_metric(k)], m[probe_metric(k, n)]) for k in keys.values()
        }
        words = {w: num(m[probe_metric(k)], 3) for w, k in (("px", "pixels"), ("ae", AE), ("dae", n))}
        words |= {f"{w}n": num(m[probe_metric(k, n)], 3) for w, k in (("px", "pixels"), ("ae", AE), ("dae", n))}
        words |= {"gain": num(m[probe_metric(n, n)] - m[probe_metric(AE, n)], 2), "hurts": num(ROBUST_HURTS)}
        words["drop"] = num(m[probe_metric(AE)] - m[probe_metric(AE, n)], 2)
        verdict = "held" if verdicts.get(f"robust_{n}") else "failed" if f"robust_{n}" in verdicts else "mild"
        lines.append(t(f"{im}.robust_line", name=label, **words) + " " + t(f"{im}.robust_{verdict}", **words))
        if m[probe_metric(AE, n)] < m[probe_metric("pixels", n)]:
            worse.append(label)
    names_fig = labels(f"{im}.fig", clean="robust_clean", corrupted="robust_corrupted", title="robust_title")
    figure = fig.robust_probe_figure(acc, names_fig | {"y": t(f"{im}.accuracy")})
    chart(figure, "denoising.robust", " ".join(lines))
    if worse:
        prose(t(f"{im}.robust_ae_worse", names=", ".join(worse)))


def effect_button(key: str, cfg) -> None:
    """One click to the view with stronger corruptions, where the gain is largest."""
    if any(getattr(cfg, k) != v for k, v in ROBUST_VIEW.items()):
        words = {k: num(v) for k, v in ROBUST_VIEW.items() if not isinstance(v, bool)}
        st.button(
            t("denoising.images.robust_open", **words),
            on_click=open_view,
            args=(key, cfg, ROBUST_VIEW),
            icon=":material/visibility:",
        )


def sweep_pairs(a: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """At each corruption's highest swept level: 'name: DAE x dB, PCA y dB'."""
    rows = [(names[n], np.asarray(s)[-1]) for n, s in a["sweep"].items()]
    return "; ".join(f"{name}: DAE {num(r[2], 3)} dB, PCA {num(r[3], 3)} dB" for name, r in rows)


def show_notice() -> None:
    st.info(t(f"{F}.waiting"), icon=":material/hourglass_top:")
