"""Annex (lesson 10): entropy, cross-entropy and KL divergence of two discrete distributions."""

import numpy as np
import streamlit as st

from aecore.figures.generative import distributions_figure
from aecore.maths import info
from ui.kit.i18n import error_text, t
from ui.kit.page import chart, labels, metric_row, prose
from ui.kit.references import sources

st.title(t("annex.title"))
prose(t("annex.explain"))
st.latex(
    r"H(P)=-\sum_i p_i\log p_i,\qquad H(P,Q)=-\sum_i p_i\log q_i,\qquad "
    r"D_{KL}(P\,\|\,Q)=\sum_i p_i\log\frac{p_i}{q_i}=H(P,Q)-H(P)\ \ge 0"
)

DEFAULT_P, DEFAULT_Q = [4.0, 2.0, 1.0, 1.0], [1.0, 2.0, 2.0, 3.0]
left, right = st.columns([2, 1])
n = int(left.slider(t("annex.outcomes"), 2, 8, 4, key="annex.n"))
unit = right.radio(
    t("annex.unit"), list(info.UNITS), horizontal=True, key="annex.unit", format_func=lambda u: t(f"annex.units.{u}")
)
st.caption(t("annex.input_hint"))
outcomes = [f"x{i + 1}" for i in range(n)]
weights = {}
for name, default in (("P", DEFAULT_P), ("Q", DEFAULT_Q)):
    cols = st.columns(n)
    weights[name] = [
        cols[i].number_input(
            f"{name}({x})", value=default[i] if i < 4 else 1.0, step=0.5, format="%g", key=f"annex.{name}.{i}"
        )
        for i, x in enumerate(outcomes)
    ]

try:
    p, q = info.normalize(weights["P"], "P"), info.normalize(weights["Q"], "Q")
except info.DistributionError as exc:
    st.error(t("annex.invalid", message=error_text(exc)), icon=":material/error:")
    st.stop()

base = info.UNITS[unit]
s = info.summary(p, q, base)
u = t(f"annex.units.{unit}")
metric_row("annex", s, ("H_P", "H_PQ", "KL_PQ", "H_Q", "H_QP", "KL_QP"), lambda v: f"{v:.4f} {u}", per_row=3)


def _num(v: float) -> str:
    return r"\infty" if not np.isfinite(v) else f"{v:.4f}"


st.latex(
    rf"D_{{KL}}(P\|Q) = H(P,Q) - H(P) = {_num(s['H_PQ'])} - {_num(s['H_P'])} "
    rf"= {_num(s['KL_PQ'])}"
    rf"\qquad D_{{KL}}(Q\|P) = {_num(s['KL_QP'])}"
)
if not (np.isfinite(s["KL_PQ"]) and np.isfinite(s["KL_QP"])):
    st.warning(t("annex.infinite"), icon=":material/warning:")
elif abs(s["KL_PQ"] - s["KL_QP"]) > 1e-9:
    st.info(t("annex.asymmetry", pq=f"{s['KL_PQ']:.4f}", qp=f"{s['KL_QP']:.4f}", unit=u), icon=":material/info:")
else:
    st.info(t("annex.symmetric"), icon=":material/info:")

st.caption(
    t(
        "annex.huffman",
        L=f"{info.mean_code_length(p):.4f}",
        lengths=", ".join(str(n) for n in info.huffman_lengths(p)),
        H=f"{info.entropy(p, 2.0):.4f}",
    )
)

terms_pq, terms_qp = info.kl_terms(p, q, base), info.kl_terms(q, p, base)
finite = lambda a: np.where(np.isfinite(a), a, np.nan)  # noqa: E731  (∞ terms are not drawn)
names = labels("annex.fig", "dists", "terms", "prob") | {"pq": "KL(P‖Q)", "qp": "KL(Q‖P)", "unit": u}
fig = distributions_figure(outcomes, p, q, finite(terms_pq), finite(terms_qp), names)
chart(fig, "annex.fig", t("annex.fig.summary"))
prose(t("annex.vae_link"))
sources("annex")
