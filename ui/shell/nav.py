"""The app's page list: one entry per lesson, read by app.py and by the tests.

Pages are listed explicitly (st.navigation). They live in ``lessons/``, not ``pages/``:
Streamlit 1.67 switches to its legacy auto-discovered multipage mode whenever a folder
named ``pages/`` sits beside the entry script (and AppTest re-enables that mode on every
run), which runs a page without app.py's sidebar and navigation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # script under lessons/
    url_path: str  # stable URL slug (?lang=.. etc. follow it)
    title_key: str  # translation key of the page title
    icon: str
    section: str  # translation key of the navigation section

    @property
    def is_default(self) -> bool:
        return self.url_path == "home"

    @property
    def url(self) -> str:
        """The path a browser opens: the default page lives at the root."""
        return "" if self.is_default else self.url_path


PAGES: list[PageSpec] = [
    PageSpec("lessons/00_home.py", "home", "home.nav", ":material/home:", "nav.section.start"),
    PageSpec("lessons/00_neural.py", "neural", "neural.nav", ":material/hub:", "nav.section.basics"),
    PageSpec("lessons/01_intro.py", "intro", "intro.nav", ":material/compress:", "nav.section.basics"),
    PageSpec("lessons/02_pca.py", "pca", "pca.nav", ":material/straighten:", "nav.section.basics"),
    PageSpec("lessons/03_latent.py", "latent", "latent.nav", ":material/scatter_plot:", "nav.section.basics"),
    PageSpec("lessons/04_capacity.py", "capacity", "capacity.nav", ":material/layers:", "nav.section.regularized"),
    PageSpec("lessons/05_sparse.py", "sparse", "sparse.nav", ":material/blur_on:", "nav.section.regularized"),
    PageSpec(
        "lessons/06_contractive.py",
        "contractive",
        "contractive.nav",
        ":material/unfold_less:",
        "nav.section.regularized",
    ),
    PageSpec("lessons/07_denoising.py", "denoising", "denoising.nav", ":material/blur_off:", "nav.section.regularized"),
    PageSpec("lessons/08_vae.py", "vae", "vae.nav", ":material/auto_awesome:", "nav.section.generative"),
    PageSpec("lessons/08b_elbo_gap.py", "elbo_gap", "elbo_gap.nav", ":material/difference:", "nav.section.generative"),
    PageSpec("lessons/09a_unet.py", "unet", "unet.nav", ":material/grid_on:", "nav.section.applications"),
    PageSpec("lessons/09b_anomaly.py", "anomaly", "anomaly.nav", ":material/troubleshoot:", "nav.section.applications"),
    PageSpec(
        "lessons/09c_sae_features.py",
        "sae_features",
        "sae_features.nav",
        ":material/manage_search:",
        "nav.section.applications",
    ),
    PageSpec("lessons/10_annex.py", "annex", "annex.nav", ":material/functions:", "nav.section.annex"),
    PageSpec("lessons/11_references.py", "references", "references.nav", ":material/menu_book:", "nav.section.annex"),
    PageSpec("lessons/12_progress.py", "progress", "progress.nav", ":material/checklist:", "nav.section.annex"),
]
