"""The handout: per page, its learning objectives (the lesson's exercises file, as the page
shows them), the formulas it shows and its claims measured on the run shipped with the app
for its default view (``aecore.presets.shipped_metrics``), as one printable page
and as Markdown. The formulas are the pages' own constants (never a copy), the claim texts
those of the claims box (``ui.runtime.checks.claim_words``), so the handout cannot drift
from the pages."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from aecore import exercises, noise
from aecore.experiments import get as get_experiment
from aecore.maths import linear_ae
from aecore.presets import shipped_metrics
from lessons.parts import denoising, formulas, generative
from ui.kit.i18n import translate
from ui.kit.page import fmt
from ui.kit.widgets import option_label
from ui.runtime.checks import claim_words
from ui.shell.nav import PAGES

MODULES = {
    "formulas": formulas,
    "generative": generative,
    "denoising": denoising,
    "linear_ae": linear_ae,
    "noise": noise,
}
# page slug -> the formulas it shows, as "<module>.<NAME>" of MODULES (a string, a tuple of
# strings, the derivation's (latex, key) steps, or noise.CORRUPTIONS' formulas)
FORMULAS: dict[str, tuple[str, ...]] = {
    "home": ("formulas.AE_MAP",),
    "neural": ("formulas.NEURON", "formulas.LAYERS", "formulas.NEURAL_LOSS"),
    "intro": ("formulas.INTRO_LOSS",),
    "pca": ("formulas.PCA_BOUND", "linear_ae.DERIVATION"),
    "capacity": ("formulas.CODE_SIZES",),
    "sparse": (
        "formulas.SPARSE_LOSS",
        "formulas.SPARSE_PENALTIES",
        "formulas.KL_BERNOULLI",
        "formulas.WEIGHT_PENALTIES",
    ),
    "contractive": ("formulas.CAE_LOSS", "formulas.CAE_SIGMOID"),
    "denoising": ("formulas.DAE_LOSS", "noise.CORRUPTIONS", "formulas.TWEEDIE", "formulas.SCORE"),
    "vae": ("generative.VAE_LATEX",),
    "elbo_gap": ("generative.ELBO_GAP", "generative.KL_DIAGONAL", "generative.KL_FULL", "generative.DIAGONAL_COST"),
    "annex": ("formulas.ENTROPIES",),
}
# page slug -> its claims boxes: (catalog prefix, experiment, significant digits), as the page draws them
CLAIMS: dict[str, tuple[tuple[str, str, int], ...]] = {
    "neural": (("neural", "neural", 4),),
    "intro": (("intro", "intro", 4),),
    "pca": (("pca", "pca", 4),),
    "latent": (("latent", "latent", 3),),
    "capacity": (("capacity", "capacity", 4),),
    "sparse": (("sparse", "sparse", 4),),
    "contractive": (("contractive", "contractive", 4),),
    "denoising": (("denoising.field", "denoising_field", 3), ("denoising.images", "denoising_images", 3)),
    "vae": (("vae", "vae", 3),),
    "elbo_gap": (("elbo_gap", "elbo_gap", 3),),
    "family": (("family", "family", 4),),
    "unet": (("unet", "unet", 4),),
    "anomaly": (("anomaly", "anomaly", 4),),
    "sae_features": (("sae_features", "sae_features", 4),),
}
HOLDS, FAILS = "✔", "✘"


def latex_of(ref: str) -> list[str]:
    """The KaTeX source(s) a ``FORMULAS`` entry names."""
    module, _, name = ref.partition(".")
    value = getattr(MODULES[module], name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v.formula for v in value.values()]
    return [v if isinstance(v, str) else v[0] for v in value]


@dataclass(frozen=True)
class Part:
    """One claims box of a page, measured: the run's caption and one line per claim made."""

    caption: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    page: str
    title: str
    formulas: tuple[str, ...]
    parts: tuple[Part, ...]
    objectives: tuple[str, ...] = ()


def claims_part(prefix: str, experiment: str, digits: int, lang: str) -> Part:
    exp = get_experiment(experiment)
    cfg = exp.config_cls()
    metrics = shipped_metrics(experiment, cfg)
    if metrics is None:
        return Part(translate("handout.no_preset", lang, name=experiment), ())
    data = getattr(cfg, "dataset", None)
    if data is None:
        caption = translate("handout.view_no_data", lang, seed=cfg.seed)
    else:
        caption = translate("handout.view", lang, data=option_label("dataset", data, lang), seed=cfg.seed)
    numbers, lines = fmt(metrics, digits), []
    for key, ok in exp.check_claims(metrics).items():
        claim = exp.claim(key)
        text = translate(f"{prefix}.claims.{key}", lang, **claim_words(claim, metrics, numbers))
        verdict = translate("claim.holds" if ok else "claim.fails", lang)
        line = f"{HOLDS if ok else FAILS} {text} — *{verdict}*"
        if not ok and (why := claim.explain(metrics, cfg)):
            line += " " + translate(f"{prefix}.{why[0]}", lang, **fmt(why[1], 3))
        lines.append(line)
    return Part(caption, tuple(lines))


def objectives(page: str, lang: str) -> tuple[str, ...]:
    """The learning objectives the page opens with (none for a page without exercises)."""
    if page not in exercises.lessons():
        return ()
    return tuple(translate(f"learn.{page}.objective.{o}", lang) for o in exercises.load(page).objectives)


def blocks(lang: str) -> list[Block]:
    """Every page with objectives, formulas or claims, in the app's order."""
    out = []
    for spec in PAGES:
        refs, boxes = FORMULAS.get(spec.url_path, ()), CLAIMS.get(spec.url_path, ())
        goals = objectives(spec.url_path, lang)
        if not refs and not boxes and not goals:
            continue
        latex = tuple(x for ref in refs for x in latex_of(ref))
        parts = tuple(claims_part(p, e, d, lang) for p, e, d in boxes)
        out.append(Block(spec.url_path, translate(spec.title_key, lang), latex, parts, goals))
    return out


def objectives_markdown(b: Block, lang: str) -> str:
    """The block's objectives as the page words them: a lead line, then a list ("" if none)."""
    if not b.objectives:
        return ""
    return f"**{translate('teach.objectives', lang)}**\n" + "\n".join(f"- {o}" for o in b.objectives)


def markdown(parts: list[Block], lang: str) -> str:
    """The handout as one Markdown file (KaTeX between $$ as Streamlit and most viewers read it)."""
    out = [f"# {translate('handout.title', lang)}", ""]
    for b in parts:
        out += [f"## {b.title}", ""]
        if b.objectives:
            out += [objectives_markdown(b, lang), ""]
        for latex in b.formulas:
            out += ["$$", latex, "$$", ""]
        for part in b.parts:
            out += [f"*{part.caption}*", ""] + [f"- {line}" for line in part.lines] + [""]
    return "\n".join(out)


PRINT_CSS = """
<style>
@media print {
  @page { margin: 14mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stBottom"],
  .st-key-handout-screen, [class*="st-key-pager"], .stMainBlockContainer hr { display: none !important; }
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], .stMain {
    overflow: visible !important; height: auto !important; position: static !important;
  }
  .stMainBlockContainer { max-width: none !important; padding: 0 !important; }
  .stMainBlockContainer .katex-display { overflow: visible !important; }
  [class*="st-key-handout-page-"] { break-inside: avoid; }
  .stMainBlockContainer h1 { font-size: 1.6rem; }
  .stMainBlockContainer h2 { font-size: 1.25rem; break-after: avoid; }
  .stMainBlockContainer p, .stMainBlockContainer li { font-size: 0.95rem; }
}
</style>
"""


def render(parts: list[Block], lang: str) -> None:
    """The blocks on the page; each kept on one printed page where it fits."""
    for b in parts:
        with st.container(key=f"handout-page-{b.page}"):
            st.subheader(b.title, anchor=False)
            if b.objectives:
                st.markdown(objectives_markdown(b, lang))
            for latex in b.formulas:
                st.latex(latex)
            for part in b.parts:
                st.caption(part.caption)
                st.markdown("\n".join(f"- {line}" for line in part.lines))
