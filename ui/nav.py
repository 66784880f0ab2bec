"""The app's page list: one entry per lesson, read by app.py and by the tests.

Pages are listed explicitly (st.navigation), never auto-discovered from pages/.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str        # script under pages/
    url_path: str    # stable URL slug (?lang=.. etc. follow it)
    title_key: str   # translation key of the page title
    icon: str
    section: str     # translation key of the navigation section


PAGES: list[PageSpec] = [
    PageSpec("pages/00_home.py", "home", "home.nav", ":material/home:", "nav.section.start"),
    PageSpec("pages/01_intro.py", "intro", "intro.nav", ":material/compress:", "nav.section.basics"),
    PageSpec("pages/02_pca.py", "pca", "pca.nav", ":material/straighten:", "nav.section.basics"),
    PageSpec("pages/03_latent.py", "latent", "latent.nav", ":material/scatter_plot:", "nav.section.basics"),
    PageSpec("pages/08_vae.py", "vae", "vae.nav", ":material/blur_on:", "nav.section.generative"),
    PageSpec("pages/10_annex.py", "annex", "annex.nav", ":material/functions:", "nav.section.annex"),
]
