"""The references registry: every work the lecture cites, and those the app adds beyond it.

Plain data in ``aecore/references.toml`` (key → authors, year, title, venue, link, the lesson
pages that use it, and where the lecture cites it). Pages read it through ``for_lesson``; the
References page lists it whole. ``BEYOND`` names what the app teaches that the lecture (its
slides and study notes) does not, with the lessons and works it comes from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTRY = Path(__file__).with_name("references.toml")


@dataclass(frozen=True)
class Reference:
    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    venue: str
    link: str  # DOI or stable URL; "" when none is known to be stable
    lessons: tuple[str, ...]  # page slugs (ui.shell.nav) that use the work
    source: str  # "slides [n]", "notes" or "app"

    @property
    def short(self) -> str:
        """Author–year label: "Oja 1982", "Baldi & Hornik 1989", "Vincent et al. 2008"."""
        # the surname: what follows the initials ("L. van der Maaten" -> "van der Maaten")
        names = [" ".join(w for w in a.split() if not w.endswith(".")) for a in self.authors]
        if len(self.authors) == 1:
            who = names[0]
        elif len(self.authors) == 2:
            who = f"{names[0]} & {names[1]}"
        else:
            who = f"{names[0]} et al."
        return f"{who} {self.year}"

    @property
    def in_lecture(self) -> bool:
        return self.source != "app"


@lru_cache(maxsize=1)
def references() -> dict[str, Reference]:
    """Every reference by key, in the registry's order (the slides' numbering first)."""
    with REGISTRY.open("rb") as fh:
        raw = tomllib.load(fh)
    return {
        key: Reference(
            key,
            tuple(v["authors"]),
            int(v["year"]),
            v["title"],
            v["venue"],
            v["link"],
            tuple(v["lessons"]),
            v["source"],
        )
        for key, v in raw.items()
    }


def for_lesson(slug: str) -> list[Reference]:
    """The works a lesson page uses: the lecture's own first, then the app's, each by year."""
    refs = [r for r in references().values() if slug in r.lessons]
    return sorted(refs, key=lambda r: (not r.in_lecture, r.year, r.key))


# The course material the pages follow: material → the page slugs that follow it. Its name,
# language and contents are catalog keys ``references.material_row.<material>.*``; every page's
# foot names its material from here, and the References page lists the same rows.
MATERIAL: dict[str, tuple[str, ...]] = {
    "slides": (
        "home",
        "intro",
        "pca",
        "latent",
        "capacity",
        "sparse",
        "contractive",
        "denoising",
        "vae",
        "family",
        "unet",
        "sae_features",
        "annex",
    ),
    "notes002": ("neural", "vae", "elbo_gap"),
    "notes003": ("pca", "capacity", "sparse", "contractive", "vae", "family"),
    "notes004": ("vae", "elbo_gap"),
}


def material_for(slug: str) -> list[str]:
    """The course material a page follows, in the table's order."""
    return [key for key, slugs in MATERIAL.items() if slug in slugs]


# What the app adds beyond the lecture: topic → (lesson slugs, reference keys). The topic's
# name and one-line description are catalog keys ``references.beyond.<topic>``.
BEYOND: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "umap": (("latent",), ("mcinnes2018",)),
    "anomaly": (("anomaly",), ("sakurada2014",)),
    "beta_vae": (("vae",), ("higgins2017",)),
    "topk_sae": (("sae_features",), ("makhzani2013", "gao2024")),
    "selectivity": (("sae_features",), ("morcos2018",)),
    "tied": (("contractive",), ("rifai2011",)),
    "tweedie": (("denoising",), ("efron2011",)),
    "metrics": (("denoising", "unet", "anomaly"), ("milletari2016", "fawcett2006")),
    "baldi_hornik": (("pca",), ("baldi1989", "eckart1936")),
}
