"""Autoencoder Lab: entry point (``streamlit run app.py``).

Page config, one-time start-up (thread limits, UMAP warm-up), the shared sidebar, the
explicit page list (st.navigation over ui.shell.nav.PAGES) and the Previous / Next lesson buttons
(ui.shell.pager: above the lesson with the ← → keys when presenting, below it otherwise), and the
learner's progress kept in the URL (ui.learn.progress). The
sidebar starts collapsed when presenting and on narrow screens (Streamlit's "auto").
"""

from __future__ import annotations

import os
import threading

# Thread pools are sized before numpy/torch/numba load: one thread per job, because a
# multi-threaded job slows 3-25x as soon as another job competes for the cores.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, os.environ.get("AE_TORCH_THREADS", "1"))

import streamlit as st  # noqa: E402  (after the thread settings above)

from ui.kit import deck, presenter  # noqa: E402
from ui.kit.i18n import t  # noqa: E402
from ui.learn import progress  # noqa: E402
from ui.shell import pager, sidebar  # noqa: E402
from ui.shell.nav import PAGES  # noqa: E402

ICON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets", "favicon.png")
st.set_page_config(
    page_title="Autoencoder Lab",
    page_icon=ICON,
    layout="wide",
    initial_sidebar_state="collapsed" if presenter.link_asks() else "auto",
)


@st.cache_resource(show_spinner=False)
def _start_up() -> bool:
    """Once per server: bound torch threads; uploads kept per session (``userdata.STORE``) are
    where the data registry finds them; in the background, pay the one-off costs (torch's
    optimiser imports, UMAP's numba compilation) before a student does."""
    from aecore.data import registry, userdata
    from aecore.device import limit_threads

    limit_threads()
    registry.set_user_data(userdata.STORE)
    if os.environ.get("AE_WARMUP", "1") == "1":
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    return True


def _warm_up() -> None:
    from aecore import embed, train

    train.warm_up()
    embed.warm_up()


_start_up()
sidebar.init_from_link()
presenter.init_from_link()
progress.init_from_link()
sections: dict[str, list] = {}
for spec in PAGES:
    page = st.Page(spec.path, title=t(spec.title_key), icon=spec.icon, url_path=spec.url_path, default=spec.is_default)
    sections.setdefault(t(spec.section), []).append(page)
sidebar.render()
nav = st.navigation(sections, expanded=True)  # every lesson listed (no "View more")
sidebar.write_link()
progress.write_link()
presenter.apply_style()
here = nav.url_path  # "" for the default page, as PageSpec.url
if presenter.active():  # a deck of screens (ui.kit.deck); the pager above, drawn once the page has run
    if turn := deck.begin(here):
        pager.turn(PAGES, here, turn)
    bar = st.container(key="deck-bar")
else:
    deck.off()
nav.run()
if presenter.active():
    with bar:
        pager.deck_bar(PAGES, here, *deck.finish())
else:
    st.divider()
    pager.buttons(PAGES, here, keys=False, where="bottom")
